"""The participant roster (CSV or YAML): who each transcript's participant is.

Columns/keys, case-insensitive: ``id`` (or ``participant``/``pid``; required), ``group``
(required), ``role``, ``attribution`` (how quotes are attributed; default ``"{role} {id}"`` or
``"Participant {id}"``), ``transcript`` (file stem(s), ``;``-separated); any other column goes to
``attributes``. A participant is (group, id): young person B1 and lay counsellor B1 are two
people. YAML is a list of mappings, or ``{participants: [...]}``; every value is read as text
(``01`` stays ``"01"``).

Attributes that identify someone (a school, a village, an exact age) can be marked so that
``deidentify`` drops or generalises them: in CSV, a header ending in ``(identifying)``
(``school (identifying)``; the attribute is called ``school``); in YAML, a top-level
``attributes:`` mapping (``school: {identifying: true}``) next to ``participants:``.
"""
from __future__ import annotations

import csv
import re
import reprlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from qualcode.errors import Problem, RosterError, TranscriptError
from qualcode.ingest.decode import decode_bytes
from qualcode.model import Participant
from qualcode.textio import csv_reader

ID_KEYS = ("id", "participant", "pid", "participant_id", "participant id")
GROUP_KEYS = ("group",)
ROLE_KEYS = ("role",)
ATTRIBUTION_KEYS = ("attribution",)
TRANSCRIPT_KEYS = ("transcript", "transcripts")
_LINE = "__line__"
IDENTIFYING = re.compile(r"(?P<name>.*?)\s*\(\s*identifying\s*\)", re.IGNORECASE)
_FIXED_KEYS = ID_KEYS + GROUP_KEYS + ROLE_KEYS + ATTRIBUTION_KEYS + TRANSCRIPT_KEYS
_YES, _NO = ("true", "yes", "on"), ("false", "no", "off")


@dataclass
class _Row:
    line: int | None
    values: dict[str, str]  # original key -> value


class Roster:
    """Participants plus which transcript (file stem) belongs to whom."""

    def __init__(
        self,
        participants: Iterable[Participant],
        transcript_map: Mapping[str, tuple[str, str] | Participant] | None = None,
        identifying: Iterable[str] = (),
    ):
        self.participants = list(participants)
        self.identifying = tuple(identifying)  # attribute names marked identifying in the roster file
        self._by_key = {p.key: p for p in self.participants}
        self.transcript_map = {
            stem: (key.key if isinstance(key, Participant) else tuple(key))
            for stem, key in (transcript_map or {}).items()
        }
        unknown = [stem for stem, key in self.transcript_map.items() if key not in self._by_key]
        if unknown:
            raise RosterError(f"transcript map names participants not in the roster: {unknown}")

    def get(self, group: str, pid: str) -> Participant | None:
        """The participant (group, pid), exactly; else the one matching ignoring case."""
        found = self._by_key.get((group, pid))
        if found is not None:
            return found
        want = (group.casefold(), pid.casefold())
        matches = [p for p in self.participants if (p.group.casefold(), p.pid.casefold()) == want]
        return matches[0] if len(matches) == 1 else None

    def for_transcript(self, name: str) -> Participant | None:
        """The participant whose transcript has this file stem.

        The roster's ``transcript`` column decides (exact stem, then ignoring case). Without an
        entry, the stem's words are matched against ids (``yp-D3`` -> id ``D3``); an id shared by
        two groups must be told apart by the group's name in the stem, else None (never a guess).
        """
        key = self.transcript_map.get(name)
        if key is None:
            folded = {stem.casefold(): k for stem, k in self.transcript_map.items()}
            key = folded.get(name.casefold())
        if key is not None:
            return self._by_key[key]
        claimed = set(self.transcript_map.values())
        stem = name.casefold()
        tokens = set(re.split(r"[^0-9a-z]+", stem))
        hits = [
            p for p in self.participants
            if p.key not in claimed and (p.pid.casefold() in tokens or p.pid.casefold() == stem)
        ]
        if len(hits) > 1:
            hits = [p for p in hits if p.group.casefold() in tokens or p.group.casefold() in stem]
        return hits[0] if len(hits) == 1 else None


def load_roster(path: str | Path) -> list[Participant]:
    """Participants from a roster file; every problem found -> one ``RosterError``."""
    return read_roster(path).participants


