"""qualcode model train/status, transcripts mark-coded and autocode with the learned model, on the
two-transcript project (tests/conftest.py)."""
from __future__ import annotations

import json

from tests.conftest import TINY_CODEBOOK, run

# extra coded statements for the tiny codebook (columns as the benchmark development sets)
STATEMENTS = """\
id,group,text,codes
s1,young-person,The room was private so nobody could hear us,environment
s2,young-person,I want a quiet private place for my sessions,environment
s3,young-person,Other people could overhear what I said and that was bad,environment
s4,young-person,We needed a space where nobody walks in,environment
s5,young-person,A private room made me feel safe to talk,environment
s6,young-person,We met every week on Tuesday,regular
s7,young-person,Meeting weekly kept me going,regular
s8,young-person,We saw each other regularly for three months,regular
s9,young-person,The sessions were every week at the same time,regular
s10,young-person,I went once a week without missing,regular
s11,young-person,My brother likes football,
s12,young-person,The bus to town was late,
s13,young-person,I had rice for lunch,
s14,young-person,It rained the whole day,
s15,young-person,My phone was broken,
s16,young-person,The counsellor was very young,age
s17,young-person,An older therapist would understand less,age
s18,young-person,She was the same age as my sister,age
"""


def model_status(root) -> dict:
    r = run(["model", "status", "--format", "json"], cwd=root)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def segments(root, *args):
    r = run(["segments", "--format", "json", *args], cwd=root)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def trained(root):
    (root / "statements.csv").write_text(STATEMENTS, encoding="utf-8")
    r = run(["model", "train", "--examples", "statements.csv"], cwd=root)
    assert r.exit_code == 0, r.output
    return r


def test_status_before_training_says_to_train(project_dir):
    r = run(["model", "status"], cwd=project_dir)
    assert r.exit_code == 8 and "no trained model" in r.stderr and "qualcode model train" in r.stderr


def test_train_stores_figures_and_rerun_changes_nothing(project_dir):
    r = trained(project_dir)
    assert "trained on 18 examples" in r.stderr
    status = model_status(project_dir)
    rows = {x["code"]: x for x in status["rows"]}
    assert rows["environment"]["positives"] == 5 and rows["regular"]["positives"] == 5
    assert rows["environment"]["f1"] is not None and 0 <= rows["environment"]["f1"] <= 1
    assert "few examples" in rows["environment"]["note"]  # 5 < 20: figures not to be trusted
    assert status["stale"] == [] and status["meta"]["codebook_sha"] and status["meta"]["data_sha"]
    assert not list((project_dir / ".qualcode/model").glob("*.pkl"))
    before = (project_dir / ".qualcode/model/weights.npz").read_bytes()
    r = run(["model", "train", "--examples", "statements.csv"], cwd=project_dir)
    assert r.exit_code == 0 and "nothing changed" in r.stderr
    assert (project_dir / ".qualcode/model/weights.npz").read_bytes() == before


def test_decisions_are_learned_and_make_the_model_stale(project_dir):
    trained(project_dir)
    assert run(["autocode", "--model", "off"], cwd=project_dir).exit_code == 0
    [age] = [x for x in segments(project_dir, "--coder", "qualcode:rules") if x["code"] == "age"]
    assert run(["code", "reject", str(age["id"])], cwd=project_dir).exit_code == 0
    status = model_status(project_dir)
    assert any("coding decisions changed" in s for s in status["stale"])
    r = run(["transcripts", "mark-coded", "yp-D3"], cwd=project_dir)
    assert r.exit_code == 0 and "1 transcript(s) marked" in r.stderr
    r = run(["model", "train", "--examples", "statements.csv"], cwd=project_dir)
    assert r.exit_code == 0 and "nothing changed" not in r.stderr
    rows = {x["code"]: x for x in model_status(project_dir)["rows"]}
    # yp-D3's three participant turns are negatives now (one of them the rejected age suggestion)
    assert rows["age"]["negatives"] == 15 + 3
    assert model_status(project_dir)["stale"] == []


def test_autocode_verifies_and_finds_with_evidence(project_dir):
    trained(project_dir)
    r = run(["autocode"], cwd=project_dir)
    assert r.exit_code == 0, r.output
    assert "learned model:" in r.stderr
    rules = segments(project_dir, "--coder", "qualcode:rules")
    assert rules and all(x["confidence"] is not None for x in rules)
    env = [x for x in rules if x["code"] == "environment"][0]
    assert env["evidence"].startswith("Privacy") and "(model " in env["evidence"]
    ordered = segments(project_dir, "--sort", "confidence")
    confs = [x["confidence"] for x in ordered if x["confidence"] is not None]
    assert confs == sorted(confs)
    # a rerun with nothing changed changes nothing
    before = segments(project_dir)
    r = run(["autocode"], cwd=project_dir)
    assert "0 suggestion(s) added, 0 removed" in r.stderr and segments(project_dir) == before


def test_model_finds_a_code_the_rules_missed(project_dir):
    (project_dir / "yp-D9.txt").write_text(
        "Interviewer: Where did you meet?\nRespondent D9: In a quiet room where nobody could hear us talking.\n",
        encoding="utf-8")
    roster = (project_dir / "roster.csv").read_text(encoding="utf-8")
    (project_dir / "roster.csv").write_text(roster + "D9,young-person,young person,Respondent D9,yp-D9,18,male\n",
                                            encoding="utf-8")
    assert run(["import", "yp-D9.txt"], cwd=project_dir).exit_code == 0
    trained(project_dir)
    assert run(["autocode"], cwd=project_dir).exit_code == 0
    found = segments(project_dir, "--coder", "qualcode:model", "--transcript", "yp-D9")
    assert [(x["code"], x["status"]) for x in found] == [("environment", "suggested")]
    assert found[0]["evidence"].startswith("model: ") and "like s" in found[0]["evidence"]
    assert found[0]["confidence"] >= 0.7
    assert not segments(project_dir, "--coder", "qualcode:rules", "--transcript", "yp-D9")


