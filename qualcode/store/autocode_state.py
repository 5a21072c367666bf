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
    """Record what each transcript was last coded with: an upsert, so that two autocode runs finishing
    at once both succeed (a delete-then-insert raced on PostgreSQL: duplicate key)."""
    if not entries:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert  # loaded only for a PostgreSQL store
    else:
        from sqlalchemy.dialects.sqlite import insert
    stamp = now()
    stmt = insert(autocode_state)
    stmt = stmt.on_conflict_do_update(
        index_elements=[autocode_state.c.transcript_id, autocode_state.c.coder, autocode_state.c.unit],
        set_=dict(codebook_sha=stmt.excluded.codebook_sha, text_sha=stmt.excluded.text_sha, run_at=stmt.excluded.run_at))
    conn.execute(stmt, [dict(transcript_id=t, coder=coder, unit=unit, codebook_sha=cb, text_sha=ts, run_at=stamp)
                        for t, (cb, ts) in entries.items()])
