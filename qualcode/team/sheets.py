"""The consensus-meeting sheet: disagreements written as .docx, .xlsx or .md, and read back with the
``Decision`` (include/exclude) and ``Note`` columns filled in.

Columns: Code, Label, Transcript, Participant, Turn (or Sentence), Text, Codes by A, Codes by B,
Applied by, Decision, Note. The unit column's title says the unit kind, and the "Codes by" titles
name the coders, so an import can check the sheet belongs to the pair it is imported for.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..cells import put
from ..errors import ExchangeError, Problem
from ..safezip import check_archive, parsing
from .disagreements import Disagreements

DECISION_WORDS = {"include": "include", "in": "include", "yes": "include", "y": "include",
                  "exclude": "exclude", "out": "exclude", "no": "exclude", "n": "exclude"}


def headers(coders: tuple[str, str], unit: str) -> list[str]:
    a, b = coders
    return ["Code", "Label", "Transcript", "Participant", unit.capitalize(), "Text", f"Codes by {a}",
            f"Codes by {b}", "Applied by", "Decision", "Note"]


def sheet_rows(result: Disagreements) -> list[list[str]]:
    return [[d.code, d.label, d.transcript, d.participant, str(d.unit), d.text, ", ".join(d.codes_a),
             ", ".join(d.codes_b), d.applied_by, d.decision, d.note] for d in result.items]


def _title(result: Disagreements) -> str:
    a, b = result.coders
    return f"Disagreements: {a} vs {b} ({len(result.items)}, unit: {result.unit})"


INSTRUCTIONS = ("For each row write include or exclude under Decision (the code does or does not apply to the "
                "unit) and, if useful, a Note; leave Decision empty to decide later. Then run "
                "'qualcode consensus import FILE --coders A,B'.")


# ------------------------------------------------------------------ writers

def write_markdown(result: Disagreements, path: Path | None = None) -> str:
    def cell(value: str) -> str:
        return value.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")

    cols = headers(result.coders, result.unit)
    lines = [f"# {_title(result)}", "", INSTRUCTIONS, "", "| " + " | ".join(cols) + " |",
             "|" + "|".join("---" for _ in cols) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in sheet_rows(result)]
    text = "\n".join(lines) + "\n"
    if path is not None:
        path.write_text(text, encoding="utf-8")
    return text


def write_xlsx(result: Disagreements, path: Path, *, paper: str = "a4") -> None:
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    from .. import xlsx_layout as xl

    wb = Workbook()
    ws = wb.active
    ws.title = "Disagreements"
    for c, value in enumerate(headers(result.coders, result.unit), start=1):
        put(ws.cell(1, c), value)
    for r, row in enumerate(sheet_rows(result), start=2):
        for c, value in enumerate(row, start=1):
            put(ws.cell(r, c), int(value) if c == 5 else value)  # text is never a formula
    widths = [18, 22, 12, 14, 8, 60, 20, 20, 12, 12, 30]
    xl.style_header(ws)
    xl.set_widths(ws, widths)
    xl.wrap_rows(ws, widths)
    xl.print_setup(ws, paper=paper, landscape=True)
    if result.items:
        dv = DataValidation(type="list", formula1='"include,exclude"', allow_blank=True)
        dv.add(f"J2:J{len(result.items) + 1}")
        ws.add_data_validation(dv)
    about = wb.create_sheet("About")
    for r, line in enumerate((_title(result), INSTRUCTIONS), start=1):
        put(about.cell(r, 1), line)
    xl.set_widths(about, [100])
    xl.wrap_rows(about, [100], first_row=1)
    xl.print_setup(about, paper=paper, landscape=False, title_rows=None, freeze=None)
    wb.save(path)


def write_docx(result: Disagreements, path: Path, *, paper: str = "a4") -> None:
    from docx import Document

    from ..reports import docx_helpers as dh

    doc = Document()
    section = doc.sections[0]
    dh.set_page(section, paper, landscape=True)
    doc.add_heading(_title(result), level=1)
    doc.add_paragraph(INSTRUCTIONS)
    cols = headers(result.coders, result.unit)
    widths = dh.split_width(dh.text_width(section), [13, 17, 12, 13, 9.5, 22, 13, 13, 10, 10, 13])

    def make_row(values: list[str], header: bool = False):
        return dh.row([dh.cell([dh.paragraph([dh.run(v, bold=header, size_pt=8)])], w) for v, w in zip(values, widths)],
                      header=header, cant_split=False)

    tbl = dh.table(widths)
    tbl.append(make_row(cols, header=True))
    for values in sheet_rows(result):
        tbl.append(make_row(values))
    dh.append_block(doc, tbl)
    doc.save(path)


def write_sheet(result: Disagreements, path: Path, *, paper: str = "a4") -> None:
    """Write the sheet as .xlsx, .docx or .md (by the suffix), creating its folder as the reports do."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".docx", ".md", ".markdown", ".txt"):
        path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        write_xlsx(result, path, paper=paper)
    elif suffix == ".docx":
        write_docx(result, path, paper=paper)
    elif suffix in (".md", ".markdown", ".txt"):
        write_markdown(result, path)
    else:
        raise ExchangeError(f"{path}: write .docx, .xlsx or .md")


