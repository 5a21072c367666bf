"""Outputs never overwrite the store or an input; a closed pipe ends quietly (issue 17)."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO, run


def test_export_into_the_store_folder_is_refused_and_the_store_survives(project_dir):
    store = project_dir / ".qualcode" / "project.db"
    before = store.read_bytes()
    r = run(["export", "codings", "-o", ".qualcode/project.db"], cwd=project_dir)
    assert r.exit_code == 2
    assert ".qualcode" in r.stderr and "store folder" in r.stderr
    assert store.read_bytes() == before
    assert run(["status"], cwd=project_dir).exit_code == 0


def test_report_into_the_store_folder_is_refused(project_dir):
    r = run(["report", "frequencies", "--format", "xlsx", "-o", str(project_dir / ".qualcode" / "f.xlsx")],
            cwd=project_dir)
    assert r.exit_code == 2 and "store folder" in r.stderr


def test_output_equal_to_the_input_is_refused(tiny_codebook):
    before = tiny_codebook.read_bytes()
    r = run(["codebook", "export", str(tiny_codebook), "--format", "csv", "-o", str(tiny_codebook)])
    assert r.exit_code == 2, r.output
    assert "also an input" in r.stderr
    assert tiny_codebook.read_bytes() == before


def test_broken_pipe_is_quiet(project_dir):
    turns = "".join(f"Interviewer: And then?\nRespondent D3: Privacy mattered, turn {i}.\n" for i in range(1500))
    (project_dir / "long.txt").write_text(turns, encoding="utf-8")
    assert run(["import", "long.txt"], cwd=project_dir).exit_code == 0
    assert run(["autocode"], cwd=project_dir).exit_code == 0
    proc = subprocess.run(
        f"'{sys.executable}' -m qualcode.cli -q export codings -o /dev/stdout | head -c 10",
        shell=True, cwd=project_dir, capture_output=True, text=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert proc.stderr == ""
    assert proc.stdout.startswith("transcript")


def test_deidentify_report_or_key_equal_to_an_input_or_to_each_other_is_refused(project_dir):
    names = project_dir / "names.txt"
    names.write_text("Privacy\n", encoding="utf-8")
    for extra in (["--dry-run", "--report", "names.txt"], ["--key", "names.txt"],
                  ["--key", "k.csv", "--report", "k.csv"], ["--key", ".qualcode/k.csv"],
                  ["--dry-run", "--report", ".qualcode/r.md"]):
        r = run(["deidentify", "--names", "names.txt", *extra], cwd=project_dir)
        assert r.exit_code == 2, (extra, r.output)
        assert "also an input" in r.stderr or "the key (--key)" in r.stderr or "store folder" in r.stderr, r.stderr
    assert names.read_text(encoding="utf-8") == "Privacy\n"
    assert not (project_dir / "k.csv").exists() and not (project_dir / ".qualcode" / "k.csv").exists()


def test_export_codebook_over_its_own_codebook_is_refused(project_dir):
    before = (project_dir / "codebook.yaml").read_bytes()
    r = run(["export", "codebook", "--codebook", "codebook.yaml", "-o", "codebook.yaml"], cwd=project_dir)
    assert r.exit_code == 2 and "also an input" in r.stderr, r.output
    assert (project_dir / "codebook.yaml").read_bytes() == before


def test_quotes_report_over_its_reference_docx_is_refused(project_dir):
    from docx import Document

    Document().save(str(project_dir / "ref.docx"))
    before = (project_dir / "ref.docx").read_bytes()
    r = run(["report", "quotes", "--reference-docx", "ref.docx", "-o", "ref.docx"], cwd=project_dir)
    assert r.exit_code == 2 and "also an input" in r.stderr, r.output
    assert (project_dir / "ref.docx").read_bytes() == before
