"""Read a REFI-QDA ``project.qde`` into plain data (no store access here).

Elements are matched by local name, so files with another namespace version still read; GUIDs are
compared case-insensitively without braces. Text positions are Unicode code points, end exclusive,
into the source's plain text after a BOM is stripped and CRLF/CR are turned into LF.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from ..errors import ExchangeError
from .guids import norm_guid
from .qdc import ExCode, child, children, local, read_codes, text_of
from ..safezip import SafeArchive

MEDIA = {"PictureSource": "picture", "AudioSource": "audio", "VideoSource": "video"}


@dataclass
class ExCoding:
    guid: str
    code: str  # code guid
    user: str  # user guid ("" when not given)
    note_refs: list[str] = field(default_factory=list)


@dataclass
class ExSelection:
    guid: str
    start: int
    end: int
    user: str
    codings: list[ExCoding] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)
    description: str = ""  # QualCoder, and qualcode --for, write a coding memo here


@dataclass
class ExSource:
    guid: str
    name: str
    kind: str  # text | pdf | picture | audio | video
    plain_path: str = ""
    inline_text: str | None = None
    rich_path: str = ""
    user: str = ""
    selections: list[ExSelection] = field(default_factory=list)
    codings: list[ExCoding] = field(default_factory=list)  # codings of the whole source
    note_refs: list[str] = field(default_factory=list)
    other_selections: int = 0  # picture/PDF-region/media selections, which qualcode cannot keep
    description: str = ""  # the source's memo, as QualCoder writes it


@dataclass
class ExCase:
    guid: str
    name: str
    description: str
    values: dict[str, str]  # variable guid -> value as text
    sources: list[str]


@dataclass
class ExNote:
    guid: str
    name: str
    description: str
    user: str
    inline_text: str | None = None
    plain_path: str = ""


@dataclass
class ExSet:
    guid: str
    name: str
    description: str
    codes: list[str]  # code guids
    sources: list[str]  # source guids


@dataclass
class ExProject:
    name: str
    origin: str
    users: dict[str, str] = field(default_factory=dict)
    codes: list[ExCode] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    cases: list[ExCase] = field(default_factory=list)
    sources: list[ExSource] = field(default_factory=list)
    notes: list[ExNote] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (origin guid, target guid)
    sets: list[ExSet] = field(default_factory=list)  # code groups


def qde_entry(archive: SafeArchive) -> str:
    """The project.qde entry (any case); a lone other ``*.qde`` at the top level also does."""
    found = archive.find("project.qde")
    if found:
        return found
    others = [n for n in archive.names() if n.lower().endswith(".qde") and "/" not in n.replace("\\", "/")]
    if len(others) == 1:
        return others[0]
    raise ExchangeError(f"{archive.path}: no project.qde inside; is this a REFI-QDA project (.qdpx)? "
                        f"(entries: {', '.join(archive.names()[:8]) or 'none'})")


def _int(el: ET.Element, attr: str, where: str) -> int:
    raw = el.get(attr)
    try:
        return int((raw or "").strip())
    except ValueError:
        raise ExchangeError(f"{where}: {attr}={raw!r} is not a whole number") from None


def _codings(el: ET.Element) -> list[ExCoding]:
    out = []
    for c in children(el, "Coding"):
        ref = child(c, "CodeRef")
        out.append(ExCoding(norm_guid(c.get("guid")), norm_guid(ref.get("targetGUID") if ref is not None else ""),
                            norm_guid(c.get("creatingUser")),
                            [norm_guid(n.get("targetGUID")) for n in children(c, "NoteRef")]))
    return out


def _text_source(el: ET.Element, kind: str, name: str, where: str) -> ExSource:
    content = child(el, "PlainTextContent")
    src = ExSource(guid=norm_guid(el.get("guid")), name=name, kind=kind, plain_path=(el.get("plainTextPath") or "").strip(),
                   inline_text=content.text or "" if content is not None else None,
                   rich_path=(el.get("richTextPath") or "").strip(), user=norm_guid(el.get("creatingUser")),
                   codings=_codings(el), note_refs=[norm_guid(n.get("targetGUID")) for n in children(el, "NoteRef")],
                   description=text_of(el, "Description").strip())
    for sel in children(el, "PlainTextSelection"):
        sel_where = f"{where}: source {name!r}, selection {sel.get('guid', '?')}"
        src.selections.append(ExSelection(
            norm_guid(sel.get("guid")), _int(sel, "startPosition", sel_where), _int(sel, "endPosition", sel_where),
            norm_guid(sel.get("creatingUser")), _codings(sel),
            [norm_guid(n.get("targetGUID")) for n in children(sel, "NoteRef")], text_of(sel, "Description").strip()))
    return src


def _sources(sources_el: ET.Element | None, where: str) -> list[ExSource]:
    out: list[ExSource] = []
    for el in list(sources_el) if sources_el is not None else []:
        tag = local(el.tag)
        name = (el.get("name") or "").strip()
        if tag == "TextSource":
            out.append(_text_source(el, "text", name, where))
        elif tag == "PDFSource":
            rep = child(el, "Representation")
            if rep is not None:
                src = _text_source(rep, "pdf", name, where)
                src.guid = norm_guid(el.get("guid"))
                src.codings += _codings(el)
                src.note_refs += [norm_guid(n.get("targetGUID")) for n in children(el, "NoteRef")]
            else:
                src = ExSource(norm_guid(el.get("guid")), name, "pdf")
            src.other_selections = len(children(el, "PDFSelection"))
            out.append(src)
        elif tag in MEDIA:
            out.append(ExSource(norm_guid(el.get("guid")), name, MEDIA[tag]))
    return out


def read_project(root: ET.Element, where: str) -> ExProject:
    if local(root.tag) != "Project":
        raise ExchangeError(f"{where}: the root element is <{local(root.tag)}>, not <Project>: not a REFI-QDA project")
    project = ExProject(name=(root.get("name") or "").strip(), origin=(root.get("origin") or "").strip())
    users = child(root, "Users")
    for u in children(users, "User") if users is not None else []:
        project.users[norm_guid(u.get("guid"))] = (u.get("name") or u.get("id") or "").strip()
    book = child(root, "CodeBook")
    project.codes = read_codes(child(book, "Codes") if book is not None else None, where)
    variables = child(root, "Variables")
    for v in children(variables, "Variable") if variables is not None else []:
        project.variables[norm_guid(v.get("guid"))] = (v.get("name") or "").strip()
    cases = child(root, "Cases")
    for c in children(cases, "Case") if cases is not None else []:
        values: dict[str, str] = {}
        for vv in children(c, "VariableValue"):
            ref = child(vv, "VariableRef")
            value = next((x.text or "" for x in vv if local(x.tag).endswith("Value")), "")
            if ref is not None:
                values[norm_guid(ref.get("targetGUID"))] = value.strip()
        project.cases.append(ExCase(norm_guid(c.get("guid")), (c.get("name") or "").strip(), text_of(c, "Description").strip(),
                                    values, [norm_guid(s.get("targetGUID")) for s in children(c, "SourceRef")]))
    project.sources = _sources(child(root, "Sources"), where)
    notes = child(root, "Notes")
    for n in children(notes, "Note") if notes is not None else []:
        content = child(n, "PlainTextContent")
        project.notes.append(ExNote(norm_guid(n.get("guid")), (n.get("name") or "").strip(), text_of(n, "Description").strip(),
                                    norm_guid(n.get("creatingUser")), content.text or "" if content is not None else None,
                                    (n.get("plainTextPath") or "").strip()))
    links = child(root, "Links")
    for link in children(links, "Link") if links is not None else []:
        project.links.append((norm_guid(link.get("originGUID")), norm_guid(link.get("targetGUID"))))
    project.sets = read_sets(child(root, "Sets")) + read_sets(child(book, "Sets") if book is not None else None)
    return project


def read_sets(sets: ET.Element | None) -> list[ExSet]:
    """``<Sets>`` (of a Project, or of a CodeBook as ATLAS.ti writes code groups)."""
    return [ExSet(norm_guid(s.get("guid")), (s.get("name") or "").strip(), text_of(s, "Description").strip(),
                  [norm_guid(m.get("targetGUID") or m.get("guid")) for m in children(s, "MemberCode")],
                  [norm_guid(m.get("targetGUID") or m.get("guid")) for m in children(s, "MemberSource")])
            for s in (children(sets, "Set") if sets is not None else [])]


def internal_entry(archive: SafeArchive, path: str) -> str | None:
    """The archive entry an ``internal://NAME`` path points to: ``sources/NAME`` or ``Sources/NAME``,
    any case (GUIDs are written in either case)."""
    if not path.lower().startswith("internal://"):
        return None
    name = path[len("internal://"):].lstrip("/")
    return archive.find(f"sources/{name}") or archive.find(name)


def decode_raw(data: bytes, where: str) -> str:
    """UTF-8 text with the BOM stripped and line ends as written (what other programs count in)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExchangeError(f"{where}: not UTF-8 text (byte {exc.start}); REFI-QDA text sources must be UTF-8") from None


def canonical(raw: str) -> str:
    """CRLF/CR -> LF: the text qualcode stores and counts code points in."""
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def decode_text(data: bytes, where: str) -> str:
    """UTF-8 text, BOM stripped, CRLF/CR -> LF (positions count code points of this text)."""
    return canonical(decode_raw(data, where))