# ------------------------------------------------------------------ reader

@dataclass
class SheetRow:
    where: int  # spreadsheet row, markdown line or Word table row (1-based)
    code: str
    transcript: str
    unit: str
    decision: str  # as written
    note: str


@dataclass
class Sheet:
    path: Path
    unit: str  # turn or sentence, from the unit column's title
    coders: tuple[str, ...]  # from the "Codes by X" titles
    rows: list[SheetRow]
    what: str  # "row" or "line": how ``where`` counts


def _from_table(path: Path, table: list[tuple[int, list[str]]], what: str) -> Sheet:
    if not table:
        raise ExchangeError(f"{path}: no disagreements table found")
    where, head = table[0]
    names = [h.strip().lower() for h in head]
    need = ["code", "transcript", "decision"]
    unit_col = next((i for i, n in enumerate(names) if n in ("turn", "sentence", "unit")), None)
    missing = [n for n in need if n not in names] + (["turn/sentence"] if unit_col is None else [])
    if missing:
        raise ExchangeError(f"{path}:{where}: missing column(s) {', '.join(missing)} (is this a disagreements "
                            "sheet written by 'qualcode disagreements'?)",
                            [Problem(str(path), where, None, f"missing column(s) {', '.join(missing)}")])
    col = {n: names.index(n) for n in need}
    note_col = names.index("note") if "note" in names else None
    coders = tuple(h.strip()[len("codes by "):] for h in head if h.strip().lower().startswith("codes by "))
    unit = names[unit_col] if names[unit_col] != "unit" else "turn"

    def get(cells: list[str], i: int | None) -> str:
        return cells[i].strip() if i is not None and i < len(cells) and cells[i] is not None else ""

    rows = [SheetRow(w, get(cells, col["code"]), get(cells, col["transcript"]), get(cells, unit_col),
                     get(cells, col["decision"]), get(cells, note_col))
            for w, cells in table[1:] if any(str(c or "").strip() for c in cells)]
    return Sheet(path, unit, coders, rows, what)


def _read_xlsx(path: Path) -> Sheet:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ExchangeError(f"{path}: not a readable .xlsx file ({exc})") from None
    ws = wb["Disagreements"] if "Disagreements" in wb.sheetnames else wb.worksheets[0]
    table = [(i, ["" if v is None else str(v) for v in values])
             for i, values in enumerate(ws.iter_rows(values_only=True), start=1)]
    wb.close()
    return _from_table(path, table, "row")


def _read_docx(path: Path) -> Sheet:
    from docx import Document

    try:
        doc = Document(str(path))
    except Exception as exc:  # noqa: BLE001
        raise ExchangeError(f"{path}: not a readable .docx file ({exc})") from None
    if not doc.tables:
        raise ExchangeError(f"{path}: no table found")
    table = [(i, [c.text for c in r.cells]) for i, r in enumerate(doc.tables[0].rows, start=1)]
    return _from_table(path, table, "table row")


def _split_row(line: str) -> list[str]:
    """Cells of a markdown table row ``| a | b |``; ``\\|`` is a pipe and ``\\\\`` a backslash in a cell."""
    cells, cur, i, ended = [], [], 1, False
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line) and line[i + 1] in "\\|":
            cur.append(line[i + 1])
            i += 2
        elif ch == "|":
            cells.append("".join(cur))
            cur, i = [], i + 1
        else:
            cur.append(ch)
            i += 1
        ended = ch == "|"
    if not ended or cur:
        cells.append("".join(cur))
    return [c.strip().replace("<br>", "\n") for c in cells]


def _read_markdown(path: Path) -> Sheet:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExchangeError(f"{path}: cannot read as UTF-8 text ({exc})") from None
    table = []
    for number, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        if not s.startswith("|"):
            continue
        cells = _split_row(s)
        if table and all(set(c) <= set("-: ") for c in cells):
            continue  # the |---|---| line
        table.append((number, cells))
    return _from_table(path, table, "line")


def read_sheet(path: Path) -> Sheet:
    if not path.exists():
        raise ExchangeError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".docx"):
        check_archive(path, ExchangeError, what=f"a {suffix} consensus sheet",
                      required="word/document.xml" if suffix == ".docx" else None)
    with parsing(path, ExchangeError, f"a {suffix} consensus sheet"):
        if suffix == ".xlsx":
            return _read_xlsx(path)
        if suffix == ".docx":
            return _read_docx(path)
    if suffix in (".md", ".markdown", ".txt"):
        return _read_markdown(path)
    raise ExchangeError(f"{path}: read .xlsx, .docx or .md (a sheet written by 'qualcode disagreements')")


def parse_decision(value: str) -> str | None:
    """include/exclude (also yes/no, in/out); "" for undecided; None when it cannot be read."""
    v = value.strip().lower()
    if not v:
        return ""
    return DECISION_WORDS.get(v)
