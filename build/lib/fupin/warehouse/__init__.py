"""DuckDB warehouse: schema, load, views, and the data-quality report."""
