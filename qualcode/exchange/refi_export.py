"""Export a project as a REFI-QDA project (``.qdpx``) for NVivo, ATLAS.ti, MAXQDA, QualCoder...

The archive holds ``project.qde`` (validated against Project.xsd before anything is written) and
``sources/<GUID>.txt``, each transcript's canonical text in UTF-8, so positions (code points, end
exclusive) mean exactly what they mean in qualcode. GUIDs are stable (see ``guids.py``), entries
carry a fixed timestamp, so exporting an unchanged project twice gives the same file.

Other programs have no notion of a suggested or rejected coding: by default accepted and
suggested codings are exported (``statuses``), rejected ones are left out.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExchangeError, ProjectError
from ..store.code_sets import CodeSet, list_code_sets
from ..store.codings import CodingRow, list_memos, query_codings
from ..store.project import Project
from ..store.transcripts import list_participants, list_transcripts, participant_ids
from . import PROJECT_NS
from .guids import code_guid, stable_guid
from .qdc import codes_element, origin, xml_text
from .refi_check import check_references
from .refi_targets import TARGETS, Target, to_utf16, unique_case_names, unique_code_names, utc_z
from .schemas import check_valid

DEFAULT_STATUSES = ("accepted", "suggested")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
NS = PROJECT_NS
PID_VARIABLE = "participant id"  # a case renamed to be unique ("young-person B1") keeps its id here


def _el(parent: ET.Element, tag: str, attrs: dict[str, str] | None = None, text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in (attrs or {}).items() if v not in (None, "")})
    if text is not None:
        el.text = xml_text(text)
    return el


def user_guid(name: str) -> str:
    return stable_guid("user", name)


def coding_key(c: CodingRow) -> tuple:
    return (c.transcript, c.start, c.end, c.code_id, c.coder)


@dataclass
class RefiExport:
    path: Path
    transcripts: int = 0
    codes: int = 0
    codings: int = 0
    participants: int = 0
    notes: int = 0
    left_out: dict[str, int] = field(default_factory=dict)  # status -> codings not exported
    target: str = "generic"


@dataclass
class _Note:
    guid: str
    name: str
    marker: str
    text: str
    author: str
    created: str


def _book(project: Project):
    try:
        return project.codebook()
    except ProjectError:
        return None  # no codebook configured: only codings could need one (checked by the caller)


@dataclass
class _Data:
    """What is exported, read from the store (phase 1)."""

    transcripts: list
    participants: list
    part_ids: dict
    every: list[CodingRow]
    codings: list[CodingRow]
    memos: list
    book: object
    sets: list = field(default_factory=list)


@dataclass
class _NotePlan:
    """Memos as Notes and where they are referred to from (phase 2)."""

    notes: list[_Note] = field(default_factory=list)
    sel: dict[int, list[str]] = field(default_factory=dict)  # coding id -> note guids
    src: dict[int, list[str]] = field(default_factory=dict)  # transcript id -> note guids
    code: dict[str, list[str]] = field(default_factory=dict)  # code id -> note guids
    links: list[tuple[str, str]] = field(default_factory=list)  # (note guid, case guid)
    merged: set[int] = field(default_factory=set)  # codings whose memo is also a memo row


def _read(project: Project, statuses: tuple[str, ...]) -> _Data:
    with project.engine.connect() as conn:
        transcripts, participants, part_ids = list_transcripts(conn), list_participants(conn), participant_ids(conn)
        every, memos, sets = query_codings(conn), list_memos(conn), list_code_sets(conn)
    codings = [c for c in every if c.status in statuses]
    book = _book(project)
    named = {g.name.casefold() for g in sets}
    sets += [CodeSet(g.name, g.description, list(g.codes)) for g in (book.code_groups if book else [])
             if g.name.casefold() not in named]  # the codebook's code_groups, unless the project has one so named
    unknown = sorted({c.code_id for c in codings} - (set(book.ids()) if book else set()))
    if unknown:
        raise ExchangeError(f"{len(unknown)} code(s) used by codings are not in the project's codebook: "
                            f"{', '.join(unknown)}. Add them to the codebook (or recode those codings) and export again; "
                            "another program could not show them")
    return _Data(transcripts, participants, part_ids, every, codings, memos, book, sets)


def _memo_note(plan: _NotePlan, data: _Data, m, labels: dict[str, str], exported: set[int]) -> None:
    by_id = {c.id: c for c in data.every}
    names = {t.id: t.name for t in data.transcripts}
    part_key = {v: k for k, v in data.part_ids.items()}
    guid = stable_guid("memo", m.id, m.created_at)
    marker = f"qualcode: {m.kind} memo"
    coding = by_id.get(m.coding_id) if m.coding_id else None
    context = []
    if coding is not None and coding.id in exported:
        plan.sel.setdefault(coding.id, []).append(guid)
        if m.kind == "note" and m.text == coding.memo and coding.id not in plan.merged:
            plan.merged.add(coding.id)
            marker += "; coding memo"
        context.append(f"{labels.get(coding.code_id, coding.code_id)} in {coding.transcript}")
    elif m.transcript_id or coding is not None:
        tid = m.transcript_id or coding.transcript_id
        plan.src.setdefault(tid, []).append(guid)
        context.append(names.get(tid, ""))
    if m.participant_id and m.participant_id in part_key:
        group, pid = part_key[m.participant_id]
        plan.links.append((guid, stable_guid("case", group, pid)))
        context.append(pid)
    if m.code_id and m.code_id in labels:
        plan.code.setdefault(m.code_id, []).append(guid)
        context.append(labels[m.code_id])
    title = f"{m.kind.capitalize()} memo" + (f" ({', '.join(x for x in context if x)})" if context else "")
    plan.notes.append(_Note(guid, title, marker, m.text, m.author, m.created_at))


def _plan_notes(data: _Data, labels: dict[str, str]) -> _NotePlan:
    """Every memo row and every coding memo becomes a Note (a coding memo that is also a memo row once)."""
    plan = _NotePlan()
    exported = {c.id for c in data.codings}
    for m in data.memos:
        _memo_note(plan, data, m, labels, exported)
    for c in data.codings:
        if c.memo and c.id not in plan.merged:
            guid = stable_guid("coding-memo", *coding_key(c))
            plan.sel.setdefault(c.id, []).insert(0, guid)
            plan.notes.append(_Note(guid, f"Memo on {labels.get(c.code_id, c.code_id)} in {c.transcript}",
                                    "qualcode: coding memo", c.memo, c.coder, c.updated_at))
    return plan


def _users(root: ET.Element, data: _Data, plan: _NotePlan) -> None:
    users = sorted({c.coder for c in data.codings} | {n.author for n in plan.notes if n.author})
    if users:
        users_el = _el(root, "Users")
        for name in users:
            _el(users_el, "User", {"guid": user_guid(name), "name": name})


def _sources(root: ET.Element, data: _Data, plan: _NotePlan, target: Target) -> None:
    if not data.transcripts:
        return
    sources_el = _el(root, "Sources")
    by_transcript: dict[int, list[CodingRow]] = {}
    for c in data.codings:
        by_transcript.setdefault(c.transcript_id, []).append(c)
    for t in data.transcripts:
        guid = stable_guid("source", t.name)
        src = _el(sources_el, "TextSource", {"guid": guid, "name": t.name, "plainTextPath": f"internal://{guid}.txt",
                                             "creationDateTime": utc_z(t.imported_at)})
        units = to_utf16(t.text) if target.utf16 else None
        memos = [n.text for n in plan.notes if n.guid in plan.src.get(t.id, [])]
        if target.memo_descriptions and memos:
            _el(src, "Description", text="\n\n".join(memos))
        for c in by_transcript.get(t.id, []):
            key = coding_key(c)
            start, end = (units[c.start], units[c.end]) if units else (c.start, c.end)
            sel = _el(src, "PlainTextSelection", {
                "guid": stable_guid("selection", *key), "startPosition": str(start), "endPosition": str(end),
                "creatingUser": user_guid(c.coder), "creationDateTime": utc_z(c.created_at)})
            if target.memo_descriptions and c.memo:
                _el(sel, "Description", text=c.memo)
            coding = _el(sel, "Coding", {"guid": stable_guid("coding", *key), "creatingUser": user_guid(c.coder),
                                         "creationDateTime": utc_z(c.created_at)})
            _el(coding, "CodeRef", {"targetGUID": code_guid(c.code_id)})
            for note in plan.sel.get(c.id, []):
                _el(sel, "NoteRef", {"targetGUID": note})
        for note in plan.src.get(t.id, []):
            _el(src, "NoteRef", {"targetGUID": note})


def _notes_and_links(root: ET.Element, plan: _NotePlan, target: Target) -> None:
    if plan.notes:
        notes_el = _el(root, "Notes")
        names = _unique_note_names(plan.notes) if target.note_files else {}
        for n in plan.notes:
            note = _el(notes_el, "Note", {"guid": n.guid, "name": names.get(n.guid, n.name),
                                          "plainTextPath": f"internal://{n.guid}.txt" if target.note_files else None,
                                          "creationDateTime": utc_z(n.created),
                                          "creatingUser": user_guid(n.author) if n.author else None})
            _el(note, "Description", text=n.marker)
            _el(note, "PlainTextContent", text=n.text)
    if plan.links:
        links_el = _el(root, "Links")
        for note, case in plan.links:
            _el(links_el, "Link", {"guid": stable_guid("link", note, case), "name": "memo about participant",
                                   "direction": "OneWay", "originGUID": note, "targetGUID": case})


def _unique_note_names(notes: list[_Note]) -> dict[str, str]:
    """Note guid -> its name, numbered from the second of a repeated name ("Note memo (yp-D3) 2")."""
    seen: Counter = Counter()
    out = {}
    for n in notes:
        seen[n.name.casefold()] += 1
        out[n.guid] = n.name if seen[n.name.casefold()] == 1 else f"{n.name} {seen[n.name.casefold()]}"
    return out


def _sets(root: ET.Element, data: _Data) -> None:
    """Code groups as ``<Sets>``, with the members this export holds."""
    codes = set(data.book.ids()) if data.book else set()
    names = {t.name for t in data.transcripts}
    if not data.sets:
        return
    sets_el = _el(root, "Sets")
    for group in data.sets:
        el = _el(sets_el, "Set", {"guid": stable_guid("set", group.name), "name": group.name})
        if group.description:
            _el(el, "Description", text=group.description)
        for cid in group.codes:
            if cid in codes:
                _el(el, "MemberCode", {"targetGUID": code_guid(cid)})
        for name in group.transcripts:
            if name in names:
                _el(el, "MemberSource", {"targetGUID": stable_guid("source", name)})


def _code_names(book, target: Target) -> dict[str, str]:
    if book is None or not target.unique_names:
        return {}
    return unique_code_names([(c.id, c.label, c.parent.label if c.parent else None) for c in book.walk()])


def export_origin(target: Target) -> str:
    """The ``origin`` attribute: qualcode's version, and for a program the unit of the positions."""
    if target.name == "generic":
        return origin()
    unit = "UTF-16 code units" if target.utf16 else "code points"
    return f"{origin()} (for {target.program}; positions in {unit})"


