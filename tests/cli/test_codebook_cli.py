"""qualcode codebook check / show / export: a valid summary, and every error class located."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from docx import Document

from tests.conftest import TINY_CODEBOOK, run


def check(tmp_path: Path, text: str | bytes, name: str = "cb.yaml"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return run(["codebook", "check", str(path)]), str(path)


def test_valid_codebook_prints_summary(tiny_codebook):
    r = run(["codebook", "check", str(tiny_codebook)])
    assert r.exit_code == 0
    assert "Tiny working alliance" in r.stdout
    # 2 domains, 3 codes, 6 rules (5 rules + 1 exclusion)
    assert "│ 2 " in r.stdout and "│ 3 " in r.stdout and "│ 6 " in r.stdout


BASE = "codebook:\n  name: X\ndomains:\n  - id: bond\n    label: Bond\n    codes:\n"

CASES = [
    ("yaml syntax", BASE + "      - id: a\n        label: [unclosed\n", 9, "not valid YAML"),
    ("tab", BASE + "      - id: a\n\t       label: A\n", 8, "tab character"),
    ("unknown key", BASE + "      - id: a\n        lable: A\n", 8, "did you mean 'label'"),
    ("duplicate id", BASE + "      - id: a\n        label: A\n      - id: a\n        label: B\n", 9, "duplicate id 'a'"),
    ("empty label", BASE + "      - id: a\n        label: \"\"\n", 8, "label must not be empty"),
    ("bad regex", BASE + "      - id: a\n        label: A\n        rules:\n          - regex: \"(oops\"\n", 10,
     "invalid regular expression"),
    ("bad token pattern", BASE + "      - id: a\n        label: A\n        rules:\n          - pattern: [{LEMMAX: meet}]\n",
     10, ""),
    ("python tag", BASE + "      - id: a\n        label: !!python/object/apply:os.system [\"echo pwned\"]\n", 8,
     "not allowed"),
]


@pytest.mark.parametrize("name,text,line,message", CASES, ids=[c[0] for c in CASES])
def test_errors_are_located(tmp_path, name, text, line, message):
    r, path = check(tmp_path, text)
    assert r.exit_code == 1
    assert "Traceback" not in r.output
    assert f"{path}:{line}:" in r.stderr
    assert message in r.stderr


def test_python_tag_is_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    text = BASE + f"      - id: a\n        label: !!python/object/apply:os.system [\"touch {marker}\"]\n"
    r, _ = check(tmp_path, text)
    assert r.exit_code == 1
    assert not marker.exists()


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    text = BASE + "      - id: a\n        lable: A\n      - id: a\n        label: B\n        colour: red\n"
    r, path = check(tmp_path, text)
    assert r.exit_code == 1
    assert r.stderr.count(path + ":") == 4  # unknown key, missing label, duplicate id, bad colour


@pytest.mark.parametrize("content,message", [
    ("", "empty"), ("   \n\n", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    ("just some words, not a codebook\n", "does not look like a codebook"),
    ("- a\n- b\n", "does not look like a codebook"),
])
def test_empty_and_non_yaml_files(tmp_path, content, message):
    r, path = check(tmp_path, content)
    assert r.exit_code == 1
    assert path in r.stderr and message in r.stderr


def test_missing_file(tmp_path):
    r = run(["codebook", "check", str(tmp_path / "nope.yaml")])
    assert r.exit_code == 1
    assert "nope.yaml" in r.stderr and "cannot read" in r.stderr


def test_show_prints_tree_with_brackets_verbatim(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text(TINY_CODEBOOK.replace("label: Age", "label: \"Age [of therapist]\""), encoding="utf-8")
    r = run(["codebook", "show", str(path), "--definitions"])
    assert r.exit_code == 0
    assert "Age [of therapist]" in r.stdout
    assert "A private, quiet space for sessions." in r.stdout


@pytest.mark.parametrize("fmt", ["md", "csv", "docx"])
def test_export_readable_codebook(tiny_codebook, tmp_path, fmt):
    out = tmp_path / f"codebook.{fmt}"
    r = run(["codebook", "export", str(tiny_codebook), "--format", fmt, "-o", str(out)])
    assert r.exit_code == 0
    if fmt == "md":
        text = out.read_text(encoding="utf-8")
        assert "Conducive environment" in text and "A private, quiet space for sessions." in text
    elif fmt == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
        assert [r["code_id"] for r in rows] == ["bond", "environment", "regular", "demographics", "age"]
        assert rows[1]["domain"] == "Bond"
    else:
        text = "\n".join(p.text for p in Document(str(out)).paragraphs)
        assert "Conducive environment" in text and "When to use" not in text  # no empty sections
