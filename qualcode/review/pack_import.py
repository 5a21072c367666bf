"""Apply a reviewer's pack to the project, all or nothing.

drop -> rejected; keep -> accepted; best -> accepted + exemplar; "Move to" -> recoded to that
subtheme; a comment -> a memo (kind "comment", author = the reviewer) on the coding. Each
reviewer's decision is recorded (``review_decisions``). A decision that differs from another
reviewer's is not applied: it is listed as a conflict for the analyst to settle (``prefer``
names the reviewer whose decision wins, at import or later with :func:`settle_conflicts`).

Every row is checked first; any row that cannot be read, or whose quote no longer matches the
project (coding deleted, text changed), stops the import with the list of those rows and the
project unchanged. Importing the same pack again changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from ..codebook.model import Codebook
from ..errors import ExchangeError, Problem
from ..store.codings import CodingRow, add_memo, list_memos, query_codings, update_codings
from ..store.project import Project
from ..store.review_decisions import ReviewDecision, list_decisions, record_decision, set_state
from ..store.transcripts import get_transcript
from .pack_model import (DECISIONS, PackRow, checksum, make_quote, parse_decision, parse_quote_id, quote_id,
                         resolve_move, same_text)
from .pack_read import read_pack


@dataclass(frozen=True)
class Wanted:
    """What one reviewer asks for one quote."""

    coding: CodingRow
    decision: str  # keep | drop | best | ""
    move_to: str  # code id or ""
    comment: str


@dataclass
class ImportResult:
    rows: int = 0
    changes: list[dict] = field(default_factory=list)  # quote, subtheme, change, reviewer
    conflicts: list[dict] = field(default_factory=list)  # quote, subtheme, text, decisions
    warnings: list[str] = field(default_factory=list)


def import_pack(project: Project, path: Path, reviewer: str, *, prefer: str | None = None,
                book: Codebook | None = None) -> ImportResult:
    reviewer = reviewer.strip()
    if not reviewer:
        raise ExchangeError("say who reviewed the pack: --reviewer NAME")
    book = book or project.codebook()
    rows = read_pack(path)
    result = ImportResult(rows=len(rows))
    with project.engine.begin() as conn:
        wanted = _check(conn, book, path, rows, result)
        recorded = _by_coding(list_decisions(conn, coding_ids=[w.coding.id for w in wanted]))
        for w in wanted:
            _apply_one(conn, book, w, reviewer, prefer, recorded.get(w.coding.id, []), path.name, result)
    return result


# -- checking ----------------------------------------------------------------------------------
def _check(conn: sa.Connection, book: Codebook, path: Path, rows: list[PackRow], result: ImportResult) -> list[Wanted]:
    problems: list[Problem] = []

    def bad(row: PackRow, message: str) -> None:
        label = f" ({row.quote_id})" if row.quote_id else ""
        problems.append(Problem(str(path), None, None, f"{row.where}{label}: {message}"))

    parsed = {}
    for row in rows:
        pid = parse_quote_id(row.quote_id)
        if pid is None:
            if row.has_input():
                bad(row, "no readable Quote ID (it looks like Q123): was it changed?")
            continue
        parsed[id(row)] = pid[0]
    ids = set(parsed.values()) | {i for row in rows if id(row) in parsed for i, _ in row.also}
    codings = {c.id: c for c in query_codings(conn, ids=ids)} if parsed else {}
    texts: dict[int, str] = {}
    wanted: dict[int, tuple[PackRow, Wanted]] = {}
    for row in rows:
        if id(row) not in parsed:
            continue
        coding = codings.get(parsed[id(row)])
        if coding is None:
            bad(row, "this quote is no longer in the project (its coding was deleted); make a new pack")
            continue
        if coding.transcript_id not in texts:
            texts[coding.transcript_id] = get_transcript(conn, coding.transcript_id).text
        text = texts[coding.transcript_id]
        try:
            w = _row_wanted(conn, book, row, coding, text, result)
        except _RowProblem as problem:
            bad(row, str(problem))
            continue
        if not _same_passage(conn, codings, texts, row, w, wanted, bad):
            continue
        if coding.id in wanted:
            first_row, first = wanted[coding.id]
            if (first.decision, first.move_to) != (w.decision, w.move_to):
                bad(row, f"the same quote has a different decision at {first_row.where}")
                continue
            w = Wanted(coding, w.decision, w.move_to, _join(first.comment, w.comment))
            row = first_row
        wanted[coding.id] = (row, w)
    if problems:
        raise ExchangeError(f"{path}: {len(problems)} row(s) cannot be imported; nothing was changed", problems)
    return [w for _row, w in wanted.values()]


class _RowProblem(ValueError):
    """Why one pack row cannot be imported."""


def _row_wanted(conn: sa.Connection, book: Codebook, row: PackRow, coding, text: str,
                result: ImportResult) -> Wanted:
    """What one row asks for, checked against the project: the quote unchanged, a readable decision,
    a "Move to" subtheme that exists for the group and does not clash with an existing coding."""
    quote_now = make_quote(text, coding.start, coding.end)
    if row.checksum:
        if row.checksum != checksum(text[coding.start:coding.end]):
            raise _RowProblem("the quote's text changed in the project since this pack was made; make a new pack")
    elif row.quote and not same_text(row.quote, quote_now):
        raise _RowProblem("the quote's text does not match the project; make a new pack")
    decision = parse_decision(row.decision)
    if decision is None:
        raise _RowProblem(f"cannot read the decision {row.decision!r} (use {', '.join(DECISIONS)}, or leave it empty)")
    move = ""
    if row.move_to.strip():
        move, why = resolve_move(book, coding.grp, row.move_to)
        if move is None:
            raise _RowProblem(f"Move to: {why}")
        if move != coding.code_id and _clash(conn, coding, move):
            raise _RowProblem(f"Move to: this text is already coded as {row.move_to!r}")
    if row.checksum and row.quote and not same_text(row.quote, quote_now):
        result.warnings.append(f"{row.where} ({row.quote_id}): the quote's words were edited; edits are not kept")
    return Wanted(coding, decision, move, row.comment.strip())


def _same_passage(conn, codings, texts, row: PackRow, w: Wanted, wanted: dict, bad) -> bool:
    """The row's decision also goes to the other codings of its passage (other coders' copies,
    a trimmed quote's full turn), each checked like the row itself; False after a problem."""
    for other_id, check in row.also:
        other = codings.get(other_id)
        if other is None:
            bad(row, f"Q{other_id}, the same passage coded again, is no longer in the project; make a new pack")
            return False
        if other.transcript_id not in texts:
            texts[other.transcript_id] = get_transcript(conn, other.transcript_id).text
        if check and check != checksum(texts[other.transcript_id][other.start:other.end]):
            bad(row, "the quote's text changed in the project since this pack was made; make a new pack")
            return False
        if w.move_to and w.move_to != other.code_id and _clash(conn, other, w.move_to):
            bad(row, f"Move to: Q{other_id} (the same passage) is already coded as {row.move_to!r}")
            return False
        if other.id not in wanted:
            wanted[other.id] = (row, Wanted(other, w.decision, w.move_to, ""))
    return True


