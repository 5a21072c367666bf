"""Every raw WordprocessingML tweak qualcode makes lives here, as small functions.

python-docx has no API for repeating header rows (``w:tblHeader``), rows that must not split
across pages (``w:cantSplit``), vertical merges (``w:vMerge``), cell shading or per-cell widths,
and its ``table.add_row`` / ``cell.add_paragraph`` re-walk the XML and get slow on large tables.
So the table writers build ``w:tbl`` elements directly from these helpers. Child elements are
created in the order the OOXML schema requires (Word refuses files that break it).

Widths are in twips (1/20 pt; 1440 per inch); font sizes in points.
"""
from __future__ import annotations

import re
from copy import deepcopy
from functools import lru_cache
from typing import Iterable, Sequence

from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import oxml_parser

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Characters XML 1.0 forbids (control characters other than tab, LF, CR; lone surrogates; U+FFFE/F).
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

EMU_PER_TWIP = 635
DEFAULT_TEXT_WIDTH = 9360  # 6.5 in, US Letter with 1 in margins


def xml_safe(text: str) -> str:
    """``text`` without the characters XML cannot hold (stray control characters in transcripts)."""
    return _XML_BAD.sub("", text)


_W_NSMAP = {"w": nsmap["w"]}
_qn = lru_cache(maxsize=None)(qn)


def _el(tag: str, **attrs):
    """A new ``w:`` element (python-docx's element classes) with ``w:``-prefixed attributes."""
    element = oxml_parser.makeelement(_qn(tag), nsmap=_W_NSMAP)
    for name, value in attrs.items():
        element.set(_qn(f"w:{name}"), str(value))
    return element


def run(text: str, *, bold: bool = False, italic: bool | None = None,
        size_pt: float | None = None, color: str | None = None):
    """A ``w:r``. ``italic=False`` writes an explicit "not italic"; line breaks become ``w:br``."""
    r = _el("w:r")
    rpr = _run_properties(bold, italic, size_pt, color)
    if rpr is not None:
        r.append(deepcopy(rpr))
    for i, line in enumerate(xml_safe(text).split("\n")):
        if i:
            r.append(_el("w:br"))
        if line:
            t = _el("w:t")
            t.text = line
            t.set(_XML_SPACE, "preserve")
            r.append(t)
    return r


@lru_cache(maxsize=64)
def _run_properties(bold: bool, italic: bool | None, size_pt: float | None, color: str | None):
    """A prototype ``w:rPr`` (copied per run: building a few kinds once is much faster)."""
    rpr = _el("w:rPr")
    if bold:
        rpr.append(_el("w:b"))
    if italic is not None:
        rpr.append(_el("w:i") if italic else _el("w:i", val="0"))
    if color:
        rpr.append(_el("w:color", val=color))
    if size_pt:
        half_points = str(int(round(size_pt * 2)))
        rpr.append(_el("w:sz", val=half_points))
        rpr.append(_el("w:szCs", val=half_points))
    return rpr if len(rpr) else None


def paragraph(runs: Iterable = (), *, space_before_pt: float = 0, space_after_pt: float = 0,
              keep_next: bool = False):
    """A ``w:p`` with single line spacing and the given spacing, holding ``runs``."""
    p = _el("w:p")
    p.append(deepcopy(_paragraph_properties(space_before_pt, space_after_pt, keep_next)))
    for r in runs:
        p.append(r)
    return p


@lru_cache(maxsize=64)
def _paragraph_properties(space_before_pt: float, space_after_pt: float, keep_next: bool):
    ppr = _el("w:pPr")
    if keep_next:
        ppr.append(_el("w:keepNext"))
    ppr.append(_el("w:spacing", before=int(space_before_pt * 20), after=int(space_after_pt * 20),
                   line=240, lineRule="auto"))
    return ppr


def cell(paragraphs: Sequence, width: int, *, vmerge: str | None = None, fill: str | None = None):
    """A ``w:tc`` of ``width`` twips. ``vmerge``: "restart" (first cell of a vertical merge),
    "continue" (a cell merged into the one above: leave it without text) or None.
    ``fill``: background colour as hex, e.g. "D9D9D9". A cell always holds a paragraph."""
    tc = _el("w:tc")
    tcpr = _el("w:tcPr")
    tcpr.append(_el("w:tcW", w=int(width), type="dxa"))
    if vmerge == "restart":
        tcpr.append(_el("w:vMerge", val="restart"))
    elif vmerge == "continue":
        tcpr.append(_el("w:vMerge"))
    elif vmerge is not None:
        raise ValueError(f"vmerge must be 'restart', 'continue' or None, not {vmerge!r}")
    if fill:
        tcpr.append(_el("w:shd", val="clear", color="auto", fill=fill))
    tc.append(tcpr)
    for p in paragraphs or [paragraph()]:
        tc.append(p)
    return tc


