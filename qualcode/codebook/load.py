"""Load a YAML codebook into a ``Codebook``, reporting every problem as FILE:LINE:COL.

The YAML is composed with PyYAML's *safe* loader into a node tree (which keeps line and column
marks) and converted by hand, so each problem can point at the exact place. Python tags such as
``!!python/object`` are reported as errors and never constructed. The C loader (libyaml, ten times
faster) composes when it is available; its nodes carry the same marks. On a YAML error the text is
composed again with the pure-Python loader, whose messages say more.

Loading does not check token patterns against spaCy (that needs the pipeline, about two seconds):
``qualcode.engine.compile.check_rules`` does, from ``codebook check`` and whenever rules are compiled.
"""
from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import CodebookError, Problem
from .model import RULE_KINDS, Code, CodeGroup, Codebook, Location, Rule

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
RULE_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./:-]*$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
TOP_KEYS = ("codebook", "domains", "code_groups")
GROUP_KEYS = ("name", "description", "codes")
META_KEYS = ("name", "version", "description")
CODE_KEYS = ("id", "label", "definition", "when_to_use", "when_not_to_use", "examples", "groups",
             "colour", "color", "rules", "exclude", "codes")
SAFE_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
             "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
             "tag:yaml.org,2002:seq"}


class _Reader:
    """Walks the composed node tree, collecting problems instead of stopping at the first."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self._constructor = yaml.SafeLoader("")

    def problem(self, node: yaml.Node | None, message: str) -> None:
        if node is None:
            self.problems.append(Problem(self.path, None, None, message))
        else:
            m = node.start_mark
            self.problems.append(Problem(self.path, m.line + 1, m.column + 1, message))

    def loc(self, node: yaml.Node) -> Location:
        return Location(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def check_tag(self, node: yaml.Node) -> bool:
        if node.tag not in SAFE_TAGS:
            self.problem(node, f"tag {node.tag!r} is not allowed in a codebook (safe YAML only)")
            return False
        return True

    def to_python(self, node: yaml.Node) -> Any:
        """Plain data for a node (used for rule values), with tags checked."""
        if not self.check_tag(node):
            return None
        if isinstance(node, yaml.ScalarNode):
            return self._constructor.construct_object(node, deep=True)
        if isinstance(node, yaml.SequenceNode):
            return [self.to_python(n) for n in node.value]
        return {self.to_python(k): self.to_python(v) for k, v in node.value}

    def mapping(self, node: yaml.Node, what: str, allowed: tuple[str, ...]) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not self.check_tag(node):
            return {}
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping of keys to values")
            return {}
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None or key not in allowed:
                hint = difflib.get_close_matches(str(key), allowed, n=1)
                extra = f" (did you mean {hint[0]!r}?)" if hint else f" (allowed: {', '.join(allowed)})"
                self.problem(key_node, f"unknown key {key!r} in {what}{extra}")
                continue
            if key in out:
                self.problem(key_node, f"duplicate key {key!r} in {what}")
                continue
            out[key] = (key_node, value_node)
        return out

    def string(self, node: yaml.Node, what: str, required: bool = False) -> str:
        if not self.check_tag(node):
            return ""
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{what} must be text")
            return ""
        value = self._constructor.construct_object(node)
        text = "" if value is None else str(value).strip()
        if required and not text:
            self.problem(node, f"{what} must not be empty")
        return text

    def strings(self, node: yaml.Node, what: str) -> list[str]:
        if isinstance(node, yaml.ScalarNode):
            text = self.string(node, what)
            return [text] if text else []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list of text")
            return []
        out = []
        for item in node.value:
            text = self.string(item, f"each item of {what}")
            if text:
                out.append(text)
            elif isinstance(item, yaml.ScalarNode):
                self.problem(item, f"empty item in {what}")
        return out


def _parse_rules(r: _Reader, node: yaml.Node, code_id: str, what: str) -> list[Rule]:
    """Rules (or exclusions) of one code; default ids are ``<code>/<kind>-<n>`` (``exclude-`` prefixed)."""
    counters: dict[str, int] = {}
    prefix = "" if what == "rules" else "exclude-"
    if not isinstance(node, yaml.SequenceNode):
        r.problem(node, f"{what} must be a list of rules, e.g. '- phrases: [\"privacy\"]'")
        return []
    rules = []
    for item in node.value:
        fields = r.mapping(item, f"a rule of {code_id!r}", RULE_KINDS + ("id",))
        kinds = [k for k in fields if k != "id"]
        if len(kinds) != 1:
            if fields or isinstance(item, yaml.MappingNode):
                r.problem(item, f"a rule needs exactly one of {', '.join(RULE_KINDS)} (found {', '.join(kinds) or 'none'})")
            continue
        kind = kinds[0]
        _, value_node = fields[kind]
        counters[kind] = counters.get(kind, 0) + 1
        rule_id = f"{code_id}/{prefix}{kind}-{counters[kind]}"
        if "id" in fields:
            given = r.string(fields["id"][1], "a rule id", required=True)
            if given and not RULE_ID_RE.match(given):
                r.problem(fields["id"][1], f"rule id {given!r} may use only letters, digits and _ . / : -")
            rule_id = given or rule_id
        value = _rule_value(r, kind, value_node)
        if value is not None:
            rules.append(Rule(rule_id, kind, value, r.loc(value_node)))
    return rules


def _rule_value(r: _Reader, kind: str, node: yaml.Node) -> Any:
    if kind in ("phrases", "lemmas"):
        items = r.strings(node, kind)
        if not items:
            r.problem(node, f"{kind} must list at least one phrase")
            return None
        return items
    if kind == "regex":
        pattern = r.string(node, "regex", required=True)
        if not pattern:
            return None
        try:
            re.compile(pattern)
        except re.error as exc:
            r.problem(node, f"invalid regular expression {pattern!r}: {exc}")
            return None
        return pattern
    if kind == "pattern":
        value = r.to_python(node)
        if not isinstance(value, list) or not value or not all(isinstance(t, dict) for t in value):
            r.problem(node, "pattern must be a list of token mappings, e.g. [{LEMMA: meet}, {LOWER: weekly}]")
            return None
        return value
    # near
    fields = r.mapping(node, "near", ("a", "b", "within"))
    if not isinstance(node, yaml.MappingNode):
        return None
    a = r.strings(fields["a"][1], "near.a") if "a" in fields else []
    b = r.strings(fields["b"][1], "near.b") if "b" in fields else []
    if not a or not b:
        r.problem(node, "near needs both 'a' and 'b' term lists")
        return None
    within = 10
    if "within" in fields:
        raw = r.to_python(fields["within"][1])
        if not isinstance(raw, int) or isinstance(raw, bool) or raw < 1:
            r.problem(fields["within"][1], "near.within must be a whole number of tokens >= 1")
            return None
        within = raw
    return {"a": a, "b": b, "within": within}


def _parse_code(r: _Reader, node: yaml.Node, parent: Code | None, seen: dict[str, yaml.Node]) -> Code | None:
    what = "a domain" if parent is None else "a code"
    fields = r.mapping(node, what, CODE_KEYS)
    if not isinstance(node, yaml.MappingNode):
        return None
    code_id = r.string(fields["id"][1], "id", required=True) if "id" in fields else ""
    if "id" not in fields:
        r.problem(node, f"{what} needs an 'id'")
    elif code_id and not ID_RE.match(code_id):
        r.problem(fields["id"][1], f"id {code_id!r} must be a slug: lower-case letters, digits, '-', '_' or '.'")
    elif code_id in seen:
        first = seen[code_id].start_mark.line + 1
        r.problem(fields["id"][1], f"duplicate id {code_id!r} (first used on line {first})")
    elif code_id:
        seen[code_id] = fields["id"][1]
    label = r.string(fields["label"][1], "label", required=True) if "label" in fields else ""
    if "label" not in fields:
        r.problem(node, f"{what} {code_id!r} needs a 'label'")
    code = Code(id=code_id, label=label, parent=parent, location=r.loc(node))
    for key in ("definition", "when_to_use", "when_not_to_use"):
        if key in fields:
            setattr(code, key, r.string(fields[key][1], key))
    if "examples" in fields:
        code.examples = r.strings(fields["examples"][1], "examples")
    code.groups = r.strings(fields["groups"][1], "groups") if "groups" in fields else list(parent.groups if parent else [])
    for key in ("colour", "color"):
        if key in fields:
            colour = r.string(fields[key][1], key)
            if colour and not COLOUR_RE.match(colour):
                r.problem(fields[key][1], f"{key} {colour!r} must look like '#4e79a7'")
            code.colour = colour or None
    for key in ("rules", "exclude"):
        if key in fields:
            setattr(code, key, _parse_rules(r, fields[key][1], code_id, key))
    if "codes" in fields:
        children_node = fields["codes"][1]
        if not isinstance(children_node, yaml.SequenceNode):
            r.problem(children_node, "codes must be a list of codes")
        else:
            for child_node in children_node.value:
                child = _parse_code(r, child_node, code, seen)
                if child is not None:
                    code.children.append(child)
    return code


def _tab_problems(path: str, text: str) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            problems.append(Problem(path, number, indent.index("\t") + 1,
                                    "tab character in indentation: YAML needs spaces"))
    return problems


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _compose(text: str) -> yaml.Node | None:
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except (yaml.YAMLError, UnicodeError):
            pass  # composed again below for PyYAML's fuller message
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _parse_code_groups(r: _Reader, node: yaml.Node, ids: set[str]) -> list[CodeGroup]:
    """``code_groups:`` - a list of ``{name, description, codes: [code ids of this file]}``."""
    if not isinstance(node, yaml.SequenceNode):
        r.problem(node, "code_groups must be a list, e.g. '- name: Alliance core' with 'codes: [yp-trust]'")
        return []
    groups: list[CodeGroup] = []
    for item in node.value:
        m = r.mapping(item, "a code group", GROUP_KEYS)
        if not m:
            continue
        if "name" not in m:
            r.problem(item, "a code group needs a 'name'")
            continue
        group = CodeGroup(r.string(m["name"][1], "name", required=True))
        if group.name.casefold() in {g.name.casefold() for g in groups}:
            r.problem(m["name"][1], f"code group {group.name!r} is listed twice")
        if "description" in m:
            group.description = r.string(m["description"][1], "description")
        if "codes" in m:
            group.codes = r.strings(m["codes"][1], "codes")
            unknown = [c for c in group.codes if c not in ids]
            if unknown:
                r.problem(m["codes"][1], f"code group {group.name!r}: no code with id {', '.join(map(repr, unknown))} "
                                         "in this codebook")
        groups.append(group)
    return groups


def parse_codebook(text: str, path: str = "<codebook>") -> Codebook:
    """Parse codebook YAML text; raise ``CodebookError`` listing every problem."""
    try:
        return _parse_codebook(text, path)
    except RecursionError:
        message = "not valid YAML: nested too deeply"
        raise CodebookError(message, [Problem(path, None, None, message)]) from None


def _parse_codebook(text: str, path: str) -> Codebook:
    if not text.strip():
        raise CodebookError(f"{path}: the codebook is empty", [Problem(path, None, None, "the codebook is empty")])
    tabs = _tab_problems(path, text)
    if tabs:
        raise CodebookError(f"{path}: tabs in indentation", tabs)
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"not valid YAML: {exc.problem or exc.context}"
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        raise CodebookError(message, [Problem(path, line, col, message)]) from None
    except yaml.YAMLError as exc:
        raise CodebookError(str(exc), [Problem(path, None, None, f"not valid YAML: {exc}")]) from None
    r = _Reader(path)
    if root is None:
        raise CodebookError("empty", [Problem(path, None, None, "the codebook is empty")])
    if not isinstance(root, yaml.MappingNode):
        r.problem(root, "a codebook must be a YAML mapping with 'codebook:' and 'domains:' (this does not look like a codebook)")
        raise CodebookError("not a codebook", r.problems)
    top = r.mapping(root, "the codebook file", TOP_KEYS)
    book = Codebook(name="", path=path, source_text=text)
    if "codebook" not in top:
        r.problem(root, "missing 'codebook:' section (name, version, description)")
    else:
        meta = r.mapping(top["codebook"][1], "the codebook section", META_KEYS)
        if "name" not in meta:
            r.problem(top["codebook"][0], "the codebook section needs a 'name'")
        else:
            book.name = r.string(meta["name"][1], "name", required=True)
        if "version" in meta:
            book.version = r.string(meta["version"][1], "version")
        if "description" in meta:
            book.description = r.string(meta["description"][1], "description")
    if "domains" not in top:
        r.problem(root, "missing 'domains:' list")
    else:
        node = top["domains"][1]
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            r.problem(node, "domains must be a non-empty list")
        else:
            seen: dict[str, yaml.Node] = {}
            for item in node.value:
                domain = _parse_code(r, item, None, seen)
                if domain is not None:
                    book.domains.append(domain)
    if "code_groups" in top:
        book.code_groups = _parse_code_groups(r, top["code_groups"][1], set(book.ids()))
    if r.problems:
        problems = sorted(r.problems, key=lambda p: (p.line or 0, p.column or 0))
        raise CodebookError(f"{path}: {len(problems)} problem(s)", problems)
    return book


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook file (token patterns are checked when rules are compiled)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise CodebookError(f"{p}: cannot read: {exc.strerror}", [Problem(str(p), None, None, f"cannot read: {exc.strerror}")]) from None
    if b"\x00" in data[:8192]:
        raise CodebookError("binary", [Problem(str(p), None, None, "binary file, not a YAML codebook")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodebookError("not UTF-8", [Problem(str(p), None, None, f"not a UTF-8 text file (byte {exc.start}); save the codebook as UTF-8")]) from None
    return parse_codebook(text, str(p))
