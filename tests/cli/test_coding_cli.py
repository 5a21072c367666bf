"""Manual coding, autocode, tag and evaluate through the CLI on the two-transcript project."""
from __future__ import annotations

import json

from tests.conftest import TINY_CODEBOOK, run


def segments(root, *args):
    r = run(["segments", "--format", "json", *args], cwd=root)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_code_add_by_quote_offsets_and_unit(project_dir):
    r = run(["code", "add", "yp-D3", "environment", "--quote", "Privacy is very important.", "--exemplar",
             "--memo", "clear statement"], cwd=project_dir)
    assert r.exit_code == 0, r.output
    [row] = segments(project_dir)
    assert (row["code"], row["text"], row["coder"], row["status"], row["exemplar"], row["memo"]) == (
        "environment", "Privacy is very important.", "analyst", "accepted", True, "clear statement")
    r = run(["code", "add", "yp-D3", "age", "--start", str(row["start"]), "--end", str(row["end"]), "--coder", "bea"],
            cwd=project_dir)
    assert r.exit_code == 0
    r = run(["code", "add", "lc-C1", "regular", "--unit", "1"], cwd=project_dir, env={"QUALCODE_CODER": "cam"})
    assert r.exit_code == 0
    rows = segments(project_dir)
    assert {(x["code"], x["coder"]) for x in rows} == {("environment", "analyst"), ("age", "bea"), ("regular", "cam")}
    unit = [x for x in rows if x["code"] == "regular"][0]
    assert unit["text"] == "Relationship that they have, that is directed to achieve certain goals."


def test_manual_coding_errors_are_clear(project_dir):
    cases = [
        (["code", "add", "yp-D3", "enviroment", "--quote", "Privacy"], "unknown code 'enviroment'", "environment"),
        (["code", "add", "nobody", "age", "--unit", "1"], "no transcript 'nobody'", ""),
        (["code", "add", "yp-D3", "age", "--start", "5", "--end", "99999"], "outside transcript 'yp-D3'", ""),
        (["code", "add", "yp-D3", "age", "--quote", "words nobody said"], "quote not found", ""),
        (["code", "add", "yp-D3", "age", "--unit", "42"], "has no unit 42", ""),
        (["code", "accept", "999"], "no coding with id 999", ""),
        (["code", "accept"], "say which codings", ""),
    ]
    for args, message, hint in cases:
        r = run(args, cwd=project_dir)
        assert r.exit_code != 0, args
        assert message in r.stderr and hint in r.stderr, (args, r.stderr)
        assert "Traceback" not in r.output
    assert segments(project_dir) == []


def test_autocode_is_idempotent_and_never_codes_interviewers(project_dir):
    r = run(["autocode"], cwd=project_dir)
    assert r.exit_code == 0, r.output
    first = segments(project_dir, "--coder", "qualcode:rules")
    got = {(x["transcript"], x["code"]) for x in first}
    # environment only applies to young people: C1's "privacy" is not coded; D3's "private school" is excluded
    assert got == {("yp-D3", "environment"), ("yp-D3", "regular"), ("yp-D3", "age")}
    assert all(x["status"] == "suggested" for x in first)
    assert not any(x["text"].startswith(("Welcome", "What mattered", "How often", "Does privacy")) for x in first)
    assert not any("private school" in x["text"] for x in first)
    r = run(["autocode"], cwd=project_dir)
    assert r.exit_code == 0 and "0 suggestion(s) added, 0 removed" in r.stderr
    assert segments(project_dir, "--coder", "qualcode:rules") == first


def test_dry_run_after_codebook_edit_shows_changes_and_writes_nothing(project_dir):
    assert run(["autocode"], cwd=project_dir).exit_code == 0
    before = segments(project_dir)
    edited = TINY_CODEBOOK.replace("          - near: {a: [age, young, old], b: [counsellor, therapist], within: 6}\n",
                                   "          - phrases: [thank you]\n")
    (project_dir / "codebook.yaml").write_text(edited, encoding="utf-8")
    r = run(["autocode", "--dry-run", "--format", "json"], cwd=project_dir)
    assert r.exit_code == 0, r.output
    changes = {(c["change"], c["code"], c["transcript"]) for c in json.loads(r.stdout)}
    assert ("-", "age", "yp-D3") in changes
    assert ("+", "age", "yp-D3") in changes or ("+", "age", "lc-C1") not in changes
    assert segments(project_dir) == before
    r = run(["autocode"], cwd=project_dir)
    assert r.exit_code == 0
    assert any(x["text"].startswith("Thank you.") for x in segments(project_dir, "--code", "age"))


def test_accept_and_reject_keep_decisions_across_autocode(project_dir):
    run(["autocode"], cwd=project_dir)
    rows = segments(project_dir, "--code", "age")
    assert run(["code", "reject", str(rows[0]["id"])], cwd=project_dir).exit_code == 0
    assert run(["code", "accept", "--code", "regular", "--status", "suggested", "--exemplar"], cwd=project_dir).exit_code == 0
    run(["autocode"], cwd=project_dir)
    statuses = {x["code"]: (x["status"], x["exemplar"]) for x in segments(project_dir)}
    assert statuses["age"] == ("rejected", False)
    assert statuses["regular"] == ("accepted", True)
    assert statuses["environment"] == ("suggested", False)


