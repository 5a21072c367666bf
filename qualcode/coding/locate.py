"""Find a quoted passage in a transcript's canonical text, tolerating typographic differences."""
from __future__ import annotations

import re
import unicodedata

_QUOTES = {"'": "['\u2018\u2019\u02bc`]", "\u2018": "['\u2018\u2019\u02bc`]", "\u2019": "['\u2018\u2019\u02bc`]",
           '"': '["\u201c\u201d]', "\u201c": '["\u201c\u201d]', "\u201d": '["\u201c\u201d]',
           "-": "[-\u2010\u2013\u2014]", "\u2013": "[-\u2010\u2013\u2014]", "\u2014": "[-\u2010\u2013\u2014]"}


def _pattern(quote: str) -> re.Pattern[str]:
    parts = []
    for token in quote.split():
        parts.append("".join(_QUOTES.get(ch, re.escape(ch)) for ch in token))
    return re.compile(r"\s+".join(parts))


def strip_ellipses(quote: str) -> str:
    """A quote as a table shows it may start or end with '...' that is not in the transcript."""
    q = quote.strip().strip('"\u201c\u201d').strip()
    q = re.sub(r"^(\.\.\.|\u2026)\s*", "", q)
    q = re.sub(r"\s*(\.\.\.|\u2026)$", "", q)
    return q.strip()


def find_all(text: str, quote: str) -> list[tuple[int, int]]:
    """Every (start, end) where ``quote`` occurs in ``text`` (exact first, then tolerant of spacing,
    straight/curly quotes and dashes)."""
    quote = quote.strip()
    if not quote:
        return []
    spans, i = [], text.find(quote)
    while i >= 0:
        spans.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    if spans:
        return spans
    spans = [(m.start(), m.end()) for m in _pattern(quote).finditer(text)]
    if spans or unicodedata.is_normalized("NFC", text) and unicodedata.is_normalized("NFC", quote):
        return spans
    return _find_nfc(text, unicodedata.normalize("NFC", quote))


def _find_nfc(text: str, quote: str) -> list[tuple[int, int]]:
    """Spans of ``quote`` in the NFC form of ``text``, as offsets into ``text`` itself.

    ``text`` is normalised one cluster (a character and its combining marks) at a time, so each
    character of the normalised text maps back to the cluster it came from.
    """
    nfc, starts, ends = [], [], []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        for ch in unicodedata.normalize("NFC", text[i:j]):
            nfc.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    return [(starts[s], ends[e - 1]) for s, e in find_all("".join(nfc), quote) if e > s]


def locate(text: str, quote: str, within: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    spans = find_all(text, quote)
    if not spans:
        spans = find_all(text, strip_ellipses(quote))
    if within:
        spans = [s for s in spans if s[0] >= within[0] and s[1] <= within[1]]
    return spans
