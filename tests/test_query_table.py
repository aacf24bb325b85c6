"""`fupin query`'s table (rich): columns line up in terminal cells, so a CJK character
counts two; long cells are clipped with an ellipsis. No Prefect here."""
from rich.cells import cell_len

from fupin.flows.cli import format_table


def test_cjk_columns_line_up():
    out = format_table(["code", "名称", "n"], [("450000", "广西壮族自治区", 1), ("451023", "平果县", 22),
                                              ("100000", "China", None)])
    lines = out.splitlines()
    body = [lines[0]] + lines[2:-1]
    starts = {cell_len(line[: line.index(x)]) for line, x in zip(body, ["n", "1", "22", "NULL"])}
    assert len(starts) == 1, out  # the last column starts at the same cell on every line
    assert lines[-1] == "(3 rows)"


def test_cells_are_clipped_to_max_width_cells():
    out = format_table(["t"], [("中" * 30,), ("a\nb",)], max_width=11)
    clipped, newline = out.splitlines()[2:4]
    assert cell_len(clipped.strip()) <= 11 and clipped.strip().endswith("…")
    assert newline.strip() == "a\\nb"
