"""Re-runs with nothing changed, end to end, in a project with a trained model (`model_speed.py --rerun`).

Each step is the `qualcode` command a user types, in its own process (start-up included); wall and
CPU seconds and peak RSS are the process's own (os.wait4).
"""
from __future__ import annotations

import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autocode import build

REPO = Path(__file__).resolve().parents[1]
DEV_FILES = ["statements.csv", "dev_statements.csv", "dev2_statements.csv", "dev3_statements.csv"]


def qualcode(folder: Path, *args: str) -> dict:
    """Run ``qualcode --project folder args``: wall s, CPU s (user + system), peak RSS MB, stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "qualcode.cli", "--project", str(folder), *args],
                                stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if proc.returncode:
        raise SystemExit(f"qualcode {' '.join(args)} failed ({proc.returncode}):\n{stderr}")
    return dict(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss=usage.ru_maxrss / 1024, stderr=stderr)


def examples_csv(folder: Path) -> Path:
    """The four development files as one --examples CSV (never the blind set)."""
    path = folder / "examples.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "group", "text", "codes"])
        for name in DEV_FILES:
            with (REPO / "benchmarks/eval_set" / name).open(encoding="utf-8", newline="") as src:
                for r in csv.DictReader(src):
                    w.writerow([f"{name}:{r['id']}", r["group"], r["text"], r["codes"]])
    return path


def show(label: str, r: dict) -> None:
    print(f"{label}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, peak RSS {r['rss']:.0f} MB", flush=True)


def says(stderr: str) -> str:
    """What the command told the user (its messages on stderr), on one line."""
    return " | ".join(ln.strip() for ln in stderr.strip().splitlines() if ln.strip())


def rerun(backend: str, words: int, repeat: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build(folder, words)
        files = sorted(str(p) for p in (folder / "files").iterdir())
        show(f"import {len(files)} transcripts", qualcode(folder, "--quiet", "import", *files))
        show("autocode (rules)", qualcode(folder, "--quiet", "autocode"))
        train = ["model", "train", "--backend", backend, "--examples", str(examples_csv(folder))]
        first = qualcode(folder, *train)
        show(f"model train --backend {backend} (1,210 examples)", first)
        print(f"  says: {says(first['stderr'])}")
        show("autocode with the model (its first pass)", qualcode(folder, "autocode"))
        runs: dict[str, list[dict]] = {"autocode": [], "model train": []}
        for _ in range(repeat):
            runs["autocode"].append(qualcode(folder, "autocode"))
            runs["model train"].append(qualcode(folder, *train))
        for name, rs in runs.items():
            each = ", ".join(f"{r['wall']:.2f}/{r['cpu']:.2f}" for r in rs)
            print(f"{name} again, nothing changed: median {statistics.median(r['wall'] for r in rs):.2f} s wall, "
                  f"{statistics.median(r['cpu'] for r in rs):.2f} s CPU (each run wall/CPU: {each}); "
                  f"peak RSS {max(r['rss'] for r in rs):.0f} MB   (target <= 5 s)")
            print(f"  says: {says(rs[-1]['stderr'])}")
        show("code accept --status suggested (new decisions)", qualcode(folder, "--quiet", "code", "accept",
                                                                       "--status", "suggested"))
        again = qualcode(folder, *train)
        show("model train after them" + (" (their turns' vectors already in the store)" if backend == "semantic"
                                          else ""), again)
        print(f"  says: {says(again['stderr'])}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0
