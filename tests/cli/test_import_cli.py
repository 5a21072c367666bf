"""qualcode init / import / transcripts: participants, re-import, all-or-nothing imports."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path


from qualcode import importing
from tests.conftest import D3, run


def db_rows(root: Path, table: str) -> int:
    con = sqlite3.connect(root / ".qualcode" / "project.db")
    try:
        return con.execute(f"select count(*) from {table}").fetchone()[0]
    finally:
        con.close()


def test_transcripts_list_json_shape(project_dir):
    r = run(["transcripts", "list", "--format", "json"], cwd=project_dir)
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert [d["name"] for d in data] == ["yp-D3", "lc-C1"]
    d3 = data[0]
    assert {"id", "name", "group", "participant", "turns", "words"} <= set(d3)
    assert d3["group"] == "young-person" and d3["participant"] == "D3" and d3["turns"] == 6
    assert data[1]["group"] == "clinician"


def test_show_prints_turns_with_offsets_round_trip(project_dir):
    r = run(["transcripts", "show", "yp-D3", "--offsets"], cwd=project_dir)
    assert r.exit_code == 0
    assert "Privacy is very important." in r.stdout
    from qualcode.store import open_project
    from qualcode.store.transcripts import get_transcript, get_turns
    project = open_project(project_dir)
    with project.engine.connect() as conn:
        t = get_transcript(conn, "yp-D3")
        turns = get_turns(conn, t.id)
    assert t.text[turns[3].start:turns[3].end].startswith("Privacy is very important.")
    assert [x.is_participant for x in turns] == [False, True] * 3


def test_same_id_in_two_groups_never_merges(tmp_path):
    root = tmp_path / "p"
    root.mkdir()
    (root / "roster.csv").write_text(
        "id,group,role,attribution,transcript\n"
        "B1,young-person,young person,Respondent B1,yp-B1\n"
        "B1,clinician,lay counsellor,Lay counsellor B1,lc-B1\n"
        "T1,young-person,young person,Respondent T1,yp-T1\n"
        "T1,clinician,lay counsellor,Lay counsellor T1,lc-T1\n", encoding="utf-8")
    for stem in ("yp-B1", "lc-B1", "yp-T1", "lc-T1"):
        (root / f"{stem}.txt").write_text(f"Interviewer: Hello.\n{stem}: I am {stem}.\n", encoding="utf-8")
    assert run(["init", str(root), "--roster", "roster.csv"]).exit_code == 0
    r = run(["import", "yp-B1.txt", "lc-B1.txt", "yp-T1.txt", "lc-T1.txt"], cwd=root)
    assert r.exit_code == 0, r.output
    data = json.loads(run(["transcripts", "list", "--format", "json"], cwd=root).stdout)
    got = {(d["name"], d["group"], d["participant"], d["attribution"]) for d in data}
    assert got == {("yp-B1", "young-person", "B1", "Respondent B1"), ("lc-B1", "clinician", "B1", "Lay counsellor B1"),
                   ("yp-T1", "young-person", "T1", "Respondent T1"), ("lc-T1", "clinician", "T1", "Lay counsellor T1")}
    assert db_rows(root, "participants") == 4


def test_reimport_unchanged_is_a_no_op(project_dir):
    r = run(["import", "yp-D3.txt"], cwd=project_dir)
    assert r.exit_code == 0
    assert "1 already present" in r.stderr
    assert db_rows(project_dir, "transcripts") == 2


def test_reimport_changed_file_is_refused_then_replaced_keeping_codings(project_dir):
    assert run(["code", "add", "yp-D3", "environment", "--quote", "Privacy is very important."],
               cwd=project_dir).exit_code == 0
    assert run(["code", "add", "yp-D3", "age", "--quote", "The counsellor was very young"], cwd=project_dir).exit_code == 0
    (project_dir / "yp-D3.txt").write_text(
        D3.replace("We met weekly at first. The counsellor was very young, and that worried me.", "We met weekly.")
        .replace("Thank you.", "Thank you so much for having me."), encoding="utf-8")
    r = run(["import", "yp-D3.txt"], cwd=project_dir)
    assert r.exit_code == 3
    assert "already in the project with different content" in r.stderr and "--replace" in r.stderr
    r = run(["import", "yp-D3.txt", "--replace"], cwd=project_dir)
    assert r.exit_code == 0, r.output
    assert "removed" in r.stderr  # the coding whose text is gone is reported, not silently dropped
    rows = json.loads(run(["segments", "--format", "json"], cwd=project_dir).stdout)
    assert [(x["code"], x["text"]) for x in rows] == [("environment", "Privacy is very important.")]
    from qualcode.store import open_project
    from qualcode.store.transcripts import get_transcript
    project = open_project(project_dir)
    with project.engine.connect() as conn:
        t = get_transcript(conn, "yp-D3")
    x = rows[0]
    assert t.text[x["start"]:x["end"]] == "Privacy is very important."  # offsets moved with the text


def test_bad_file_refuses_whole_import(project_dir):
    (project_dir / "new.txt").write_text("Interviewer: hi\nR9: hello\n", encoding="utf-8")
    (project_dir / "broken.docx").write_bytes(b"PK\x03\x04 this is not really a docx")
    r = run(["import", "new.txt", "broken.docx", "--group", "young-person"], cwd=project_dir)
    assert r.exit_code == 3
    assert "broken.docx" in r.stderr and "nothing was imported" in r.stderr
    assert "Traceback" not in r.output
    assert db_rows(project_dir, "transcripts") == 2


def test_interrupted_import_leaves_no_rows(project_dir, monkeypatch):
    for i in range(3):
        (project_dir / f"x{i}.txt").write_text(f"Interviewer: hi\nR{i}: hello number {i}\n", encoding="utf-8")
    calls = {"n": 0}
    real = importing.insert_transcript

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "insert_transcript", flaky)
    r = run(["import", "x0.txt", "x1.txt", "x2.txt", "--group", "young-person"], cwd=project_dir)
    assert r.exit_code == 130
    assert "interrupted" in r.stderr
    assert calls["n"] == 2
    assert db_rows(project_dir, "transcripts") == 2  # the first of the three was rolled back too
    assert db_rows(project_dir, "turns") == 10


def test_no_project_is_a_clear_error(tmp_path):
    r = run(["transcripts", "list"], cwd=tmp_path)
    assert r.exit_code == 4
    assert "no qualcode project" in r.stderr and "qualcode init" in r.stderr


def test_init_twice_refused(project_dir):
    r = run(["init", str(project_dir)])
    assert r.exit_code == 4 and "already a qualcode project" in r.stderr


def test_file_without_roster_uses_stem_and_group(tmp_path):
    root = tmp_path / "p"
    root.mkdir()
    (root / "interview-07.txt").write_text("Just a paragraph of talk.\n\nAnother paragraph.\n", encoding="utf-8")
    assert run(["init", str(root)]).exit_code == 0
    assert run(["import", "interview-07.txt", "--group", "clinician"], cwd=root).exit_code == 0
    data = json.loads(run(["transcripts", "list", "--format", "json"], cwd=root).stdout)
    assert data[0]["participant"] == "interview-07" and data[0]["group"] == "clinician" and data[0]["turns"] == 2
