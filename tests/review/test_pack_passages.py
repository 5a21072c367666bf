"""One row per passage: the same span coded by several coders, or a trimmed quote inside the full
turn coded with the same code, is one pack row listing its coders; the reviewer's decision goes
to every coding of the passage on import (Excel and Word)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from qualcode.cli import cli
from qualcode.store.codings import insert_codings, query_codings

from .conftest import coding
from .packs import fill_docx, fill_xlsx, make_pack


def _double_code(project):
    """A second coder codes "Privacy is very important." too, and the analyst the sentence around it."""
    privacy = coding(project, "Privacy")
    with project.engine.begin() as conn:
        text = conn.exec_driver_sql("select text from transcripts where id = ?", (privacy.transcript_id,)).scalar()
        longer = privacy.end + len(" [laughs]")
        assert text[privacy.start:longer] == "Privacy is very important. [laughs]"
        insert_codings(conn, [
            dict(transcript_id=privacy.transcript_id, start=privacy.start, end=privacy.end, snippet=privacy.snippet,
                 code_id="bond.env", coder="second", origin="manual", status="accepted"),
            dict(transcript_id=privacy.transcript_id, start=privacy.start, end=longer,
                 snippet=text[privacy.start:longer], code_id="bond.env", coder="analyst", origin="manual",
                 status="suggested"),
        ])
    return privacy


def _rows(path):
    ws = load_workbook(path)["Quotes"]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value for c in r))) for r in ws.iter_rows(min_row=2)]


def test_one_row_per_passage_with_its_coders(project, tmp_path):
    privacy = _double_code(project)
    rows = _rows(make_pack(project, tmp_path / "pack.xlsx"))
    privacy_rows = [r for r in rows if (r["Quote"] or "").startswith("Privacy")]
    assert len(privacy_rows) == 1  # not three: each coder's copy and the full turn are the same passage
    row = privacy_rows[0]
    assert row["Quote"] == "Privacy is very important."  # the accepted, shorter quote is shown
    assert set(row["Coded by"].split(", ")) == {privacy.coder, "second", "analyst"}
    assert row["Same passage"].count("Q") == 2
    assert [r["Quote"] for r in rows].count("I don't want people to overhear me.") == 1  # another passage, kept


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_a_decision_on_a_merged_row_goes_to_every_coding_of_the_passage(project, tmp_path, fmt):
    _double_code(project)
    pack = make_pack(project, tmp_path / f"pack.{fmt}", fmt)
    with project.engine.connect() as conn:
        ids = [c.id for c in query_codings(conn) if c.snippet.startswith("Privacy")]
        shown = next(c.id for c in query_codings(conn, ids=set(ids)) if c.coder == "second")
    fill = fill_xlsx if fmt == "xlsx" else fill_docx
    done = fill(pack, tmp_path / f"done.{fmt}", {f"Q{shown}": {"Decision": "drop"}})
    result = CliRunner().invoke(cli, ["--project", str(project.root), "review-pack", "import", str(done),
                                      "--reviewer", "YP group"])
    assert result.exit_code == 0, result.output
    with project.engine.connect() as conn:
        statuses = {c.coder: c.status for c in query_codings(conn, ids=set(ids))}
    assert len(ids) == 3 and set(statuses.values()) == {"rejected"}, statuses
