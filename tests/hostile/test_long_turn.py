"""A 1.2 MB one-line transcript autocodes: long turns reach spaCy in pieces (issue 17)."""
from __future__ import annotations

import csv

from tests.conftest import run


def test_one_line_transcript_over_spacy_max_length_autocodes(project_dir):
    filler = "We talked about the weather and the bus timetable for a while. " * 19_000
    text = "Respondent D3: " + filler + "Privacy mattered to me a lot. " + filler[:4000] + "\n"
    assert len(text) > 1_200_000 and text.count("\n") == 1
    (project_dir / "long.txt").write_text(text, encoding="utf-8")
    assert run(["import", "long.txt"], cwd=project_dir).exit_code == 0
    r = run(["autocode"], cwd=project_dir)
    assert r.exit_code == 0, r.output
    assert run(["export", "codings", "-o", "c.csv"], cwd=project_dir).exit_code == 0
    csv.field_size_limit(10_000_000)
    with open(project_dir / "c.csv", encoding="utf-8", newline="") as fh:
        rows = [row for row in csv.DictReader(fh) if row["transcript"] == "long"]
    assert rows, "the long transcript got no suggestion"
    for row in rows:
        assert text[int(row["start"]):int(row["end"])] == row["quote"]
    assert any("Privacy mattered" in row["quote"] for row in rows)
