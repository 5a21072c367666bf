"""``qualcode init``: check the codebook(s) and roster, then create the project, never half of it.

Paths are read from where the user stands (the current folder), as a shell user expects. Files are
copied into the project (codebooks to ``codebooks/``, the roster to the project folder) so the
project is self-contained; ``link=True`` records their absolute paths instead. A file already inside
the project folder is recorded relative to it and not copied.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from ..errors import CodebookError, Problem, ProjectError, RosterError
from ..store.project import CONFIG_NAME, Project, init_project


@dataclass(frozen=True)
class Placed:
    """One input file: where it is, and what qualcode.toml will record (copied there unless linked)."""

    source: Path
    recorded: str
    copy: bool


def _find(given: str, cwd: Path, root: Path, what: str) -> Path:
    for candidate in (cwd / Path(given).expanduser(), root / given):
        if candidate.is_file():
            return candidate.resolve()
    error = CodebookError if what == "codebook" else RosterError
    where = (cwd / Path(given).expanduser()).resolve()
    raise error(f"{given}: no such {what} file (looked for {where}); nothing was created",
                [Problem(given, None, None, f"no such {what} file (looked for {where}); nothing was created")])


def _place(source: Path, root: Path, folder: str, link: bool) -> Placed:
    if source.is_relative_to(root):
        return Placed(source, source.relative_to(root).as_posix(), False)
    if link:
        return Placed(source, str(source), False)
    target = f"{folder}/{source.name}" if folder else source.name
    existing = root / target
    if existing.exists() and existing.read_bytes() != source.read_bytes():
        raise ProjectError(f"{existing} already exists and differs from {source}; nothing was created")
    return Placed(source, target, True)


def check_inputs(codebooks: list[Path], roster: Path | None) -> None:
    """The full codebook check (structure and rules) and the roster check; raises on the first bad file."""
    from ..codebook import load_codebook
    from ..codebook.merge import merge_codebooks
    from ..engine.compile import check_rules  # spaCy: only to check the rules
    from ..ingest.roster import read_roster

    if codebooks:
        books = [load_codebook(p) for p in codebooks]
        for book in books:
            check_rules(book)
        merge_codebooks(books)
    if roster is not None:
        read_roster(roster)


def create(directory: Path, *, codebooks: list[str], roster: str = "", link: bool = False,
           cwd: Path | None = None, **settings) -> Project:
    """Check every input, then copy (or link) them and create ``qualcode.toml`` and the store."""
    cwd = (cwd or Path.cwd()).resolve()
    root = (cwd / directory).resolve()
    if (root / CONFIG_NAME).exists():
        raise ProjectError(f"{root / CONFIG_NAME} already exists: this folder is already a qualcode project")
    books = [_place(_find(c, cwd, root, "codebook"), root, "codebooks", link) for c in codebooks]
    people = _place(_find(roster, cwd, root, "roster"), root, "", link) if roster else None
    check_inputs([b.source for b in books], people.source if people else None)
    existed = root.exists()
    copies = [p for p in [*books, *([people] if people else [])] if p.copy]
    try:
        for placed in copies:
            (root / placed.recorded).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(placed.source, root / placed.recorded)
        return init_project(root, codebooks=[b.recorded for b in books],
                            roster=people.recorded if people else "", **settings)
    except BaseException:
        _undo(root, existed, [root / p.recorded for p in copies])
        raise


def _undo(root: Path, existed: bool, copied: list[Path]) -> None:
    """Leave the folder as it was when creating the project failed part-way (e.g. the store)."""
    if not existed:
        shutil.rmtree(root, ignore_errors=True)
        return
    for path in [*copied, root / CONFIG_NAME]:
        path.unlink(missing_ok=True)
