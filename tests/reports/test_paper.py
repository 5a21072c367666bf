"""Paper size: A4 unless qualcode.toml says ``[reports] paper = "letter"``, in every Word and Excel output."""
from __future__ import annotations

from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from tests.conftest import run

A4_TWIPS, LETTER_TWIPS = (11906, 16838), (12240, 15840)


def _page(path: Path) -> tuple[int, int]:
    section = Document(str(path)).sections[0]
    return round(section.page_width.twips), round(section.page_height.twips)


def _set_paper(root: Path, paper: str) -> None:
    config = root / "qualcode.toml"
    config.write_text(config.read_text(encoding="utf-8") + f'\n[reports]\npaper = "{paper}"\n', encoding="utf-8")


def _outputs(root: Path) -> dict[str, Path]:
    for args in (["autocode"], ["code", "add", "yp-D3", "environment", "--quote", "Privacy is very important."]):
        r = run(args, cwd=root)
        assert r.exit_code == 0, r.output
    made = {}
    for name, args in {"quotes.docx": ["report", "quotes"], "quotes.xlsx": ["report", "quotes"],
                       "matrix.docx": ["report", "matrix"], "matrix.xlsx": ["report", "matrix"],
                       "freq.xlsx": ["report", "frequencies", "--format", "xlsx"],
                       "pack.xlsx": ["review-pack", "export"],
                       "pack.docx": ["review-pack", "export"]}.items():
        r = run([*args, "-o", name], cwd=root)
        assert r.exit_code == 0, (name, r.output)
        made[name] = root / name
    return made


def _check(made: dict[str, Path], twips: tuple[int, int], excel_code: int) -> None:
    assert len(made) == 7, sorted(made)  # every Word and Excel report and pack was written
    for name, path in made.items():
        if name.endswith(".docx"):
            assert sorted(_page(path)) == sorted(twips), name
        else:
            book = load_workbook(path)
            for sheet in book.worksheets:
                if sheet.sheet_state == "visible":
                    assert int(sheet.page_setup.paperSize) == excel_code, (name, sheet.title)


def test_every_word_and_excel_output_is_a4_by_default(project_dir):
    _check(_outputs(project_dir), A4_TWIPS, 9)


def test_letter_paper_from_qualcode_toml(project_dir):
    _set_paper(project_dir, "letter")
    _check(_outputs(project_dir), LETTER_TWIPS, 1)


def test_an_unknown_paper_size_is_an_error_naming_the_file(project_dir):
    _set_paper(project_dir, "a5")
    r = run(["report", "quotes", "-o", "q.docx"], cwd=project_dir)
    assert r.exit_code != 0
    assert "qualcode.toml" in r.stderr and "'a5'" in r.stderr and "'letter'" in r.stderr
