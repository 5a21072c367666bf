"""Review packs as plain data: the quotes a pack holds, the rows a reviewer sends back, and the
small rules both sides share (quote ids, checksums, decisions, "Move to" labels).

A quote's id is ``Q<coding id>`` (stable for the life of the coding). Its checksum is a short
SHA-256 of the coded text (``transcript.text[start:end]``) when the pack was made: on import a
different checksum means the project's text changed since, and the row is refused.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ..analysis.quotes import make_quote
from ..codebook.model import Code, Codebook
from ..errors import ExchangeError
from ..store.codings import query_codings
from ..store.project import Project
from ..store.transcripts import list_transcripts


DECISIONS = ("keep", "drop", "best")
COLUMNS = ["Quote ID", "Domain", "Subtheme", "Quote", "Attribution", "Decision", "Move to", "Comment", "Coded by"]
DOCX_COLUMNS = ["Quote ID", "Subtheme", "Quote", "Attribution", "Decision", "Comment", "Coded by"]
CHECKSUM_COLUMN = "Checksum"
SAME_PASSAGE_COLUMN = "Same passage"  # hidden: the other codings of the passage, "Q40 #ab12 +Q77 #cd34"
_QUOTE_ID = re.compile(r"^\s*Q\s*(\d+)\s*(?:#\s*([0-9a-f]+))?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class PackQuote:
    """One quote as exported."""

    coding_id: int
    group: str
    domain_id: str
    domain_label: str
    subtheme_id: str
    subtheme_label: str
    quote: str
    attribution: str
    checksum: str
    exemplar: bool
    status: str
    coders: tuple[str, ...] = ()
    also: tuple[tuple[int, str], ...] = ()  # other codings of the same passage: (coding id, checksum)

    @property
    def quote_id(self) -> str:
        return quote_id(self.coding_id)

    @property
    def same_passage(self) -> str:
        """The other codings of this passage as the pack carries them: "Q40 #ab12 +Q77 #cd34"."""
        return " +".join(f"{quote_id(i)} #{c}" for i, c in self.also)


@dataclass(frozen=True)
class PackRow:
    """One row as read back from a reviewer's pack. ``where`` says where it is, for messages."""

    where: str
    quote_id: str
    decision: str = ""
    move_to: str = ""
    comment: str = ""
    checksum: str | None = None
    quote: str = ""
    also: tuple[tuple[int, str | None], ...] = ()  # the same passage coded again (see PackQuote.also)

    def is_blank(self) -> bool:
        return not (self.quote_id.strip() or self.decision.strip() or self.move_to.strip() or self.comment.strip())

    def has_input(self) -> bool:
        return bool(self.decision.strip() or self.move_to.strip() or self.comment.strip())


def quote_id(coding_id: int) -> str:
    return f"Q{coding_id}"


def parse_quote_id(text: str) -> tuple[int, str | None] | None:
    """``"Q12"`` -> (12, None); ``"Q12 #ab12"`` -> (12, "ab12"); anything else -> None."""
    m = _QUOTE_ID.match(text or "")
    return (int(m.group(1)), m.group(2).lower() if m.group(2) else None) if m else None


def parse_same_passage(text: str) -> tuple[tuple[int, str | None], ...] | None:
    """``"Q40 #ab12 +Q77 #cd34"`` -> ((40, "ab12"), (77, "cd34")); "" -> (); None when unreadable."""
    parts = [p for p in (text or "").split("+") if p.strip()]
    parsed = [parse_quote_id(p) for p in parts]
    return None if any(p is None for p in parsed) else tuple(parsed)


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def parse_decision(text: str) -> str | None:
    """A reviewer's decision: keep, drop, best or "" (blank); None when it cannot be read."""
    value = (text or "").strip().lower().rstrip(".!")
    if not value:
        return ""
    return value if value in DECISIONS else None


def same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def subthemes(book: Codebook, group: str | None) -> list[Code]:
    """The codes a quote of ``group`` can be moved to (every code below a domain, in order)."""
    return [c for c in book.codes() if c.applies_to(group or None)]


def move_labels(book: Codebook, group: str | None) -> dict[str, str]:
    """Display label -> code id for the "Move to" drop-down of ``group``; a label used by two
    subthemes is shown as "Label (Domain)"."""
    codes = subthemes(book, group)
    counts: dict[str, int] = {}
    for c in codes:
        counts[c.label.lower()] = counts.get(c.label.lower(), 0) + 1
    return {(c.label if counts[c.label.lower()] == 1 else f"{c.label} ({c.domain.label})"): c.id for c in codes}


