"""Numbered schema migrations. Each runs once, in order, inside one transaction.

Add a migration by appending a function to ``MIGRATIONS``; never edit one that has shipped.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

import sqlalchemy as sa

from . import schema


def _v1_initial(conn: sa.Connection) -> None:
    tables = [t for name, t in schema.metadata.tables.items() if name != "schema_version"]
    schema.metadata.create_all(conn, tables=tables)


def _v2_review_decisions(conn: sa.Connection) -> None:
    schema.review_decisions.create(conn, checkfirst=True)


MIGRATIONS: list[Callable[[sa.Connection], None]] = [_v1_initial, _v2_review_decisions]
LATEST = len(MIGRATIONS)


def current_version(conn: sa.Connection) -> int:
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(sa.select(sa.func.max(schema.schema_version.c.version))).scalar() or 0


def migrate(engine: sa.Engine) -> int:
    """Bring the store to the latest schema; returns the version reached."""
    with engine.begin() as conn:
        schema.schema_version.create(conn, checkfirst=True)
        version = current_version(conn)
        for number in range(version + 1, LATEST + 1):
            MIGRATIONS[number - 1](conn)
            conn.execute(schema.schema_version.insert().values(
                version=number, applied_at=datetime.now(timezone.utc).isoformat(timespec="seconds")))
        return max(version, LATEST)
