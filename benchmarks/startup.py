"""Seconds the everyday commands take, each in a fresh process, on a copy of the bundled study.

Prints a table (median wall time of several runs, median CPU time, the target from issue 13) and the
machine's load average, which matters on a shared machine: CPU seconds move less with load than wall
seconds. Prints, never asserts.

Run: .venv/bin/python benchmarks/startup.py [--runs 5] [--only status,tag] [--modules] [--source DIR]
(`make bench` runs it.) --source DIR times the qualcode package found in DIR instead (e.g. a `git worktree`
of an older commit), with the same interpreter and libraries: a before/after under the same load.
The first row, a bare `python -c pass`, shows what the load does to any process.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
ENV = {**os.environ, "COLUMNS": "120"}
HEAVY = ("pandas", "spacy", "openpyxl", "docx", "matplotlib", "textual", "numpy", "sqlalchemy",
         "sqlalchemy.dialects.postgresql", "yaml")

# The review app drawn headless (Textual's pilot) through the real `qualcode review` command; the app
# exits as soon as its first screen is drawn: the transcript with the current suggestion marked (▶) and
# its quote visible.
REVIEW = """
import sys
from qualcode.review.app import ReviewApp

def first_screen(self, *args, **kwargs):
    import asyncio

    async def draw():
        async with self.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            drawn = "\\n".join(strip.text for strip in self.screen._compositor.render_strips())
            row = self.current
            assert row is not None and "▶" in drawn and row.snippet.split()[0] in drawn, "no suggestion shown"
    asyncio.run(draw())

ReviewApp.run = first_screen
for stream in (sys.stdin, sys.stdout):
    stream.isatty = lambda: True  # the command refuses to start without a terminal
from qualcode.cli import main
sys.argv = ["qualcode", *sys.argv[1:]]
main()
"""


def setup(root: Path) -> dict:
    """A copy of the bundled study with transcripts imported and autocoded (not timed)."""
    shutil.copy(REPO / "qualcode.toml", root)
    for folder in ("codebooks", "transcripts"):
        shutil.copytree(REPO / folder, root / folder)
    transcripts = sorted(str(p.relative_to(root)) for p in (root / "transcripts").iterdir()
                         if p.suffix in (".txt", ".docx", ".vtt"))
    qc(root, "import", *transcripts, "--participants", "transcripts/roster.csv")
    qc(root, "autocode")
    rows = json.loads(qc(root, "segments", "--status", "suggested", "--format", "json"))
    return {"ids": [str(r["id"]) for r in rows], "code": rows[0]["code"]}


def setup_long(root: Path) -> Path:
    """A project whose one transcript is yp-D3 fourteen times over (420 turns, 12,000 words, a
    two-hour interview): the review app's first screen should not grow with the transcript."""
    long = root / "long"
    shutil.copytree(root / "codebooks", long / "codebooks")
    shutil.copy(REPO / "qualcode.toml", long)
    (long / "transcripts").mkdir()
    shutil.copy(root / "transcripts" / "roster.csv", long / "transcripts")
    turns = [line for line in (REPO / "transcripts" / "yp-D3.txt").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    (long / "transcripts" / "yp-D3.txt").write_text("\n\n".join(turns * 14) + "\n", encoding="utf-8")
    qc(long, "import", "transcripts/yp-D3.txt", "--participants", "transcripts/roster.csv")
    qc(long, "autocode")
    return long


def qc(root: Path, *args: str) -> str:
    done = subprocess.run([PY, "-m", "qualcode.cli", "--project", str(root), "-q", *args], cwd=root,
                          capture_output=True, text=True, env=ENV)
    if done.returncode:
        sys.exit(f"setup failed: qualcode {' '.join(args)}\n{done.stderr}")
    return done.stdout


def commands(root: Path, found: dict) -> list[tuple[str, float, list[list[str]]]]:
    """(label, target seconds, one argv per run) for each command timed."""
    base = [PY, "-m", "qualcode.cli", "--project", str(root)]
    ids = iter(found["ids"])
    tag = [PY, "-m", "qualcode.cli", "tag", "--codebook", "codebooks/working-alliance.yaml",
           "--group", "young-person", "transcripts/yp-D3.txt"]
    return [
        ("python -c pass (no qualcode)", 0.0, [[PY, "-c", "pass"]]),
        ("qualcode --version", 0.25, [[*base, "--version"]]),
        ("qualcode --help", 0.25, [[*base, "--help"]]),
        ("status", 0.6, [[*base, "status"]]),
        (f"segments --code {found['code']}", 0.6, [[*base, "segments", "--code", found["code"]]]),
        ("transcripts list", 0.6, [[*base, "transcripts", "list"]]),
        ("code accept ID", 0.6, [[*base, "code", "accept", next(ids)] for _ in range(RUNS)]),
        ("report quotes -o table3.docx", 1.2,
         [[*base, "report", "quotes", "--group", "young-person", "-o", "out/table3.docx"]]),
        ("review (first screen)", 1.5, [[PY, "-c", REVIEW, "--project", str(root), "review"]]),
        ("review, a 420-turn transcript", 0.0,
         [[PY, "-c", REVIEW, "--project", str(found["long"]), "review"]]),
        ("tag yp-D3.txt", 2.5, [tag]),
    ]


def time_run(argv: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        sys.exit(f"failed: {' '.join(argv[-4:])}\n{done.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def heavy_modules(argv: list[str], cwd: Path) -> list[str]:
    """Which heavy libraries the command imported (run once more under -X importtime)."""
    done = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], cwd=cwd, capture_output=True, text=True, env=ENV)
    loaded = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    return [m for m in HEAVY if m in loaded]


RUNS = 5


def main() -> None:
    global RUNS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated words; time the commands containing one")
    parser.add_argument("--modules", action="store_true", help="also list the heavy libraries each imports")
    parser.add_argument("--source", type=Path, help="time the qualcode package in this folder instead")
    args = parser.parse_args()
    RUNS = args.runs
    if args.source:
        ENV["PYTHONPATH"] = str(args.source.resolve())
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "out").mkdir()
        found = setup(root)
        found["long"] = setup_long(root)
        table = commands(root, found)
        load_before = os.getloadavg()[0]
        print(f"{'command':<32} {'wall s':>7} {'cpu s':>6} {'target':>6}  ok  (median of {RUNS} runs)")
        for label, target, argvs in table:
            if args.only and not any(w in label for w in args.only.split(",")):
                continue
            runs = [time_run(argvs[i % len(argvs)], root) for i in range(RUNS)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            extra = f"  {', '.join(heavy_modules(argvs[0], root))}" if args.modules else ""
            verdict = "" if not target else "yes" if wall <= target else "NO "
            print(f"{label:<32} {wall:7.2f} {cpu:6.2f} {target:6.2f}  {verdict}{extra}")
        print(f"load average (1 min) {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, "
              f"on {os.cpu_count()} CPUs; wall time grows with load, CPU time much less")


if __name__ == "__main__":
    main()
