"""The run summary a person reads: printed by `fupin run` and by each scheduled run of
`fupin serve` (no heavy imports)."""
from __future__ import annotations

from fupin.warehouse.verdict import sentence


def format_summary(s: dict) -> str:
    val = sentence(s)
    lines = [
        f"fupin run {s['run_id']}: {s['status']} in {s.get('seconds', '?')} s",
        f"  input       {s['input_dir']} ({s.get('discovered', 0)} files)",
        f"  warehouse   {s['warehouse']}",
        f"  articles    {s.get('staged', 0)} staged, {s.get('skipped', 0)} skipped (unchanged), "
        f"{s.get('rejected', 0)} rejected",
        f"  facts       {s.get('facts_loaded', 0)} loaded, {s.get('facts_quarantined', 0)} quarantined",
        f"  validation  {val}",
    ]
    if s.get("sources_pruned"):
        lines.append(f"  pruned      {s['sources_pruned']} sources of removed files")
    if s.get("report"):
        lines.append(f"  report      {s['report']}")
    if s.get("status") == "up_to_date":
        lines.append("  flow        none started: the warehouse is up to date with the input "
                     "(--always-flow starts one anyway)")
    for r in s.get("rejects", [])[:20]:
        lines.append(f"  rejected    [{r['reason']}] {r['detail']}")
    if len(s.get("rejects", [])) > 20:
        lines.append(f"  ... and {len(s['rejects']) - 20} more: fupin query \"select * from rejects\"")
    for i in s.get("manifest_issues", [])[:20]:
        lines.append(f"  manifest    [{i['issue']}] {i['detail']}")
    return "\n".join(lines)
