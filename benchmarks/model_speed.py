"""Speed of the learned model (light backend): training on 2,000 coded turns (with the 5-fold
cross-validation `qualcode model train` runs) and scoring ~1M words of turns, cold (new process, model
loaded from its files). Texts: CaSiNo utterances (benchmarks/data/casino), repeated to reach the size.

    .venv/bin/python benchmarks/model_speed.py [--words 1000000]

Prints wall and CPU seconds and the peak resident memory of the process.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from learning_curve import read  # noqa: E402
from qualcode.engine.learned import Settings, train  # noqa: E402
from qualcode.engine.model_file import load_model, save_model  # noqa: E402


def timed(label: str, fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    print(f"{label}: {time.perf_counter() - w:.1f} s wall, {time.process_time() - c:.1f} s CPU")
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=1_000_000)
    args = ap.parse_args()
    train_rows = read("train")
    codes = sorted({c for e in train_rows for c in e.positives})
    model = timed(f"train on 2,000 turns, {len(codes)} codes, with 5-fold CV",
                  lambda: train(train_rows[:2000], codes, Settings()))
    texts, words = [], 0
    while words < args.words:
        for e in train_rows:
            texts.append(e.text)
            words += len(e.text.split())
            if words >= args.words:
                break
    with tempfile.TemporaryDirectory() as tmp:
        save_model(model, Path(tmp))
        loaded = timed("load the stored model", lambda: load_model(Path(tmp))[0])
        probs = timed(f"score {len(texts):,} turns ({words:,} words)", lambda: loaded.probabilities(texts))
    print(f"probabilities: {probs.shape}; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
