"""Selection positions in the unit the writing program counted: decided from the file's origin,
checked on the text (word boundaries), overruled with --positions; the real NVivo export as proof."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from qualcode.exchange.refi_import import import_refi
from qualcode.store import open_project
from qualcode.store.codings import query_codings
from qualcode.store.transcripts import list_transcripts
from tests.conftest import run
from tests.exchange.conftest import make_qdpx

NVIVO = Path(__file__).parents[1] / "fixtures" / "refi" / "nvivo12-windows.qdpx"

# Emoji (outside the BMP: two UTF-16 units) and CRLF (two units for NVivo) before every coded passage.
RAW = ("Interviewer: How was the room? 🙂\r\n\r\n"
       "Respondent D3: Privacy is very important 👍🏽 to me.\r\n\r\n"
       "Interviewer: And the goals?\r\n\r\n"
       "Respondent D3: I was involved one hundred percent — café talk ☕ and trust.")
PASSAGES = ["Privacy is very important", "I was involved one hundred percent", "café talk", "trust"]
SOURCE = "3F1C7A52-0000-4A8E-9B7B-2F1C6E0A9D41"
CODE = "5D0C7A52-3F4E-4A8E-9B7B-2F1C6E0A9D41"


def units(text: str, reading: str) -> int:
    """Length of ``text`` in a reading's units (the test's own count, independent of qualcode's)."""
    if reading == "codepoints":
        return len(text.replace("\r\n", "\n"))
    if reading == "utf16":
        text = text.replace("\r\n", "\n")
    return len(text.encode("utf-16-le")) // 2


def constructed(path: Path, reading: str, origin: str) -> Path:
    sels = []
    for i, passage in enumerate(PASSAGES):
        at = RAW.index(passage)
        start, end = units(RAW[:at], reading), units(RAW[:at + len(passage)], reading)
        sels.append(f'<PlainTextSelection guid="00000000-0000-4000-8000-00000000000{i}" startPosition="{start}" '
                    f'endPosition="{end}"><Coding guid="00000000-0000-4000-8000-00000000010{i}">'
                    f'<CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>')
    qde = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="{origin}">'
           f'<CodeBook><Codes><Code guid="{CODE}" name="Privacy" isCodable="true"/></Codes></CodeBook><Sources>'
           f'<TextSource guid="{SOURCE}" name="D3.docx" plainTextPath="internal://{SOURCE}.txt">{"".join(sels)}'
           '</TextSource></Sources></Project>')
    return make_qdpx(path, qde, {f"sources/{SOURCE}.txt": b"\xef\xbb\xbf" + RAW.encode("utf-8")})


def snippets(project) -> list[str]:
    with open_project(project.root, search=False).engine.connect() as conn:
        return sorted(c.snippet for c in query_codings(conn))


@pytest.mark.parametrize("reading, origin", [("utf16-crlf", "NVivo for Windows 12.6"),
                                             ("codepoints", "QualCoder 3.6")])
def test_emoji_and_crlf_before_codings_land_on_the_coded_words(empty_project, tmp_path, reading, origin):
    report = import_refi(empty_project, constructed(tmp_path / "x.qdpx", reading, origin))
    assert report.positions.reading == reading and not report.positions.warning
    assert snippets(empty_project) == sorted(PASSAGES)


def test_evidence_overrules_an_origin_that_counts_otherwise(empty_project, tmp_path):
    report = import_refi(empty_project, constructed(tmp_path / "x.qdpx", "utf16-crlf", "SomeQDA 1.0"))
    assert report.positions.reading == "utf16-crlf"
    assert "fits the text clearly better" in report.positions.warning
    assert report.positions.warning in report.notes
    assert snippets(empty_project) == sorted(PASSAGES)


def test_positions_option_overrules_and_the_cli_prints_choice_and_evidence(empty_project, tmp_path):
    qdpx = constructed(tmp_path / "x.qdpx", "codepoints", "NVivo for Windows 12.6")
    r = run(["--project", str(empty_project.root), "import", "refi", str(qdpx), "--positions", "codepoints"])
    assert r.exit_code == 0, r.stderr
    assert "as given by --positions" in r.stderr and "on word boundaries" in r.stderr
    assert snippets(empty_project) == sorted(PASSAGES)


def test_import_refi_has_its_own_help():
    r = run(["import", "refi", "--help"])
    assert r.exit_code == 0
    assert "import refi [OPTIONS] FILE" in r.stdout and "--positions" in r.stdout and "--group" not in r.stdout


def test_unclear_evidence_is_read_as_the_origin_says_with_a_warning(empty_project, tmp_path):
    path = constructed(tmp_path / "x.qdpx", "utf16-crlf", "NVivo for Windows 12.6")
    with zipfile.ZipFile(path) as zf:
        qde = zf.read("project.qde").decode()
    # Shift every selection by one unit: no reading puts them on word boundaries any more.
    qde = re.sub(r'(start|end)Position="(\d+)"', lambda m: f'{m.group(1)}Position="{int(m.group(2)) + 1}"', qde)
    report = import_refi(empty_project, make_qdpx(tmp_path / "y.qdpx", qde, {
        f"sources/{SOURCE}.txt": b"\xef\xbb\xbf" + RAW.encode("utf-8")}))
    assert report.positions.reading == "utf16-crlf"
    assert "position unit unclear" in report.positions.warning and "--positions" in report.positions.warning


def nvivo_passages(path: Path) -> list[str]:
    """Every coded passage of the NVivo file read as NVivo counts: UTF-16 units over the text as
    written (BOM excluded, CRLF two units), then with CRLF as LF as qualcode stores text."""
    out = []
    with zipfile.ZipFile(path) as zf:
        qde = zf.read("project.qde").decode("utf-8")
        for m in re.finditer(r'<TextSource [^>]*?plainTextPath="internal://([^"]+)"(.*?)</TextSource>', qde, re.S):
            data = zf.read(f"Sources/{m.group(1)}").decode("utf-8-sig").encode("utf-16-le")
            for sel in re.finditer(r'startPosition="(\d+)" endPosition="(\d+)"(.*?)</PlainTextSelection>', m.group(2), re.S):
                passage = data[2 * int(sel.group(1)):2 * int(sel.group(2))].decode("utf-16-le").replace("\r\n", "\n")
                out += [passage] * sel.group(3).count("<CodeRef")
    return sorted(out)


def test_the_real_nvivo_export_lands_every_coding_on_the_words_nvivo_coded(empty_project):
    expected = nvivo_passages(NVIVO)
    assert len(expected) == 303
    report = import_refi(empty_project, NVIVO)
    assert report.origin == "NVivo for Windows 12.6"
    assert report.positions.reading == "utf16-crlf" and not report.positions.warning
    assert report.positions.scores["utf16-crlf"] > 250 > 50 > report.positions.scores["codepoints"]
    with open_project(empty_project.root, search=False).engine.connect() as conn:
        assert len(list_transcripts(conn)) == 2
    assert snippets(empty_project) == expected
