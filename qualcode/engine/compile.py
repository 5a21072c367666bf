"""Codebook rules -> spaCy matchers, once.

``rule_patterns`` is the one place that turns every rule (and every exclusion) into plain pattern
data ``{"label": code_id, "pattern": ..., "id": rule_id, "kind": ..., "exclude": bool}``;
``compile_codebook`` builds the matchers from that data:

=========  ==========================================================================
phrases    ``PhraseMatcher(attr="LOWER")``, pattern docs from ``nlp.make_doc``
lemmas     ``PhraseMatcher(attr="LEMMA")``, pattern docs from ``nlp(...)`` (so they have lemmas)
pattern    ``Matcher(validate=True)``, one token pattern per rule
regex      ``re.compile(value, re.IGNORECASE)``, run on the unit text
near       the terms of ``a`` and ``b`` go into the LEMMA PhraseMatcher; the tagger pairs them
=========  ==========================================================================

Every rule gets a private matcher key (``qc<n>``; near terms ``qc<n>a`` / ``qc<n>b``) that maps back
to its ``CompiledRule`` (rule id, code id, kind, exclusion or not), so rule ids never need to be
unique across rules and exclusions.

Invalid rules (bad token pattern, bad regex, wrong value types) are reported as ``Problem``s at the
rule's YAML location: ``validate_rules`` returns them, ``compile_codebook`` raises ``CodebookError``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher

from qualcode.codebook.model import RULE_KINDS, Code, Codebook, Rule
from qualcode.errors import CodebookError, Problem

from .nlp import LEMMATIZER

DEFAULT_WITHIN = 10
NEAR_KEYS = {"a", "b", "within"}


@dataclass(frozen=True)
class CompiledRule:
    """What a matcher key stands for."""

    key: str
    rule_id: str
    code_id: str
    kind: str
    exclude: bool
    within: int = 0  # near only


@dataclass
class CompiledRules:
    """The matchers for one codebook. Built by ``compile_codebook``; used by the tagger."""

    patterns: list[dict[str, Any]]
    rules: dict[str, CompiledRule]  # matcher key -> rule
    phrase_matcher: PhraseMatcher | None = None
    lemma_matcher: PhraseMatcher | None = None
    token_matcher: Matcher | None = None
    regexes: list[tuple[CompiledRule, re.Pattern]] = field(default_factory=list)
    near: list[CompiledRule] = field(default_factory=list)
    codes: dict[str, Code] = field(default_factory=dict)  # code id -> node (domains included)
    needs_lemmas: bool = False
    needs_sentences: bool = False  # a token pattern tests sentence starts
    by_hash: dict[int, CompiledRule] = field(default_factory=dict)  # matcher key hash -> rule
    near_terms: dict[int, tuple[CompiledRule, str]] = field(default_factory=dict)  # hash -> (rule, "a"|"b")

    def codes_with_exclusions(self) -> set[str]:
        return {r.code_id for r in self.rules.values() if r.exclude}


def rule_patterns(codebook: Codebook) -> list[dict[str, Any]]:
    """Every rule and exclusion of every node (domains included) as plain pattern data.

    Each item: ``{"label": code_id, "pattern": rule.value, "id": rule_id, "kind": kind,
    "exclude": bool, "location": Location}``, in codebook order, rules before exclusions.
    """
    out: list[dict[str, Any]] = []
    for code in codebook.walk():
        for exclude, rules in ((False, code.rules), (True, code.exclude)):
            for rule in rules:
                out.append({
                    "label": code.id,
                    "pattern": rule.value,
                    "id": rule.id,
                    "kind": rule.kind,
                    "exclude": exclude,
                    "location": rule.location,
                })
    return out


def _problem(codebook: Codebook, item: dict[str, Any], message: str) -> Problem:
    loc = item["location"]
    what = "exclude rule" if item["exclude"] else "rule"
    return Problem(loc.file or codebook.path, loc.line, loc.column,
                   f"{item['label']}: {what} {item['id']!r} ({item['kind']}): {message}")


def _strings(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _pattern_error(exc: Exception) -> str:
    """spaCy's MatchPatternError text -> one line: 'token 2, OP: Input should be ...'."""
    lines = [ln[2:] for ln in str(exc).splitlines() if ln.startswith("- ")]
    if not lines:
        return str(exc).strip().splitlines()[0]
    parts = []
    for ln in lines:
        m = re.match(r"\[pattern -> (\d+)(?: -> ([^\]]*))?\] (.*)", ln)
        if m:
            where = f"token {int(m.group(1)) + 1}"
            if m.group(2):
                where += ", " + m.group(2)
            parts.append(f"{where}: {m.group(3)}")
        else:
            parts.append(ln)
    return "invalid token pattern: " + "; ".join(dict.fromkeys(parts))


def _uses_attr(pattern: Any, *attrs: str) -> bool:
    return isinstance(pattern, list) and any(
        isinstance(tok, dict) and any(str(k).upper() in attrs for k in tok) for tok in pattern
    )


