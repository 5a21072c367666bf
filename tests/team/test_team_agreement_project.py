"""`qualcode agreement` on a small project, with the figures worked out by hand.

The project (tests/team/builders.py): coders A and B; T1 has participant turns 1, 3, 5, 7 and T2 has
1, 3, so there are 6 units. T3 is coded by A only (B's one coding there is rejected), so without a
sample it is not compared.

Code env: A applies it to T1#1, T1#3, T1#5 (one coding spans turns 3-5 and counts for both units);
B to T1#1, T1#3 (B's env on T1#7 is rejected, on interviewer turn 4 is not a unit, on T2#1 is only
suggested). Over the 6 units A = 1 1 1 0 0 0, B = 1 1 0 0 0 0:
  percent agreement = 5/6 = 83.33 %
  kappa: p_o = 5/6; p_e = (3/6)(2/6) + (3/6)(4/6) = 18/36 = 1/2; kappa = (5/6 - 1/2) / (1/2) = 2/3
  alpha: 12 values, n_1 = 5, n_0 = 7; one disagreeing unit gives o_10 = o_01 = 1;
         alpha = 1 - (n - 1) * (o_10 + o_01) / (2 n_1 n_0) = 1 - 11 * 2 / 70 = 48/70 = 0.6857
         -> below 0.800, not below 0.667.
Code regular: both on T1#7 only -> alpha 1.0. Code decision: A on T2#1, B on T2#3:
  percent agreement 4/6; n_1 = 2, n_0 = 10, o_10 + o_01 = 4; alpha = 1 - 11 * 4 / (2 * 2 * 10) = -0.1.
Code age: nobody applies it on these units -> "never used".
"""
from __future__ import annotations

import json

import pytest

from qualcode.analysis.agreement import report_to_dict
from qualcode.errors import AgreementError
from qualcode.store.team import get_setting
from qualcode.team.project_agreement import project_agreement
from tests.conftest import run
from tests.team.builders import make_team_project


@pytest.fixture
def team(tmp_path):
    project, ids = make_team_project(tmp_path / "study")
    return project


def agreement_json(root, *args):
    r = run(["agreement", "--format", "json", *args], cwd=root)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout), r.stderr


def test_hand_computed_agreement_through_the_cli(team):
    data, notes = agreement_json(team.root)
    assert "no double-coding sample" in notes and "A, B" in notes
    assert data["coders"] == ["A", "B"] and data["transcripts"] == ["yp-T1", "yp-T2"]
    assert (data["unit"], data["statuses"], data["transcript_source"]) == ("turn", ["accepted"], "coded by two or more")
    codes = {c["code"]: c for c in data["codes"]}
    assert list(codes) == ["env", "regular", "decision", "age"]  # codebook order
    env = codes["env"]
    assert env["units"] == 6 and env["used"] == {"A": 3, "B": 2}
    assert env["percent_agreement"] == pytest.approx(500 / 6)
    assert env["cohen_kappa"] == pytest.approx(2 / 3)
    assert env["krippendorff_alpha"] == pytest.approx(48 / 70)
    assert (env["below_0_667"], env["below_0_800"]) == (False, True)
    assert codes["regular"]["krippendorff_alpha"] == 1.0
    assert codes["decision"]["krippendorff_alpha"] == pytest.approx(-0.1)
    assert codes["decision"]["percent_agreement"] == pytest.approx(400 / 6)
    assert codes["age"]["status"] == "never used" and codes["age"]["krippendorff_alpha"] is None
    assert [d["domain"] for d in data["domains"]] == ["bond", "goals", "demo"]
    assert data["overall"]["mean_code_alpha"] == pytest.approx((48 / 70 + 1 - 0.1) / 3)
    assert "mean_code_alpha" in data["overall"]["pooled_method"]
    # the JSON is report_to_dict's shape plus what was compared
    shape = set(report_to_dict(project_agreement(team, record=False).report))
    assert set(data) == shape | {"unit", "statuses", "transcript_source", "transcripts", "notes"}


def test_table_highlights_and_says_never_used(team):
    r = run(["agreement"], cwd=team.root)
    assert r.exit_code == 0, r.output
    lines = {line.split("│")[1].strip(): line for line in r.stdout.splitlines() if line.count("│") > 5}
    assert "alpha < 0.800" in lines["env"] and "0.686" in lines["env"] and "0.667" in lines["env"]
    assert "alpha < 0.667" in lines["decision"] and "-0.100" in lines["decision"]
    assert "never used" in lines["age"]
    assert "Pooling: mean_code_alpha" in r.stdout


def test_csv_output_has_codes_domains_and_overall(team):
    r = run(["agreement", "--format", "csv"], cwd=team.root)
    assert r.exit_code == 0
    rows = r.stdout.splitlines()
    assert rows[0].startswith("level,name,label,units,percent_agreement,cohen_kappa,krippendorff_alpha")
    # each coder gave at most one code per unit here: the single-label figures lead, marked "headline"
    assert [row.split(",")[0] for row in rows[1:]] == ["single_label"] + ["code"] * 4 + ["domain"] * 3 + ["overall"] * 2
    assert ",headline," in rows[1] and rows[0].endswith(",fleiss_kappa")


