"""Regex rules run once over a transcript's joined units give exactly the per-unit matches."""
from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.codebook.load import load_codebook
from qualcode.engine.tagger import Tagger, turn_units
from qualcode.ingest.read import read_transcript

REPO = Path(__file__).resolve().parents[2]
PATTERNS = [r"\btherap\w*", r"\b(every|each) (week|month|day)\b", r"\w+\s+\w+", r"\b(?:i|we) (really )?(think|feel)\b",
            r"(?:not )?judg(e|ed|ing|ment)\b", r"\w+[.?!]?$", r"^\w+", r"feel\w*\s+\w+", r"[.?!]\s*\w"]


@pytest.fixture(scope="module")
def jobs():
    parsed = [read_transcript(p) for p in sorted((REPO / "transcripts").iterdir()) if p.suffix == ".txt"]
    return [(p.text, turn_units(p), None) for p in parsed]


def tags(tagger, jobs):
    return [[(r.unit.index, s.code_id, s.start, s.end, s.match_count) for r in res for s in r.suggestions]
            for res in tagger.tag_batch(jobs)]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_joined_matching_equals_unit_by_unit(tmp_path, jobs, pattern):
    cb = tmp_path / "cb.yaml"
    cb.write_text("codebook:\n  name: X\ndomains:\n  - id: d\n    label: D\n    codes:\n      - id: c\n"
                  f"        label: C\n        rules:\n          - regex: '{pattern}'\n", encoding="utf-8")
    tagger = Tagger(load_codebook(cb))
    joined = tags(tagger, jobs)
    tagger._joinable = {}
    assert joined == tags(tagger, jobs)
    assert any(joined)
