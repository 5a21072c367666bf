"""The one-way data flow is a contract the machine checks (pyproject.toml, [tool.importlinter]).

A module that imports a higher layer (say, the store importing the engine) fails this test with
import-linter's own report of the offending import chain; docs/architecture.md shows the graph as
the code has it, and goes stale when the code changes without `make docs`.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import import_graph  # noqa: E402


def test_the_layers_contract_is_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--config", str(REPO / "pyproject.toml")], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "1 kept, 0 broken" in result.stdout


def test_the_architecture_page_shows_the_current_import_graph():
    page = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert import_graph.render() in page, "docs/architecture.md is stale: run 'make docs'"


def test_no_function_in_the_package_is_over_60_lines():
    import ast

    long = []
    for path in sorted((REPO / "qualcode").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 60:
                long.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name} "
                            f"({node.end_lineno - node.lineno + 1} lines)")
    assert long == [], "split these by phase:\n" + "\n".join(long)
