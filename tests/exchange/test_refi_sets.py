"""Code groups (REFI-QDA <Sets>) go out and come back; the import summary counts memos and groups."""
from __future__ import annotations

import zipfile

from defusedxml import ElementTree as DET

from qualcode.exchange.refi_export import export_refi
from qualcode.exchange.refi_import import import_refi
from qualcode.store import open_project
from qualcode.store.code_sets import CodeSet, list_code_sets, save_code_set
from tests.conftest import run
from tests.exchange.test_refi_positions import CODE, PASSAGES, constructed
from tests.exchange.conftest import make_qdpx

Q = "{urn:QDA-XML:project:1.0}"


def test_code_groups_are_exported_as_sets_and_imported_back(source_project, empty_project, tmp_path):
    with source_project.engine.begin() as conn:
        save_code_set(conn, CodeSet("Alliance core", "Bond and goals", ["yp-trust", "yp-decision"], ["yp-D3"]))
    qdpx = export_refi(source_project, tmp_path / "x.qdpx").path
    root = DET.fromstring(zipfile.ZipFile(qdpx).read("project.qde"))
    [group] = root.iter(f"{Q}Set")
    assert group.get("name") == "Alliance core" and len(list(group.iter(f"{Q}MemberCode"))) == 2
    r = run(["--project", str(empty_project.root), "import", "refi", str(qdpx)])
    assert r.exit_code == 0, r.stderr
    assert "code groups" in r.stdout and "codings with a memo" in r.stdout
    with open_project(empty_project.root, search=False).engine.connect() as conn:
        assert list_code_sets(conn) == [CodeSet("Alliance core", "Bond and goals", ["yp-decision", "yp-trust"], ["yp-D3"])]


def test_code_groups_inside_the_codebook_as_atlas_ti_writes_them(empty_project, tmp_path):
    path = constructed(tmp_path / "x.qdpx", "codepoints", "ATLAS.ti Win 23.4.0")
    with zipfile.ZipFile(path) as zf:
        qde, text = zf.read("project.qde").decode(), {n: zf.read(n) for n in zf.namelist() if n != "project.qde"}
    qde = qde.replace("</Codes></CodeBook>", '</Codes><Sets><Set name="code group 1" guid="ECA18D76-2B8B-4F26-BC1D-'
                      f'19ECA19FB3F0"><Description>kategorie 1</Description><MemberCode guid="{CODE}" /></Set></Sets>'
                      "</CodeBook>")
    report = import_refi(empty_project, make_qdpx(tmp_path / "y.qdpx", qde, text))
    assert report.sets == 1 and report.codings_read == len(PASSAGES)
    with open_project(empty_project.root, search=False).engine.connect() as conn:
        assert list_code_sets(conn) == [CodeSet("code group 1", "kategorie 1", ["privacy"], [])]
