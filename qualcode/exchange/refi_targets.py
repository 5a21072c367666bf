"""What each program needs from a REFI-QDA export (``export refi --for PROGRAM``), with the evidence.

- ``generic`` (default): the REFI-QDA text as written: code point positions, names as they are.
- ``nvivo``: positions in UTF-16 code units (the real NVivo 12 export in tests/fixtures/refi counts
  so; qualcode writes LF line ends, so CRLF counting does not arise).
- ``qualcoder``: QualCoder needs unique code names and unique case names (it orphans codings and
  drops cases otherwise) and reads a coding's memo from a ``<Description>`` inside the
  ``PlainTextSelection``, not from a NoteRef; positions are code points (Python strings). Its
  importer (run on our export in tests/exchange/test_qualcoder_client.py) keeps a Note only as a
  journal entry read from the Note's ``plainTextPath`` file (a Note with only ``PlainTextContent``
  is dropped) and a transcript's memo only from the TextSource's ``<Description>``: so each Note is
  also written as a text file, with a unique name (a repeated journal name crashes its importer).
- ``atlasti``, ``maxqda``: unique readable names and memos both ways, code point positions as the
  standard says (not verified on a real file of theirs: see docs/exchange.md).

Every target writes timestamps in UTC with ``Z`` (as the vendors do; QualCoder turned ``+00:00``
into the invalid ``+00:00Z``) and keeps every memo as a Note too.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..codebook.export import unique_labels as unique_code_names  # noqa: F401 - one rule for every export


@dataclass(frozen=True)
class Target:
    name: str
    program: str
    utf16: bool = False  # positions in UTF-16 code units instead of code points
    unique_names: bool = False  # code and case names made unique and readable
    memo_descriptions: bool = False  # coding memos also as the selection's <Description>, transcript memos as the source's
    note_files: bool = False  # every Note also as a plain-text file (plainTextPath), names unique


TARGETS = {
    "generic": Target("generic", "any REFI-QDA program"),
    "nvivo": Target("nvivo", "NVivo", utf16=True, unique_names=True, memo_descriptions=True),
    "atlasti": Target("atlasti", "ATLAS.ti", unique_names=True, memo_descriptions=True),
    "maxqda": Target("maxqda", "MAXQDA", unique_names=True, memo_descriptions=True),
    "qualcoder": Target("qualcoder", "QualCoder", unique_names=True, memo_descriptions=True, note_files=True),
}


def utc_z(stamp: str | None) -> str | None:
    """An ISO timestamp in UTC written with ``Z`` (``...+00:00`` -> ``...Z``)."""
    if not stamp:
        return stamp
    return stamp[:-6] + "Z" if stamp.endswith("+00:00") else stamp


def unique_case_names(keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(group, participant id) -> a case name: the participant id, or "young-person B1" when the
    same id is in two groups."""
    clash = Counter(pid.casefold() for _, pid in keys)
    return {(group, pid): (f"{group} {pid}" if clash[pid.casefold()] > 1 else pid) for group, pid in keys}


def to_utf16(text: str) -> list[int]:
    """Code point offset -> UTF-16 code unit offset, for every offset 0..len(text)."""
    out, units = [0], 0
    for ch in text:
        units += 2 if ord(ch) > 0xFFFF else 1
        out.append(units)
    return out
