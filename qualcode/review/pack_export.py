"""Write a review pack for co-facilitators: an Excel workbook or a Word document of candidate
quotes, per domain and subtheme, with empty Decision / Comment columns to fill in."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from .. import cells
from ..analysis.quote_table import unbroken
from ..codebook.model import Codebook
from ..errors import ExchangeError
from ..store.project import Project
from .pack_model import (CHECKSUM_COLUMN, COLUMNS, DECISIONS, DOCX_COLUMNS, SAME_PASSAGE_COLUMN, PackQuote,
                         collect_quotes, move_labels)

PACK_VERSION = "1"

INTRO = [
    "Thank you for reviewing these quotes. Each row is one quote from the interviews, grouped by domain "
    "(the big theme) and subtheme (a smaller idea inside it).",
    "For each quote, choose a Decision:",
    "    keep  -  the quote fits its subtheme and can be used.",
    "    drop  -  leave the quote out (it does not fit, is unclear, or might let someone be recognised).",
    "    best  -  one of the best quotes for its subtheme; it will be shown first.",
    "If you are not sure, leave the Decision empty: the research team will decide.",
]
XLSX_MORE = [
    "If a quote fits a different subtheme better, choose that subtheme in 'Move to'.",
    "Write anything else you want to tell us in 'Comment'.",
    "You can sort the rows, reorder them or delete rows you do not want to review.",
    "Please do not change the Quote ID or the quote text: they link each row back to the interviews "
    "(changes to a quote's words are not kept).",
]
DOCX_MORE = [
    "Write keep, drop or best in the Decision column. If a quote fits a different subtheme better, say which "
    "one in the Comment column, with anything else you want to tell us.",
    "You can delete rows you do not want to review. Please do not change the Quote ID or the quote text.",
]
OUTRO = ["Save the file and send it back to the research team. It holds confidential interview quotes: keep it "
         "safe, do not share it, and delete your copies once it is sent back."]


def export_pack(project: Project, path: Path, fmt: str, *, group: str | None = None,
                domains: list[str] | None = None, statuses: list[str] | None = None,
                coder: str | None = None, book: Codebook | None = None) -> tuple[int, int]:
    """Write the pack; returns (quotes written, codings left out because their code is unknown)."""
    book = book or project.codebook()
    quotes, skipped = collect_quotes(project, book, group=group, domains=domains, statuses=statuses, coder=coder)
    if not quotes:
        raise ExchangeError("no quotes to review: no codings match the group, domains and statuses given")
    paper = project.config.paper
    if fmt == "xlsx":
        write_xlsx(quotes, book, path, title=project.config.name, paper=paper)
    elif fmt == "docx":
        write_docx(quotes, path, title=project.config.name, paper=paper)
    else:
        raise ExchangeError(f"unknown review pack format {fmt!r} (use xlsx or docx)")
    return len(quotes), skipped


def _groups(quotes: list[PackQuote]) -> list[str]:
    return list(dict.fromkeys(q.group for q in quotes))


def _sheet_name(group: str, several: bool) -> str:
    name = f"Quotes {group}" if several else "Quotes"
    return "".join(ch for ch in name if ch not in "[]:*?/\\")[:31]


def _letter(column: str) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[COLUMNS.index(column)]


XLSX_WIDTHS = [9, 16, 20, 60, 16, 10, 22, 30, 12, 14, 14]


def write_xlsx(quotes: list[PackQuote], book: Codebook, path: Path, *, title: str = "", paper: str = "a4") -> None:
    from openpyxl import Workbook

    wb = Workbook()
    _xlsx_instructions(wb.active, title, paper)
    lists = wb.create_sheet("Lists")
    lists.sheet_state = "hidden"
    groups = _groups(quotes)
    for gi, group in enumerate(groups, start=1):
        labels = list(move_labels(book, group))
        for li, label in enumerate([group, *labels], start=1):
            _put(lists, li, gi, label)
        ws = wb.create_sheet(_sheet_name(group, len(groups) > 1))
        last = _xlsx_quote_rows(ws, [q for q in quotes if q.group == group], paper)
        _xlsx_validations(ws, last, gi, len(labels))
    _xlsx_meta(wb.create_sheet("qualcode"), title, len(quotes))
    wb.active = 0
    wb.save(path)


def _put(ws, row: int, col: int, value, **style) -> None:
    cell = cells.put(ws.cell(row=row, column=col), value)  # a quote starting with "=" is text
    for key, val in style.items():
        setattr(cell, key, val)


def _wrap():
    from openpyxl.styles import Alignment

    return Alignment(wrap_text=True, vertical="top")


def _xlsx_instructions(info, title: str, paper: str) -> None:
    from openpyxl.styles import Font

    from .. import xlsx_layout as xl

    info.title = "Instructions"
    info.column_dimensions["A"].width = 100
    _put(info, 1, 1, f"Review pack: {title}" if title else "Review pack", font=Font(bold=True, size=14))
    for i, line in enumerate(INTRO + XLSX_MORE + OUTRO, start=3):
        _put(info, i, 1, line, alignment=_wrap())
        info.row_dimensions[i].height = xl.row_height([line], [100])
    xl.print_setup(info, paper=paper, landscape=False, title_rows=None, freeze=None)
    info.print_options.gridLines = False


def _xlsx_quote_rows(ws, rows: list[PackQuote], paper: str) -> int:
    """The header and one row per passage; returns the last row's number."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    from .. import xlsx_layout as xl

    for ci, name in enumerate(COLUMNS + [CHECKSUM_COLUMN, SAME_PASSAGE_COLUMN], start=1):
        _put(ws, 1, ci, name, font=Font(bold=True), alignment=_wrap(),
             fill=PatternFill("solid", start_color="D9E1F2"))
        ws.column_dimensions[get_column_letter(ci)].width = XLSX_WIDTHS[ci - 1]
    for ri, q in enumerate(rows, start=2):
        values = [q.quote_id, q.domain_label, q.subtheme_label, q.quote, unbroken(q.attribution), "", "", "",
                  ", ".join(q.coders), q.checksum, q.same_passage]
        for ci, value in enumerate(values, start=1):
            _put(ws, ri, ci, value, alignment=_wrap())
        ws.row_dimensions[ri].height = xl.row_height(values[:len(COLUMNS)], XLSX_WIDTHS)
    for hidden in (len(COLUMNS) + 1, len(COLUMNS) + 2):
        ws.column_dimensions[get_column_letter(hidden)].hidden = True
    xl.print_setup(ws, paper=paper, landscape=True)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    return len(rows) + 1