def project_xml(project: Project, data: _Data, plan: _NotePlan, target: Target, statuses: tuple[str, ...]) -> bytes:
    """Phase 3: the ``project.qde`` document, validated against Project.xsd."""
    root = ET.Element("Project", {"xmlns": NS, "name": project.config.name, "origin": export_origin(target)})
    _users(root, data, plan)
    if data.book is not None:
        codes_element(_el(root, "CodeBook"), data.book, plan.code, _code_names(data.book, target))
    _cases(root, data, target)
    _sources(root, data, plan, target)
    _notes_and_links(root, plan, target)
    _sets(root, data)
    _el(root, "Description", text=f"Exported by {origin()} for {target.program}; codings with status "
                                  f"{', '.join(statuses)}.")
    ET.indent(root)
    qde = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    check_valid(qde, "project")
    return qde


def export_refi(project: Project, output: Path, *, statuses: tuple[str, ...] = DEFAULT_STATUSES,
                target: str = "generic") -> RefiExport:
    """Write ``output`` (.qdpx) for ``target`` (see ``refi_targets.TARGETS``): read, plan memos, build, check, write."""
    aim = TARGETS[target]
    data = _read(project, statuses)
    labels = {c.id: c.label for c in data.book.walk()} if data.book else {}
    plan = _plan_notes(data, labels)
    qde = project_xml(project, data, plan, aim, statuses)
    texts = {stable_guid("source", t.name): t.text for t in data.transcripts}
    texts |= {n.guid: n.text for n in plan.notes} if aim.note_files else {}
    check_references(qde, texts, utf16=aim.utf16)
    _write_zip(output, qde, texts)
    return RefiExport(output, transcripts=len(data.transcripts), codings=len(data.codings),
                      participants=len(data.participants), notes=len(plan.notes),
                      codes=sum(1 for _ in data.book.walk()) if data.book else 0,
                      left_out=dict(Counter(c.status for c in data.every if c.status not in statuses)), target=target)


