"""The checked plan of a REFI-QDA import (what will be written), and writing it in one transaction."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem, TranscriptError
from ..model import ParsedTranscript, Participant, Turn
from ..store.code_sets import CodeSet, save_code_set
from ..store.codings import add_memo, insert_codings, query_codings
from ..store.project import Project, write_config
from ..store.transcripts import TranscriptRow, insert_transcript, list_participants, upsert_participant
from .refi_read import ExProject

DOC_SUFFIX = re.compile(r"\.(txt|docx?|pdf|rtf|odt|md)$", re.IGNORECASE)
MARKER = re.compile(r"^qualcode: (?:(coding) memo|(\w+) memo(; coding memo)?)$")
LABEL = re.compile(r"([^\W\d_][\w .'’-]{0,39}?):[ \t]+")


@dataclass
class PlannedSource:
    guid: str
    name: str
    text: str
    participant: tuple[str, str]
    existing_id: int | None = None
    id: int | None = None
    original_name: str = ""  # the source's name in the file (warnings name it)


@dataclass
class PlannedCoding:
    source: str  # source guid
    start: int
    end: int
    code_id: str
    coder: str
    memo: str = ""


@dataclass
class PlannedMemo:
    kind: str
    text: str
    author: str
    source: str | None = None
    coding: int | None = None  # index into Plan.codings
    participant: tuple[str, str] | None = None
    code_id: str | None = None


@dataclass
class Plan:
    code_ids: dict[str, str] = field(default_factory=dict)
    codebook_path: Path | None = None
    codebook_text: str = ""
    participants: dict[tuple[str, str], Participant] = field(default_factory=dict)
    case_keys: dict[str, tuple[str, str]] = field(default_factory=dict)
    sources: list[PlannedSource] = field(default_factory=list)
    codings: list[PlannedCoding] = field(default_factory=list)
    selections: dict[str, list[int]] = field(default_factory=dict)  # selection guid -> coding indices
    memos: list[PlannedMemo] = field(default_factory=list)
    known_memos: set = field(default_factory=set)
    sets: list[CodeSet] = field(default_factory=list)  # code groups


def plan_sets(plan: Plan, ex: ExProject, notes: list[str]) -> None:
    """Code groups with the codes and transcripts of this import as members (others are listed)."""
    sources = {s.guid: s.name for s in plan.sources}
    for group in ex.sets:
        codes = [plan.code_ids[g] for g in group.codes if g in plan.code_ids]
        names = [sources[g] for g in group.sources if g in sources]
        lost = len(group.codes) - len(codes) + len(group.sources) - len(names)
        if lost:
            notes.append(f"code group {group.name!r}: {lost} member(s) not imported (not a code or text source here)")
        if group.name and (codes or names or not lost):
            plan.sets.append(CodeSet(group.name, group.description, list(dict.fromkeys(codes)), names))


def plan_participants(ex: ExProject) -> tuple[dict[tuple[str, str], Participant], dict[str, tuple[str, str]]]:
    participants: dict[tuple[str, str], Participant] = {}
    source_case: dict[str, tuple[str, str]] = {}
    for case in ex.cases:
        values = {ex.variables.get(g, g): v for g, v in case.values.items() if v != ""}
        lower = {k.lower(): k for k in values}
        group = values.get(lower.get("group", ""), "") or "imported"
        role = values.get(lower.get("role", ""), "")
        attributes = {k: v for k, v in values.items() if k.lower() not in ("group", "role", "participant id")}
        pid = values.get(lower.get("participant id", ""), "") or case.name or f"case-{case.guid[:8]}"
        attribution = case.description if case.description and "\n" not in case.description and len(case.description) <= 200 else ""
        key = (group, pid)
        if key in participants:
            attributes = participants[key].attributes | attributes
        participants[key] = Participant(pid, group, role, attribution, attributes)
        for guid in case.sources:
            source_case.setdefault(guid, key)
        source_case[f"case:{case.guid}"] = key
    return participants, source_case


def plan_sources(plan: Plan, ex: ExProject, texts: dict[str, str], source_case: dict[str, tuple[str, str]],
                 existing: dict[str, TranscriptRow], path: Path, problems: list[Problem], notes: list[str]) -> None:
    plan.case_keys = {k[5:]: v for k, v in source_case.items() if k.startswith("case:")}
    names: set[str] = set()
    for src in ex.sources:
        if src.guid not in texts:
            continue
        text = texts[src.guid]
        base = DOC_SUFFIX.sub("", src.name) or f"source-{src.guid[:8]}"
        name, n = base, 1
        while name in names:
            n += 1
            name = f"{base} ({n})"
        names.add(name)
        key = source_case.get(src.guid) or ("imported", name)
        if key not in plan.participants:
            plan.participants[key] = Participant(key[1], key[0])
        planned = PlannedSource(src.guid, name, text, key, original_name=src.name)
        if name in existing:
            if existing[name].text != text:
                problems.append(Problem(str(path), None, None, f"transcript {name!r} is already in the project with "
                                        "different text; rename or remove one of them"))
            planned.existing_id = existing[name].id
        plan.sources.append(planned)
        whole = [(None, 0, len(text), k) for k in src.codings]
        parts = [(sel, sel.start, sel.end, k) for sel in src.selections for k in sel.codings]
        empty = [sel for sel in src.selections if sel.start == sel.end and 0 <= sel.start <= len(text)]
        if empty:
            notes.append(f"source {src.name!r}: {len(empty)} empty selection(s) skipped")
        for sel in src.selections:
            if not (0 <= sel.start <= sel.end <= len(text)):
                problems.append(Problem(str(path), None, None, f"source {src.name!r}: selection {sel.guid} at "
                                        f"{sel.start}-{sel.end} is outside the text ({len(text)} characters)"))
        for sel, start, end, k in whole + parts:
            if start >= end or end > len(text) or start < 0 or k.code not in plan.code_ids:
                continue
            guid = k.user or (sel.user if sel else "") or src.user
            coder = ex.users.get(guid) or (f"user-{guid[:8]}" if guid else "imported")
            plan.codings.append(PlannedCoding(src.guid, start, end, plan.code_ids[k.code], coder,
                                              sel.description if sel is not None else ""))
            if sel is not None:
                plan.selections.setdefault(sel.guid, []).append(len(plan.codings) - 1)
            for note in k.note_refs:
                plan.selections.setdefault(f"coding-note:{note}", []).append(len(plan.codings) - 1)


def plan_memos(plan: Plan, ex: ExProject, note_texts: dict[str, str], notes: list[str]) -> None:
    """Each note becomes a coding memo, a memo row, or both (qualcode's own markers say which)."""
    sources = {s.guid for s in plan.sources}
    targets: dict[str, dict] = {}
    for src in ex.sources:
        for sel in src.selections:
            for note in sel.note_refs:
                targets.setdefault(note, {}).setdefault("codings", []).extend(plan.selections.get(sel.guid, []))
        for note in src.note_refs:
            targets.setdefault(note, {})["source"] = src.guid
    for key, idx in plan.selections.items():
        if key.startswith("coding-note:"):
            targets.setdefault(key[12:], {}).setdefault("codings", []).extend(idx)
    codes = {c.guid: c for top in ex.codes for c in top.walk()}
    for guid, code in codes.items():
        for note in code.note_refs:
            if guid in plan.code_ids:
                targets.setdefault(note, {})["code"] = plan.code_ids[guid]
    note_ids = {n.guid for n in ex.notes}
    for a, b in ex.links:
        note, other = (a, b) if a in note_ids else (b, a)
        if note not in note_ids:
            continue
        if other in plan.case_keys:
            targets.setdefault(note, {})["participant"] = plan.case_keys[other]
        elif other in plan.selections:
            targets.setdefault(note, {}).setdefault("codings", []).extend(plan.selections[other])
        elif other in sources:
            targets.setdefault(note, {})["source"] = other
    for note in ex.notes:
        text = note_texts.get(note.guid, "").strip("\n")
        if not text.strip():
            notes.append(f"note {note.name or note.guid!r} has no text; skipped")
            continue
        m = MARKER.match(note.description)
        t = targets.get(note.guid, {})
        codings = sorted(set(t.get("codings", [])))
        if codings and (m is None or m.group(1) or m.group(3)):
            for i in codings:
                old = plan.codings[i].memo  # the selection's Description may hold the same memo already
                if text.strip() not in old.split("\n\n"):
                    plan.codings[i].memo = f"{old}\n\n{text}" if old else text
        if m is not None and m.group(1):
            continue  # a qualcode coding memo: the coding's memo field only
        source = t.get("source") or (plan.codings[codings[0]].source if codings else None)
        plan.memos.append(PlannedMemo(m.group(2) if m else "note", text, ex.users.get(note.user, ""), source,
                                      codings[0] if codings else None, t.get("participant"), t.get("code")))
    plan_description_memos(plan, ex, note_texts)


def plan_description_memos(plan: Plan, ex: ExProject, note_texts: dict[str, str]) -> None:
    """A source's ``<Description>`` (QualCoder's file memo) and a case's that is not a one-line
    attribution (QualCoder's case memo) become note memos, unless the same text came as notes."""
    sources = {s.guid for s in plan.sources}
    for src in ex.sources:
        noted = [note_texts.get(n, "").strip("\n") for n in src.note_refs]
        if src.description and src.guid in sources and src.description not in ("\n\n".join(noted), *noted):
            plan.memos.append(PlannedMemo("note", src.description, ex.users.get(src.user, ""), source=src.guid))
    for case in ex.cases:
        key = plan.case_keys.get(case.guid)
        if key and case.description and plan.participants[key].attribution != case.description:
            plan.memos.append(PlannedMemo("note", case.description, "", participant=key))


def _turns(name: str, text: str) -> list[Turn]:
    """Turns on the exact text (offsets must not move): qualcode's reader when it leaves the text as
    it is, else one turn per paragraph with a leading ``Name:`` label recognised."""
    from ..ingest.canonical import interviewer_matcher
    from ..ingest.read import read_text

    try:
        parsed = read_text(text, name)
        if parsed.text == text:
            return parsed.turns
    except TranscriptError:
        pass
    is_interviewer = interviewer_matcher(None, name)
    turns = []
    for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        start, speaker = m.start(), ""
        label = LABEL.match(text, m.start(), m.end())
        if label:
            start, speaker = label.end(), label.group(1).strip()
        if text[start:m.end()].strip():
            turns.append(Turn(len(turns), speaker, start, m.end(), not (speaker and is_interviewer(speaker))))
    return turns


def store_warnings(conn, plan: Plan, report) -> None:
    """The import's warnings, kept with the transcripts they concern (shown by ``status`` and
    ``transcripts show`` until resolved): one naming a source goes to that source's transcript, one
    about the whole file to each transcript of the file."""
    from ..store.speakers import add_warnings

    if not report.notes:
        return
    names = {s.guid: repr(s.original_name) for s in plan.sources}
    for s in plan.sources:
        mine = [n for n in report.notes if names[s.guid] in n
                or not any(other in n for other in names.values())]
        add_warnings(conn, s.id, "refi-import", [f"import refi {report.path.name}: {n}" for n in mine])


def write_plan(project: Project, plan: Plan, report) -> None:
    config_path = project.root / "qualcode.toml"
    old_config = config_path.read_text(encoding="utf-8") if plan.codebook_path else ""
    try:
        with project.engine.begin() as conn:
            known = {p.key: p for p in list_participants(conn)}
            ids = {}
            for key, p in plan.participants.items():
                if key in known:
                    old = known[key]
                    p = Participant(p.pid, p.group, p.role or old.role, p.attribution or old.attribution,
                                    old.attributes | p.attributes)
                ids[key] = upsert_participant(conn, p)
            for s in plan.sources:
                if s.existing_id is None:
                    parsed = ParsedTranscript(s.name, s.text, _turns(s.name, s.text), "qdpx", f"{report.path.name}:{s.name}")
                    s.id = insert_transcript(conn, parsed, group=s.participant[0], participant_id=ids[s.participant])
                else:
                    s.id = s.existing_id
            tid = {s.guid: s.id for s in plan.sources}
            text = {s.guid: s.text for s in plan.sources}
            rows = [dict(transcript_id=tid[c.source], start=c.start, end=c.end, snippet=text[c.source][c.start:c.end],
                         code_id=c.code_id, coder=c.coder, origin="import", status="accepted", memo=c.memo)
                    for c in plan.codings]
            report.codings_new = insert_codings(conn, rows)
            coding_ids = {}
            for s in plan.sources:
                for c in query_codings(conn, transcript_id=s.id):
                    coding_ids[(c.transcript_id, c.start, c.end, c.code_id, c.coder)] = c.id
            for m in plan.memos:
                t = tid.get(m.source) if m.source else None
                p = ids.get(m.participant) if m.participant else None
                if (m.kind, m.text, t, p, m.code_id) in plan.known_memos:
                    continue
                c = rows[m.coding] if m.coding is not None else None
                cid = coding_ids.get((c["transcript_id"], c["start"], c["end"], c["code_id"], c["coder"])) if c else None
                add_memo(conn, kind=m.kind, text=m.text, author=m.author, transcript_id=t, coding_id=cid,
                         participant_id=p, code_id=m.code_id)
                report.memos += 1
            report.sets = sum(save_code_set(conn, group) for group in plan.sets)
            store_warnings(conn, plan, report)
            if plan.codebook_path is not None:
                plan.codebook_path.parent.mkdir(parents=True, exist_ok=True)
                plan.codebook_path.write_text(plan.codebook_text, encoding="utf-8")
                report.codebook_written = plan.codebook_path
                project.config.codebooks = [plan.codebook_path.relative_to(project.root).as_posix()]
                write_config(project.config)
    except BaseException:
        if report.codebook_written is not None:
            plan.codebook_path.unlink(missing_ok=True)
            config_path.write_text(old_config, encoding="utf-8")
            project.config.codebooks = []
            report.codebook_written = None
        raise
