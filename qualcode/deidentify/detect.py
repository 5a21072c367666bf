"""Phone numbers, e-mail addresses and dates (regular expressions), and the combined search.

Phones: 9 to 15 digits in groups, with an optional +country code or (area) code:
``+263 77 123 4567``, ``077-123-4567``, ``(077) 123 4567``, ``0771234567``. Dates: ``12/03/2021``,
``2021-03-12``, ``12 March 2021``, ``12th of March``, ``March 12, 2021``, ``March 2021`` (month
names capitalised, so "may" the verb is left alone). Where matches overlap, the one that starts
first wins, then the longest (an e-mail address beats the name inside it). Pseudonyms already in
the text (``[NAME-2]``, from an earlier run) are never touched.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from .dates import WRITTEN
from .terms import Hit, TermMatcher, norm

PSEUDONYM = re.compile(rf"\[[A-Z][A-Z_]*(?:-\d+| [A-Z0-9+ -]+)?\]|{WRITTEN}")  # [NAME-2], [AGE 18-24], [CITY], [DATE May 2021]
EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){1,5}(?![\w])")
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|20)\d{2}"
DATE = re.compile(
    rf"(?<![\w/.-])(?:"
    rf"{_YEAR}-[01]?\d-[0-3]?\d"  # 2021-03-12
    rf"|\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})"  # 12/03/2021, 12.03.21
    rf"|{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?"  # 12 March 2021, 12th of March
    rf"|{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?"  # March 12, 2021
    rf"|{_MONTH}\s+{_YEAR}"  # March 2021
    rf")(?![\w/])")


def _phone_hits(text: str) -> list[Hit]:
    out = []
    for m in PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 9 <= len(digits) <= 15:
            out.append(Hit(m.start(), m.end(), m.group(), "PHONE", digits))
    return out


def find_hits(text: str, matcher: TermMatcher | None) -> list[Hit]:
    """Every identifier in ``text``, non-overlapping, in text order."""
    hits = [Hit(m.start(), m.end(), m.group(), "EMAIL", m.group().lower()) for m in EMAIL.finditer(text)]
    hits += [Hit(m.start(), m.end(), m.group(), "DATE", norm(m.group())) for m in DATE.finditer(text)]
    hits += _phone_hits(text)
    if matcher is not None:
        hits += matcher.find(text)
    priority = {"EMAIL": 0, "PHONE": 1, "DATE": 2}
    hits.sort(key=lambda h: (h.start, -(h.end - h.start), priority.get(h.kind, 3)))
    return non_overlapping(text, hits)


def non_overlapping(text: str, hits: list[Hit]) -> list[Hit]:
    """From ``hits`` sorted by preference (start, then longer, then kind), the ones that overlap neither
    an earlier choice nor a pseudonym an earlier run wrote (those stay as they are)."""
    done = [(m.start(), m.end()) for m in PSEUDONYM.finditer(text)]
    starts = [s for s, _ in done]
    chosen: list[Hit] = []
    for h in hits:
        i = bisect_left(starts, h.end) - 1  # the last pseudonym starting before the hit ends
        if i >= 0 and done[i][1] > h.start:
            continue
        if not chosen or h.start >= chosen[-1].end:
            chosen.append(h)
    return chosen
