"""Training the project's learned model from the team's own decisions (``qualcode model train``).

Examples, one per participant turn (the unit autocode suggests on):
- a turn with an accepted coding: positive for its codes, negative for the others;
- a turn with a rejected suggestion (and nothing accepted): negative for that code (a hard negative);
- a participant turn left uncoded in a transcript marked fully coded: negative for every code;
- each example in the codebook: positive for its code;
- optional extra coded statements from a CSV (``text,codes[,group]``), e.g. a study's development set.
The model lives in ``.qualcode/model/`` with the codebook hash, the training-data hash, the settings
and cross-validated per-code precision/recall/F1.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..codebook.model import Codebook
from ..engine.learned import Example, LearnedModel, Settings, data_hash, train
from ..errors import ModelError
from ..store.coded_marks import marked_texts
from ..store.codings import query_codings
from ..store.project import Project
from ..store.transcripts import all_turns, list_transcripts, now
from ..textio import csv_dict_rows, read_utf8

from ..engine.model_file import MODEL_DIR  # noqa: E402  (re-exported: the project's model folder)
BACKEND_CHOICES = ("light", "semantic", "auto")


def choose_backend(backend: str) -> str:
    """``auto``: the semantic backend when the extra ``qualcode[learn]`` is installed, light otherwise."""
    from ..engine.embed import available

    if backend == "auto":
        return "semantic" if available() else "light"
    return backend


def configured_backend(project: Project) -> str:
    """``[model] backend`` in qualcode.toml (light, semantic or auto); light when not set."""
    import tomllib

    from ..store.project import CONFIG_NAME

    path = project.root / CONFIG_NAME
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("model", {})
    except (OSError, ValueError):
        return "light"  # the project itself reports a config it cannot read
    backend = table.get("backend", "light") if isinstance(table, dict) else "light"
    if backend not in BACKEND_CHOICES:
        raise ModelError(f"{path}: [model] backend = {backend!r}: use one of {', '.join(BACKEND_CHOICES)}")
    return backend


def store_embed(conn):
    """An embedding function that keeps every text's vector in the project's store (re-runs embed nothing)."""
    from ..engine.embed import CACHE_ID, Embedder
    from ..store.embeddings import StoreCache

    cache = StoreCache(conn, CACHE_ID)
    return lambda texts: Embedder.shared().embed(texts, cache)


def model_dir(project: Project) -> Path:
    return project.root / MODEL_DIR


def has_model(project: Project) -> bool:
    """Whether the project has a trained model (``qualcode model train``)."""
    from ..engine.model_file import model_exists

    return model_exists(model_dir(project))


def learnable_codes(book: Codebook) -> list[str]:
    """Codes a unit can be coded with: the leaves of the codebook."""
    return [c.id for c in book.walk() if not c.children]


def codebook_hash(book: Codebook) -> str:
    """What the model depends on: each learnable code's id, label, definition, examples and groups
    (a rule edit does not make the model stale; a new, removed or redefined code does)."""
    parts = []
    for cid in learnable_codes(book):
        c = book.get(cid)
        parts.append([c.id, c.label, c.definition, c.when_to_use, c.when_not_to_use, list(c.examples),
                      sorted(c.groups)])
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


def groups_of(book: Codebook) -> dict[str, set[str]]:
    return {cid: set(book.get(cid).groups) for cid in learnable_codes(book)}


def project_examples(project: Project, book: Codebook, extra: Path | None = None) -> list[Example]:
    """Every training example the project holds (plus ``extra`` statements), in a stable order."""
    known = set(learnable_codes(book))
    with project.engine.connect() as conn:
        transcripts = {t.id: t for t in list_transcripts(conn)}
        turns = all_turns(conn)
        codings = query_codings(conn, status=["accepted", "rejected"])
        marked = marked_texts(conn)
    units: dict[tuple[int, int], dict] = {}
    for c in codings:
        if c.code_id not in known:
            continue
        hit = [u for u in turns.get(c.transcript_id, []) if c.start < u.end and c.end > u.start and u.is_participant]
        for u in hit:
            slot = units.setdefault((c.transcript_id, u.index), dict(pos=set(), neg=set()))
            slot["pos" if c.status == "accepted" else "neg"].add(c.code_id)
    for tid, sha in marked.items():
        t = transcripts.get(tid)
        if t is None or t.sha256 != sha:
            continue  # the text changed since it was marked: no longer known to be fully coded
        for u in turns.get(tid, []):
            if u.is_participant:
                units.setdefault((tid, u.index), dict(pos=set(), neg=set()))["complete"] = True
    examples = []
    for (tid, idx), slot in sorted(units.items()):
        t = transcripts[tid]
        u = next(u for u in turns[tid] if u.index == idx)
        text = t.text[u.start:u.end]
        if text.strip():
            examples.append(Example(text, frozenset(slot["pos"]), frozenset(slot["neg"] - slot["pos"]),
                                    bool(slot.get("complete")), f"{t.name}#{idx}", t.grp or None))
    examples += codebook_examples(book)
    if extra is not None:
        examples += read_examples(extra, known)
    return examples


def codebook_examples(book: Codebook) -> list[Example]:
    out = []
    for cid in learnable_codes(book):
        for i, text in enumerate(book.get(cid).examples):
            if text.strip():
                out.append(Example(text, frozenset({cid}), ref=f"codebook: {cid} example {i + 1}"))
    return out


def read_examples(path: Path, known: set[str]) -> list[Example]:
    """Coded statements from a CSV with columns ``text`` and ``codes`` (``;``-separated, empty = no
    code) and optionally ``group`` and ``id``; every row is complete (its other codes do not apply)."""
    header, rows = csv_dict_rows(read_utf8(path, ModelError), path, ModelError)
    if rows and not {"text", "codes"} <= set(header):
        raise ModelError(f"{path}:1: needs columns 'text' and 'codes' (found: {', '.join(header)})")
    out = []
    for line, r in rows:
        codes = {c.strip() for c in (r.get("codes") or "").split(";") if c.strip()}
        unknown = codes - known
        if unknown:
            raise ModelError(f"{path}:{line}: code(s) not in the codebook: {', '.join(sorted(unknown))}")
        out.append(Example(r["text"], frozenset(codes), complete=True, ref=f"{path.name}: {r.get('id') or line}",
                           group=(r.get("group") or None)))
    return out


@dataclass
class TrainResult:
    model: LearnedModel
    examples: int
    unchanged: bool  # the stored model was already trained on exactly this data and codebook


def train_project(project: Project, book: Codebook, *, extra: Path | None = None,
                  settings: Settings | None = None, force: bool = False) -> TrainResult:
    """Train (or keep, when nothing changed) the project's model and store it."""
    from ..engine.model_file import load_model, model_exists, save_model

    settings = settings or Settings()
    examples = project_examples(project, book, extra)
    meta = dict(codebook_sha=codebook_hash(book), data_sha=data_hash(examples), examples=len(examples),
                extra=str(extra) if extra else "")
    folder = model_dir(project)
    if not force and model_exists(folder):
        try:
            old, _ = load_model(folder)
        except ModelError:
            old = None
        if old and all(old.meta.get(k) == meta[k] for k in ("codebook_sha", "data_sha")) \
                and old.settings.to_dict() == settings.to_dict():
            return TrainResult(old, len(examples), True)
    if not any(e.positives for e in examples):
        raise ModelError("nothing to learn from yet: accept or code some turns (or add examples to the "
                         "codebook), then run `qualcode model train`")
    if settings.backend == "semantic":
        with project.engine.begin() as conn:
            model = train(examples, learnable_codes(book), settings, groups_of(book), store_embed(conn))
    else:
        model = train(examples, learnable_codes(book), settings, groups_of(book))
    model.meta = dict(meta, trained_at=now())
    evidence = [dict(ref=e.ref, text=e.text[:400], codes=sorted(e.positives)) for e in examples if e.positives]
    save_model(model, folder, evidence)
    return TrainResult(model, len(examples), False)


