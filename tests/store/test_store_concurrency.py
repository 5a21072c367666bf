"""Two coders coding the same project at the same time: no coding is lost or duplicated.

Two processes (each its own interpreter and store connection, as two coders' terminals would be) add
codings one transaction at a time through ``qualcode.coding.manual.add_coding``. Both add some of the
same codings under the same coder name (the unique key must keep exactly one of each), and each adds
codings under its own name (all must be there). Runs on SQLite (WAL, busy timeout) and PostgreSQL.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from qualcode.store import open_project
from qualcode.store.codings import query_codings
from tests.team.builders import make_team_project

REPO = Path(__file__).resolve().parents[2]
N = 40  # codings per process per coder name
OVERLAP = 20  # how many of them both processes add as the shared coder

WORKER = """\
import sys, time
from pathlib import Path
from qualcode.coding.manual import add_coding
from qualcode.store import open_project

root, me, first, count, go = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5])
project = open_project(root)
(root / f"ready-{me}").write_text("ok")
deadline = time.time() + 60
while not go.exists():
    if time.time() > deadline:
        sys.exit("never told to start")
    time.sleep(0.01)
began = time.time()
for i in range(first, first + count):
    shared = add_coding(project, "yp-T1", "env", "shared", start=i, end=i + 7)
    own = add_coding(project, "yp-T1", "regular", me, start=i, end=i + 3)
    assert (shared.start, own.start) == (i, i), (shared, own)
print("done", me, began, time.time())
"""


def test_two_processes_coding_at_once_lose_and_duplicate_nothing(tmp_path, store_url):
    root = tmp_path / "p"
    make_team_project(root, store_url)
    script = tmp_path / "worker.py"
    script.write_text(WORKER, encoding="utf-8")
    go = tmp_path / "go"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    starts = {"P1": 0, "P2": N - OVERLAP}
    procs = {name: subprocess.Popen([sys.executable, str(script), str(root), name, str(first), str(N), str(go)],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for name, first in starts.items()}
    deadline = time.time() + 120
    while not all((root / f"ready-{n}").exists() for n in procs):
        assert time.time() < deadline, "workers did not start"
        assert all(p.poll() is None for p in procs.values()), [p.communicate() for p in procs.values()]
        time.sleep(0.05)
    go.write_text("go")
    spans_in_time = []
    for name, p in procs.items():
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, f"{name} failed:\n{err}"
        _, who, began, ended = out.split()
        assert who == name
        spans_in_time.append((float(began), float(ended)))
    assert max(b for b, _ in spans_in_time) < min(e for _, e in spans_in_time)  # they really overlapped

    project = open_project(root)
    with project.engine.connect() as conn:
        shared = query_codings(conn, coder="shared")
        own = {n: query_codings(conn, coder=n) for n in procs}
    spans = [(c.start, c.end, c.code_id) for c in shared]
    expected = {(i, i + 7, "env") for i in range(0, 2 * N - OVERLAP)}
    assert len(spans) == len(set(spans)) == len(expected)  # none duplicated
    assert set(spans) == expected  # none lost
    for name, first in starts.items():
        assert sorted(c.start for c in own[name]) == list(range(first, first + N))


def test_two_autocode_runs_recording_the_same_transcript_at_once_both_succeed(tmp_path, store_url):
    """autocode records what each transcript was coded with. Recorded as delete-then-insert, a second run
    finishing while the first had not committed got a duplicate key on PostgreSQL (exit 70): an upsert now."""
    import threading

    from qualcode.store.autocode_state import load_state, save_state
    from qualcode.store.transcripts import list_transcripts

    root = tmp_path / "p"
    make_team_project(root, store_url)
    project = open_project(root)
    with project.engine.connect() as conn:
        tid = list_transcripts(conn)[0].id
    errors = []

    def second_run():
        try:
            with project.engine.begin() as conn:
                save_state(conn, "qualcode:rules", "turn", {tid: ("cb-2", "text")})
        except Exception as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    with project.engine.connect() as first:
        tx = first.begin()
        save_state(first, "qualcode:rules", "turn", {tid: ("cb-1", "text")})
        other = threading.Thread(target=second_run)
        other.start()
        time.sleep(2)  # the second run is now waiting for the first one's row
        tx.commit()
    other.join(60)
    assert errors == []
    with project.engine.connect() as conn:
        assert load_state(conn, "qualcode:rules", "turn")[tid] == ("cb-2", "text")
