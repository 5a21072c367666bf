"""Numbered schema migrations. Each runs once, in order, inside one transaction.

Every step is frozen: migrations 1 and 2 run the DDL that shipped (``versions/vN.sql``,
generated once from the schema of that release), and a later step states its own change
(its own tables or ``ALTER TABLE``), never ``schema.metadata``, so an old store is upgraded by exactly
the steps it lacks. ``tests/store/test_migrations.py`` checks that a store built step by step has the
tables and columns of ``schema.py``. Add a migration by appending a function; never edit one that has
shipped.
"""
from __future__ import annotations

from datetime import datetime, timezone
from importlib import resources
from typing import Callable

import sqlalchemy as sa

from ..errors import ProjectError
from . import schema

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


def _v3_code_sets(conn: sa.Connection) -> None:
    """Code groups (REFI-QDA <Sets>): their own tables, stated here as they shipped."""
    meta = sa.MetaData()
    sets = sa.Table("code_sets", meta,
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("name", sa.String(200), nullable=False, unique=True),
                    sa.Column("description", sa.Text, nullable=False, default=""))
    members = sa.Table("code_set_members", meta,
                       sa.Column("set_id", sa.Integer, sa.ForeignKey("code_sets.id", ondelete="CASCADE"), nullable=False),
                       sa.Column("kind", sa.String(20), nullable=False),
                       sa.Column("member", sa.String(200), nullable=False),
                       sa.UniqueConstraint("set_id", "kind", "member", name="uq_code_set_member"))
    sets.create(conn)
    members.create(conn)


def _v4_coded_transcripts(conn: sa.Connection) -> None:
    """Transcripts marked fully coded (self-contained: the table as it was when this migration shipped)."""
    md = sa.MetaData()
    sa.Table("transcripts", md, sa.Column("id", sa.Integer, primary_key=True))  # only for the foreign key
    table = sa.Table(
        "coded_transcripts", md,
        sa.Column("transcript_id", sa.Integer, sa.ForeignKey("transcripts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("marked_by", sa.String(200), nullable=False, default=""),
        sa.Column("text_sha", sa.String(64), nullable=False),
        sa.Column("marked_at", sa.String(40), nullable=False),
    )
    table.create(conn, checkfirst=True)


def _v5_speakers_and_warnings(conn: sa.Connection) -> None:
    """Per-transcript speaker roles and import warnings (issue 11). Self-contained DDL."""
    md = sa.MetaData()
    sa.Table("transcripts", md, sa.Column("id", sa.Integer, primary_key=True))  # for the foreign keys only
    speakers = sa.Table(
        "transcript_speakers", md,
        sa.Column("transcript_id", sa.Integer, sa.ForeignKey("transcripts.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("speaker", sa.String(400), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("turns", sa.Integer, nullable=False, default=0),
        sa.Column("words", sa.Integer, nullable=False, default=0),
    )
    warnings = sa.Table(
        "transcript_warnings", md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("transcript_id", sa.Integer, sa.ForeignKey("transcripts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("line", sa.Integer, nullable=True),
        sa.Column("speaker", sa.String(400), nullable=False, default=""),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("resolved_at", sa.String(40), nullable=True),
        sa.Column("resolution", sa.Text, nullable=False, default=""),
    )
    md.create_all(conn, tables=[speakers, warnings], checkfirst=True)


MIGRATIONS: list[Callable[[sa.Connection], None]] = [
    _frozen(1),  # the 0.1.0 schema
    _frozen(2),  # review_decisions
    _v3_code_sets,  # code_sets, code_set_members
    _v4_coded_transcripts,
    _v5_speakers_and_warnings,  # transcript_speakers, transcript_warnings (issue 11)
]
LATEST = len(MIGRATIONS)


def current_version(conn: sa.Connection) -> int:
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(sa.select(sa.func.max(schema.schema_version.c.version))).scalar() or 0


def migrate(engine: sa.Engine, target: int = LATEST) -> int:
    """Bring the store to ``target`` (the latest schema by default); returns the version reached."""
    with engine.begin() as conn:
        schema.schema_version.create(conn, checkfirst=True)
        version = current_version(conn)
        for number in range(version + 1, target + 1):
            MIGRATIONS[number - 1](conn)
            conn.execute(schema.schema_version.insert().values(
                version=number, applied_at=datetime.now(timezone.utc).isoformat(timespec="seconds")))
        return max(version, target)
