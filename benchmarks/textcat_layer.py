"""Experiment: would a locally trained text classifier help the rules? (a benchmark, not a feature)

Train spaCy ``textcat_multilabel`` models (blank English, no pretrained vectors, nothing downloaded;
one model per group, so a statement only gets its group's codes) on the rule authors' statements
(eval_set/statements.csv, dev_statements.csv, dev2_statements.csv), then score once on the
independently written eval_set/blind_statements.csv:

    rules        the codebook's rules alone (each statement tagged as one participant turn)
    classifier   codes whose probability >= t_clf
    union        rules OR classifier >= t_union
    fallback     rules; where no rule fired, the classifier's codes >= t_fallback
    vetted       rules AND classifier >= t_vet (a rule suggestion kept only if the model agrees)

Everything is chosen without the blind set, by leave-one-file-out cross-validation over the three
training files: the architecture and t_clf on the pooled out-of-fold predictions; the combination
thresholds on the statements.csv fold only, the one file the rules were not tuned on (on the other
two the rules are in-sample and would make any help from the classifier look smaller). Then the
chosen model is trained on all three files and the blind set is run once.

    .venv/bin/python benchmarks/textcat_layer.py
"""
from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import spacy  # noqa: E402
from spacy.training import Example  # noqa: E402
from spacy.util import fix_random_seed, minibatch  # noqa: E402

from evaluate_rules import read_statements  # noqa: E402
from qualcode.codebook import load_codebook  # noqa: E402
from qualcode.engine.evaluate import evaluate  # noqa: E402
from qualcode.engine.tagger import Tagger, Unit  # noqa: E402

SEED = 0
EVAL = ROOT / "benchmarks/eval_set"
TRAIN_FILES = ["statements.csv", "dev_statements.csv", "dev2_statements.csv"]
RULES_HELD_OUT = "statements.csv"  # the training file the rules were not tuned on
TEST_FILE = "blind_statements.csv"
GROUPS = ("young-person", "clinician")
THRESHOLDS = [round(0.05 * i, 2) for i in range(1, 20)]

BOW = {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False, "ngram_size": 1,
       "no_output_layer": False, "length": 262144}
ENSEMBLE = {"@architectures": "spacy.TextCatEnsemble.v2",
            "tok2vec": {"@architectures": "spacy.Tok2Vec.v2",
                        "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 64,
                                  "rows": [2000, 2000, 500, 1000, 500],
                                  "attrs": ["NORM", "LOWER", "PREFIX", "SUFFIX", "SHAPE"],
                                  "include_static_vectors": False},
                        "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 64,
                                   "window_size": 1, "maxout_pieces": 3, "depth": 2}},
            "linear_model": dict(BOW)}
# candidate settings (name, model config, epochs); BOW uses ORTH, so texts are lower-cased for all
CANDIDATES = [("bow-1gram", BOW, 20),
              ("bow-2gram", {**BOW, "ngram_size": 2}, 20),
              ("ensemble", ENSEMBLE, 12)]


def train(rows: list[dict], labels: list[str], model: dict, epochs: int):
    """One textcat_multilabel pipeline on ``rows`` (text, gold) with a fixed seed."""
    fix_random_seed(SEED)
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat_multilabel", config={"model": model})
    for label in labels:
        textcat.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(r["text"].lower()),
                                  {"cats": {lab: float(lab in r["gold"]) for lab in labels}})
                for r in rows]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(SEED)
    for _ in range(epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=16):
            nlp.update(batch, sgd=optimizer, drop=0.2)
    return nlp


def train_groups(rows: list[dict], book, model: dict, epochs: int) -> dict:
    return {g: train([r for r in rows if r["group"] == g], [c.id for c in book.for_group(g)], model, epochs)
            for g in GROUPS}


def probabilities(models: dict, rows: list[dict]) -> dict[str, dict[str, float]]:
    """Statement id -> {code: probability} from its group's model."""
    out = {}
    for g, nlp in models.items():
        mine = [r for r in rows if r["group"] == g]
        for r, doc in zip(mine, nlp.pipe(r["text"].lower() for r in mine)):
            out[r["id"]] = dict(doc.cats)
    return out


def rule_pairs(tagger: Tagger, rows: list[dict]) -> set[tuple[str, str]]:
    jobs = [(r["text"], [Unit(0, 0, len(r["text"]), "Respondent", True)], r["group"]) for r in rows]
    return {(r["id"], s.code_id) for r, res in zip(rows, tagger.tag_batch(jobs)) for s in res[0].suggestions}


