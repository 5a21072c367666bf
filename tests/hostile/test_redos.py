"""ReDoS: a codebook regex with catastrophic backtracking never hangs tag/autocode (issue 17)."""
from __future__ import annotations

import json

import pytest

from tests.conftest import TINY_CODEBOOK, run

SLOW = "(\\\\w|\\\\w\\\\w)+$"  # alternation overlap: not visible to the static check, exponential on a long word
SENTENCE = ("Privacy is very important and my therapist was soooooooooooooooooooooooooooooooooooooooo "
            "good to me!")


def codebook_with(pattern: str) -> str:
    return TINY_CODEBOOK.replace('          - regex: "\\\\bevery (week|month)\\\\b"',
                                 f'          - regex: "\\\\bevery (week|month)\\\\b"\n'
                                 f'        exclude: []\n      - id: slow\n        label: Slow\n'
                                 f'        rules:\n          - id: slow-rule\n            regex: "{pattern}"')


@pytest.mark.parametrize("pattern", ["(a+)+$", "^(\\\\w+\\\\s?)+$", "(x*)*y", "((\\\\w+)\\\\s?){2,}z"])
def test_codebook_check_rejects_nested_quantifiers_with_location(tmp_path, pattern):
    path = tmp_path / "cb.yaml"
    path.write_text(codebook_with(pattern), encoding="utf-8")
    r = run(["codebook", "check", str(path)])
    assert r.exit_code == 1, r.output
    line = codebook_with(pattern).splitlines().index(f'            regex: "{pattern}"') + 1
    assert f"{path}:{line}:" in r.stderr or f"{path}:{line - 1}:" in r.stderr
    assert "nested quantifier" in r.stderr and "slow-rule" in r.stderr


def test_codebook_check_accepts_safe_repeats(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text(codebook_with("(\\\\w+\\\\s)+therapist"), encoding="utf-8")
    r = run(["codebook", "check", str(path)])
    assert r.exit_code == 0, r.output


def test_tag_skips_a_timed_out_rule_by_name_and_keeps_the_others(tmp_path, monkeypatch):
    monkeypatch.setattr("qualcode.engine.tagger.REGEX_BUDGET", 0.05)
    path = tmp_path / "cb.yaml"
    path.write_text(codebook_with(SLOW), encoding="utf-8")
    r = run(["tag", "--codebook", str(path), "--group", "young-person", "-"], input=f"Respondent: {SENTENCE}\n")
    assert r.exit_code == 0, r.output
    (row,) = [json.loads(line) for line in r.stdout.splitlines()]
    assert [c["id"] for c in row["codes"]] == ["environment"]
    assert "'slow-rule'" in r.stderr and "time budget" in r.stderr


def test_autocode_finishes_reports_the_rule_and_retries_next_run(project_dir, monkeypatch):
    monkeypatch.setattr("qualcode.engine.tagger.REGEX_BUDGET", 0.05)
    (project_dir / "slow.txt").write_text(f"Interviewer: Hello?\nRespondent D3: {SENTENCE}\n", encoding="utf-8")
    assert run(["import", "slow.txt"], cwd=project_dir).exit_code == 0
    (project_dir / "codebook.yaml").write_text(codebook_with(SLOW), encoding="utf-8")
    r = run(["autocode"], cwd=project_dir)
    assert r.exit_code == 0, r.output
    assert "'slow-rule'" in r.stderr and "slow" in r.stderr
    assert "environment" in r.stdout  # the other rules ran
    r = run(["autocode"], cwd=project_dir)
    assert "'slow-rule'" in r.stderr  # the skipped transcripts are not marked done
