"""Rules alone, learned model alone, and the two combined (verifier + finder), on the blind set, and
what the verifier does on off-topic talk.

Training data: the four development files (statements, dev, dev2, dev3; 1,165 statements) and the
codebook's examples; never the blind set. The combination thresholds (``verify_below``,
``find_above``) are chosen without the blind set: leave-one-file-out over the four files gives every
development statement an out-of-fold probability, and the thresholds are those that maximise subtheme
micro-F1 of the combination on statements.csv, the one file the rules were not tuned on. Then the model
is trained on all four files and the blind set is scored once.

Off-topic talk: the 492 CaSiNo test utterances (campsite negotiations, benchmarks/data/casino), where
every working-alliance suggestion is wrong: how many the rules make, how many the verifier marks low,
how many the finder adds.

The semantic backend (``--backend semantic``, needs the extra ``qualcode[learn]``) adds all-MiniLM-L6-v2
sentence embeddings to the word features; each text is embedded once (an in-memory cache).

    .venv/bin/python benchmarks/model_layer.py [--set blind|blind-clean] [--backend light|semantic]
"""
from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from evaluate_rules import LEAKED, read_statements  # noqa: E402
from qualcode.codebook import load_codebook  # noqa: E402
from qualcode.coding.learn import codebook_examples, groups_of, learnable_codes  # noqa: E402
from qualcode.engine.combine import combine  # noqa: E402
from qualcode.engine.embed import cached_embed  # noqa: E402
from qualcode.engine.evaluate import evaluate  # noqa: E402
from qualcode.engine.learned import Example, Settings, train  # noqa: E402
from qualcode.engine.tagger import Tagger, Unit  # noqa: E402

EVAL = ROOT / "benchmarks/eval_set"
TRAIN_FILES = ["statements.csv", "dev_statements.csv", "dev2_statements.csv", "dev3_statements.csv"]
RULES_HELD_OUT = "statements.csv"
GRID_VERIFY = [0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3]
GRID_FIND = [0.5, 0.6, 0.7, 0.8, 0.9, 1.01]


def examples_of(rows: list[dict]) -> list[Example]:
    return [Example(r["text"], frozenset(r["gold"]), complete=True, ref=r["id"], group=r["group"] or None)
            for r in rows]


def rule_codes(tagger: Tagger, rows: list[dict]) -> dict[str, list[str]]:
    jobs = [(r["text"], [Unit(0, 0, len(r["text"]), "Respondent", True)], r["group"] or None) for r in rows]
    return {r["id"]: [s.code_id for s in res[0].suggestions] for r, res in zip(rows, tagger.tag_batch(jobs))}


def probabilities(model, book, rows: list[dict]) -> dict[str, dict[str, float]]:
    texts = [r["text"] for r in rows]
    p = model.probabilities(texts, model.embed(texts) if model.embed else None)
    out = {}
    for i, r in enumerate(rows):
        out[r["id"]] = {c: float(p[i, j]) for j, c in enumerate(model.codes)
                        if book.get(c).applies_to(r["group"] or None)}
    return out


def predict(kind: str, rules: dict, probs: dict, model, verify_below=0.0, find_above=1.01, margin=None) -> set:
    th = dict(zip(model.codes, model.thresholds()))
    relative = dict(thresholds=th, margin=margin) if margin is not None else {}
    pred = set()
    for uid, codes in rules.items():
        if kind == "rules":
            pred |= {(uid, c) for c in codes}
        elif kind == "model":
            pred |= {(uid, c) for c, p in probs[uid].items() if p >= th[c]}
        else:
            for d in combine(codes, probs[uid], verify_below=verify_below, find_above=find_above,
                             verify="drop", find=kind != "verifier", **relative):
                pred.add((uid, d.code))
    return pred


def report(pred, rows, book):
    gold = {(r["id"], c) for r in rows for c in r["gold"]}
    return evaluate(pred, gold, book, [r["id"] for r in rows])


def choose(rules, probs, model, rows, book) -> tuple[float, float]:
    scored = [(report(predict("combined", rules, probs, model, v, f), rows, book).micro.f1, -v, f, v)
              for v in GRID_VERIFY for f in GRID_FIND]
    best = max(scored)
    return best[3], best[2]


MARGINS = [0.0, 0.1, 0.2, 0.3, 0.4]


def choose_margin(rules, probs, model, rows, book) -> float:
    """The rule margin of the per-code-threshold combination with the best subtheme micro-F1 on ``rows``."""
    return max(MARGINS, key=lambda m: (report(predict("combined", rules, probs, model, margin=m), rows, book).micro.f1,
                                       -abs(m - 0.2)))


