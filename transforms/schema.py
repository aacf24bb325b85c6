"""The stage frames' column contracts, as extraction imports them. They are declared in
transforms/contracts.py (with the warehouse tables and the enums); this module re-exports
the ones extraction uses, so `from fupin.transforms.schema import FACT, ...` keeps working."""
from fupin.transforms.contracts import (ARTICLE, ARTICLE_META, FACT, KNOWN, QUARANTINE, REJECT,  # noqa: F401
                                        REJECT_STAGED, RESULTS, conform, empty)
