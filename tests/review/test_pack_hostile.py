"""Hostile review packs, consensus sheets and .docx transcripts: every Office file the program reads
goes through one set of archive limits (size, entries, ratio, no entity declarations)."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.errors import ExchangeError
from qualcode.store.codings import query_codings
from qualcode.team.sheets import read_sheet

from .packs import make_pack

LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")


def rewrite(src: Path, dst: Path, replace: dict[str, bytes], add: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, replace.get(item.filename, zin.read(item)))
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def import_pack(project, path):
    return CliRunner().invoke(cli, ["--project", str(project.root), "review-pack", "import", str(path),
                                    "--reviewer", "sarah"])


def test_billion_laughs_docx_pack_is_refused_by_name(project, tmp_path):
    pack = make_pack(project, tmp_path / "pack.docx", fmt="docx")
    evil = rewrite(pack, tmp_path / "evil.docx", {"word/document.xml": LAUGHS})
    r = import_pack(project, evil)
    assert r.exit_code not in (0, 70), r.output
    assert str(evil) in r.stderr and "entit" in r.stderr and "Traceback" not in r.output


def test_xlsx_pack_that_inflates_hugely_is_refused_and_the_store_is_unchanged(project, tmp_path):
    pack = make_pack(project, tmp_path / "pack.xlsx")
    with project.engine.connect() as conn:
        before = len(query_codings(conn))
    bomb = rewrite(pack, tmp_path / "bomb.xlsx", {}, add={"xl/media/padding.bin": bytes(8 << 20)})
    assert bomb.stat().st_size < 1 << 20
    r = import_pack(project, bomb)
    assert r.exit_code not in (0, 70), r.output
    assert str(bomb) in r.stderr and "zip bomb" in r.stderr
    with project.engine.connect() as conn:
        assert len(query_codings(conn)) == before


def test_entity_declaration_in_xlsx_pack_is_refused(project, tmp_path):
    pack = make_pack(project, tmp_path / "pack.xlsx")
    with zipfile.ZipFile(pack) as z:
        sheet = next(n for n in z.namelist() if n.startswith("xl/worksheets/"))
        xml = z.read(sheet)
    decl = b'<!DOCTYPE x [<!ENTITY a "b">]>'
    xml = xml.replace(b"?>", b"?>" + decl, 1) if xml.startswith(b"<?xml") else decl + xml
    evil = rewrite(pack, tmp_path / "evil.xlsx", {sheet: xml})
    r = import_pack(project, evil)
    assert r.exit_code not in (0, 70) and "entit" in r.stderr and str(evil) in r.stderr


def test_consensus_sheet_with_entities_is_refused(project, tmp_path):
    pack = make_pack(project, tmp_path / "pack.docx", fmt="docx")
    evil = rewrite(pack, tmp_path / "meeting.docx", {"word/document.xml": LAUGHS})
    with pytest.raises(ExchangeError, match="entit") as err:
        read_sheet(evil)
    assert str(evil) in str(err.value)


def test_docx_transcript_with_entities_is_refused(project, tmp_path):
    pack = make_pack(project, tmp_path / "pack.docx", fmt="docx")
    evil = rewrite(pack, tmp_path / "yp-Z9.docx", {"word/document.xml": LAUGHS})
    r = CliRunner().invoke(cli, ["--project", str(project.root), "import", str(evil)])
    assert r.exit_code not in (0, 70), r.output
    assert str(evil) in r.stderr and "entit" in r.stderr
