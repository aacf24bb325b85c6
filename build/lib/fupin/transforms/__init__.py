"""Plain, testable transformations: decode, normalise, extract. No Prefect, no GX here."""
