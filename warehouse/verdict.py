"""What a run's validation came to, in words, for the run summary (flows/summary.py) and the
Prefect artifact (warehouse/report.py). Stdlib only.

Quarantine is the expectations doing their job: a run whose facts failed fact expectations
(a value outside its unit's bounds, a fact without a year) has validated its data; its
summary says how many facts were quarantined and why. "FAILED" is kept for validation that
could not run (every fact of the batch is then quarantined as validation_error) or found the
data unusable (an article expectation failed)."""
from __future__ import annotations

FACT_SUITE = "fupin_facts"


def broken(summary: dict) -> list[dict]:
    """The failed expectations that are not a fact quarantined by design."""
    return [f for f in summary.get("validation_failures") or []
            if f["suite"] != FACT_SUITE or f["expectation"] == "validation_ran"]


def verdict(summary: dict) -> tuple[str, str]:
    """(passed | quarantined | failed | none, what to say after "passed" / "failed: ")."""
    passed = summary.get("validation_passed")
    if passed is None:
        return "none", "nothing new to validate" if not summary.get("staged") else "not run"
    failures = summary.get("validation_failures")
    if failures is None and not passed:  # a summary that does not say which expectations failed
        return "failed", "see validation_results"
    bad = broken(summary)
    if any(f["expectation"] == "validation_ran" for f in bad):
        return "failed", ("validation could not run; the facts of the batches it could not validate are in "
                          "quarantine_facts (failed_expectation validation_error: ...), see validation_results")
    if bad:
        return "failed", ("the data is unusable: " + ", ".join(f"{f['suite']}.{f['expectation']}" for f in bad)
                          + " (see validation_results)")
    if passed:
        return "passed", ""
    why = ", ".join(f"{f['expectation']} {f['facts']}" for f in failures)
    n = summary.get("facts_quarantined", 0)
    return "quarantined", f"{n} fact{'s' if n != 1 else ''} quarantined by the expectations ({why}): see quarantine_facts"


def sentence(summary: dict) -> str:
    """The verdict as the run summary words it."""
    word, detail = verdict(summary)
    if word == "failed":
        return f"FAILED: {detail}"
    if word == "quarantined":
        return f"passed; {detail}"
    return "passed" if word == "passed" else detail
