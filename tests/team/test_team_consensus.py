"""`qualcode consensus`: decisions on disagreements, and the consensus coder built from them."""
from __future__ import annotations

import json

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.conftest import run
from tests.team.builders import T1, T2, build_text, make_team_project


@pytest.fixture
def team(tmp_path):
    project, ids = make_team_project(tmp_path / "p")
    return project


def ok(root, *args):
    r = run(list(args), cwd=root)
    assert r.exit_code == 0, r.output
    return r


def consensus_rows(root):
    rows = json.loads(ok(root, "segments", "--coder", "consensus", "--format", "json").stdout)
    return sorted((r["transcript"], r["code"], r["text"], r["exemplar"], r["status"], r["memo"]) for r in rows)


def test_consensus_from_agreements_and_decisions_is_idempotent(team):
    root = team.root
    ok(root, "consensus", "decide", "--coders", "A,B", "yp-T1", "5", "env", "exclude", "--by", "A")
    ok(root, "consensus", "decide", "--coders", "B,A", "yp-T2", "1", "decision", "include", "--note", "agreed")
    r = ok(root, "consensus", "--coders", "A,B", "--as", "consensus", "--format", "json")
    undecided = json.loads(r.stdout)
    assert [(d["code"], d["transcript"], d["unit"], d["applied_by"]) for d in undecided] == [("decision", "yp-T2", 3, "B")]
    assert "3 agreed unit x code(s), 1 included, 1 excluded" in r.stderr and "4 added" in r.stderr
    assert "1 disagreement(s) remain undecided" in r.stderr

    t1, _ = build_text(T1)
    t2, _ = build_text(T2)
    assert consensus_rows(root) == sorted([
        ("yp-T1", "env", "Privacy is very important.", True, "accepted", ""),  # A's span, A's exemplar
        ("yp-T1", "env", T1[3][1], False, "accepted", ""),  # A's coding of turns 3-5, clipped to turn 3
        ("yp-T1", "regular", T1[7][1], True, "accepted", ""),  # A's span; exemplar because B marked theirs
        ("yp-T2", "decision", T2[1][1], False, "accepted", "agreed"),  # the decided include
    ])
    r = ok(root, "consensus", "--coders", "A,B", "--as", "consensus")
    assert "0 added, 0 removed, 4 unchanged" in r.stderr  # idempotent
    assert len(consensus_rows(root)) == 4

    ok(root, "consensus", "decide", "--coders", "A,B", "yp-T2", "1", "decision", "exclude")
    ok(root, "consensus", "decide", "--coders", "A,B", "yp-T2", "3", "decision", "include")
    r = ok(root, "consensus", "--coders", "A,B", "--as", "consensus")
    assert "1 added, 1 removed" in r.stderr and "no undecided disagreements remain" in r.stderr
    assert ("yp-T2", "decision", T2[3][1], False, "accepted", "") in consensus_rows(root)

    # the consensus coder is not a coder in agreement's default comparison
    data = json.loads(ok(root, "agreement", "--format", "json").stdout)
    assert data["coders"] == ["A", "B"]
    kinds = {c["coder"]: c["kind"] for c in json.loads(ok(root, "coders", "list", "--format", "json").stdout)}
    assert kinds == {"A": "coder", "B": "coder", "consensus": "consensus", "qualcode:rules": "rules"}


def test_decide_and_consensus_errors(team):
    root = team.root
    r = run(["consensus", "decide", "--coders", "A,B", "yp-T1", "1", "env", "include"], cwd=root)
    assert r.exit_code == 7 and "turn 1 of 'yp-T1' is not a disagreement between A and B on 'env'" in r.stderr
    r = run(["consensus", "decide", "--coders", "A,B", "yp-T1", "5", "env", "maybe"], cwd=root)
    assert r.exit_code == 2
    r = run(["consensus", "--coders", "A,B", "--as", "B"], cwd=root)
    assert r.exit_code == 7 and "its own name" in r.stderr
    r = run(["consensus", "--coders", "A,B", "--as", "qualcode:rules"], cwd=root)
    assert r.exit_code == 7 and "already has their own codings" in r.stderr
    r = run(["consensus", "--coders", "A,B"], cwd=root)
    assert r.exit_code == 2 and "--as NAME" in r.stderr


