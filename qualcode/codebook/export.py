"""Readable codebook exports for the team: Markdown, Word and CSV.

Each lists, in codebook order, the domain, code, definition, when to use / not to use, examples.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..cells import csv_dict_writer
from .model import Code, Codebook

COLUMNS = ["domain", "code_id", "label", "level", "groups", "definition", "when_to_use", "when_not_to_use",
           "examples", "rules", "tag", "description"]
# "tag" (a unique readable name) and "description" are the columns other tools' CSV codebook importers
# look for (Taguette's import_codebook reads exactly one of tag/name/path, and description).


def unique_labels(codes: list[tuple[str, str, str | None]]) -> dict[str, str]:
    """(code id, label, parent label) -> a name no other code has: a shared label gets its parent's
    label, "Confidentiality (Bond)", and, when that still clashes, its id."""
    clash = Counter(label.strip().casefold() for _, label, _ in codes)
    names = {cid: (f"{label} ({parent})" if clash[label.strip().casefold()] > 1 and parent else label)
             for cid, label, parent in codes}
    again = Counter(n.casefold() for n in names.values())
    return {cid: (f"{n} [{cid}]" if again[n.casefold()] > 1 else n) for cid, n in names.items()}


def book_unique_labels(book: Codebook) -> dict[str, str]:
    return unique_labels([(c.id, c.label, c.parent.label if c.parent else None) for c in book.walk()])


def codebook_rows(book: Codebook) -> list[dict[str, str]]:
    rows = []
    tags = book_unique_labels(book)
    for code in book.walk():
        rows.append({
            "domain": code.domain.label,
            "code_id": code.id,
            "label": code.label,
            "level": str(code.depth),
            "groups": ", ".join(code.groups),
            "definition": code.definition,
            "when_to_use": code.when_to_use,
            "when_not_to_use": code.when_not_to_use,
            "examples": " | ".join(code.examples),
            "rules": str(len(code.rules)),
            "tag": tags[code.id],
            "description": code.definition,
        })
    return rows


def write_csv(book: Codebook, path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv_dict_writer(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(codebook_rows(book))


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;")


def to_markdown(book: Codebook) -> str:
    lines = [f"# {_md_escape(book.name)}"]
    if book.version:
        lines.append(f"Version {_md_escape(book.version)}")
    if book.description:
        lines += ["", _md_escape(book.description)]
    for code in book.walk():
        level = min(code.depth + 2, 6)
        lines += ["", f"{'#' * level} {_md_escape(code.label)} (`{code.id}`)"]
        if code.groups:
            lines.append(f"*Groups:* {_md_escape(', '.join(code.groups))}")
        for title, value in (("Definition", code.definition), ("When to use", code.when_to_use),
                             ("When not to use", code.when_not_to_use)):
            if value:
                lines += ["", f"**{title}:** {_md_escape(value)}"]
        if code.examples:
            lines += ["", "**Examples:**"] + [f"> {_md_escape(e)}" for e in code.examples]
    return "\n".join(lines) + "\n"


def write_markdown(book: Codebook, path: Path) -> None:
    path.write_text(to_markdown(book), encoding="utf-8")


def write_docx(book: Codebook, path: Path, *, paper: str = "a4") -> None:
    from docx import Document
    from docx.shared import Pt

    from ..paper import set_word_page

    doc = Document()
    set_word_page(doc.sections[0], paper)
    doc.add_heading(book.name, level=0)
    if book.version or book.description:
        doc.add_paragraph(" ".join(x for x in (f"Version {book.version}" if book.version else "", book.description) if x))

    def add(code: Code) -> None:
        doc.add_heading(f"{code.label}", level=min(code.depth + 1, 4))
        meta = doc.add_paragraph()
        meta.add_run(f"id: {code.id}").font.size = Pt(8)
        if code.groups:
            meta.add_run(f"    groups: {', '.join(code.groups)}").font.size = Pt(8)
        for title, value in (("Definition", code.definition), ("When to use", code.when_to_use),
                             ("When not to use", code.when_not_to_use)):
            if value:
                p = doc.add_paragraph()
                p.add_run(f"{title}: ").bold = True
                p.add_run(value)
        for example in code.examples:
            p = doc.add_paragraph(style="Quote") if "Quote" in [s.name for s in doc.styles] else doc.add_paragraph()
            p.add_run(f"\u201c{example}\u201d").italic = True
        for child in code.children:
            add(child)

    for domain in book.domains:
        add(domain)
    doc.save(str(path))


WRITERS = {"md": write_markdown, "csv": write_csv, "docx": write_docx}


def export_codebook(book: Codebook, path: Path, fmt: str, *, paper: str = "a4") -> None:
    """Write ``book`` as ``fmt``; ``paper`` ("a4" or "letter") sizes the Word page. Missing folders
    of ``path`` are made, as the report writers do."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "docx":
        write_docx(book, path, paper=paper)
    else:
        WRITERS[fmt](book, path)
