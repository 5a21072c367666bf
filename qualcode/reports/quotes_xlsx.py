"""A quote table as an Excel sheet: one row per quote, bold frozen header, wrapped text."""
from __future__ import annotations

from os import PathLike

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from qualcode.cells import put
from qualcode.analysis.quote_table import QUOTE_COLUMNS, QuoteTable, quote_records

COLUMN_WIDTHS = {"domain": 24, "subtheme": 28, "quote": 80, "attribution": 20, "participant": 14,
                 "group": 14, "transcript": 18, "start": 9, "end": 9, "exemplar": 10}


def _sheet_title(text: str) -> str:
    cleaned = "".join(ch for ch in text if ch not in "[]:*?/\\").strip()
    return (cleaned or "Quotes")[:31]


def write_quotes_xlsx(table: QuoteTable, path: str | PathLike) -> None:
    """Columns ``QUOTE_COLUMNS`` in table order; an empty subtheme keeps a row with no quote."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(table.title)
    sheet.append(list(QUOTE_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
    wrap = Alignment(wrap_text=True, vertical="top")
    for row_index, record in enumerate(quote_records(table), start=2):
        for col_index, column in enumerate(QUOTE_COLUMNS, start=1):
            value = record[column]
            # Transcript text is data: characters Excel cannot store removed, never a formula.
            put(sheet.cell(row_index, col_index), value).alignment = wrap
    for index, column in enumerate(QUOTE_COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = COLUMN_WIDTHS[column]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    workbook.save(str(path))
