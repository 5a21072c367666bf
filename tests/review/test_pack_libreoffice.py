"""Review packs filled in and saved by LibreOffice (Calc / Writer), as a co-facilitator without
Microsoft Office sends them back: the file LibreOffice writes must import like the one we wrote.

The decisions are typed into the pack first (openpyxl / python-docx), then LibreOffice opens the
file and saves it in the same format (``soffice --convert-to``), which rewrites every part of it:
styles, shared strings, hidden columns, data validation, tables and content controls."""
from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from tests.render import soffice

from .conftest import coding
from .packs import fill_docx, fill_xlsx, make_pack, qid, snapshot
from .test_pack_import import import_pack


@pytest.fixture(autouse=True)
def _libreoffice():
    if soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing in CI: .ci/run must install it")
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-calc-nogui libreoffice-writer-nogui)")


def resave(path: Path, outdir: Path) -> Path:
    """``path`` opened and saved again by LibreOffice, in the same format."""
    outdir.mkdir()
    fmt = {".xlsx": "xlsx:Calc MS Excel 2007 XML", ".docx": "docx:MS Word 2007 XML"}[path.suffix]
    with tempfile.TemporaryDirectory(prefix="qualcode-lo-") as profile:
        subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", fmt, "--outdir", str(outdir), str(path)],
                       check=True, capture_output=True, timeout=600)
    saved = outdir / path.name
    assert saved.exists() and saved.read_bytes() != path.read_bytes()
    return saved


def test_xlsx_saved_by_libreoffice_calc_imports(project, tmp_path):
    pack = make_pack(project, tmp_path / "pack.xlsx")
    filled = fill_xlsx(pack, tmp_path / "amira.xlsx", {
        qid(project, "Privacy"): {"Decision": "best", "Comment": "Says it all"},
        qid(project, "I don't"): {"Decision": "drop"},
        qid(project, "I think meeting"): {"Decision": "keep", "Move to": "Regular engagements"},
    })
    saved = resave(filled, tmp_path / "lo")
    result = import_pack(project, saved, "amira")
    assert result.exit_code == 0, result.output
    assert (coding(project, "Privacy").status, coding(project, "Privacy").exemplar) == ("accepted", True)
    assert coding(project, "I don't").status == "rejected"
    assert coding(project, "I think meeting").code_id == "bond.regular"
    before = snapshot(project)
    assert import_pack(project, saved, "amira").exit_code == 0
    assert snapshot(project) == before


def test_docx_saved_by_libreoffice_writer_imports(project, tmp_path):
    pack = make_pack(project, tmp_path / "pack.docx", "docx")
    filled = fill_docx(pack, tmp_path / "tom.docx", {
        qid(project, "Privacy"): {"Decision": "keep"},
        qid(project, "I don't"): {"Decision": "best", "Comment": "Powerful"},
        qid(project, "I was involved"): {"Decision": "drop"},
    })
    saved = resave(filled, tmp_path / "lo")
    result = import_pack(project, saved, "tom")
    assert result.exit_code == 0, result.output
    assert coding(project, "Privacy").status == "accepted"
    assert (coding(project, "I don't").status, coding(project, "I don't").exemplar) == ("accepted", True)
    assert coding(project, "I was involved").status == "rejected"
