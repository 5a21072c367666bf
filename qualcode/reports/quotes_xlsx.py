"""A quote table as an Excel sheet: one row per quote, bold frozen header, wrapped text, ready to print."""
from __future__ import annotations

from os import PathLike

from qualcode import xlsx_layout as xl
from qualcode.analysis.quote_table import QUOTE_COLUMNS, QuoteTable, quote_records

COLUMN_WIDTHS = {"domain": 20, "subtheme": 24, "quote": 70, "attribution": 18, "participant": 12,
                 "group": 14, "transcript": 12, "start": 8, "end": 8, "exemplar": 10}


def write_quotes_xlsx(table: QuoteTable, path: str | PathLike, *, paper: str = "a4") -> None:
    """Columns ``QUOTE_COLUMNS`` in table order; an empty subtheme keeps a row with no quote.
    Prints landscape on ``paper``, all columns on the page width, header row on every page."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = xl.sheet_name(table.title, "Quotes")
    rows = [[record[c] for c in QUOTE_COLUMNS] for record in quote_records(table)]
    xl.write_table(sheet, QUOTE_COLUMNS, rows, [COLUMN_WIDTHS[c] for c in QUOTE_COLUMNS], paper=paper)
    sheet.auto_filter.ref = sheet.dimensions
    workbook.save(str(path))
