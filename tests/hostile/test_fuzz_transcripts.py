"""Fuzz: random transcript files (random bytes; text with control characters, huge lines, BOMs, mixed
encodings) through the reader and through `qualcode import`: imported, or refused with exit 3 naming
the file; never an internal error, never a hang."""
from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from qualcode.ingest.read import SUPPORTED_EXTENSIONS, read_transcript

from .fuzz import cli_outcome, reader_outcome

_n = itertools.count()
BOMS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"]
ODD = "\x00\x01\x07\x08\x0b\x0c\x1b[31m\x7f\x85\u2028\u2029\u202e\ufeff\ufffd\r\r\n\t:"
LABELS = ["Interviewer: ", "Respondent D3: ", "I: ", "P1: ", "[00:01:02] Speaker 1: ", "", "WEBVTT\n\n",
          "1\n00:00:01,000 --> 00:00:02,000\n", "speaker,text\n", '[{"speaker": "A", "text": "', ":"]


def _line():
    text = st.text(st.sampled_from(ODD) | st.characters(), max_size=60)
    huge = st.builds(lambda c, n: c * n, st.sampled_from("a .\u00e9\x00"), st.integers(1, 300_000))
    return st.builds(lambda label, body: label + body, st.sampled_from(LABELS), text | huge)


@st.composite
def transcript_bytes(draw):
    """Text lines in one or several encodings, behind a BOM; or plain random bytes."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.binary(max_size=2000))
    out = draw(st.sampled_from(BOMS))
    for line in draw(st.lists(_line(), max_size=8)):
        encoding = draw(st.sampled_from(["utf-8", "utf-16-le", "utf-16", "latin-1", "cp1252", "utf-32"]))
        out += line.encode(encoding, errors="replace") + draw(st.sampled_from([b"\n", b"\r\n", b"\r", b""]))
    return out


def _write(root, data: bytes, ext: str):
    path = root / "fuzz" / f"yp-F{next(_n)}{ext}"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


@given(transcript_bytes(), st.sampled_from(SUPPORTED_EXTENSIONS))
def test_random_transcript_is_read_or_refused_by_name(fuzz_project, data, ext):
    reader_outcome(read_transcript, _write(fuzz_project, data, ext))


@given(transcript_bytes(), st.sampled_from([".txt", ".vtt", ".srt", ".csv", ".json", ".md"]))
def test_random_transcript_imports_or_is_refused_by_name(fuzz_project, data, ext):
    path = _write(fuzz_project, data, ext)
    cli_outcome(["import", str(path.relative_to(fuzz_project)), "--group", "young-person"], fuzz_project, path)
