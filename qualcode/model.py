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


@dataclass
class ParsedTranscript:
    """What an ingest reader makes of one file: the canonical text and its turns."""

    name: str  # file stem, e.g. "yp-D3"
    text: str
    turns: list[Turn]
    source_format: str  # txt | md | docx | vtt | srt | csv
    source_path: str = ""


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
