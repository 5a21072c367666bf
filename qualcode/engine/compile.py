"""Codebook rules -> spaCy matchers, once.

``rule_patterns`` is the one place that turns every rule (and every exclusion) into plain pattern
data ``{"label": code_id, "pattern": ..., "id": rule_id, "kind": ..., "exclude": bool}``;
``compile_codebook`` builds the matchers from that data:

=========  ==========================================================================
phrases    ``PhraseMatcher(attr="LOWER")``, pattern docs from ``nlp.make_doc``
lemmas     ``PhraseMatcher(attr="LEMMA")``, pattern docs from ``nlp(...)`` (so they have lemmas)
pattern    ``Matcher(validate=True)``: one with every pattern, and each pattern's *anchors* (below)
regex      ``regex.compile(value, IGNORECASE)``, run on the unit text with a time budget
           (``regex_rules``: patterns with visibly catastrophic nested quantifiers are refused)
near       one-word terms of ``a``/``b`` -> a lemma-hash table (looked up with numpy);
           several-word terms -> the LEMMA PhraseMatcher; the tagger pairs them
=========  ==========================================================================

Lemma rules are lemmatised by the same pipeline as the text, so write them in ordinary words in
any inflection: "talk about my feelings" matches "talked about my feeling".

Anchors: spaCy's ``Matcher`` costs about 0.4 us per token per call whatever the patterns (it
builds a Python ``Token`` for every token), too slow to scan every word of a large project. Each
token pattern's *anchors* are the literal values (``ORTH``/``TEXT``/``LOWER``/``LEMMA``/``NORM``,
a string or ``{IN: [...]}``) of its tokens that must be present (no ``OP``, or ``+``, or
``{n,m}`` with n >= 1). The tagger runs the matcher only on windows of the pattern's maximum length
around the rarest anchor, in units that hold every anchor, which cannot lose a match. A pattern
without anchors (or of unbounded length) is run on whole units: slower, but correct.

Every rule gets a private matcher key (``qc<n>``; near terms ``qc<n>a`` / ``qc<n>b``) that maps back
to its ``CompiledRule`` (rule id, code id, kind, exclusion or not), so rule ids never need to be
unique across rules and exclusions.

Invalid rules (bad token pattern, bad regex, wrong value types) are reported as ``Problem``s at the
rule's YAML location: ``validate_rules`` returns them, ``compile_codebook`` raises ``CodebookError``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from . import spacy_import  # noqa: F401 - first: spaCy without its CLI (see there)
from spacy.attrs import LEMMA, LOWER, NORM, ORTH
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher

from qualcode.codebook.model import RULE_KINDS, Code, Codebook
from qualcode.errors import CodebookError, Problem

from .nlp import LEMMATIZER
from .regex_rules import catastrophic_reason, compile_rule

DEFAULT_WITHIN = 10
NEAR_KEYS = {"a", "b", "within"}
ANCHOR_ATTRS = {"ORTH": ORTH, "TEXT": ORTH, "LOWER": LOWER, "LEMMA": LEMMA, "NORM": NORM}


@dataclass(frozen=True)
class CompiledRule:
    """What a matcher key stands for."""

    key: str
    rule_id: str
    code_id: str
    kind: str
    exclude: bool
    within: int = 0  # near only


class NearSide(NamedTuple):
    """One side of a near rule: ``CompiledRules.near[rule]``'s ``a`` or ``b`` terms."""

    rule: int
    side: Literal["a", "b"]

    @property
    def other(self) -> "NearSide":
        return NearSide(self.rule, "b" if self.side == "a" else "a")


@dataclass
class TokenRule:
    """One token pattern (in ``CompiledRules.token_matcher``) and where it can match."""

    rule: CompiledRule
    anchors: list[tuple[int, list[int]]]  # (attr id, value hashes): one of them must occur
    max_len: int | None  # most tokens a match can span; None = unbounded (* or +)


@dataclass
class CompiledRules:
    """The matchers for one codebook. Built by ``compile_codebook``; used by the tagger."""

    patterns: list[dict[str, Any]]
    rules: dict[str, CompiledRule]  # matcher key -> rule
    phrase_matcher: PhraseMatcher | None = None
    lemma_matcher: PhraseMatcher | None = None
    token_rules: list[TokenRule] = field(default_factory=list)
    token_matcher: Matcher | None = None  # every token pattern, keyed by rule key
    regexes: list[tuple[CompiledRule, Any]] = field(default_factory=list)  # (rule, regex.Pattern)
    near: list[CompiledRule] = field(default_factory=list)
    codes: dict[str, Code] = field(default_factory=dict)  # code id -> node (domains included)
    needs_lemmas: bool = False
    needs_sentences: bool = False  # a token pattern tests sentence starts
    by_hash: dict[int, CompiledRule] = field(default_factory=dict)  # matcher key hash -> rule
    near_terms: dict[int, NearSide] = field(default_factory=dict)  # several-word term key hash -> side
    near_words: dict[int, list[NearSide]] = field(default_factory=dict)  # one-word term lemma hash -> sides

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


def _anchors(pattern: list[dict], strings) -> list[tuple[int, list[int]]]:
    """For each token that must be present, one literal attribute test it must pass."""
    out = []
    for tok in pattern:
        op = str(tok.get("OP", "")) if "OP" in tok else ""
        if op and op != "+" and not re.fullmatch(r"\{[1-9]\d*(,\d*)?\}", op):
            continue  # optional, negated or zero-width: not required
        for key, value in tok.items():
            attr = ANCHOR_ATTRS.get(str(key).upper())
            if attr is None:
                continue
            if isinstance(value, str):
                values = [value]
            elif isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
                values = value["IN"]
            else:
                continue
            out.append((attr, [strings.add(v) for v in values]))
            break
    return out


