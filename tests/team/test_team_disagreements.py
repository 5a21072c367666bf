"""`qualcode disagreements`: each unit where exactly one of two coders applied a code, for the meeting."""
from __future__ import annotations

import json

import pytest
from docx import Document
from openpyxl import load_workbook

from qualcode.store.codings import insert_codings
from tests.conftest import run
from tests.team.builders import T1, coding, make_team_project

HEADER = ["Code", "Label", "Transcript", "Participant", "Turn", "Text", "Codes by A", "Codes by B", "Applied by",
          "Decision", "Note"]


@pytest.fixture
def team(tmp_path):
    project, ids = make_team_project(tmp_path / "p")
    return project


def test_json_lists_each_disagreement_in_codebook_order(team):
    r = run(["disagreements", "--coders", "A,B", "--format", "json"], cwd=team.root)
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [(d["code"], d["transcript"], d["unit"], d["applied_by"]) for d in rows] == [
        ("env", "yp-T1", 5, "A"), ("decision", "yp-T2", 1, "A"), ("decision", "yp-T2", 3, "B")]
    first = rows[0]
    assert first["text"] == "I could hear the other counsellor."
    assert (first["participant"], first["codes_a"], first["codes_b"]) == ("Respondent T1", "env", "")
    assert (first["decision"], first["note"], first["label"]) == ("", "", "Conducive environment")
    assert "3 disagreement(s), 3 undecided; 3 unit x code agreement(s)" in r.stderr


def test_table_prints_transcript_text_verbatim(team):
    r = run(["disagreements", "--coders", "A,B", "--codes", "env,regular"], cwd=team.root)
    assert r.exit_code == 0
    assert "Disagreements: A vs B (1)" in r.stdout and "I could hear the other counsellor." in r.stdout
    # text with [brackets] and | is shown as written (never rich markup)
    with team.engine.begin() as conn:
        from qualcode.store.transcripts import find_transcript
        tid = find_transcript(conn, "yp-T1").id
        insert_codings(conn, [coding(tid, T1, 7, "age", "B")])
    r = run(["disagreements", "--coders", "A,B", "--codes", "age", "--format", "md"], cwd=team.root)
    assert "We met weekly \\| every Monday [laughs]." in r.stdout


def test_xlsx_docx_and_md_sheets(team, tmp_path):
    xlsx, docx, md = tmp_path / "meeting.xlsx", tmp_path / "meeting.docx", tmp_path / "meeting.md"
    for path in (xlsx, docx, md):
        r = run(["disagreements", "--coders", "A,B", "-o", str(path)], cwd=team.root)
        assert r.exit_code == 0, r.output
        assert r.stdout.strip() == str(path)
    ws = load_workbook(xlsx)["Disagreements"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == HEADER
    assert rows[1][:9] == ["env", "Conducive environment", "yp-T1", "Respondent T1", 5,
                           "I could hear the other counsellor.", "env", None, "A"]
    assert rows[1][9:] == [None, None] and len(rows) == 4
    assert ws.data_validations.dataValidation[0].formula1 == '"include,exclude"'

    doc = Document(str(docx))
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == HEADER
    assert [c.text for c in table.rows[3].cells][:5] == ["decision", "Decision on treatment goals", "yp-T2",
                                                         "Respondent T2", "3"]
    assert table.rows[0]._tr.trPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
    assert doc.sections[0].page_width > doc.sections[0].page_height  # landscape

    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Disagreements: A vs B (3, unit: turn)")
    assert "| Code | Label | Transcript | Participant | Turn |" in text


def test_sentence_units_and_errors(team):
    r = run(["disagreements", "--coders", "A,B", "--unit", "sentence", "--format", "json", "--codes", "env"],
            cwd=team.root)
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [(d["text"], d["applied_by"]) for d in rows] == [("We had a quiet room.", "B"),
                                                           ("I could hear the other counsellor.", "A")]
    r = run(["disagreements", "--coders", "A,B,C"], cwd=team.root)
    assert r.exit_code == 7 and "exactly two different coders" in r.stderr
    r = run(["disagreements", "--coders", "A,B", "--format", "docx"], cwd=team.root)
    assert r.exit_code == 2 and "needs -o FILE.docx" in r.stderr
