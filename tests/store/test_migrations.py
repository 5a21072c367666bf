"""Stores written by older releases open and upgrade; a store from a newer release is refused.

Each migration is frozen (see qualcode/store/migrations.py), so a store is upgraded by exactly the
steps it lacks. These tests run on SQLite and on PostgreSQL (see conftest.py).
"""
from __future__ import annotations

import sqlalchemy as sa
import pytest

from qualcode.errors import ProjectError
from qualcode.store import open_project
from qualcode.store import migrations, schema
from qualcode.store.project import init_project, make_engine
from qualcode.store.transcripts import find_transcript


def _columns(conn: sa.Connection) -> dict[str, set[str]]:
    inspector = sa.inspect(conn)
    return {name: {c["name"] for c in inspector.get_columns(name)} for name in inspector.get_table_names()}


def test_a_store_built_step_by_step_has_every_table_and_column_of_the_schema(store_url):
    engine = make_engine(store_url)
    assert migrations.migrate(engine) == migrations.LATEST
    with engine.connect() as conn:
        built = _columns(conn)
    wanted = {t.name: {c.name for c in t.columns} for t in schema.metadata.tables.values()}
    missing = {name: cols - built.get(name, set()) for name, cols in wanted.items() if cols - built.get(name, set())}
    assert missing == {}, f"schema.py has tables/columns no migration creates: {missing}"
    assert set(built) == set(wanted)
    engine.dispose()


def _v1_project_with_data(tmp_path, store_url):
    """A project whose store stopped at migration 1 (qualcode 0.1.0 before review packs), with data in it."""
    root = tmp_path / "old"
    root.mkdir()
    (root / "qualcode.toml").write_text(f'[project]\nname = "old"\nstore = "{store_url}"\n', encoding="utf-8")
    engine = make_engine(store_url)
    assert migrations.migrate(engine, target=1) == 1
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO transcripts (name, grp, source_path, source_format, text, sha256, words,"
                             " imported_at) VALUES ('yp-A1', 'yp', '', 'txt', 'Interviewer: Hi.\nA1: I felt heard.',"
                             " 'x', 6, '2026-01-01')"))
        tid = conn.execute(sa.text("SELECT id FROM transcripts WHERE name = 'yp-A1'")).scalar_one()
        conn.execute(sa.text("INSERT INTO coders (name, created_at) VALUES ('analyst', '2026-01-01')"))
        conn.execute(sa.text("INSERT INTO codings (transcript_id, start, \"end\", snippet, code_id, coder, origin,"
                             " status, exemplar, memo, rule_id, evidence, decided_by, created_at, updated_at)"
                             " VALUES (:t, 21, 33, 'I felt heard', 'bond', 'analyst', 'manual', 'accepted',"
                             " false, '', '', '', '', '2026-01-01', '2026-01-01')"), {"t": tid})
        assert not sa.inspect(conn).has_table("review_decisions")
    engine.dispose()
    return root


def test_an_older_store_is_upgraded_and_keeps_its_data(tmp_path, store_url):
    root = _v1_project_with_data(tmp_path, store_url)
    project = open_project(root, search=False)
    with project.engine.connect() as conn:
        assert migrations.current_version(conn) == migrations.LATEST
        assert sa.inspect(conn).has_table("review_decisions")
        transcript = find_transcript(conn, "yp-A1")
        snippet, start, end = conn.execute(sa.text('SELECT snippet, start, "end" FROM codings')).one()
    assert transcript.text[start:end] == snippet == "I felt heard"
    project.engine.dispose()


def test_a_store_from_a_newer_qualcode_is_refused_and_left_alone(tmp_path, store_url):
    root = tmp_path / "p"
    init_project(root, store=store_url).engine.dispose()
    engine = make_engine(store_url)
    with engine.begin() as conn:
        conn.execute(schema.schema_version.insert().values(version=migrations.LATEST + 1, applied_at="2099-01-01"))
    with pytest.raises(ProjectError, match="newer qualcode"):
        open_project(root, search=False)
    with engine.connect() as conn:
        assert migrations.current_version(conn) == migrations.LATEST + 1
    engine.dispose()
