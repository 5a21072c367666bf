from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from qualcode.reports.figures import heatmap_codes_by_participants, heatmap_cooccurrence
from qualcode.reports.matrix import write_matrix_csv, write_matrix_docx, write_matrix_xlsx


@pytest.fixture
def matrix() -> pd.DataFrame:
    index = pd.MultiIndex.from_tuples([("young", "D1"), ("young", "D2"), ("lay", "C1")],
                                      names=["group", "participant"])
    return pd.DataFrame([["Feels heard.\n[yp-D1 0-40]", ""], ["[yp-D2 5-9]", "Sets goals"],
                         ["", "[lc-C1 1-2]"]], index=index,
                        columns=pd.Index(["bond", "goals"], name="code"))


def test_matrix_csv_and_xlsx(matrix, tmp_path):
    write_matrix_csv(matrix, tmp_path / "m.csv", code_labels={"bond": "Bond"})
    with open(tmp_path / "m.csv", newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Group", "Participant", "Bond", "goals"]
    assert rows[1] == ["young", "D1", "Feels heard.\n[yp-D1 0-40]", ""]
    write_matrix_xlsx(matrix, tmp_path / "m.xlsx")
    sheet = load_workbook(tmp_path / "m.xlsx").active
    assert [c.value for c in sheet[1]] == ["Group", "Participant", "bond", "goals"]
    assert sheet["D3"].value == "Sets goals"
    assert sheet.freeze_panes == "C2"


def test_matrix_docx_merges_groups_and_repeats_header(matrix, tmp_path):
    write_matrix_docx(matrix, tmp_path / "m.docx", title="Framework matrix")
    doc = Document(str(tmp_path / "m.docx"))
    assert doc.sections[-1].page_width > doc.sections[-1].page_height
    tbl = doc.tables[0]
    assert [c.text for c in tbl.rows[0].cells] == ["Group", "Participant", "bond", "goals"]
    assert tbl._tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is not None
    merges = [tr.tc_lst[0].tcPr.find(qn("w:vMerge")).get(qn("w:val")) for tr in tbl._tbl.tr_lst[1:]]
    assert merges == ["restart", None, "restart"]
    assert tbl.rows[2].cells[0].text == "young"
    assert [p.text for p in tbl.rows[1].cells[2].paragraphs] == ["Feels heard.", "[yp-D1 0-40]"]


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
