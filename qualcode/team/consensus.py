"""Consensus between two coders: record decisions on their disagreements, then build a consensus coder.

The consensus coder NAME holds, for every unit x code of the compared transcripts:
- where both coders applied the code: a copy of coder A's coding(s) there (A = the first coder named),
  clipped to the unit (a coding spanning two units is copied once per unit it is agreed on);
- where one coder applied it and the pair decided ``include``: a copy of that coder's coding(s), clipped.
Copies have origin "consensus", status accepted, and are exemplars when either coder marked one.
Undecided disagreements are listed, not dropped silently. Rebuilding is idempotent: codings no longer
warranted (a decision changed to exclude) are removed, missing ones added, nothing else changes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AgreementError, ExchangeError, Problem
from ..store.codings import CodingRow, delete_codings, insert_codings, query_codings, update_codings
from ..store.project import Project
from ..store.team import coder_origins, record_decisions
from .disagreements import Disagreement, Disagreements, find_disagreements, parse_pair
from .sheets import parse_decision, read_sheet
from .units import DEFAULT_STATUSES

DECISIONS = ("include", "exclude")


def decide(project: Project, coders: str | tuple[str, str], transcript: str, unit_idx: int, code: str,
           decision: str, *, note: str = "", by: str = "", unit: str = "turn",
           statuses: tuple[str, ...] = DEFAULT_STATUSES) -> Disagreement:
    """Record the pair's decision on one disagreement (replacing an earlier one)."""
    if decision not in DECISIONS:
        raise AgreementError(f"decision must be include or exclude, not {decision!r}")
    found = find_disagreements(project, coders, unit=unit, statuses=statuses)
    match = [d for d in found.items if d.transcript == transcript and d.unit == unit_idx and d.code == code]
    if not match:
        known = sorted({d.transcript for d in found.items})
        raise AgreementError(f"{unit} {unit_idx} of {transcript!r} is not a disagreement between "
                             f"{found.coders[0]} and {found.coders[1]} on {code!r} (see 'qualcode disagreements "
                             f"--coders {','.join(found.coders)}'; transcripts with disagreements: "
                             f"{', '.join(known) or 'none'})")
    d = match[0]
    with project.engine.begin() as conn:
        record_decisions(conn, found.key, [dict(transcript_id=d.transcript_id, unit_idx=d.unit, code_id=d.code,
                                                decision=decision, decided_by=by, note=note)])
    d.decision, d.note, d.decided_by = decision, note, by
    return d


@dataclass
class DecisionImport:
    decided: int  # rows with include/exclude recorded
    undecided: int  # rows left empty
    unit: str
    coders: tuple[str, str]


def import_decisions(project: Project, path: Path, coders: str | tuple[str, str], *, by: str = "",
                     statuses: tuple[str, ...] = DEFAULT_STATUSES) -> DecisionImport:
    """Read a filled-in disagreements sheet (.xlsx, .docx or .md). Every row is checked first; nothing is
    recorded unless all rows can be read."""
    pair = parse_pair(coders)
    sheet = read_sheet(path)
    if sheet.coders and set(sheet.coders) != set(pair):
        raise ExchangeError(f"{path}: this sheet is for coders {', '.join(sheet.coders)}, not {', '.join(pair)}")
    found = find_disagreements(project, pair, unit=sheet.unit, statuses=statuses)
    index = {(d.transcript, d.unit, d.code): d for d in found.items}
    problems: list[Problem] = []
    rows, undecided = [], 0
    for r in sheet.rows:
        def bad(message: str) -> None:
            problems.append(Problem(str(path), r.where, None, f"{sheet.what} {r.where}: {message}"))
        decision = parse_decision(r.decision)
        if decision is None:
            bad(f"cannot read decision {r.decision!r}: write include or exclude, or leave it empty")
            continue
        if not decision:
            undecided += 1
            continue
        try:
            unit_idx = int(float(r.unit))
        except ValueError:
            bad(f"{sheet.unit} {r.unit!r} is not a number")
            continue
        d = index.get((r.transcript, unit_idx, r.code))
        if d is None:
            bad(f"{sheet.unit} {unit_idx} of {r.transcript!r} on {r.code!r} is not a current disagreement between "
                f"{pair[0]} and {pair[1]} (were codings changed after the sheet was written?)")
            continue
        rows.append(dict(transcript_id=d.transcript_id, unit_idx=d.unit, code_id=d.code, decision=decision,
                         decided_by=by, note=r.note))
    if problems:
        raise ExchangeError(f"{path}: {len(problems)} row(s) cannot be read; nothing was recorded", problems)
    with project.engine.begin() as conn:
        record_decisions(conn, found.key, rows)
    return DecisionImport(len(rows), undecided, sheet.unit, pair)