def _fill_xlsx(path, decisions):
    wb = load_workbook(path)
    ws = wb["Disagreements"]
    for row, (decision, note) in decisions.items():
        ws.cell(row=row, column=10, value=decision)
        ws.cell(row=row, column=11, value=note)
    wb.save(path)


def test_import_filled_xlsx_all_or_nothing(team, tmp_path):
    root, sheet = team.root, tmp_path / "meeting.xlsx"
    ok(root, "disagreements", "--coders", "A,B", "-o", str(sheet))
    _fill_xlsx(sheet, {2: ("Include", "hearing others is about the room"), 3: ("maybe", None), 4: ("nein", None)})
    r = run(["consensus", "import", str(sheet), "--coders", "A,B"], cwd=root)
    assert r.exit_code == 6
    assert "meeting.xlsx:3: row 3: cannot read decision 'maybe'" in r.stderr
    assert "meeting.xlsx:4: row 4: cannot read decision 'nein'" in r.stderr
    rows = json.loads(ok(root, "disagreements", "--coders", "A,B", "--format", "json").stdout)
    assert all(d["decision"] == "" for d in rows)  # nothing recorded

    _fill_xlsx(sheet, {3: ("exclude", ""), 4: ("", "")})
    r = ok(root, "consensus", "import", str(sheet), "--coders", "B,A", "--by", "meeting")
    assert "2 decision(s) recorded, 1 row(s) left undecided (turn units)" in r.stderr
    rows = json.loads(ok(root, "disagreements", "--coders", "A,B", "--format", "json").stdout)
    assert [(d["decision"], d["note"]) for d in rows] == [("include", "hearing others is about the room"),
                                                         ("exclude", ""), ("", "")]
    r = run(["consensus", "import", str(sheet), "--coders", "A,C"], cwd=root)
    assert r.exit_code == 6 and "this sheet is for coders A, B" in r.stderr


def test_import_md_and_docx(team, tmp_path):
    root = team.root
    md = tmp_path / "new-folder" / "meeting.md"   # the folder is created, as for reports
    assert ok(root, "disagreements", "--coders", "A,B", "-o", str(md)).stdout.strip() == str(md)
    lines = md.read_text(encoding="utf-8").splitlines()
    env_line = next(i for i, line in enumerate(lines) if line.startswith("| env |"))
    lines[env_line] = lines[env_line][:-len("|  |  |")] + "| exclude | not about the room |"
    md.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = ok(root, "consensus", "import", str(md), "--coders", "A,B")
    assert "1 decision(s) recorded, 2 row(s) left undecided" in r.stderr

    docx = tmp_path / "meeting.docx"
    ok(root, "disagreements", "--coders", "A,B", "-o", str(docx))
    doc = Document(str(docx))
    rows = doc.tables[0].rows
    rows[2].cells[9].text = "include"
    rows[3].cells[9].text = "sometimes"
    doc.save(str(docx))
    r = run(["consensus", "import", str(docx), "--coders", "A,B"], cwd=root)
    assert r.exit_code == 6 and "meeting.docx:4: table row 4: cannot read decision 'sometimes'" in r.stderr
    rows[3].cells[9].text = "Exclude"
    doc.save(str(docx))
    ok(root, "consensus", "import", str(docx), "--coders", "A,B")
    decided = json.loads(ok(root, "disagreements", "--coders", "A,B", "--format", "json").stdout)
    assert [d["decision"] for d in decided] == ["exclude", "include", "exclude"]
    assert decided[0]["note"] == "not about the room"  # docx row 2 had no decision: md decision kept
    r = run(["consensus", "import", str(tmp_path / "nothing.xlsx"), "--coders", "A,B"], cwd=root)
    assert r.exit_code == 6 and "no such file" in r.stderr
