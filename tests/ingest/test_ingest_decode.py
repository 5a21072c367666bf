"""Encodings and line endings of text transcripts, and files that are not transcripts."""
from __future__ import annotations

import codecs

import pytest

from qualcode.errors import TranscriptError
from qualcode.ingest import read_transcript
from qualcode.ingest.decode import decode_bytes

TEXT = "Interviewer: Was it “hard”?\nRespondent D3: Oui, très — café.\n"
EXPECTED = [("Interviewer", "Was it “hard”?"), ("Respondent D3", "Oui, très — café.")]


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"),
    codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    TEXT.encode("utf-16-le"),  # no BOM: recognised from the NUL bytes
    TEXT.encode("cp1252"),  # Word/Notepad "ANSI": curly quotes 0x93/0x94, é 0xE9, — 0x97
], ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le-no-bom", "cp1252"])
def test_each_encoding_reads_the_same_text(data, write, spoken):
    t = read_transcript(write("t.txt", data))
    assert spoken(t) == EXPECTED
    assert t.text == "Interviewer: Was it “hard”?\n\nRespondent D3: Oui, très — café."


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"], ids=["crlf", "cr", "lf"])
def test_line_endings_become_lf_and_offsets_match(newline, write, spoken):
    raw = newline.join(["Interviewer: One", "two", "", "P1: Three", "four", ""])
    t = read_transcript(write("t.txt", raw.encode("utf-8")))
    assert spoken(t) == [("Interviewer", "One\ntwo"), ("P1", "Three\nfour")]


def test_utf8_bom_is_stripped_from_text_and_first_label():
    assert decode_bytes(codecs.BOM_UTF8 + b"A: b\r\n", "f.txt") == "A: b\n"


def test_invalid_cp1252_byte_names_file_and_offset(write):
    # 0x81 is undefined in Windows-1252 and invalid UTF-8: refuse rather than guess Latin-1
    path = write("bad.txt", b"Interviewer: ok\nP1: caf\x81e")
    with pytest.raises(TranscriptError) as err:
        read_transcript(path)
    assert str(path) in str(err.value) and "line 2, byte offset 23 (0x81)" in str(err.value)


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t ", codecs.BOM_UTF8, codecs.BOM_UTF16_LE + "  ".encode("utf-16-le")])
def test_empty_file_is_an_error(data, write):
    path = write("empty.txt", data)
    with pytest.raises(TranscriptError, match="is empty") as err:
        read_transcript(path)
    assert str(path) in str(err.value)


def test_binary_file_is_an_error(write):
    path = write("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    with pytest.raises(TranscriptError, match="looks like a binary file, not a transcript") as err:
        read_transcript(path)
    assert str(path) in str(err.value)


def test_docx_renamed_to_txt_is_binary(write, tmp_path):
    import docx

    doc = docx.Document()
    doc.add_paragraph("Interviewer: hi")
    doc.save(tmp_path / "real.docx")
    path = write("renamed.txt", (tmp_path / "real.docx").read_bytes())
    with pytest.raises(TranscriptError, match="binary"):
        read_transcript(path)


def test_windows_1252_is_a_guess_the_user_is_told_about(write):
    """A Mac Roman file also decodes as Windows-1252, with the wrong letters: never silently."""
    path = write("mac.txt", "Interviewer: What’s it like?\nRespondent D3: It’s “hard”.\n".encode("mac_roman"))
    t = read_transcript(path)
    assert "WhatÕs" in t.text  # what Windows-1252 makes of Mac Roman's apostrophe
    [warning] = t.warnings
    assert warning.kind == "encoding" and "Õ" in warning.message and "UTF-8" in warning.message
    assert warning.line == 1


def test_utf8_file_has_no_encoding_warning(write):
    t = read_transcript(write("u.txt", "Interviewer: Café?\nRespondent D3: Oui — merci.\n".encode("utf-8")))
    assert t.warnings == []
