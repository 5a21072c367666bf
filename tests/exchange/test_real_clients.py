"""Real clients read what qualcode writes and write what qualcode reads:

- pyqdpx (PyPI, an independent REFI-QDA reader that counts positions as NVivo does) reads
  ``export refi --for nvivo``: every code, source, user and coded passage;
- Taguette (PyPI, in its own virtualenv ``.venv-clients``, made by ``make clients``: it pins
  SQLAlchemy 1.4, qualcode 2.x) writes a .qdc with its ``export.codebook_xml`` that
  ``codebook import`` turns into a codebook, and reads ``codebook export --format csv`` with its
  ``import_codebook.list_tags_csv``.
Without ``.venv-clients`` the Taguette tests skip on a developer's machine and fail in CI.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from qualcode.codebook import load_codebook
from qualcode.exchange.refi_export import export_refi
from qualcode.store.codings import query_codings
from tests.conftest import REPO, run

CLIENT = Path(__file__).parents[1] / "clients" / "taguette_client.py"
TAGUETTE_PY = Path(os.environ.get("QUALCODE_TAGUETTE_PYTHON", REPO / ".venv-clients" / "bin" / "python"))


def taguette(*args: str) -> subprocess.CompletedProcess:
    if not TAGUETTE_PY.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{TAGUETTE_PY} is missing: CI must run `make clients` (make test does)")
        pytest.skip("Taguette's virtualenv is not there: run `make clients`")
    return subprocess.run([str(TAGUETTE_PY), str(CLIENT), *args], capture_output=True, text=True, timeout=300)


def test_pyqdpx_reads_every_code_source_and_coded_passage_of_an_nvivo_export(source_project, tmp_path):
    import pyqdpx

    qdpx = export_refi(source_project, tmp_path / "x.qdpx", target="nvivo").path
    qde = pyqdpx.QDPX(str(qdpx)).get_project()
    book = source_project.codebook()
    assert sorted(c.name for c in qde.codes.values()) == sorted(c.label for c in book.walk())
    assert sorted(s.name for s in qde.sources.values()) == ["lc-C1", "yp-D3"]
    read = sorted((s.name, sel.text.replace("\u200b", ""), sel.code.name, sel.user.name)  # pyqdpx pads emoji with U+200B
                  for s in qde.sources.values() for sel in s.coded_selections.values())
    labels = {c.id: c.label for c in book.walk()}
    with source_project.engine.connect() as conn:
        expected = sorted((c.transcript, c.snippet, labels[c.code_id], c.coder) for c in query_codings(conn)
                          if c.status != "rejected")
    assert read == expected


def test_taguette_reads_our_csv_codebook(tmp_path):
    out = tmp_path / "codebook.csv"
    r = run(["codebook", "export", str(REPO / "codebooks" / "working-alliance.yaml"), "--format", "csv", "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    done = taguette("list-tags-csv", str(out))
    assert done.returncode == 0, done.stderr
    tags = json.loads(done.stdout)
    book = load_codebook(REPO / "codebooks" / "working-alliance.yaml")
    assert len(tags) == len(list(book.walk())) == len({t["path"] for t in tags})  # every code, names unique
    assert "Confidentiality (Bond)" in {t["path"] for t in tags}
    definitions = {c.definition for c in book.walk()}
    assert {t["description"] for t in tags} <= definitions


def test_a_taguette_codebook_becomes_a_qualcode_codebook(tmp_path):
    qdc = tmp_path / "taguette.qdc"
    done = taguette("codebook-xml", str(qdc), "interesting", "A passage worth a second look", "people.family", "")
    assert done.returncode == 0, done.stderr
    assert b'origin="Taguette' in qdc.read_bytes()
    r = run(["codebook", "import", str(qdc), "-o", str(tmp_path / "tags.yaml")])
    assert r.exit_code == 0, r.stderr
    book = load_codebook(tmp_path / "tags.yaml")
    assert [c.label for c in book.walk()] == ["interesting", "people.family"]
