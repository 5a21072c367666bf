"""REFI-QDA codebooks: qualcode codebook -> ``<CodeBook>`` XML (a ``.qdc`` file, or the CodeBook of a
project), and ``<CodeBook>`` XML (from a .qdc or a .qdpx) -> plain ``ExCode`` trees.

A code's REFI ``Description`` carries its definition, then "When to use:", "When not to use:" and
"Examples:" paragraphs; reading splits them back, so a round trip keeps each field.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from ..codebook.model import Code, Codebook
from ..errors import ExchangeError
from . import CODEBOOK_NS
from .guids import code_guid, norm_guid, stable_guid
from ..safezip import SafeArchive, parse_xml
from .schemas import check_valid

SECTIONS = (("when_to_use", "When to use:"), ("when_not_to_use", "When not to use:"), ("examples", "Examples:"))
_SECTION_RE = re.compile(r"^(When to use:|When not to use:|Examples:)[ \t]*", re.MULTILINE)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ID_RE = re.compile(r"(?:^|\n\n)qualcode id:[ \t]*([a-z0-9][a-z0-9_.-]*)[ \t]*\s*$")


@dataclass
class ExCode:
    """A code as another program sees it (REFI-QDA ``Code``)."""

    guid: str
    name: str
    description: str = ""
    colour: str | None = None
    codable: bool = True
    children: list["ExCode"] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def origin() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"qualcode {version('qualcode')}"
    except PackageNotFoundError:
        return "qualcode"


def xml_text(value: str) -> str:
    """``value`` without the control characters XML 1.0 cannot hold (a stray form feed from Word)."""
    return _NOT_XML.sub("", value)


def join_description(code: Code) -> str:
    parts = [code.definition.strip()] if code.definition.strip() else []
    if code.when_to_use.strip():
        parts.append(f"When to use: {code.when_to_use.strip()}")
    if code.when_not_to_use.strip():
        parts.append(f"When not to use: {code.when_not_to_use.strip()}")
    if code.examples:
        parts.append("Examples:\n" + "\n".join(f"- {e}" for e in code.examples))
    parts.append(f"qualcode id: {code.id}")  # lets a round trip through another program keep the id
    return "\n\n".join(parts)


def split_description(text: str) -> dict:
    """The definition, when to use / not, examples and qualcode id written by ``join_description``;
    text from other programs (no such paragraphs) is all definition."""
    out: dict = {"definition": "", "when_to_use": "", "when_not_to_use": "", "examples": [], "id": ""}
    text = (text or "").strip()
    found = _ID_RE.search(text)
    if found:
        out["id"] = found.group(1)
        text = text[:found.start()]
    pieces = _SECTION_RE.split(text)
    out["definition"] = pieces[0].strip()
    keys = dict((label, key) for key, label in SECTIONS)
    for label, body in zip(pieces[1::2], pieces[2::2]):
        key = keys[label]
        if key == "examples":
            out[key] = [line.strip()[2:].strip() for line in body.splitlines() if line.strip().startswith("- ")]
        else:
            out[key] = " ".join(body.split())
    return out


def codes_element(parent: ET.Element, book: Codebook, note_refs: dict[str, list[str]] | None = None,
                  names: dict[str, str] | None = None) -> None:
    """Append ``<Codes>`` with the codebook's hierarchy to ``parent`` (tags take the namespace the
    root declares with ``xmlns``); ``names`` overrides the name written for a code id."""
    codes = ET.SubElement(parent, "Codes")

    def add(where: ET.Element, code: Code) -> None:
        attrs = {"guid": code_guid(code.id), "name": xml_text((names or {}).get(code.id, code.label)), "isCodable": "true"}
        if code.colour:
            attrs["color"] = code.colour
        el = ET.SubElement(where, "Code", attrs)
        description = join_description(code)
        if description:
            ET.SubElement(el, "Description").text = xml_text(description)
        for target in (note_refs or {}).get(code.id, []):
            ET.SubElement(el, "NoteRef", {"targetGUID": target})
        for child in code.children:
            add(el, child)

    for domain in book.domains:
        add(codes, domain)


def sets_element(parent: ET.Element, book: Codebook) -> None:
    """The codebook's ``code_groups`` as ``<Sets>`` of ``<MemberCode guid=...>`` (Codebook.xsd's shape)."""
    if not book.code_groups:
        return
    sets = ET.SubElement(parent, "Sets")
    for group in book.code_groups:
        el = ET.SubElement(sets, "Set", {"guid": stable_guid("set", group.name), "name": xml_text(group.name)})
        if group.description:
            ET.SubElement(el, "Description").text = xml_text(group.description)
        for code_id in group.codes:
            ET.SubElement(el, "MemberCode", {"guid": code_guid(code_id)})


def qdc_bytes(book: Codebook) -> bytes:
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": origin()})
    codes_element(root, book)
    sets_element(root, book)
    ET.indent(root)
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    check_valid(data, "codebook")
    return data


def write_qdc(book: Codebook, path: Path) -> int:
    """Write ``book`` as a REFI-QDA codebook (validated against Codebook.xsd); returns the code count."""
    data = qdc_bytes(book)
    path.parent.mkdir(parents=True, exist_ok=True)  # as the report writers do
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return sum(1 for _ in book.walk())


def local(tag: str) -> str:
    """An element's name without its namespace (files from other tools use other namespaces)."""
    return tag.rsplit("}", 1)[-1]


