"""How every Excel sheet qualcode writes looks on screen and on paper: column widths, wrapped
text, row heights, header style, frozen panes and print setup (paper size, orientation, fit to
page width, repeated title rows).

A bottom-layer module: no qualcode imports, and openpyxl only inside functions (the sheets are
passed in). Widths are in Excel character units (about the width of one "0" in the default
font); heights in points.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from qualcode.paper import DEFAULT_PAPER, check_paper

_EXCEL_PAPER_SIZE = {"a4": 9, "letter": 1}  # ECMA-376 paperSize codes
HEADER_FILL = "D9D9D9"
LINE_HEIGHT_PT = 15.0  # one line of 11 pt text
MAX_ROW_HEIGHT_PT = 409.0  # Excel's limit


def lines_needed(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide (word wrap)."""
    usable = max(int(width * 0.95) - 1, 1)
    total = 0
    for part in str(text or "").split("\n"):
        lines, length = 1, 0
        for word in part.split():
            extra = len(word) if length == 0 else len(word) + 1
            if length and length + extra > usable:
                lines += 1 + (len(word) - 1) // usable
                length = len(word) % usable or usable
            else:
                length += extra
        total += lines
    return max(total, 1)


def row_height(values: Sequence, widths: Sequence[float]) -> float:
    """The height (points) for a row whose cells hold ``values`` in columns of ``widths``."""
    lines = max((lines_needed(v, w) for v, w in zip(values, widths) if isinstance(v, str)), default=1)
    return min(LINE_HEIGHT_PT * lines + 2, MAX_ROW_HEIGHT_PT)


def set_widths(sheet, widths: Sequence[float]) -> None:
    """Column widths from column A on."""
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def style_header(sheet, row: int = 1, *, fill: str = HEADER_FILL) -> None:
    """Bold, shaded, wrapped header cells in ``row``."""
    from openpyxl.styles import Alignment, Font, PatternFill

    for cell in sheet[row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=fill)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def wrap_rows(sheet, widths: Sequence[float], first_row: int = 2) -> None:
    """Wrap text top-aligned in every cell from ``first_row`` down and size each row to its text
    (Excel and LibreOffice do not grow rows on opening a file)."""
    from openpyxl.styles import Alignment

    wrap = Alignment(wrap_text=True, vertical="top")
    for cells in sheet.iter_rows(min_row=first_row):
        values = []
        for cell in cells:
            cell.alignment = wrap
            values.append(cell.value)
        if cells:
            sheet.row_dimensions[cells[0].row].height = row_height(values, widths)


def print_setup(sheet, *, paper: str = DEFAULT_PAPER, landscape: bool = True, title_rows: str | None = "1:1",
                title_cols: str | None = None, freeze: str | None = "A2") -> None:
    """Paper size and orientation, every column on the page width (rows run on to more pages),
    ``title_rows`` (e.g. "1:1") and ``title_cols`` (e.g. "A:B") repeated on every printed page,
    ``freeze`` panes at that cell, gridlines printed, narrow margins."""
    sheet.page_setup.paperSize = _EXCEL_PAPER_SIZE[check_paper(paper)]
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    if title_rows:
        sheet.print_title_rows = title_rows
    if title_cols:
        sheet.print_title_cols = title_cols
    if freeze:
        sheet.freeze_panes = freeze


def write_table(sheet, header: Sequence[str], rows: Iterable[Sequence], widths: Sequence[float], *,
                paper: str = DEFAULT_PAPER, landscape: bool = True, freeze: str | None = "A2",
                title_cols: str | None = None, safe=None) -> None:
    """A whole sheet: ``header`` (styled, repeated on each printed page), ``rows`` wrapped and
    sized, ``widths`` set, print setup done. ``safe`` turns each value into what the cell stores
    (default: strings kept as text, never formulas)."""
    safe = safe or _text_cell
    sheet.append([safe(v) for v in header])
    for values in rows:
        sheet.append([safe(v) for v in values])
    for cells in sheet.iter_rows(min_row=1):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    style_header(sheet)
    set_widths(sheet, widths)
    wrap_rows(sheet, widths)
    print_setup(sheet, paper=paper, landscape=landscape, freeze=freeze, title_cols=title_cols)


def _text_cell(value):
    """Text as text (characters Excel cannot hold removed; ``write_table`` marks it a text cell,
    never a formula), numbers as numbers: ``qualcode.cells``' rule."""
    from qualcode.cells import safe_cell

    return safe_cell(value, csv_text=False)


def fit_widths(header: Sequence[str], rows: Sequence[Sequence], *, least: float = 8,
               most: float = 60) -> list[float]:
    """Column widths from the content: the longest word and typical text length, kept between
    ``least`` and ``most`` characters, so no column is narrower than its longest word (up to ``most``)."""
    widths = []
    for i, name in enumerate(header):
        texts = [str(name)] + [str(r[i]) for r in rows if i < len(r) and r[i] is not None]
        longest_word = max((len(w) for t in texts for w in t.split()), default=1)
        longest_text = max((len(t) for t in texts), default=1)
        widths.append(min(max(least, longest_word + 2, min(longest_text + 2, most)), most))
    return widths


def save_table(path, header: Sequence[str], rows: Sequence[Sequence], *, sheet_title: str = "Sheet1",
               paper: str = DEFAULT_PAPER, widths: Sequence[float] | None = None, landscape: bool = True,
               safe=None) -> None:
    """A one-sheet workbook at ``path`` holding ``header`` and ``rows`` (see :func:`write_table`);
    column widths from the content unless given."""
    from openpyxl import Workbook

    rows = [list(r) for r in rows]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name(sheet_title)
    write_table(sheet, header, rows, widths or fit_widths(header, rows), paper=paper, landscape=landscape,
                safe=safe)
    workbook.save(str(path))


def sheet_name(text: str, default: str = "Sheet1") -> str:
    """``text`` as a valid sheet name: without ``[]:*?/\\`` and at most 31 characters."""
    cleaned = "".join(ch for ch in str(text) if ch not in "[]:*?/\\").strip()
    return (cleaned or default)[:31]
