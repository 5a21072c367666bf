"""Generate docs/cli.md from the click commands (``make docs``); a test fails when it is stale."""
from __future__ import annotations

import click

from . import cli


def _walk(command: click.Command, path: list[str]):
    yield path, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from _walk(command.commands[name], path + [name])


def render() -> str:
    lines = ["# CLI reference", "",
             "Generated from the click commands by `make docs` (`python -m qualcode.cli.docgen > docs/cli.md`).",
             "Do not edit by hand: `tests/test_docs.py` fails when this file is stale.", ""]
    for path, command in _walk(cli, ["qualcode"]):
        name = " ".join(path)
        ctx = click.Context(command, info_name=name, terminal_width=100, max_content_width=100)
        lines += [f"## `{name}`", "", "```text", command.get_help(ctx).replace(ctx.command_path, name), "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    import os
    os.environ["COLUMNS"] = "100"
    click.echo(render(), nl=False)
