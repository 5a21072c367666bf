"""Bytes of a text transcript -> str, the way Word, Notepad and transcription services save them.

Order: UTF-8 with BOM, UTF-16 with BOM (Word's "Unicode text"), UTF-16 without BOM (only when the
NUL bytes say so unmistakably), UTF-8, then Windows-1252. Latin-1 is never used as a silent
fallback: a byte that is not valid Windows-1252 is an error naming its offset. Windows-1252 is a
guess (a Mac Roman or Central European file also decodes), so it comes with a warning that shows
the characters read that way, with the line of the first.
"""
from __future__ import annotations

import codecs

from qualcode.errors import TranscriptError
from qualcode.model import ImportWarning


def decode_bytes(data: bytes, path: str, warnings: list[ImportWarning] | None = None) -> str:
    """Decode a transcript file's bytes; LF line breaks, no BOM. Raises ``TranscriptError``; a
    Windows-1252 guess is added to ``warnings``."""
    if data.startswith(codecs.BOM_UTF8):
        text = _decode(data[len(codecs.BOM_UTF8):], "utf-8", path, len(codecs.BOM_UTF8))
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        text = _decode(data, "utf-16", path, 0)
    elif b"\x00" in data:
        encoding = _bomless_utf16(data)
        if encoding is None:
            raise TranscriptError(f"{path}: looks like a binary file, not a transcript")
        text = _decode(data, encoding, path, 0)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode(data, "cp1252", path, 0)
            if warnings is not None:
                warnings.append(_guessed(normalise_text(text, path)))
    return normalise_text(text, path)


def _guessed(text: str) -> ImportWarning:
    odd = [i for i, ch in enumerate(text) if ord(ch) > 127]
    shown = "".join(dict.fromkeys(text[i] for i in odd))[:12]
    return ImportWarning(
        "encoding", f"not UTF-8: read as Windows-1252, the usual encoding of Word and Notepad on Windows; "
        f"its {len(odd)} non-ASCII character(s) came out as {shown!r}: if they look wrong, save the file as "
        "UTF-8 and import it again", text[:odd[0]].count("\n") + 1 if odd else None)


def normalise_text(text: str, path: str) -> str:
    """CRLF/CR -> LF, BOM characters removed; empty or NUL-containing text is an error."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    if "\x00" in text:
        raise TranscriptError(f"{path}: looks like a binary file, not a transcript")
    if not text.strip():
        raise TranscriptError(f"{path}: is empty")
    return text


def _decode(data: bytes, encoding: str, path: str, base: int) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        offset = base + exc.start
        bad = data[exc.start:exc.start + 1].hex().upper()
        names = {"cp1252": "UTF-8 or Windows-1252", "utf-8": "UTF-8"}
        what = names.get(encoding, encoding.upper())
        line = data.count(b"\n", 0, exc.start) + 1 if encoding in names else None
        where = f"line {line}, " if line else ""
        raise TranscriptError(
            f"{path}: {where}byte offset {offset} (0x{bad}) is not valid {what}; "
            "save the file as UTF-8 and try again"
        ) from None


def _bomless_utf16(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when every other byte of mostly-ASCII text is NUL, else None."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    if odd_nuls >= 0.6 * half and even_nuls == 0:
        return "utf-16-le"
    if even_nuls >= 0.6 * half and odd_nuls == 0:
        return "utf-16-be"
    return None
