"""``qualcode init --example DIR``: a small study that works at once and is meant to be edited.

A codebook with two domains, four codes with definitions, examples and rules; a roster of two young
people; their two interviews. Afterwards ``qualcode import interviews/*.txt`` and ``qualcode autocode``
give suggestions to review.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from ..errors import ProjectError
from ..store.project import CONFIG_NAME, Project
from .init import create

EXAMPLE = Path(__file__).resolve().parent / "example"
FILES = ["codebook.yaml", "roster.csv", "interviews/interview-P01.txt", "interviews/interview-P02.txt"]


def create_example(directory: Path, cwd: Path | None = None, **settings) -> Project:
    """Write the example study's files into ``directory`` (new or empty of them) and make it a project."""
    root = ((cwd or Path.cwd()) / directory).resolve()
    taken = [name for name in [CONFIG_NAME, *FILES] if (root / name).exists()]
    if taken:
        raise ProjectError(f"{root}: already has {', '.join(taken)}; choose a new folder for the example")
    existed = root.exists()
    try:
        for name in FILES:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(EXAMPLE / name, root / name)
        return create(root, codebooks=["codebook.yaml"], roster="roster.csv", cwd=root, **settings)
    except BaseException:
        if not existed:
            shutil.rmtree(root, ignore_errors=True)
        else:
            for name in FILES:
                (root / name).unlink(missing_ok=True)
        raise