def test_codebook_change_makes_the_model_unused_never_silently(project_dir):
    trained(project_dir)
    book = project_dir / "codebook.yaml"
    book.write_text(TINY_CODEBOOK.replace("A private, quiet space for sessions.", "Where sessions happen."),
                    encoding="utf-8")
    r = run(["autocode"], cwd=project_dir)
    assert r.exit_code == 0 and "model not used" in r.stderr and "another version of the codebook" in r.stderr
    assert not segments(project_dir, "--coder", "qualcode:model")
    assert all(x["confidence"] is None for x in segments(project_dir))
    assert any("codebook changed" in s for s in model_status(project_dir)["stale"])
    r = run(["autocode", "--model", "require"], cwd=project_dir)
    assert r.exit_code == 8 and "another version of the codebook" in r.stderr


def test_damaged_model_file_stops_autocode_with_a_clear_message(project_dir):
    trained(project_dir)
    (project_dir / ".qualcode/model/weights.npz").write_bytes(b"\x00garbage")
    r = run(["autocode"], cwd=project_dir)
    assert r.exit_code == 8 and "weights.npz: damaged model weights" in r.stderr and "Traceback" not in r.output
    assert run(["autocode", "--model", "off"], cwd=project_dir).exit_code == 0


def test_examples_file_errors_name_the_line(project_dir):
    (project_dir / "bad.csv").write_text("text,codes\nfine,environment\nodd,no-such-code\n", encoding="utf-8")
    r = run(["model", "train", "--examples", "bad.csv"], cwd=project_dir)
    assert r.exit_code == 8 and "bad.csv:3:" in r.stderr and "no-such-code" in r.stderr


def test_mark_coded_lists_and_undoes(project_dir):
    assert run(["transcripts", "mark-coded", "yp-D3", "lc-C1"], cwd=project_dir).exit_code == 0
    r = run(["transcripts", "mark-coded", "--list"], cwd=project_dir)
    assert "yp-D3" in r.stdout and "lc-C1" in r.stdout
    assert run(["transcripts", "mark-coded", "lc-C1", "--undo"], cwd=project_dir).exit_code == 0
    r = run(["transcripts", "mark-coded", "--list"], cwd=project_dir)
    assert "yp-D3" in r.stdout and "lc-C1" not in r.stdout
    r = run(["transcripts", "mark-coded", "nobody"], cwd=project_dir)
    assert r.exit_code != 0 and "nobody" in r.stderr


def test_evaluate_shows_rules_model_and_combined_side_by_side(project_dir):
    (project_dir / "statements.csv").write_text(STATEMENTS, encoding="utf-8")
    r = run(["model", "evaluate", "--against", "analyst"], cwd=project_dir)
    assert r.exit_code == 8 and "coded 0 transcript(s)" in r.stderr
    assert run(["code", "add", "yp-D3", "environment", "--quote", "Privacy is very important."],
               cwd=project_dir).exit_code == 0
    assert run(["code", "add", "lc-C1", "regular", "--unit", "1"], cwd=project_dir).exit_code == 0
    r = run(["model", "evaluate", "--against", "analyst", "--examples", "statements.csv", "--folds", "2",
             "--format", "json"], cwd=project_dir)
    assert r.exit_code == 0, r.output
    rows = {x["layer"]: x for x in json.loads(r.stdout)}
    assert set(rows) == {"rules", "model", "combined"}
    # gold: D3 environment (the rules find it) and C1 regular (they do not); D3 and C1 have 3 uncoded turns
    assert rows["rules"]["recall"] == 0.5 and rows["rules"]["no_code_uncoded"].endswith("/3")


def test_tag_inside_a_project_uses_its_model_and_says_so(project_dir, tmp_path):
    trained(project_dir)
    text = "Interviewer: Where did you meet?\nRespondent D9: In a quiet room where nobody could hear us talking.\n"
    (project_dir / "new.txt").write_text(text, encoding="utf-8")
    args = ["tag", "--codebook", "codebook.yaml", "--group", "young-person", "new.txt"]
    r = run(args, cwd=project_dir)
    assert r.exit_code == 0, r.output
    assert "learned model of this project used (light backend" in r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    [turn] = [x for x in rows if x["participant"]]
    found = [c for c in turn["codes"] if c["rule"] == "model"]
    assert [c["id"] for c in found] == ["environment"] and found[0]["confidence"] >= 0.7 and found[0]["evidence"]["words"]
    r = run([*args[:-1], "--model", "off", "new.txt"], cwd=project_dir)
    assert "learned model" not in r.stderr and all(c["rule"] != "model" for x in map(json.loads, r.stdout.splitlines())
                                                   for c in x["codes"])
    # outside any project: rules only, nothing said about a model; --model require is an error there
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "new.txt").write_text(text, encoding="utf-8")
    (tmp_path / "out" / "codebook.yaml").write_text((project_dir / "codebook.yaml").read_text(), encoding="utf-8")
    r = run(args, cwd=tmp_path / "out")
    assert r.exit_code == 0 and "learned model" not in r.stderr
    r = run([*args[:-1], "--model", "require", "new.txt"], cwd=tmp_path / "out")
    assert r.exit_code == 8 and "not inside a qualcode project" in r.stderr
