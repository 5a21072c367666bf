"""Manual coding: add, remove, accept, reject, recode, mark exemplars, memos.

Every change records who made it. Each call is one transaction.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..codebook.model import Codebook
from ..errors import CodingError
from ..store.codings import (CodingRow, add_memo, delete_codings, delete_memo, insert_codings,
                             query_codings, update_codings)
from ..store.project import Project
from ..store.transcripts import TranscriptRow, get_transcript, get_turns
from .locate import locate


def check_code(book: Codebook, code_id: str) -> None:
    if book.get(code_id) is None:
        hint = difflib.get_close_matches(code_id, book.ids(), n=3)
        extra = f" (did you mean {', '.join(hint)}?)" if hint else " (see 'qualcode codebook show')"
        raise CodingError(f"unknown code {code_id!r}{extra}")


def resolve_span(conn, t: TranscriptRow, *, start: int | None = None, end: int | None = None,
                 unit: int | None = None, quote: str | None = None) -> tuple[int, int]:
    """The (start, end) a user means: explicit offsets, a turn index, or a quote found in the text
    (inside the turn when both ``unit`` and ``quote`` are given)."""
    within = None
    if unit is not None:
        turns = {turn.index: turn for turn in get_turns(conn, t.id)}
        if unit not in turns:
            raise CodingError(f"transcript {t.name!r} has no unit {unit} (units 0-{max(turns) if turns else -1})")
        within = (turns[unit].start, turns[unit].end)
    if quote:
        spans = locate(t.text, quote, within)
        if not spans:
            raise CodingError(f"quote not found in {t.name!r}: {quote[:70]!r}")
        if len(spans) > 1:
            raise CodingError(f"quote occurs {len(spans)} times in {t.name!r} (at {', '.join(str(s[0]) for s in spans[:5])}); "
                              "give --unit or --start/--end")
        return spans[0]
    if within is not None:
        return within
    if start is None or end is None:
        raise CodingError("say what to code: --start and --end, --unit, or --quote")
    if not 0 <= start < end <= len(t.text):
        raise CodingError(f"offsets {start}-{end} are outside transcript {t.name!r} (its text has {len(t.text)} characters)")
    return start, end


def add_coding(project: Project, transcript: str, code_id: str, coder: str, *, start: int | None = None,
               end: int | None = None, unit: int | None = None, quote: str | None = None, exemplar: bool = False,
               memo: str = "", status: str = "accepted") -> CodingRow:
    check_code(project.codebook(), code_id)
    with project.engine.begin() as conn:
        t = get_transcript(conn, transcript)
        s, e = resolve_span(conn, t, start=start, end=end, unit=unit, quote=quote)
        insert_codings(conn, [dict(transcript_id=t.id, start=s, end=e, snippet=t.text[s:e], code_id=code_id,
                                   coder=coder, origin="manual", status=status, exemplar=exemplar, memo=memo)])
        rows = [c for c in query_codings(conn, transcript_id=t.id, code=code_id, coder=coder) if (c.start, c.end) == (s, e)]
        if exemplar or memo:
            update_codings(conn, [rows[0].id], **({"exemplar": True} if exemplar else {}), **({"memo": memo} if memo else {}))
        return query_codings(conn, ids=[rows[0].id])[0]


@dataclass
class Selection:
    """Which codings a command acts on: explicit ids, or everything matching the filters."""

    ids: list[int] | None = None
    code: str | None = None
    coder: str | None = None
    status: str | None = None
    transcript: str | None = None
    group: str | None = None
    participant: str | None = None

    def empty(self) -> bool:
        return not self.ids and not any((self.code, self.coder, self.status, self.transcript, self.group, self.participant))


def select(conn, sel: Selection) -> list[CodingRow]:
    if sel.empty():
        raise CodingError("say which codings: give coding ids or a filter (--code, --coder, --status, --transcript, ...)")
    tid = get_transcript(conn, sel.transcript).id if sel.transcript else None
    rows = query_codings(conn, ids=sel.ids or None, code=sel.code, coder=sel.coder, status=sel.status,
                         transcript_id=tid, group=sel.group, participant=sel.participant)
    if sel.ids:
        missing = sorted(set(sel.ids) - {r.id for r in rows})
        if missing:
            raise CodingError(f"no coding with id {', '.join(map(str, missing))} (see 'qualcode segments')")
    return rows


def _check(project: Project, sel: Selection) -> None:
    from .known_ids import check_filters

    check_filters(project, code=sel.code, group=sel.group, participant=sel.participant, coder=sel.coder)


def set_status(project: Project, sel: Selection, status: str, by: str, *, exemplar: bool | None = None,
               memo: str | None = None) -> list[CodingRow]:
    _check(project, sel)
    with project.begin() as conn:
        rows = select(conn, sel)
        values: dict = {"status": status, "decided_by": by}
        if exemplar is not None:
            values["exemplar"] = exemplar
        if memo:
            values["memo"] = memo
        update_codings(conn, [r.id for r in rows], **values)
        return rows


def edit_coding(project: Project, coding_id: int, by: str, *, code_id: str | None = None, exemplar: bool | None = None,
                memo: str | None = None) -> CodingRow:
    """Recode, mark or unmark as exemplar, or set the memo of one coding."""
    if code_id:
        check_code(project.codebook(), code_id)
    with project.engine.begin() as conn:
        [row] = select(conn, Selection(ids=[coding_id]))
        values: dict = {"decided_by": by}
        if code_id and code_id != row.code_id:
            clash = [c for c in query_codings(conn, transcript_id=row.transcript_id, code=code_id, coder=row.coder)
                     if (c.start, c.end) == (row.start, row.end)]
            if clash:
                raise CodingError(f"coding {clash[0].id} already codes this text as {code_id!r}")
            values["code_id"] = code_id
        if exemplar is not None:
            values["exemplar"] = exemplar
        if memo is not None:
            values["memo"] = memo
            add_memo(conn, kind="note", text=memo, author=by, transcript_id=row.transcript_id, coding_id=row.id)
        update_codings(conn, [row.id], **values)
        return query_codings(conn, ids=[row.id])[0]


def get_codings(project: Project, ids: list[int]) -> list[CodingRow]:
    """The codings with these ids; an unknown id is an error naming it."""
    with project.connect() as conn:
        return select(conn, Selection(ids=list(ids)))


def remove_codings(project: Project, sel: Selection) -> list[CodingRow]:
    _check(project, sel)
    with project.begin() as conn:
        rows = select(conn, sel)
        delete_codings(conn, [r.id for r in rows])
        return rows


def restore_coding(project: Project, coding_id: int, *, code_id: str, status: str, exemplar: bool,
                   decided_by: str, memo: str) -> CodingRow:
    """Put one coding's editable fields back as they were (the undo of a review step)."""
    with project.engine.begin() as conn:
        select(conn, Selection(ids=[coding_id]))
        update_codings(conn, [coding_id], code_id=code_id, status=status, exemplar=exemplar,
                       decided_by=decided_by, memo=memo)
        return query_codings(conn, ids=[coding_id])[0]


def add_coding_memo(project: Project, coding_id: int, text: str, by: str, *, kind: str = "note") -> int:
    """A memo on one coding (also shown as the coding's memo); returns the memo id."""
    with project.engine.begin() as conn:
        [row] = select(conn, Selection(ids=[coding_id]))
        memo_id = add_memo(conn, kind=kind, text=text, author=by, transcript_id=row.transcript_id, coding_id=row.id)
        update_codings(conn, [row.id], memo=text)
        return memo_id


def remove_coding_memo(project: Project, memo_id: int, *, coding_id: int, coding_memo: str) -> None:
    """Delete a memo made by :func:`add_coding_memo` and put back the coding's previous memo."""
    with project.engine.begin() as conn:
        delete_memo(conn, memo_id)
        if query_codings(conn, ids=[coding_id]):
            update_codings(conn, [coding_id], memo=coding_memo)

