"""Numbered schema migrations. Each runs once, in order, inside one transaction.

Every step is frozen: each runs the DDL text that shipped with it (``versions/vN.sql``, generated once
from ``schema.py`` when the step was written; a change to an existing table is an ``ALTER TABLE`` there),
never ``schema.metadata``, so an old store is upgraded by exactly
the steps it lacks. ``tests/store/test_migrations.py`` checks that a store built step by step has the
tables and columns of ``schema.py``. Add a migration by appending a function; never edit one that has
shipped.
"""
from __future__ import annotations

from datetime import datetime, timezone
from importlib import resources
from typing import TYPE_CHECKING, Callable

from ..errors import ProjectError

if TYPE_CHECKING:  # SQLAlchemy is imported only to migrate (opening an up-to-date SQLite store needs none)
    import sqlalchemy as sa

SERIAL = {"sqlite": "INTEGER", "postgresql": "SERIAL"}  # an auto-numbered integer key, per database


def frozen_statements(version: int, dialect: str) -> list[str]:
    """The DDL statements of a frozen migration, for one database dialect."""
    if dialect not in SERIAL:
        raise ProjectError(f"unsupported store database {dialect!r}: use SQLite or PostgreSQL")
    sql = resources.files(__package__).joinpath(f"versions/v{version}.sql").read_text("utf-8")
    body = "\n".join(line for line in sql.splitlines() if not line.startswith("--"))
    body = body.replace("{serial}", SERIAL[dialect])
    return [stmt.strip() for stmt in body.split(";") if stmt.strip()]


def _frozen(version: int) -> Callable[[sa.Connection], None]:
    def run(conn: sa.Connection) -> None:
        for stmt in frozen_statements(version, conn.dialect.name):
            conn.exec_driver_sql(stmt)
    run.__name__ = f"_v{version}_frozen"
    return run


MIGRATIONS: list[Callable[[sa.Connection], None]] = [
    _frozen(1),  # the 0.1.0 schema
    _frozen(2),  # review_decisions
    _frozen(3),  # code_sets, code_set_members (REFI-QDA code groups)
    _frozen(4),  # coded_transcripts (transcripts marked fully coded, for the learned model)
    _frozen(5),  # transcript_speakers, transcript_warnings (speaker roles, import warnings)
    _frozen(6),  # embeddings (sentence vectors of turn texts, cached for the semantic model backend)
]
LATEST = len(MIGRATIONS)


def current_version(conn: sa.Connection) -> int:
    import sqlalchemy as sa

    from . import schema

    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(sa.select(sa.func.max(schema.schema_version.c.version))).scalar() or 0


def migrate(engine: sa.Engine, target: int = LATEST) -> int:
    """Bring the store to ``target`` (the latest schema by default); returns the version reached."""
    from . import schema

    with engine.begin() as conn:
        schema.schema_version.create(conn, checkfirst=True)
        version = current_version(conn)
        for number in range(version + 1, target + 1):
            MIGRATIONS[number - 1](conn)
            conn.execute(schema.schema_version.insert().values(
                version=number, applied_at=datetime.now(timezone.utc).isoformat(timespec="seconds")))
        return max(version, target)
