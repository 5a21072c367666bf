"""Bookkeeping for autocode: which (transcript, coder, unit) was last coded with which codebook."""
from __future__ import annotations

import sqlalchemy as sa

from .schema import autocode_state
from .transcripts import now


def load_state(conn: sa.Connection, coder: str, unit: str) -> dict[int, tuple[str, str]]:
    q = sa.select(autocode_state.c.transcript_id, autocode_state.c.codebook_sha, autocode_state.c.text_sha).where(
        autocode_state.c.coder == coder, autocode_state.c.unit == unit)
    return {r.transcript_id: (r.codebook_sha, r.text_sha) for r in conn.execute(q)}


def save_state(conn: sa.Connection, coder: str, unit: str, entries: dict[int, tuple[str, str]]) -> None:
    if not entries:
        return
    conn.execute(autocode_state.delete().where(autocode_state.c.coder == coder, autocode_state.c.unit == unit,
                                               autocode_state.c.transcript_id.in_(list(entries))))
    stamp = now()
    conn.execute(autocode_state.insert(), [dict(transcript_id=t, coder=coder, unit=unit, codebook_sha=cb, text_sha=ts,
                                                run_at=stamp) for t, (cb, ts) in entries.items()])
