"""Transcript readers (.txt, .md, .docx, .vtt, .srt, .csv) and the participant roster.

Every reader's output goes through one builder (``canonical.build_transcript``), so the
canonical text that codings point into is the same whatever the source format.
"""
from qualcode.ingest.read import SUPPORTED_EXTENSIONS, read_text, read_transcript
from qualcode.ingest.roster import Roster, load_roster, read_roster

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "Roster",
    "load_roster",
    "read_roster",
    "read_text",
    "read_transcript",
]
