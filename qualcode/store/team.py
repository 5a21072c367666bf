"""Team work in the store: settings (blind mode), the double-coding sample, consensus decisions,
and who coded what (the only SQL for them). Portable between SQLite and PostgreSQL.

Functions take an open connection so a caller groups several into one transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Iterable

from .sql import one_value
from .transcripts import now

if TYPE_CHECKING:  # SQLAlchemy is imported by the functions that use it (start-up time)
    import sqlalchemy as sa


def now_precise() -> str:
    """A UTC timestamp with microseconds: settings compare two of them (blind on vs agreement run)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _insert(conn: sa.Connection, table: sa.Table):
    from sqlalchemy.dialects import sqlite

    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql  # loaded only for a PostgreSQL store

        return postgresql.insert(table)
    return sqlite.insert(table)


# ------------------------------------------------------------------ settings

def get_setting(conn, key: str, default: str | None = None) -> str | None:
    """A project setting (``conn``: see ``store.sql``)."""
    value = one_value(conn, 'SELECT "value" FROM settings WHERE "key" = :key', {"key": key})
    return default if value is None else value


def set_setting(conn: sa.Connection, key: str, value: str) -> None:
    from .schema import settings

    stmt = _insert(conn, settings).values(key=key, value=value)
    conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


def delete_setting(conn: sa.Connection, key: str) -> None:
    from .schema import settings

    conn.execute(settings.delete().where(settings.c.key == key))


# ------------------------------------------------------------------ the double-coding sample

@dataclass(frozen=True)
class SampleRow:
    transcript_id: int
    name: str
    grp: str
    seed: int | None
    fraction: float | None
    created_at: str


def get_sample(conn: sa.Connection) -> list[SampleRow]:
    import sqlalchemy as sa

    from .schema import samples, transcripts

    q = (sa.select(samples.c.transcript_id, transcripts.c.name, transcripts.c.grp, samples.c.seed,
                   samples.c.fraction, samples.c.created_at)
         .select_from(samples.join(transcripts, transcripts.c.id == samples.c.transcript_id))
         .order_by(transcripts.c.name))
    return [SampleRow(**r._mapping) for r in conn.execute(q)]


def replace_sample(conn: sa.Connection, transcript_ids: Iterable[int], *, seed: int | None,
                   fraction: float | None) -> None:
    """Make ``transcript_ids`` the project's sample (the previous sample is dropped)."""
    from .schema import samples

    conn.execute(samples.delete())
    stamp = now()
    rows = [dict(transcript_id=t, seed=seed, fraction=fraction, created_at=stamp) for t in sorted(set(transcript_ids))]
    if rows:
        conn.execute(samples.insert(), rows)


# ------------------------------------------------------------------ who coded what

def coders_per_transcript(conn: sa.Connection, *, exclude_status: str = "rejected") -> dict[int, set[str]]:
    """transcript id -> coders with at least one coding there whose status is not ``exclude_status``."""
    import sqlalchemy as sa

    from .schema import codings

    q = (sa.select(codings.c.transcript_id, codings.c.coder).where(codings.c.status != exclude_status)
         .group_by(codings.c.transcript_id, codings.c.coder))
    out: dict[int, set[str]] = {}
    for tid, coder in conn.execute(q):
        out.setdefault(tid, set()).add(coder)
    return out


def coder_origins(conn: sa.Connection) -> dict[str, set[str]]:
    """coder -> the origins of their codings (a consensus coder has only ``consensus``)."""
    import sqlalchemy as sa

    from .schema import codings

    out: dict[str, set[str]] = {}
    q = sa.select(codings.c.coder, codings.c.origin).group_by(codings.c.coder, codings.c.origin)
    for coder, origin in conn.execute(q):
        out.setdefault(coder, set()).add(origin)
    return out


# ------------------------------------------------------------------ consensus decisions

def pair_key(coders: Iterable[str], unit: str = "turn") -> str:
    """The ``decisions.coders`` value for a pair and unit kind: "A,B" (names sorted) for turn units,
    "A,B@sentence" for sentence units (sentence and turn indexes differ, so their decisions do too)."""
    key = ",".join(sorted(coders))
    return key if unit == "turn" else f"{key}@{unit}"


@dataclass(frozen=True)
class DecisionRow:
    transcript_id: int
    transcript: str
    unit_idx: int
    code_id: str
    decision: str
    decided_by: str
    note: str
    created_at: str


def list_decisions(conn: sa.Connection, key: str) -> list[DecisionRow]:
    import sqlalchemy as sa

    from .schema import decisions, transcripts

    q = (sa.select(decisions.c.transcript_id, transcripts.c.name.label("transcript"), decisions.c.unit_idx,
                   decisions.c.code_id, decisions.c.decision, decisions.c.decided_by, decisions.c.note,
                   decisions.c.created_at)
         .select_from(decisions.join(transcripts, transcripts.c.id == decisions.c.transcript_id))
         .where(decisions.c.coders == key)
         .order_by(transcripts.c.name, decisions.c.unit_idx, decisions.c.code_id))
    return [DecisionRow(**r._mapping) for r in conn.execute(q)]


def record_decisions(conn: sa.Connection, key: str, rows: list[dict]) -> int:
    """Insert or replace decisions; each row has transcript_id, unit_idx, code_id, decision, decided_by, note."""
    from .schema import decisions

    if not rows:
        return 0
    stamp = now()
    stmt = _insert(conn, decisions)
    stmt = stmt.on_conflict_do_update(
        index_elements=["transcript_id", "unit_idx", "code_id", "coders"],
        set_={"decision": stmt.excluded.decision, "decided_by": stmt.excluded.decided_by,
              "note": stmt.excluded.note, "created_at": stmt.excluded.created_at})
    conn.execute(stmt, [dict(coders=key, created_at=stamp) | r for r in rows])
    return len(rows)
