"""Helpers to build small codebooks in code (no YAML) for the engine tests.

Imported by name (``from engine_helpers import ...``): the test folders are not packages.
"""
from __future__ import annotations

from qualcode.codebook.model import Code, Codebook, Location, Rule
from qualcode.engine.tagger import Tagger, Unit


def rule(kind, value, id=None, line=None, column=None):
    return Rule(id or f"{kind}-{line or 0}", kind, value, Location("book.yaml", line, column))


def code(id, rules=(), exclude=(), codes=(), groups=()):
    node = Code(id=id, label=id.title(), rules=list(rules), exclude=list(exclude), groups=list(groups))
    for child in codes:
        child.parent = node
        node.children.append(child)
    return node


def book(*domains):
    return Codebook(name="test", domains=list(domains), path="book.yaml")


def one_code_book(*rules, exclude=(), groups=()):
    """Domain ``d`` holding the single code ``c``."""
    return book(code("d", codes=[code("c", rules, exclude)], groups=groups))


def tag(codebook, text, group="young-person"):
    """Tag ``text`` as one participant turn; returns its suggestions."""
    return Tagger(codebook).tag_units(text, [Unit(0, 0, len(text), "P", True)], group)[0].suggestions


def codes(codebook, text, group="young-person"):
    return [s.code_id for s in tag(codebook, text, group)]
