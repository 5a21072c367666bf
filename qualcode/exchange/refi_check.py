"""The checks Project.xsd cannot make: every GUID unique, every reference resolves, every selection
inside its text. Run on every export before it is written (a failure is a bug in qualcode), and
usable on any ``.qdpx`` (``reference_problems``)."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from .guids import norm_guid
from .qdc import local

# element (local name) holding a targetGUID -> the elements it may point to
REF_TARGETS = {
    "CodeRef": {"Code"}, "MemberCode": {"Code"}, "NoteRef": {"Note"}, "MemberNote": {"Note"},
    "SourceRef": {"TextSource", "PDFSource", "PictureSource", "AudioSource", "VideoSource"},
    "MemberSource": {"TextSource", "PDFSource", "PictureSource", "AudioSource", "VideoSource"},
    "VariableRef": {"Variable"},
}
USER_ATTRS = ("creatingUser", "modifyingUser")


def _lengths(texts: dict[str, str], utf16: bool) -> dict[str, int]:
    return {norm_guid(g): (len(t.encode("utf-16-le")) // 2 if utf16 else len(t)) for g, t in texts.items()}


def reference_problems(root: ET.Element, texts: dict[str, str], *, utf16: bool = False) -> list[str]:
    """Problems with GUIDs, references and positions in a parsed ``project.qde``; ``texts`` maps a
    source GUID to its plain text (positions counted in code points, or UTF-16 units)."""
    problems: list[str] = []
    kinds: dict[str, str] = {}
    for el in root.iter():
        guid = el.get("guid")
        if guid is None:
            continue
        key = norm_guid(guid)
        if key in kinds:
            problems.append(f"GUID {guid} is used twice (<{kinds[key]}> and <{local(el.tag)}>)")
        kinds.setdefault(key, local(el.tag))
    users = {g for g, k in kinds.items() if k == "User"}
    lengths = _lengths(texts, utf16)
    for el in root.iter():
        tag = local(el.tag)
        if tag in REF_TARGETS and kinds.get(norm_guid(el.get("targetGUID"))) not in REF_TARGETS[tag]:
            problems.append(f"<{tag} targetGUID={el.get('targetGUID')!r}> points to no {'/'.join(sorted(REF_TARGETS[tag]))}")
        for attr in USER_ATTRS:
            if el.get(attr) and norm_guid(el.get(attr)) not in users:
                problems.append(f"<{tag}> {attr}={el.get(attr)!r} is not a <User>")
        if tag == "Link":
            for attr in ("originGUID", "targetGUID"):
                if norm_guid(el.get(attr)) not in kinds:
                    problems.append(f"<Link guid={el.get('guid')!r}> {attr} points to nothing")
        if tag in ("TextSource", "Note"):
            problems += _selection_problems(el, lengths)
    return problems


def _selection_problems(source: ET.Element, lengths: dict[str, int]) -> list[str]:
    path = source.get("plainTextPath") or ""
    guid = path[len("internal://"):].rsplit(".", 1)[0] if path.startswith("internal://") else ""
    if norm_guid(guid) not in lengths:
        return [f"source {source.get('name')!r}: its text {path!r} is not in the archive"] if path else []
    size = lengths[norm_guid(guid)]
    out = []
    for sel in source:
        if local(sel.tag) != "PlainTextSelection":
            continue
        start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
        if not 0 <= start <= end <= size:
            out.append(f"source {source.get('name')!r}: selection {start}-{end} is outside its text ({size})")
    return out


def check_references(qde: bytes, texts: dict[str, str], *, utf16: bool = False) -> None:
    """Raise ``RuntimeError`` (reported as a qualcode bug) when an export would be inconsistent."""
    problems = reference_problems(ET.fromstring(qde), texts, utf16=utf16)
    if problems:
        raise RuntimeError("qualcode produced an inconsistent REFI-QDA project: " + "; ".join(problems[:5]))
