"""Unknown ids in filters are errors with "did you mean"; --by ATTRIBUTE percentages are within each group."""
from __future__ import annotations

import json

from tests.conftest import run


def test_a_typo_in_a_filter_is_an_error_not_an_empty_list(project_dir):
    assert run(["autocode"], cwd=project_dir).exit_code == 0
    run(["code", "add", "yp-D3", "age", "--quote", "Privacy is very important."], cwd=project_dir)  # coder analyst
    cases = [(["segments", "--code", "enviroment"], "unknown code 'enviroment' (did you mean environment"),
             (["segments", "--group", "young-persn"], "unknown group 'young-persn' (did you mean young-person"),
             (["segments", "--participant", "D33"], "unknown participant 'D33' (did you mean D3"),
             (["segments", "--coder", "anlyst"], "unknown coder 'anlyst' (did you mean analyst"),
             (["code", "accept", "--code", "enviroment"], "unknown code 'enviroment'"),
             (["code", "remove", "--group", "clinican"], "unknown group 'clinican' (did you mean clinician"),
             (["segments", "--uncoded", "--group", "clinican"], "unknown group 'clinican'")]
    for args, message in cases:
        result = run(args, cwd=project_dir)
        assert result.exit_code == 5, (args, result.stdout)
        assert message in result.stderr, (args, result.stderr)
    assert run(["segments", "--code", "environment"], cwd=project_dir).exit_code == 0


def test_frequencies_by_an_attribute_count_within_each_group(project_dir):
    run(["code", "add", "yp-D3", "environment", "--quote", "Privacy is very important."], cwd=project_dir)
    run(["code", "add", "lc-C1", "age", "--quote", "privacy matters a lot"], cwd=project_dir)
    result = run(["report", "frequencies", "--by", "gender", "--format", "json"], cwd=project_dir)
    assert result.exit_code == 0, result.stderr
    rows = {(r["code"], r["group"], r["gender"]): r for r in json.loads(result.stdout)}
    # D3 is the only young woman: 1 of 1, not 1 of the 2 women in the study (C1 is a clinician)
    env = rows[("environment", "young-person", "female")]
    assert (env["participants"], env["participants_total"], env["percent_participants"]) == (1, 1, 100.0)
    assert ("environment", "clinician", "female") not in rows        # a young people's code
    assert rows[("age", "clinician", "female")]["participants_total"] == 1
