"""Plain data shared by every layer: transcripts, turns, participants.

Offsets are Unicode code points into a transcript's canonical text, end exclusive
(``text[start:end]``), as in REFI-QDA.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Turn:
    """One speaker turn: ``text[start:end]`` of its transcript is what was said."""

    index: int
    speaker: str
    start: int
    end: int
    is_participant: bool = True
    time_start: str | None = None  # "00:01:02.000" when the source had timestamps
    time_end: str | None = None

    @property
    def is_speech(self) -> bool:
        """False for a non-speech segment (title, metadata, "[End of recording]"): no speaker,
        never coded, never quoted. Stored as a turn with no speaker that is not a participant's."""
        return bool(self.speaker) or self.is_participant


ROLES = ("participant", "interviewer", "other")


@dataclass(frozen=True)
class ImportWarning:
    """Something doubtful found while reading a file: imported, but the user must see it.

    ``kind``: label (a line that looks like a speaker label but does not parse), unknown-speaker,
    no-interviewer, notes (footnotes/comments kept as non-speech), layout (a table or container
    read in a particular way), encoding (not UTF-8: decoded as Windows-1252, a guess). ``line``: 1-based
    line (paragraph for .docx) when known."""

    kind: str
    message: str
    line: int | None = None
    speaker: str = ""

    def where(self, path: str) -> str:
        return f"{path}:{self.line}" if self.line else path


@dataclass
class SpeakerSummary:
    """One speaker of one transcript: the role their turns got, and why (``source``)."""

    speaker: str
    role: str  # participant | interviewer | other
    source: str  # built-in | config | roster | pattern | user | unknown
    turns: int = 0
    words: int = 0


@dataclass
class ParsedTranscript:
    """What an ingest reader makes of one file: the canonical text and its turns."""

    name: str  # file stem, e.g. "yp-D3"
    text: str
    turns: list[Turn]
    source_format: str  # txt | md | docx | vtt | srt | csv | json
    source_path: str = ""
    speakers: list[SpeakerSummary] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    words: int = -1  # words of ``text`` as the store counts them; -1 when not counted yet

    @property
    def nonspeech(self) -> int:
        return sum(not t.is_speech for t in self.turns)


@dataclass(frozen=True)
class Participant:
    """A participant is identified by (group, pid): young person B1 and lay counsellor B1 differ."""

    pid: str
    group: str
    role: str = ""
    attribution: str = ""  # how quotes are attributed, e.g. "Respondent D3"
    attributes: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.group, self.pid)

    @property
    def label(self) -> str:
        return self.attribution or f"{self.role or 'Participant'} {self.pid}".strip()
