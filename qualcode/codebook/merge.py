"""Several codebook files used together in one project."""
from __future__ import annotations

from ..errors import CodebookError, Problem
from .model import Codebook


def merge_codebooks(books: list[Codebook]) -> Codebook:
    """One codebook with the domains of each, in order; ids must be unique across files."""
    if len(books) == 1:
        return books[0]
    seen: dict[str, str] = {}
    problems = []
    for book in books:
        for code in book.walk():
            if code.id in seen:
                problems.append(Problem(book.path, code.location.line, code.location.column,
                                        f"id {code.id!r} is also used in {seen[code.id]}"))
            seen.setdefault(code.id, book.path)
    if problems:
        raise CodebookError("duplicate ids across codebooks", problems)
    return Codebook(name=" + ".join(b.name for b in books), version=" + ".join(b.version for b in books if b.version),
                    description="\n\n".join(b.description for b in books if b.description),
                    domains=[d for b in books for d in b.domains], path=";".join(b.path for b in books),
                    source_text="\n---\n".join(b.source_text for b in books),
                    code_groups=[g for b in books for g in b.code_groups])
