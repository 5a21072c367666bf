"""Every Word and Excel output of the bundled study, rendered as a reader sees it: LibreOffice
headless to PDF. Checks the paper size of every page, how many pages each output takes, and that
no table column is narrower than the longest word it must hold (a word would break mid-word or
spill). Skipped locally without LibreOffice; in CI (CI=true) a missing LibreOffice fails."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from tests.conftest import REPO, run
from tests.render import A4_PT, pdf_pages, same_size, soffice, to_pdf

CHAR_EM = 0.6  # a wide character of a proportional font, in ems (bold and capitals included)
CELL_MARGINS_TWIPS = 2 * 85  # left + right cell margins of qualcode's Word tables


def _ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    if soffice() is None or shutil.which("pdfinfo") is None:
        if _ci():
            pytest.fail("LibreOffice (soffice) or poppler (pdfinfo) is missing in CI: .ci/run must install them")
        pytest.skip("LibreOffice or poppler-utils not installed (apt-get install libreoffice-writer-nogui "
                    "libreoffice-calc-nogui poppler-utils)")
    root = tmp_path_factory.mktemp("render")
    for folder in ("transcripts", "codebooks"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "qualcode.toml", root / "qualcode.toml")
    files = sorted(str(p.relative_to(root)) for ext in ("txt", "docx", "vtt") for p in (root / "transcripts").glob(f"*.{ext}"))
    double = "yp-D3,yp-R2,lc-R1"
    made = {"table3.docx": ["report", "quotes", "--group", "young-person"],
            "table4.docx": ["report", "quotes", "--group", "clinician"],
            "table3.xlsx": ["report", "quotes", "--group", "young-person"],
            "framework-young-person.docx": ["report", "matrix", "--group", "young-person"],
            "framework-young-person.xlsx": ["report", "matrix", "--group", "young-person"],
            "framework-clinician.docx": ["report", "matrix", "--group", "clinician"],
            "review-pack.xlsx": ["review-pack", "export", "--group", "young-person"],
            "review-pack.docx": ["review-pack", "export", "--group", "young-person"],
            "frequencies.xlsx": ["report", "frequencies", "--format", "xlsx"],
            "disagreements.xlsx": ["disagreements", "--coders", "analyst,coder-b"],
            "disagreements.docx": ["disagreements", "--coders", "analyst,coder-b"]}
    steps = [["import", *files, "--participants", "transcripts/roster.csv"],
             ["import-codings", "transcripts/codings.csv"], ["import-codings", "transcripts/second-coder.csv"],
             ["sample", "--transcripts", double],
             *([*args, "-o", f"out/{name}"] for name, args in made.items()),
             ["codebook", "export", "codebooks/working-alliance.yaml", "--format", "docx", "-o", "out/codebook.docx"]]
    (root / "out").mkdir()
    for args in steps:
        r = run(args, cwd=root)
        assert r.exit_code == 0, (args, r.output)
    paths = {name: root / "out" / name for name in [*made, "codebook.docx"]}
    pdfs = to_pdf(list(paths.values()), root / "pdf")
    return {name: pdfs[path] for name, path in paths.items()} | {f"source:{n}": p for n, p in paths.items()}


def _pdfs(outputs):
    return {name: pdf for name, pdf in outputs.items() if not name.startswith("source:")}


def test_every_page_of_every_output_is_a4(outputs):
    for name, pdf in _pdfs(outputs).items():
        pages = pdf_pages(pdf)
        assert pages, name
        assert all(same_size(p, A4_PT) for p in pages), (name, pages[:3])


def test_page_counts_of_the_bundled_study(outputs):
    pages = {name: len(pdf_pages(pdf)) for name, pdf in _pdfs(outputs).items()}
    pack = load_workbook(outputs["source:review-pack.xlsx"])["Quotes"]
    quotes = pack.max_row - 1
    # the paper prints Table 3 on three pages and Table 4 on two
    assert pages["table3.docx"] <= 4 and pages["table4.docx"] <= 3, pages
    # a pack row is a quote with its id on the same page: several quotes a page, not 47 pages
    assert pages["review-pack.xlsx"] <= 1 + quotes // 5, (pages, quotes)
    assert pages["review-pack.docx"] <= 2 + quotes // 4, (pages, quotes)
    # the framework matrix: a few pages per theme, not a sheet of 20 columns cut into strips
    themes = len(load_workbook(outputs["source:framework-young-person.xlsx"]).sheetnames)
    assert pages["framework-young-person.xlsx"] <= 2 * themes and pages["framework-young-person.docx"] <= 2 * themes


def _longest(texts) -> str:
    """The longest unbreakable run: lines break at spaces, after hyphens and slashes, at zero-width
    spaces; no-break spaces hold words together ("Lay counsellor R3" is one run)."""
    words = [w for t in texts for w in re.split(r"[ \n\t\u200b]+|(?<=[-/])", t or "") if w]
    return max(words, key=len, default="")


def _printed_text(tc) -> str:
    """The text of a table cell that is printed: hidden runs (w:vanish) left out."""
    lines = []
    for p in tc.iter(qn("w:p")):
        runs = [r for r in p.iter(qn("w:r")) if r.find(f"{qn('w:rPr')}/{qn('w:vanish')}") is None]
        lines.append("".join(t.text or "" for r in runs for t in r.iter(qn("w:t"))))
    return "\n".join(lines)


def _font_pt(cell, default: float) -> float:
    sizes = [int(e.get(qn("w:val"))) / 2 for e in cell._tc.iter(qn("w:sz"))]
    return max(sizes, default=default)


def test_no_word_table_column_is_narrower_than_its_longest_word(outputs):
    for name, path in outputs.items():
        if not (name.startswith("source:") and name.endswith(".docx")):
            continue
        document = Document(str(path))
        normal = document.styles["Normal"].font.size
        for t, table in enumerate(document.tables):
            for row in table.rows:
                for tc, cell in zip(row._tr.tc_lst, row.cells):
                    width = int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w")))
                    word = _longest([_printed_text(tc)])
                    size = _font_pt(cell, normal.pt if normal else 11)
                    needed = len(word) * CHAR_EM * size * 20 + CELL_MARGINS_TWIPS
                    assert width >= needed, f"{name} table {t + 1}: {word!r} needs {needed:.0f} twips, column {width}"


def test_no_excel_column_is_narrower_than_its_longest_word(outputs):
    for name, path in outputs.items():
        if not (name.startswith("source:") and name.endswith(".xlsx")):
            continue
        for sheet in load_workbook(path).worksheets:
            if sheet.sheet_state != "visible":
                continue
            for column in sheet.iter_cols():
                letter = column[0].column_letter
                dim = sheet.column_dimensions[letter]
                if dim.hidden:
                    continue
                word = _longest(str(c.value) for c in column if c.value is not None)
                width = dim.width or 8.43
                assert width >= len(word), f"{name} sheet {sheet.title!r} column {letter}: {word!r} in width {width}"
