"""Choose the quotes for a Table-3-style quote matrix from a project's codings."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..codebook.model import Code, Codebook
from ..coding.known_ids import unknown
from ..store.codings import CodingRow, query_codings
from ..store.project import Project
from ..store.transcripts import list_transcripts
from .quote_table import DomainBlock, Quote, QuoteTable, SubthemeRow
from .quotes import make_quote


@dataclass
class QuoteSelection:
    table: QuoteTable
    warnings: list[str] = field(default_factory=list)


def table_titles(project: Project, group: str | None) -> tuple[str, str]:
    settings = project.config.groups.get(group or "", {}) if group else {}
    title = str(settings.get("title", "Quotes"))
    subtitle = str(settings.get("subtitle", f"{group}" if group else "All participants"))
    return title, subtitle


def _rows_for(domain: Code, group: str | None) -> list[Code]:
    return [c for c in domain.walk() if c.parent is not None and c.applies_to(group)]


def select_quotes(project: Project, book: Codebook, *, group: str | None = None, domains: list[str] | None = None,
                  max_quotes: int | None = None, include_suggested: bool = False, coder: str | None = None,
                  title: str | None = None, subtitle: str | None = None, tidy: bool = False) -> QuoteSelection:
    """Accepted codings (plus suggestions when asked), exemplars first, in codebook order.

    Quotes are verbatim; ``tidy`` drops hesitation fillers at their ends, marked "[...]", and
    says in ``warnings`` how many quotes it changed.

    Several coders coding the same span with the same code give one quote. A code with no quote
    keeps its row (empty) and is named in ``warnings``.
    """
    statuses = ["accepted"] + (["suggested"] if include_suggested else [])
    with project.connect() as conn:
        rows = query_codings(conn, status=statuses, group=group, coder=coder)
        texts = {t.id: t.text for t in list_transcripts(conn)}
    by_code: dict[str, list[CodingRow]] = {}
    for r in rows:
        by_code.setdefault(r.code_id, []).append(r)
    default_title, default_subtitle = table_titles(project, group)
    table = QuoteTable(title=title or default_title, subtitle=subtitle if subtitle is not None else default_subtitle)
    selection = QuoteSelection(table, _orphan_warnings(rows, book))
    wanted = set(domains or [])
    known = {d.id for d in book.domains} | {d.label for d in book.domains}
    for name in sorted(wanted - known):  # a filter naming nothing is an error, never an empty table
        raise unknown("domain", name, [d.id for d in book.domains] + [d.label for d in book.domains],
                      "qualcode codebook show")
    picker = _QuotePicker(texts, max_quotes, tidy)
    for domain in book.domains_for_group(group):
        if wanted and domain.id not in wanted and domain.label not in wanted:
            continue
        block = DomainBlock(domain.id, domain.label)
        for code in _rows_for(domain, group):
            quotes = picker.pick(by_code.get(code.id, []))
            if not quotes:
                selection.warnings.append(f"no quote for {domain.label} / {code.label} ({code.id})")
            block.subthemes.append(SubthemeRow(code.id, code.label, quotes))
        table.domains.append(block)
    if picker.tidied:
        selection.warnings.append(f"--tidy removed hesitation fillers from {picker.tidied} quote(s); each removal is "
                                  "marked [...] in the table (leave out --tidy for the verbatim quotes)")
    return selection


def _orphan_warnings(rows: list[CodingRow], book: Codebook) -> list[str]:
    orphans = sorted({r.code_id for r in rows} - set(book.ids()))
    if not orphans:
        return []
    n = sum(1 for r in rows if r.code_id in orphans)
    return [f"{n} coding(s) use code id(s) not in this codebook and are not in the table: "
            f"{', '.join(orphans)} (renamed or removed? see 'qualcode segments --code ID')"]


@dataclass
class _QuotePicker:
    """One subtheme's quotes: exemplars first, then accepted, then suggested; one quote per span."""
    texts: dict[int, str]
    max_quotes: int | None
    tidy: bool
    tidied: int = 0

    def pick(self, codings: list[CodingRow]) -> list[Quote]:
        seen: set[tuple[int, int, int]] = set()
        quotes: list[Quote] = []
        for c in sorted(codings, key=lambda c: (not c.exemplar, c.status != "accepted", c.id)):
            if (c.transcript_id, c.start, c.end) in seen:
                continue
            seen.add((c.transcript_id, c.start, c.end))
            quotes.append(self._quote(c))
            if self.max_quotes and len(quotes) >= self.max_quotes:
                break
        return quotes

    def _quote(self, c: CodingRow) -> Quote:
        full = self.texts[c.transcript_id]
        text = make_quote(full, c.start, c.end, tidy=self.tidy)
        if self.tidy and text != make_quote(full, c.start, c.end):
            self.tidied += 1
        return Quote(text=text, attribution=c.participant_label, participant=c.pid or "", group=c.grp,
                     transcript=c.transcript, start=c.start, end=c.end, exemplar=bool(c.exemplar),
                     suggested=c.status == "suggested")
