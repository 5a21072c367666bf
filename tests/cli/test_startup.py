"""Start-up: `import qualcode.cli` and the everyday commands must not drag in the heavy libraries.

Measured speed lives in benchmarks/startup.py; these tests pin the cause of slowness that a user would
notice (a command that loads pandas or spaCy it never uses) without timing anything.
"""
from __future__ import annotations

import importlib
import subprocess
import sys

import click
from click.testing import CliRunner

from qualcode import cli as cli_module

HEAVY = ("pandas", "spacy", "openpyxl", "docx", "matplotlib", "textual", "numpy",
         "sqlalchemy.dialects.postgresql")


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_import_cli_pulls_no_heavy_library():
    loaded = _loaded_after("import qualcode.cli")
    assert sorted(m for m in HEAVY if m in loaded) == []
    assert "sqlalchemy" not in loaded  # the store is opened only by commands that need it


def test_help_imports_no_command_module():
    code = ("import sys\nfrom qualcode.cli import cli\n"
            "try:\n    cli.main(['--help'], prog_name='qualcode')\nexcept SystemExit:\n    pass")
    loaded = _loaded_after(code)
    assert [m for m in loaded if m.startswith("qualcode.cli.") and m.endswith("_cmds")] == []
    assert "sqlalchemy" not in loaded


def test_every_command_is_registered_with_its_current_summary():
    """`qualcode --help` lists commands from a table (so that it imports nothing): keep it true."""
    found = {}
    for module_name, _, _ in cli_module.COMMANDS.values():
        module = importlib.import_module(f"qualcode.cli.{module_name}")
        for command in getattr(module, "COMMANDS", []):
            found[command.name] = command
    for name, (module_name, attr, summary) in cli_module.COMMANDS.items():
        command = getattr(importlib.import_module(f"qualcode.cli.{module_name}"), attr)
        assert command.name == name
        assert summary == command.get_short_help_str(limit=10_000), f"update the summary of {name!r}"
        found.pop(name, None)
    assert found == {}, f"commands missing from qualcode.cli.COMMANDS: {sorted(found)}"


def test_help_lists_every_command_as_before():
    settings = dict(cli_module.cli.context_settings)
    ctx = click.Context(cli_module.cli, info_name="qualcode", terminal_width=100, **settings)
    lazy = cli_module.cli.get_help(ctx)
    for name in cli_module.cli.list_commands(ctx):
        cli_module.cli.get_command(ctx, name)
    assert cli_module.cli.get_help(ctx) == lazy
    for name in cli_module.COMMANDS:
        assert f"\n  {name} " in lazy


LIGHT = ("pandas", "spacy", "openpyxl", "docx", "matplotlib", "textual", "numpy", "sqlalchemy.dialects.postgresql")
RUN_COMMAND = """
import sys
from qualcode.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="qualcode", standalone_mode=False)
except SystemExit as exc:
    assert not exc.code, exc.code
print("\\nMODULES", " ".join(sorted(sys.modules)))
"""


def _modules_of_command(root, *args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", RUN_COMMAND, "--project", str(root), *args], cwd=root,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.rsplit("MODULES", 1)[1].split())


def test_everyday_commands_load_only_what_they_use(project_dir):
    """status, segments, transcripts list and code accept need the store, not pandas or spaCy, and on
    SQLite not even SQLAlchemy (store.sql runs their SQL with the stdlib); the Word quote table needs
    python-docx only; showing a codebook does not build spaCy."""
    def run(*args):
        return CliRunner().invoke(cli_module.cli, ["--project", str(project_dir), *args], catch_exceptions=False)

    assert run("autocode").exit_code == 0
    suggested = run("segments", "--status", "suggested", "--format", "json").stdout
    first_id = str(__import__("json").loads(suggested)[0]["id"])
    for args, allowed in ((["status"], ()), (["segments", "--code", "environment"], ()),
                          (["transcripts", "list"], ()), (["code", "accept", first_id], ()),
                          (["report", "quotes", "-o", "t.docx"], ("docx",)),
                          (["codebook", "show", "codebook.yaml"], ("sqlalchemy",))):
        loaded = _modules_of_command(project_dir, *args)
        assert [m for m in (*LIGHT, "sqlalchemy") if m in loaded and m not in allowed] == [], args
    assert (project_dir / "t.docx").stat().st_size > 0


def test_tag_builds_spacy_without_the_store_or_other_spacy_plugins(project_dir):
    """`qualcode tag` needs spaCy but no project: not SQLAlchemy, not the packages that offer spaCy
    components through entry points (presidio-analyzer, installed for de-identification, costs ~0.5 s),
    and not spaCy's own command-line interface."""
    done = subprocess.run([sys.executable, "-c", RUN_COMMAND, "tag", "--codebook", "codebook.yaml", "yp-D3.txt"],
                          cwd=project_dir, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    output, modules = done.stdout.rsplit("MODULES", 1)
    loaded = set(modules.split())
    assert "spacy" in loaded and '"codes"' in output
    assert [m for m in ("sqlalchemy", "presidio_analyzer", "pandas", "textual") if m in loaded] == []
    assert [m for m in ("typer", "requests", "weasel", "spacy.cli") if m in loaded] == []  # spaCy's own CLI


def test_spacy_imported_without_its_cli_still_offers_it():
    """qualcode imports spaCy without its command-line interface (engine/spacy_import.py); spaCy's
    `info()` and `spacy.cli` must still work when something asks for them."""
    code = ("import sys\nimport qualcode.engine.nlp\nimport spacy\nassert 'typer' not in sys.modules\n"
            "print(spacy.info(silent=True)['spacy_version'] == spacy.__version__)\n"
            "from spacy.cli import download\nprint(callable(download))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]


REVIEW_FIRST_SCREEN = """
import asyncio, sys
from qualcode.review.app import ReviewApp
from qualcode.store import open_project

from pathlib import Path
app = ReviewApp(open_project(Path(sys.argv[1])), by="analyst")

async def first_screen():
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        print("TURNS", len(app.view.turns))

asyncio.run(first_screen())
print("MODULES", " ".join(sorted(sys.modules)))
"""


def test_review_first_screen_reads_the_store_without_sqlalchemy(project_dir):
    """The review app's first screen only reads (transcripts, turns, codings): on SQLite that needs no
    SQLAlchemy; it is loaded when a key first writes through it."""
    done = subprocess.run([sys.executable, "-c", REVIEW_FIRST_SCREEN, str(project_dir)], cwd=project_dir,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    output, modules = done.stdout.rsplit("MODULES", 1)
    assert int(output.split("TURNS")[1]) > 0
    loaded = set(modules.split())
    assert "textual" in loaded
    assert [m for m in ("sqlalchemy", "spacy", "pandas") if m in loaded] == []
