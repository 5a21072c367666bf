"""Processes at once on one project, on SQLite and on PostgreSQL: no unique-constraint crash (issue 17).

PostgreSQL is the server named by ``QUALCODE_TEST_POSTGRES`` (as for tests/store): skipped locally
without it, a failure in CI (``CI=true``)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import C1, D3, REPO, ROSTER, TINY_CODEBOOK, run
from tests.store.conftest import pg_schema_url


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_project(request, tmp_path):
    """The tiny two-transcript project, its store on SQLite or on PostgreSQL."""
    urls = pg_schema_url("qc_race") if request.param == "postgresql" else iter([None])
    url = next(urls)
    root = tmp_path / "study"
    root.mkdir()
    for name, text in (("codebook.yaml", TINY_CODEBOOK), ("roster.csv", ROSTER), ("yp-D3.txt", D3), ("lc-C1.txt", C1)):
        (root / name).write_text(text, encoding="utf-8")
    store = ["--store", url] if url else []
    r = run(["init", str(root), "--codebook", "codebook.yaml", "--roster", "roster.csv", "--coder", "analyst", *store])
    assert r.exit_code == 0, r.output
    r = run(["import", "yp-D3.txt", "lc-C1.txt"], cwd=root)
    assert r.exit_code == 0, r.output
    yield root
    next(urls, None)  # drops the PostgreSQL schema


def _at_once(args_list, cwd):
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    procs = [subprocess.Popen([sys.executable, "-m", "qualcode.cli", *args], cwd=cwd, text=True, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for args in args_list]
    return [(p.wait(timeout=600), p.stderr.read()) for p in procs]


def _new_participant_imports(root, n=3):
    (root / "r9.csv").write_text("id,group\nE9,young-person\n", encoding="utf-8")
    for i in range(n):
        (root / f"yp-E9-{i}.txt").write_text(f"Interviewer: Hi?\nRespondent E9: ok, privacy {i}.\n", encoding="utf-8")
    return [["import", f"yp-E9-{i}.txt", "--participants", "r9.csv"] for i in range(n)]


def _edit_codebook(root):
    with open(root / "codebook.yaml", "a", encoding="utf-8") as fh:
        fh.write("# edited\n")


def test_three_concurrent_imports_of_one_new_participant(shared_project):
    for code, stderr in _at_once(_new_participant_imports(shared_project), shared_project):
        assert code == 0, stderr


def test_three_concurrent_autocodes_of_a_new_codebook_version(shared_project):
    _edit_codebook(shared_project)
    for code, stderr in _at_once([["autocode"]] * 3, shared_project):
        assert code == 0, stderr


def test_three_imports_and_three_autocodes_at_once(shared_project):
    _edit_codebook(shared_project)
    results = _at_once(_new_participant_imports(shared_project) + [["autocode"]] * 3, shared_project)
    for code, stderr in results:
        assert code == 0, stderr
    r = run(["transcripts", "list", "--format", "json"], cwd=shared_project)
    assert r.exit_code == 0 and all(f"yp-E9-{i}" in r.stdout for i in range(3)), r.output
