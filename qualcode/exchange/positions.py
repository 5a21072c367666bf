"""Which unit another program counted text positions in, decided from the file and checked on the text.

REFI-QDA says selection positions are Unicode code points. NVivo (and its heirs) count UTF-16
code units over the plain text as written, a CRLF counting as two; the readings differ from the
first CRLF or character outside the Basic Multilingual Plane (emoji) on. qualcode stores code
points into the canonical text (BOM stripped, CRLF/CR -> LF).

Three readings: ``codepoints`` (the spec; code points of the canonical text), ``utf16`` (UTF-16
units, a line break counting one), ``utf16-crlf`` (UTF-16 units over the text as written, CRLF
counting two). The file's ``origin`` names the program and so the expected reading; the evidence
is how many selections start and end on word boundaries under each reading, counted over the
selections whose place differs between readings. A reading the evidence clearly prefers wins
(and the user is told); when neither is clearly right the expected one is kept with a warning.
"""
from __future__ import annotations

from dataclasses import dataclass, field

READINGS = ("codepoints", "utf16", "utf16-crlf")
DESCRIBE = {"codepoints": "Unicode code points (REFI-QDA)", "utf16": "UTF-16 code units, a line break counting one",
            "utf16-crlf": "UTF-16 code units, CRLF counting two"}
INSIDE = -1  # a position inside a character (between the halves of a surrogate pair)


def expected_reading(origin: str) -> tuple[str, str]:
    """The reading the program named in ``origin`` uses, and why."""
    low = origin.lower()
    if low.startswith("qualcode") and "utf-16" in low:
        return "utf16", f"origin {origin!r}: a qualcode export for a program that counts UTF-16 code units"
    if "nvivo" in low and not low.startswith("qualcode"):
        return "utf16-crlf", f"origin {origin!r}: NVivo counts UTF-16 code units, CRLF as two"
    return "codepoints", (f"origin {origin!r}" if origin else "no origin given") + ": REFI-QDA code points"


def unit_map(raw: str, reading: str) -> list[int] | None:
    """Position in ``reading`` units over ``raw`` (BOM already stripped, line ends as written) -> code
    point offset into the canonical text; ``None`` when the reading is the identity."""
    astral = any(ord(c) > 0xFFFF for c in raw)
    if reading == "codepoints" or (not astral and (reading == "utf16" or "\r\n" not in raw)):
        return None
    out: list[int] = []
    canon = 0
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        out.append(canon)
        if c == "\r" and reading == "utf16-crlf" and i + 1 < n and raw[i + 1] == "\n":
            out.append(canon)  # between CR and LF: before the line break
            i += 1
        elif c == "\r" and i + 1 < n and raw[i + 1] == "\n":
            i += 1  # CRLF counts one
        elif ord(c) > 0xFFFF and reading != "codepoints":
            out.append(INSIDE)
        i += 1
        canon += 1
    out.append(canon)
    return out


def convert(pos: int, mapping: list[int] | None, *, end: bool) -> int | None:
    """A position in the reading's units as a canonical code point offset; ``None`` when past the text.
    A position inside a character moves to the character's start (``end``: its end)."""
    if mapping is None:
        return pos
    if not 0 <= pos < len(mapping):
        return None
    value = mapping[pos]
    if value == INSIDE:
        value = mapping[pos + 1] if end else mapping[pos - 1]
    return value


def _wordy(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isalnum()


def on_boundaries(text: str, start: int, end: int) -> bool:
    """Whether neither end of [start, end) cuts a word in two."""
    return not (_wordy(text, start - 1) and _wordy(text, start)) and not (_wordy(text, end - 1) and _wordy(text, end))


@dataclass
class SourceSpans:
    """One source's text as written (BOM stripped), its canonical text, and its selections' raw positions."""

    raw: str
    canon: str
    spans: list[tuple[int, int]]


@dataclass
class PositionChoice:
    reading: str
    reason: str
    scores: dict[str, int] = field(default_factory=dict)  # reading -> selections on word boundaries
    differing: int = 0  # selections whose place differs between readings
    total: int = 0
    warning: str = ""

    def evidence(self) -> str:
        if not self.differing:
            return f"all readings place the {self.total} selection(s) alike (no CRLF or emoji before them)"
        ranked = sorted(self.scores.items(), key=lambda kv: -kv[1])
        return (f"of {self.differing} selection(s) placed differently by the readings, on word boundaries: "
                + ", ".join(f"{r} {n}" for r, n in ranked))

    def describe(self) -> str:
        return f"positions read as {DESCRIBE[self.reading]} ({self.reason}; {self.evidence()})"


def _score(sources: list[SourceSpans]) -> tuple[dict[str, int], int, int]:
    scores = dict.fromkeys(READINGS, 0)
    differing = total = 0
    for src in sources:
        maps = {r: unit_map(src.raw, r) for r in READINGS}
        for start, end in src.spans:
            total += 1
            placed = {r: (convert(start, m, end=False), convert(end, m, end=True)) for r, m in maps.items()}
            if len(set(placed.values())) == 1:
                continue
            differing += 1
            for r, (s, e) in placed.items():
                if s is not None and e is not None and s < e and on_boundaries(src.canon, s, e):
                    scores[r] += 1
    return scores, differing, total


def choose_reading(origin: str, sources: list[SourceSpans], forced: str | None = None) -> PositionChoice:
    """Decide the reading: ``forced`` (``--positions``) wins; else the expected one unless the
    evidence clearly prefers another; a warning when the evidence is unclear or overruled."""
    expected, why = expected_reading(origin)
    scores, differing, total = _score(sources)
    choice = PositionChoice(expected, why, scores, differing, total)
    best = max(READINGS, key=lambda r: (scores[r], r == expected))
    if forced:
        choice.reading, choice.reason = forced, f"as given by --positions; {why}"
        if differing and scores[best] > scores[forced] + max(1, differing // 5):
            choice.warning = f"--positions {forced} was given, but {best} fits the text better ({choice.evidence()})"
        return choice
    if not differing:
        return choice
    share = {r: n / differing for r, n in scores.items()}
    if best != expected and share[best] >= 0.6 and share[best] - share[expected] >= 0.3:
        choice.reading = best
        choice.reason = f"{why}, but the text says {best}"
        choice.warning = (f"the file's origin suggests {expected}, but {best} fits the text clearly better; "
                          f"read as {best} (give --positions to overrule)")
    elif share[expected] < 0.6 or (best != expected and share[best] > share[expected]):
        choice.warning = (f"position unit unclear ({choice.evidence()}); read as {expected} from the origin; "
                          "check a few codings and give --positions codepoints|utf16|utf16-crlf to overrule")
    return choice
