"""The learned model's part in ``autocode``: verify the rules' suggestions and find what they missed.

- verifier: each rule suggestion's evidence gets ``confidence`` (the model's probability for its code
  on that unit), ``low`` (below the model's ``verify_below``) and ``model_words`` (the words that
  weighed most); with ``verify="drop"`` low-confidence rule suggestions are left out.
- finder: codes the rules missed that the model gives at least ``find_above`` become suggestions by
  coder ``qualcode:model`` (origin ``model``), with the words that weighed most and the project's
  closest coded examples of that code.
A model trained on another version of the codebook is not used (the user is told); one trained before
the latest decisions is used and the user is told to retrain.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np

from ..codebook.model import Codebook
from ..engine.combine import combine
from ..engine.learned import LearnedModel, data_hash
from ..errors import ModelError
from ..store.codings import coding_keys, delete_codings, insert_codings, query_codings, set_evidence
from ..store.project import Project
from .learn import codebook_hash, model_dir, project_examples

MODEL_CODER = "qualcode:model"
USES = ("auto", "off", "require")


@dataclass
class ModelUse:
    model: LearnedModel | None = None
    examples: list[dict] = field(default_factory=list)
    verify: str = "mark"
    notes: list[str] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        """Part of autocode's run key: a new model or mode re-runs unchanged transcripts."""
        if self.model is None:
            return ""
        return f"\x00model:{self.model.meta.get('data_sha', '')}:{self.model.meta.get('trained_at', '')}:{self.verify}"


def load_for_autocode(project: Project, book: Codebook, use: str = "auto", verify: str = "mark") -> ModelUse:
    """The model autocode should use, or none, with notes for the user. ``use``: auto (when trained
    and made with this codebook), off, or require (an error when it cannot be used)."""
    from ..engine.model_file import load_model, model_exists

    folder = model_dir(project)
    if use == "off" or (use == "auto" and not model_exists(folder)):
        return ModelUse(verify=verify)
    model, examples = load_model(folder)  # ModelError names the file when damaged or missing
    if model.meta.get("codebook_sha") != codebook_hash(book):
        msg = "the learned model was trained on another version of the codebook; run `qualcode model train`"
        if use == "require":
            raise ModelError(msg)
        return ModelUse(verify=verify, notes=[f"model not used: {msg}"])
    notes = []
    if model.meta.get("data_sha") != data_hash(project_examples(project, book, _extra(model))):
        notes.append("the learned model predates the latest coding decisions; run `qualcode model train` "
                     "to learn from them (the model trained earlier is used)")
    return ModelUse(model, examples, verify, notes)


def _extra(model: LearnedModel):
    from pathlib import Path

    extra = model.meta.get("extra") or ""
    return Path(extra) if extra and Path(extra).exists() else None


@dataclass
class ModelPass:
    verified: int = 0
    low: int = 0
    dropped: int = 0
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)


def apply_model(conn, use: ModelUse, book: Codebook, todo: list, turns: dict, rules_coder: str,
                version_id: int | None, dry_run: bool) -> ModelPass:
    """Verify the stored rule suggestions of the ``todo`` transcripts and store the model's finds."""
    out = ModelPass()
    if use.model is None or not todo:
        return out
    units, probs = _unit_probabilities(use.model, book, todo, turns, conn)
    index = {(u[0].id, u[1], u[2]): i for i, u in enumerate(units)}
    todo_ids = {t.id for t in todo}
    rule_rows = [c for c in query_codings(conn, coder=rules_coder, status="suggested") if c.transcript_id in todo_ids]
    taken = {(c.transcript_id, c.start, c.end, c.code_id) for c in query_codings(conn)
             if c.transcript_id in todo_ids and c.coder != MODEL_CODER}
    by_unit: dict[int, list] = {}
    for c in rule_rows:
        if (c.transcript_id, c.start, c.end) in index:
            by_unit.setdefault(index[c.transcript_id, c.start, c.end], []).append(c)
    evidence, drop, found = {}, [], {}
    args = use.model.settings.combine_args(use.model)
    for i, (t, start, end, idx) in enumerate(units):
        rows = by_unit.get(i, [])
        p = {code: float(probs[i, j]) for j, code in enumerate(use.model.codes) if not np.isnan(probs[i, j])}
        decisions = combine([c.code_id for c in rows], p, verify=use.verify, **args)
        kept = {d.code: d for d in decisions if d.source == "rule"}
        for c in rows:
            d = kept.get(c.code_id)
            if d is None:
                drop.append(c)
                continue
            out.verified += d.confidence is not None
            out.low += d.low
            evidence[c.id] = _verified_evidence(c.evidence, d, use.model, t.text[start:end])
        for d in decisions:
            if d.source == "model" and (t.id, start, end, d.code) not in taken:
                found[(t.id, start, end, d.code)] = _found_row(use, t, start, end, idx, d, version_id)
    out.dropped = len(drop)
    _sync_found(conn, found, todo_ids, out, dry_run)
    if not dry_run:
        set_evidence(conn, evidence)
        delete_codings(conn, [c.id for c in drop])
    return out


