"""fupin (扶贫): Chinese poverty-alleviation news -> a DuckDB statistics warehouse.

The repository root is the `fupin` package (pyproject.toml maps it): `fupin.flows`
orchestrates, `fupin.transforms` extracts, `fupin.expectations` validates, `fupin.warehouse`
stores. Lexicons, SQL and templates ship inside it as package data."""
from importlib.resources import files
from pathlib import Path

# fupin is installed as plain files (never zipped), so its data has a file-system path.
# By name, not __name__: pytest imports this file as `__init__` when the checkout folder
# is not an identifier (fupin-main, wt-cli).
PACKAGE_DIR = Path(str(files("fupin")))
SEEDS = PACKAGE_DIR / "seeds"
