"""Rules alone, learned model alone and the two combined, against a human coder (``qualcode model
evaluate``). Honest for the model: transcripts are split into folds and each fold is predicted by a
model trained without any example from its transcripts (cross-validation by transcript)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..codebook.model import Codebook
from ..errors import ModelError
from ..store.project import Project
from .evaluate_project import gold_units, rule_predictions
from .learn import groups_of, learnable_codes, project_examples


def evaluate_layers(project: Project, book: Codebook, coder: str, *, folds: int = 5,
                    extra: Path | None = None, backend: str = "light") -> dict:
    """{"rules"|"model"|"combined": EvalReport} at turn level over the transcripts ``coder`` coded;
    ``backend``: light or semantic (embeddings kept in the store's cache)."""
    from ..engine.combine import combine
    from ..engine.evaluate import evaluate
    from ..engine.learned import Settings, train

    transcripts, turns, units, gold = gold_units(project, book, coder)
    if len(transcripts) < 2:
        raise ModelError(f"{coder!r} coded {len(transcripts)} transcript(s); cross-validation by transcript needs "
                         "at least 2")
    rules = rule_predictions(book, transcripts, turns)
    rules_at: dict[str, list[str]] = {}
    for key, code in sorted(rules):
        rules_at.setdefault(key, []).append(code)
    examples = project_examples(project, book, extra)
    order = np.random.default_rng(0).permutation(len(transcripts))
    k = min(folds, len(transcripts))
    model_pred, combined = set(), set()
    settings = Settings.for_backend(backend)
    embed = None
    if backend == "semantic":
        from ..engine.embed import cached_embed

        embed = cached_embed()  # in memory: evaluation reads the store, it does not write to it
    for fold in range(k):
        held = [transcripts[i] for i in order[fold::k]]
        names = {t.name for t in held}
        train_ex = [e for e in examples if e.ref.split("#")[0] not in names or "#" not in e.ref]
        model = train(train_ex, learnable_codes(book), settings, groups_of(book), embed)
        thresholds = dict(zip(model.codes, model.thresholds()))
        keys, texts, groups = [], [], []
        for t in held:
            for u in turns.get(t.id, []):
                if u.is_participant:
                    keys.append(f"{t.name}#{u.index}")
                    texts.append(t.text[u.start:u.end])
                    groups.append(t.grp or None)
        probs = model.probabilities(texts)
        for i, key in enumerate(keys):
            p = {c: float(probs[i, j]) for j, c in enumerate(model.codes) if book.get(c).applies_to(groups[i])}
            model_pred |= {(key, c) for c, v in p.items() if v >= thresholds[c]}
            combined |= {(key, d.code) for d in combine(rules_at.get(key, []), p, verify="drop",
                                                        **settings.combine_args(model))}
    return {"rules": evaluate(rules, gold, book, units), "model": evaluate(model_pred, gold, book, units),
            "combined": evaluate(combined, gold, book, units)}


def layer_rows(reports: dict) -> list[dict]:
    rows = []
    for name, rep in reports.items():
        m, d = rep.micro, rep.domain_micro
        rows.append(dict(layer=name, precision=round(m.precision, 3), recall=round(m.recall, 3), f1=round(m.f1, 3),
                         macro_f1=round(rep.macro_f1, 3),
                         domain_f1=round(d.f1, 3), no_code_uncoded=f"{rep.negatives_uncoded}/{rep.negatives}"))
    return rows
