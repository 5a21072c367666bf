"""Dispatch by extension and errors common to every format."""
from __future__ import annotations

import pytest

from qualcode.errors import TranscriptError
from qualcode.ingest import SUPPORTED_EXTENSIONS, read_transcript


def test_supported_extensions():
    assert set(SUPPORTED_EXTENSIONS) == {".txt", ".md", ".docx", ".vtt", ".srt", ".csv", ".json"}


def test_extension_is_case_insensitive(write):
    t = read_transcript(write("Interview.TXT", "Interviewer: Hi.\nP: Hello."))
    assert t.name == "Interview" and t.source_format == "txt" and len(t.turns) == 2


@pytest.mark.parametrize("name", ["notes.pdf", "audio.mp3", "README"])
def test_unknown_extension_names_file_and_supported_formats(name, write):
    path = write(name, "Interviewer: hi")
    with pytest.raises(TranscriptError) as err:
        read_transcript(path)
    message = str(err.value)
    assert str(path) in message and ".docx" in message and ".vtt" in message
    assert err.value.exit_code == 3


@pytest.mark.parametrize("name", ["missing.txt", "missing.docx"])
def test_missing_file(name, tmp_path):
    with pytest.raises(TranscriptError, match="no such file"):
        read_transcript(tmp_path / name)


def test_directory_is_not_a_transcript(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(TranscriptError, match="is a directory"):
        read_transcript(tmp_path / "folder.txt")
