"""Render Word and Excel files the way a reader sees them: LibreOffice headless to PDF, then
poppler's pdfinfo (page size, page count) and pdftoppm (PNG). Used by tests/test_print_render.py
and scripts/render_outputs.py. Each conversion uses its own LibreOffice profile, so it never
clashes with another LibreOffice running on the machine."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

A4_PT, LETTER_PT = (595.3, 841.9), (612.0, 792.0)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(files: list[Path], outdir: Path) -> dict[Path, Path]:
    """``{file: its PDF}`` (in ``outdir``/<suffix>/, so a.docx and a.xlsx do not collide); raises
    RuntimeError naming a file LibreOffice could not convert."""
    pdfs: dict[Path, Path] = {}
    for suffix in sorted({f.suffix.lower() for f in files}):
        batch = [f for f in files if f.suffix.lower() == suffix]
        target = outdir / suffix.lstrip(".")
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="qualcode-lo-") as profile:
            subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                            "--convert-to", "pdf", "--outdir", str(target), *map(str, batch)],
                           check=True, capture_output=True, timeout=900)
        pdfs.update({f: target / f"{f.stem}.pdf" for f in batch})
    missing = [str(f) for f, pdf in pdfs.items() if not pdf.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not convert {', '.join(missing)}")
    return pdfs


def pdf_pages(pdf: Path) -> list[tuple[float, float]]:
    """The size (width, height in points) of every page of ``pdf``."""
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], check=True, capture_output=True,
                         text=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)]


def same_size(page: tuple[float, float], paper: tuple[float, float]) -> bool:
    return sorted(round(x) for x in page) == sorted(round(x) for x in paper)


def to_png(pdf: Path, stem: Path, *, dpi: int = 60, first: int = 1, last: int = 1) -> list[Path]:
    """PNG renders of pages ``first``..``last`` of ``pdf`` at ``dpi``: ``stem``-1.png, ..."""
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(first), "-l", str(last), str(pdf), str(stem)],
                   check=True, capture_output=True)
    return sorted(stem.parent.glob(f"{stem.name}-*.png"))
