"""Fuzz: random YAML codebooks and rosters (random structure and odd types, deep nesting, alias bombs,
random edits of a good codebook, random bytes) through the readers and `qualcode codebook check`:
accepted, or refused with exit 1 naming the file; never an internal error, never a hang."""
from __future__ import annotations

import itertools

import yaml
from hypothesis import given
from hypothesis import strategies as st

from qualcode.codebook.load import load_codebook
from qualcode.ingest.roster import read_roster

from tests.conftest import TINY_CODEBOOK

from .fuzz import cli_outcome, reader_outcome

_n = itertools.count()
KEYS = ["codebook", "name", "version", "domains", "id", "label", "codes", "subcodes", "groups", "definition",
        "rules", "phrases", "lemmas", "regex", "pattern", "near", "a", "b", "within", "exclude", "LEMMA", "LOWER",
        "IN", "OP", "participants", "group", "role", "attribution", "transcript", "inclusion", "exclusion"]
SCALAR = (st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | st.sampled_from(KEYS)
          | st.text(max_size=20) | st.sampled_from(["(a+)+$", "[", "\\", "*", "{", "&x", "!!python/object", "~",
                                                    "2024-01-01", "0x1F", ".inf", "-.nan", "yes", "\x00", "\ud7ff"]))
TREE = st.recursive(SCALAR, lambda kids: st.lists(kids, max_size=4)
                    | st.dictionaries(st.sampled_from(KEYS) | SCALAR.filter(lambda v: v is not None), kids, max_size=5),
                    max_leaves=40)


def _dump(value) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


@st.composite
def edited_codebook(draw) -> str:
    """The tiny codebook with random values replaced, at any depth."""
    book = yaml.safe_load(TINY_CODEBOOK)
    for _ in range(draw(st.integers(1, 4))):
        node, path = book, []
        while isinstance(node, (dict, list)) and node and draw(st.booleans()):
            key = draw(st.sampled_from(list(node) if isinstance(node, dict) else list(range(len(node)))))
            path.append(node)
            node = node[key]
            path.append(key)
        if len(path) >= 2:
            path[-2][path[-1]] = draw(TREE)
    return _dump(book)


def _alias_bomb(depth: int, where: str) -> str:
    """Nested aliases: ``depth`` levels of two references each (2**depth leaves from a few lines)."""
    lines = ["x0: &x0 [privacy, privacy]"] + [f"x{i}: &x{i} [*x{i - 1}, *x{i - 1}]" for i in range(1, depth)]
    close = "}]" if where.endswith("group") else ""
    return "\n".join(lines) + f"\n{where}: *x{depth - 1}{close}\n"


def _deep(depth: int, kind: str) -> str:
    return {"list": "[" * depth + "]" * depth, "map": "{a: " * depth + "1" + "}" * depth,
            "block": "".join("  " * i + "- \n" for i in range(min(depth, 300)))}[kind]


YAML_TEXT = (TREE.map(_dump) | edited_codebook()
             | st.builds(_alias_bomb, st.integers(5, 30), st.sampled_from(["domains", "codebook", "participants",
                                                                         "participants: [{id: P1, group", "- id: P1\n  age"]))
             | st.builds(_deep, st.integers(10, 60_000), st.sampled_from(["list", "map", "block"]))
             | st.text(max_size=300) | st.sampled_from(["", "---", "--- !!binary aGk=", "a: !!python/name:os.system"]))


def _write(root, text: str | bytes, stem: str, ext: str = ".yaml"):
    path = root / "fuzz" / f"{stem}{next(_n)}{ext}"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    return path


@given(YAML_TEXT | st.binary(max_size=500))
def test_random_codebook_is_read_or_refused_by_name(fuzz_project, text):
    reader_outcome(load_codebook, _write(fuzz_project, text, "codebook"))


@given(YAML_TEXT)
def test_random_codebook_is_checked_or_refused_by_name(fuzz_project, text):
    path = _write(fuzz_project, text, "codebook")
    cli_outcome(["codebook", "check", str(path)], fuzz_project, path)


@given(YAML_TEXT | st.binary(max_size=500))
def test_random_yaml_roster_is_read_or_refused_by_name(fuzz_project, text):
    reader_outcome(read_roster, _write(fuzz_project, text, "roster"))
