"""Replace hits in a text with pseudonyms, and move offsets from the old text to the new one.

A position before or after a replacement shifts by the length change of the replacements before
it; a position strictly inside a replaced span snaps to the pseudonym's start (for a start) or end
(for an end), so a coding still covers the same words, now with the pseudonym.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from .pseudonyms import Pseudonyms
from .terms import Hit


@dataclass(frozen=True)
class Replacement:
    start: int  # in the old text
    end: int
    original: str
    kind: str
    pseudonym: str
    new_start: int  # in the new text

    @property
    def new_end(self) -> int:
        return self.new_start + len(self.pseudonym)


class OffsetMap:
    def __init__(self, replacements: list[Replacement]):
        self.reps = replacements
        self.starts = [r.start for r in replacements]

    def _map(self, x: int, side: str) -> int:
        i = bisect_right(self.starts, x) - 1
        if i < 0:
            return x
        r = self.reps[i]
        if x == r.start:
            return r.new_start
        if x < r.end:
            return r.new_start if side == "start" else r.new_end
        return x + (r.new_end - r.end)

    def start(self, x: int) -> int:
        return self._map(x, "start")

    def end(self, x: int) -> int:
        return self._map(x, "end")


def rewrite(text: str, hits: list[Hit], pseudonyms: Pseudonyms) -> tuple[str, list[Replacement]]:
    parts: list[str] = []
    reps: list[Replacement] = []
    pos = new_pos = 0
    for h in hits:
        parts.append(text[pos:h.start])
        new_pos += h.start - pos
        pseudonym = pseudonyms.get(h)
        reps.append(Replacement(h.start, h.end, h.text, h.kind, pseudonym, new_pos))
        parts.append(pseudonym)
        new_pos += len(pseudonym)
        pos = h.end
    parts.append(text[pos:])
    return "".join(parts), reps


def context(text: str, r: Replacement, width: int = 30) -> str:
    """``...left [ORIGINAL -> PSEUDONYM] right...`` on one line."""
    left = text[max(0, r.start - width):r.start].replace("\n", " ")
    right = text[r.end:r.end + width].replace("\n", " ")
    return f"...{left}[{r.original} -> {r.pseudonym}]{right}..."