def _check_item(codebook: Codebook, item: dict[str, Any], nlp: Language, matcher: Matcher,
                key: str) -> list[Problem]:
    """Problems with one rule; adds a valid token pattern to ``matcher`` under ``key``."""
    kind, value = item["kind"], item["pattern"]
    bad = lambda msg: [_problem(codebook, item, msg)]  # noqa: E731
    if kind not in RULE_KINDS:
        return bad(f"unknown rule kind; expected one of {', '.join(RULE_KINDS)}")
    if kind in ("phrases", "lemmas"):
        terms = _strings(value)
        if terms is None:
            return bad("expected a non-empty list of strings")
        if any(not t.strip() for t in terms):
            return bad("empty phrase")
        return []
    if kind == "regex":
        if not isinstance(value, str) or not value:
            return bad("expected a non-empty string")
        try:
            rx = re.compile(value, re.IGNORECASE)
        except re.error as exc:
            pos = f" at position {exc.pos + 1}" if exc.pos is not None else ""
            return bad(f"invalid regular expression{pos}: {exc.msg}")
        if rx.search("") is not None:
            return bad("regular expression matches the empty string")
        return []
    if kind == "pattern":
        if not isinstance(value, list) or not value or not all(isinstance(t, dict) for t in value):
            return bad("expected a non-empty list of token mappings")
        try:
            matcher.add(key, [value])
        except ValueError as exc:  # MatchPatternError is a ValueError
            return bad(_pattern_error(exc))
        return []
    # near
    if not isinstance(value, dict):
        return bad("expected a mapping with a, b and within")
    problems = []
    unknown = set(value) - NEAR_KEYS
    if unknown:
        problems += bad(f"unknown key(s) {', '.join(sorted(map(str, unknown)))}; expected a, b, within")
    for side in ("a", "b"):
        terms = _strings(value.get(side))
        if terms is None or any(not t.strip() for t in terms):
            problems += bad(f"{side!r} must be a non-empty list of non-empty strings")
    within = value.get("within", DEFAULT_WITHIN)
    if not isinstance(within, int) or isinstance(within, bool) or within < 1:
        problems += bad("'within' must be a whole number of tokens >= 1")
    return problems


def validate_rules(codebook: Codebook, nlp: Language | None = None) -> list[Problem]:
    """Every problem with the codebook's rules (bad token patterns, regexes, value types)."""
    if nlp is None:
        from .nlp import make_nlp

        nlp = make_nlp()
    matcher = Matcher(nlp.vocab, validate=True)
    problems: list[Problem] = []
    for n, item in enumerate(rule_patterns(codebook)):
        problems += _check_item(codebook, item, nlp, matcher, f"qc{n}")
    return problems


def compile_codebook(codebook: Codebook, nlp: Language) -> CompiledRules:
    """Compile every rule of ``codebook`` into matchers; raise ``CodebookError`` on invalid rules."""
    patterns = rule_patterns(codebook)
    token_matcher = Matcher(nlp.vocab, validate=True)
    problems: list[Problem] = []
    for n, item in enumerate(patterns):
        problems += _check_item(codebook, item, nlp, token_matcher, f"qc{n}")
    if problems:
        raise CodebookError(f"{len(problems)} invalid rule(s) in {codebook.path or 'the codebook'}",
                            problems)

    compiled = CompiledRules(patterns=patterns, rules={},
                             codes={c.id: c for c in codebook.walk()})
    phrase_terms: dict[str, list[str]] = {}
    lemma_terms: dict[str, list[str]] = {}
    strings = nlp.vocab.strings
    for n, item in enumerate(patterns):
        key, kind, value = f"qc{n}", item["kind"], item["pattern"]
        within = value.get("within", DEFAULT_WITHIN) if kind == "near" else 0
        rule = CompiledRule(key, item["id"], item["label"], kind, item["exclude"], within)
        compiled.rules[key] = rule
        compiled.by_hash[strings.add(key)] = rule
        if kind == "phrases":
            phrase_terms[key] = _strings(value)
        elif kind == "lemmas":
            lemma_terms[key] = _strings(value)
            compiled.needs_lemmas = True
        elif kind == "pattern":
            compiled.needs_lemmas |= _uses_attr(value, "LEMMA")
            compiled.needs_sentences |= _uses_attr(value, "IS_SENT_START", "SENT_START")
        elif kind == "regex":
            compiled.regexes.append((rule, re.compile(value, re.IGNORECASE)))
        elif kind == "near":
            compiled.near.append(rule)
            compiled.needs_lemmas = True
            for side in ("a", "b"):
                side_key = f"{key}{side}"
                lemma_terms[side_key] = _strings(value[side])
                compiled.near_terms[strings.add(side_key)] = (rule, side)

    if phrase_terms:
        compiled.phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for key, terms in phrase_terms.items():
            compiled.phrase_matcher.add(key, [nlp.make_doc(t) for t in terms])
    if lemma_terms:
        compiled.lemma_matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        all_terms = [t for terms in lemma_terms.values() for t in terms]
        # nlp(...), not make_doc: the pattern docs need lemmas (and only the lemmatizer is needed)
        disable = [p for p in nlp.pipe_names if p != LEMMATIZER]
        docs = iter(nlp.pipe(all_terms, disable=disable))
        for key, terms in lemma_terms.items():
            compiled.lemma_matcher.add(key, [next(docs) for _ in terms])
    if any(item["kind"] == "pattern" for item in patterns):
        compiled.token_matcher = token_matcher
    return compiled
