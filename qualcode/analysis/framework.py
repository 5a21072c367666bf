"""The Framework Method chart: one matrix per theme (codebook domain), participants as rows,
subthemes as columns, each cell the analyst's summary for that participant and subtheme plus short
references to the supporting passages ("yp-D3 turn 12"), never raw character offsets.

Built from the project store; the writers in ``qualcode.reports.matrix`` lay it out.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from ..codebook.model import Code, Codebook
from ..store.codings import list_memos, query_codings
from ..store.project import Project
from ..store.transcripts import all_turns, list_participants, list_transcripts, participant_ids


@dataclass
class MatrixCell:
    summary: str = ""
    refs: list[str] = field(default_factory=list)  # "yp-D3 turn 12", in transcript order

    def lines(self) -> list[str]:
        """The cell as text lines: the summary, then "Quotes: yp-D3 turns 12, 25"."""
        return [line for line in (self.summary, ref_line(self.refs)) if line]


@dataclass
class MatrixRow:
    group: str
    participant: str  # roster id, e.g. "D3"
    attribution: str  # roster attribution, e.g. "Respondent D3"
    cells: list[MatrixCell]


@dataclass
class ThemeMatrix:
    domain_id: str
    domain_label: str
    columns: list[tuple[str, str]]  # (code id, label) of each subtheme
    rows: list[MatrixRow]


def ref_line(refs: list[str]) -> str:
    """``["yp-D3 turn 12", "yp-D3 turn 25"]`` -> "Quotes: yp-D3 turns 12, 25" (one part per transcript)."""
    by_transcript: dict[str, list[str]] = {}
    for ref in refs:
        transcript, _, turn = ref.rpartition(" turn ")
        by_transcript.setdefault(transcript, []).append(turn)
    parts = [f"{t} turn{'s' if len(n) > 1 else ''} {', '.join(n)}" for t, n in by_transcript.items()]
    return f"Quotes: {'; '.join(parts)}" if parts else ""


def _turn_of(starts: list[int], indexes: list[int], offset: int) -> int | None:
    i = bisect.bisect_right(starts, offset) - 1
    return indexes[i] if i >= 0 else None


def _references(project: Project, group: str | None, coder: str | None) -> dict[tuple[str, str, str], list[str]]:
    """``(group, participant, code) -> ["yp-D3 turn 12", ...]`` for accepted codings."""
    refs: dict[tuple[str, str, str], list[str]] = {}
    with project.engine.connect() as conn:
        rows = query_codings(conn, status=["accepted"], group=group, coder=coder)
        turns = all_turns(conn)
    positions = {tid: ([t.start for t in ts], [t.index for t in ts]) for tid, ts in turns.items()}
    for r in sorted(rows, key=lambda r: (r.transcript, r.start)):
        starts, indexes = positions.get(r.transcript_id, ([], []))
        turn = _turn_of(starts, indexes, r.start)
        ref = f"{r.transcript} turn {turn}" if turn is not None else f"{r.transcript} turn ?"
        cell = refs.setdefault((r.grp, r.pid or r.transcript, r.code_id), [])
        if ref not in cell:
            cell.append(ref)
    return refs


def _summaries(project: Project) -> dict[tuple[str, str, str], str]:
    with project.engine.connect() as conn:
        ids = {v: k for k, v in participant_ids(conn).items()}
        memos = list_memos(conn, kind="summary")
    return {(*ids[m.participant_id], m.code_id): m.text.strip() for m in memos if m.participant_id in ids}


def _people(project: Project, group: str | None) -> list[tuple[str, str, str]]:
    """``(group, pid, attribution)`` of every participant with a transcript, roster order by group."""
    with project.engine.connect() as conn:
        people = [p for p in list_participants(conn) if group is None or p.group == group]
        with_text = {(t.grp, t.pid) for t in list_transcripts(conn)}
    return [(p.group, p.pid, p.attribution or p.pid) for p in people if (p.group, p.pid) in with_text]


def framework_matrices(project: Project, book: Codebook, *, group: str | None = None,
                       coder: str | None = None) -> list[ThemeMatrix]:
    """One :class:`ThemeMatrix` per domain that applies to ``group`` (all groups when None)."""
    refs, summaries, people = _references(project, group, coder), _summaries(project), _people(project, group)
    matrices = []
    for domain in book.domains_for_group(group):
        columns = [c for c in domain.walk() if c is not domain and c.applies_to(group)]
        rows = []
        for grp, pid, attribution in people:
            used = [c for c in columns if c.applies_to(grp)]
            if not domain.applies_to(grp) or not used:
                continue
            cells = [_cell(refs, summaries, grp, pid, c) if c.applies_to(grp) else MatrixCell() for c in columns]
            rows.append(MatrixRow(grp, pid, attribution, cells))
        matrices.append(ThemeMatrix(domain.id, domain.label, [(c.id, c.label) for c in columns], rows))
    return matrices


def _cell(refs, summaries, grp: str, pid: str, code: Code) -> MatrixCell:
    return MatrixCell(summaries.get((grp, pid, code.id), ""), refs.get((grp, pid, code.id), []))
