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
from ..store.codings import CodingRow, list_memos, query_codings
from ..store.project import Project
from ..store.transcripts import list_participants, list_transcripts, participant_ids
from . import PROJECT_NS
from .guids import code_guid, stable_guid
from .qdc import codes_element, origin, xml_text
from .schemas import check_valid

DEFAULT_STATUSES = ("accepted", "suggested")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
NS = PROJECT_NS


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


def export_refi(project: Project, output: Path, *, statuses: tuple[str, ...] = DEFAULT_STATUSES) -> RefiExport:
    with project.engine.connect() as conn:
        transcripts = list_transcripts(conn)
        participants = list_participants(conn)
        part_ids = participant_ids(conn)
        every = query_codings(conn)
        memos = list_memos(conn)
    codings = [c for c in every if c.status in statuses]
    book = _book(project)
    known = set(book.ids()) if book else set()
    unknown = sorted({c.code_id for c in codings} - known)
    if unknown:
        raise ExchangeError(f"{len(unknown)} code(s) used by codings are not in the project's codebook: "
                            f"{', '.join(unknown)}. Add them to the codebook (or recode those codings) and export again; "
                            "another program could not show them")
    result = RefiExport(output, transcripts=len(transcripts), codings=len(codings), participants=len(participants),
                        codes=sum(1 for _ in book.walk()) if book else 0,
                        left_out=dict(Counter(c.status for c in every if c.status not in statuses)))

    by_id = {c.id: c for c in every}
    exported = {c.id for c in codings}
    names = {t.id: t.name for t in transcripts}
    part_key = {v: k for k, v in part_ids.items()}
    labels = {c.id: c.label for c in book.walk()} if book else {}
    notes: list[_Note] = []
    sel_notes: dict[int, list[str]] = {}
    src_notes: dict[int, list[str]] = {}
    code_notes: dict[str, list[str]] = {}
    links: list[tuple[str, str]] = []
    merged: set[int] = set()
    for m in memos:
        guid = stable_guid("memo", m.id, m.created_at)
        marker = f"qualcode: {m.kind} memo"
        coding = by_id.get(m.coding_id) if m.coding_id else None
        context = []
        if coding is not None and coding.id in exported:
            sel_notes.setdefault(coding.id, []).append(guid)
            if m.kind == "note" and m.text == coding.memo and coding.id not in merged:
                merged.add(coding.id)
                marker += "; coding memo"
            context.append(f"{labels.get(coding.code_id, coding.code_id)} in {coding.transcript}")
        elif m.transcript_id or coding is not None:
            tid = m.transcript_id or coding.transcript_id
            src_notes.setdefault(tid, []).append(guid)
            context.append(names.get(tid, ""))
        if m.participant_id and m.participant_id in part_key:
            group, pid = part_key[m.participant_id]
            links.append((guid, stable_guid("case", group, pid)))
            context.append(pid)
        if m.code_id and m.code_id in labels:
            code_notes.setdefault(m.code_id, []).append(guid)
            context.append(labels[m.code_id])
        title = f"{m.kind.capitalize()} memo" + (f" ({', '.join(x for x in context if x)})" if context else "")
        notes.append(_Note(guid, title, marker, m.text, m.author, m.created_at))
    for c in codings:
        if c.memo and c.id not in merged:
            guid = stable_guid("coding-memo", *coding_key(c))
            sel_notes.setdefault(c.id, []).insert(0, guid)
            notes.append(_Note(guid, f"Memo on {labels.get(c.code_id, c.code_id)} in {c.transcript}",
                               "qualcode: coding memo", c.memo, c.coder, c.updated_at))
    result.notes = len(notes)

    root = ET.Element("Project", {"xmlns": NS, "name": project.config.name, "origin": origin()})
    users = sorted({c.coder for c in codings} | {n.author for n in notes if n.author})
    if users:
        users_el = _el(root, "Users")
        for name in users:
            _el(users_el, "User", {"guid": user_guid(name), "name": name})
    if book is not None:
        codes_element(_el(root, "CodeBook"), book, code_notes)
    _cases(root, participants, transcripts, part_ids)
    sources_el = _el(root, "Sources") if transcripts else None
    by_transcript: dict[int, list[CodingRow]] = {}
    for c in codings:
        by_transcript.setdefault(c.transcript_id, []).append(c)
    for t in transcripts:
        guid = stable_guid("source", t.name)
        src = _el(sources_el, "TextSource", {"guid": guid, "name": t.name, "plainTextPath": f"internal://{guid}.txt",
                                             "creationDateTime": t.imported_at})
        for c in by_transcript.get(t.id, []):
            key = coding_key(c)
            sel = _el(src, "PlainTextSelection", {
                "guid": stable_guid("selection", *key), "startPosition": str(c.start), "endPosition": str(c.end),
                "creatingUser": user_guid(c.coder), "creationDateTime": c.created_at})
            coding = _el(sel, "Coding", {"guid": stable_guid("coding", *key), "creatingUser": user_guid(c.coder),
                                         "creationDateTime": c.created_at})
            _el(coding, "CodeRef", {"targetGUID": code_guid(c.code_id)})
            for note in sel_notes.get(c.id, []):
                _el(sel, "NoteRef", {"targetGUID": note})
        for note in src_notes.get(t.id, []):
            _el(src, "NoteRef", {"targetGUID": note})
    if notes:
        notes_el = _el(root, "Notes")
        for n in notes:
            note = _el(notes_el, "Note", {"guid": n.guid, "name": n.name, "creationDateTime": n.created,
                                          "creatingUser": user_guid(n.author) if n.author else None})
            _el(note, "Description", text=n.marker)
            _el(note, "PlainTextContent", text=n.text)
    if links:
        links_el = _el(root, "Links")
        for note, case in links:
            _el(links_el, "Link", {"guid": stable_guid("link", note, case), "name": "memo about participant",
                                   "direction": "OneWay", "originGUID": note, "targetGUID": case})
    _el(root, "Description", text=f"Exported by {origin()}; codings with status {', '.join(statuses)}.")
    ET.indent(root)
    qde = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    check_valid(qde, "project")
    _write_zip(output, qde, {stable_guid("source", t.name): t.text for t in transcripts})
    return result


def _cases(root: ET.Element, participants, transcripts, part_ids: dict[tuple[str, str], int]) -> None:
    """Participants as Cases with Variables (group, role, roster attributes) and their transcripts."""
    if not participants:
        return
    extra = sorted({k for p in participants for k in p.attributes if k.lower() not in ("group", "role")})
    variables_el = _el(root, "Variables")
    for name in ["group", "role", *extra]:
        _el(variables_el, "Variable", {"guid": stable_guid("variable", name), "name": name, "typeOfVariable": "Text"})
    cases_el = _el(root, "Cases")
    for p in participants:
        case = _el(cases_el, "Case", {"guid": stable_guid("case", p.group, p.pid), "name": p.pid})
        if p.attribution:
            _el(case, "Description", text=p.attribution)
        values = {"group": p.group, "role": p.role} | {k: p.attributes[k] for k in extra if k in p.attributes}
        for name, value in values.items():
            if value in (None, ""):
                continue
            vv = _el(case, "VariableValue")
            _el(vv, "VariableRef", {"targetGUID": stable_guid("variable", name)})
            _el(vv, "TextValue", text=str(value))
        for t in transcripts:
            if t.participant_id is not None and t.participant_id == part_ids.get(p.key):
                _el(case, "SourceRef", {"targetGUID": stable_guid("source", t.name)})


def _write_zip(output: Path, qde: bytes, sources: dict[str, str]) -> None:
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
