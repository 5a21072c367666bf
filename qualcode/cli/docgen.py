"""Generate docs/cli.md from the click commands (``make docs``); a test fails when it is stale."""
from __future__ import annotations

import click

from . import cli


def _walk(command: click.Command, path: list[str], parent: click.Context | None = None):
    settings = {"terminal_width": 100, "max_content_width": 100} | dict(command.context_settings)
    ctx = click.Context(command, info_name=path[-1], parent=parent, **settings)
    yield " ".join(path), ctx
    subcommands = {}
    if isinstance(command, click.Group):
        subcommands = {name: command.get_command(ctx, name) for name in command.list_commands(ctx)}
    if hasattr(command, "extra_commands"):  # `import refi`, a command inside `import FILES...`
        subcommands = command.extra_commands()
    for name in sorted(subcommands):
        yield from _walk(subcommands[name], path + [name], ctx)


def render() -> str:
    lines = ["# CLI reference", "",
             "Generated from the click commands by `make docs` (`python -m qualcode.cli.docgen > docs/cli.md`).",
             "Do not edit by hand: `tests/test_docs.py` fails when this file is stale.", ""]
    for name, ctx in _walk(cli, ["qualcode"]):
        lines += [f"## `{name}`", "", "```text", ctx.command.get_help(ctx), "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    import os
    os.environ["COLUMNS"] = "100"
    click.echo(render(), nl=False)
