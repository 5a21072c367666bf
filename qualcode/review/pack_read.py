"""Read a reviewer's pack back (xlsx or docx) into ``PackRow``s, wherever the rows now are.

Columns are found by their header names, so a reviewer may reorder or delete rows (and even
columns); sheets and tables without a "Quote ID" and a "Decision" header are skipped."""
from __future__ import annotations

from pathlib import Path

from ..errors import ExchangeError
from ..safezip import check_archive, parsing
from .pack_model import CHECKSUM_COLUMN, SAME_PASSAGE_COLUMN, PackRow, parse_quote_id, parse_same_passage

NEEDED = ("quote id", "decision")


def read_pack(path: Path) -> list[PackRow]:
    if not path.exists():
        raise ExchangeError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".docx"):
        check_archive(path, ExchangeError, what=f"a {suffix} review pack",
                      required="word/document.xml" if suffix == ".docx" else None)
    with parsing(path, ExchangeError, f"a {suffix[1:]} review pack"):
        if suffix in (".xlsx", ".xlsm"):
            rows = _read_xlsx(path)
        elif suffix == ".docx":
            rows = _read_docx(path)
        else:
            raise ExchangeError(f"{path}: a review pack is an .xlsx or .docx file")
    if rows is None:
        raise ExchangeError(f"{path}: no table with 'Quote ID' and 'Decision' columns: is this a review pack?")
    return rows


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _columns(header: list[str]) -> dict[str, int] | None:
    names = {h.strip().lower(): i for i, h in enumerate(header) if h and h.strip()}
    return names if all(n in names for n in NEEDED) else None


def _row(where: str, cols: dict[str, int], values: list[str]) -> PackRow:
    def get(name: str) -> str:
        i = cols.get(name)
        return values[i] if i is not None and i < len(values) else ""

    # Word packs carry the other codings of the passage hidden in the Quote ID cell: "Q12 #ab12 +Q40 #cd34"
    raw_id, plus, more = get("quote id").partition("+")
    raw_id = raw_id.strip() if plus else raw_id
    parsed = parse_quote_id(raw_id)
    check = get(CHECKSUM_COLUMN.lower()) or (parsed[1] if parsed else None)
    qid = f"Q{parsed[0]}" if parsed else raw_id
    also = parse_same_passage(" +".join(x for x in (more, get(SAME_PASSAGE_COLUMN.lower())) if x.strip())) or ()
    return PackRow(where=where, quote_id=qid, decision=get("decision"), move_to=get("move to"),
                   comment=get("comment"), checksum=check.lower() if check else None, quote=get("quote"),
                   also=also)


def _read_xlsx(path: Path) -> list[PackRow] | None:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except InvalidFileException as exc:
        raise ExchangeError(f"{path}: not an Excel workbook ({exc})") from None
    found, rows = False, []
    try:
        for ws in wb.worksheets:
            it = ws.iter_rows(values_only=True)
            header = next(it, None)
            cols = _columns([_text(v) for v in header]) if header else None
            if cols is None:
                continue
            found = True
            for number, values in enumerate(it, start=2):
                row = _row(f"sheet '{ws.title}' row {number}", cols, [_text(v) for v in values])
                if not row.is_blank():
                    rows.append(row)
    finally:
        wb.close()
    return rows if found else None


def _read_docx(path: Path) -> list[PackRow] | None:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = Document(str(path))
    except PackageNotFoundError:
        raise ExchangeError(f"{path}: not a Word document") from None
    found, rows = False, []
    for ti, table in enumerate(doc.tables, start=1):
        grid = [[cell.text for cell in tr.cells] for tr in table.rows]
        if not grid:
            continue
        cols = _columns(grid[0])
        if cols is None:
            continue
        found = True
        for number, values in enumerate(grid[1:], start=2):
            row = _row(f"table {ti} row {number}", cols, [v.strip() for v in values])
            if not row.is_blank():
                rows.append(row)
    return rows if found else None
