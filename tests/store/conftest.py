"""Store tests run on both backends: SQLite (a file in tmp_path) and PostgreSQL.

PostgreSQL is the server named by ``QUALCODE_TEST_POSTGRES`` (e.g.
``postgresql://qualcode:qualcode@127.0.0.1/qualcode_test``; .ci/run starts one). Each test gets its own
schema (dropped afterwards) through the URL's ``options=-csearch_path=...``. Without the variable the
PostgreSQL cases are skipped locally, but fail in CI (``CI=true``): a missing server must not pass.
"""
from __future__ import annotations

import os
import uuid
from urllib.parse import quote

import pytest
import sqlalchemy as sa

PG_ENV = "QUALCODE_TEST_POSTGRES"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _admin_engine(url: str) -> sa.Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return sa.create_engine(url, isolation_level="AUTOCOMMIT")


def with_search_path(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A store URL for a fresh, empty store on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store' / 'project.db'}"
        return
    yield from pg_schema_url("qc_test")


def pg_schema_url(prefix: str):
    """A fresh schema on the test server (dropped afterwards), as a store URL: skipped locally without
    the server, a failure in CI."""
    base = os.environ.get(PG_ENV)
    if not base:
        if _in_ci():
            pytest.fail(f"{PG_ENV} is not set in CI: .ci/run must start PostgreSQL and export it")
        pytest.skip(f"PostgreSQL store tests need {PG_ENV}=postgresql://user:pass@host/db")
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine(base)
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        pytest.fail(f"cannot reach the PostgreSQL server at {PG_ENV}: {exc.orig}")
    try:
        yield with_search_path(base, schema)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def backend(store_url) -> str:
    return "postgresql" if store_url.startswith("postgresql") else "sqlite"
