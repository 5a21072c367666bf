"""Every store function a team uses behaves the same on SQLite and PostgreSQL."""
from __future__ import annotations

import json

import sqlalchemy as sa

from qualcode.store import open_project
from qualcode.store.codings import (count_codings, delete_codings, ensure_coders, insert_codings, list_coders,
                                    query_codings, update_codings)
from qualcode.store.status import project_status
from qualcode.store.team import (coder_origins, coders_per_transcript, get_sample, get_setting, list_decisions,
                                 pair_key, record_decisions, replace_sample, set_setting)
from qualcode.store.transcripts import find_transcript, get_turns, list_transcripts
from qualcode.coding.blind import blind_status, set_blind, visible_coders
from qualcode.team.consensus import build_consensus, decide
from qualcode.team.disagreements import find_disagreements
from qualcode.team.project_agreement import agreement_dict, project_agreement
from qualcode.team.sample import draw_sample
from tests.team.builders import T1, make_team_project


def test_project_opens_on_the_backend_and_keeps_offsets(tmp_path, store_url, backend):
    project, ids = make_team_project(tmp_path / "p", store_url)
    assert project.engine.dialect.name == backend
    again = open_project(tmp_path / "p")  # a second coder opening the same store
    with again.engine.connect() as conn:
        names = [t.name for t in list_transcripts(conn)]
        t1 = find_transcript(conn, "yp-T1")
        turns = get_turns(conn, t1.id)
        rows = query_codings(conn, coder="A", code="env")
    assert names == ["yp-T1", "yp-T2", "yp-T3"]
    # "start" and "end" are reserved words in PostgreSQL: they must round-trip as columns
    assert [(t.index, t.is_participant) for t in turns][:2] == [(0, False), (1, True)]
    assert t1.text[turns[1].start:turns[1].end] == T1[1][1]
    assert [t1.text[r.start:r.end] for r in rows] == [r.snippet for r in rows]
    assert rows[0].snippet == "Privacy is very important." and rows[0].exemplar is True


def test_insert_codings_is_idempotent_and_filters_work(tmp_path, store_url):
    project, ids = make_team_project(tmp_path / "p", store_url)
    with project.engine.begin() as conn:
        before = count_codings(conn)
        row = query_codings(conn, coder="A", code="regular")[0]
        again = dict(transcript_id=row.transcript_id, start=row.start, end=row.end, snippet=row.snippet,
                     code_id="regular", coder="A", origin="manual", status="accepted")
        assert insert_codings(conn, [again, again]) == 0
        assert count_codings(conn) == before
        assert insert_codings(conn, [again | {"coder": "C"}]) == 1
        assert sorted(c.coder for c in query_codings(conn, code="regular")) == ["A", "B", "C"]
        assert update_codings(conn, [row.id], status="rejected", memo="ünïcode “quotes”") == 1
        assert query_codings(conn, ids=[row.id])[0].memo == "ünïcode “quotes”"
        assert len(query_codings(conn, search="PRIVACY")) == 2  # case-insensitive on both backends
        assert delete_codings(conn, [row.id]) == 1
        ensure_coders(conn, ["A", "Z"])
        coders = dict(list_coders(conn))
    assert coders["Z"] == {} and coders["A"]["accepted"] == 4
    counts = {r["what"]: r["count"] for r in project_status(project)}
    assert counts["transcripts"] == 3 and counts["codings B rejected"] == 2


