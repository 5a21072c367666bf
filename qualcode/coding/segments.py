"""Listing coded and uncoded segments with their text."""
from __future__ import annotations

import json
from typing import Any, Callable

from ..codebook.model import Codebook
from .blind import visible_coders
from ..store.codings import CodingRow, query_codings
from ..store.project import Project
from ..store.transcripts import all_turns, get_transcript, list_transcripts

SEGMENT_COLUMNS = ["id", "transcript", "participant", "group", "start", "end", "code", "label", "domain", "coder",
                   "status", "exemplar", "text", "memo", "rule", "evidence", "confidence"]


def explain_evidence(evidence: str) -> tuple[str, float | None]:
    """Why a suggestion was made, from its stored evidence (JSON), and the learned model's confidence:
    the words a rule matched; for the model's own suggestions the words that weighed most and the
    closest coded example; '' and None for manual codings."""
    if not evidence:
        return "", None
    try:
        data = json.loads(evidence)
        if not isinstance(data, dict):
            raise ValueError
    except ValueError:
        return evidence, None
    conf = data.get("confidence")
    if data.get("model"):
        why = "model: " + ", ".join(data.get("words") or [])
        similar = data.get("similar") or []
        if similar:
            why += f"; like {similar[0].get('ref')}"
        return why, conf
    why = str(data.get("text", ""))
    if conf is not None:
        why += f" (model {conf:.2f}{' LOW' if data.get('low') else ''}: {', '.join(data.get('model_words') or [])})"
    return why, conf


def coding_dict(c: CodingRow, book: Codebook | None) -> dict:
    code = book.get(c.code_id) if book else None
    why, confidence = explain_evidence(c.evidence)
    return dict(id=c.id, transcript=c.transcript, participant=c.participant_label, group=c.grp, start=c.start,
                end=c.end, code=c.code_id, label=code.label if code else "", domain=code.domain.label if code else "",
                coder=c.coder, status=c.status, exemplar=bool(c.exemplar), text=c.snippet, memo=c.memo,
                rule=c.rule_id, evidence=why, confidence=confidence)


def list_segments(project: Project, *, code: str | None = None, coder: str | None = None, status: str | None = None,
                  group: str | None = None, participant: str | None = None, search: str | None = None,
                  transcript: str | None = None, viewer: str | None = None) -> list[dict]:
    """Coded segments matching the filters. With blind mode on, ``viewer`` sees only their own codings
    (and the engine's suggestions)."""
    from .known_ids import check_filters

    check_filters(project, code=code, group=group, participant=participant, coder=coder)
    visible = _visible_coders(project, viewer)
    with project.connect() as conn:
        tid = get_transcript(conn, transcript).id if transcript else None
        rows = query_codings(conn, code=code, coder=coder, status=status, group=group, participant=participant,
                             search=search, transcript_id=tid)
    if visible is not None:
        rows = [r for r in rows if r.coder in visible]
    try:
        book = project.codebook()
    except Exception:  # noqa: BLE001 - listing still works without a loadable codebook
        book = None
    return [coding_dict(r, book) for r in rows]


def _visible_coders(project: Project, viewer: str | None) -> set[str] | None:
    if not viewer:
        return None
    return visible_coders(project, viewer)


def list_uncoded(project: Project, *, group: str | None = None, participant: str | None = None,
                 search: str | None = None, status: tuple[str, ...] = ("suggested", "accepted")) -> list[dict]:
    """Participant turns no coding (of the given statuses) overlaps."""
    from .known_ids import check_filters

    check_filters(project, group=group, participant=participant)
    with project.engine.connect() as conn:
        transcripts = [t for t in list_transcripts(conn) if (group is None or t.grp == group)
                       and (participant is None or t.pid == participant)]
        turns = all_turns(conn)
        codings = query_codings(conn, status=list(status))
    spans: dict[int, list[tuple[int, int]]] = {}
    for c in codings:
        spans.setdefault(c.transcript_id, []).append((c.start, c.end))
    out = []
    for t in transcripts:
        for turn in turns.get(t.id, []):
            if not turn.is_participant:
                continue
            if any(s < turn.end and e > turn.start for s, e in spans.get(t.id, [])):
                continue
            text = t.text[turn.start:turn.end]
            if search and search.lower() not in text.lower():
                continue
            out.append(dict(transcript=t.name, participant=t.participant_label, group=t.grp, unit=turn.index,
                            start=turn.start, end=turn.end, speaker=turn.speaker, text=text))
    return out


def sort_segments(rows: list, by: str = "position", confidence: Callable[[Any], float | None] | None = None) -> list:
    """``confidence``: lowest model confidence first; ``uncertainty``: probability nearest 0.5 first
    (the decisions that teach the model most). Segments without a confidence come last, in order.
    ``confidence(row)`` gives a row's confidence (default: the ``"confidence"`` of a segment dict);
    the review app passes its own for coding rows."""
    if by == "position":
        return list(rows)
    conf = confidence or (lambda r: r.get("confidence"))
    scored = [(conf(r), i, r) for i, r in enumerate(rows)]
    key = (lambda c: c) if by == "confidence" else (lambda c: abs(c - 0.5))
    known = sorted((x for x in scored if x[0] is not None), key=lambda x: (key(x[0]), x[1]))
    return [r for _, _, r in known] + [r for c, _, r in scored if c is None]