def test_recode_and_remove(project_dir):
    run(["code", "add", "yp-D3", "environment", "--quote", "Privacy is very important."], cwd=project_dir)
    [row] = segments(project_dir)
    assert run(["code", "edit", str(row["id"]), "--code", "regular"], cwd=project_dir).exit_code == 0
    assert segments(project_dir)[0]["code"] == "regular"
    assert run(["code", "remove", str(row["id"])], cwd=project_dir).exit_code == 0
    assert segments(project_dir) == []


def test_tag_jsonl_shape_from_stdin(tiny_codebook):
    text = "Interviewer: How was it?\nRespondent: Privacy is very important to me.\nRespondent: Nothing else.\n"
    r = run(["tag", "--codebook", str(tiny_codebook), "--group", "young-person", "-"], input=text)
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [x["unit"] for x in rows] == [0, 1, 2]
    assert rows[0]["codes"] == [] and rows[2]["codes"] == []
    assert {"unit", "speaker", "start", "end", "text", "codes"} <= set(rows[1])
    [code] = rows[1]["codes"]
    assert (code["id"], code["label"], code["domain"], code["rule"]) == (
        "environment", "Conducive environment", "Bond", "environment/phrases-1")
    assert code["evidence"]["text"] == "Privacy"
    assert rows[1]["text"] == "Privacy is very important to me."


def test_tag_group_limits(tiny_codebook):
    text = "Interviewer: Any thoughts?\nCounsellor: Privacy matters a lot.\n"
    r = run(["tag", "--codebook", str(tiny_codebook), "--group", "clinician", "-"], input=text)
    assert all(json.loads(line)["codes"] == [] for line in r.stdout.splitlines())


def test_evaluate_against_analyst_small_known_case(project_dir):
    # The analyst codes two D3 turns: turn 3 (environment) and turn 5 (age).
    run(["code", "add", "yp-D3", "environment", "--unit", "3"], cwd=project_dir)
    run(["code", "add", "yp-D3", "age", "--unit", "1"], cwd=project_dir)
    r = run(["evaluate", "--against", "analyst", "--format", "json"], cwd=project_dir)
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    # Rules predict: turn 3 environment (tp), turn 5 regular (fp), turn 5 age (fp); gold turn 1 age (fn).
    # tp=1 fp=2 fn=1 -> precision 1/3, recall 1/2, F1 = 2*(1/3)(1/2)/(5/6) = 0.4
    assert abs(data["micro"]["precision"] - 1 / 3) < 1e-9
    assert abs(data["micro"]["recall"] - 0.5) < 1e-9
    assert abs(data["micro"]["f1"] - 0.4) < 1e-9
    errors = {(e["kind"], e["unit"], e["code"]) for e in data["errors"]}
    assert errors == {("fp", "yp-D3#5", "regular"), ("fp", "yp-D3#5", "age"), ("fn", "yp-D3#1", "age")}


def test_codings_of_a_code_removed_from_the_codebook_are_reported_not_silently_dropped(project_dir):
    run(["code", "add", "yp-D3", "age", "--unit", "5"], cwd=project_dir)
    cb = project_dir / "codebook.yaml"
    cb.write_text(cb.read_text(encoding="utf-8").replace("id: age", "id: therapist-age"), encoding="utf-8")
    r = run(["report", "quotes", "--group", "young-person", "-o", "t.md"], cwd=project_dir)
    assert r.exit_code == 0
    assert "1 coding(s) use code id(s) not in this codebook" in r.stderr and "age" in r.stderr
    assert len(segments(project_dir, "--code", "age")) == 1  # still in the project


def test_recoded_suggestion_survives_autocode_and_dry_run_previews_the_real_run(project_dir):
    """A suggestion the analyst recoded is their decision: neither a codebook edit nor a re-run undoes it,
    and --dry-run shows exactly what the real run then does (the tutorial's recode, issue 15)."""
    run(["autocode"], cwd=project_dir)
    [age] = segments(project_dir, "--code", "age")
    assert run(["code", "edit", str(age["id"]), "--code", "environment"], cwd=project_dir).exit_code == 0
    dry = run(["autocode", "--dry-run", "--format", "json"], cwd=project_dir)
    assert dry.exit_code == 0 and json.loads(dry.stdout) == []
    assert "0 suggestion(s) added, 0 removed" in run(["autocode"], cwd=project_dir).stderr
    book = project_dir / "codebook.yaml"
    book.write_text(book.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # any edit re-tags everything
    dry = run(["autocode", "--dry-run", "--format", "json"], cwd=project_dir)
    assert dry.exit_code == 0 and json.loads(dry.stdout) == []
    run(["autocode"], cwd=project_dir)
    rows = [x for x in segments(project_dir) if (x["transcript"], x["start"], x["end"]) == (
        age["transcript"], age["start"], age["end"]) and x["code"] in ("age", "environment")]
    assert [(x["id"], x["code"]) for x in rows] == [(age["id"], "environment")]


def test_report_quotes_for_a_domain_that_does_not_exist_is_an_error_with_a_hint(project_dir):
    """A mistyped --domain used to end in "the codebook has no domains"; a domain is named by id or label."""
    r = run(["report", "quotes", "--domain", "Bnod", "-o", "t.md"], cwd=project_dir)
    assert r.exit_code != 0 and "unknown domain 'Bnod' (did you mean Bond?)" in r.stderr
    assert not (project_dir / "t.md").exists()
    for name in ("bond", "Bond"):
        assert run(["report", "quotes", "--domain", name, "-o", "t.md"], cwd=project_dir).exit_code == 0
        assert "Socio-demographics" not in (project_dir / "t.md").read_text(encoding="utf-8")