def _max_len(pattern: list[dict]) -> int | None:
    total = 0
    for tok in pattern:
        op = str(tok.get("OP", "")) if "OP" in tok else ""
        if op in ("", "?", "!", "1"):
            total += 1
        elif op in ("+", "*"):
            return None
        else:
            m = re.fullmatch(r"\{(\d*)(?:(,)(\d*))?\}", op)
            if not m:
                return None
            lo, comma, hi = m.groups()
            if comma and not hi:
                return None
            total += int(hi if comma else lo or 0)
    return total


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
            rx = compile_rule(value)
        except ValueError as exc:
            return bad(str(exc))
        if rx.search("") is not None:
            return bad("regular expression matches the empty string")
        reason = catastrophic_reason(value)
        return bad(reason) if reason else []
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


def check_rules(codebook: Codebook, nlp: Language | None = None) -> None:
    """Raise ``CodebookError`` listing every problem with the rules (``codebook check`` calls this;
    loading a codebook does not, so that commands which never match rules do not build spaCy)."""
    problems = validate_rules(codebook, nlp)
    if problems:
        raise CodebookError(f"{codebook.path or 'the codebook'}: {len(problems)} problem(s)", problems)


def compile_codebook(codebook: Codebook, nlp: Language) -> CompiledRules:
    """Compile every rule of ``codebook`` into matchers; raise ``CodebookError`` on invalid rules."""
    patterns = rule_patterns(codebook)
    validator = Matcher(nlp.vocab, validate=True)
    problems: list[Problem] = []
    for n, item in enumerate(patterns):
        problems += _check_item(codebook, item, nlp, validator, f"qc{n}")
    if problems:
        raise CodebookError(f"{len(problems)} invalid rule(s) in {codebook.path or 'the codebook'}",
                            problems)
    compiled = CompiledRules(patterns=patterns, rules={}, codes={c.id: c for c in codebook.walk()})
    terms = _Terms()
    for n, item in enumerate(patterns):
        _add_rule(compiled, terms, nlp, f"qc{n}", item)
    if terms.phrases:
        compiled.phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for key, words in terms.phrases.items():
            compiled.phrase_matcher.add(key, [nlp.make_doc(t) for t in words])
    _add_lemma_terms(compiled, terms, nlp)
    return compiled


@dataclass
class _Terms:
    """Word lists gathered from the rules, turned into phrase matchers once every rule is read."""
    phrases: dict[str, list[str]] = field(default_factory=dict)
    lemmas: dict[str, list[str]] = field(default_factory=dict)
    near_sides: list[tuple[CompiledRule, str, list[str]]] = field(default_factory=list)


def _add_rule(compiled: CompiledRules, terms: _Terms, nlp: Language, key: str, item: dict) -> None:
    """Register one rule pattern under ``key``: its words go to ``terms``, its matcher to ``compiled``."""
    kind, value, strings = item["kind"], item["pattern"], nlp.vocab.strings
    within = value.get("within", DEFAULT_WITHIN) if kind == "near" else 0
    rule = CompiledRule(key, item["id"], item["label"], kind, item["exclude"], within)
    compiled.rules[key] = rule
    compiled.by_hash[strings.add(key)] = rule
    if kind == "phrases":
        terms.phrases[key] = _strings(value)
    elif kind == "lemmas":
        terms.lemmas[key] = _strings(value)
        compiled.needs_lemmas = True
    elif kind == "pattern":
        compiled.needs_lemmas |= _uses_attr(value, "LEMMA")
        compiled.needs_sentences |= _uses_attr(value, "IS_SENT_START", "SENT_START")
        compiled.token_rules.append(TokenRule(rule, _anchors(value, strings), _max_len(value)))
        if compiled.token_matcher is None:
            compiled.token_matcher = Matcher(nlp.vocab)  # patterns validated by compile_codebook
        compiled.token_matcher.add(key, [value])
    elif kind == "regex":
        compiled.regexes.append((rule, compile_rule(value)))
    elif kind == "near":
        compiled.near.append(rule)
        compiled.needs_lemmas = True
        terms.near_sides += [(rule, side, _strings(value[side])) for side in ("a", "b")]


def _add_lemma_terms(compiled: CompiledRules, terms: _Terms, nlp: Language) -> None:
    """Lemma rules and multi-word "near" sides go to one LEMMA phrase matcher; single words of "near"
    sides to a lemma -> sides lookup. Pattern docs are made with ``nlp(...)``, not ``make_doc``: they
    need lemmas (and only the lemmatizer is run)."""
    strings = nlp.vocab.strings
    disable = [p for p in nlp.pipe_names if p != LEMMATIZER]
    # each distinct term is made into a doc once (a third of a real codebook's terms repeat)
    unique = list(dict.fromkeys(w for words in [*terms.lemmas.values(), *(s[2] for s in terms.near_sides)]
                                for w in words))
    doc_of = dict(zip(unique, nlp.pipe(unique, disable=disable)))
    lemma_docs = {key: [doc_of[w] for w in words] for key, words in terms.lemmas.items()}
    index_of = {r.key: i for i, r in enumerate(compiled.near)}
    for rule, side, words in terms.near_sides:
        near_side = NearSide(index_of[rule.key], side)
        for doc in (doc_of[w] for w in words):
            if len(doc) == 1:
                entries = compiled.near_words.setdefault(doc[0].lemma, [])
                if near_side not in entries:
                    entries.append(near_side)
            else:
                lemma_docs.setdefault(f"{rule.key}{side}", []).append(doc)
                compiled.near_terms[strings.add(f"{rule.key}{side}")] = near_side
    if lemma_docs:
        compiled.lemma_matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        for key, docs in lemma_docs.items():
            compiled.lemma_matcher.add(key, docs)
