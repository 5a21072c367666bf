"""Helpers: export a pack and fill it in as a reviewer would (openpyxl / python-docx)."""
from __future__ import annotations

from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from qualcode.review.pack_export import export_pack
from qualcode.store.codings import list_memos, query_codings
from qualcode.store.review_decisions import list_decisions

from .conftest import coding

COLUMN = {"Decision": "F", "Move to": "G", "Comment": "H", "Quote": "D", "Quote ID": "A"}


def qid(project, snippet_start: str) -> str:
    return f"Q{coding(project, snippet_start).id}"


def make_pack(project, path: Path, fmt: str = "xlsx", **filters) -> Path:
    export_pack(project, path, fmt, group="young-person", **filters)
    return path


def fill_xlsx(src: Path, dst: Path, edits: dict[str, dict[str, str]], *, delete: tuple[str, ...] = (),
              reverse: bool = False) -> Path:
    """Fill cells by quote id, delete rows, reorder rows (the hidden checksum moves with its row)."""
    wb = load_workbook(src)
    ws = wb["Quotes"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    rows = [r for r in rows if r[0] not in delete]
    for r in rows:
        for column, value in edits.get(r[0], {}).items():
            r["ABCDEFGHIJK".index(COLUMN[column])] = value
    if reverse:
        rows.reverse()
    ws.delete_rows(2, ws.max_row)
    for r in rows:
        ws.append(r)
    wb.save(dst)
    return dst


def fill_docx(src: Path, dst: Path, edits: dict[str, dict[str, str]], *, delete: tuple[str, ...] = (),
              reverse: bool = False) -> Path:
    doc = Document(str(src))
    for table in doc.tables:
        header = [c.text for c in table.rows[0].cells]
        body = list(table.rows)[1:]
        for row in body:
            quote = row.cells[0].text.split()[0]
            if quote in delete:
                table._tbl.remove(row._tr)
                continue
            for column, value in edits.get(quote, {}).items():
                row.cells[header.index(column)].text = value
        if reverse:
            trs = [r._tr for r in list(table.rows)[1:]]
            for tr in trs:
                table._tbl.remove(tr)
            for tr in reversed(trs):
                table._tbl.append(tr)
    doc.save(str(dst))
    return dst


def snapshot(project) -> tuple:
    """Everything an import may change, timestamps included."""
    with project.engine.connect() as conn:
        return (query_codings(conn), [tuple(m) for m in list_memos(conn)], list_decisions(conn))
