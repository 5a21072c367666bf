"""Transcripts the team marked fully coded: their participant turns with no accepted coding are
examples of "no code" for the learned model. A mark holds the text it was made on; a transcript whose
text changed since is no longer taken as fully coded (``marked_texts`` reports the text hash)."""
from __future__ import annotations

import sqlalchemy as sa

from .schema import coded_transcripts
from .transcripts import now


def mark_coded(conn: sa.Connection, marks: dict[int, str], by: str) -> int:
    """Mark transcripts (id -> text hash) fully coded; returns how many were not marked before."""
    if not marks:
        return 0
    known = set(marked_texts(conn))
    conn.execute(coded_transcripts.delete().where(coded_transcripts.c.transcript_id.in_(list(marks))))
    stamp = now()
    conn.execute(coded_transcripts.insert(), [dict(transcript_id=t, marked_by=by, text_sha=sha, marked_at=stamp)
                                              for t, sha in marks.items()])
    return len(set(marks) - known)


def unmark_coded(conn: sa.Connection, ids: list[int]) -> int:
    if not ids:
        return 0
    return conn.execute(coded_transcripts.delete().where(coded_transcripts.c.transcript_id.in_(ids))).rowcount


def marked_texts(conn: sa.Connection) -> dict[int, str]:
    """Transcript id -> hash of the text it was marked on."""
    q = sa.select(coded_transcripts.c.transcript_id, coded_transcripts.c.text_sha)
    return {r.transcript_id: r.text_sha for r in conn.execute(q)}


def marks(conn: sa.Connection) -> list[dict]:
    q = sa.select(coded_transcripts).order_by(coded_transcripts.c.transcript_id)
    return [dict(r._mapping) for r in conn.execute(q)]