def read_roster(path: str | Path) -> Roster:
    """The roster file as a ``Roster`` (participants and transcript map)."""
    where = str(path)
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".csv", ".tsv", ".txt", ".yaml", ".yml"):
        raise _error(where, None, f"unsupported roster format {p.suffix or '(no extension)'!r}; "
                                  "use a .csv or .yaml file")
    try:
        text = decode_bytes(p.read_bytes(), where)
    except TranscriptError as exc:
        raise _error(where, None, exc.message.removeprefix(f"{where}: ")) from None
    except OSError as exc:
        raise _error(where, None, f"cannot be read: {exc.strerror or exc}") from None
    rows, identifying = _yaml_rows(text, where) if suffix in (".yaml", ".yml") else _csv_rows(text, where)
    return _build(rows, where, identifying)


def _error(file: str, line: int | None, message: str) -> RosterError:
    problem = Problem(file, line, None, message)
    return RosterError(str(problem), [problem])


def _csv_header(header: list[str], where: str, line: int) -> tuple[list[str], list[str]]:
    """The header with ``(identifying)`` markers taken off, and the attributes they marked."""
    names, identifying = [], []
    for cell in header:
        marked = IDENTIFYING.fullmatch(cell)
        if marked:
            cell = marked.group("name").strip()
            if not cell or cell.casefold() in _FIXED_KEYS:
                raise _error(where, line, f"column {marked.group()!r}: only an attribute column can be marked "
                                          "(identifying), e.g. 'school (identifying)'")
            identifying.append(cell)
        names.append(cell)
    return names, identifying


def _csv_rows(text: str, where: str) -> tuple[list[_Row], list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count) if any(d in first for d in ",;\t") else ","
    reader = csv_reader(text, delimiter)
    rows: list[_Row] = []
    try:
        header = [h.strip() for h in next(reader, [])]
        if not any(header):
            raise _error(where, 1, "has no header row (expected columns id, group, ...)")
        header, identifying = _csv_header(header, where, reader.line_num)
        seen = [h.lower() for h in header if h]
        twice = sorted({h for h in seen if seen.count(h) > 1})
        if twice:
            raise _error(where, reader.line_num, f"column(s) {', '.join(twice)} appear more than once in the header")
        line = reader.line_num
        for record in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if any(cell.strip() for cell in record[len(header):]):
                raise _error(where, start, f"{len(record)} values but the header has {len(header)} columns")
            values = {h: cell.strip() for h, cell in zip(header, record) if h}
            rows.append(_Row(start, values))
    except csv.Error as exc:
        raise _error(where, reader.line_num, f"malformed CSV: {exc}") from None
    return rows, identifying