def test_statuses_coders_codes_and_units(team):
    # B's suggestion of env on T2#1 counts with --status accepted,suggested:
    # A = 1 1 1 0 0 0, B = 1 1 0 0 1 0 -> n_1 = 6, n_0 = 6, o_10 + o_01 = 4; alpha = 1 - 11*4/72 = 28/72
    data, _ = agreement_json(team.root, "--status", "accepted,suggested", "--codes", "env")
    assert [c["code"] for c in data["codes"]] == ["env"]
    assert data["codes"][0]["krippendorff_alpha"] == pytest.approx(28 / 72)
    assert [d["domain"] for d in data["domains"]] == ["bond"]
    data, _ = agreement_json(team.root, "--codes", "goals")  # a domain stands for its codes
    assert [c["code"] for c in data["codes"]] == ["decision"]
    r = run(["agreement", "--coders", "A,Zed"], cwd=team.root)
    assert r.exit_code == 7 and "unknown coder(s) Zed" in r.stderr and "A, B" in r.stderr
    r = run(["agreement", "--coders", "A"], cwd=team.root)
    assert r.exit_code == 7 and "at least two coders" in r.stderr
    r = run(["agreement", "--codes", "regulr"], cwd=team.root)
    assert r.exit_code == 7 and "unknown code 'regulr' (did you mean regular?)" in r.stderr
    r = run(["agreement", "--status", "rejected"], cwd=team.root)
    assert r.exit_code == 7 and "--status" in r.stderr


def test_sentence_units_split_a_turn(team):
    # T1 turn 1 has two sentences; A's env coding covers the first sentence only, B's the whole turn:
    # on turns they agree, on sentences B also has env on "We had a quiet room." and A does not.
    turn = project_agreement(team, codes=["env"], record=False).report.codes[0]
    sent = project_agreement(team, codes=["env"], unit="sentence", record=False).report.codes[0]
    assert turn.units == 6 and sent.units == 7
    assert sent.used == {"A": 3, "B": 3} and sent.percent_agreement == pytest.approx(500 / 7)


def test_sample_sets_the_transcripts_and_notes_single_coded(team):
    run(["sample", "--fraction", "0.5", "--seed", "3"], cwd=team.root)  # picks yp-T1 and yp-T3
    data, notes = agreement_json(team.root)
    assert data["transcript_source"] == "sample" and data["transcripts"] == ["yp-T1", "yp-T3"]
    assert "yp-T3 is coded by A only" in notes
    assert data["units"] == 4 and data["units_single_coder"] == 1


def test_agreement_records_when_it_ran(team):
    with team.engine.connect() as conn:
        assert get_setting(conn, "agreement_computed_at") is None
    run(["agreement"], cwd=team.root)
    with team.engine.connect() as conn:
        assert get_setting(conn, "agreement_computed_at")


def test_no_double_coded_transcript_is_a_clear_error(tmp_path):
    project, _ = make_team_project(tmp_path / "p")
    with project.engine.begin() as conn:
        from qualcode.store.codings import query_codings, delete_codings
        delete_codings(conn, [c.id for c in query_codings(conn, coder="B")])
    with pytest.raises(AgreementError, match="no transcript is coded by two or more of A, B"):
        project_agreement(project)


def test_codings_csv_without_a_project(tmp_path):
    csv = tmp_path / "double.csv"
    csv.write_text("unit,coder,code\nu1,A,x\nu1,B,x\nu2,A,\nu2,B,x\nu3,A,\nu3,B,\n", encoding="utf-8")
    r = run(["agreement", "--codings", str(csv), "--format", "json"], cwd=tmp_path)
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert list(data) == ["coders", "units_total", "units", "units_single_coder", "codes",
                          "krippendorff_alpha_nominal", "nominal_note", "domains", "overall", "ignored_codes",
                          "headline", "headline_why", "single_label"]
    # x: A = 1 0 0, B = 1 1 0 -> 2 of 3 agree
    assert data["codes"][0]["code"] == "x" and data["codes"][0]["percent_agreement"] == pytest.approx(200 / 3)
    bad = tmp_path / "bad.csv"
    bad.write_text("unit,who\nu1,A\n", encoding="utf-8")
    r = run(["agreement", "--codings", str(bad)], cwd=tmp_path)
    assert r.exit_code == 7 and "bad.csv:1" in r.stderr and "missing column(s) coder, code" in r.stderr


def test_group_restricts_transcripts_and_codes(tmp_path):
    from qualcode.store.codings import insert_codings
    from tests.team.builders import T2, add_transcript, coding

    project, _ = make_team_project(tmp_path / "p")
    book = (project.root / "codebook.yaml").read_text(encoding="utf-8")
    book = book.replace("      - id: age\n", "      - id: age\n        groups: [clinician]\n")
    (project.root / "codebook.yaml").write_text(book, encoding="utf-8")
    with project.engine.begin() as conn:
        tid = add_transcript(conn, "lc-C1", T2, group="clinician", pid="C1")
        insert_codings(conn, [coding(tid, T2, 1, "age", "A"), coding(tid, T2, 1, "age", "B"),
                              coding(tid, T2, 3, "age", "B")])
    data, notes = agreement_json(project.root)
    assert data["transcripts"] == ["lc-C1", "yp-T1", "yp-T2"]
    assert "1 code(s) apply only to some of the groups clinician, young-person" in notes and "--group" in notes
    data, notes = agreement_json(project.root, "--group", "young-person")
    assert data["transcripts"] == ["yp-T1", "yp-T2"] and "age" not in [c["code"] for c in data["codes"]]
    data, _ = agreement_json(project.root, "--group", "clinician", "--codes", "age")
    assert data["transcripts"] == ["lc-C1"] and data["codes"][0]["percent_agreement"] == 50.0
    run(["sample", "--transcripts", "yp-T1"], cwd=project.root)
    r = run(["agreement", "--group", "clinician"], cwd=project.root)
    assert r.exit_code == 7 and "the double-coding sample has no transcript of group 'clinician'" in r.stderr
    r = run(["agreement", "--group", "nobody"], cwd=project.root)
    assert r.exit_code == 7 and "no transcript of group 'nobody' (groups: clinician, young-person)" in r.stderr
