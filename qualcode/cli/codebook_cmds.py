"""qualcode codebook check / show / export."""
from __future__ import annotations

from pathlib import Path

import click
from rich.text import Text
from rich.tree import Tree

from ..codebook import load_codebook
from ..codebook.export import export_codebook
from ..errors import CodebookError
from .common import OutputPath, refuse_same, info, out, table


@click.group("codebook")
def codebook_group() -> None:
    """Check, show and export YAML codebooks."""


@codebook_group.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def check_cmd(files: tuple[Path, ...]) -> None:
    """Validate codebooks and their rules; print a summary, or every problem as FILE:LINE:COL: message.

    \b
    Example:
      qualcode codebook check codebooks/working-alliance.yaml
    """
    from ..engine.compile import check_rules  # spaCy, only to check the rules

    failed: list[CodebookError] = []
    rows = []
    for path in files:
        try:
            book = load_codebook(path)
            check_rules(book)
        except CodebookError as exc:
            failed.append(exc)
            continue
        codes = book.codes()
        groups = sorted({g for c in book.walk() for g in c.groups})
        rows.append([str(path), book.name, len(book.domains), len(codes), book.rule_count(), ", ".join(groups)])
    if rows:
        table(["file", "codebook", "domains", "codes", "rules", "groups"], rows, title="Codebooks OK")
    if failed:
        problems = [p for exc in failed for p in exc.problems]
        raise CodebookError(f"{len(problems)} problem(s)", problems)


@codebook_group.command("show")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--definitions/--no-definitions", default=False, help="Show each code's definition.")
def show_cmd(file: Path, definitions: bool) -> None:
    """Show a codebook as a tree of domains and codes.

    \b
    Example:
      qualcode codebook show codebooks/working-alliance.yaml --definitions
    """
    book = load_codebook(file)
    tree = Tree(Text(f"{book.name} {book.version}".strip(), style="bold"))

    def add(node, code) -> None:
        label = Text(code.label, style="bold" if code.parent is None else "")
        label.append(f"  [{code.id}]", style="dim")
        if code.groups and (code.parent is None or code.groups != code.parent.groups):
            label.append(f"  ({', '.join(code.groups)})", style="cyan")
        if code.rules:
            label.append(f"  {len(code.rules)} rule(s)", style="green")
        branch = node.add(label)
        if definitions and code.definition:
            branch.add(Text(code.definition, style="italic"))
        for child in code.children:
            add(branch, child)

    for domain in book.domains:
        add(tree, domain)
    out.print(tree)


@codebook_group.command("export")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["md", "docx", "csv"]), default="md", show_default=True)
@click.option("-o", "--output", type=OutputPath(), help="Output file (default: FILE with the format's suffix).")
def export_cmd(file: Path, fmt: str, output: Path | None) -> None:
    """Write a readable codebook for the team (domain, code, definition, when to use / not, examples).

    \b
    Example:
      qualcode codebook export codebooks/working-alliance.yaml --format docx -o codebook.docx
    """
    target = output or file.with_suffix(f".{fmt}")
    refuse_same(target, file)
    book = load_codebook(file)
    export_codebook(book, target, fmt, paper=_project_paper())
    info(f"wrote the codebook ({len(book.codes())} codes) as {fmt}")
    click.echo(str(target))


COMMANDS = [codebook_group]


def _project_paper() -> str:
    """The paper size of the project in or above the current folder (a4 outside a project)."""
    from ..errors import ProjectError
    from ..store.project import find_root, read_config

    try:
        return read_config(find_root()).paper
    except ProjectError:
        return "a4"