def _join(a: str, b: str) -> str:
    return a if b == a or not b else (b if not a else f"{a}\n{b}")


def _clash(conn: sa.Connection, coding: CodingRow, code_id: str) -> bool:
    return any((c.start, c.end) == (coding.start, coding.end)
               for c in query_codings(conn, transcript_id=coding.transcript_id, code=code_id, coder=coding.coder))


def _by_coding(decisions: list[ReviewDecision]) -> dict[int, list[ReviewDecision]]:
    out: dict[int, list[ReviewDecision]] = {}
    for d in decisions:
        out.setdefault(d.coding_id, []).append(d)
    return out


# -- applying ----------------------------------------------------------------------------------
def _apply_one(conn: sa.Connection, book: Codebook, w: Wanted, reviewer: str, prefer: str | None,
               recorded: list[ReviewDecision], pack: str, result: ImportResult) -> None:
    c = w.coding
    qid, subtheme = quote_id(c.id), code_label(book, c.code_id)
    if w.comment and not any(m.text == w.comment for m in list_memos(conn, "comment", coding_id=c.id, author=reviewer)):
        add_memo(conn, kind="comment", text=w.comment, author=reviewer, transcript_id=c.transcript_id, coding_id=c.id)
        result.changes.append(dict(quote=qid, subtheme=subtheme, change="comment added", reviewer=reviewer))
    if not (w.decision or w.move_to):
        return
    mine = next((d for d in recorded if d.reviewer == reviewer), None)
    others = [d for d in recorded if d.reviewer != reviewer and d.state != "overruled" and (d.decision or d.move_to)]
    differ = [d for d in others if (d.decision, d.move_to) != (w.decision, w.move_to)]
    conflict = dict(quote=qid, subtheme=subtheme, text=c.snippet[:80],
                    decisions=describe_decisions([*others, _as_decision(w, reviewer)], book))
    if mine is not None and (mine.decision, mine.move_to) == (w.decision, w.move_to) and not (prefer and differ):
        if differ:  # already recorded: nothing changes (an analyst's later change is not undone)
            result.conflicts.append(conflict)
        return
    state = "applied"
    if differ:
        winner = prefer if prefer in {reviewer, *(d.reviewer for d in differ)} else None
        state = "conflict" if winner is None else ("applied" if winner == reviewer else "overruled")
    if mine is None or (mine.decision, mine.move_to, mine.state) != (w.decision, w.move_to, state):
        record_decision(conn, coding_id=c.id, reviewer=reviewer, decision=w.decision, move_to=w.move_to,
                        state=state, pack=pack)
    if state == "conflict":
        result.conflicts.append(conflict)
        return
    win = w if state == "applied" else _wanted_from(next(d for d in differ if d.reviewer == prefer), c)
    win_reviewer = reviewer if state == "applied" else prefer
    loser_ids = [d.id for d in others if (d.decision, d.move_to) != (win.decision, win.move_to) and d.state != "overruled"]
    set_state(conn, loser_ids, "overruled")
    set_state(conn, [d.id for d in others if (d.decision, d.move_to) == (win.decision, win.move_to)
                     and d.state != "applied"], "applied")
    before_best = mine is not None and mine.decision == "best" and win_reviewer == reviewer
    for change in apply_decision(conn, c, win.decision, win.move_to, win_reviewer, unset_exemplar=before_best, book=book):
        result.changes.append(dict(quote=qid, subtheme=subtheme, change=change, reviewer=win_reviewer))


