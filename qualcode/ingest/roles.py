"""Who is who: the role each speaker label gets (participant / interviewer / other), and why.

The order that decides, first match wins:

1. ``--interviewer REGEX`` given on the command line: a label it matches whole is the interviewer;
2. the roster: a label naming a roster person (their id, their attribution such as
   "Respondent D3", or "role id" such as "lay counsellor C1") gets that person's role, which is
   ``interviewer`` when the roster's ``role`` is an interviewer-side label, else ``participant``;
3. the project's ``[speakers]`` lists in ``qualcode.toml`` (``interviewer = [...]``,
   ``participant = [...]``, ``other = [...]``);
4. the built-in lists below (without ``--interviewer``);
5. anything else is *unknown*: its turns count as the participant's, with a warning.

A label matches a list entry when it is that entry, ignoring case and a final ".", optionally
followed by a number or short initials: "Interviewer 2", "Therapist (SM)", "INT1", "Q.",
"Counsellor - JB", "Participant 3", "P1".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Mapping

from qualcode.errors import TranscriptError

# Interviewer-side labels: the person asking, or the professional in a therapy session.
INTERVIEWER_LABELS: tuple[str, ...] = (
    "interviewer", "facilitator", "moderator", "researcher", "research assistant", "fieldworker",
    "co-facilitator", "cofacilitator", "co facilitator", "peer facilitator", "lived experience facilitator",
    "youth facilitator", "co-moderator", "assistant moderator", "co-interviewer", "peer researcher",
    "therapist", "psychotherapist", "counsellor", "counselor", "clinician", "doctor", "dr", "nurse",
    "psychologist", "psychiatrist", "practitioner", "host", "investigator", "int", "iv", "i", "q",
)
# Participant-side labels: the person interviewed.
PARTICIPANT_LABELS: tuple[str, ...] = (
    "participant", "respondent", "interviewee", "client", "patient", "young person", "subject",
    "informant", "service user", "p", "r", "resp", "a",
)
# Others in the room whose words are not the participant's: never coded.
OTHER_LABELS: tuple[str, ...] = ("interpreter", "translator", "observer", "note taker", "notetaker")

_SUFFIX = r"(?:[ _\-:#]*\d+|[ _\-:#]+[a-z]{1,3}\d*|[ _\-]*\([^()]{1,20}\)|[ _\-]*\[[^\[\]]{1,20}\])?"


def _key(label: str) -> str:
    return " ".join(label.casefold().split()).rstrip(".").strip()


def _compile(labels: Iterable[str]) -> re.Pattern[str] | None:
    return _compiled(tuple(sorted({_key(x) for x in labels if _key(x)}, key=lambda w: (-len(w), w))))


@lru_cache(maxsize=64)
def _compiled(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    # single letters (I, Q, P, R, A) take a number suffix only: "Ian" is no interviewer
    long = [re.escape(w) for w in words if len(w) > 1]
    short = [re.escape(w) for w in words if len(w) == 1]
    parts = []
    if long:
        parts.append(rf"(?:{'|'.join(long)}){_SUFFIX}")
    if short:
        parts.append(rf"(?:{'|'.join(short)})(?:[ _\-]*\d+)?")
    return re.compile("|".join(parts))


@dataclass
class SpeakerRules:
    """The role rules for one import: built-ins, the project's lists, the roster, a regex."""

    interviewer: list[str] = field(default_factory=lambda: list(INTERVIEWER_LABELS))
    participant: list[str] = field(default_factory=lambda: list(PARTICIPANT_LABELS))
    other: list[str] = field(default_factory=lambda: list(OTHER_LABELS))
    config: dict[str, str] = field(default_factory=dict)  # label key -> role, from qualcode.toml
    roster: dict[str, str] = field(default_factory=dict)  # label key -> role, from the roster
    pattern: re.Pattern[str] | None = None  # --interviewer: replaces the built-in interviewer list

    def __post_init__(self) -> None:
        self._compiled = {
            "interviewer": None if self.pattern is not None else _compile(self.interviewer),
            "participant": _compile(self.participant),
            "other": _compile(self.other),
        }
        self._config = {role: _compile([k for k, r in self.config.items() if r == role])
                        for role in ("interviewer", "participant", "other")}

    def role_of(self, label: str) -> tuple[str, str]:
        """``(role, source)``; source is pattern | roster | config | built-in | unknown."""
        key = _key(label)
        if self.pattern is not None and self.pattern.fullmatch(label.strip()):
            return "interviewer", "pattern"
        if key in self.roster:
            return self.roster[key], "roster"
        for role in ("interviewer", "other", "participant"):
            regex = self._config[role]
            if regex is not None and regex.fullmatch(key):
                return role, "config"
        for role in ("interviewer", "other", "participant"):
            regex = self._compiled[role]
            if regex is not None and regex.fullmatch(key):
                return role, "built-in"
        return "participant", "unknown"

    def is_interviewer(self, label: str) -> bool:
        return self.role_of(label)[0] == "interviewer"

    def is_known(self, label: str) -> bool:
        return self.role_of(label)[1] != "unknown"


def interviewer_side(role_text: str) -> bool:
    """Whether a roster ``role`` (free text such as "therapist", "lay counsellor") is interviewer-side:
    the whole role is on the built-in interviewer list."""
    regex = _compile(INTERVIEWER_LABELS)
    return bool(regex and regex.fullmatch(_key(role_text)))


def roster_roles(people: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """``(pid, role, attribution)`` rows -> label key -> role, for the labels a transcript may use."""
    out: dict[str, str] = {}
    for pid, role, attribution in people:
        decided = "interviewer" if role and interviewer_side(role) else "participant"
        for label in (pid, attribution, f"{role} {pid}" if role else ""):
            if _key(label):
                out[_key(label)] = decided
    return out


def config_roles(settings: Mapping[str, object], where: str) -> dict[str, str]:
    """The ``[speakers]`` table of qualcode.toml -> label key -> role; bad values are errors."""
    out: dict[str, str] = {}
    for role, labels in settings.items():
        if role not in ("interviewer", "participant", "other"):
            raise TranscriptError(f"{where}: [speakers] {role!r} is not a role; use interviewer, "
                                  "participant or other, each a list of speaker labels")
        if isinstance(labels, str):
            labels = [labels]
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            raise TranscriptError(f"{where}: [speakers] {role} must be a list of speaker labels")
        for label in labels:
            out[_key(label)] = role
    return out


def rules_from(pattern: str | None, where: str, *, config: dict[str, str] | None = None,
               roster: dict[str, str] | None = None) -> SpeakerRules:
    """Rules with an optional ``--interviewer`` regex (matched whole, case-insensitively)."""
    regex = None
    if pattern is not None:
        try:
            regex = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise TranscriptError(f"{where}: invalid interviewer pattern {pattern!r}: {exc}") from None
    return SpeakerRules(config=dict(config or {}), roster=dict(roster or {}), pattern=regex)