def line(label: str, rep) -> str:
    m, d = rep.micro, rep.domain_micro
    return (f"{label:34s} {m.precision:.3f}/{m.recall:.3f}/{m.f1:.3f}   {d.precision:.3f}/{d.recall:.3f}/{d.f1:.3f}"
            f"   {rep.negatives_uncoded:3d}/{rep.negatives} = {100 * rep.negatives_uncoded_share:5.1f} %")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", choices=["blind", "blind-clean"], default="blind")
    ap.add_argument("--backend", choices=["light", "semantic"], default="light")
    args = ap.parse_args()
    book = load_codebook(ROOT / "codebooks/working-alliance.yaml")
    tagger, codes, groups = Tagger(book), learnable_codes(book), groups_of(book)
    settings = Settings.for_backend(args.backend)
    embed = cached_embed() if args.backend == "semantic" else None
    files = {f: read_statements(EVAL / f) for f in TRAIN_FILES}
    extra = codebook_examples(book)

    oof_probs, oof_model = {}, None
    for held in TRAIN_FILES:  # leave one development file out
        fit_rows = [r for f in TRAIN_FILES if f != held for r in files[f]]
        fold_model = train(examples_of(fit_rows) + extra, codes, settings, groups, embed)
        oof_probs.update(probabilities(fold_model, book, files[held]))
        if held == RULES_HELD_OUT:
            oof_model = fold_model  # its thresholds go with the held-out file's probabilities
    held = files[RULES_HELD_OUT]
    held_rules, held_probs = rule_codes(tagger, held), {r["id"]: oof_probs[r["id"]] for r in held}
    verify_below, find_above = choose(held_rules, held_probs, oof_model, held, book)
    margin = choose_margin(held_rules, held_probs, oof_model, held, book)

    t0 = time.perf_counter()
    all_rows = [r for f in TRAIN_FILES for r in files[f]]
    model = train(examples_of(all_rows) + extra, codes, settings, groups, embed)
    train_s = time.perf_counter() - t0
    blind = read_statements(EVAL / "blind_statements.csv")
    if args.set == "blind-clean":
        blind = [r for r in blind if r["id"] not in LEAKED]
    rules, probs = rule_codes(tagger, blind), probabilities(model, book, blind)
    print(f"backend: {args.backend}")
    print(f"{args.set}: {len(blind)} statements ({sum(1 for r in blind if not r['gold'])} with no code); model "
          f"trained on {len(all_rows)} development statements + {len(extra)} codebook examples in {train_s:.1f} s "
          f"(with 5-fold CV)")
    print(f"thresholds chosen on {RULES_HELD_OUT} out-of-fold (not on the blind set): verify_below={verify_below}, "
          f"find_above={find_above}; rule margin of the per-code combination: {margin} (qualcode model train "
          f"uses {settings.rule_margin})")
    print(f"{'':34s} {'subtheme P/R/F1':>17s}   {'domain P/R/F1':>17s}   no-code uncoded")
    print(line("rules alone", report(predict("rules", rules, probs, model), blind, book)))
    print(line("model alone (per-code CV thresh.)", report(predict("model", rules, probs, model), blind, book)))
    print(line(f"rules + verifier (drop < {verify_below})",
               report(predict("verifier", rules, probs, model, verify_below), blind, book)))
    print(line(f"rules + finder (>= {find_above})", report(predict("combined", rules, probs, model, 0.0, find_above),
                                                         blind, book)))
    print(line("rules + verifier + finder", report(predict("combined", rules, probs, model, verify_below, find_above),
                                                   blind, book)))
    for m in sorted({margin, settings.rule_margin} - {None}):
        print(line(f"rules + model, per-code thr. m={m}", report(predict("combined", rules, probs, model, margin=m),
                                                                 blind, book)))
    off_topic(tagger, model, book, verify_below, find_above)
    return 0


def off_topic(tagger, model, book, verify_below: float, find_above: float) -> None:
    with (ROOT / "benchmarks/data/casino/strategies_test.csv").open(encoding="utf-8", newline="") as f:
        utts = list(csv.DictReader(f))
    for group in ("young-person", "clinician"):
        rows = [dict(id=u["id"], text=u["text"], group=group, gold=[]) for u in utts]
        rules, probs = rule_codes(tagger, rows), probabilities(model, book, rows)
        n_rules = sum(len(c) for c in rules.values())
        low = sum(1 for uid, cs in rules.items() for c in cs if probs[uid].get(c, 1.0) < verify_below)
        found = sum(1 for uid, cs in rules.items() for c, p in probs[uid].items() if c not in cs and p >= find_above)
        print(f"off-topic ({len(rows)} CaSiNo utterances as {group} turns): rules suggest {n_rules} (all wrong); "
              f"verifier marks {low} low ({100 * low / max(n_rules, 1):.0f} %); finder adds {found}")


if __name__ == "__main__":
    sys.exit(main())
