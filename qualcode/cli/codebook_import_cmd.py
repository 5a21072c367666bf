"""qualcode codebook import FILE.qdc|FILE.qdpx -o FILE.yaml (attached to the `codebook` group)."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import ExchangeError
from ..exchange.codebook_yaml import code_groups, codes_to_yaml
from ..exchange.qdc import read_codebook_file
from .codebook_cmds import codebook_group
from .common import OutputPath, info, refuse_same, warn


@codebook_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=OutputPath(), required=True,
              help="The YAML codebook to write.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
def import_codebook_cmd(file: Path, output: Path, force: bool) -> None:
    """Turn a REFI-QDA codebook (.qdc, or the codebook of a .qdpx project) into a YAML codebook.

    Ids are made from the code names (lower-case, '-' between words, unique); names become
    labels, descriptions become definitions; the hierarchy and colours are kept, and code groups
    (REFI-QDA sets of codes) become the codebook's code_groups.

    \b
    Example:
      qualcode codebook import nvivo-codes.qdc -o codebooks/nvivo.yaml
      qualcode codebook import colleague.qdpx -o codebooks/colleague.yaml
    """
    refuse_same(output, file)
    if output.exists() and not force:
        raise ExchangeError(f"{output} already exists; choose another name or pass --force")
    name, codes, sets = read_codebook_file(file)
    text, mapping = codes_to_yaml(codes, name=name, source=file.name, sets=sets)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    kept = len(code_groups(sets, mapping))
    info(f"{len(mapping)} codes ({len(codes)} at the top level, which become domains), {kept} code group(s); "
         f"check it with 'qualcode codebook check {output}'")
    if len(sets) > kept:
        warn(f"{len(sets) - kept} set(s) with no code of this codebook (sets of documents) not kept")
    click.echo(str(output))


COMMANDS: list[click.Command] = []  # the command lives in the `codebook` group
