"""A short numeric summary of a project."""
from __future__ import annotations

import sqlalchemy as sa

from .project import Project
from .schema import codings, participants, transcript_speakers, transcript_warnings, transcripts, turns


def project_status(project: Project) -> list[dict]:
    with project.engine.connect() as conn:
        def count(q) -> int:
            return conn.execute(q).scalar() or 0
        rows = [
            {"what": "transcripts", "count": count(sa.select(sa.func.count()).select_from(transcripts))},
            {"what": "participants", "count": count(sa.select(sa.func.count()).select_from(participants))},
            {"what": "turns", "count": count(sa.select(sa.func.count()).select_from(turns))},
            {"what": "interviewer turns", "count": count(sa.select(sa.func.coalesce(sa.func.sum(
                transcript_speakers.c.turns), 0)).where(transcript_speakers.c.role == "interviewer"))},
            {"what": "non-speech segments", "count": count(sa.select(sa.func.count()).select_from(turns).where(
                turns.c.speaker == "", turns.c.is_participant.is_(False)))},
            {"what": "import warnings open", "count": count(sa.select(sa.func.count()).select_from(
                transcript_warnings).where(transcript_warnings.c.resolved_at.is_(None)))},
            {"what": "words", "count": count(sa.select(sa.func.coalesce(sa.func.sum(transcripts.c.words), 0)))},
        ]
        q = sa.select(codings.c.coder, codings.c.status, sa.func.count()).group_by(codings.c.coder, codings.c.status)
        for coder, status, n in conn.execute(q.order_by(codings.c.coder, codings.c.status)):
            rows.append({"what": f"codings {coder} {status}", "count": n})
    return rows