def _cases(root: ET.Element, data: _Data, target: Target) -> None:
    """Participants as Cases with Variables (group, role, roster attributes) and their transcripts;
    a case renamed to be unique keeps its participant id in the variable "participant id"."""
    participants = data.participants
    if not participants:
        return
    names = unique_case_names([p.key for p in participants]) if target.unique_names else {}
    renamed = any(names.get(p.key, p.pid) != p.pid for p in participants)
    extra = sorted({k for p in participants for k in p.attributes if k.lower() not in ("group", "role", PID_VARIABLE)})
    variables_el = _el(root, "Variables")
    for name in ["group", "role", *extra] + ([PID_VARIABLE] if renamed else []):
        _el(variables_el, "Variable", {"guid": stable_guid("variable", name), "name": name, "typeOfVariable": "Text"})
    cases_el = _el(root, "Cases")
    for p in participants:
        name = names.get(p.key, p.pid)
        case = _el(cases_el, "Case", {"guid": stable_guid("case", p.group, p.pid), "name": name})
        if p.attribution:
            _el(case, "Description", text=p.attribution)
        values = {"group": p.group, "role": p.role} | {k: p.attributes[k] for k in extra if k in p.attributes}
        if name != p.pid:
            values[PID_VARIABLE] = p.pid
        for var, value in values.items():
            if value in (None, ""):
                continue
            vv = _el(case, "VariableValue")
            _el(vv, "VariableRef", {"targetGUID": stable_guid("variable", var)})
            _el(vv, "TextValue", text=str(value))
        for t in data.transcripts:
            if t.participant_id is not None and t.participant_id == data.part_ids.get(p.key):
                _el(case, "SourceRef", {"targetGUID": stable_guid("source", t.name)})


def _write_zip(output: Path, qde: bytes, sources: dict[str, str]) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)  # as the report writers do
    tmp = output.with_name(output.name + ".part")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, data in [("project.qde", qde)] + [(f"sources/{g}.txt", t.encode("utf-8")) for g, t in sources.items()]:
                info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, data)
        tmp.replace(output)
    finally:
        tmp.unlink(missing_ok=True)
