"""SubRip (.srt) captions via the ``srt`` library; ``Name: text`` cues give the speaker."""
from __future__ import annotations

import re
from typing import Callable

import srt

from qualcode.errors import Problem, TranscriptError
from qualcode.ingest.canonical import Segment, format_timedelta
from qualcode.ingest.cues import Cue, cue_segments, strip_tags


def _error(path: str, line: int | None, message: str) -> TranscriptError:
    problem = Problem(path, line, None, message)
    return TranscriptError(str(problem), [problem])


def _parse_error(text: str, path: str, exc: srt.SRTParseError) -> TranscriptError:
    """Point at the timing line of the unparsable cue when there is one, else where it starts."""
    start = exc.expected_start
    unmatched = exc.unmatched_content or ""
    arrow = unmatched.find("-->")
    if arrow >= 0:
        start += unmatched.rfind("\n", 0, arrow) + 1
    line = text.count("\n", 0, start) + 1
    bad = text[start:].split("\n", 1)[0].strip()
    return _error(path, line, f"cannot parse this subtitle: {bad!r} (expected a cue like "
                              "'1', '00:01:02,000 --> 00:01:05,500', text)")


def srt_segments(
    text: str,
    path: str,
    *,
    is_interviewer: Callable[[str], bool],
    pattern: re.Pattern[str] | None = None,
) -> list[Segment]:
    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError as exc:
        raise _parse_error(text, path, exc) from None
    except Exception as exc:  # TimestampParseError (a ValueError) and anything unexpected
        raise _error(path, None, f"cannot read SubRip subtitles: {exc}") from None
    cues = [
        Cue(strip_tags(sub.content), format_timedelta(sub.start), format_timedelta(sub.end))
        for sub in subtitles
    ]
    if not cues:
        raise _error(path, None, "has no subtitles (is it really a .srt file?)")
    return cue_segments(cues, is_interviewer=is_interviewer, pattern=pattern)
