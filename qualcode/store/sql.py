"""Plain SQL on the store: one text per query, run by the stdlib ``sqlite3`` or by SQLAlchemy.

Importing SQLAlchemy costs about 0.35 s, more than the whole of ``status`` or ``segments`` should take.
So the everyday queries (status, transcript and segment listings, accepting or rejecting codings)
are written once as SQL text with ``:name`` parameters, a form both drivers take. On a SQLite file
``Project.connect()`` hands them a ``sqlite3`` connection (SQLAlchemy is never imported); on
PostgreSQL, or inside a caller's SQLAlchemy transaction, the same text runs through ``sqlalchemy.text``.
The tables are those of ``schema.py`` (created only by the migrations); nothing here defines one.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

# The same connection settings as the SQLAlchemy engine (project.make_engine) uses on SQLite.
PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL")
TIMEOUT = 30


def fetch(conn: Any, sql: str, params: dict | None = None) -> list[tuple]:
    """The rows of a query, as tuples in the order of its SELECT list."""
    if isinstance(conn, sqlite3.Connection):
        return conn.execute(sql, params or {}).fetchall()
    from sqlalchemy import text  # a SQLAlchemy connection: the library is loaded already

    return [tuple(row) for row in conn.execute(text(sql), params or {})]


def execute(conn: Any, sql: str, params: dict | None = None) -> int:
    """Run a statement that changes rows; returns how many it changed."""
    if isinstance(conn, sqlite3.Connection):
        return conn.execute(sql, params or {}).rowcount
    from sqlalchemy import text

    return conn.execute(text(sql), params or {}).rowcount


def one_value(conn: Any, sql: str, params: dict | None = None) -> Any:
    rows = fetch(conn, sql, params)
    return rows[0][0] if rows else None


def in_list(name: str, values: Iterable, params: dict) -> str:
    """``(:name0, :name1, ...)`` for ``col IN ...``, adding the values to ``params``; an empty list
    matches nothing, as SQLAlchemy's ``in_([])`` does."""
    names = []
    for i, value in enumerate(values):
        names.append(f"{name}{i}")
        params[names[-1]] = value
    return "(" + ", ".join(":" + n for n in names) + ")" if names else "(NULL)"


def sqlite_file(url: str) -> Path | None:
    """The database file of a ``sqlite:///`` store URL (None for other stores and in-memory ones)."""
    if not url.startswith("sqlite:///") or "?" in url:
        return None
    path = url[len("sqlite:///"):]
    return Path(path) if path and path != ":memory:" else None


@contextmanager
def sqlite_connection(path: Path, *, commit: bool) -> Iterator[sqlite3.Connection]:
    """A stdlib connection to the store; ``commit`` saves its changes when the block ends without error
    (everything is rolled back otherwise, and always when ``commit`` is false)."""
    conn = sqlite3.connect(path, timeout=TIMEOUT)
    try:
        for pragma in PRAGMAS:
            conn.execute(pragma)
        yield conn
        if commit:
            conn.commit()
    finally:
        conn.rollback()
        conn.close()


def schema_version(path: Path) -> int | None:
    """The schema version of a SQLite store read with the stdlib; None when there is no store file yet
    or it cannot be read (the SQLAlchemy path then creates it, or says why it cannot)."""
    if not path.is_file():
        return None
    try:
        with sqlite_connection(path, commit=False) as conn:
            if not fetch(conn, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"):
                return 0
            return one_value(conn, "SELECT max(version) FROM schema_version") or 0
    except sqlite3.Error:
        return None
