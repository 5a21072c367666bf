"""The data behind a quote table (Domain | Subtheme | Verbatim quote(s)), independent of format.

A ``QuoteTable`` holds domains in display order; each domain holds its subthemes and each
subtheme its quotes, already selected and ordered by the caller (exemplars first, if wanted).
Writers never reorder or drop anything: an empty subtheme keeps its row.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator


@dataclass
class Quote:
    """One verbatim quote and where it came from (offsets into the transcript's canonical text)."""

    text: str
    attribution: str  # e.g. "Respondent D3", shown in brackets after the quote
    participant: str = ""
    group: str = ""
    transcript: str = ""
    start: int = 0
    end: int = 0
    exemplar: bool = False
    suggested: bool = False  # an engine suggestion not yet accepted by a coder


@dataclass
class SubthemeRow:
    code_id: str
    label: str
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class DomainBlock:
    code_id: str
    label: str
    subthemes: list[SubthemeRow] = field(default_factory=list)


@dataclass
class QuoteTable:
    title: str  # e.g. "Table 3"
    domains: list[DomainBlock] = field(default_factory=list)
    subtitle: str = ""  # e.g. "Young person's views"
    header: tuple[str, str, str] = ("Domain", "Subtheme", "Verbatim quote(s)")


def empty_subthemes(table: QuoteTable) -> list[tuple[str, str]]:
    """``(domain code_id, subtheme code_id)`` of every subtheme without a quote, in table order."""
    return [(d.code_id, s.code_id) for d in table.domains for s in d.subthemes if not s.quotes]


def iter_rows(table: QuoteTable) -> Iterator[tuple[DomainBlock, SubthemeRow | None, bool]]:
    """Yield ``(domain, subtheme, first_of_domain)`` per table row.

    A domain without subthemes still yields one row (with ``subtheme=None``) so it is not lost.
    """
    for domain in table.domains:
        if not domain.subthemes:
            yield domain, None, True
            continue
        for i, sub in enumerate(domain.subthemes):
            yield domain, sub, i == 0


_OPEN_QUOTES = "\"“„'‘"
_CLOSE_QUOTES = "\"”'’"


def quoted(text: str) -> str:
    """``text`` inside curly double quotation marks, unless it already carries its own."""
    text = text.strip()
    if len(text) >= 2 and text[0] in _OPEN_QUOTES and text[-1] in _CLOSE_QUOTES:
        return text
    return f"“{text}”"


def unbroken(attribution: str) -> str:
    """``attribution`` with no-break spaces, so "Lay counsellor R3" never splits at a line end."""
    return "\u00a0".join(attribution.split())


def quote_count(table: QuoteTable) -> int:
    return sum(len(s.quotes) for d in table.domains for s in d.subthemes)


QUOTE_COLUMNS = ("domain", "subtheme", "quote", "attribution", "participant", "group",
                 "transcript", "start", "end", "exemplar")


def quote_records(table: QuoteTable) -> Iterator[dict]:
    """One flat record per quote (keys: ``QUOTE_COLUMNS``), in table order.

    A subtheme (or domain) without quotes gives one record with only its labels filled, so
    nothing in the table is dropped from a spreadsheet export. ``start``/``end`` are ints and
    ``exemplar`` a bool on quote records; ``None`` on those placeholder records.
    """
    for domain, sub, _first in iter_rows(table):
        label = sub.label if sub is not None else ""
        quotes = sub.quotes if sub is not None else []
        if not quotes:
            yield {"domain": domain.label, "subtheme": label, "quote": "", "attribution": "",
                   "participant": "", "group": "", "transcript": "", "start": None, "end": None,
                   "exemplar": None}
        for q in quotes:
            yield {"domain": domain.label, "subtheme": label, "quote": q.text,
                   "attribution": q.attribution, "participant": q.participant, "group": q.group,
                   "transcript": q.transcript, "start": q.start, "end": q.end,
                   "exemplar": q.exemplar}
