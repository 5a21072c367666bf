"""`qualcode sample`: deterministic for a seed, stratified, recorded, replaced only on request."""
from __future__ import annotations

import json

import pytest

from qualcode.model import Participant
from qualcode.store import init_project
from qualcode.store.transcripts import upsert_participant
from tests.conftest import run
from tests.team.builders import CODEBOOK, T3, add_transcript


@pytest.fixture
def eleven(tmp_path):
    """8 young-person transcripts (sites a/b) and 3 clinician transcripts."""
    root = tmp_path / "study"
    root.mkdir()
    (root / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    project = init_project(root, codebooks=["codebook.yaml"])
    with project.engine.begin() as conn:
        for i in range(8):
            add_transcript(conn, f"yp-{i}", T3, group="young-person", pid=f"Y{i}")
            upsert_participant(conn, Participant(f"Y{i}", "young-person", "young person", f"Respondent Y{i}",
                                                 {"site": "a" if i < 6 else "b"}))
        for i in range(3):
            add_transcript(conn, f"lc-{i}", T3, group="clinician", pid=f"C{i}")
    return root


def draw(root, *args):
    r = run(["sample", "--format", "json", *args], cwd=root)
    return r, (json.loads(r.stdout) if r.exit_code == 0 else None)


def test_same_seed_same_sample_and_recorded(eleven):
    r, first = draw(eleven, "--fraction", "0.2", "--seed", "11")
    assert r.exit_code == 0, r.output
    assert len(first) == 2  # round(0.2 x 11) = 2
    assert "sample recorded: 2 of 11 transcripts (seed 11, fraction 0.2)" in r.stderr
    assert "O'Connor" not in r.stderr
    r, again = draw(eleven, "--fraction", "0.2", "--seed", "11")
    assert r.exit_code == 0 and again == first and "sample unchanged" in r.stderr
    shown = json.loads(run(["sample", "show", "--format", "json"], cwd=eleven).stdout)
    assert [s["transcript"] for s in shown] == [s["transcript"] for s in first]
    picks = {tuple(s["transcript"] for s in draw(eleven, "--fraction", "0.2", "--seed", str(seed), "--replace")[1])
             for seed in range(1, 8)}
    assert len(picks) > 1  # the seed matters


def test_stratified_by_group_has_every_stratum(eleven):
    r, chosen = draw(eleven, "--fraction", "0.2", "--stratify", "group", "--seed", "5")
    assert r.exit_code == 0, r.output
    groups = [s["group"] for s in chosen]
    # young-person: round(0.2 x 8) = 2; clinician: round(0.2 x 3) = 1
    assert groups.count("young-person") == 2 and groups.count("clinician") == 1
    assert "clinician: 1 of 3" in r.stderr and "young-person: 2 of 8" in r.stderr


def test_stratified_by_a_roster_column_and_at_least_one(eleven):
    r, chosen = draw(eleven, "--fraction", "0.1", "--stratify", "site", "--seed", "2")
    assert r.exit_code == 0, r.output
    # site a: 6 -> round(0.6) = 1; site b: 2 -> max(1, round(0.2)) = 1; clinicians (no site): 3 -> 1
    names = [s["transcript"] for s in chosen]
    assert sum(n in ("yp-6", "yp-7") for n in names) == 1
    assert sum(n.startswith("lc-") for n in names) == 1 and len(names) == 3
    assert "the sample is 3 of 11 transcripts (27%)" in r.stderr
    r, _ = draw(eleven, "--fraction", "0.1", "--stratify", "colour", "--replace")
    assert r.exit_code == 4 and "cannot stratify by 'colour'" in r.stderr and "site" in r.stderr


def test_a_different_draw_needs_replace(eleven):
    draw(eleven, "--fraction", "0.2", "--seed", "1")
    before = run(["sample", "show", "--format", "json"], cwd=eleven).stdout
    r, _ = draw(eleven, "--fraction", "0.25", "--seed", "99")
    assert r.exit_code == 4 and "--replace" in r.stderr and "seed 1" in r.stderr
    assert run(["sample", "show", "--format", "json"], cwd=eleven).stdout == before  # unchanged
    r, chosen = draw(eleven, "--fraction", "0.25", "--seed", "99", "--replace")
    assert r.exit_code == 0 and len(chosen) == 3
    assert len(json.loads(run(["sample", "show", "--format", "json"], cwd=eleven).stdout)) == 3


def test_fraction_outside_recommendation_warns_and_bad_fraction_fails(eleven):
    r, chosen = draw(eleven, "--fraction", "0.5", "--seed", "1")
    assert r.exit_code == 0 and len(chosen) == 6  # round(5.5) = 6 (half up)
    assert "outside the 10-25 %" in r.stderr
    r = run(["sample", "--fraction", "0"], cwd=eleven)
    assert r.exit_code == 2 and "--fraction" in r.stderr
    r = run(["sample"], cwd=eleven)
    assert r.exit_code == 2 and "sample show" in r.stderr


def test_show_lists_coders_per_transcript(tmp_path):
    from tests.team.builders import make_team_project
    project, _ = make_team_project(tmp_path / "p")
    r = run(["sample", "show"], cwd=project.root)
    assert r.exit_code == 0 and "no sample drawn yet" in r.stderr
    run(["sample", "--fraction", "1", "--seed", "1"], cwd=project.root)
    rows = json.loads(run(["sample", "show", "--format", "json"], cwd=project.root).stdout)
    assert {r["transcript"]: r["coders"] for r in rows} == {"yp-T1": "A, B", "yp-T2": "A, B", "yp-T3": "A"}


def test_record_named_transcripts_as_the_sample(eleven):
    r, chosen = draw(eleven, "--transcripts", "lc-1,yp-3")
    assert r.exit_code == 0, r.output
    assert [s["transcript"] for s in chosen] == ["lc-1", "yp-3"]
    assert "sample recorded: 2 of 11 transcripts (chosen by name)" in r.stderr
    assert "chosen by name" in run(["sample", "show"], cwd=eleven).stderr
    r, _ = draw(eleven, "--transcripts", "lc-1,nobody", "--replace")
    assert r.exit_code == 4 and "no transcript 'nobody'" in r.stderr
    r, _ = draw(eleven, "--transcripts", "lc-2")
    assert r.exit_code == 4 and "--replace" in r.stderr
    r = run(["sample", "--transcripts", "lc-2", "--fraction", "0.2"], cwd=eleven)
    assert r.exit_code == 2 and "not both" in r.stderr
