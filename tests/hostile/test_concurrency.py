"""Three processes at once on one SQLite project: no unique-constraint crash (issue 17)."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def _three(args_list, cwd):
    procs = [subprocess.Popen([sys.executable, "-m", "qualcode.cli", *args], cwd=cwd, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
             for args in args_list]
    return [(p.wait(timeout=300), p.stderr.read()) for p in procs]


def test_three_concurrent_imports_of_one_new_participant(project_dir):
    (project_dir / "r9.csv").write_text("id,group\nE9,young-person\n", encoding="utf-8")
    for i in range(3):
        (project_dir / f"yp-E9-{i}.txt").write_text(f"Interviewer: Hi?\nRespondent E9: ok {i}.\n", encoding="utf-8")
    for code, stderr in _three([["import", f"yp-E9-{i}.txt", "--participants", "r9.csv"] for i in range(3)], project_dir):
        assert code == 0, stderr


def test_three_concurrent_autocodes_of_a_new_codebook_version(project_dir):
    with open(project_dir / "codebook.yaml", "a", encoding="utf-8") as fh:
        fh.write("# edited\n")
    for code, stderr in _three([["autocode"]] * 3, project_dir):
        assert code == 0, stderr
