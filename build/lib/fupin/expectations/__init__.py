"""Great Expectations suites for staged articles and facts. GX is imported lazily (it costs ~5 s)."""
