"""An explicit walk of a Word document's body XML, so that no text container is skipped.

python-docx's ``Paragraph.text`` reads only a paragraph's direct runs and hyperlinks: words in
tracked insertions, moves, content controls, smart tags, fields and text boxes are lost. Here:

- tracked changes are read as accepted: ``w:ins`` and ``w:moveTo`` are read, ``w:del`` and
  ``w:moveFrom`` are not;
- content controls (``w:sdt``), custom XML, smart tags, hyperlinks and simple fields are read
  through; a complex field's result is read, its instruction (``w:instrText``) is not;
- text boxes (``w:txbxContent``) become paragraphs of their own after the paragraph holding
  them (from ``mc:Choice`` only, so the ``mc:Fallback`` copy is not read twice);
- tables, nested tables included, are rows of cells, each cell a list of lines;
- footnotes, endnotes and comments are read from their parts as notes (never speech).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
WPS_TXBX = "txbxContent"

# Read through: their children are the text (accepted tracked insertions and moves included).
_THROUGH = {W + t for t in ("ins", "moveTo", "hyperlink", "smartTag", "customXml", "fldSimple", "sdtContent",
                            "bdo", "dir", "r")}
_SKIP = {W + t for t in ("del", "moveFrom", "pPr", "rPr", "instrText", "delText", "sdtPr", "sdtEndPr",
                         "commentRangeStart", "commentRangeEnd", "bookmarkStart", "bookmarkEnd", "proofErr")}


@dataclass
class WPara:
    """A paragraph as read: its text (``\\n`` at line breaks) and the ``w:r`` elements of its start."""

    text: str
    element: object
    boxes: list["WPara"] = field(default_factory=list)  # text boxes anchored in it


@dataclass
class WTable:
    rows: list[list[list[str]]]  # rows -> cells -> lines
    header_rows: int = 0  # rows marked "repeat as header row" (w:tblHeader) at the top


def _local(tag: object) -> str:
    return tag.split("}", 1)[1] if isinstance(tag, str) and "}" in tag else ""


def paragraph(p) -> WPara:
    """The accepted text of a ``w:p``; text boxes inside it come back in ``boxes``."""
    parts: list[str] = []
    boxes: list[WPara] = []
    _inline(p, parts, boxes)
    return WPara("".join(parts), p, boxes)


def _inline(el, parts: list[str], boxes: list[WPara]) -> None:
    for child in el:
        tag = child.tag
        if tag in _SKIP or not isinstance(tag, str):
            continue
        if tag == W + "t":
            parts.append(child.text or "")
        elif tag == W + "tab" or tag == W + "ptab":
            parts.append("\t")
        elif tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
        elif tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                _inline(content, parts, boxes)
        elif tag in _THROUGH:
            _inline(child, parts, boxes)
        elif tag == MC + "AlternateContent":
            choice = child.find(MC + "Choice")
            if choice is not None:
                _boxes(choice, boxes)
        elif _local(tag) in ("drawing", "pict", "object"):
            _boxes(child, boxes)


def _boxes(el, boxes: list[WPara]) -> None:
    for box in el.iter(W + WPS_TXBX):
        for item in blocks(box):
            if isinstance(item, WPara):
                boxes.append(item)
                boxes.extend(item.boxes)
                item.boxes = []


def blocks(container) -> Iterator[WPara | WTable]:
    """Paragraphs and tables of a body, cell, text box or content control, in document order."""
    for child in container:
        tag = child.tag
        if tag == W + "p":
            yield paragraph(child)
        elif tag == W + "tbl":
            yield table(child)
        elif tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from blocks(content)
        elif tag in (W + "customXml", W + "ins", W + "moveTo"):
            yield from blocks(child)


def _rows(tbl) -> Iterator:
    for child in tbl:
        if child.tag == W + "tr":
            yield child
        elif child.tag in (W + "sdt", W + "customXml", W + "ins", W + "moveTo"):
            inner = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if inner is not None:
                yield from _rows(inner)


def _cells(tr) -> Iterator:
    for child in tr:
        if child.tag == W + "tc":
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            inner = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if inner is not None:
                yield from _cells(inner)


def cell_lines(tc) -> list[str]:
    """A cell's lines: its paragraphs' lines, text boxes, and nested tables' rows (cells joined by " | ")."""
    lines: list[str] = []
    for item in blocks(tc):
        if isinstance(item, WPara):
            for para in [item, *item.boxes]:
                lines.extend(line.strip() for line in para.text.split("\n") if line.strip())
        else:
            for row in item.rows:
                cells = [" ".join(c) for c in row if c]
                if cells:
                    lines.append(" | ".join(cells))
    return lines


def table(tbl) -> WTable:
    rows: list[list[list[str]]] = []
    header = 0
    counting = True
    for tr in _rows(tbl):
        is_header = tr.find(f"{W}trPr/{W}tblHeader") is not None
        merged = [tc.find(f"{W}tcPr/{W}vMerge") for tc in _cells(tr)]
        cells = [[] if (m is not None and m.get(W + "val") in (None, "continue")) else cell_lines(tc)
                 for tc, m in zip(_cells(tr), merged)]
        rows.append(cells)
        if counting and is_header:
            header += 1
        else:
            counting = False
    return WTable(rows, header)


def notes(package) -> list[tuple[str, str]]:
    """``(kind, text)`` for each footnote, endnote and comment in the document's parts."""
    from lxml import etree

    found: list[tuple[str, str]] = []
    wanted = {"/word/footnotes.xml": ("footnote", "footnote"), "/word/endnotes.xml": ("endnote", "endnote"),
              "/word/comments.xml": ("comment", "comment")}
    for part in package.iter_parts():
        kind = wanted.get(str(part.partname))
        if kind is None:
            continue
        root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
        for note in root.iter(W + kind[1]):
            if note.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            text = " ".join(p.text.strip() for p in blocks(note) if isinstance(p, WPara) and p.text.strip())
            if text:
                author = note.get(W + "author")
                found.append((f"{kind[0]} ({author})" if author else kind[0], text))
    return found
