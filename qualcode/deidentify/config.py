"""The ``[deidentify]`` table of ``qualcode.toml``: project-specific patterns, words never to replace,
roster attributes that identify someone, and how ages and places are generalised.

``qualcode.toml``::

    [deidentify]
    allow = ["Beck", "Friendship"]     # never replaced, whatever finds them (case-insensitive)
    identifying = ["school"]           # roster attributes dropped from every output after de-identification
    ages = "band"                      # "band": "19" -> "[AGE 18-24]"; "pseudonym": "[AGE-1]"; "keep"
    age_bands = [13, 16, 18, 25, 35, 45, 55, 65]   # lower bounds of the bands
    dates = "redact"                   # "redact": [DATE]; "year": [DATE 2021]; "month": [DATE March 2021];
                                       # "pseudonym": [DATE-1] (see dates.py)
    places = "generalise"              # unlisted places found by NER: a city -> "[CITY]", other -> "[PLACE]";
                                       # "pseudonym": "[PLACE-4]"
    ner = "auto"                       # "auto": use the NER model when installed; true: require it; false: never
    processes = "auto"                 # "auto": big jobs (250,000+ words) use every CPU core; or a number

    [deidentify.patterns]              # extra regular expressions: KIND = "regex"; matches become [KIND-n]
    STUDENT_ID = 'S\\d{7}'
    NATIONAL_ID = '\\b\\d{2}-\\d{6,7} ?[A-Z] ?\\d{2}\\b'
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ProjectError
from .dates import MODES

DEFAULT_BANDS = (13, 16, 18, 25, 35, 45, 55, 65)
KNOWN = {"allow", "identifying", "ages", "age_bands", "dates", "places", "ner", "patterns", "processes"}
KIND = re.compile(r"^[A-Z][A-Z_]{1,19}$")


@dataclass
class DeidConfig:
    allow: frozenset[str] = frozenset()
    identifying: tuple[str, ...] = ()
    ages: str = "band"
    age_bands: tuple[int, ...] = DEFAULT_BANDS
    dates: str = "redact"
    places: str = "generalise"
    ner: str = "auto"
    processes: int | None = None  # None: one per CPU core for big jobs, one for small ones
    patterns: list[tuple[str, re.Pattern]] = field(default_factory=list)

    def age_label(self, age: int) -> str:
        lower = [b for b in self.age_bands if b <= age]
        if not lower:
            return f"[AGE UNDER {self.age_bands[0]}]"
        low = lower[-1]
        higher = [b for b in self.age_bands if b > age]
        return f"[AGE {low}-{higher[0] - 1}]" if higher else f"[AGE {low}+]"


def _choice(path: Path, table: dict, key: str, allowed: tuple[str, ...], default: str) -> str:
    value = table.get(key, default)
    if isinstance(value, bool):
        value = "true" if value else "false"
    if value not in allowed:
        raise ProjectError(f"{path}: [deidentify] {key} = {value!r} must be one of {', '.join(allowed)}")
    return value


def _strings(path: Path, table: dict, key: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProjectError(f"{path}: [deidentify] {key} must be a list of strings, e.g. {key} = [\"...\"]")
    return value


def _bands(path: Path, table: dict) -> tuple[int, ...]:
    value = table.get("age_bands", list(DEFAULT_BANDS))
    if (not isinstance(value, list) or not value or not all(isinstance(v, int) and v >= 0 for v in value)
            or value != sorted(set(value))):
        raise ProjectError(f"{path}: [deidentify] age_bands must be increasing whole numbers, "
                           "the lower bound of each band, e.g. [13, 16, 18, 25]")
    return tuple(value)


def _processes(path: Path, table: dict) -> int | None:
    value = table.get("processes", "auto")
    if value == "auto":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ProjectError(f"{path}: [deidentify] processes = {value!r} must be \"auto\" or a whole number, 1 or more")
    return value


def _patterns(path: Path, table: dict) -> list[tuple[str, re.Pattern]]:
    value = table.get("patterns", {})
    if not isinstance(value, dict):
        raise ProjectError(f"{path}: [deidentify.patterns] must be a table of KIND = \"regex\"")
    out = []
    for kind, regex in value.items():
        if not KIND.match(kind):
            raise ProjectError(f"{path}: [deidentify.patterns] {kind!r}: a kind is 2-20 capital letters or _, "
                               "e.g. STUDENT_ID")
        if not isinstance(regex, str):
            raise ProjectError(f"{path}: [deidentify.patterns] {kind} must be a string (a regular expression)")
        try:
            out.append((kind, re.compile(regex)))
        except re.error as exc:
            raise ProjectError(f"{path}: [deidentify.patterns] {kind}: not a valid regular expression: {exc}") from None
    return out


def read_deid_config(root: Path) -> DeidConfig:
    """The ``[deidentify]`` settings of the project at ``root`` (defaults when absent)."""
    path = root / "qualcode.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return DeidConfig()
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
        raise ProjectError(f"{path}: cannot read: {exc}") from None
    table = data.get("deidentify", {})
    if not isinstance(table, dict):
        raise ProjectError(f"{path}: [deidentify] must be a table")
    unknown = set(table) - KNOWN
    if unknown:
        raise ProjectError(f"{path}: unknown setting(s) in [deidentify]: {', '.join(sorted(unknown))} "
                           f"(known: {', '.join(sorted(KNOWN))})")
    return DeidConfig(
        allow=frozenset(" ".join(w.split()).lower() for w in _strings(path, table, "allow")),
        identifying=tuple(_strings(path, table, "identifying")),
        ages=_choice(path, table, "ages", ("band", "pseudonym", "keep"), "band"),
        age_bands=_bands(path, table),
        dates=_choice(path, table, "dates", MODES, "redact"),
        places=_choice(path, table, "places", ("generalise", "pseudonym"), "generalise"),
        ner=_choice(path, table, "ner", ("auto", "true", "false"), "auto"),
        processes=_processes(path, table),
        patterns=_patterns(path, table))
