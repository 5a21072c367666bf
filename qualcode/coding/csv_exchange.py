"""The codings CSV exchange format (read by ``import-codings``, written by ``export codings``).

Columns, in this order::

    transcript,code,quote,start,end,coder,status,exemplar,memo

- ``transcript``: the transcript's name (its file stem, see ``qualcode transcripts list``)
- ``code``: a code id from the project's codebook
- ``quote``: the coded text; ``start``/``end``: code-point offsets (end exclusive). When both offsets are
  empty the quote is located in the text (it must occur exactly once); when given, the quote must
  equal ``text[start:end]`` (an empty quote is filled in).
- ``coder`` (default: the current coder), ``status`` (suggested/accepted/rejected, default accepted),
  ``exemplar`` (true/false), ``memo``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..cells import csv_dict_writer, csv_unescape
from ..errors import ExchangeError, Problem
from ..textio import csv_dict_rows, read_utf8
from ..store.codings import STATUSES, insert_codings, query_codings, update_codings
from ..store.project import Project
from ..store.transcripts import list_transcripts
from .locate import locate

COLUMNS = ["transcript", "code", "quote", "start", "end", "coder", "status", "exemplar", "memo"]
TRUE = {"true", "yes", "1", "y", "x"}
FALSE = {"false", "no", "0", "n", ""}


@dataclass
class CodingsImport:
    rows: int
    inserted: int
    updated: int


def _read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    text = read_utf8(path, ExchangeError, "save it as 'CSV UTF-8'")
    header, records = csv_dict_rows(text, path, ExchangeError)
    if not any(h.strip() for h in header):
        raise ExchangeError(f"{path}: empty file; expected a header with {', '.join(COLUMNS)}")
    fields = {f.strip().lower(): f for f in header if f}
    missing = [c for c in ("transcript", "code") if c not in fields]
    if missing or not ({"quote"} <= set(fields) or {"start", "end"} <= set(fields)):
        raise ExchangeError(f"{path}:1: header must have columns {', '.join(COLUMNS)} (found: {', '.join(header)})")
    return [(number, {k: csv_unescape((row.get(fields[k]) or "").strip()) if k in fields else "" for k in COLUMNS})
            for number, row in records]


def import_codings_csv(project: Project, path: Path, *, default_coder: str, origin: str = "import") -> CodingsImport:
    """Validate every row first (unknown transcript or code, offsets outside the text, a quote that is
    not in the transcript or is ambiguous); write nothing unless all rows are good."""
    rows = _read_rows(path)
    known_codes = set(project.codebook().ids())
    with project.engine.connect() as conn:
        transcripts = {t.name: t for t in list_transcripts(conn)}
    problems: list[Problem] = []
    records = []
    for number, row in rows:
        try:
            records.append(_row_record(row, transcripts, known_codes)
                           | dict(coder=row["coder"] or default_coder, origin=origin))
        except _BadRow as bad:
            problems.append(Problem(str(path), number, None, str(bad)))
    if problems:
        raise ExchangeError(f"{len(problems)} row(s) cannot be imported; nothing was imported", problems)
    with project.engine.begin() as conn:
        inserted = insert_codings(conn, records)
        updated = _update_decisions(conn, records)
    return CodingsImport(len(records), inserted, updated)


class _BadRow(ValueError):
    """One row of a codings CSV that cannot be imported (the message says why)."""


def _row_record(row: dict, transcripts: dict, known_codes: set[str]) -> dict:
    t = transcripts.get(row["transcript"])
    if t is None:
        raise _BadRow(f"unknown transcript {row['transcript']!r}")
    if row["code"] not in known_codes:
        raise _BadRow(f"unknown code {row['code']!r} (not in the project's codebook)")
    status = row["status"].lower() or "accepted"
    if status not in STATUSES:
        raise _BadRow(f"status {row['status']!r} must be one of {', '.join(STATUSES)}")
    exemplar = row["exemplar"].lower()
    if exemplar not in TRUE | FALSE:
        raise _BadRow(f"exemplar {row['exemplar']!r} must be true or false")
    start, end = _row_span(row, t)
    return dict(transcript_id=t.id, start=start, end=end, snippet=t.text[start:end], code_id=row["code"],
                status=status, exemplar=exemplar in TRUE, memo=row["memo"])


def _row_span(row: dict, t) -> tuple[int, int]:
    """Where a row's coding lies: its offsets (checked against its quote) or its quote, found once."""
    quote = row["quote"]
    if not (row["start"] or row["end"]):
        spans = locate(t.text, quote)
        if not spans:
            raise _BadRow(f"quote not found in transcript {t.name!r}: {quote[:70]!r}")
        if len(set(spans)) > 1:
            raise _BadRow(f"quote occurs {len(spans)} times in {t.name!r}; give start and end: {quote[:70]!r}")
        return spans[0]
    try:
        start, end = int(row["start"]), int(row["end"])
    except ValueError:
        raise _BadRow(f"start/end {row['start']!r}/{row['end']!r} must be whole numbers") from None
    if not 0 <= start < end <= len(t.text):
        raise _BadRow(f"offsets {start}-{end} are outside transcript {t.name!r} (length {len(t.text)})")
    if quote and t.text[start:end] != quote:
        raise _BadRow(f"quote does not match the text at {start}-{end} of {t.name!r}: {t.text[start:end][:60]!r}")
    return start, end


def _update_decisions(conn, records: list[dict]) -> int:
    """Codings already stored for a row's span take the row's status, exemplar mark and memo."""
    updated = 0
    for r in records:
        for c in query_codings(conn, transcript_id=r["transcript_id"], code=r["code_id"], coder=r["coder"]):
            if (c.start, c.end) == (r["start"], r["end"]) and \
                    (c.status, c.exemplar, c.memo) != (r["status"], r["exemplar"], r["memo"]):
                updated += update_codings(conn, [c.id], status=r["status"], exemplar=r["exemplar"], memo=r["memo"])
    return updated


def export_codings_csv(project: Project, path: Path | None, *, coder: str | None = None, status: str | None = None) -> list[dict]:
    """Rows in the exchange format (written to ``path`` when given)."""
    with project.engine.connect() as conn:
        found = query_codings(conn, coder=coder, status=status)
    rows = [dict(transcript=c.transcript, code=c.code_id, quote=c.snippet, start=c.start, end=c.end, coder=c.coder,
                 status=c.status, exemplar="true" if c.exemplar else "false", memo=c.memo) for c in found]
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)  # as the report writers do
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv_dict_writer(fh, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    return rows