def test_settings_sample_and_decisions(tmp_path, store_url):
    project, ids = make_team_project(tmp_path / "p", store_url)
    with project.engine.begin() as conn:
        assert get_setting(conn, "blind", "off") == "off"
        set_setting(conn, "blind", "on")
        set_setting(conn, "blind", "off")  # an upsert, not a second row
        assert get_setting(conn, "blind") == "off"
        replace_sample(conn, [ids["yp-T2"], ids["yp-T1"]], seed=7, fraction=0.2)
        replace_sample(conn, [ids["yp-T3"]], seed=8, fraction=0.25)
        assert [(s.name, s.seed, s.fraction) for s in get_sample(conn)] == [("yp-T3", 8, 0.25)]
        key = pair_key(["B", "A"])
        assert key == "A,B" and pair_key(["A", "B"], "sentence") == "A,B@sentence"
        record_decisions(conn, key, [dict(transcript_id=ids["yp-T1"], unit_idx=5, code_id="env", decision="include",
                                          decided_by="A", note="")])
        record_decisions(conn, key, [dict(transcript_id=ids["yp-T1"], unit_idx=5, code_id="env", decision="exclude",
                                          decided_by="B", note="changed")])
        [d] = list_decisions(conn, key)
        assert (d.transcript, d.unit_idx, d.code_id, d.decision, d.decided_by, d.note) == (
            "yp-T1", 5, "env", "exclude", "B", "changed")
        assert list_decisions(conn, "A,B@sentence") == []
        saw = coders_per_transcript(conn)
        origins = coder_origins(conn)
    assert saw[ids["yp-T3"]] == {"A"}  # B's only coding there is rejected
    assert saw[ids["yp-T2"]] == {"A", "B", "qualcode:rules"}
    assert origins["A"] == {"manual"}


def test_team_workflow_gives_the_same_results(tmp_path, store_url):
    project, ids = make_team_project(tmp_path / "p", store_url)
    set_blind(project, True)
    assert visible_coders(project, "A") == {"A", "qualcode:rules"}
    result = project_agreement(project)
    data = agreement_dict(result)
    env = data["codes"][0]
    assert (env["code"], env["units"], round(env["krippendorff_alpha"], 6)) == ("env", 6, round(48 / 70, 6))
    assert blind_status(project).hiding is False and visible_coders(project, "A") is None
    found = find_disagreements(project, "A,B")
    assert [(d.code, d.transcript, d.unit) for d in found.items] == [
        ("env", "yp-T1", 5), ("decision", "yp-T2", 1), ("decision", "yp-T2", 3)]
    decide(project, "A,B", "yp-T2", 1, "decision", "include", by="A")
    first = build_consensus(project, "A,B", "consensus")
    second = build_consensus(project, "A,B", "consensus")
    assert (first.added, second.added, second.removed, len(second.undecided)) == (4, 0, 0, 2)
    with project.engine.connect() as conn:
        rows = query_codings(conn, coder="consensus")
    assert sorted((r.transcript, r.code_id, r.origin, r.status) for r in rows) == [
        ("yp-T1", "env", "consensus", "accepted"), ("yp-T1", "env", "consensus", "accepted"),
        ("yp-T1", "regular", "consensus", "accepted"), ("yp-T2", "decision", "consensus", "accepted")]
    result = draw_sample(project, 0.34, seed=1)
    assert len(result.chosen) == 1
    assert json.loads(json.dumps(data))["unit"] == "turn"


def test_store_url_with_reserved_words_in_sql(store_url, tmp_path):
    """SQLAlchemy quotes "start"/"end" on both dialects (PostgreSQL would reject them bare)."""
    project, _ = make_team_project(tmp_path / "p", store_url)
    from qualcode.store.schema import codings
    compiled = str(sa.select(codings.c.start, codings.c.end).compile(dialect=project.engine.dialect))
    assert '"end"' in compiled
    with project.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.max(codings.c.end))).scalar() > 0


