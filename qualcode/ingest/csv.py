"""CSV transcripts: one row per turn, a header naming the columns (matched case-insensitively).

speaker: ``speaker``/``name``/``speaker name``; text: ``text``/``utterance``/``transcript``/
``content``; optional start: ``start``/``start time``/``time``/``timestamp``; optional end:
``end``/``end time``. Comma, semicolon and tab separators are recognised from the header.
The stdlib csv module (not pandas) keeps row line numbers exact for error messages.
"""
from __future__ import annotations

import csv

from qualcode.errors import Problem, TranscriptError
from qualcode.ingest.canonical import Segment
from qualcode.textio import csv_reader

SPEAKER_COLUMNS = ("speaker", "name", "speaker name", "speaker_name")
TEXT_COLUMNS = ("text", "utterance", "transcript", "content")
START_COLUMNS = ("start", "start time", "start_time", "time", "timestamp")
END_COLUMNS = ("end", "end time", "end_time")


def _error(path: str, line: int | None, message: str) -> TranscriptError:
    problem = Problem(path, line, None, message)
    return TranscriptError(str(problem), [problem])


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    keys = [h.strip().casefold() for h in header]
    for name in names:
        if name in keys:
            return keys.index(name)
    return None


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def csv_segments(text: str, path: str) -> list[Segment]:
    reader = csv_reader(text, _delimiter(text.split("\n", 1)[0]))
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise _error(path, 1, "has no header row (expected columns such as speaker, text)")
        col_text = _find(header, TEXT_COLUMNS)
        if col_text is None:
            found = ", ".join(repr(h.strip()) for h in header)
            raise _error(path, 1, f"no text column (looked for {', '.join(TEXT_COLUMNS)}); "
                                  f"columns found: {found}")
        col_speaker = _find(header, SPEAKER_COLUMNS)
        col_start = _find(header, START_COLUMNS)
        col_end = _find(header, END_COLUMNS)
        segments: list[Segment] = []
        for row in reader:
            def cell(i: int | None) -> str | None:
                return row[i].strip() if i is not None and i < len(row) and row[i].strip() else None

            words = cell(col_text)
            if words:
                segments.append(Segment(cell(col_speaker), words, cell(col_start), cell(col_end)))
    except csv.Error as exc:
        raise _error(path, reader.line_num, f"malformed CSV: {exc}") from None
    if not segments:
        raise _error(path, None, "is empty (no rows with text)")
    return segments
