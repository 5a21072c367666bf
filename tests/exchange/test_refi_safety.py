"""A .qdpx comes from outside: hostile or broken files are refused with a clear message, and the
project is left exactly as it was."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from qualcode.errors import ExchangeError
from qualcode.exchange.refi_export import export_refi
from qualcode.exchange.refi_import import import_refi
from qualcode.safezip import Limits, SafeArchive, parse_xml
from qualcode.store.codings import query_codings
from qualcode.store.transcripts import list_transcripts
from tests.conftest import run
from tests.exchange.conftest import make_qdpx

MINIMAL = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
 <Sources>
  <TextSource guid="aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" name="one" plainTextPath="internal://aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee.txt"/>
 </Sources>
</Project>"""


def unchanged(project) -> bool:
    with project.engine.connect() as conn:
        return list_transcripts(conn) == [] and query_codings(conn) == []


def assert_refused(project, qdpx: Path, *words: str) -> str:
    """Import through the CLI: exit code 6, every word in the message, nothing written."""
    r = run(["--project", str(project.root), "import", "refi", str(qdpx)])
    assert r.exit_code == 6, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    for word in words:
        assert word in r.stderr, r.stderr
    assert unchanged(project)
    assert not (project.root / "codebooks").exists()
    return r.stderr


def test_an_entry_with_an_absolute_path_is_refused(empty_project, tmp_path):
    qdpx = make_qdpx(tmp_path / "abs.qdpx", MINIMAL, {"/etc/evil.txt": "x"})
    assert_refused(empty_project, qdpx, "/etc/evil.txt", "absolute path")


def test_an_entry_climbing_out_with_dot_dot_is_refused(empty_project, tmp_path):
    qdpx = make_qdpx(tmp_path / "up.qdpx", MINIMAL, {"sources/../../evil.txt": "x"})
    assert_refused(empty_project, qdpx, "'..'")
    qdpx = make_qdpx(tmp_path / "win.qdpx", MINIMAL, {"sources\\..\\..\\evil.txt": "x"})
    assert_refused(empty_project, qdpx, "'..'")


def test_a_zip_bomb_is_refused_before_it_is_expanded(empty_project, tmp_path):
    qdpx = make_qdpx(tmp_path / "bomb.qdpx", MINIMAL,
                     {"sources/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee.txt": b"\0" * (20 * 1024 * 1024)})
    assert_refused(empty_project, qdpx, "zip bomb")


def test_size_and_count_limits(tmp_path):
    qdpx = make_qdpx(tmp_path / "many.qdpx", MINIMAL, {f"sources/{i}.txt": "x" for i in range(5)})
    with pytest.raises(ExchangeError, match="6 entries"):
        SafeArchive(qdpx, Limits(max_entries=5))
    with pytest.raises(ExchangeError, match="per entry"):
        SafeArchive(qdpx, Limits(max_entry_bytes=100))
    with pytest.raises(ExchangeError, match="in total"):
        SafeArchive(qdpx, Limits(max_total_bytes=200))
    with SafeArchive(qdpx) as archive:
        assert archive.find("SOURCES/3.TXT") == "sources/3.txt"


def test_a_file_that_is_not_a_zip_is_refused(empty_project, tmp_path):
    qdpx = tmp_path / "notes.qdpx"
    qdpx.write_text("this is not a zip", encoding="utf-8")
    assert_refused(empty_project, qdpx, "not a REFI-QDA project")
    assert_refused(empty_project, tmp_path / "missing.qdpx", "no such file")


def test_an_archive_without_project_qde_is_refused(empty_project, tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    (tmp_path / "x.qdpx").write_bytes(buf.getvalue())
    assert_refused(empty_project, tmp_path / "x.qdpx", "no project.qde")


def test_invalid_xml_is_refused_with_its_position(empty_project, tmp_path):
    qdpx = make_qdpx(tmp_path / "broken.qdpx", MINIMAL.replace("</Sources>", "</Source>"))
    assert_refused(empty_project, qdpx, "not well-formed XML", "line")
    qdpx = make_qdpx(tmp_path / "other.qdpx", "<Something/>")
    assert_refused(empty_project, qdpx, "not <Project>")


def test_entity_expansion_and_external_entities_are_refused(empty_project, tmp_path):
    laughs = ('<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
              '<Project xmlns="urn:QDA-XML:project:1.0" name="&b;"/>')
    assert_refused(empty_project, make_qdpx(tmp_path / "laughs.qdpx", laughs), "entities")
    external = ('<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                '<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>')
    assert_refused(empty_project, make_qdpx(tmp_path / "xxe.qdpx", external), "entities")
    with pytest.raises(ExchangeError):
        parse_xml(external.encode(), "x")


def test_a_missing_source_file_is_refused_by_name(empty_project, tmp_path):
    qdpx = make_qdpx(tmp_path / "nosrc.qdpx", MINIMAL)
    assert_refused(empty_project, qdpx, "'one'", "not in the archive")


def test_a_source_that_is_not_utf8_is_refused(empty_project, tmp_path):
    qdpx = make_qdpx(tmp_path / "latin.qdpx", MINIMAL,
                     {"sources/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee.txt": "caf\xe9".encode("latin-1")})
    assert_refused(empty_project, qdpx, "not UTF-8")


def test_a_coding_of_an_unknown_code_is_refused(empty_project, tmp_path):
    qde = MINIMAL.replace('.txt"/>', '.txt"><PlainTextSelection guid="11111111-1111-1111-1111-111111111111" '
                          'startPosition="0" endPosition="3"><Coding guid="22222222-2222-2222-2222-222222222222">'
                          '<CodeRef targetGUID="33333333-3333-3333-3333-333333333333"/></Coding></PlainTextSelection>'
                          '</TextSource>')
    qdpx = make_qdpx(tmp_path / "code.qdpx", qde, {"sources/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee.txt": "hello"})
    assert_refused(empty_project, qdpx, "33333333-3333-3333-3333-333333333333", "not in the CodeBook")


def test_our_own_export_passes_every_check(source_project, empty_project, tmp_path):
    qdpx = export_refi(source_project, tmp_path / "ok.qdpx").path
    with SafeArchive(qdpx) as archive:
        assert len(archive.names()) == 3
    assert import_refi(empty_project, qdpx).transcripts_new
