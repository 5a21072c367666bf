"""Autocode: apply the codebook's rules to every transcript of a project and store suggestions.

- Suggestions are codings with status ``suggested`` by coder ``qualcode:rules`` (or the coder named),
  covering the unit (turn or sentence); the matched words, rule id and sentence go in ``evidence``.
- Idempotent: the unique key (transcript, start, end, code, coder) means a rerun adds nothing; a
  transcript whose text and codebook are unchanged since the last run is skipped without tagging.
- A codebook edit: new matches are added; earlier suggestions the rules no longer make are removed
  when nobody has reviewed them yet (accepted and rejected ones are kept: they are decisions).
- One transaction: an error or Ctrl-C leaves the project as it was.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable

from ..codebook.model import Codebook
from ..model import ParsedTranscript, Turn
from ..store.autocode_state import load_state, save_state
from ..store.codings import (RULES_CODER, coding_keys, count_by_code, delete_codings, insert_codings,
                              record_codebook)
from ..store.project import Project
from ..store.transcripts import TranscriptRow, list_transcripts, participant_unit_rows, text_hash

Key = tuple[int, int, int, str]  # transcript id, start, end, code


@dataclass
class AutocodeResult:
    transcripts: int = 0
    tagged: int = 0  # transcripts actually run through the engine (others unchanged since the last run)
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    kept: int = 0
    per_code: dict[str, int] = field(default_factory=dict)  # current suggestions by this coder per code
    # regex rules that ran out of their time budget: {rule, code, transcripts}; those transcripts are
    # not marked as done, so the next run tries them again
    timed_out: list[dict] = field(default_factory=list)
    model: object = None  # the learned model's pass (coding.model_layer.ModelPass), when a model was used
    notes: list[str] = field(default_factory=list)  # what the user should know (e.g. a stale model)


def _suggestion_rows(tagger, transcripts: list[TranscriptRow], turns: dict, unit: str, coder: str,
                     version_id: int | None, progress: Callable[[], None] | None) -> dict[Key, dict]:
    from ..engine.tagger import Unit, sentence_units

    def jobs():
        for t in transcripts:
            rows = turns.get(t.id, [])
            if unit == "sentence":
                parsed = ParsedTranscript(t.name, t.text, [Turn(i, sp, s, e, p) for i, s, e, sp, p in rows],
                                          t.source_format)
                yield t.text, sentence_units(parsed, tagger.nlp), t.grp or None
            else:
                yield t.text, [Unit(*r) for r in rows], t.grp or None

    rows: dict[Key, dict] = {}
    for t, results in zip(transcripts, tagger.tag_batch(jobs())):
        for res in results:
            for s in res.suggestions:
                key = (t.id, s.unit_start, s.unit_end, s.code_id)
                # JSON written by hand: rule ids are slugs and numbers need no escaping; only the text does
                rules = ",".join(f'"{r}"' for r in (s.rule_ids or (s.rule_id,)))
                evidence = (f'{{"rule":"{s.rule_id}","rules":[{rules}],"match":[{s.start},{s.end}],'
                            f'"text":{json.dumps(s.evidence, ensure_ascii=False)},'
                            f'"sentence":[{s.sentence_start},{s.sentence_end}],"unit":{s.unit_index}}}')
                rows[key] = dict(transcript_id=t.id, start=s.unit_start, end=s.unit_end,
                                 snippet=t.text[s.unit_start:s.unit_end], code_id=s.code_id, coder=coder,
                                 origin="rule", status="suggested", rule_id=s.rule_id,
                                 evidence=evidence, codebook_version_id=version_id)
        if progress:
            progress()
    return rows


Timeouts = list[tuple[str, str, list[int]]]  # rule id, code id, positions in the list of transcripts tagged
_WORKER: dict = {}  # in a worker process of ``autocode(jobs=N)``: its tagger and settings


def _init_worker(book: Codebook, unit: str, coder: str, version_id: int | None) -> None:
    from ..engine.tagger import Tagger

    _WORKER.update(tagger=Tagger(book), unit=unit, coder=coder, version_id=version_id)


def _tag_chunk(transcripts: list[TranscriptRow], turns: dict) -> tuple[dict[Key, dict], Timeouts]:
    w = _WORKER
    rows = _suggestion_rows(w["tagger"], transcripts, turns, w["unit"], w["coder"], w["version_id"], None)
    return rows, [(t.rule_id, t.code_id, list(t.jobs)) for t in w["tagger"].timeouts.values()]


def _chunks(transcripts: list[TranscriptRow], jobs: int) -> list[list[int]]:
    """Consecutive runs of transcript positions, about equal in text length, a few per process."""
    target = sum(len(t.text) for t in transcripts) / (jobs * 4) or 1
    chunks: list[list[int]] = [[]]
    size = 0
    for i, t in enumerate(transcripts):
        if size >= target:
            chunks.append([])
            size = 0
        chunks[-1].append(i)
        size += len(t.text)
    return chunks


def _tag_in_processes(book: Codebook, todo: list[TranscriptRow], turns: dict, unit: str, coder: str,
                      version_id: int | None, jobs: int,
                      progress: Callable[[], None] | None) -> tuple[dict[Key, dict], Timeouts]:
    """Tag with ``jobs`` worker processes (each builds its own pipeline); rows and timeouts are merged in
    transcript order, so the result is the same as with one process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    chunks = _chunks(todo, jobs)
    context = multiprocessing.get_context("spawn")  # no copy of the parent's open store connections
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                             initargs=(book, unit, coder, version_id)) as pool:
        futures = {pool.submit(_tag_chunk, [todo[i] for i in chunk], {todo[i].id: turns.get(todo[i].id, [])
                                                                       for i in chunk}): n
                   for n, chunk in enumerate(chunks)}
        results: dict[int, tuple[dict[Key, dict], Timeouts]] = {}
        for future in as_completed(futures):
            n = futures[future]
            results[n] = future.result()
            for _ in chunks[n] if progress else ():
                progress()
    rows: dict[Key, dict] = {}
    merged: dict[str, tuple[str, str, list[int]]] = {}
    for n, chunk in enumerate(chunks):
        part, timeouts = results[n]
        rows.update(part)
        for rule_id, code_id, positions in timeouts:
            merged.setdefault(rule_id, (rule_id, code_id, []))[2].extend(chunk[p] for p in positions)
    return rows, list(merged.values())


