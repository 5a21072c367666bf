"""Project codings and participants as pandas DataFrames, for frequencies, matrices and figures."""
from __future__ import annotations

import pandas as pd

from ..store.codings import query_codings
from ..store.project import Project
from ..store.transcripts import all_turns, list_participants, list_transcripts


def participant_key(group: str, pid: str) -> str:
    return f"{group}/{pid}" if group else pid


def participants_frame(project: Project, group: str | None = None) -> pd.DataFrame:
    with project.engine.connect() as conn:
        people = list_participants(conn)
    rows = []
    for p in people:
        if group and p.group != group:
            continue
        rows.append({"participant": participant_key(p.group, p.pid), "label": p.label, "group": p.group,
                     "role": p.role, **p.attributes})
    return pd.DataFrame(rows, columns=None if rows else ["participant", "label", "group", "role"])


def codings_frame(project: Project, *, group: str | None = None, coder: str | None = None,
                  statuses: tuple[str, ...] = ("accepted",)) -> pd.DataFrame:
    """One row per coding: segment (transcript#turn of the coding's first turn), code, participant,
    group, transcript, start, end, coder, exemplar."""
    with project.engine.connect() as conn:
        rows = query_codings(conn, status=list(statuses), group=group, coder=coder)
        turns = all_turns(conn)
        transcripts = {t.id: t for t in list_transcripts(conn)}
    data = []
    for c in rows:
        unit = next((u.index for u in turns.get(c.transcript_id, []) if c.start < u.end and c.end > u.start), None)
        segment = f"{c.transcript}#{unit}" if unit is not None else f"{c.transcript}:{c.start}-{c.end}"
        t = transcripts[c.transcript_id]
        data.append({"segment": segment, "code": c.code_id, "participant": participant_key(c.grp, c.pid or t.name),
                     "label": c.participant_label, "group": c.grp, "transcript": c.transcript, "start": c.start,
                     "end": c.end, "coder": c.coder, "exemplar": bool(c.exemplar)})
    columns = ["segment", "code", "participant", "label", "group", "transcript", "start", "end", "coder", "exemplar"]
    return pd.DataFrame(data, columns=columns)