def _unit_probabilities(model: LearnedModel, book: Codebook, todo: list, turns: dict, conn):
    """Participant turns of ``todo`` as (transcript, start, end, idx), and their probabilities
    (NaN where a code does not apply to the transcript's group). The semantic backend's embeddings
    come from (and go to) the store's cache."""
    from .learn import store_embed

    units = [(t, start, end, idx) for t in todo for idx, start, end, _sp, part in turns.get(t.id, [])
             if part and t.text[start:end].strip()]
    texts = [t.text[s:e] for t, s, e, _ in units]
    vectors = store_embed(conn)(texts) if model.settings.backend == "semantic" and texts else None
    probs = model.probabilities(texts, vectors)
    for i, (t, *_rest) in enumerate(units):
        for j, code in enumerate(model.codes):
            node = book.get(code)
            if node is not None and not node.applies_to(t.grp or None):
                probs[i, j] = np.nan
    return units, probs


def _verified_evidence(evidence: str, d, model: LearnedModel, text: str) -> str:
    try:
        data = json.loads(evidence) if evidence else {}
    except ValueError:
        data = {"text": evidence}
    data.pop("low", None)
    if d.confidence is not None:
        data["confidence"] = round(d.confidence, 3)
        data["model_words"] = model.explain(text, d.code)
        if d.low:
            data["low"] = True
    return json.dumps(data, ensure_ascii=False)


def _found_row(use: ModelUse, t, start: int, end: int, idx: int, d, version_id) -> dict:
    text = t.text[start:end]
    words = use.model.explain(text, d.code)
    evidence = dict(model=True, confidence=round(d.confidence, 3), words=words, text=", ".join(words),
                    similar=closest_examples(use, text, d.code), unit=idx)
    return dict(transcript_id=t.id, start=start, end=end, snippet=text, code_id=d.code, coder=MODEL_CODER,
                origin="model", status="suggested", rule_id="model", codebook_version_id=version_id,
                evidence=json.dumps(evidence, ensure_ascii=False))


def closest_examples(use: ModelUse, text: str, code: str, top: int = 2) -> list[dict]:
    """The training examples of ``code`` most like ``text`` (cosine over the model's features)."""
    pool = [e for e in use.examples if code in e.get("codes", [])]
    if not pool:
        return []
    vec = use.model.vectoriser
    sims = np.asarray((vec.transform([e["text"] for e in pool]) @ vec.transform([text]).T).todense()).ravel()
    order = sorted(range(len(pool)), key=lambda k: (-sims[k], k))[:top]
    return [dict(ref=pool[k]["ref"], text=pool[k]["text"][:200], similarity=round(float(sims[k]), 3)) for k in order]


def _sync_found(conn, found: dict, todo_ids: set[int], out: ModelPass, dry_run: bool) -> None:
    existing = {(c.transcript_id, c.start, c.end, c.code_id): c for c in coding_keys(conn, MODEL_CODER)
                if c.transcript_id in todo_ids}
    stale = [c for k, c in existing.items() if k not in found and c.status == "suggested"]
    new = [row for k, row in found.items() if k not in existing]
    out.added = [dict(start=r["start"], end=r["end"], code=r["code_id"], rule="model", text=r["snippet"],
                      transcript_id=r["transcript_id"]) for r in new]
    out.removed = [dict(start=c.start, end=c.end, code=c.code_id, rule="model", text=c.snippet,
                        transcript_id=c.transcript_id) for c in stale]
    if not dry_run:
        insert_codings(conn, new)
        delete_codings(conn, [c.id for c in stale])
        set_evidence(conn, {c.id: found[k]["evidence"] for k, c in existing.items() if k in found})
