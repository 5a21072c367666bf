"""`autocode --jobs N` tags in several processes and stores exactly what one process stores."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from qualcode.cli import cli

REPO = Path(__file__).resolve().parents[2]


def qc(root: Path, *args: str) -> str:
    r = CliRunner().invoke(cli, ["--project", str(root), "-q", *args], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.stdout


def stored(root: Path) -> list[tuple]:
    rows = json.loads(qc(root, "segments", "--status", "suggested", "--format", "json"))
    return sorted((r["transcript"], r["start"], r["end"], r["code"], r["text"]) for r in rows)


def test_jobs_give_the_same_suggestions_as_one_process(tmp_path):
    one = tmp_path / "one"
    (one / "transcripts").mkdir(parents=True)
    shutil.copytree(REPO / "codebooks", one / "codebooks")
    for name in ("yp-C2.txt", "yp-D2.txt", "yp-D3.txt", "lc-C1.txt", "lc-R1.txt", "roster.csv"):
        shutil.copy(REPO / "transcripts" / name, one / "transcripts" / name)
    qc(tmp_path, "init", str(one), "--codebook", "codebooks/working-alliance.yaml")
    qc(one, "import", *sorted(str(p) for p in (one / "transcripts").glob("*.txt")),
       "--participants", str(one / "transcripts" / "roster.csv"))
    many = tmp_path / "many"
    shutil.copytree(one, many)
    planned = json.loads(qc(many, "autocode", "--dry-run", "--jobs", "3", "--format", "json"))
    assert planned == json.loads(qc(one, "autocode", "--dry-run", "--format", "json")) and len(planned) > 20
    qc(one, "autocode")
    qc(many, "autocode", "--jobs", "3")
    assert stored(many) == stored(one) and len(stored(one)) > 20
    rerun = json.loads(qc(many, "autocode", "--jobs", "3", "--dry-run", "--format", "json"))
    assert rerun == []  # idempotent: nothing to add or remove
