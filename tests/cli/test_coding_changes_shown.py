"""Every command that changes codings prints what it changed: id, transcript, code and label, the text."""
from __future__ import annotations

from tests.conftest import run


def test_each_change_names_the_coding_its_code_label_and_text(project_dir):
    assert run(["autocode"], cwd=project_dir).exit_code == 0
    accepted = run(["code", "accept", "--code", "environment", "--transcript", "yp-D3", "--exemplar"], cwd=project_dir)
    assert accepted.exit_code == 0, accepted.stderr
    line = accepted.stdout.splitlines()[0]
    assert line.startswith("accepted as exemplar ") and "(was suggested)" in line
    assert 'yp-D3 (Respondent D3)  environment "Conducive environment"' in line
    assert '"Privacy is very important.' in line
    rid = int(line.split()[3])
    edited = run(["code", "edit", str(rid), "--code", "regular"], cwd=project_dir)
    assert edited.stdout.startswith(f"recoded {rid} (was environment)  yp-D3")
    assert '"Regular engagements"' in edited.stdout
    removed = run(["code", "remove", str(rid)], cwd=project_dir)
    assert removed.stdout.startswith(f"removed {rid}  yp-D3 (Respondent D3)  regular")


def test_add_shows_its_text_and_long_text_is_cut_on_screen(project_dir):
    long_quote = "There was not much space so I could overhear the other counsellor."
    added = run(["code", "add", "yp-D3", "age", "--quote", long_quote], cwd=project_dir)
    assert added.exit_code == 0 and added.stdout.strip().isdigit()
    assert 'age "Age"  "There was not much space so I could overhear the other counsellor."' in added.stderr
    from qualcode.cli.coding_views import short
    assert short("word " * 40).endswith("...") and len(short("word " * 40)) == 70
    assert short("a\nb   c") == "a b c"


def test_evaluate_explains_a_partial_gold_standard_and_can_compare_only_coded_turns(project_dir):
    run(["code", "add", "yp-D3", "environment", "--quote", "Privacy is very important."], cwd=project_dir)
    full = run(["evaluate", "--against", "analyst", "--format", "json"], cwd=project_dir)
    assert "coded 1 of the" in full.stderr and "--only-coded-turns" in full.stderr
    import json
    data = json.loads(full.stdout)
    assert data["coded_turns"] == 1 and data["all_turns"] > 2
    only = run(["evaluate", "--against", "analyst", "--only-coded-turns", "--format", "json"], cwd=project_dir)
    assert only.exit_code == 0 and "--only-coded-turns" not in only.stderr
    assert "1 units" in json.loads(only.stdout)["summary"]
