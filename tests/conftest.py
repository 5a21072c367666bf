"""Shared fixtures: a tiny codebook and a two-transcript project, and a CliRunner helper."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, settings


from qualcode.cli import cli

# Hypothesis fuzz tests (tests/hostile/test_fuzz_*.py). "qualcode" (the default, CI): derandomized so a
# run is reproducible, few examples so that all fuzz tests together take well under a minute; no
# hypothesis deadline (a loaded machine would make it flaky): a hang is caught by fuzz.no_hang instead.
# HYPOTHESIS_PROFILE=deep: a long, random bug hunt on a developer's machine; quick-fail: no shrinking.
_FUZZ = dict(deadline=None, database=None, print_blob=True,
             suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                    HealthCheck.function_scoped_fixture, HealthCheck.large_base_example])
settings.register_profile("qualcode", max_examples=25, derandomize=True, **_FUZZ)
settings.register_profile("deep", max_examples=400, **_FUZZ)
settings.register_profile("quick-fail", max_examples=25, derandomize=True,  # no shrinking: see a failure fast
                          phases=[Phase.explicit, Phase.reuse, Phase.generate], **_FUZZ)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "qualcode"))

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

TINY_CODEBOOK = """\
codebook:
  name: Tiny working alliance
  version: "0.1"
domains:
  - id: bond
    label: Bond
    codes:
      - id: environment
        label: Conducive environment
        groups: [young-person]
        definition: A private, quiet space for sessions.
        rules:
          - phrases: [privacy, private room]
          - lemmas: [overhear]
        exclude:
          - phrases: [private school]
      - id: regular
        label: Regular engagements
        rules:
          - pattern: [{LEMMA: meet}, {LOWER: {IN: [weekly, monthly, regularly]}}]
          - regex: "\\\\bevery (week|month)\\\\b"
  - id: demographics
    label: Socio-demographics
    codes:
      - id: age
        label: Age
        rules:
          - near: {a: [age, young, old], b: [counsellor, therapist], within: 6}
"""

D3 = """\
Interviewer: Welcome, and thank you for agreeing to talk to us today.
Respondent D3: Thank you. I went to a private school before college.
Interviewer: What mattered about the place where you met your counsellor?
Respondent D3: Privacy is very important. There was not much space so I could overhear the other counsellor.
Interviewer: How often did you meet?
Respondent D3: We met weekly at first. The counsellor was very young, and that worried me.
"""

C1 = """\
Interviewer: How would you describe a working alliance?
Lay counsellor C1: Relationship that they have, that is directed to achieve certain goals.
Interviewer: Does privacy matter?
Lay counsellor C1: Yes, privacy matters a lot for clients.
"""

ROSTER = """\
id,group,role,attribution,transcript,age,gender
D3,young-person,young person,Respondent D3,yp-D3,19,female
C1,clinician,lay counsellor,Lay counsellor C1,lc-C1,41,female
"""


def run(args: list[str], cwd: Path | None = None, input: str | None = None, env: dict | None = None):
    """Run the CLI in ``cwd``; returns click's Result (stdout, stderr separate)."""
    runner = CliRunner()
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return runner.invoke(cli, args, input=input, env=env, catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture
def tiny_codebook(tmp_path: Path) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(TINY_CODEBOOK, encoding="utf-8")
    return path


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """A project with the tiny codebook, a roster and two imported transcripts (yp-D3, lc-C1)."""
    root = tmp_path / "study"
    root.mkdir()
    (root / "codebook.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    (root / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (root / "yp-D3.txt").write_text(D3, encoding="utf-8")
    (root / "lc-C1.txt").write_text(C1, encoding="utf-8")
    r = run(["init", str(root), "--codebook", "codebook.yaml", "--roster", "roster.csv", "--coder", "analyst"])
    assert r.exit_code == 0, r.output
    r = run(["import", "yp-D3.txt", "lc-C1.txt"], cwd=root)
    assert r.exit_code == 0, r.output
    return root
