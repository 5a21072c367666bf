"""Caption cues (.vtt, .srt) -> segments: speaker from the cue, or continuing the last one."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from qualcode.ingest.canonical import Segment, merge_same_speaker, warn_if_no_speaker
from qualcode.ingest.speakers import detect_labels
from qualcode.model import ImportWarning

# A tag never contains "<" (or "{"): stopping there keeps this linear on a long line of "<a" with no ">".
# Broadcast captions mark a change of speaker with ">>" (">> JOHN: Hello"): a mark, not words.
_CHANGE = re.compile(r"^(?:>>|&gt;&gt;)[ \t]*")
_TAG = re.compile(r"</?[A-Za-z0-9._:\-][^<>]*>|<\d[^<>]*>|\{\\[^{}]*\}")


@dataclass
class Cue:
    text: str  # tags already stripped
    start: str | None
    end: str | None
    voice: str | None = None  # a WebVTT <v Name> span


def strip_tags(text: str) -> str:
    """Remove markup tags (``<i>``, ``<c.x>``, ``<00:01.000>``, ``{\\an8}``); collapse whitespace."""
    return " ".join(_TAG.sub("", text).split())


def cue_segments(
    cues: list[Cue],
    *,
    is_interviewer: Callable[[str], bool],
    pattern: re.Pattern[str] | None = None,
    warnings: list[ImportWarning] | None = None,
) -> list[Segment]:
    """A cue's speaker is its voice span, else a ``Name: `` label starting its text (Zoom; also after
    a ``>>`` change-of-speaker mark), else the previous cue's speaker (None before any). Consecutive
    same-speaker cues are merged. Unnamed ``>>`` marks and captions without any speaker are warned."""
    texts = [_CHANGE.sub("", cue.text) for cue in cues]
    labels = detect_labels([t if cue.voice is None else "" for cue, t in zip(cues, texts)],
                           is_interviewer, pattern, [False] * len(cues))
    segments: list[Segment] = []
    speaker: str | None = None
    unnamed: list[str] = []
    for cue, text, label in zip(cues, texts, labels):
        if cue.voice is not None:
            speaker = cue.voice
        elif label is not None:
            speaker, text = label.speaker, label.text
        elif text != cue.text:
            unnamed.append(cue.start or "?")
        segments.append(Segment(speaker, text, cue.start, cue.end))
    _warn(segments, unnamed, warnings if warnings is not None else [])
    return merge_same_speaker(segments)


def _warn(segments: list[Segment], unnamed: list[str], warnings: list[ImportWarning]) -> None:
    if unnamed:
        warnings.append(ImportWarning(
            "label", f"{len(unnamed)} caption(s) mark a change of speaker ('>>') without a name (at "
            f"{', '.join(unnamed[:5])}{', ...' if len(unnamed) > 5 else ''}); their words were joined to the "
            "speaker before: check them"))
    warn_if_no_speaker(segments, warnings, "no speaker names in the captions: every caption was taken as the "
                       "participant's speech (no interviewer turns); if the names have another layout, import "
                       "with --speaker-pattern")
