"""Review packs as a co-facilitator opens them: Excel and Word."""
from __future__ import annotations

from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from qualcode.cli import cli
from qualcode.review.pack_export import export_pack
from qualcode.review.pack_model import checksum

from .conftest import coding


def export(project, tmp_path, name="pack.xlsx", *args):
    out = tmp_path / name
    result = CliRunner().invoke(cli, ["--project", str(project.root), "review-pack", "export", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out, result


def test_xlsx_pack_has_instructions_quotes_dropdowns_and_hidden_checksums(project, tmp_path):
    out, result = export(project, tmp_path, "pack.xlsx", "--group", "young-person")
    assert result.stdout.strip() == str(out)
    assert "5 quotes written" in result.stderr
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "Instructions"
    assert wb.active.title == "Instructions"
    instructions = " ".join(str(c.value) for c in wb["Instructions"]["A"] if c.value)
    for words in ("keep", "drop", "best", "Move to", "reorder", "delete"):
        assert words in instructions
    ws = wb["Quotes"]
    header = [c.value for c in ws[1]]
    assert header == ["Quote ID", "Domain", "Subtheme", "Quote", "Attribution", "Decision", "Move to", "Comment",
                      "Coded by", "Checksum", "Same passage"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    privacy = coding(project, "Privacy")
    assert rows[0][:5] == [f"Q{privacy.id}", "Bond", "Conducive environment", "Privacy is very important.",
                           "Respondent\xa0D3"]  # held together on one line
    assert rows[0][8] == privacy.coder
    assert rows[0][9] == checksum(privacy.snippet)
    assert [r[2] for r in rows] == ["Conducive environment", "Conducive environment", "Regular engagements",
                                    "Listening [actively]", "Decision on treatment goals"]
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["J"].hidden and ws.column_dimensions["K"].hidden
    assert ws.column_dimensions["D"].width >= 50
    assert ws["D2"].alignment.wrap_text
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert validations["F2:F6"].formula1 == '"keep,drop,best"'
    move = validations["G2:G6"].formula1
    lists = wb["Lists"]
    assert lists.sheet_state == "hidden"
    labels = [c.value for c in lists["A"][1:]]
    assert "Lists" in move and len(labels) == 5
    assert "Conducive environment" in labels and "Training" not in labels  # only the group's subthemes


def test_export_filters_by_domain_and_status(project, tmp_path):
    export_pack(project, tmp_path / "goals.xlsx", "xlsx", domains=["goals"])
    rows = list(load_workbook(tmp_path / "goals.xlsx")["Quotes"].iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in rows] == ["Decision on treatment goals"]
    out = tmp_path / "none.xlsx"
    result = CliRunner().invoke(cli, ["--project", str(project.root), "review-pack", "export", "--status",
                                      "accepted", "-o", str(out)])
    assert result.exit_code == 6 and "no quotes to review" in result.stderr
    assert not out.exists()


def test_unknown_domain_is_an_error_naming_the_domains(project, tmp_path):
    result = CliRunner().invoke(cli, ["--project", str(project.root), "review-pack", "export", "--domain", "bnd",
                                      "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 6
    assert "unknown domain bnd" in result.stderr and "bond" in result.stderr


def test_several_groups_get_one_sheet_each(project, tmp_path):
    out, _ = export(project, tmp_path, "all.xlsx")
    wb = load_workbook(out)
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert visible == ["Instructions", "Quotes clinician", "Quotes young-person"]
    labels = [c.value for c in wb["Lists"]["A"][1:] if c.value]
    assert labels == ["Decision on treatment goals", "Other goals", "Training", "Supervision"]


def test_docx_pack_has_instructions_domain_headings_and_empty_decision_cells(project, tmp_path):
    out, _ = export(project, tmp_path, "pack.docx", "--group", "young-person")
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "keep, drop or best" in text
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Bond", "Goals"]
    bond = doc.tables[0]
    assert [c.text for c in bond.rows[0].cells] == ["Quote ID", "Subtheme", "Quote", "Attribution", "Decision", "Comment",
                                                   "Coded by"]
    first = [c.text for c in bond.rows[1].cells]
    privacy = coding(project, "Privacy")
    assert first[0] == f"Q{privacy.id} #{checksum(privacy.snippet)}"
    assert first[1:] == ["Conducive environment", "Privacy is very important.", "Respondent\xa0D3", "", "", privacy.coder]
    hidden = [r for r in bond.rows[1].cells[0].paragraphs[0].runs if r.font.hidden]
    assert [r.text for r in hidden] == [f" #{checksum(privacy.snippet)}"]  # not printed
    assert "<w:tblHeader/>" in bond._tbl.xml


def test_format_must_be_known(project, tmp_path):
    result = CliRunner().invoke(cli, ["--project", str(project.root), "review-pack", "export", "-o",
                                      str(tmp_path / "pack.pdf")])
    assert result.exit_code == 2 and "--format xlsx" in result.stderr