def test_cli_init_with_store_url_then_two_coders(tmp_path, store_url):
    """`qualcode init --store URL`; each coder sets QUALCODE_CODER; the codings land in the shared store."""
    from tests.conftest import C1, D3, ROSTER, TINY_CODEBOOK, run

    root = tmp_path / "team"
    root.mkdir()
    (root / "codebook.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    (root / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (root / "yp-D3.txt").write_text(D3, encoding="utf-8")
    (root / "lc-C1.txt").write_text(C1, encoding="utf-8")
    r = run(["init", str(root), "--codebook", "codebook.yaml", "--roster", "roster.csv", "--store", store_url])
    assert r.exit_code == 0, r.output
    assert store_url in (root / "qualcode.toml").read_text(encoding="utf-8")
    assert run(["import", "yp-D3.txt", "lc-C1.txt", "--participants", "roster.csv"], cwd=root).exit_code == 0
    for coder in ("ana", "ben"):
        r = run(["code", "add", "yp-D3", "environment", "--quote", "Privacy is very important."], cwd=root,
                env={"QUALCODE_CODER": coder})
        assert r.exit_code == 0, r.output
    r = run(["coders", "list", "--format", "json"], cwd=root)
    assert [(c["coder"], c["accepted"]) for c in json.loads(r.stdout)] == [("ana", 1), ("ben", 1)]
    r = run(["agreement", "--format", "json"], cwd=root)
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["transcripts"] == ["yp-D3"]


def test_cli_autocode_review_and_export_on_the_backend(tmp_path, store_url):
    """The everyday commands behave the same on the shared store: autocode twice, accept, export."""
    from tests.conftest import C1, D3, ROSTER, TINY_CODEBOOK, run

    root = tmp_path / "team"
    root.mkdir()
    for name, text in (("codebook.yaml", TINY_CODEBOOK), ("roster.csv", ROSTER), ("yp-D3.txt", D3), ("lc-C1.txt", C1)):
        (root / name).write_text(text, encoding="utf-8")
    assert run(["init", str(root), "--codebook", "codebook.yaml", "--store", store_url]).exit_code == 0
    assert run(["import", "yp-D3.txt", "lc-C1.txt", "--participants", "roster.csv"], cwd=root).exit_code == 0
    r = run(["autocode"], cwd=root)
    assert r.exit_code == 0, r.output
    first = json.loads(run(["segments", "--format", "json"], cwd=root).stdout)
    assert first and {s["status"] for s in first} == {"suggested"}
    assert run(["autocode"], cwd=root).exit_code == 0
    assert json.loads(run(["segments", "--format", "json"], cwd=root).stdout) == first  # idempotent
    r = run(["code", "accept", str(first[0]["id"]), "--coder", "ana"], cwd=root)
    assert r.exit_code == 0, r.output
    out = tmp_path / "codings.csv"
    r = run(["export", "codings", "-o", str(out)], cwd=root)
    assert r.exit_code == 0, r.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("transcript,code,quote,start,end") and len(lines) == len(first) + 1


def test_plain_sql_reads_the_same_through_the_stdlib_and_sqlalchemy(tmp_path, store_url, backend):
    """The everyday queries (store.sql) run on the stdlib sqlite3 for a SQLite file, so that status and
    segments need no SQLAlchemy: they must give what the same text gives through SQLAlchemy."""
    import sqlite3

    from qualcode.store.speakers import interviewer_turns, list_warnings
    from qualcode.store.transcripts import turn_counts

    project, ids = make_team_project(tmp_path / "p", store_url)
    project = open_project(tmp_path / "p")  # reopened: an up-to-date SQLite store opens without SQLAlchemy

    def reads(conn):
        return (list_transcripts(conn), query_codings(conn), query_codings(conn, coder=["A", "B"], status="accepted"),
                query_codings(conn, search="privacy", exemplar=True), query_codings(conn, ids=[]),
                list_warnings(conn, unresolved=False), turn_counts(conn), interviewer_turns(conn),
                get_setting(conn, "blind", "off"))

    with project.connect() as conn:
        assert isinstance(conn, sqlite3.Connection) == (backend == "sqlite")
        plain = reads(conn)
    with project.engine.connect() as conn:
        assert reads(conn) == plain
    assert plain[1] and all(isinstance(r.exemplar, bool) for r in plain[1])
    assert plain[4] == [] and plain[3] and all("privacy" in r.snippet.lower() for r in plain[3])