def _xlsx_validations(ws, last: int, list_column: int, n_labels: int) -> None:
    """Drop-downs: Decision (keep/drop/best) and Move to (the group's subthemes, from the Lists sheet)."""
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    decision = DataValidation(type="list", formula1='"' + ",".join(DECISIONS) + '"', allow_blank=True,
                              showErrorMessage=True, errorTitle="Decision",
                              error="Please choose keep, drop or best (or leave it empty).",
                              showInputMessage=True, promptTitle="Decision", prompt="keep, drop or best")
    decision.add(f"{_letter('Decision')}2:{_letter('Decision')}{last}")
    ws.add_data_validation(decision)
    if n_labels:
        col = get_column_letter(list_column)
        move = DataValidation(type="list", allow_blank=True, showErrorMessage=True,
                              formula1=f"={quote_sheetname('Lists')}!${col}$2:${col}${n_labels + 1}",
                              errorTitle="Move to", error="Please choose a subtheme from the list.")
        move.add(f"{_letter('Move to')}2:{_letter('Move to')}{last}")
        ws.add_data_validation(move)


def _xlsx_meta(meta, title: str, n_quotes: int) -> None:
    meta.sheet_state = "hidden"
    for i, (key, value) in enumerate([("pack_version", PACK_VERSION), ("project", title),
                                      ("exported_at", datetime.now(timezone.utc).isoformat(timespec="seconds")),
                                      ("quotes", str(n_quotes))], start=1):
        _put(meta, i, 1, key)
        _put(meta, i, 2, value)


def write_docx(quotes: list[PackQuote], path: Path, *, title: str = "", paper: str = "a4") -> None:
    from docx import Document
    from docx.shared import Pt
    from docx.text.run import Run

    from ..reports import docx_helpers as dx

    doc = Document()
    section = doc.sections[0]
    dx.set_page(section, paper, landscape=True)
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_heading(f"Review pack: {title}" if title else "Review pack", level=0)
    for line in INTRO + DOCX_MORE + OUTRO:
        doc.add_paragraph(line.strip())
    widths = dx.split_width(dx.text_width(section), [1.1, 2.3, 4.5, 2.2, 1.5, 2.2, 1.5])
    groups = _groups(quotes)
    for group in groups:
        if len(groups) > 1:
            doc.add_heading(group, level=1)
        in_group = [q for q in quotes if q.group == group]
        for domain in dict.fromkeys(q.domain_label for q in in_group):
            doc.add_heading(dx.xml_safe(domain), level=2 if len(groups) > 1 else 1)
            tbl = dx.table(widths)
            tbl.append(dx.row([dx.cell([dx.paragraph([dx.run(name, bold=True)])], w, fill="D9E1F2")
                               for name, w in zip(DOCX_COLUMNS, widths)], header=True))
            for q in (q for q in in_group if q.domain_label == domain):
                also = f" +{q.same_passage}" if q.also else ""
                hidden = dx.run(f" #{q.checksum}{also}", size_pt=7, color="808080")
                Run(hidden, None).font.hidden = True  # links the row to the project's text; not printed
                values = [[dx.run(q.quote_id), hidden], [dx.run(q.subtheme_label)], [dx.run(q.quote)],
                          [dx.run(unbroken(q.attribution))], [], [], [dx.run(", ".join(q.coders))]]
                tbl.append(dx.row([dx.cell([dx.paragraph(runs)], w) for runs, w in zip(values, widths)],
                                  cant_split=False))
            dx.append_block(doc, tbl)
    doc.save(path)
