"""SubRip (.srt) captions; ``Name: text`` cues give the speaker.

Read line by line in linear time (the ``srt`` library's one big regex takes minutes, then hours, on a
line of a few thousand digits or spaces). The tolerance is the library's: an optional numeric index
line, a timing line ``00:01:02,000 --> 00:01:05,500`` (``,`` ``.`` or ``:`` before the milliseconds,
anything after the end time ignored), then the text up to a blank line or the next index + timing.
"""
from __future__ import annotations

import re
from typing import Callable

from qualcode.errors import Problem, TranscriptError
from qualcode.ingest.cues import Cue, cue_segments, strip_tags

_SEP = "[,.:，．。：]"
_TIME = rf"(\d{{1,9}}){_SEP}(\d{{1,9}}){_SEP}(\d{{1,9}}){_SEP}?(\d{{0,9}})"
_TIMING = re.compile(rf"\s*{_TIME} *-[ -] *> *{_TIME}(?:\s.*)?")
_INDEX = re.compile(r"\s*-?\d+(?:\.\d*)?\s*")


def _error(path: str, line: int | None, message: str) -> TranscriptError:
    problem = Problem(path, line, None, message)
    return TranscriptError(str(problem), [problem])


def _time(h: str, m: str, s: str, ms: str) -> str:
    total_ms = ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms or 0)
    seconds, millis = divmod(total_ms, 1000)
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}.{millis:03d}"


def _cue_start(lines: list[str], i: int) -> int | None:
    """The index of the timing line when a cue starts at line ``i`` (index line optional), else None."""
    if i < len(lines) and _TIMING.fullmatch(lines[i]):
        return i
    if i + 1 < len(lines) and _INDEX.fullmatch(lines[i]) and _TIMING.fullmatch(lines[i + 1]):
        return i + 1
    return None


def _bad(path: str, lines: list[str], i: int) -> TranscriptError:
    return _error(path, i + 1, f"cannot parse this subtitle: {lines[i].strip()[:200]!r} (expected a cue like "
                               "'1', '00:01:02,000 --> 00:01:05,500', text)")


def parse_cues(text: str, path: str) -> list[Cue]:
    lines = text.splitlines()
    cues: list[Cue] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        timing = _cue_start(lines, i)
        if timing is None:
            raise _bad(path, lines, next((j for j in range(i, min(i + 2, len(lines))) if "-->" in lines[j]), i))
        g = _TIMING.fullmatch(lines[timing]).groups()
        i = timing + 1
        body: list[str] = []
        while i < len(lines) and lines[i].strip() and _cue_start(lines, i) is None:
            body.append(lines[i])
            i += 1
        cues.append(Cue(strip_tags("\n".join(body)), _time(*g[:4]), _time(*g[4:])))
    return cues


def srt_segments(
    text: str,
    path: str,
    *,
    is_interviewer: Callable[[str], bool],
    pattern: re.Pattern[str] | None = None,
    warnings: list | None = None,
) -> list:
    cues = parse_cues(text, path)
    if not cues:
        raise _error(path, None, "has no subtitles (is it really a .srt file?)")
    return cue_segments(cues, is_interviewer=is_interviewer, pattern=pattern, warnings=warnings)
