"""Reading a user's UTF-8 text file (CSV, names list, ...) with errors that name the file."""
from __future__ import annotations

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
