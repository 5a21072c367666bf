"""Tag one parsed transcript with a codebook, without a project (``qualcode tag``)."""
from __future__ import annotations

from ..codebook.model import Codebook
from ..model import ParsedTranscript


def tag_units_of(book: Codebook, parsed: ParsedTranscript, *, group: str | None, unit: str = "turn",
                 timed_out: list[dict] | None = None) -> list[dict]:
    """Every unit of the transcript as a JSON-ready dict: unit, speaker, start, end, text, codes.

    Regex rules that ran out of their time budget (and were skipped) are appended to ``timed_out``
    as ``{rule, code, transcripts}``."""
    from ..engine.tagger import Tagger, sentence_units, turn_units

    tagger = Tagger(book)
    units = sentence_units(parsed, tagger.nlp) if unit == "sentence" else turn_units(parsed)
    rows = []
    for res in tagger.tag_units(parsed.text, units, group):
        u = res.unit
        codes = []
        for s in res.suggestions:
            code = book.get(s.code_id)
            codes.append({"id": s.code_id, "label": code.label if code else s.code_id,
                          "domain": code.domain.label if code else "", "rule": s.rule_id,
                          "evidence": {"start": s.start, "end": s.end, "text": s.evidence,
                                       "sentence": parsed.text[s.sentence_start:s.sentence_end]}})
        rows.append({"unit": u.index, "speaker": u.speaker, "participant": u.is_participant, "start": u.start,
                     "end": u.end, "text": parsed.text[u.start:u.end], "codes": codes})
    if timed_out is not None:
        timed_out += [dict(rule=t.rule_id, code=t.code_id, transcripts=[parsed.name]) for t in tagger.timeouts.values()]
    return rows


def project_model_for_tag(book: Codebook, use: str = "auto"):
    """The learned model of the project around the current folder, for ``qualcode tag`` (a ``ModelUse``;
    ``model`` is None when there is no project, no model, or one trained on another codebook, and
    ``notes`` say why). ``use``: auto, off or require (``ModelError`` when it cannot be used). Without a
    trained model the store is not opened (tag stays as light as without a project)."""
    from types import SimpleNamespace

    from ..engine.model_file import MODEL_DIR, model_exists
    from ..errors import ModelError, ProjectError
    from ..store.project import find_root

    none = SimpleNamespace(model=None, notes=[])
    if use == "off":
        return none
    try:
        root = find_root()
    except ProjectError:
        if use == "require":
            raise ModelError("--model require: not inside a qualcode project (no qualcode.toml here or above)")
        return none
    if not model_exists(root / MODEL_DIR):
        if use == "require":
            raise ModelError(f"--model require: no trained model in {root}; run `qualcode model train` first")
        return none
    from ..store.project import open_project
    from .model_layer import load_for_autocode

    found = load_for_autocode(open_project(root), book, use, verify="mark")
    if use == "require" and found.model is None:
        raise ModelError(f"--model require: {'; '.join(found.notes)}")
    return found


def add_model(rows: list[dict], use, book: Codebook, group: str | None) -> int:
    """Give each rule code of a participant turn the model's confidence (``low`` below ``verify_below``)
    and append the codes the model finds (rule ``model``, with the words that weighed most). Returns how
    many codes the model added."""
    from ..engine.combine import combine

    model = use.model
    units = [r for r in rows if r["participant"] and r["text"].strip()]
    if model is None or not units:
        return 0
    probs = model.probabilities([r["text"] for r in units])
    args = model.settings.combine_args(model)
    added = 0
    for r, row in zip(units, probs):
        p = {c: float(row[j]) for j, c in enumerate(model.codes) if book.get(c) and book.get(c).applies_to(group)}
        decisions = combine([c["id"] for c in r["codes"]], p, **args)
        conf = {d.code: d for d in decisions}
        for c in r["codes"]:
            d = conf.get(c["id"])
            c["confidence"] = None if d is None or d.confidence is None else round(d.confidence, 3)
            c["low"] = bool(d and d.low)
        for d in decisions:
            if d.source == "model":
                code = book.get(d.code)
                words = model.explain(r["text"], d.code)
                r["codes"].append({"id": d.code, "label": code.label, "domain": code.domain.label, "rule": "model",
                                   "confidence": round(d.confidence, 3), "low": False,
                                   "evidence": {"words": words, "text": ", ".join(words)}})
                added += 1
    return added
