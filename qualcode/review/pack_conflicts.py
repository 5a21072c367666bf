"""Reviewers who disagree: list the quotes whose review decisions conflict, and settle them by
preferring one reviewer (that reviewer's decision is applied, the differing ones are overruled)."""
from __future__ import annotations

from ..codebook.model import Codebook
from ..errors import ExchangeError
from ..store.codings import query_codings
from ..store.project import Project
from ..store.review_decisions import list_decisions, set_state
from .pack_import import ImportResult, describe_decisions, code_label, apply_decision
from .pack_model import parse_quote_id, quote_id


def _conflicted(conn, only: list[int] | None) -> dict[int, list]:
    open_ids = {d.coding_id for d in list_decisions(conn, state="conflict")}
    if only is not None:
        open_ids &= set(only)
    out: dict[int, list] = {}
    for d in list_decisions(conn, coding_ids=open_ids):
        out.setdefault(d.coding_id, []).append(d)
    return out


def list_conflicts(project: Project, book: Codebook | None = None) -> list[dict]:
    """One row per quote with conflicting decisions: quote, subtheme, text, decisions."""
    book = book or project.codebook()
    with project.engine.connect() as conn:
        found = _conflicted(conn, None)
        codings = {c.id: c for c in query_codings(conn, ids=list(found))}
    return [dict(quote=quote_id(cid), subtheme=code_label(book, codings[cid].code_id), text=codings[cid].snippet[:80],
                 decisions=describe_decisions([d for d in ds if d.state != "overruled"], book))
            for cid, ds in found.items() if cid in codings]


def parse_quote_ids(values: list[str]) -> list[int]:
    ids = []
    for v in values:
        parsed = parse_quote_id(v)
        if parsed is None:
            raise ExchangeError(f"not a quote id: {v!r} (quote ids look like Q123)")
        ids.append(parsed[0])
    return ids


def settle_conflicts(project: Project, prefer: str, quotes: list[str] | None = None,
                     book: Codebook | None = None) -> ImportResult:
    """Apply ``prefer``'s decision on each conflicting quote (all, or those in ``quotes``)."""
    book = book or project.codebook()
    only = parse_quote_ids(quotes) if quotes else None
    result = ImportResult()
    with project.engine.begin() as conn:
        found = _conflicted(conn, only)
        if only:
            missing = [quote_id(i) for i in only if i not in found]
            if missing:
                raise ExchangeError(f"no open conflict on {', '.join(missing)} (see 'qualcode review-pack conflicts')")
        codings = {c.id: c for c in query_codings(conn, ids=list(found))}
        for cid, decisions in found.items():
            chosen = next((d for d in decisions if d.reviewer == prefer), None)
            if chosen is None or cid not in codings:
                result.warnings.append(f"{quote_id(cid)}: {prefer} made no decision on it; left open")
                continue
            same = [d.id for d in decisions if (d.decision, d.move_to) == (chosen.decision, chosen.move_to)]
            set_state(conn, same, "applied")
            set_state(conn, [d.id for d in decisions if d.id not in same], "overruled")
            c = codings[cid]
            for change in apply_decision(conn, c, chosen.decision, chosen.move_to, prefer, book=book):
                result.changes.append(dict(quote=quote_id(cid), subtheme=code_label(book, c.code_id), change=change,
                                           reviewer=prefer))
    return result
