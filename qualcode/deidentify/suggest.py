"""Candidate identifiers the team has not listed yet, for them to confirm (nothing is replaced).

Nicknames introduced in a transcript ("we call her Chips") come first. With a trained English
spaCy pipeline installed (``qualcode[ner]``; qualcode never downloads one), its PERSON, GPE/LOC/FAC
and ORG entities. Otherwise capitalised words that do not
start a sentence and are not English words (spaCy's lookup tables), joined when adjacent
("Tendai Moyo"), plus speaker labels that look like names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pathlib import Path

from ..store.project import Project
from ..store.transcripts import all_turns, list_participants, list_transcripts
from .ner import installed_model, load
from .patterns import nicknames
from .terms import TermMatcher, norm, read_names_file, roster_terms
from .words import english_words

ENTITY_KINDS = {"PERSON": "NAME", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE", "ORG": "ORG"}
TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
OPENERS = " \t\"“‘'([*_"
ENDERS = ".!?…:;\n"


@dataclass
class Suggestion:
    text: str
    kind: str
    count: int = 0
    transcripts: list[str] = field(default_factory=list)
    example: str = ""

    def as_dict(self) -> dict:
        return dict(candidate=self.text, kind=self.kind, count=self.count, transcripts=", ".join(self.transcripts),
                    example=self.example)


def _sentence_initial(text: str, start: int) -> bool:
    j = start - 1
    while j >= 0 and text[j] in OPENERS:
        j -= 1
    return j < 0 or text[j] in ENDERS


def _is_candidate(token: str, words: frozenset[str]) -> bool:
    base = token.split("'", 1)[0].split("’", 1)[0]
    return (len(base) > 1 and base[0].isupper() and not base.isupper() and base.lower() not in words
            and token.lower() not in words)


def dictionary_candidates(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of capitalised non-words that are not sentence-initial, adjacent ones joined."""
    words = english_words()
    spans: list[list[int]] = []
    for m in TOKEN.finditer(text):
        if not _is_candidate(m.group(), words):
            continue
        if spans and text[spans[-1][1]:m.start()] == " ":
            spans[-1][1] = m.end()
        elif not _sentence_initial(text, m.start()):
            spans.append([m.start(), m.end()])
    out = []
    for s, e in spans:
        t = re.sub(r"['’]s$", "", text[s:e])
        out.append((s, s + len(t), "NAME"))
    return out


def suggest_names(project: Project, names_file: Path | None = None) -> tuple[list[Suggestion], str]:
    """(suggestions, how they were found); terms already in the names list or the roster are left out."""
    listed = read_names_file(names_file) if names_file else []
    with project.engine.connect() as conn:
        transcripts = list_transcripts(conn)
        turns = all_turns(conn)
        known = TermMatcher(listed + roster_terms(list_participants(conn))).known()
    model = installed_model()
    nlp = load(model) if model else None
    found: dict[str, Suggestion] = {}

    def add(text: str, kind: str, where: str, example: str) -> None:
        key = norm(text)
        if not key or key in known or re.fullmatch(r"\[[A-Z]+-\d+\]", text):
            return
        s = found.setdefault(key, Suggestion(text, kind, example=example))
        s.count += 1
        if where not in s.transcripts:
            s.transcripts.append(where)

    for t in transcripts:
        for nick in nicknames(t.text):
            add(nick, "NAME (nickname)", t.name, f"introduced as a nickname in {t.name}")
        if nlp is not None:
            doc = nlp(t.text)
            spans = [(e.start_char, e.end_char, ENTITY_KINDS[e.label_]) for e in doc.ents if e.label_ in ENTITY_KINDS]
        else:
            spans = dictionary_candidates(t.text)
            words = english_words()
            for u in turns.get(t.id, []):
                if u.speaker and all(_is_candidate(w, words) for w in u.speaker.split()):
                    add(u.speaker, "NAME", t.name, f"speaker label {u.speaker!r}")
        for s, e, kind in spans:
            left = t.text[max(0, s - 30):s].replace("\n", " ")
            right = t.text[e:e + 30].replace("\n", " ")
            add(t.text[s:e], kind, t.name, f"...{left}[{t.text[s:e]}]{right}...")
    ranked = sorted(found.values(), key=lambda s: (-s.count, s.text.lower()))
    return ranked, (f"entities from the installed spaCy model {model}" if model else
                    "capitalised words that are not English words (spaCy lookup tables)")
