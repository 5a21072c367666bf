"""One safe-cell rule for every spreadsheet cell the program writes (CSV and Excel).

Code labels, roster values, quotes and memos come from other people's files; a value such as
``=HYPERLINK("http://evil", "click")`` or ``=1+2`` must never become a live formula.

- CSV (read by Excel, LibreOffice, Google Sheets): the OWASP CSV-injection rule. A text value that
  starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe
  (``'=1+2``), so spreadsheets show it as text. A value that is a number (``int``/``float``, or a
  text that is a plain number such as ``-3`` or ``+1.5``) stays a number, and a lone ``+``/``-``
  stays itself. A value that already starts with apostrophes before such a character gets one more,
  so ``csv_unescape`` (used by the readers of the CSVs this program writes) gives every value back
  exactly.
- Excel (openpyxl): ``put`` stores text as a text cell, never a formula, with the characters
  Excel cannot hold removed; the text itself is kept verbatim (quotes are sacred). Numbers stay
  numbers.

Every CSV writer goes through ``csv_writer`` / ``csv_dict_writer``; every openpyxl cell through
``put``; a plain table of rows through ``write_xlsx``.
"""
from __future__ import annotations

import csv
import re
from os import PathLike
from typing import Any, Iterable, Mapping

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_ESCAPE = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# openpyxl's ILLEGAL_CHARACTERS_RE, without importing openpyxl at start-up
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def safe_cell(value: Any, *, csv_text: bool = True) -> Any:
    """The value to write in a spreadsheet cell: numbers unchanged; text escaped for CSV
    (``csv_text``) or stripped of characters Excel cannot store."""
    if not isinstance(value, str):
        return value
    if not csv_text:
        return _ILLEGAL.sub("", value)
    if value in ("+", "-") or _NUMBER.fullmatch(value) or not _NEEDS_ESCAPE.match(value):
        return value
    return "'" + value


def csv_unescape(text: str) -> str:
    """Undo ``safe_cell`` on a value read back from a CSV this program wrote."""
    return text[1:] if _ESCAPED.match(text) and not _NUMBER.fullmatch(text[1:]) else text


class _Writer:
    def __init__(self, writer: Any):
        self._writer = writer

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class _DictWriter:
    def __init__(self, writer: csv.DictWriter):
        self._writer = writer

    def writeheader(self) -> Any:
        return self._writer.writeheader()

    def writerow(self, row: Mapping[str, Any]) -> Any:
        return self._writer.writerow({k: safe_cell(v) for k, v in row.items()})

    def writerows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(handle: Any, **kwargs: Any) -> _Writer:
    """``csv.writer`` whose every cell goes through ``safe_cell``."""
    return _Writer(csv.writer(handle, **kwargs))


def csv_dict_writer(handle: Any, fieldnames: list[str], **kwargs: Any) -> _DictWriter:
    """``csv.DictWriter`` whose every cell goes through ``safe_cell``."""
    return _DictWriter(csv.DictWriter(handle, fieldnames=fieldnames, **kwargs))


def put(cell: Any, value: Any) -> Any:
    """Write ``value`` into an openpyxl cell: text as text (never a formula), numbers as numbers."""
    cell.value = safe_cell(value, csv_text=False)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def write_xlsx(path: str | PathLike, columns: list[str], rows: Iterable[Mapping[str, Any]],
               title: str = "Sheet1") -> None:
    """One sheet: a header row, then one row per mapping (missing keys empty)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31] or "Sheet1"
    for c, name in enumerate(columns, start=1):
        put(ws.cell(1, c), name).font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, name in enumerate(columns, start=1):
            value = row.get(name)
            if value is not None:
                put(ws.cell(r, c), value)
    ws.freeze_panes = "A2"
    wb.save(str(path))