def apply_decision(conn: sa.Connection, c: CodingRow, decision: str, move_to: str, by: str, *,
                   unset_exemplar: bool = False, book: Codebook | None = None) -> list[str]:
    """Bring coding ``c`` in line with a decision; returns what changed (empty when nothing did)."""
    values: dict = {}
    if decision == "drop":
        values.update(status="rejected", exemplar=False)
    elif decision == "best":
        values.update(status="accepted", exemplar=True)
    elif decision == "keep":
        values.update(status="accepted", **({"exemplar": False} if unset_exemplar else {}))
    if move_to:
        values["code_id"] = move_to
    values = {k: v for k, v in values.items() if getattr(c, k) != v}
    if not values:
        return []
    changes = []
    if "status" in values:
        changes.append(values["status"])
    if values.get("exemplar") is True:
        changes.append("marked best (exemplar)")
    elif values.get("exemplar") is False and c.exemplar:
        changes.append("no longer exemplar")
    if "code_id" in values:
        changes.append(f"moved to {code_label(book, move_to) if book else move_to}")
    update_codings(conn, [c.id], decided_by=by, **values)
    return [", ".join(changes)]


def code_label(book: Codebook | None, code_id: str) -> str:
    code = book.get(code_id) if book else None
    return code.label if code else code_id


def _as_decision(w: Wanted, reviewer: str) -> ReviewDecision:
    return ReviewDecision(0, w.coding.id, reviewer, w.decision, w.move_to, "conflict", "", "", "")


def _wanted_from(d: ReviewDecision, c: CodingRow) -> Wanted:
    return Wanted(c, d.decision, d.move_to, "")


def describe_decisions(decisions: list[ReviewDecision], book: Codebook) -> str:
    parts = []
    for d in decisions:
        what = d.decision or "no decision"
        if d.move_to:
            what += f", move to {code_label(book, d.move_to)}"
        parts.append(f"{d.reviewer}: {what}")
    return "; ".join(parts)
