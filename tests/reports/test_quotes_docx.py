from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from qualcode.analysis.quote_table import DomainBlock, Quote, QuoteTable, SubthemeRow, empty_subthemes
from qualcode.reports.quotes_docx import write_quotes_docx


def _write(table, tmp_path, **kwargs):
    path = tmp_path / "quotes.docx"
    write_quotes_docx(table, path, **kwargs)
    return Document(str(path))


def _vmerge(cell):
    tc_pr = cell._tc.tcPr
    el = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
    if el is None:
        return None
    return el.get(qn("w:val")) or "continue"


def test_title_subtitle_and_header(table, tmp_path):
    doc = _write(table, tmp_path)
    paragraphs = [p for p in doc.paragraphs if p.text]
    assert paragraphs[0].text == "Table 3"
    assert all(r.bold for r in paragraphs[0].runs)
    assert paragraphs[1].text == "Young person's views"
    assert not any(r.bold for r in paragraphs[1].runs)
    (tbl,) = doc.tables
    header = tbl.rows[0]
    assert [c.text for c in header.cells] == ["Domain", "Subtheme", "Verbatim quote(s)"]
    assert all(r.bold for c in header.cells for p in c.paragraphs for r in p.runs)
    fills = [c._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) for c in header.cells]
    assert fills == ["D9D9D9"] * 3


def test_header_repeats_and_rows_do_not_split(table, tmp_path):
    tbl = _write(table, tmp_path).tables[0]
    rows = tbl._tbl.tr_lst
    assert rows[0].trPr.find(qn("w:tblHeader")) is not None
    assert all(r.trPr.find(qn("w:tblHeader")) is None for r in rows[1:])
    assert all(r.trPr.find(qn("w:cantSplit")) is not None for r in rows)


def test_domain_cell_is_merged_down_with_its_text_once(table, tmp_path):
    tbl = _write(table, tmp_path).tables[0]
    body = tbl.rows[1:]
    assert len(body) == 4  # 3 Bond subthemes + 1 Goals subtheme
    domain_cells = [r.cells[0] for r in body]
    raw = [r._tr.tc_lst[0] for r in body]
    assert [_vmerge(c) for c in domain_cells[:1]] == ["restart"]
    assert [tc.tcPr.find(qn("w:vMerge")).get(qn("w:val")) for tc in raw] == \
        ["restart", None, None, "restart"]
    # the merged cell reads "Bond" once; the continuation cells hold no text of their own
    assert domain_cells[0].text == "Bond"
    assert ["".join(t.text for t in tc.iter(qn("w:t"))) for tc in raw] == ["Bond", "", "", "Goals"]
    assert domain_cells[1]._tc is domain_cells[0]._tc  # python-docx resolves the merge
    assert [r.cells[1].text for r in body] == [
        "Conducive environment", "Regular engagements", "Confidentiality", "Decision on treatment goals"]


def test_quotes_italic_in_curly_quotes_with_upright_attribution(table, tmp_path):
    tbl = _write(table, tmp_path).tables[0]
    cell = tbl.rows[2].cells[2]
    assert len(cell.paragraphs) == 2  # one paragraph per quote
    first = cell.paragraphs[0]
    quote_run, attribution_run = first.runs
    assert quote_run.text == "“I think keeping in touch and meeting face to face, even monthly.”"
    assert quote_run.italic is True
    assert attribution_run.text == " (Respondent\u00a0V1)"
    assert not attribution_run.italic
    assert quote_run.font.size.pt == 10


def test_suggested_quote_is_marked_in_grey(table, tmp_path):
    cell = _write(table, tmp_path).tables[0].rows[2].cells[2]
    runs = cell.paragraphs[1].runs
    assert runs[-1].text == " [suggested]"
    assert not runs[-1].italic
    assert str(runs[-1].font.color.rgb) == "808080"
    assert "[suggested]" not in cell.paragraphs[0].text


def test_empty_subtheme_keeps_its_row(table, tmp_path):
    assert empty_subthemes(table) == [("bond", "bond.conf")]
    row = _write(table, tmp_path).tables[0].rows[3]
    assert row.cells[1].text == "Confidentiality"
    assert row.cells[2].text == ""


def test_domain_without_subthemes_keeps_a_row(tmp_path):
    table = QuoteTable("Table 9", [DomainBlock("d", "Lonely domain", [])])
    tbl = _write(table, tmp_path).tables[0]
    assert [c.text for c in tbl.rows[1].cells] == ["Lonely domain", "", ""]


def test_every_cell_has_a_width_that_sums_to_the_text_width(table, tmp_path):
    doc = _write(table, tmp_path)
    section = doc.sections[-1]
    text_width = (section.page_width - section.left_margin - section.right_margin) / 635
    for tr in doc.tables[0]._tbl.tr_lst:
        widths = [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in tr.tc_lst]
        assert abs(sum(widths) - text_width) <= 2
        assert widths[2] > 2 * widths[0]


def test_portrait_by_default_and_landscape_when_asked(table, tmp_path):
    portrait = _write(table, tmp_path).sections[-1]
    assert portrait.page_width < portrait.page_height
    landscape = _write(table, tmp_path, landscape=True).sections[-1]
    assert landscape.orientation == WD_ORIENT.LANDSCAPE
    assert landscape.page_width > landscape.page_height
    assert landscape.page_width == portrait.page_height


def test_reference_docx_styles_survive_and_its_body_is_cleared(table, tmp_path):
    reference = Document()
    style = reference.styles.add_style("House Caption", WD_STYLE_TYPE.PARAGRAPH)
    style.font.name = "Garamond"
    reference.add_paragraph("Old content that must go", style="House Caption")
    reference.add_table(rows=1, cols=1)
    ref_path = tmp_path / "house.docx"
    reference.save(str(ref_path))

    doc = _write(table, tmp_path, reference_docx=ref_path)
    assert "House Caption" in [s.name for s in doc.styles]
    assert doc.styles["House Caption"].font.name == "Garamond"
    assert "Old content" not in "\n".join(p.text for p in doc.paragraphs)
    assert len(doc.tables) == 1


def test_rules_borders_and_hostile_text(tmp_path):
    table = QuoteTable("Table <1> & \"x\"", [DomainBlock("d", "A & B", [SubthemeRow("s", "S", [
        Quote("text with a \x0b control char\nand a line break", "Respondent <D3>")])])])
    doc = _write(table, tmp_path, borders="rules")
    cell = doc.tables[0].rows[1].cells[2]
    assert "control char" in cell.text and "\x0b" not in cell.text
    assert cell._tc.find(".//" + qn("w:br")) is not None
    borders = doc.tables[0]._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders.find(qn("w:insideV")).get(qn("w:val")) == "nil"
    assert doc.paragraphs[0].text == "Table <1> & \"x\""
