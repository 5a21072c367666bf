"""Write a framework matrix (rows ``(group, participant)``, columns codes, text cells) as
CSV, Excel or Word. Build the matrix with ``qualcode.analysis.frequencies.framework_matrix``."""
from __future__ import annotations

from os import PathLike
from typing import Mapping

import pandas as pd
from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from qualcode.cells import csv_writer, put
from qualcode.reports import docx_helpers as dx

FONT_PT = 9
HEADER_FILL = "D9D9D9"


def _rows(matrix: pd.DataFrame) -> list[tuple[str, str, list[str]]]:
    rows = []
    for key, values in zip(matrix.index, matrix.itertuples(index=False)):
        group, participant = key if isinstance(key, tuple) else ("", key)
        rows.append((str(group), str(participant), ["" if pd.isna(v) else str(v) for v in values]))
    return rows


def _headers(matrix: pd.DataFrame, code_labels: Mapping[str, str] | None) -> list[str]:
    labels = code_labels or {}
    return ["Group", "Participant"] + [labels.get(c, str(c)) for c in matrix.columns]


def write_matrix_csv(matrix: pd.DataFrame, path: str | PathLike, *,
                     code_labels: Mapping[str, str] | None = None) -> None:
    """Columns Group, Participant, then one per code (its label when given); UTF-8 with BOM."""
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv_writer(handle)
        writer.writerow(_headers(matrix, code_labels))
        for group, participant, cells in _rows(matrix):
            writer.writerow([group, participant, *cells])


def write_matrix_xlsx(matrix: pd.DataFrame, path: str | PathLike, *,
                      code_labels: Mapping[str, str] | None = None) -> None:
    """One sheet; bold, shaded, frozen header row and participant columns; wrapped text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Framework matrix"
    for c, header in enumerate(_headers(matrix, code_labels), start=1):
        put(sheet.cell(1, c), header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, (group, participant, cells) in enumerate(_rows(matrix), start=2):
        for c, value in enumerate([group, participant, *cells], start=1):
            put(sheet.cell(r, c), value).alignment = wrap
    for c in range(1, sheet.max_column + 1):
        sheet.column_dimensions[sheet.cell(1, c).column_letter].width = 14 if c <= 2 else 40
    sheet.freeze_panes = "C2"
    workbook.save(str(path))


def write_matrix_docx(matrix: pd.DataFrame, path: str | PathLike, *, title: str = "",
                      code_labels: Mapping[str, str] | None = None, landscape: bool = True,
                      reference_docx: str | PathLike | None = None) -> None:
    """A Word table: header row repeated on every page, the group cell merged down over its
    participants, rows kept on one page; landscape by default (matrices are wide)."""
    document = Document(str(reference_docx)) if reference_docx else Document()
    if reference_docx:
        dx.clear_body(document)
    section = document.sections[-1]
    if landscape:
        dx.set_landscape(section)
    if title:
        dx.append_block(document, dx.paragraph([dx.run(title, bold=True)], keep_next=True,
                                               space_after_pt=6))
    n_codes = len(matrix.columns)
    fractions = [0.1, 0.12] + [0.78 / n_codes] * n_codes if n_codes else [0.5, 0.5]
    widths = dx.split_width(dx.text_width(section), fractions)

    def text_cell(text: str, width: int, *, bold: bool = False, fill: str | None = None,
                  vmerge: str | None = None):
        paragraphs = [dx.paragraph([dx.run(line, bold=bold, size_pt=FONT_PT)])
                      for line in text.split("\n") if line] or [dx.paragraph()]
        return dx.cell(paragraphs, width, fill=fill, vmerge=vmerge)

    tbl = dx.table(widths)
    tbl.append(dx.row([text_cell(h, w, bold=True, fill=HEADER_FILL)
                       for h, w in zip(_headers(matrix, code_labels), widths)], header=True))
    previous_group = None
    for group, participant, cells in _rows(matrix):
        first = group != previous_group
        previous_group = group
        row_cells = [text_cell(group if first else "", widths[0],
                               vmerge="restart" if first else "continue"),
                     text_cell(participant, widths[1])]
        row_cells += [text_cell(value, w) for value, w in zip(cells, widths[2:])]
        tbl.append(dx.row(row_cells))
    dx.append_block(document, tbl)
    dx.append_block(document, dx.paragraph())
    document.save(str(path))
