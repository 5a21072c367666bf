"""A project shared by the fuzz tests (hypothesis runs many examples per test, so
a function-scoped project would be rebuilt for nothing); its files exported once, as a user would."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import C1, D3, ROSTER, TINY_CODEBOOK, run


@pytest.fixture(scope="session")
def fuzz_project(tmp_path_factory) -> Path:
    """The tiny two-transcript project, autocoded, with its codings, REFI, codebook and review packs
    exported into ``exports/``."""
    root = tmp_path_factory.mktemp("fuzz") / "study"
    root.mkdir()
    (root / "codebook.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    (root / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (root / "yp-D3.txt").write_text(D3, encoding="utf-8")
    (root / "lc-C1.txt").write_text(C1, encoding="utf-8")
    (root / "exports").mkdir()
    steps = [["init", str(root), "--codebook", "codebook.yaml", "--roster", "roster.csv", "--coder", "analyst"],
             ["import", "yp-D3.txt", "lc-C1.txt"], ["autocode"],
             ["export", "codings", "-o", "exports/codings.csv"],
             ["export", "refi", "-o", "exports/study.qdpx"],
             ["export", "codebook", "-o", "exports/codebook.qdc"],
             ["review-pack", "export", "--status", "suggested", "-o", "exports/pack.xlsx"],
             ["review-pack", "export", "--status", "suggested", "-o", "exports/pack.docx"]]
    for args in steps:
        r = run(args, cwd=root)
        assert r.exit_code == 0, (args, r.output)
    return root


@pytest.fixture(scope="session")
def refi_target(fuzz_project, tmp_path_factory) -> Path:
    """An empty project (same codebook) that fuzzed copies of the study's .qdpx are imported into."""
    root = tmp_path_factory.mktemp("refi") / "target"
    root.mkdir()
    (root / "codebook.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    (root.parent / "study.qdpx").write_bytes((fuzz_project / "exports" / "study.qdpx").read_bytes())
    r = run(["init", str(root), "--codebook", "codebook.yaml", "--coder", "analyst"])
    assert r.exit_code == 0, r.output
    return root
