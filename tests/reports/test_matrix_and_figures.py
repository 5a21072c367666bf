from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from qualcode.reports.figures import (COOCCURRENCE_CMAP, COUNTS_CMAP, heatmap_codes_by_participants,
                                      heatmap_cooccurrence, wrap_label)
from qualcode.analysis.framework import MatrixCell, MatrixRow, ThemeMatrix, ref_line
from qualcode.reports.matrix import write_matrix_csv, write_matrix_docx, write_matrix_xlsx


@pytest.fixture
def matrices() -> list[ThemeMatrix]:
    return [
        ThemeMatrix("bond", "Bond", [("env", "Conducive environment"), ("conf", "Confidentiality")], [
            MatrixRow("young", "D1", "Respondent D1", [MatrixCell("Feels heard.", ["yp-D1 turn 3", "yp-D1 turn 9"]),
                                                       MatrixCell()]),
            MatrixRow("young", "D2", "Respondent D2", [MatrixCell("", ["yp-D2 turn 4"]), MatrixCell("Sets goals")]),
        ]),
        ThemeMatrix("def", "Definition of WA", [("coop", "Cooperative working relationship")], [
            MatrixRow("lay", "R3", "Lay counsellor R3", [MatrixCell("", ["lc-R3 turn 2", "lc-R1 turn 5"])]),
        ]),
    ]


def test_reference_lines_name_transcript_and_turn():
    assert ref_line(["yp-D1 turn 3", "yp-D1 turn 9", "yp-V2 turn 4"]) == "Quotes: yp-D1 turns 3, 9; yp-V2 turn 4"
    assert ref_line([]) == ""


def test_matrix_csv_is_one_row_per_participant_and_subtheme(matrices, tmp_path):
    write_matrix_csv(matrices, tmp_path / "m.csv")
    with open(tmp_path / "m.csv", newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["theme", "subtheme", "group", "participant", "attribution", "summary", "quotes"]
    assert rows[1] == ["Bond", "Conducive environment", "young", "D1", "Respondent D1", "Feels heard.",
                       "Quotes: yp-D1 turns 3, 9"]
    assert len(rows) == 1 + 4 + 1


def test_matrix_xlsx_one_sheet_per_theme_ready_to_print(matrices, tmp_path):
    write_matrix_xlsx(matrices, tmp_path / "m.xlsx", paper="letter")
    book = load_workbook(tmp_path / "m.xlsx")
    assert book.sheetnames == ["Bond", "Definition of WA"]
    sheet = book["Bond"]
    assert [c.value for c in sheet[1]] == ["Participant", "Conducive environment", "Confidentiality"]
    assert sheet["A2"].value == "Respondent D1"
    assert sheet["B2"].value == "Feels heard.\nQuotes: yp-D1 turns 3, 9"
    assert sheet["B2"].alignment.wrap_text and sheet.row_dimensions[2].height >= 30
    assert sheet.freeze_panes == "B2"
    assert sheet.print_title_rows == "$1:$1" and sheet.print_title_cols == "$A:$A"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert min(sheet.column_dimensions[c].width for c in "BC") >= 22


def test_matrix_docx_one_landscape_table_per_theme(matrices, tmp_path):
    write_matrix_docx(matrices, tmp_path / "m.docx")
    doc = Document(str(tmp_path / "m.docx"))
    assert doc.sections[-1].page_width > doc.sections[-1].page_height
    assert [p.text for p in doc.paragraphs if p.text][:3] == ["Framework matrix", "Bond", "Definition of WA"]
    first, second = doc.tables
    assert [c.text for c in first.rows[0].cells] == ["Participant", "Conducive environment", "Confidentiality"]
    assert first._tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is not None
    assert [p.text for p in first.rows[1].cells[1].paragraphs] == ["Feels heard.", "Quotes: yp-D1 turns 3, 9"]
    assert second.rows[1].cells[0].text == "Lay\xa0counsellor\xa0R3"


@pytest.fixture
def counts() -> pd.DataFrame:
    return pd.DataFrame([[2, 0, 1], [0, 3, 0]], index=["young/D1", "lay/C1"],
                        columns=["bond", "a very long code label that needs wrapping to fit", "tasks"])


def test_heatmaps_png_and_svg(counts, tmp_path):
    heatmap_codes_by_participants(counts, tmp_path / "h.png")
    assert (tmp_path / "h.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    c = pd.DataFrame([[1.0, 0.4], [0.4, 1.0]], index=["bond", "goals"], columns=["bond", "goals"])
    heatmap_cooccurrence(c, tmp_path / "c.svg")
    root = ET.parse(tmp_path / "c.svg").getroot()
    assert root.tag.endswith("svg")
    assert "0.40" in (tmp_path / "c.svg").read_text()


def test_heatmap_rejects_unknown_suffix(counts, tmp_path):
    with pytest.raises(ValueError, match="png"):
        heatmap_codes_by_participants(counts, tmp_path / "h.bmp")


def svg_texts(path) -> list[str]:
    """The texts drawn in a matplotlib SVG (each written as a comment), lines joined by spaces."""
    return [" ".join(t.split()) for t in re.findall(r"<!-- (.*?) -->", path.read_text(), re.S)]


def test_heatmap_labels_are_wrapped_not_cut(counts, tmp_path):
    heatmap_codes_by_participants(counts, tmp_path / "h.svg")
    texts = svg_texts(tmp_path / "h.svg")
    i = texts.index("a very long code label that needs")  # every word, on two lines
    assert texts[i + 1] == "wrapping to fit"
    assert not any("…" in t for t in texts)
    assert wrap_label("a very long code label that needs wrapping to fit", 20) == \
        "a very long code\nlabel that needs\nwrapping to fit"


def test_cooccurrence_shows_the_count_where_the_coefficient_is_tiny(tmp_path):
    codes = ["bond", "goals", "tasks"]
    c = pd.DataFrame([[1.0, 0.4, 0.01], [0.4, 1.0, 0.0], [0.01, 0.0, 1.0]], index=codes, columns=codes)
    n = pd.DataFrame([[9, 4, 1], [4, 6, 0], [1, 0, 80]], index=codes, columns=codes)
    heatmap_cooccurrence(c, tmp_path / "c.svg", counts=n, code_labels={"bond": "Bond with the counsellor"})
    texts = svg_texts(tmp_path / "c.svg")
    assert ("0.40" in texts and "n=4" in texts) or "0.40 n=4" in texts  # a clear pair: coefficient and count
    assert "n=1" in texts and not any("0.01" in t for t in texts)  # a rare pair: its count, not 0.01
    assert "n=0" not in texts and texts.count("0.00") <= 1  # pairs never coded together stay blank (0.00: the scale)
    assert "1 Bond with the counsellor" in texts


@pytest.mark.parametrize("name", [COUNTS_CMAP, COOCCURRENCE_CMAP])
def test_colour_scales_read_in_grey_print(name):
    from matplotlib import colormaps

    cmap = colormaps[name]
    grey = [0.2126 * r + 0.7152 * g + 0.0722 * b for r, g, b, _ in (cmap(i / 20) for i in range(21))]
    assert all(a > b for a, b in zip(grey, grey[1:]))  # darker as values grow: distinct shades of grey
