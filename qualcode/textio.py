"""Reading a user's UTF-8 text file (CSV, names list, ...) with errors that name the file; CSV readers."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .errors import QualcodeError


def read_utf8(path: Path, error: type[QualcodeError], hint: str = "save it as UTF-8") -> str:
    """The file's text (a byte-order mark is dropped); ``error`` names the file when it cannot be read."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text (byte {exc.start}); {hint}") from None


# Python's csv module refuses a field over 131,072 characters by default; a long answer in a transcript
# CSV or a long quote in a codings CSV can be longer. The files are read into memory whole anyway, so
# the only sensible limit is the platform's (2**31 - 1 fits a C long everywhere).
CSV_FIELD_LIMIT = 2**31 - 1


def csv_reader(text: str, delimiter: str = ","):
    """A ``csv.reader`` over ``text`` (newlines inside quoted fields kept) that accepts long fields."""
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def csv_dict_rows(text: str, path: Path, error: type[QualcodeError]) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header and ``(line, {column: value})`` rows of a CSV with a header row; a malformed file
    raises ``error`` naming the file and line. Missing cells are ``""``; extra cells are dropped."""
    reader = csv_reader(text)
    try:
        header = next(reader, [])
        rows, line = [], reader.line_num
        for record in reader:
            start, line = line + 1, reader.line_num
            if any(cell.strip() for cell in record):
                rows.append((start, dict(zip(header, record + [""] * (len(header) - len(record))))))
    except csv.Error as exc:
        raise error(f"{path}:{reader.line_num + 1}: malformed CSV: {exc}") from None
    return header, rows
