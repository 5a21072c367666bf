"""Speech-recognition JSON: Whisper, WhisperX (diarised), whisper.cpp and Hugging Face chunks.

- Whisper / WhisperX: ``{"segments": [{"start": 0.66, "end": 7.9, "text": "...", "speaker": "SPEAKER_00"}]}``;
- whisper.cpp ``-oj``: ``{"transcription": [{"offsets": {"from": 0, "to": 7920}, "text": "..."}]}``
  (milliseconds);
- Hugging Face pipelines: ``[{"timestamp": [0.0, 3.16], "text": "..."}]`` or ``{"chunks": [...]}``.

Consecutive segments of the same speaker are one turn. A WhisperX segment without a speaker of
its own takes the speaker of most of its words. Output without speakers (diarisation not
run) gives one turn per segment, with a warning: every turn then counts as the participant's.
"""
from __future__ import annotations

import json
from collections import Counter
from typing import Any

from qualcode.errors import TranscriptError
from qualcode.ingest.canonical import Segment, merge_same_speaker
from qualcode.model import ImportWarning


def _seconds(value: Any, scale: float = 1.0) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return f"{value / scale:.3f}"


def _rows(data: Any, path: str) -> tuple[list[dict], float]:
    """The list of segment objects and the divisor that turns their times into seconds."""
    if isinstance(data, dict):
        for key, scale in (("segments", 1.0), ("chunks", 1.0), ("transcription", 1000.0)):
            if isinstance(data.get(key), list):
                return data[key], scale
    if isinstance(data, list):
        return data, 1.0
    raise TranscriptError(f"{path}: is JSON but not a speech-recognition transcript (expected a "
                          "\"segments\" list as Whisper/WhisperX write, \"transcription\" (whisper.cpp) "
                          "or \"chunks\")")


def _times(row: dict, scale: float) -> tuple[str | None, str | None]:
    if isinstance(row.get("offsets"), dict):
        return _seconds(row["offsets"].get("from"), scale), _seconds(row["offsets"].get("to"), scale)
    if isinstance(row.get("timestamp"), list) and len(row["timestamp"]) == 2:
        return _seconds(row["timestamp"][0]), _seconds(row["timestamp"][1])
    return _seconds(row.get("start")), _seconds(row.get("end"))


def _speaker(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _word_speaker(row: dict) -> str | None:
    """WhisperX leaves a segment's speaker out when its words disagree: the speaker of most words."""
    words = row.get("words") if isinstance(row.get("words"), list) else []
    counts = Counter(_speaker(w.get("speaker")) for w in words if isinstance(w, dict))
    counts.pop(None, None)
    return counts.most_common(1)[0][0] if counts else None


def json_segments(text: str, path: str, warnings: list[ImportWarning]) -> list[Segment]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranscriptError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg}, column {exc.colno})") from None
    rows, scale = _rows(data, path)
    segments: list[Segment] = []
    unlabelled: list[str] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise TranscriptError(f"{path}: segment {number} has no \"text\" string")
        speaker = _speaker(row.get("speaker")) or _word_speaker(row)
        start, end = _times(row, scale)
        if speaker is None:
            unlabelled.append(f"{number} ({start or '?'} s)")
        segments.append(Segment(speaker, row["text"], start, end))
    labelled = len(rows) - len(unlabelled)
    if unlabelled and labelled:
        warnings.append(ImportWarning(
            "label", f"{len(unlabelled)} of {len(rows)} segments have no speaker (segment "
            f"{', '.join(unlabelled[:5])}{', ...' if len(unlabelled) > 5 else ''}); each is a turn with no speaker"))
    if not labelled:
        warnings.append(ImportWarning(
            "no-speakers", f"no segment has a speaker (diarisation was not run): {len(rows)} segments imported "
            "as turns with no speaker, all taken as the participant's"))
        return [Segment(None, " ".join(s.text.split()), s.time_start, s.time_end) for s in segments]
    return merge_same_speaker(segments)
