"""End to end on the bundled study: the analyst and coder-b double-coded five transcripts.

Import the transcripts and both codings CSVs, record the sample, compute agreement, write the
disagreements sheet, decide some rows, build the consensus coder and report its quotes.
"""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import run

REPO = Path(__file__).resolve().parents[2]


def ok(root, *args):
    r = run(list(args), cwd=root)
    assert r.exit_code == 0, f"qualcode {' '.join(args)}\n{r.output}"
    return r


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    root = tmp_path_factory.mktemp("bundled")
    shutil.copy(REPO / "qualcode.toml", root / "qualcode.toml")
    shutil.copytree(REPO / "codebooks", root / "codebooks")
    shutil.copytree(REPO / "transcripts", root / "transcripts")
    files = sorted(str(p.relative_to(root)) for ext in ("txt", "docx", "vtt")
                   for p in (root / "transcripts").glob(f"*.{ext}"))
    ok(root, "import", *files, "--participants", "transcripts/roster.csv")
    ok(root, "import-codings", "transcripts/codings.csv")
    ok(root, "import-codings", "transcripts/second-coder.csv")
    return root


def test_agreement_disagreements_consensus_and_report(study, tmp_path):
    with open(REPO / "transcripts" / "second-coder.csv", encoding="utf-8") as f:
        double = sorted({row["transcript"] for row in csv.DictReader(f)})
    ok(study, "sample", "--transcripts", ",".join(double))
    data = json.loads(ok(study, "agreement", "--coders", "analyst,coder-b", "--format", "json").stdout)
    assert data["coders"] == ["analyst", "coder-b"] and data["transcripts"] == double
    assert data["transcript_source"] == "sample" and data["units"] > 0
    used = {c["code"] for c in data["codes"] if c["used"]["coder-b"]}
    assert used and all(c["units"] == data["units"] for c in data["codes"])
    assert ok(study, "agreement", "--coders", "analyst,coder-b").stdout.count("Pooling:") == 1

    sheet = tmp_path / "meeting.xlsx"
    ok(study, "disagreements", "--coders", "analyst,coder-b", "-o", str(sheet))
    ws = load_workbook(sheet)["Disagreements"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert rows, "the two coders of the bundled study disagree somewhere"
    assert {r[2] for r in rows} <= set(double)
    # the meeting decides the first disagreement, leaves the others for later
    wb = load_workbook(sheet)
    wb["Disagreements"].cell(row=2, column=10, value="include")
    wb.save(sheet)
    r = ok(study, "consensus", "import", str(sheet), "--coders", "analyst,coder-b")
    assert "1 decision(s) recorded" in r.stderr

    r = ok(study, "consensus", "--coders", "analyst,coder-b", "--as", "consensus", "--format", "json")
    undecided = json.loads(r.stdout)
    assert len(undecided) == len(rows) - 1
    assert f"{len(rows) - 1} disagreement(s) remain undecided" in r.stderr
    again = ok(study, "consensus", "--coders", "analyst,coder-b", "--as", "consensus")
    assert " 0 added, 0 removed" in again.stderr

    segments = json.loads(ok(study, "segments", "--coder", "consensus", "--format", "json").stdout)
    assert segments and {s["transcript"] for s in segments} <= set(double)
    assert {s["status"] for s in segments} == {"accepted"}
    out = tmp_path / "consensus-quotes.docx"
    r = run(["report", "quotes", "--coder", "consensus", "--group", "young-person", "-o", str(out)], cwd=study)
    assert r.exit_code == 0, r.output
    assert out.exists()