def row(cells: Iterable, *, header: bool = False, cant_split: bool = True):
    """A ``w:tr``. ``header``: repeat this row at the top of every page (``w:tblHeader``).
    ``cant_split``: keep the row on one page (``w:cantSplit``; Word still breaks a row taller
    than a page)."""
    tr = _el("w:tr")
    trpr = _el("w:trPr")
    if cant_split:
        trpr.append(_el("w:cantSplit"))
    if header:
        trpr.append(_el("w:tblHeader"))
    if len(trpr):
        tr.append(trpr)
    for tc in cells:
        tr.append(tc)
    return tr


_BORDER_STYLES = {
    # every edge and inner line: a plain grid
    "grid": {"top": (4, "000000"), "left": (4, "000000"), "bottom": (4, "000000"),
             "right": (4, "000000"), "insideH": (4, "000000"), "insideV": (4, "000000")},
    # journal style: heavier top and bottom rules, light horizontal lines, no vertical lines
    "rules": {"top": (12, "000000"), "bottom": (12, "000000"), "insideH": (4, "A6A6A6")},
}


def table(widths: Sequence[int], *, borders: str = "grid"):
    """An empty ``w:tbl`` with a fixed layout of ``widths`` (twips) and the named border style
    ("grid" or "rules"). Append rows made by :func:`row`, then place it with :func:`append_block`."""
    if borders not in _BORDER_STYLES:
        raise ValueError(f"borders must be one of {sorted(_BORDER_STYLES)}, not {borders!r}")
    tbl = _el("w:tbl")
    tblpr = _el("w:tblPr")
    tblpr.append(_el("w:tblW", w=int(sum(widths)), type="dxa"))
    tblborders = _el("w:tblBorders")
    spec = _BORDER_STYLES[borders]
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if edge in spec:
            size, colour = spec[edge]
            tblborders.append(_el(f"w:{edge}", val="single", sz=size, space=0, color=colour))
        else:
            tblborders.append(_el(f"w:{edge}", val="nil"))
    tblpr.append(tblborders)
    tblpr.append(_el("w:tblLayout", type="fixed"))
    margins = _el("w:tblCellMar")
    for edge, width in (("top", 29), ("left", 85), ("bottom", 29), ("right", 85)):
        margins.append(_el(f"w:{edge}", w=width, type="dxa"))
    tblpr.append(margins)
    tblpr.append(_el("w:tblLook", val="04A0", firstRow="1", lastRow="0", firstColumn="1",
                     lastColumn="0", noHBand="0", noVBand="1"))
    tbl.append(tblpr)
    grid = _el("w:tblGrid")
    for width in widths:
        grid.append(_el("w:gridCol", w=int(width)))
    tbl.append(grid)
    return tbl


def append_block(document: DocumentObject, element) -> None:
    """Add a paragraph or table element at the end of the body (before the final ``w:sectPr``)."""
    body = document.element.body
    sect_pr = body.find(qn("w:sectPr"))
    if sect_pr is not None:
        sect_pr.addprevious(element)
    else:
        body.append(element)


def clear_body(document: DocumentObject) -> None:
    """Remove all content from the body, keeping the final section properties (page setup)."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def set_page(section, paper: str = "a4", *, landscape: bool = False) -> None:
    """Paper size ("a4" or "letter"), orientation and 2 cm margins for ``section``."""
    from qualcode.paper import set_word_page

    set_word_page(section, paper, landscape=landscape)


def set_landscape(section) -> None:
    """Turn ``section`` to landscape: orientation flag plus swapped page width and height."""
    width, height = section.page_width, section.page_height
    section.orientation = WD_ORIENT.LANDSCAPE
    if width is not None and height is not None and width < height:
        section.page_width, section.page_height = height, width


def text_width(section) -> int:
    """The width between the margins of ``section``, in twips."""
    try:
        emu = section.page_width - section.left_margin - section.right_margin
    except TypeError:  # a reference document that leaves page size or margins unset
        return DEFAULT_TEXT_WIDTH
    return max(int(emu / EMU_PER_TWIP), 1440)


def split_width(total: int, fractions: Sequence[float]) -> list[int]:
    """``total`` twips split by ``fractions``; the last column takes the rounding remainder."""
    widths = [int(total * f / sum(fractions)) for f in fractions]
    widths[-1] = total - sum(widths[:-1])
    return widths
