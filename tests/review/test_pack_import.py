"""Importing reviewers' packs: decisions applied, refusals leave the project unchanged,
re-import changes nothing, conflicting reviewers are listed rather than overwritten."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.coding.manual import Selection, remove_codings
from qualcode.store.codings import list_memos, query_codings
from qualcode.store.review_decisions import list_decisions
from qualcode.store.transcripts import get_transcript, get_turns, set_transcript_text

from .conftest import coding
from .packs import fill_docx, fill_xlsx, make_pack, qid, snapshot


def run(project, *args):
    return CliRunner().invoke(cli, ["--project", str(project.root), *args])


def import_pack(project, path, reviewer, *more):
    return run(project, "review-pack", "import", str(path), "--reviewer", reviewer, *more)


@pytest.fixture
def filled(project, tmp_path):
    """A pack filled in by 'sarah': rows reordered, one deleted, a best, a drop, a move, comments."""
    pack = make_pack(project, tmp_path / "pack.xlsx")
    return fill_xlsx(pack, tmp_path / "sarah.xlsx", {
        qid(project, "Privacy"): {"Decision": "best", "Comment": "Says it all [really]"},
        qid(project, "I don't"): {"Decision": "Drop"},
        qid(project, "I think meeting"): {"Decision": "keep", "Move to": "conducive ENVIRONMENT"},
        qid(project, "the counsellor"): {"Comment": "Not sure about this one"},
    }, delete=(qid(project, "I was involved"),), reverse=True)


def test_xlsx_round_trip_applies_decisions_moves_and_comments(project, filled):
    result = import_pack(project, filled, "sarah")
    assert result.exit_code == 0, result.output
    privacy, overhear = coding(project, "Privacy"), coding(project, "I don't")
    meeting, listen, goals = (coding(project, s) for s in ("I think meeting", "the counsellor", "I was involved"))
    assert (privacy.status, privacy.exemplar, privacy.decided_by) == ("accepted", True, "sarah")
    assert (overhear.status, overhear.exemplar) == ("rejected", False)
    assert (meeting.status, meeting.code_id) == ("accepted", "bond.env")
    assert listen.status == "suggested"  # a comment only: no decision
    assert goals.status == "suggested"  # the reviewer deleted this row
    with project.engine.connect() as conn:
        comments = [(m.kind, m.author, m.coding_id, m.text) for m in list_memos(conn, "comment")]
    assert sorted(comments) == sorted([("comment", "sarah", privacy.id, "Says it all [really]"),
                                       ("comment", "sarah", listen.id, "Not sure about this one")])
    assert "moved to Conducive environment" in result.stdout
    assert "marked best" in result.stdout
    assert "4 row(s) read" in result.stderr


def test_reimporting_the_same_pack_changes_nothing(project, filled):
    assert import_pack(project, filled, "sarah").exit_code == 0
    before = snapshot(project)
    again = import_pack(project, filled, "sarah")
    assert again.exit_code == 0
    assert "0 change(s), 0 conflict(s)" in again.stderr
    assert snapshot(project) == before


def test_decisions_show_at_store_level_as_report_quotes_selects_them(project, filled):
    import_pack(project, filled, "sarah")
    with project.engine.connect() as conn:
        accepted = query_codings(conn, status="accepted", code="bond.env")
    ordered = sorted(accepted, key=lambda c: (not c.exemplar, c.start))
    assert [c.snippet for c in ordered] == ["Privacy is very important.", "I think meeting every week helps."]
    assert "I don't want people to overhear me." not in [c.snippet for c in accepted]


def test_report_quotes_csv_reflects_the_decisions(project, filled, tmp_path):
    import_pack(project, filled, "sarah")
    out = tmp_path / "table3.csv"
    result = run(project, "report", "quotes", "--group", "young-person", "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.output
    table = out.read_text(encoding="utf-8")
    assert "overhear me" not in table  # dropped
    assert "should really listen" not in table  # never decided: still a suggestion
    assert table.index("Privacy is very important") < table.index("meeting every week")  # best first


def test_docx_round_trip(project, tmp_path):
    pack = make_pack(project, tmp_path / "pack.docx", "docx")
    filled = fill_docx(pack, tmp_path / "tom.docx", {
        qid(project, "Privacy"): {"Decision": "keep"},
        qid(project, "I don't"): {"Decision": "best", "Comment": "Powerful"},
        qid(project, "I was involved"): {"Decision": "drop"},
    }, delete=(qid(project, "the counsellor"),), reverse=True)
    result = import_pack(project, filled, "tom")
    assert result.exit_code == 0, result.output
    assert coding(project, "Privacy").status == "accepted"
    assert (coding(project, "I don't").status, coding(project, "I don't").exemplar) == ("accepted", True)
    assert coding(project, "I was involved").status == "rejected"
    assert coding(project, "the counsellor").status == "suggested"
    with project.engine.connect() as conn:
        assert [m.text for m in list_memos(conn, "comment", author="tom")] == ["Powerful"]
    before = snapshot(project)
    assert import_pack(project, filled, "tom").exit_code == 0
    assert snapshot(project) == before


def test_unreadable_decisions_are_listed_and_nothing_changes(project, tmp_path):
    pack = make_pack(project, tmp_path / "pack.xlsx")
    bad = fill_xlsx(pack, tmp_path / "bad.xlsx", {
        qid(project, "Privacy"): {"Decision": "best"},
        qid(project, "I don't"): {"Decision": "maybe"},
        qid(project, "I think meeting"): {"Decision": "keep?", "Comment": "hmm"},
        qid(project, "the counsellor"): {"Move to": "Not a subtheme"},
    })
    before = snapshot(project)
    result = import_pack(project, bad, "sarah")
    assert result.exit_code == 6
    assert f"row 3 ({qid(project, 'I don')}): cannot read the decision 'maybe'" in result.stderr
    assert f"({qid(project, 'I think meeting')}): cannot read the decision 'keep?'" in result.stderr
    assert "'Not a subtheme' is not a subtheme for young-person" in result.stderr
    assert "3 row(s) cannot be imported; nothing was changed" in result.stderr
    assert result.stdout == ""
    assert snapshot(project) == before


def test_move_to_a_subtheme_of_another_group_is_refused(project, tmp_path):
    pack = make_pack(project, tmp_path / "pack.xlsx")
    bad = fill_xlsx(pack, tmp_path / "bad.xlsx", {qid(project, "Privacy"): {"Move to": "Training"}})
    before = snapshot(project)
    result = import_pack(project, bad, "sarah")
    assert result.exit_code == 6 and "'Training' is not a subtheme for young-person" in result.stderr
    assert snapshot(project) == before


def test_a_quote_whose_text_changed_in_the_project_is_refused(project, tmp_path):
    pack = make_pack(project, tmp_path / "pack.xlsx")
    filled = fill_xlsx(pack, tmp_path / "sarah.xlsx", {qid(project, "Privacy"): {"Decision": "best"},
                                                       qid(project, "I don't"): {"Decision": "keep"}})
    with project.engine.begin() as conn:  # e.g. de-identification rewrote the words after export
        t = get_transcript(conn, "yp-D3")
        set_transcript_text(conn, t.id, t.text.replace("very important.", "so essential.."), get_turns(conn, t.id))
    before = snapshot(project)
    result = import_pack(project, filled, "sarah")
    assert result.exit_code == 6
    assert f"({qid(project, 'Privacy')}): the quote's text changed in the project" in result.stderr
    assert snapshot(project) == before


def test_a_quote_whose_coding_was_deleted_is_refused(project, tmp_path):
    pack = make_pack(project, tmp_path / "pack.docx", "docx")
    gone = qid(project, "I don")
    filled = fill_docx(pack, tmp_path / "tom.docx", {qid(project, "Privacy"): {"Decision": "keep"},
                                                     gone: {"Decision": "drop"}})
    remove_codings(project, Selection(ids=[coding(project, "I don't").id]))
    before = snapshot(project)
    result = import_pack(project, filled, "tom")
    assert result.exit_code == 6
    assert f"table 1 row 3 ({gone}): this quote is no longer in the project" in result.stderr
    assert snapshot(project) == before


def test_edited_quote_words_are_a_warning_not_an_error(project, tmp_path):
    pack = make_pack(project, tmp_path / "pack.xlsx")
    filled = fill_xlsx(pack, tmp_path / "sarah.xlsx", {
        qid(project, "Privacy"): {"Decision": "keep", "Quote": "Privacy is SO important."}})
    result = import_pack(project, filled, "sarah")
    assert result.exit_code == 0
    assert "quote's words were edited; edits are not kept" in result.stderr
    assert coding(project, "Privacy").snippet == "Privacy is very important."


def test_a_file_that_is_not_a_pack_is_refused(project, tmp_path):
    other = tmp_path / "notes.xlsx"
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(["Name", "Notes"])
    wb.save(other)
    result = import_pack(project, other, "sarah")
    assert result.exit_code == 6 and "no table with 'Quote ID' and 'Decision' columns" in result.stderr
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook")
    result = import_pack(project, broken, "sarah")
    assert result.exit_code == 6 and "is not a .xlsx review pack" in result.stderr and str(broken) in result.stderr
    assert "Traceback" not in result.output


def test_two_reviewers_in_conflict_are_listed_not_overwritten(project, tmp_path):
    pack = make_pack(project, tmp_path / "pack.xlsx")
    privacy = qid(project, "Privacy")
    sarah = fill_xlsx(pack, tmp_path / "sarah.xlsx", {privacy: {"Decision": "drop"},
                                                      qid(project, "I don't"): {"Decision": "keep"}})
    tom = fill_xlsx(pack, tmp_path / "tom.xlsx", {privacy: {"Decision": "best"},
                                                  qid(project, "I don't"): {"Decision": "keep"}})
    assert import_pack(project, sarah, "sarah").exit_code == 0
    result = import_pack(project, tom, "tom")
    assert result.exit_code == 0
    assert "Conflicts (not applied)" in result.stdout and "sarah: drop; tom: best" in result.stdout
    assert "1 conflict(s)" in result.stderr and "review-pack settle" in result.stderr
    assert coding(project, "Privacy").status == "rejected"  # sarah's decision stands for now
    with project.engine.connect() as conn:
        states = {(d.reviewer, d.decision, d.state) for d in list_decisions(conn)
                  if d.coding_id == coding(project, "Privacy").id}
    assert states == {("sarah", "drop", "applied"), ("tom", "best", "conflict")}
    listed = run(project, "review-pack", "conflicts", "--format", "json")
    assert json.loads(listed.stdout) == [{"quote": privacy, "subtheme": "Conducive environment",
                                          "text": "Privacy is very important.", "decisions": "sarah: drop; tom: best"}]
    again = import_pack(project, tom, "tom")  # importing again still changes nothing
    assert "0 change(s), 1 conflict(s)" in again.stderr

    settled = run(project, "review-pack", "settle", "--prefer", "tom")
    assert settled.exit_code == 0, settled.output
    row = coding(project, "Privacy")
    assert (row.status, row.exemplar, row.decided_by) == ("accepted", True, "tom")
    assert json.loads(run(project, "review-pack", "conflicts", "--format", "json").stdout) == []


def test_prefer_at_import_applies_the_preferred_reviewer(project, tmp_path):
    pack = make_pack(project, tmp_path / "pack.xlsx")
    privacy = qid(project, "Privacy")
    sarah = fill_xlsx(pack, tmp_path / "sarah.xlsx", {privacy: {"Decision": "drop"}})
    tom = fill_xlsx(pack, tmp_path / "tom.xlsx", {privacy: {"Decision": "best"}})
    import_pack(project, sarah, "sarah")
    result = import_pack(project, tom, "tom", "--prefer", "sarah")
    assert "0 conflict(s)" in result.stderr
    assert coding(project, "Privacy").status == "rejected"
    result = import_pack(project, tom, "tom", "--prefer", "tom")
    assert result.exit_code == 0
    assert (coding(project, "Privacy").status, coding(project, "Privacy").exemplar) == ("accepted", True)
    with project.engine.connect() as conn:
        assert {(d.reviewer, d.state) for d in list_decisions(conn)} == {("sarah", "overruled"), ("tom", "applied")}


def test_a_reviewer_may_change_their_mind(project, tmp_path):
    pack = make_pack(project, tmp_path / "pack.xlsx")
    privacy = qid(project, "Privacy")
    import_pack(project, fill_xlsx(pack, tmp_path / "a.xlsx", {privacy: {"Decision": "best"}}), "sarah")
    assert coding(project, "Privacy").exemplar
    result = import_pack(project, fill_xlsx(pack, tmp_path / "b.xlsx", {privacy: {"Decision": "keep"}}), "sarah")
    assert result.exit_code == 0 and "no longer exemplar" in result.stdout
    assert (coding(project, "Privacy").status, coding(project, "Privacy").exemplar) == ("accepted", False)


def test_import_listing_as_json(project, filled):
    result = import_pack(project, filled, "sarah", "--format", "json")
    data = json.loads(result.stdout)
    assert set(data) == {"changes", "conflicts"}
    assert {"quote": qid(project, "I don't"), "subtheme": "Conducive environment", "change": "rejected",
            "reviewer": "sarah"} in data["changes"]
