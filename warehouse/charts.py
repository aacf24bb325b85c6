"""Geometry of the report's SVG charts (bars, columns, lines): plain numbers and labels that
templates/charts.html.j2 draws. No markup here, no library: the report stays one file."""
from __future__ import annotations

import math

PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac"]


def nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(v))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * exp >= v:
            return m * exp
    return 10 * exp


def tick(v: float) -> str:
    if v >= 1e8:
        return f"{v / 1e8:g}亿"
    if v >= 1e4:
        return f"{v / 1e4:g}万"
    return f"{v:g}"


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[:n - 1] + "…"


def hbar(items: list[tuple[str, float]], title: str, color: str = PALETTE[0], width: int = 640) -> dict:
    bar_h, gap, left, right, top = 18, 5, 230, 70, 26
    vmax = max((v for _, v in items), default=0) or 1
    plot_w = width - left - right
    bars = []
    for i, (label, v) in enumerate(items):
        y = top + i * (bar_h + gap)
        w = max(1.0, plot_w * v / vmax)
        bars.append({"label": label, "short": _clip(label, 34), "value": v, "y": y, "w": round(w, 1),
                     "text_y": y + bar_h - 5, "end_x": round(left + w + 4, 1)})
    return {"type": "hbar", "title": title, "color": color, "width": width, "left": left, "bar_h": bar_h,
            "height": top + len(items) * (bar_h + gap) + 10, "bars": bars}


def columns(items: list[tuple[str, float]], title: str, color: str = PALETTE[0],
            width: int = 640, height: int = 280) -> dict:
    left, right, top, bottom = 56, 12, 28, 42
    pw, ph = width - left - right, height - top - bottom
    vmax = nice_max(max((v for _, v in items), default=0))
    slot = pw / max(len(items), 1)
    bw = max(2.0, slot * 0.75)
    every = max(1, math.ceil(len(items) / 16))
    grid = [{"y": round(top + ph - ph * k / 4, 1), "label": tick(vmax * k / 4)} for k in range(5)]
    cols = []
    for i, (label, v) in enumerate(items):
        x = left + i * slot + (slot - bw) / 2
        hh = ph * v / vmax
        cols.append({"label": label, "value": v, "x": round(x, 1), "y": round(top + ph - hh, 1),
                     "w": round(bw, 1), "h": round(hh, 1), "mid": round(x + bw / 2, 1), "show": i % every == 0})
    return {"type": "columns", "title": title, "color": color, "width": width, "height": height,
            "left": left, "right": width - right, "base": top + ph, "grid": grid, "cols": cols}


def lines(series: list[tuple[str, list[tuple[int, float]]]], title: str, y_label: str,
          width: int = 900, height: int = 340) -> dict:
    pts = [p for _, s in series for p in s]
    left, right, top, bottom = 56, 210, 46, 40
    pw, ph = width - left - right, height - top - bottom
    x0, x1 = (min(p[0] for p in pts), max(p[0] for p in pts)) if pts else (0, 1)
    if x0 == x1:
        x0, x1 = x0 - 1, x1 + 1
    vmax = nice_max(max((p[1] for p in pts), default=0))

    def X(x):
        return round(left + pw * (x - x0) / (x1 - x0), 1)

    def Y(y):
        return round(top + ph - ph * y / vmax, 1)

    step = max(1, math.ceil((x1 - x0) / 12))
    out = []
    for i, (label, s) in enumerate(series):
        s = sorted(s)
        out.append({"label": label, "short": _clip(label, 22), "color": PALETTE[i % len(PALETTE)],
                    "polyline": " ".join(f"{X(x)},{Y(y)}" for x, y in s) if len(s) > 1 else "",
                    "points": [{"x": X(x), "y": Y(y), "year": x, "value": f"{y:g}"} for x, y in s],
                    "legend_y": top + 6 + i * 20})
    return {"type": "lines", "title": title, "y_label": y_label, "width": width, "height": height,
            "left": left, "right": left + pw, "base": top + ph, "top": top, "legend_x": left + pw + 16,
            "grid": [{"y": Y(vmax * k / 4), "label": tick(vmax * k / 4)} for k in range(5)],
            "xticks": [{"x": X(x), "label": x} for x in range(x0, x1 + 1, step)], "series": out,
            "empty": not pts}
