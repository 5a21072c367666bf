"""Fuzz: real exported review packs (.xlsx, .docx), REFI-QDA projects (.qdpx) and codebooks (.qdc) with
random cell edits, XML edits and byte edits, through `qualcode review-pack import`, `qualcode import
refi` and `qualcode codebook import`: imported, or refused naming the file; never an internal error,
never a hang."""
from __future__ import annotations

import io
import itertools
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import run

from .fuzz import cli_outcome

_n = itertools.count()
TEXT = (st.text(max_size=40) | st.sampled_from(["drop", "keep", "best", "KEEP ", "Q1", "Q999999", "=1+2", "", "-1",
                                                 "environment", "regular", "bond", "x" * 5000]))
VALUE = TEXT | st.none() | st.integers(-2**40, 2**40) | st.floats(allow_nan=False) | st.booleans()


def _out(root: Path, ext: str) -> Path:
    (root / "fuzz").mkdir(exist_ok=True)
    return root / "fuzz" / f"in{next(_n)}{ext}"


def _rezip(src: Path, dst: Path, change) -> Path:
    """Copy the archive, passing each XML entry's bytes through ``change(name, data)``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            zout.writestr(item.filename, change(item.filename, data) if item.filename.endswith((".xml", ".qde")) else data)
    return dst


@st.composite
def byte_edits(draw):
    """A function that splices random bytes into some data at random places."""
    edits = draw(st.lists(st.tuples(st.floats(0, 1), st.integers(0, 30), st.binary(max_size=30)), min_size=1, max_size=4))

    def apply(data: bytes) -> bytes:
        for where, cut, new in edits:
            at = int(where * len(data))
            data = data[:at] + new + data[at + cut:]
        return data
    return apply


@st.composite
def xml_edits(draw):
    """A function that changes random elements of an XML document: attributes, text, removal, copies."""
    ops = draw(st.lists(st.tuples(st.sampled_from(["attr", "text", "drop", "copy", "attr-drop"]), st.floats(0, 1.0),
                                  TEXT), min_size=1, max_size=5))

    def apply(data: bytes) -> bytes:
        try:
            root = ET.fromstring(data)
        except ET.ParseError:
            return data
        for op, where, text in ops:
            parents = [(p, c) for p in root.iter() for c in p]
            if not parents:
                break
            parent, el = parents[min(int(where * len(parents)), len(parents) - 1)]
            if op == "attr" and el.attrib:
                el.set(sorted(el.attrib)[int(where * 97) % len(el.attrib)], text)
            elif op == "attr-drop" and el.attrib:
                del el.attrib[sorted(el.attrib)[int(where * 97) % len(el.attrib)]]
            elif op == "text":
                el.text = text
            elif op == "drop":
                parent.remove(el)
            elif op == "copy":
                parent.append(el)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return apply


def _edit_xlsx(src: Path, dst: Path, cells) -> Path:
    from openpyxl import load_workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = load_workbook(src)
    ws = wb.worksheets[0]
    for row, col, value in cells:  # what Excel itself cannot hold (control characters) is left out
        ws.cell(row=row, column=col).value = ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
    wb.save(dst)
    return dst


def _edit_docx(src: Path, dst: Path, cells) -> Path:
    from docx import Document

    doc = Document(str(src))
    grid = [cell for table in doc.tables for row in table.rows for cell in row.cells]
    for row, col, value in cells:
        if grid:
            grid[(row * 11 + col) % len(grid)].text = "" if value is None else _xml_safe(str(value))
    doc.save(str(dst))
    return dst


def _xml_safe(text: str) -> str:
    """What a Word document can hold (XML 1.0 characters)."""
    return "".join(c for c in text if c in "\t\n\r" or " " <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd")


CELLS = st.lists(st.tuples(st.integers(1, 12), st.integers(1, 12), VALUE), min_size=1, max_size=8)


@given(st.sampled_from([".xlsx", ".docx"]), st.integers(0, 2), CELLS, byte_edits(), xml_edits())
def test_edited_review_pack_imports_or_is_refused_by_name(fuzz_project, ext, how, cells, bytes_edit, xml_edit):
    src, dst = fuzz_project / "exports" / f"pack{ext}", _out(fuzz_project, ext)
    if how == 0:
        (_edit_xlsx if ext == ".xlsx" else _edit_docx)(src, dst, cells)
    elif how == 1:
        _rezip(src, dst, lambda name, data: xml_edit(data))
    else:
        dst.write_bytes(bytes_edit(src.read_bytes()))
    cli_outcome(["review-pack", "import", str(dst), "--reviewer", "fuzz"], fuzz_project, dst)


@given(st.booleans(), byte_edits(), xml_edits())
def test_edited_qdpx_imports_or_is_refused_by_name(refi_target, xml, bytes_edit, xml_edit):
    src, dst = refi_target.parent / "study.qdpx", _out(refi_target, ".qdpx")
    if xml:
        _rezip(src, dst, lambda name, data: xml_edit(bytes_edit(data) if len(data) % 3 == 0 else data))
    else:
        dst.write_bytes(bytes_edit(src.read_bytes()))
    cli_outcome(["import", "refi", str(dst)], refi_target, dst)


@given(st.sampled_from(["codebook.qdc", "study.qdpx"]), st.booleans(), byte_edits(), xml_edits())
def test_edited_qdc_or_qdpx_codebook_imports_or_is_refused_by_name(fuzz_project, name, xml, bytes_edit, xml_edit):
    src, dst = fuzz_project / "exports" / name, _out(fuzz_project, Path(name).suffix)
    if name.endswith(".qdc"):
        dst.write_bytes(xml_edit(src.read_bytes()) if xml else bytes_edit(src.read_bytes()))
    elif xml:
        _rezip(src, dst, lambda n, data: xml_edit(data))
    else:
        dst.write_bytes(bytes_edit(src.read_bytes()))
    out = dst.with_suffix(".yaml")
    cli_outcome(["codebook", "import", str(dst), "-o", str(out), "--force"], fuzz_project, dst)