def resolve_move(book: Codebook, group: str | None, text: str) -> tuple[str | None, str]:
    """The code id a "Move to" label means within ``group`` (case-insensitive; a code id works
    too), or (None, why not)."""
    wanted = " ".join(text.split()).lower()
    labels = move_labels(book, group)
    for label, code_id in labels.items():
        if label.lower() == wanted or code_id.lower() == wanted:
            return code_id, ""
    same = [cid for label, cid in labels.items() if label.lower().startswith(wanted + " (")]
    if len(same) > 1:
        return None, f"'{text}' is the label of {len(same)} subthemes: choose one from the drop-down, e.g. " + \
            ", ".join(f"'{label}'" for label, cid in labels.items() if cid in same)
    return None, f"'{text}' is not a subtheme for {group or 'this group'} (choose one from the drop-down)"


def collect_quotes(project: Project, book: Codebook, *, group: str | None = None, domains: list[str] | None = None,
                   statuses: list[str] | None = None, coder: str | None = None) -> tuple[list[PackQuote], int]:
    """The quotes for a pack, per domain and subtheme in codebook order (exemplars first), and the
    number of codings left out because their code is not in the codebook."""
    codes = None
    if domains:
        unknown = [d for d in domains if book.get(d) is None or book.get(d).parent is not None]
        if unknown:
            raise ExchangeError(f"unknown domain {', '.join(unknown)} (domains: {', '.join(d.id for d in book.domains)})")
        codes = [c.id for d in domains for c in book.get(d).walk()]
    order = {c.id: i for i, c in enumerate(book.walk())}
    with project.engine.connect() as conn:
        texts = {t.id: t.text for t in list_transcripts(conn)}
        rows = query_codings(conn, code=codes, coder=coder, status=statuses or ["suggested", "accepted"], group=group)
    quotes, skipped = [], 0
    for passage in same_passages(rows):
        r = passage[0]
        code = book.get(r.code_id)
        if code is None:
            skipped += len(passage)
            continue
        text = texts[r.transcript_id]
        domain = code.domain
        quotes.append(PackQuote(
            coding_id=r.id, group=r.grp, domain_id=domain.id, domain_label=domain.label,
            subtheme_id=code.id if code.parent else "", subtheme_label=code.label if code.parent else "",
            quote=make_quote(text, r.start, r.end), attribution=r.participant_label,
            checksum=checksum(text[r.start:r.end]), exemplar=any(o.exemplar for o in passage), status=r.status,
            coders=tuple(dict.fromkeys(o.coder for o in passage)),
            also=tuple((o.id, checksum(text[o.start:o.end])) for o in passage[1:])))
    position = {r.id: i for i, r in enumerate(rows)}  # transcript, then place in the transcript
    quotes.sort(key=lambda q: (q.group, order[q.domain_id], order.get(q.subtheme_id, -1), not q.exemplar,
                               position[q.coding_id]))
    return quotes, skipped


def same_passages(rows: list) -> list[list]:
    """Codings grouped by passage: the same code in the same transcript on the same span, whoever
    coded it, plus a longer span (a full turn) holding exactly one such passage (its trimmed
    quote). A span holding two different quotes stays a row of its own. Each group starts with
    the coding the pack shows: accepted first, then exemplars, then the shortest."""
    exact: dict[tuple, list] = {}
    for r in rows:
        exact.setdefault((r.grp, r.transcript_id, r.code_id, r.start, r.end), []).append(r)
    passages: list[list] = []
    for key, same in sorted(exact.items(), key=lambda kv: kv[0][4] - kv[0][3]):
        inside = [p for p in passages if p[0].transcript_id == key[1] and p[0].code_id == key[2]
                  and p[0].grp == key[0] and any(key[3] <= o.start and o.end <= key[4] for o in p)]
        if len(inside) == 1:
            inside[0].extend(same)
        else:
            passages.append(list(same))
    passages = [sorted(c, key=lambda r: (r.status != "accepted", not r.exemplar, r.end - r.start, r.id))
                for c in passages]
    order = {r.id: i for i, r in enumerate(rows)}
    return sorted(passages, key=lambda c: order[c[0].id])
