"""Render the bundled study's Word and Excel outputs and figures to docs/img/ (PNG, modest size),
as a reader sees them: LibreOffice headless -> PDF -> pdftoppm. Needs LibreOffice and poppler-utils.

    .venv/bin/python scripts/render_outputs.py          # after `make demo`-like setup in a temp dir

Prints each PNG written with the page count and page size of its document.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qualcode.cli import cli  # noqa: E402
from tests.render import pdf_pages, soffice, to_pdf, to_png  # noqa: E402

OUTPUTS = {  # file -> (qualcode command, pages to keep as PNG)
    "table3.docx": (["report", "quotes", "--group", "young-person"], 2),
    "table4.docx": (["report", "quotes", "--group", "clinician"], 1),
    "framework-young-person.docx": (["report", "matrix", "--group", "young-person"], 1),
    "framework-young-person.xlsx": (["report", "matrix", "--group", "young-person"], 1),
    "review-pack.xlsx": (["review-pack", "export", "--group", "young-person"], 2),
    "review-pack.docx": (["review-pack", "export", "--group", "young-person"], 1),
}


def qualcode(args: list[str], cwd: Path) -> None:
    import os

    old = os.getcwd()
    os.chdir(cwd)
    try:
        cli.main(args, prog_name="qualcode", standalone_mode=False)
    finally:
        os.chdir(old)


def main() -> int:
    if soffice() is None or shutil.which("pdftoppm") is None:
        print("needs LibreOffice (soffice) and poppler-utils (pdftoppm)", file=sys.stderr)
        return 1
    out_img = ROOT / "docs" / "img"
    with tempfile.TemporaryDirectory(prefix="qualcode-render-") as tmp:
        root = Path(tmp)
        for folder in ("transcripts", "codebooks"):
            shutil.copytree(ROOT / folder, root / folder)
        shutil.copy(ROOT / "qualcode.toml", root / "qualcode.toml")
        files = sorted(str(p.relative_to(root)) for ext in ("txt", "docx", "vtt") for p in (root / "transcripts").glob(f"*.{ext}"))
        qualcode(["import", *files, "--participants", "transcripts/roster.csv"], root)
        qualcode(["import-codings", "transcripts/codings.csv"], root)
        qualcode(["import-codings", "transcripts/second-coder.csv"], root)
        qualcode(["summary", "set", "D3", "yp-conducive-environment", "Needs privacy: overheard another session.",
                  "--group", "young-person"], root)
        for name, (args, _) in OUTPUTS.items():
            qualcode([*args, "-o", f"out/{name}"], root)
        qualcode(["report", "figures", "-o", "out/figures"], root)
        pdfs = to_pdf([root / "out" / n for n in OUTPUTS], root / "pdf")
        for source, pdf in pdfs.items():
            pages = pdf_pages(pdf)
            stem = out_img / f"render-{source.stem}-{source.suffix[1:]}"
            for old in out_img.glob(f"{stem.name}-*.png"):
                old.unlink()
            for png in to_png(pdf, stem, last=OUTPUTS[source.name][1]):
                print(f"{png.relative_to(ROOT)}  ({len(pages)} page(s), {pages[0][0]:.0f} x {pages[0][1]:.0f} pt)")
        for fig in sorted((root / "out" / "figures").glob("*.png")):
            target = out_img / f"figure-{fig.name}"
            shutil.copy(fig, target)
            print(target.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
