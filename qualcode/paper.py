"""Paper sizes for everything qualcode prints: A4 by default, US Letter when ``qualcode.toml``
says ``[reports] paper = "letter"``. A bottom-layer module (python-docx only inside functions)."""
from __future__ import annotations

PAPERS = ("a4", "letter")
DEFAULT_PAPER = "a4"
WORD_TWIPS = {"a4": (11906, 16838), "letter": (12240, 15840)}  # portrait (width, height), 1/20 pt
WORD_MARGIN_TWIPS = 1134  # 2 cm on every side


def check_paper(paper: str) -> str:
    """``paper`` lower-cased, or ValueError naming the sizes qualcode knows."""
    value = str(paper).strip().lower()
    if value not in PAPERS:
        raise ValueError(f"unknown paper size {paper!r} (use {' or '.join(PAPERS)})")
    return value


def set_word_page(section, paper: str = DEFAULT_PAPER, *, landscape: bool = False) -> None:
    """Paper size, orientation and 2 cm margins for a python-docx ``section``."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Twips

    width, height = WORD_TWIPS[check_paper(paper)]
    if landscape:
        width, height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Twips(width), Twips(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Twips(WORD_MARGIN_TWIPS))
