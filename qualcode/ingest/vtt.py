"""WebVTT captions (Teams ``<v Name>`` voice spans, Zoom ``Name: text`` cues), via webvtt-py.

Before webvtt-py sees the text, every cue timing line is checked here, so a malformed timing is
reported with its line number instead of the cue silently disappearing (webvtt-py's lenient mode
skips bad cues; its strict mode rejects Teams' unpadded ``0:0:0.210`` timestamps).
"""
from __future__ import annotations

import html
import re
from typing import Callable

import webvtt
from webvtt.errors import MalformedCaptionError
from webvtt.models import Timestamp

from qualcode.errors import Problem, TranscriptError
from qualcode.ingest.canonical import Segment
from qualcode.ingest.cues import Cue, cue_segments, strip_tags

_VOICE = re.compile(r"<v(?:\.[^\s>]+)*(?:[ \t]+([^>]*))?>")
_IDENTIFIER = re.compile(r"[\w-]*\d[\w-]*")
_TIMING = re.compile(r"\s*(\S+?)\s*-->\s*(\S+)")


def _error(path: str, line: int | None, message: str) -> TranscriptError:
    problem = Problem(path, line, None, message)
    return TranscriptError(str(problem), [problem])


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """(1-based first line number, lines) of each block after the header."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                first = number
            current.append(line)
        elif current:
            blocks.append((first, current))
            current = []
    if current:
        blocks.append((first, current))
    return blocks[1:]  # the first block is the WEBVTT header


def check_timings(text: str, path: str) -> list[tuple[str, str]]:
    """Raw (start, end) of every cue in order; a bad timing or stray text -> TranscriptError."""
    timings: list[tuple[str, str]] = []
    for first, block in _blocks(text.split("\n")):
        head = block[0].strip()
        if head.startswith(("NOTE", "STYLE", "REGION")) and "-->" not in head:
            continue
        if "-->" in block[0]:
            offset = 0
        elif len(block) > 1 and "-->" in block[1]:
            offset = 1
        elif len(block) == 1 and _IDENTIFIER.fullmatch(head):
            continue  # a cue identifier parted from its cue: no words are lost
        else:
            raise _error(path, first, f"text outside any cue (no timing line before it): {head!r}")
        line = block[offset]
        m = _TIMING.match(line)
        bad = m is None
        if m:
            try:
                Timestamp.from_string(m.group(1))
                Timestamp.from_string(m.group(2))
            except MalformedCaptionError:
                bad = True
        if bad:
            raise _error(
                path, first + offset,
                f"malformed cue timing {line.strip()!r} (expected like 00:01:02.000 --> 00:01:05.500)",
            )
        timings.append((m.group(1), m.group(2)))
    return timings


def _cues_of(raw_lines: list[str], start: str, end: str) -> list[Cue]:
    raw = " ".join(raw_lines)
    matches = list(_VOICE.finditer(raw))
    if not matches:
        return [Cue(html.unescape(strip_tags(raw)), start, end)]
    cues = []
    before = html.unescape(strip_tags(raw[: matches[0].start()]))
    if before:
        cues.append(Cue(before, start, end))
    for i, m in enumerate(matches):
        stop = matches[i + 1].start() if i + 1 < len(matches) else len(raw)
        words = html.unescape(strip_tags(raw[m.end():stop]))
        voice = " ".join((m.group(1) or "").split()) or None
        cues.append(Cue(words, start, end, voice))
    return cues


def vtt_segments(
    text: str,
    path: str,
    *,
    is_interviewer: Callable[[str], bool],
    pattern: re.Pattern[str] | None = None,
    warnings: list | None = None,
) -> list[Segment]:
    if not text.startswith("WEBVTT"):
        raise _error(path, 1, "is not a WebVTT file: the first line must start with WEBVTT")
    timings = check_timings(text, path)
    try:
        captions = webvtt.from_string(text).captions
    except Exception as exc:  # webvtt-py's Malformed*Error and anything unexpected
        raise _error(path, None, f"cannot read WebVTT: {exc}") from None
    if len(timings) != len(captions):  # fall back to webvtt-py's own reading of the times
        timings = [(c.start, c.end) for c in captions]
    cues: list[Cue] = []
    for caption, (start, end) in zip(captions, timings):
        cues.extend(_cues_of(caption.lines, start, end))
    if not cues:
        raise _error(path, None, "is empty (no captions)")
    return cue_segments(cues, is_interviewer=is_interviewer, pattern=pattern, warnings=warnings)