def mark_transcripts(project: Project, refs: list[str], *, by: str, undo: bool = False) -> list[str]:
    """Mark (or unmark) transcripts fully coded; returns their names. Unknown names are an error."""
    from ..store.coded_marks import mark_coded, unmark_coded
    from ..store.transcripts import get_transcript

    with project.engine.begin() as conn:
        rows = [get_transcript(conn, r) for r in refs] if refs else list_transcripts(conn)
        if undo:
            unmark_coded(conn, [t.id for t in rows])
        else:
            mark_coded(conn, {t.id: t.sha256 for t in rows}, by)
    return [t.name for t in rows]


def list_marks(project: Project) -> list[dict]:
    from ..store.coded_marks import marks

    with project.engine.connect() as conn:
        names = {t.id: t for t in list_transcripts(conn)}
        rows = marks(conn)
    return [dict(transcript=names[m["transcript_id"]].name, marked_by=m["marked_by"], marked_at=m["marked_at"],
                 current=names[m["transcript_id"]].sha256 == m["text_sha"]) for m in rows if m["transcript_id"] in names]


def model_status(project: Project, book: Codebook) -> dict:
    """The stored model against the project as it is now: per code, examples and cross-validated
    figures with a note where there are too few examples; ``stale`` lists why it is out of date."""
    from ..engine.model_file import load_model

    model, _ = load_model(model_dir(project))
    stale = []
    if model.meta.get("codebook_sha") != codebook_hash(book):
        stale.append("the codebook changed since training (codes added, removed or redefined): the model is not "
                     "used until `qualcode model train` is run")
    extra = model.meta.get("extra") or None
    now_examples = project_examples(project, book, Path(extra) if extra and Path(extra).exists() else None)
    if model.meta.get("data_sha") != data_hash(now_examples):
        stale.append(f"the coding decisions changed since training ({model.meta.get('examples')} examples then, "
                     f"{len(now_examples)} now): run `qualcode model train`")
    rows = []
    for cid in learnable_codes(book):
        m = model.counts.get(cid)
        code = book.get(cid)
        rows.append(dict(code=cid, label=code.label, positives=m.positives if m else 0,
                         negatives=m.negatives if m else 0, precision=_r(m and m.precision),
                         recall=_r(m and m.recall), f1=_r(m and m.f1), threshold=m.threshold if m else None,
                         note=_note(cid, m, model)))
    return dict(rows=rows, stale=stale, meta=model.meta, settings=model.settings.to_dict(),
                trained=len(model.codes))


def _r(x):
    return None if x is None else round(x, 3)


def _note(cid: str, m, model: LearnedModel) -> str:
    s = model.settings
    if m is None or cid not in model.codes:
        n = m.positives if m else 0
        return f"too few examples ({n} < {s.min_positives}): no suggestions from the model for this code"
    if m.positives < s.trust_positives:
        return f"few examples ({m.positives} < {s.trust_positives}): figures not to be trusted"
    return ""