def children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if local(c.tag) == name]


def child(el: ET.Element, name: str) -> ET.Element | None:
    found = children(el, name)
    return found[0] if found else None


def text_of(el: ET.Element, name: str) -> str:
    found = child(el, name)
    return (found.text or "") if found is not None else ""


def _colour(value: str | None) -> str | None:
    if not value or not re.fullmatch(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})", value.strip()):
        return None
    value = value.strip()
    return "#" + "".join(c * 2 for c in value[1:]) if len(value) == 4 else value


def read_codes(codes_el: ET.Element | None, where: str) -> list[ExCode]:
    """``<Codes>`` -> ExCode trees. A code without a guid is an error naming it."""
    if codes_el is None:
        return []

    def read(el: ET.Element) -> ExCode:
        guid = norm_guid(el.get("guid"))
        if not guid:
            raise ExchangeError(f"{where}: code {el.get('name', '')!r} has no guid")
        code = ExCode(guid=guid, name=(el.get("name") or "").strip(), description=text_of(el, "Description").strip(),
                      colour=_colour(el.get("color")), codable=(el.get("isCodable", "true").strip().lower() != "false"),
                      note_refs=[norm_guid(n.get("targetGUID")) for n in children(el, "NoteRef")])
        code.children = [read(c) for c in children(el, "Code")]
        return code

    return [read(el) for el in children(codes_el, "Code")]


def read_codebook_file(path: Path) -> tuple[str, list[ExCode], list]:
    """(name, codes, sets) of a ``.qdc`` codebook, or of the CodeBook inside a ``.qdpx`` project
    (sets: ``refi_read.ExSet``, of the CodeBook and, in a project, of the project)."""
    from .refi_read import qde_entry, read_sets

    if path.suffix.lower() == ".qdpx":

        with SafeArchive(path) as archive:
            entry = qde_entry(archive)
            root = parse_xml(archive.read(entry), f"{path}:{entry}")
        if local(root.tag) != "Project":
            raise ExchangeError(f"{path}:{entry}: the root element is <{local(root.tag)}>, not <Project>")
        book = child(root, "CodeBook")
        name = (root.get("name") or path.stem).strip()
        sets = read_sets(child(root, "Sets"))
    else:
        if not path.is_file():
            raise ExchangeError(f"{path}: no such file")
        root = parse_xml(path.read_bytes(), str(path))
        if local(root.tag) != "CodeBook":
            raise ExchangeError(f"{path}: the root element is <{local(root.tag)}>, not <CodeBook>: not a REFI-QDA "
                                "codebook (.qdc)")
        book, name, sets = root, path.stem, []
    codes = read_codes(child(book, "Codes") if book is not None else None, str(path))
    if not codes:
        raise ExchangeError(f"{path}: the codebook has no codes")
    return name, codes, sets + (read_sets(child(book, "Sets")) if book is not None else [])