@dataclass
class ConsensusResult:
    name: str
    coders: tuple[str, str]
    agreed: int  # unit x code both applied
    included: int
    excluded: int
    undecided: list[Disagreement] = field(default_factory=list)
    added: int = 0
    removed: int = 0
    kept: int = 0
    notes: list[str] = field(default_factory=list)


def _desired(found: Disagreements, name: str) -> dict[tuple[int, int, int, str], dict]:
    a, b = found.coders
    spans = found.coded.codings
    units = {(u.transcript_id, u.index): u for u in found.coded.units}
    texts = found.coded.text
    want: dict[tuple[int, int, int, str], dict] = {}

    def add(tid: int, unit: int, code: str, source: str, memo: str = "") -> None:
        both = spans.get((tid, unit, a, code), []) + spans.get((tid, unit, b, code), [])
        exemplar = any(c.exemplar for c in both)
        u = units[(tid, unit)]
        for c in spans.get((tid, unit, source, code), []):
            start, end = max(c.start, u.start), min(c.end, u.end)  # clipped to the unit
            key = (tid, start, end, code)
            row = want.setdefault(key, dict(transcript_id=tid, start=start, end=end, snippet=texts[tid][start:end],
                                            code_id=code, coder=name, origin="consensus", status="accepted",
                                            exemplar=False, memo=memo, decided_by=f"{a},{b}"))
            row["exemplar"] = row["exemplar"] or exemplar

    for u, code in found.agreed:
        add(u.transcript_id, u.index, code, a)
    for d in found.items:
        if d.decision == "include":
            add(d.transcript_id, d.unit, d.code, d.applied_by, d.note)
    return want


def build_consensus(project: Project, coders: str | tuple[str, str], name: str, *, unit: str = "turn",
                    statuses: tuple[str, ...] = DEFAULT_STATUSES) -> ConsensusResult:
    """Create or refresh the consensus coder ``name`` for the pair (one transaction)."""
    pair = parse_pair(coders)
    name = name.strip()
    if not name or name in pair:
        raise AgreementError(f"the consensus coder needs its own name, not {name!r} (e.g. --as consensus)")
    with project.engine.connect() as conn:
        origins = coder_origins(conn).get(name, set())
    if origins - {"consensus"}:
        raise AgreementError(f"coder {name!r} already has their own codings ({', '.join(sorted(origins))}); "
                             "choose another name for the consensus coder")
    found = find_disagreements(project, pair, unit=unit, statuses=statuses)
    want = _desired(found, name)
    result = ConsensusResult(name, pair, agreed=len(found.agreed),
                             included=sum(d.decision == "include" for d in found.items),
                             excluded=sum(d.decision == "exclude" for d in found.items),
                             undecided=found.undecided(), notes=list(found.notes))
    with project.engine.begin() as conn:
        have: dict[tuple[int, int, int, str], CodingRow] = {
            (c.transcript_id, c.start, c.end, c.code_id): c for c in query_codings(conn, coder=name)}
        stale = [c.id for key, c in have.items() if key not in want]
        result.removed = delete_codings(conn, stale)
        result.added = insert_codings(conn, [row for key, row in want.items() if key not in have])
        for key, row in want.items():
            c = have.get(key)
            if c is None:
                continue
            if bool(c.exemplar) != row["exemplar"] or c.status != "accepted" or (row["memo"] and c.memo != row["memo"]):
                update_codings(conn, [c.id], exemplar=row["exemplar"], status="accepted",
                               **({"memo": row["memo"]} if row["memo"] else {}))
            result.kept += 1
    return result
