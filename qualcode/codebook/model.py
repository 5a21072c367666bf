"""The codebook as plain data: domains (themes) holding codes (subthemes), nesting allowed.

A node is a ``Code``; top-level nodes are the domains. Codings refer to a code's ``id``.
Each code carries matching rules (``Rule``) that the engine compiles to spaCy matchers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

RULE_KINDS = ("phrases", "lemmas", "pattern", "regex", "near")


@dataclass(frozen=True)
class Location:
    """Where something was written: 1-based line and column in ``file``."""

    file: str = ""
    line: int | None = None
    column: int | None = None


@dataclass
class Rule:
    """One matching rule of a code.

    kind      what ``value`` holds
    phrases   list[str]: exact phrases, matched case-insensitively on token text (LOWER)
    lemmas    list[str]: phrases matched on lemmas ("meet regularly" matches "met regularly")
    pattern   list[dict]: one spaCy Matcher token pattern
    regex     str: a Python regular expression, matched case-insensitively on the unit text
    near      dict(a=list[str], b=list[str], within=int): a lemma of ``a`` within ``within`` tokens of a lemma of ``b``
    """

    id: str
    kind: str
    value: Any
    location: Location = field(default_factory=Location)


@dataclass
class Code:
    id: str
    label: str
    definition: str = ""
    when_to_use: str = ""
    when_not_to_use: str = ""
    examples: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # empty = applies to every group
    colour: str | None = None
    rules: list[Rule] = field(default_factory=list)
    exclude: list[Rule] = field(default_factory=list)
    children: list["Code"] = field(default_factory=list)
    parent: "Code | None" = field(default=None, repr=False, compare=False)
    location: Location = field(default_factory=Location, compare=False)

    @property
    def domain(self) -> "Code":
        """The top-level ancestor (the domain this code belongs to); a domain is its own domain."""
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1

    def walk(self) -> Iterator["Code"]:
        yield self
        for child in self.children:
            yield from child.walk()

    def applies_to(self, group: str | None) -> bool:
        return not self.groups or group is None or group in self.groups


@dataclass
class CodeGroup:
    """A named group of codes across the hierarchy: REFI-QDA's ``<Set>`` (NVivo sets, ATLAS.ti code
    groups, MAXQDA code sets). Kept in the YAML under ``code_groups:``; it does not change coding."""

    name: str
    description: str = ""
    codes: list[str] = field(default_factory=list)  # code ids


@dataclass
class Codebook:
    name: str
    version: str = ""
    description: str = ""
    domains: list[Code] = field(default_factory=list)
    path: str = ""
    source_text: str = ""  # the YAML as read, for codebook versions in the store
    code_groups: list[CodeGroup] = field(default_factory=list)

    def walk(self) -> Iterator[Code]:
        """Every node (domains and codes) in codebook order, depth first."""
        for domain in self.domains:
            yield from domain.walk()

    def codes(self) -> list[Code]:
        """Every node below the domains (the subthemes), in codebook order."""
        return [c for c in self.walk() if c.parent is not None]

    def get(self, code_id: str) -> Code | None:
        return self._index().get(code_id)

    def _index(self) -> dict[str, Code]:
        return {c.id: c for c in self.walk()}

    def ids(self) -> list[str]:
        return [c.id for c in self.walk()]

    def rule_count(self) -> int:
        return sum(len(c.rules) + len(c.exclude) for c in self.walk())

    def for_group(self, group: str | None) -> list[Code]:
        """Codes (not domains) that apply to ``group``, in codebook order."""
        return [c for c in self.codes() if c.applies_to(group)]

    def domains_for_group(self, group: str | None) -> list[Code]:
        return [d for d in self.domains if d.applies_to(group) and any(c.applies_to(group) for c in d.walk())]
