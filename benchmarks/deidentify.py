"""De-identification speed at about 1 million words.

Builds a corpus by copying the bundled .txt transcripts and the leak-test interview
(tests/fixtures/deidentify/interview.txt) until it holds ~1M words, then times the detection and
rewriting that `qualcode deidentify` does on transcripts (qualcode.deidentify.detector.Detector:
Presidio's recognisers, our patterns, nicknames, names list, NER when installed, then the rewrite
with pseudonyms), without the store. Runs each setting --runs times and prints every time, the
median, words per second and the machine's load average before and after (the machine may be shared).

Run:  .venv/bin/python benchmarks/deidentify.py [--words 1000000] [--runs 2] [--no-ner]
"""
from __future__ import annotations

import argparse
import os
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


def run_once(texts: list[str], model: str | None) -> tuple[float, int]:
    from qualcode.deidentify.config import DeidConfig
    from qualcode.deidentify.detector import Detector
    from qualcode.deidentify.pseudonyms import Pseudonyms
    from qualcode.deidentify.rewrite import rewrite
    from qualcode.deidentify.terms import Term

    names = [Term("Tendai Moyo"), Term("Chipo Dube"), Term("Harare", "PLACE"), Term("Friendship Bench", "ORG")]
    start = time.perf_counter()
    detector = Detector(DeidConfig(), names, model)
    pseudonyms = Pseudonyms()
    found = 0
    for text, hits in zip(texts, detector.find_many(texts)):
        rewrite(text, hits, pseudonyms)
        found += len(hits)
    return time.perf_counter() - start, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--no-ner", action="store_true", help="rules and Presidio only")
    args = parser.parse_args()
    from qualcode.deidentify import ner
    from qualcode.deidentify.recognisers import recognisers

    texts = corpus(args.words)
    words = sum(len(t.split()) for t in texts)
    model = None if args.no_ner else ner.installed_model()
    t0 = time.perf_counter()
    recognisers()
    if model:
        ner.load(model)
    print(f"corpus: {len(texts)} transcripts, {words} words; NER model: {model or 'none'}; "
          f"loading Presidio and the model: {time.perf_counter() - t0:.1f}s (once, not in the times below)")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    times = []
    for i in range(args.runs):
        seconds, found = run_once(texts, model)
        times.append(seconds)
        print(f"run {i + 1}: {seconds:.1f}s, {words / seconds:,.0f} words/s, {found} identifiers replaced")
    median = statistics.median(times)
    print(f"median: {median:.1f}s for {words} words ({words / median:,.0f} words/s); "
          f"target <= 120s for 1M words with NER")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
