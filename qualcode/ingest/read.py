"""``read_transcript(path)``: pick the reader by extension and build the canonical transcript."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from qualcode.errors import TranscriptError
from qualcode.model import ImportWarning, ParsedTranscript
from qualcode.safezip import parsing
from qualcode.ingest.canonical import Segment, build_transcript, warn_if_no_speaker
from qualcode.ingest.csv import csv_segments
from qualcode.ingest.decode import decode_bytes, normalise_text
from qualcode.ingest.json_asr import json_segments
from qualcode.ingest.roles import SpeakerRules, rules_from
from qualcode.ingest.speakers import compile_speaker_pattern
from qualcode.ingest.srt import srt_segments
from qualcode.ingest.txt import txt_segments
from qualcode.ingest.vtt import vtt_segments

SUPPORTED_EXTENSIONS: tuple[str, ...] = (".txt", ".md", ".docx", ".vtt", ".srt", ".csv", ".json")


def read_transcript(
    path: str | Path,
    *,
    speaker_pattern: str | None = None,
    interviewer_pattern: str | None = None,
    rules: SpeakerRules | None = None,
) -> ParsedTranscript:
    """Read one transcript file; any problem with it raises ``TranscriptError`` naming the file.

    ``speaker_pattern``: a regex with named groups ``speaker`` and ``text`` (``time`` optional),
    matched at the start of each line of .txt/.md/.docx text and of caption cue texts; it
    replaces the built-in label recognition. ``interviewer_pattern``: a regex matched against the
    whole speaker label, case-insensitively, marking interviewer turns (``is_participant=False``).
    ``rules``: the speaker-role rules (roster, qualcode.toml, built-ins); see ``ingest.roles``.
    Doubtful input is imported with warnings in ``ParsedTranscript.warnings``.
    """
    p = Path(path)
    where = str(path)
    ext = p.suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        raise TranscriptError(
            f"{where}: unsupported transcript format {p.suffix or '(no extension)'!r}; "
            f"supported: {', '.join(SUPPORTED_EXTENSIONS)}"
        )
    pattern = compile_speaker_pattern(speaker_pattern, where)
    rules = rules or rules_from(interviewer_pattern, where)
    warnings: list[ImportWarning] = []
    if ext == ".docx":
        from qualcode.ingest.docx import docx_segments  # python-docx only for Word files

        _check_readable(p, where)
        with parsing(where, TranscriptError, "a .docx transcript"):  # python-docx on a tampered file
            segments = docx_segments(where, is_interviewer=rules.is_known, pattern=pattern, warnings=warnings)
    else:
        text = decode_bytes(_read_bytes(p, where), where, warnings)
        segments = _text_segments(ext, text, where, rules.is_known, pattern, warnings)
    return build_transcript(segments, name=p.stem, source_format=ext[1:], source_path=where,
                            rules=rules, warnings=warnings)


def read_text(
    text: str,
    name: str = "stdin",
    *,
    speaker_pattern: str | None = None,
    interviewer_pattern: str | None = None,
) -> ParsedTranscript:
    """Read plain transcript text given directly (e.g. from stdin) as a .txt file named ``name``."""
    text = normalise_text(text, name)
    pattern = compile_speaker_pattern(speaker_pattern, name)
    rules = rules_from(interviewer_pattern, name)
    warnings: list[ImportWarning] = []
    segments = txt_segments(text, is_interviewer=rules.is_known, pattern=pattern, warnings=warnings)
    return build_transcript(segments, name=name, source_format="txt", source_path="",
                            rules=rules, warnings=warnings)


def _text_segments(
    ext: str,
    text: str,
    where: str,
    is_interviewer: Callable[[str], bool],
    pattern: re.Pattern[str] | None,
    warnings: list[ImportWarning],
) -> list[Segment]:
    if ext == ".json":
        return json_segments(text, where, warnings)
    if ext == ".vtt":
        return vtt_segments(text, where, is_interviewer=is_interviewer, pattern=pattern, warnings=warnings)
    if ext == ".srt":
        return srt_segments(text, where, is_interviewer=is_interviewer, pattern=pattern, warnings=warnings)
    if ext == ".csv":
        segments = csv_segments(text, where)
        warn_if_no_speaker(segments, warnings, "no speaker in any of its {n} row(s): every row was taken as the "
                           "participant's speech (no interviewer turns); add a speaker column to tell them apart")
        return segments
    return txt_segments(text, is_interviewer=is_interviewer, pattern=pattern, warnings=warnings)


def _check_readable(p: Path, where: str) -> None:
    if not p.exists():
        raise TranscriptError(f"{where}: no such file")
    if p.is_dir():
        raise TranscriptError(f"{where}: is a directory, not a transcript file")


def _read_bytes(p: Path, where: str) -> bytes:
    _check_readable(p, where)
    try:
        return p.read_bytes()
    except OSError as exc:
        raise TranscriptError(f"{where}: cannot be read: {exc.strerror or exc}") from None
