"""Word tables as transcripts: speaker | text, time | speaker | text (any column order), header
rows, and metadata tables (Date | ..., Interviewer | SM) that are non-speech.

- Header rows ("Speaker | Text", or rows marked to repeat as header) are layout, not content.
- A two-column table whose first column names facts (date, duration, location, transcriber,
  ...) without repeating any is a metadata table: kept as one non-speech segment.
- Otherwise a column of short names that recur is the speaker column, a column of times the
  time column, and the wordiest other column the text. A row with no speaker continues the turn
  before it. A table whose columns are not recognised is read row by row, with a warning when it
  has three or more columns.
- A two-column table whose rows each pair two names (Interviewer | Sarah Jones, or under a
  Name | Role header: D3 | Participant), with no name repeated, is a list of the people present:
  kept as one non-speech segment, with a warning, never as turns in which "Participant" says "D3".
"""
from __future__ import annotations

import re

from qualcode.ingest.docx_walk import WTable
from qualcode.ingest.speakers import Block, Label, is_label_name
from qualcode.model import ImportWarning

HEADER_WORDS = frozenset("""speaker speakers name names text transcript time timestamp timecode start end
    utterance utterances content dialogue speech who role said response responses line no no. # turn
    what was said verbatim""".split()) | {"what was said", "start time", "end time", "speaker name"}
META_KEYS = frozenset("""date duration length location place venue site setting transcriber file filename
    recording audio language project study title session interview id code age gender mode format
    notes""".split()) | {"transcribed by", "file name", "interview date", "interview id", "participant id",
                         "start time", "end time", "date of interview", "interviewer initials"}
_TIME_CELL = re.compile(r"[\[(]?\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?[\])]?(?:\s*-+>?\s*\S+)?")


def _key(text: str) -> str:
    return " ".join(text.casefold().rstrip(":").split())


def _text(cell: list[str]) -> str:
    return "\n".join(cell)


def _is_header(row: list[list[str]]) -> bool:
    cells = [_key(_text(c)) for c in row if c]
    return bool(cells) and all(c in HEADER_WORDS for c in cells)


def _column(rows: list[list[list[str]]], i: int) -> list[str]:
    return [_text(r[i]) if i < len(r) else "" for r in rows]


def _find_columns(rows: list[list[list[str]]]) -> tuple[int | None, int | None, int | None]:
    """(time, speaker, text) column indexes, or None where not found."""
    width = max(len(r) for r in rows)
    cols = [[c for c in _column(rows, i) if c] for i in range(width)]
    time = next((i for i, c in enumerate(cols) if c and sum(bool(_TIME_CELL.fullmatch(x)) for x in c) >= 0.6 * len(c)),
                None)
    words = [sum(len(x.split()) for x in c) for c in cols]
    candidates = [i for i, c in enumerate(cols) if i != time and c
                  and sum(is_label_name(x.rstrip(":")) and "\n" not in x for x in c) >= 0.8 * len(c)
                  and len({_key(x) for x in c}) < len(c)]
    speaker = min(candidates, key=lambda i: words[i]) if candidates else None
    rest = [i for i in range(width) if i not in (time, speaker)]
    text = max(rest, key=lambda i: words[i]) if rest else None
    if speaker is not None and text is not None and words[text] <= words[speaker]:
        speaker = None
    return time, speaker, text


def _metadata(rows: list[list[list[str]]]) -> str:
    """"keys" when the first column names facts (a date, a location...) and repeats none, else ""."""
    if max(len(r) for r in rows) != 2 or any(len(r) == 2 and not r[0] and r[1] for r in rows):
        return ""
    keys = [_key(_text(r[0])) for r in rows if r and r[0]]
    if not keys or len(set(keys)) != len(keys):
        return ""
    return "keys" if any(k in META_KEYS for k in keys) else ""


def _name_cell(cell: list[str]) -> bool:
    text = _text(cell).strip().rstrip(":")
    return len(cell) == 1 and is_label_name(text) and not text.endswith((".", "!", "?"))


def _people(rows: list[list[list[str]]], *, header: bool) -> bool:
    """Whether a two-column table pairs names in every row (a list of who was there)."""
    if (len(rows) < 2 and not header) or any(len(r) != 2 or not all(map(_name_cell, r)) for r in rows):
        return False
    keys = [_key(_text(r[0])) for r in rows]
    return len(set(keys)) == len(keys)


def _people_block(rows: list[list[list[str]]], number: int, warnings: list[ImportWarning]) -> Block:
    lines = [f"{_text(r[0]).rstrip(':').strip()}: {_text(r[1]).strip()}" for r in rows]
    warnings.append(ImportWarning(
        "layout", f"a two-column table of names ({'; '.join(lines[:2])}{'; ...' if len(lines) > 2 else ''}) "
        "was kept as a list of people, not speech; if its rows are turns, write them as 'Speaker: text'",
        number))
    return Block(lines, numbers=[number] * len(lines), nonspeech=True)


def table_blocks(table: WTable, number: int, warnings: list[ImportWarning]) -> list[Block]:
    """The table's rows as paragraphs for ``parse_blocks`` (``number``: its paragraph number)."""
    rows = [r for r in table.rows if any(r)]
    skip = 0
    while skip < len(rows) and (skip < table.header_rows or _is_header(rows[skip])):
        skip += 1
    rows = rows[skip:]
    if not rows:
        return []
    if _metadata(rows):
        lines = [f"{_text(r[0]).rstrip(':').strip()}: {' '.join(r[1])}".strip() for r in rows if any(r)]
        return [Block(lines, numbers=[number] * len(lines), nonspeech=True)]
    time, speaker, text = _find_columns(rows) if len(rows) > 1 or len(rows[0]) > 1 else (None, None, None)
    if speaker is not None and text is not None:
        return [_row_block(r, time, speaker, text, number) for r in rows if _row_lines(r, text) or _cell(r, speaker)]
    if _people(rows, header=skip > 0):
        return [_people_block(rows, number, warnings)]
    if max(len(r) for r in rows) >= 3:
        warnings.append(ImportWarning(
            "layout", f"a table of {max(len(r) for r in rows)} columns whose columns were not recognised as "
            "time | speaker | text was read row by row, each cell a paragraph", number))
    return _plain_rows(rows, number)


def _cell(row: list[list[str]], i: int | None) -> str:
    return _text(row[i]).strip() if i is not None and i < len(row) else ""


def _row_lines(row: list[list[str]], i: int) -> list[str]:
    return list(row[i]) if i < len(row) else []


def _row_block(row, time: int | None, speaker: int, text: int, number: int) -> Block:
    name = _cell(row, speaker).rstrip(":").strip()
    lines = _row_lines(row, text)
    stamp = _cell(row, time).split("-")[0].strip() or None if time is not None else None
    if not name:
        return Block(lines, numbers=[number] * len(lines))
    first = lines[0] if lines else ""
    label = Label(name, first, stamp, strong=True)
    shown = [f"{name}: {first}".strip(), *lines[1:]]
    return Block(shown, label, numbers=[number] * len(shown))


def _plain_rows(rows: list[list[list[str]]], number: int) -> list[Block]:
    out: list[Block] = []
    for row in rows:
        cells = [_text(c) for c in row if c]
        if len(cells) == 2 and "\n" not in cells[0] and is_label_name(cells[0].rstrip(":")):
            line = f"{cells[0].rstrip(':').strip()}: {cells[1]}"
            out.append(Block(line.split("\n"), numbers=[number] * (line.count("\n") + 1)))
        else:
            for cell in cells:
                out.append(Block(cell.split("\n"), numbers=[number] * (cell.count("\n") + 1)))
    return out
