"""Caption cues (.vtt, .srt) -> segments: speaker from the cue, or continuing the last one."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from qualcode.ingest.canonical import Segment, merge_same_speaker
from qualcode.ingest.speakers import detect_labels

# A tag never contains "<" (or "{"): stopping there keeps this linear on a long line of "<a" with no ">".
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
) -> list[Segment]:
    """A cue's speaker is its voice span, else a ``Name: `` label starting its text (Zoom), else
    the previous cue's speaker (None before any). Consecutive same-speaker cues are merged."""
    labels = detect_labels(
        [cue.text if cue.voice is None else "" for cue in cues],
        is_interviewer,
        pattern,
        [False] * len(cues),
    )
    segments: list[Segment] = []
    speaker: str | None = None
    for cue, label in zip(cues, labels):
        text = cue.text
        if cue.voice is not None:
            speaker = cue.voice
        elif label is not None:
            speaker, text = label.speaker, label.text
        segments.append(Segment(speaker, text, cue.start, cue.end))
    return merge_same_speaker(segments)
