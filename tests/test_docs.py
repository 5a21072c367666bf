"""The generated CLI reference matches the commands, and the README keeps its two-command quick start."""
from __future__ import annotations

from tests.conftest import REPO


def test_cli_reference_is_current():
    from qualcode.cli.docgen import render

    assert (REPO / "docs" / "cli.md").read_text(encoding="utf-8") == render(), \
        "docs/cli.md is stale: run 'make docs'"


def test_readme_quick_start_is_two_commands_that_exist_in_the_makefile():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make demo", "make test"]
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "\ndemo:" in makefile and "\ntest:" in makefile


def test_every_command_has_an_example():
    import click

    from qualcode.cli import cli

    def walk(cmd, path):
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                yield from walk(sub, path + [name])
        else:
            yield " ".join(path), cmd

    missing = [name for name, cmd in walk(cli, ["qualcode"]) if "Example:" not in (cmd.help or "")]
    assert missing == []
