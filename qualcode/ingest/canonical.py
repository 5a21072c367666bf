"""The one place that turns reader output into a canonical transcript text and its turns.

Every reader produces ``Segment``s (speaker or None, text, times); ``build_transcript`` renders
each as ``"{speaker}: {text}"`` (or ``text`` when there is no speaker), joined by a blank line,
and records where the spoken words of each turn begin and end. Codings are offsets into this
text, so it must never depend on which reader produced the segments.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable, Iterable

from qualcode.errors import TranscriptError
from qualcode.ingest.roles import SpeakerRules, rules_from
from qualcode.model import ImportWarning, ParsedTranscript, SpeakerSummary, Turn

_WORD = re.compile(r"\w+(?:['’]\w+)*")

_SPACES = re.compile(r"[ \t\u00a0]+")
_TIME = re.compile(r"^(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?$")
_SECONDS = re.compile(r"^(\d+)(?:[.,](\d{1,3}))?$")


@dataclass
class Segment:
    """One piece of a transcript as a reader found it, before rendering."""

    speaker: str | None
    text: str
    time_start: str | None = None
    time_end: str | None = None
    kind: str = "speech"  # speech | nonspeech (title, metadata, "[End of recording]", notes)
    line: int | None = None  # 1-based line (paragraph for .docx) where it starts, when known


def clean_speaker(name: str | None) -> str | None:
    """Collapse inner whitespace; an empty name means no speaker."""
    if name is None:
        return None
    name = _SPACES.sub(" ", name).strip()
    return name or None


def clean_text(text: str) -> str:
    """LF line breaks, each line stripped, no leading/trailing blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def interviewer_matcher(pattern: str | None, path: str) -> Callable[[str], bool]:
    """Return ``is_interviewer(label)`` under the built-in speaker lists (``qualcode.ingest.roles``),
    or, given a pattern, labels that match it whole, case-insensitively."""
    return rules_from(pattern, path).is_interviewer


def normalise_time(raw: str | None) -> str | None:
    """``"0:03"``, ``"[00:01:02]"``, ``"1:2:3,5"`` -> ``"HH:MM:SS.mmm"``; anything else as given.

    A short fraction is read as a decimal (``.5`` = 500 ms), except in timestamps with unpadded
    fields such as Microsoft Teams' ``0:0:2.90``, where the fraction is unpadded milliseconds
    (90 ms): Teams writes ``0:0:2.90`` for 2.090 s and ``0:0:4.480`` for 4.480 s.
    """
    if raw is None:
        return None
    value = raw.strip().strip("[]()").strip()
    if not value:
        return None
    m = _TIME.match(value)
    if m:
        hours_s, minutes_s, seconds_s, frac = m.groups()
        hours, minutes, seconds = int(hours_s or 0), int(minutes_s), int(seconds_s)
        if seconds > 59 or (hours_s is not None and minutes > 59):
            return raw.strip()
        unpadded = hours_s is not None and (len(minutes_s) == 1 or len(seconds_s) == 1)
        millis = _millis(frac, unpadded)
        return format_seconds(hours * 3600 + minutes * 60 + seconds, millis)
    m = _SECONDS.match(value)
    if m:
        return format_seconds(int(m.group(1)), _millis(m.group(2), False))
    return raw.strip()


def _millis(frac: str | None, unpadded: bool) -> int:
    if not frac:
        return 0
    return int(frac) if unpadded else int(frac.ljust(3, "0"))


