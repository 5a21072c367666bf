"""Fixtures for the ingest tests. Small transcripts are written in each test (tmp_path); the real
Teams exports are kept in the repository (``tests/fixtures/formats``, licences and ORIGIN.md
beside them), export-format samples in ``tests/fixtures/transcripts``."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from qualcode.model import ParsedTranscript

REPO = Path(__file__).resolve().parents[2]


FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture
def formats_dir() -> Path:
    return FIXTURES / "formats"


@pytest.fixture
def samples_dir() -> Path:
    return FIXTURES / "transcripts"


def _check(t: ParsedTranscript) -> list[tuple[str, str]]:
    """Assert the canonical-text contract; return (speaker, spoken words) for each turn."""
    assert "\r" not in t.text and "\ufeff" not in t.text
    assert t.text == t.text.strip()
    rebuilt = []
    for i, turn in enumerate(t.turns):
        assert turn.index == i
        said = t.text[turn.start:turn.end]
        assert said and said == said.strip()
        rebuilt.append(f"{turn.speaker}: {said}" if turn.speaker else said)
    assert "\n\n".join(rebuilt) == t.text
    return [(turn.speaker, t.text[turn.start:turn.end]) for turn in t.turns]


@pytest.fixture
def spoken() -> Callable[[ParsedTranscript], list[tuple[str, str]]]:
    """``spoken(t)`` checks offsets/layout and returns [(speaker, words), ...]."""
    return _check


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """``write("name.txt", text_or_bytes)`` -> path in tmp_path."""
    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, str):
            path.write_bytes(content.encode("utf-8"))
        else:
            path.write_bytes(content)
        return path

    return _write