def above(probs: dict, t: float) -> set[tuple[str, str]]:
    return {(uid, c) for uid, cats in probs.items() for c, p in cats.items() if p >= t}


COMBINE = {
    "classifier": lambda rules, probs, t: above(probs, t),
    "union": lambda rules, probs, t: rules | above(probs, t),
    "fallback": lambda rules, probs, t: rules | {(u, c) for u, c in above(probs, t)
                                                 if u not in {v for v, _ in rules}},
    "vetted": lambda rules, probs, t: {(u, c) for u, c in rules if probs[u].get(c, 0.0) >= t},
}


def report(pred, rows, book):
    gold = {(r["id"], c) for r in rows for c in r["gold"]}
    return evaluate(pred, gold, book, [r["id"] for r in rows])


def best_threshold(kind: str, rules, probs, rows, book) -> tuple[float, float]:
    """Threshold maximising subtheme micro-F1 (ties: the lower threshold)."""
    scored = [(report(COMBINE[kind](rules, probs, t), rows, book).micro.f1, -t) for t in THRESHOLDS]
    f1, neg_t = max(scored)
    return -neg_t, f1


def main() -> int:
    book = load_codebook(ROOT / "codebooks/working-alliance.yaml")
    tagger = Tagger(book)
    files = {name: read_statements(EVAL / name) for name in TRAIN_FILES}
    train_rows = [r for name in TRAIN_FILES for r in files[name]]
    blind = read_statements(EVAL / TEST_FILE)
    rules_train = rule_pairs(tagger, train_rows)

    # 1. leave-one-file-out cross-validation on the training files only
    print(f"cross-validation (leave one training file out), seed {SEED}", file=sys.stderr)
    cv = {}
    for name, model, epochs in CANDIDATES:
        t0 = time.perf_counter()
        probs = {}
        for held in TRAIN_FILES:
            fit = [r for f in TRAIN_FILES if f != held for r in files[f]]
            probs.update(probabilities(train_groups(fit, book, model, epochs), files[held]))
        t, f1 = best_threshold("classifier", set(), probs, train_rows, book)
        cv[name] = (f1, t, probs)
        print(f"  {name:10s} {epochs:2d} epochs: out-of-fold subtheme F1 {f1:.3f} at t={t:.2f}"
              f"  ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    chosen = max(CANDIDATES, key=lambda c: cv[c[0]][0])
    name, model, epochs = chosen
    f1_cv, t_clf, probs_cv = cv[name]
    held = files[RULES_HELD_OUT]
    held_probs = {r["id"]: probs_cv[r["id"]] for r in held}
    held_rules = {(u, c) for u, c in rules_train if u in held_probs}
    thresholds = {"classifier": t_clf}
    for kind in ("union", "fallback", "vetted"):
        thresholds[kind], _ = best_threshold(kind, held_rules, held_probs, held, book)

    # 2. final model on all training files, blind set once
    t0 = time.perf_counter()
    models = train_groups(train_rows, book, model, epochs)
    train_time = time.perf_counter() - t0
    probs = probabilities(models, blind)
    rules = rule_pairs(tagger, blind)
    rows = [("rules", "-", rules)] + [(k, f"{t:.2f}", COMBINE[k](rules, probs, t)) for k, t in thresholds.items()]

    print(f"blind set: {TEST_FILE}, {len(blind)} statements "
          f"({sum(1 for r in blind if not r['gold'])} with no code); trained on {len(train_rows)} statements")
    print(f"model: {name} textcat_multilabel per group, {epochs} epochs, seed {SEED}, "
          f"final training {train_time:.1f} s; CV F1 {f1_cv:.3f}")
    print(f"{'':11s} {'t':>5s}  {'subtheme P/R/F1':>17s}   {'domain P/R/F1':>17s}   {'no-code uncoded':>15s}")
    for label, t, pred in rows:
        rep = report(pred, blind, book)
        m, d = rep.micro, rep.domain_micro
        print(f"{label:11s} {t:>5s}  {m.precision:.3f}/{m.recall:.3f}/{m.f1:.3f}   "
              f"{d.precision:.3f}/{d.recall:.3f}/{d.f1:.3f}   "
              f"{rep.negatives_uncoded:3d}/{rep.negatives} = {100 * rep.negatives_uncoded_share:5.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
