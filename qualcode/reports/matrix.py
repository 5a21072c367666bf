"""Write the Framework Method chart (``qualcode.analysis.framework``) as Word, Excel or CSV.

Word: landscape, one table per theme (domain) under its heading, participants (roster
attribution) down the side, subthemes across, header row repeated on every page.
Excel: one sheet per theme laid out the same way, wrapped text and sized rows, the header row
and participant column frozen and printed on every page, all columns fitted to the page width.
CSV: one row per participant and subtheme (long format), for other tools.
"""
from __future__ import annotations

from os import PathLike
from typing import Sequence

from qualcode import xlsx_layout as xl
from qualcode.cells import csv_writer
from qualcode.analysis.framework import ThemeMatrix, ref_line
from qualcode.analysis.quote_table import unbroken

FONT_PT = 9
HEADER_FILL = "D9D9D9"
PARTICIPANT_COLUMN_CM = 4.0
CSV_COLUMNS = ["theme", "subtheme", "group", "participant", "attribution", "summary", "quotes"]


def write_matrix_csv(matrices: Sequence[ThemeMatrix], path: str | PathLike) -> None:
    """Columns ``CSV_COLUMNS``: one row per participant and subtheme; UTF-8 with BOM."""
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv_writer(handle)
        writer.writerow(CSV_COLUMNS)
        for m in matrices:
            for row in m.rows:
                for (_code, label), cell in zip(m.columns, row.cells):
                    writer.writerow([m.domain_label, label, row.group, row.participant, row.attribution,
                                     cell.summary, ref_line(cell.refs)])


def _xlsx_widths(m: ThemeMatrix) -> list[float]:
    """Participant column, then subtheme columns sharing about 150 characters (a landscape page
    fitted to width), never narrower than 22 characters."""
    n = max(len(m.columns), 1)
    return [18] + [max(22.0, min(48.0, 150.0 / n))] * len(m.columns)


def write_matrix_xlsx(matrices: Sequence[ThemeMatrix], path: str | PathLike, *, paper: str = "a4") -> None:
    """One sheet per theme (see the module docstring)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for m in matrices:
        name = xl.sheet_name(m.domain_label, "Theme")
        base, k = name, 2
        while name.lower() in used:
            name = f"{base[:27]} ({k})"
            k += 1
        used.add(name.lower())
        sheet = workbook.create_sheet(name)
        rows = [[row.attribution, *["\n".join(c.lines()) for c in row.cells]] for row in m.rows]
        xl.write_table(sheet, ["Participant", *[label for _, label in m.columns]], rows, _xlsx_widths(m),
                       paper=paper, freeze="B2", title_cols="A:A")
        sheet.oddHeader.center.text = m.domain_label
    if not matrices:
        workbook.create_sheet("Framework matrix")
    workbook.save(str(path))


def write_matrix_docx(matrices: Sequence[ThemeMatrix], path: str | PathLike, *, title: str = "Framework matrix",
                      paper: str = "a4", reference_docx: str | PathLike | None = None) -> None:
    """Landscape Word document: a heading and a table per theme (see the module docstring)."""
    from docx import Document

    from qualcode.reports import docx_helpers as dx

    document = Document(str(reference_docx)) if reference_docx else Document()
    section = document.sections[-1]
    if reference_docx:
        dx.clear_body(document)
        dx.set_landscape(section)
    else:
        dx.set_page(section, paper, landscape=True)
    if title:
        dx.append_block(document, dx.paragraph([dx.run(title, bold=True, size_pt=12)], space_after_pt=6))
    total = dx.text_width(section)
    for i, m in enumerate(matrices):
        dx.append_block(document, dx.paragraph([dx.run(m.domain_label, bold=True, size_pt=11)], keep_next=True,
                                               space_before_pt=12 if i else 0, space_after_pt=4))
        dx.append_block(document, _theme_table(dx, m, total))
    dx.append_block(document, dx.paragraph())
    document.save(str(path))


def _theme_table(dx, m: ThemeMatrix, total: int):
    first = int(PARTICIPANT_COLUMN_CM * 567)
    n = max(len(m.columns), 1)
    widths = [first] + [(total - first) // n] * len(m.columns)

    def text_cell(lines: list[str], width: int, *, bold: bool = False, fill: str | None = None):
        paragraphs = [dx.paragraph([dx.run(line, bold=bold, size_pt=FONT_PT,
                                           color="404040" if line.startswith("Quotes: ") else None)],
                                   space_after_pt=2) for line in lines if line]
        return dx.cell(paragraphs or [dx.paragraph()], width, fill=fill)

    tbl = dx.table(widths)
    tbl.append(dx.row([text_cell([h], w, bold=True, fill=HEADER_FILL)
                       for h, w in zip(["Participant", *[label for _, label in m.columns]], widths)], header=True))
    for row in m.rows:
        cells = [text_cell([unbroken(row.attribution)], widths[0])]
        cells += [text_cell(c.lines(), w) for c, w in zip(row.cells, widths[1:])]
        tbl.append(dx.row(cells))
    return tbl

