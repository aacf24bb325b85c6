"""What changed: one file compared with what the warehouse knows of it.

The one rule used by the plan (which files to stage), the up-to-date check of `fupin run`
(can a flow run change anything?) and the load (which rejects go): each asks `classify`,
and the plan writes its answer per file into discovered.parquet (column `change`) for the
load to read.
"""
from __future__ import annotations

# Reject reasons that depend only on the file's content (empty, binary, ...): while the
# content is the same, reading it again gives the same reject.
from fupin.transforms.contracts import CONTENT_REASONS

NEW = "new"                          # a path the warehouse does not know
CHANGED = "changed"                  # a source whose content (hash) is different now
UNCHANGED = "unchanged"              # a source with the same content
UNCHANGED_CLEARS_REJECT = "unchanged_clears_reject"  # the same content as its source, yet
                                     # recorded as a reject too (it was unreadable for a
                                     # while): skipped, and the load drops the reject
UNCHANGED_REJECT = "unchanged_reject"  # rejected for its content, and that content is the same
RETRY_REJECT = "retry_reject"        # rejected for a passing reason, or its content changed
UNREADABLE = "unreadable"            # cannot be hashed now: staging retries it and says why
MANIFEST_CHANGED = "manifest_changed"  # the same content, but the manifest's row for it changed:
                                     # extracted again (its date decides years and kind)

# Why a file that is not at rest needs a flow run (the up-to-date check says it).
NEEDS_FLOW = {
    NEW: "a new file", CHANGED: "a changed file", UNREADABLE: "cannot be read now: the flow retries it and says why",
    UNCHANGED_CLEARS_REJECT: "readable again: the flow clears its reject", RETRY_REJECT: "a reject the flow retries",
    MANIFEST_CHANGED: "the manifest's row for it changed",
}
SKIPPED = frozenset({UNCHANGED, UNCHANGED_CLEARS_REJECT, UNCHANGED_REJECT})
# Files a flow run would neither stage nor change any table for.
AT_REST = frozenset({UNCHANGED, UNCHANGED_REJECT})


def classify(path: str, content_hash: str | None, sources: dict, rejects: dict, known_same: bool = True) -> str:
    """sources: path -> content hash of the file of the warehouse's article_sources;
    rejects: path -> (reason, content_hash) of its rejects (warehouse.store.read_state);
    known_same: the manifest's row for the file is the one its facts were extracted with."""
    if content_hash is None:
        return UNREADABLE
    rej = rejects.get(path)
    if sources.get(path) == content_hash:
        if not known_same:
            return MANIFEST_CHANGED
        return UNCHANGED if rej is None else UNCHANGED_CLEARS_REJECT
    if rej is not None:
        return UNCHANGED_REJECT if rej[0] in CONTENT_REASONS and rej[1] == content_hash else RETRY_REJECT
    return CHANGED if path in sources else NEW
