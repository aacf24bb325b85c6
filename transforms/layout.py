"""The structure of a normalised text that context rules read: sentences, clauses,
sections (which start at short heading lines) and quotes (“…”, 《…》, 【…】)."""
from __future__ import annotations

import re
from bisect import bisect_right

SENTENCE_END = "。！？\n"
CLAUSE_DELIMS = ",;:，；："
# How far around a number its context is read: keeps a 8 MB single-line file linear.
WINDOW = 300
QUOTE_PAIRS = {"“": "”", "《": "》", "【": "】", "「": "」", "‘": "’"}
_HEADING_REJECT = re.compile(r"[。!?！？\d]")
_CLAUSE_RE = re.compile("[" + re.escape(SENTENCE_END + CLAUSE_DELIMS) + "]")
_QUOTE_RE = re.compile("[“”《》【】「」‘’\n]")


class Layout:
    """Sentences, clauses and sections of a normalised text, for context look-ups."""

    def __init__(self, text: str):
        self.text = text
        self.clause_starts = [0] + [m.end() for m in _CLAUSE_RE.finditer(text)]
        # every sentence end is a clause end (one character each): the sentences' starts are
        # picked from the clauses' rather than found in a second scan of the text
        self.sent_starts = [0] + [e for e in self.clause_starts[1:] if text[e - 1] in SENTENCE_END]
        # A section starts at a short heading line (no sentence end, no digits) after the first line.
        self.section_starts = [0]
        pos = 0
        for i, line in enumerate(text.split("\n")):
            s = line.strip()
            if i > 0 and 4 <= len(s) <= 30 and not _HEADING_REJECT.search(s) and not s.endswith(":"):
                self.section_starts.append(pos)
            pos += len(line) + 1
        self.quote_spans = sorted(self._quotes(text))
        self.quote_starts = [q[0] for q in self.quote_spans]
        self._enclosing: dict[tuple[int, int], tuple[int, int, str] | None] = {}  # enclosing_quote's memo
        # (rule, sentence start) -> the rule's answer, for rules read once per sentence
        self.per_sentence: dict[tuple[str, int], object] = {}

    @staticmethod
    def _quotes(text: str) -> list[tuple[int, int, str]]:
        spans, stack = [], []
        for m in _QUOTE_RE.finditer(text):
            i, ch = m.start(), m.group(0)
            if ch in QUOTE_PAIRS:
                stack.append((ch, i))
            elif stack and ch == QUOTE_PAIRS[stack[-1][0]]:
                op, s = stack.pop()
                spans.append((s, i + 1, op))
            elif ch == "\n":
                stack.clear()
        return spans

    def sentence(self, pos: int) -> int:
        return self.sent_starts[bisect_right(self.sent_starts, pos) - 1]

    def sentence_end(self, pos: int) -> int:
        i = bisect_right(self.sent_starts, pos)
        return self.sent_starts[i] - 1 if i < len(self.sent_starts) else len(self.text)

    def clause(self, pos: int) -> int:
        return self.clause_starts[bisect_right(self.clause_starts, pos) - 1]

    def clause_end(self, pos: int) -> int:
        i = bisect_right(self.clause_starts, pos)
        return self.clause_starts[i] - 1 if i < len(self.clause_starts) else len(self.text)

    def section(self, pos: int) -> int:
        return self.section_starts[bisect_right(self.section_starts, pos) - 1]

    def enclosing_quote(self, start: int, end: int) -> tuple[int, int, str] | None:
        """The innermost quote around [start, end). Quotes nest only shallowly, so a few
        steps back from the last quote opening before `start` suffice. Memoised: a number's
        quote is asked for by notfacts and again by scope."""
        key = (start, end)
        if key in self._enclosing:
            return self._enclosing[key]
        i = bisect_right(self.quote_starts, start - 1) - 1
        best = None
        for s, e, op in self.quote_spans[max(0, i - 8):i + 1][::-1]:
            if s < start and end < e and (best is None or e - s < best[1] - best[0]):
                best = (s, e, op)
        self._enclosing[key] = best
        return best