def _tag(book: Codebook, todo: list[TranscriptRow], turns: dict, unit: str, coder: str, version_id: int | None,
         jobs: int, progress: Callable[[], None] | None) -> tuple[dict[Key, dict], Timeouts]:
    if not todo:
        return {}, []
    if jobs > 1 and len(todo) > 1:
        return _tag_in_processes(book, todo, turns, unit, coder, version_id, jobs, progress)
    from ..engine.tagger import Tagger

    tagger = Tagger(book)
    rows = _suggestion_rows(tagger, todo, turns, unit, coder, version_id, progress)
    return rows, [(t.rule_id, t.code_id, list(t.jobs)) for t in tagger.timeouts.values()]


def _diff(existing: list, new: dict) -> tuple[dict, list]:
    """Compare this run's suggestions (``new``, pruned in place to what is really new) with the stored ones.

    Returns the stored codings by key and the stale ones to remove: rule suggestions still undecided that
    the rules no longer make. A suggestion an analyst touched (recoded, marked, given a memo) is never
    stale, and the rule that made it does not suggest the same text again under its old code.
    """
    existing_keys = {(c.transcript_id, c.start, c.end, c.code_id): c for c in existing}
    touched = {(c.transcript_id, c.start, c.end, c.rule_id) for c in existing if c.decided_by}
    made = set(new)
    for key in [k for k, row in new.items() if k in existing_keys or (*k[:3], row["rule_id"]) in touched]:
        del new[key]
    stale = [c for k, c in existing_keys.items()
             if k not in made and c.status == "suggested" and c.origin == "rule" and not c.decided_by]
    return existing_keys, stale


def autocode(project: Project, book: Codebook, *, coder: str = RULES_CODER, unit: str = "turn",
             dry_run: bool = False, progress: Callable[[], None] | None = None,
             on_start: Callable[[int], None] | None = None, model: str = "auto",
             verify: str = "mark", jobs: int = 1) -> AutocodeResult:
    """``model``: use the project's learned model when trained (auto), never (off) or insist (require);
    ``verify``: mark or drop rule suggestions the model finds unlikely (see coding/model_layer.py);
    ``jobs`` > 1: tag in that many processes (for big projects: each builds its own spaCy pipeline)."""
    from .model_layer import apply_model, load_for_autocode

    use = load_for_autocode(project, book, model if unit == "turn" else "off", verify)
    book_sha = text_hash(book.source_text + f"\x00{unit}" + use.fingerprint)
    result = AutocodeResult(notes=list(use.notes))
    with project.engine.begin() as conn:
        transcripts = list_transcripts(conn)
        result.transcripts = len(transcripts)
        state = load_state(conn, coder, unit)
        todo = [t for t in transcripts if state.get(t.id) != (book_sha, t.sha256)]
        result.tagged = len(todo)
        if on_start:
            on_start(len(todo))
        version_id = None if dry_run else record_codebook(conn, book)
        turns = participant_unit_rows(conn, {t.id for t in todo}) if todo else {}
        new, timeouts = _tag(book, todo, turns, unit, coder, version_id, jobs, progress)
        result.timed_out = [dict(rule=rule, code=code, transcripts=[todo[i].name for i in positions])
                            for rule, code, positions in timeouts]
        incomplete = {todo[i].id for _, _, positions in timeouts for i in positions}
        todo_ids = {t.id for t in todo}
        existing = [c for c in coding_keys(conn, coder) if c.transcript_id in todo_ids]
        existing_keys, stale = _diff(existing, new)
        names = {t.id: t.name for t in transcripts}
        result.added = [dict(transcript=names[key[0]], start=key[1], end=key[2], code=key[3], rule=row["rule_id"],
                             text=row["snippet"]) for key, row in new.items()]
        result.removed = [dict(transcript=names[c.transcript_id], start=c.start, end=c.end, code=c.code_id,
                               rule=c.rule_id, text=c.snippet) for c in stale]
        result.kept = len(existing_keys) - len(stale)
        if not dry_run:
            insert_codings(conn, list(new.values()))
            delete_codings(conn, [c.id for c in stale])
        if use.model is not None:
            result.model = apply_model(conn, use, book, todo, turns, coder, version_id, dry_run)
        if not dry_run:
            save_state(conn, coder, unit, {t.id: (book_sha, t.sha256) for t in todo if t.id not in incomplete})
        result.per_code = count_by_code(conn, coder)
    return result