def format_seconds(seconds: int, millis: int = 0) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def format_timedelta(value: timedelta) -> str:
    total_ms = round(value.total_seconds() * 1000)
    return format_seconds(total_ms // 1000, total_ms % 1000)


def merge_same_speaker(segments: Iterable[Segment]) -> list[Segment]:
    """Join consecutive segments of the same speaker (caption cues) with a space."""
    merged: list[Segment] = []
    for seg in segments:
        text = " ".join(seg.text.split())
        if not text:
            continue
        if merged and merged[-1].speaker == seg.speaker:
            last = merged[-1]
            last.text = f"{last.text} {text}"
            last.time_end = seg.time_end or last.time_end
        else:
            merged.append(Segment(seg.speaker, text, seg.time_start, seg.time_end))
    return merged


def build_transcript(
    segments: Iterable[Segment],
    *,
    name: str,
    source_format: str,
    source_path: str,
    interviewer_pattern: str | None = None,
    rules: SpeakerRules | None = None,
    warnings: list[ImportWarning] | None = None,
) -> ParsedTranscript:
    """Render segments into the canonical text; segments with no words are dropped.

    Each speaker's role comes from ``rules`` (see ``qualcode.ingest.roles``); the transcript
    carries a per-speaker summary and the warnings found (reader warnings first)."""
    rules = rules or rules_from(interviewer_pattern, source_path or name)
    parts: list[str] = []
    turns: list[Turn] = []
    first_line: dict[str, int | None] = {}
    roles: dict[str, str] = {}
    per_speaker: dict[str, int] = {}
    words = 0
    pos = 0
    for seg in segments:
        text = clean_text(seg.text)
        if not text:
            continue
        speaker = clean_speaker(seg.speaker) if seg.kind == "speech" else None
        prefix = f"{speaker}: " if speaker else ""
        if parts:
            pos += 2  # the blank line between segments
        start = pos + len(prefix)
        end = start + len(text)
        if speaker and speaker not in roles:
            first_line[speaker] = seg.line
            roles[speaker] = rules.role_of(speaker)[0]
        said = count_words(text)
        words += said + (count_words(prefix) if prefix else 0)
        if speaker:
            per_speaker[speaker] = per_speaker.get(speaker, 0) + said
        turns.append(Turn(
            index=len(turns), speaker=speaker or "", start=start, end=end,
            is_participant=seg.kind == "speech" and (not speaker or roles[speaker] == "participant"),
            time_start=normalise_time(seg.time_start), time_end=normalise_time(seg.time_end)))
        parts.append(prefix + text)
        pos = end
    if not turns:
        raise TranscriptError(f"{source_path or name}: has no transcript text (it is empty)")
    full = "\n\n".join(parts)
    speakers = speaker_summary(turns, per_speaker, rules)
    found = list(warnings or []) + role_warnings(speakers, first_line)
    return ParsedTranscript(name=name, text=full, turns=turns, source_format=source_format,
                            source_path=source_path, speakers=speakers, warnings=found, words=words)


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def speaker_summary(turns: list[Turn], words: dict[str, int], rules: SpeakerRules) -> list[SpeakerSummary]:
    """Speakers in order of first turn, with their role, its source, turns and words."""
    out: dict[str, SpeakerSummary] = {}
    for turn in turns:
        if not turn.speaker:
            continue
        if turn.speaker not in out:
            role, source = rules.role_of(turn.speaker)
            out[turn.speaker] = SpeakerSummary(turn.speaker, role, source, 0, words.get(turn.speaker, 0))
        out[turn.speaker].turns += 1
    return list(out.values())


def role_warnings(speakers: list[SpeakerSummary], first_line: dict[str, int | None]) -> list[ImportWarning]:
    """A warning per unknown speaker, and one when two or more speakers include no interviewer."""
    found = [
        ImportWarning("unknown-speaker",
                      f"speaker {s.speaker!r} is neither in the roster nor a known label; its "
                      f"{s.turns} turn(s) were taken as the participant's (set its role with "
                      f"'qualcode speakers set-role {s.speaker!r} interviewer|participant|other')",
                      first_line.get(s.speaker), s.speaker)
        for s in speakers if s.source == "unknown"
    ]
    if len(speakers) >= 2 and not any(s.role == "interviewer" for s in speakers):
        names = ", ".join(s.speaker for s in speakers)
        found.append(ImportWarning(
            "no-interviewer",
            f"{len(speakers)} speakers ({names}) and none is an interviewer: every turn may be coded "
            "as participant speech; set the interviewer with 'qualcode speakers set-role'"))
    return found


def warn_if_no_speaker(segments: list[Segment], warnings: list[ImportWarning], message: str) -> None:
    """A file in which no speech has a speaker is all the participant's: never silently. ``message``
    may use ``{n}``, the number of speech segments."""
    speech = [seg for seg in segments if seg.kind == "speech"]
    if speech and not any(seg.speaker for seg in speech):
        warnings.append(ImportWarning("label", message.format(n=len(speech)), speech[0].line))
