"""Identifiers found by our own patterns where Presidio has no recogniser: UK postcodes, street
addresses, ages (figures and words), social-media handles, URLs, long ID-like codes, and
nicknames introduced in the text ("we call her Chips", "everyone calls me Tee").

Each function returns ``(start, end, kind, value)`` tuples; for ages ``value`` is the age in years,
and only the number is replaced ("19 years old" -> "[AGE 18-24] years old").
"""
from __future__ import annotations

import re

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen").split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS)}
for _t, _v in _TENS.items():
    NUMBER_WORDS[_t] = _v
    for _i, _u in enumerate(_UNITS[1:10], start=1):
        NUMBER_WORDS[f"{_t}-{_u}"] = NUMBER_WORDS[f"{_t} {_u}"] = _v + _i
_WORDS = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_FIRST = "".join(sorted({w[0] for w in NUMBER_WORDS} | {w[0].upper() for w in NUMBER_WORDS}))  # a quick first test
_N = rf"(?P<n>\d{{1,3}}|(?i:{_WORDS}))"
AGE_PATTERNS = [
    re.compile(rf"(?<![\w.,])(?=[\d{_FIRST}]){_N}(?:[\s-]*(?:years?|yrs?)[\s-]*old|[\s-]*year[\s-]*old)\b", re.IGNORECASE),
    re.compile(rf"\b(?:aged|age of|age|ages)\s+(?:about |around |just |only )?{_N}(?![\w%-]|[.,]\d)", re.IGNORECASE),
    re.compile(rf"\b(?:I|[Hh]e|[Ss]he|[Tt]hey|[Ww]e|[Yy]ou)(?:'m|’m|'s|’s|'re|’re| am| was| were| is| are| turned| turn"
               rf"| turning| just turned)\s+(?:only |just |about |nearly |almost )?{_N}"
               rf"(?=\s*(?:[.,;:!?)\]—–]|$|\s(?:and|when|then|so|but|or|at|in|now|this|that|years?|yrs?)\b))",
               re.MULTILINE),
]
POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}\b")
_STREET = ("Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Way|Crescent|Cres|Court|Ct|Place|Terrace|Grove"
           "|Gardens|Square|Sq|Hill|Row|Walk|Mews|Boulevard|Blvd|Highway|Parade|Rise|Estate")
ADDRESS = re.compile(rf"\b(?:(?:Flat|Apartment|Unit|House|Stand|Plot)\s+\d+[A-Za-z]?,?\s+)?(?:\d{{1,5}}[A-Za-z]?,?\s+)?"
                     rf"(?:[A-Z][\w'’-]*\s+){{1,4}}(?:{_STREET})\b\.?")
HANDLE = re.compile(r"(?<![\w.@/])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'()]+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|me|ac\.uk|co\.uk|"
                 r"co\.ke|co\.zw|ac\.zw|ac\.ke|tv|app)/[^\s<>\"'()]*", re.IGNORECASE)
# a code of 6+ characters holding 5+ digits, or letters and digits mixed: student numbers, national IDs
ID_LIKE = re.compile(r"(?<![\w/.+@-])(?=[A-Za-z0-9/-]*\d)(?:[A-Za-z]{1,3}[-/ ]?)?\d[\dA-Za-z/-]{4,}\d(?:[ -]?[A-Z])?"
                     r"(?:[ -]?\d{2})?(?![\w/@-])")
NICKNAME = re.compile(
    r"\b(?:(?:call|calls|called|calling)\s+(?:me|him|her|them|us|you)|(?:known|goes|go|went)\s+(?:as|by)"
    r"|nicknamed?|nickname\s+(?:is|was)|(?:friends|everyone|everybody|people|they|family)\s+call\s+(?:me|him|her|them))"
    r"\s+[\"“‘']?(?P<a>[A-Z][\w'’-]*)[\"”’']?(?:(?:,\s*(?:or\s+|and\s+)?|\s+(?:or|and)\s+|\s*/\s*)[\"“‘']?(?P<b>[A-Z][\w'’-]*)[\"”’']?)?")


