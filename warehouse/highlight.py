"""Spans over a text -> a sequence of text runs and open/close marks that nest properly, so
a page can show every fact's characters as one element.

Spans that contain one another (or are equal: two facts read from the same characters)
nest. Spans that cross (a starts before b, b ends after a) cannot both be one element in a
tree; the later one is split at the end of the earlier one, and its pieces are numbered
(piece 0 is the one a page links to). Nothing is dropped or reordered: joining the text
runs gives back the text, and joining a span's pieces gives back its characters.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    text: str
    tag = "text"  # what a template tests (cheaper than isinstance-like tests there)


@dataclass(frozen=True)
class Open:
    index: int   # the span's position in the input list
    piece: int   # 0 for the first (or only) piece
    split: bool  # the span is cut into several pieces
    tag = "open"


@dataclass(frozen=True)
class Close:
    tag = "close"


CLOSE = Close()


def _cross_free_pieces(spans: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """(start, end, index, piece) for every piece, in document order, after splitting
    crossing spans at the end of the span they cross."""
    heap = [(s, -e, i, 0) for i, (s, e) in enumerate(spans)]
    heapq.heapify(heap)
    ends: list[int] = []   # ends of the pieces open around the current position
    out = []
    while heap:
        s, neg_e, i, k = heapq.heappop(heap)
        e = -neg_e
        while ends and ends[-1] <= s:
            ends.pop()
        if ends and e > ends[-1]:
            heapq.heappush(heap, (ends[-1], -e, i, k + 1))
            e = ends[-1]
        out.append((s, e, i, k))
        ends.append(e)
    return out


def segment(text: str, spans: list[tuple[int, int]]) -> list[Run | Open | Close]:
    """Runs of `text` with Open/Close marks around each span (character offsets, end
    exclusive, clamped to the text)."""
    n = len(text)
    spans = [(min(max(s, 0), n), min(max(e, s, 0), n)) for s, e in spans]
    pieces = _cross_free_pieces(spans)
    split = {i for _, _, i, k in pieces if k > 0}
    out: list[Run | Open | Close] = []
    stack: list[int] = []
    pos = 0

    def upto(p: int) -> None:
        nonlocal pos
        if p > pos:
            out.append(Run(text[pos:p]))
            pos = p

    for s, e, i, k in pieces:
        while stack and stack[-1] <= s:
            upto(stack.pop())
            out.append(CLOSE)
        upto(s)
        out.append(Open(i, k, i in split))
        stack.append(e)
    while stack:
        upto(stack.pop())
        out.append(CLOSE)
    upto(n)
    return out