class _LineLoader(yaml.BaseLoader):  # BaseLoader: every scalar is a string
    pass


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[_LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def _yaml_attributes(data: dict, where: str) -> list[str]:
    """The attributes declared ``identifying: true`` in a top-level ``attributes:`` mapping."""
    declared = data.get("attributes")
    if declared is None:
        return []
    line = declared.pop(_LINE, None) if isinstance(declared, dict) else None
    if not isinstance(declared, dict):
        raise _error(where, None, "'attributes:' must map attribute names to settings, e.g. school: {identifying: true}")
    out = []
    for name, settings in declared.items():
        at = settings.pop(_LINE, line) if isinstance(settings, dict) else line
        if not isinstance(settings, dict) or set(settings) - {"identifying"}:
            raise _error(where, at, f"attributes: {name}: expected {{identifying: true}} (the only setting)")
        value = str(settings.get("identifying", "false")).strip().lower()
        if value not in _YES + _NO:
            raise _error(where, at, f"attributes: {name}: identifying must be true or false, not {value!r}")
        if str(name).strip().casefold() in _FIXED_KEYS:
            raise _error(where, at, f"attributes: {name}: only an attribute (not id, group, role, attribution or "
                                    "transcript) can be identifying")
        if value in _YES:
            out.append(str(name).strip())
    return out


def _yaml_rows(text: str, where: str) -> tuple[list[_Row], list[str]]:
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - BaseLoader subclass, no objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise _error(where, line, f"broken YAML: {reason}") from None
    except RecursionError:
        raise _error(where, None, "broken YAML: nested too deeply") from None
    if data is None or data == "":
        raise _error(where, None, "is empty (no participants)")
    identifying: list[str] = []
    if isinstance(data, dict) and "participants" in data:
        identifying = _yaml_attributes(data, where)
        data = data["participants"]
    elif isinstance(data, dict) and "attributes" in data:
        raise _error(where, None, "'attributes:' needs the participants under 'participants:' beside it")
    if not isinstance(data, list):
        raise _error(where, 1, "expected a list of participants (or 'participants:' holding one)")
    rows: list[_Row] = []
    for item in data:
        if not isinstance(item, dict):
            raise _error(where, None, f"each participant must be a mapping of keys, not {reprlib.repr(item)}")
        line = item.get(_LINE)
        values = {str(k).strip(): _scalar(v, where, line, str(k)) for k, v in item.items() if k != _LINE}
        rows.append(_Row(line, values))
    return rows, identifying


def _scalar(value: Any, where: str, line: int | None, key: str, depth: int = 0) -> str:
    """A cell's text; a list or mapping one level deep is joined. Deeper nesting is refused: YAML
    aliases can make a few lines stand for billions of values."""
    if isinstance(value, (list, dict)) and depth:
        raise _error(where, line, f"the value of {key!r} is nested too deeply (give text or a list of text)")
    if isinstance(value, list):
        return ";".join(_scalar(v, where, line, key, 1) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={_scalar(v, where, line, key, 1)}" for k, v in value.items() if k != _LINE)
    return "" if value is None else str(value).strip()


def _take(values: dict[str, str], keys: tuple[str, ...]) -> tuple[str, set[str]]:
    used = {k for k in values if k.casefold() in keys}
    value = next((values[k] for k in values if k.casefold() in keys and values[k]), "")
    return value, used


def _build(rows: list[_Row], where: str, identifying: list[str] = ()) -> Roster:
    if not rows:
        raise _error(where, None, "is empty (no participants)")
    problems: list[Problem] = []
    participants: list[Participant] = []
    first_seen: dict[tuple[str, str], int | None] = {}
    stems: dict[str, tuple[tuple[str, str], int | None]] = {}
    transcript_map: dict[str, tuple[str, str]] = {}
    for row in rows:
        pid, used_id = _take(row.values, ID_KEYS)
        group, used_group = _take(row.values, GROUP_KEYS)
        role, used_role = _take(row.values, ROLE_KEYS)
        attribution, used_attr = _take(row.values, ATTRIBUTION_KEYS)
        transcripts, used_tr = _take(row.values, TRANSCRIPT_KEYS)
        missing = [name for name, value in (("id", pid), ("group", group)) if not value]
        if missing:
            problems.append(Problem(where, row.line, None, f"missing {' and '.join(missing)}"))
            continue
        folded = (group.casefold(), pid.casefold())
        if folded in first_seen:
            seen = first_seen[folded]
            problems.append(Problem(where, row.line, None, (
                f"duplicate participant: group {group!r} id {pid!r} is already defined"
                + (f" on line {seen}" if seen else "")
            )))
            continue
        first_seen[folded] = row.line
        used = used_id | used_group | used_role | used_attr | used_tr
        attributes = {k: v for k, v in row.values.items() if k not in used and k != _LINE}
        participant = Participant(
            pid=pid, group=group, role=role,
            attribution=attribution or (f"{role} {pid}" if role else f"Participant {pid}"),
            attributes=attributes,
        )
        participants.append(participant)
        for stem in (s.strip() for s in transcripts.split(";")):
            if not stem:
                continue
            if stem.casefold() in stems:
                other, line = stems[stem.casefold()]
                problems.append(Problem(where, row.line, None, (
                    f"transcript {stem!r} is claimed by both {other[0]}/{other[1]}"
                    + (f" (line {line})" if line else "") + f" and {group}/{pid}"
                )))
                continue
            stems[stem.casefold()] = (participant.key, row.line)
            transcript_map[stem] = participant.key
    held = {k.casefold() for p in participants for k in p.attributes}
    problems += [Problem(where, None, None, f"attribute {name!r} is marked identifying but no participant has it")
                 for name in identifying if name.casefold() not in held]
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        raise RosterError(f"{where}: roster has {count}", problems)
    return Roster(participants, transcript_map, identifying)