ORG_WORDS = {"hospital", "clinic", "school", "college", "university", "trust", "centre", "center", "church",
             "project", "foundation", "council", "service", "services", "academy", "society", "association", "club",
             "group", "ltd", "limited", "bank", "ministry", "department", "network", "charity", "institute",
             "board", "partnership", "practice", "surgery", "bench", "team", "unit", "company"}
_CAP = r"[A-Z][\w'’-]*[a-z][\w'’-]*"
PROPER = re.compile(rf"(?<![\w\[])(?:{_CAP})(?:\s+(?:of|the|and|for|de|da|van|von)?\s*{_CAP})+")
_LINKS = {"of", "the", "and", "for", "de", "da", "van", "von"}
_OPENERS = " \t\"“‘'([*_"
_ENDERS = ".!?…:;\n"


def _sentence_initial(text: str, start: int) -> bool:
    j = start - 1
    while j >= 0 and text[j] in _OPENERS:
        j -= 1
    return j < 0 or text[j] in _ENDERS


def proper_phrases(text: str) -> list[tuple[int, int, str]]:
    """Two or more adjacent capitalised words inside a sentence ("Rudo Chikwanha", "Friendship Bench"):
    taken as a NAME, or an ORG when a word says so ("Parirenyatwa Hospital", "University of Manchester")."""
    out = []
    for m in PROPER.finditer(text):
        start, words = m.start(), m.group().split()
        if _sentence_initial(text, start):  # "At the Friendship Bench" -> drop the sentence's first word
            rest = words[1:]
            while rest and rest[0] in _LINKS:
                rest = rest[1:]
            if len(rest) < 2:
                continue
            start = text.index(rest[0], start + len(words[0]))
            words = rest
        end = m.end()
        last = re.sub(r"['’]s$", "", words[-1])
        end -= len(words[-1]) - len(last)
        kind = "ORG" if any(w.lower() in ORG_WORDS for w in words[1:] + [last]) else "NAME"
        out.append((start, end, kind))
    return out


def _trim(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in ".,;:!?)]}'\"”’":
        end -= 1
    return end


def ages(text: str) -> list[tuple[int, int, str, int]]:
    out = []
    for pattern in AGE_PATTERNS:
        for m in pattern.finditer(text):
            raw = m.group("n").lower()
            value = int(raw) if raw.isdigit() else NUMBER_WORDS.get(" ".join(raw.split()))
            if value is not None and 0 < value < 120:
                out.append((m.start("n"), m.end("n"), "AGE", value))
    return out


def places_and_handles(text: str) -> list[tuple[int, int, str, str]]:
    out = [(m.start(), m.end(), "POSTCODE", m.group()) for m in POSTCODE.finditer(text)]
    out += [(m.start(), _trim(text, m.start(), m.end()), "ADDRESS", m.group()) for m in ADDRESS.finditer(text)]
    out += [(m.start(), m.end(), "HANDLE", m.group()) for m in HANDLE.finditer(text)]
    out += [(m.start(), _trim(text, m.start(), m.end()), "URL", m.group()) for m in URL.finditer(text)]
    for m in ID_LIKE.finditer(text):
        digits = sum(c.isdigit() for c in m.group())
        letters = sum(c.isalpha() for c in m.group())
        if digits >= 5 or (digits >= 3 and letters >= 1):
            out.append((m.start(), m.end(), "ID", m.group()))
    return out


def nicknames(text: str) -> list[str]:
    """Capitalised names introduced as nicknames: "we call her Chips", "known as TeeMo"."""
    found = []
    for m in NICKNAME.finditer(text):
        found += [n for n in (m.group("a"), m.group("b")) if n and len(n) > 1]
    return found
