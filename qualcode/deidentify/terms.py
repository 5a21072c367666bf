"""The identifiers a team lists (names file, roster names) and finding them in text.

Names file: UTF-8, one entry per line (a NAME), or CSV lines ``original,kind`` with kind NAME,
PLACE or ORG; blank lines and lines starting with ``#`` are ignored, as is a header
``original,kind``. Matching is case-insensitive on whole words, longest entry first; a multi-word
NAME also matches its parts ("Tendai Moyo" -> "Tendai", "Moyo", with the same pseudonym) unless a
part is an English word or belongs to two different names. A one-word entry that is also an
English word ("Grace", "Hope") only matches when capitalised, so "I hope" stays as it is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExchangeError, Problem
from ..textio import csv_reader, read_utf8
from ..model import Participant
from .words import english_words

KINDS = ("NAME", "PLACE", "ORG")
PSEUDONYM = re.compile(r"\[[A-Z]+-\d+\]")
NAME_KEYS = ("name", "full_name", "fullname", "first_name", "firstname", "last_name", "lastname", "surname",
             "given_name", "family_name", "nickname")


def norm(text: str) -> str:
    return " ".join(text.split()).lower()


@dataclass(frozen=True)
class Term:
    original: str
    kind: str = "NAME"


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    text: str
    kind: str
    entity: str  # what the pseudonym is keyed on: the same entity gets the same pseudonym
    label: str | None = None  # a fixed, generalised replacement ("[AGE 18-24]", "[CITY]") instead of a pseudonym


def read_names_file(path: Path) -> list[Term]:
    text = read_utf8(path, ExchangeError, "save the names list as UTF-8")
    terms: list[Term] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        row = next(csv_reader(line), [""]) or [""]
        original = row[0].strip()
        kind = (row[1].strip().upper() if len(row) > 1 and row[1].strip() else "NAME")
        if number == 1 and original.lower() == "original" and kind == "KIND":
            continue
        if kind not in KINDS:
            problems.append(Problem(str(path), number, None, f"kind {row[1].strip()!r} must be NAME, PLACE or ORG"))
        elif not original:
            problems.append(Problem(str(path), number, None, "empty entry"))
        else:
            terms.append(Term(original, kind))
    if problems:
        raise ExchangeError(f"{path}: {len(problems)} problem(s)", problems)
    return terms


def roster_terms(participants: list[Participant]) -> list[Term]:
    """Personal names from the roster's name columns (participant ids such as D3 are not names)."""
    out = []
    for p in participants:
        for key, value in p.attributes.items():
            value = str(value).strip()
            if key.strip().lower().replace(" ", "_") in NAME_KEYS and value and not PSEUDONYM.fullmatch(value):
                out.append(Term(value, "NAME"))
    return out


class TermMatcher:
    """Finds listed terms (and the parts of multi-word names) in text."""

    def __init__(self, terms: list[Term]):
        words = english_words()
        self.forms: dict[str, tuple[str, str, bool]] = {}  # norm form -> (kind, entity, capitalised only)
        for t in terms:
            form = norm(t.original)
            if form and form not in self.forms:
                strict = " " not in form and form in words
                self.forms[form] = (t.kind, form, strict)
        claims: dict[str, set[str]] = {}
        for form, (kind, entity, _) in list(self.forms.items()):
            if kind == "NAME" and " " in form:
                for part in re.findall(r"[^\W\d_][\w'’-]*", form):
                    if len(part) > 1 and part not in words and part not in self.forms:
                        claims.setdefault(part, set()).add(entity)
        for part, entities in claims.items():
            entity = next(iter(entities)) if len(entities) == 1 else part
            self.forms[part] = ("NAME", entity, False)
        self.regex = None
        if self.forms:
            alternatives = sorted(self.forms, key=len, reverse=True)
            body = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in alternatives)
            self.regex = re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)

    def known(self) -> set[str]:
        return set(self.forms)

    def find(self, text: str) -> list[Hit]:
        if self.regex is None:
            return []
        hits = []
        for m in self.regex.finditer(text):
            found = self.forms.get(norm(m.group()))
            if found is None:
                continue
            kind, entity, strict = found
            if strict and not m.group()[:1].isupper():
                continue
            hits.append(Hit(m.start(), m.end(), m.group(), kind, entity))
        return hits
