"""De-identification speed at about 1 million words.

Builds a corpus by copying the bundled .txt transcripts and the leak-test interview
(tests/fixtures/deidentify/interview.txt) until it holds ~1M words, then times the detection and
rewriting that `qualcode deidentify` does on transcripts (qualcode.deidentify.detector.Detector:
Presidio's recognisers, our patterns, nicknames, names list, NER when installed, then the rewrite
with pseudonyms), without the store. Big jobs are shared among one process per CPU core
(``[deidentify] processes``; --processes N to choose). Runs --runs times and prints, for each run,
the wall time, the CPU time of this process and its workers, words per second, then the median, the
peak memory (RSS) of the main process and of the largest worker, and the machine's load average
before and after (the machine may be shared: CPU seconds say what the work cost when the wall time
is stretched by other jobs).

Run:  .venv/bin/python benchmarks/deidentify.py [--words 1000000] [--runs 2] [--no-ner] [--processes N]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def corpus(words: int) -> list[str]:
    sources = sorted((REPO / "transcripts").glob("*.txt")) + [REPO / "tests/fixtures/deidentify/interview.txt"]
    texts = [p.read_text(encoding="utf-8") for p in sources]
    out, total, i = [], 0, 0
    while total < words:
        text = texts[i % len(texts)]
        out.append(text)
        total += len(text.split())
        i += 1
    return out


def cpu_seconds() -> float:
    """User + system CPU time of this process and of its finished worker processes."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run_once(texts: list[str], model: str | None, processes: int | None) -> tuple[float, float, int]:
    from qualcode.deidentify.config import DeidConfig
    from qualcode.deidentify.detector import Detector
    from qualcode.deidentify.pseudonyms import Pseudonyms
    from qualcode.deidentify.rewrite import rewrite
    from qualcode.deidentify.terms import Term

    names = [Term("Tendai Moyo"), Term("Chipo Dube"), Term("Harare", "PLACE"), Term("Friendship Bench", "ORG")]
    start, cpu = time.perf_counter(), cpu_seconds()
    detector = Detector(DeidConfig(), names, model, processes)
    pseudonyms = Pseudonyms()
    found = 0
    for text, hits in zip(texts, detector.find_many(texts)):
        rewrite(text, hits, pseudonyms)
        found += len(hits)
    return time.perf_counter() - start, cpu_seconds() - cpu, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--no-ner", action="store_true", help="rules and Presidio only")
    parser.add_argument("--processes", type=int, default=None, help="default: one per CPU core for big jobs")
    args = parser.parse_args()
    from qualcode.deidentify import ner, parallel
    from qualcode.deidentify.recognisers import recognisers

    texts = corpus(args.words)
    words = sum(len(t.split()) for t in texts)
    model = None if args.no_ner else ner.installed_model()
    t0 = time.perf_counter()
    recognisers()
    if model:
        ner.load(model)
    processes = parallel.processes_for(texts, args.processes)
    print(f"corpus: {len(texts)} transcripts, {words} words; NER model: {model or 'none'}; processes: {processes}; "
          f"loading Presidio and the model here: {time.perf_counter() - t0:.1f}s (not in the times below; "
          f"workers' start-up is)")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs "
          f"({parallel.usable_cpus()} usable)")
    walls = []
    for i in range(args.runs):
        wall, cpu, found = run_once(texts, model, args.processes)
        walls.append(wall)
        print(f"run {i + 1}: wall {wall:.1f}s, CPU {cpu:.1f}s, {words / wall:,.0f} words/s, "
              f"{found} identifiers replaced")
    median = statistics.median(walls)
    print(f"median wall: {median:.1f}s for {words} words ({words / median:,.0f} words/s); "
          f"target <= 120s for 1M words with NER")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: main process {own:.0f} MB, largest worker {kids:.0f} MB")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
