"""How many coded examples does the learned model need? CaSiNo strategy annotations, a codebook other
than the working-alliance one, coded by people (benchmarks/data/casino, CC BY 4.0, see ORIGIN.md).

Codes: the 9 strategies; `non-strategic` utterances are "no code" (every code a negative). The model
(qualcode.engine.learned, the light backend: word n-gram TF-IDF + one logistic regression per code,
the settings `qualcode model train` uses) trains on N utterances drawn from the train split (seeded,
several draws, mean reported) and is scored once on the test split, each code at the threshold its cross-validation on the
training sample chose (as `qualcode model train` does).

The semantic backend (``--backend semantic``; needs the extra ``qualcode[learn]``) adds all-MiniLM-L6-v2
sentence embeddings to the word features; every utterance is embedded once per run. ``--split valid``
scores on the validation split instead (for choosing settings without touching the test split).

    .venv/bin/python benchmarks/learning_curve.py [--backend light|semantic|both] [--draws 3] [--per-code]
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qualcode.engine.embed import cached_embed  # noqa: E402
from qualcode.engine.learned import Example, Settings, train as train_model  # noqa: E402

DATA = ROOT / "benchmarks/data/casino"
NONE = "non-strategic"
SIZES = [50, 100, 200, 400, 1000, None]  # None = all training utterances
BASELINE = {100: 0.45, 200: 0.50, 400: 0.51, 1000: 0.54, None: 0.56}  # MiniLM + logistic regression (issue 10)


def read(split: str) -> list[Example]:
    with (DATA / f"strategies_{split}.csv").open(encoding="utf-8", newline="") as f:
        return [Example(r["text"], frozenset(c for c in r["codes"].split(";") if c and c != NONE), complete=True,
                        ref=r["id"]) for r in csv.DictReader(f)]


def scores(model, test: list[Example], codes: list[str], threshold: float | None = None) -> dict:
    """Per-code and micro/macro P/R/F1; each code at its cross-validated threshold unless given one."""
    texts = [e.text for e in test]
    p = model.probabilities(texts, model.embed(texts) if model.embed else None)
    p = p - (model.thresholds() if threshold is None else threshold)
    p = p + 0.5
    per = {}
    tot = [0, 0, 0]
    for code in codes:
        j = model.codes.index(code) if code in model.codes else None
        tp = fp = fn = 0
        for i, e in enumerate(test):
            pred = j is not None and p[i, j] >= 0.5
            gold = code in e.positives
            tp += pred and gold
            fp += pred and not gold
            fn += gold and not pred
        per[code] = _prf(tp, fp, fn)
        tot = [tot[0] + tp, tot[1] + fp, tot[2] + fn]
    micro = _prf(*tot)
    macro = sum(v[2] for v in per.values()) / len(per)
    return dict(per=per, micro=micro, macro=macro)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=3, help="random training draws per N (mean reported)")
    ap.add_argument("--per-code", action="store_true", help="per-code P/R/F1 with all training utterances")
    ap.add_argument("--backend", choices=["light", "semantic", "both"], default="both")
    ap.add_argument("--split", choices=["test", "valid"], default="test", help="the split scored")
    ap.add_argument("--embed-weight", type=float, default=Settings().embed_weight)
    args = ap.parse_args()
    train, test = read("train"), read(args.split)
    codes = sorted({c for e in train for c in e.positives})
    for backend in (["light", "semantic"] if args.backend == "both" else [args.backend]):
        settings = Settings(backend=backend, embed_weight=args.embed_weight)
        embed = cached_embed() if backend == "semantic" else None
        print(f"\nCaSiNo strategies: train {len(train)}, {args.split} {len(test)} utterances, {len(codes)} codes; "
              f"{backend} backend: word/pair/stem TF-IDF{' + MiniLM embeddings' if embed else ''} + logistic "
              f"regression per code, C={settings.c}, per-code CV thresholds")
        curve(train, test, codes, settings, embed, args)
    return 0


def curve(train, test, codes, settings, embed, args) -> None:
    print(f"{'N':>6s}  {'micro P/R/F1':>17s}  {'macro F1':>8s}  {'baseline micro F1':>17s}  {'train s':>7s}")
    last = None
    for n in SIZES:
        runs = []
        draws = 1 if n is None else args.draws
        for seed in range(draws):
            sample = train if n is None else random.Random(seed).sample(train, n)
            t0 = time.perf_counter()
            model = train_model(sample, codes, settings, embed=embed)
            runs.append((scores(model, test, codes), time.perf_counter() - t0))
        mean = lambda f: sum(f(r) for r, _ in runs) / len(runs)  # noqa: E731
        mp, mr, mf = (mean(lambda r, k=k: r["micro"][k]) for k in range(3))
        base = BASELINE.get(n)
        print(f"{(n or len(train)):>6d}  {mp:.3f}/{mr:.3f}/{mf:.3f}  {mean(lambda r: r['macro']):8.3f}  "
              f"{(f'{base:.2f}' if base else '-'):>17s}  {sum(t for _, t in runs) / len(runs):7.2f}")
        last = runs[0][0]
    if args.per_code and last:
        print(f"\nper code, all {len(train)} training utterances:")
        for code, (p, r, f) in last["per"].items():
            print(f"  {code:22s} {p:.3f}/{r:.3f}/{f:.3f}  (test positives {sum(code in e.positives for e in test)})")


if __name__ == "__main__":
    sys.exit(main())
