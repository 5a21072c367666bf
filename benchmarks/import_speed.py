"""Import speed: N transcripts of W words each (default 1,000 x 5,000) in one `qualcode import`.

Writes the transcripts (a therapist and a client alternating, with a title line, a malformed
timestamp every 200 turns and an unknown speaker, so every check of the import runs and every
warning path is stored), then times, in a fresh project:

  (a) reading and checking alone (`import --check`, writes nothing),
  (b) the whole import (one transaction: transcripts, turns, speakers, warnings).

Prints files, words, wall-clock and CPU seconds (this process; the import is single-threaded, so
CPU seconds are what an otherwise idle machine would take, near enough) and words per second for
each, and the turns and warnings stored. Target (issue 11): (b) <= 60 s on the 2-core machine.
On a shared, loaded machine report both figures and the load average (`uptime`).
Run:  .venv/bin/python benchmarks/import_speed.py [--files 1000] [--words 5000]
"""
from __future__ import annotations

import argparse
import os
import random
import sqlite3
import tempfile
import time
from pathlib import Path

WORDS = ("the clinic was far so I walked most days and my mother said I should stop but the "
         "counsellor listened and we set goals together every week which helped me a lot").split()


def write_transcripts(folder: Path, files: int, words: int) -> int:
    rng = random.Random(11)
    total = 0
    for n in range(files):
        lines = [f"Transcript {n}: weekly session", ""]
        count, turn = 0, 0
        while count < words:
            size = rng.randint(8, 90)
            said = " ".join(rng.choice(WORDS) for _ in range(size))
            speaker = "Therapist" if turn % 2 == 0 else ("Client" if turn % 50 != 25 else "Mother")
            stamp = f"[00:{turn // 60 % 60:02d}:{turn % 60:02d}]" if turn % 200 else "[00:09:025]"
            lines.append(f"{stamp} {speaker}: {said}")
            count += size
            turn += 1
        total += count
        (folder / f"session-{n:04d}.txt").write_text("\n".join(lines) + "\n[End of recording]\n", encoding="utf-8")
    return total


def timed(label: str, fn, words: int, files: int) -> float:
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<28} {files:>6} files {words:>10,} words {seconds:8.1f} s wall {cpu:8.1f} s CPU "
          f"{words / seconds:>10,.0f} words/s")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--words", type=int, default=5000)
    args = parser.parse_args()
    from qualcode.importing import check_files, import_files
    from qualcode.store import init_project

    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "files"
        folder.mkdir()
        words = write_transcripts(folder, args.files, args.words)
        paths = sorted(folder.glob("*.txt"))
        project = init_project(Path(tmp) / "project", name="bench")
        timed("(a) import --check", lambda: check_files(project, paths, group="bench"), words, len(paths))
        seconds = timed("(b) import (one transaction)", lambda: import_files(project, paths, group="bench"),
                        words, len(paths))
        db = Path(tmp) / "project" / ".qualcode" / "project.db"
        with sqlite3.connect(db) as con:
            turns, warnings = (con.execute(f"select count(*) from {t}").fetchone()[0]
                               for t in ("turns", "transcript_warnings"))
        print(f"stored: {turns:,} turns, {warnings:,} warnings; target (b) <= 60 s: "
              f"{'met' if seconds <= 60 else 'NOT met'}")


if __name__ == "__main__":
    main()
