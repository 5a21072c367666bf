"""Regex rules: compiled with the ``regex`` package, run with a time budget, checked for ReDoS.

A codebook may come from a colleague, and a pattern such as ``(a+)+$`` or ``^(\\w+\\s?)+$`` can
take exponential time on one ordinary sentence (catastrophic backtracking). Two defences:

- ``catastrophic_reason`` rejects, at ``codebook check`` (and before any run), the patterns whose
  danger can be seen in their structure: a repeated group whose body is itself an unbounded repeat
  with nothing else required around it (``(a+)+``, ``(a*b?)*``, ``((\\w+)\\s?)+``); such a body can
  split the same text in exponentially many ways.
- ``search_all`` runs a rule on a text with the ``regex`` package's ``timeout`` (CPU seconds of this
  process); the tagger gives every regex rule ``REGEX_BUDGET`` seconds per transcript, and a rule
  that runs out is skipped for that transcript and reported by name (``RegexTimeout``).

Matching semantics are Python's ``re`` (the ``regex`` package's default ``VERSION0``), case-insensitive.
"""
from __future__ import annotations

import re
import time
from typing import Any, Iterator

REGEX_BUDGET = 2.0  # CPU seconds per regex rule per transcript


class RegexTimeout(Exception):
    """A regex rule ran out of its time budget."""


def compile_rule(value: str) -> Any:
    """A case-insensitive ``regex`` pattern (raises ``ValueError`` with a readable message)."""
    import regex

    try:
        return regex.compile(value, regex.IGNORECASE | regex.VERSION0)
    except regex.error as exc:
        pos = getattr(exc, "pos", None)
        where = f" at position {pos + 1}" if pos is not None else ""
        raise ValueError(f"invalid regular expression{where}: {getattr(exc, 'msg', None) or exc}") from None


def search_all(rx: Any, text: str, budget: float) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of every non-empty match of ``rx`` in ``text``; ``RegexTimeout`` when the
    matching takes more than ``budget`` CPU seconds."""
    if budget <= 0:
        raise RegexTimeout()
    try:
        for m in rx.finditer(text, timeout=budget):
            if m.end() > m.start():
                yield m.start(), m.end()
    except TimeoutError:
        raise RegexTimeout() from None


def cpu_clock() -> float:
    """The clock the ``regex`` timeout counts in (this process's CPU time)."""
    return time.process_time()


def catastrophic_reason(pattern: str) -> str | None:
    """Why ``pattern`` can backtrack exponentially, when its structure shows it; else None."""
    from re import _constants as C  # noqa: N812
    from re import _parser as P  # noqa: N812

    try:
        tree = P.parse(pattern, re.IGNORECASE)
    except (re.error, RecursionError, OverflowError):
        return None  # syntax the re parser does not know; the regex package compiled it
    if not _nested_repeat(tree, P, C):
        return None
    return ("nested quantifier: a repeated group whose content can itself repeat can "
            "take exponential time on ordinary text (catastrophic backtracking); make the inner "
            "or the outer repeat match one way only, e.g. '(\\w+\\s)+' instead of '(\\w+\\s?)+'")


def _repeats(C) -> tuple:  # noqa: N803
    return (C.MAX_REPEAT, C.MIN_REPEAT)


def _nested_repeat(seq, P, C) -> bool:  # noqa: N803
    """Whether ``seq`` holds a repeat (more than twice) of a body that is itself freely repeatable."""
    for op, av in seq:
        if op in _repeats(C):
            lo, hi, body = av
            if (hi == C.MAXREPEAT or hi > 2) and _free_repeat(body, P, C):
                return True
            inner = _nested_repeat(body, P, C)
        elif op == C.SUBPATTERN:
            inner = _nested_repeat(av[-1], P, C)
        elif op == C.BRANCH:
            inner = any(_nested_repeat(b, P, C) for b in av[1])
        elif op in (C.ASSERT, C.ASSERT_NOT):
            inner = _nested_repeat(av[1], P, C)
        else:
            inner = False
        if inner:
            return True
    return False


def _free_repeat(seq, P, C) -> bool:  # noqa: N803
    """True when ``seq`` holds an unbounded repeat of something non-empty and every other item of
    ``seq`` may match nothing: then ``seq`` repeated can split one text in many ways."""
    items = list(seq)
    for i, (op, av) in enumerate(items):
        if op in _repeats(C):
            candidate = av[1] == C.MAXREPEAT and av[2].getwidth()[0] > 0
        elif op == C.SUBPATTERN:
            candidate = _free_repeat(av[-1], P, C)
        else:
            candidate = False
        if candidate:
            rest = items[:i] + items[i + 1:]
            if all(P.SubPattern(seq.state, [it]).getwidth()[0] == 0 for it in rest):
                return True
    return False



def joinable(pattern: str) -> bool:
    """Whether matching ``pattern`` once over units joined by blank lines finds exactly the
    matches of matching each unit alone, whenever no match crosses a unit boundary: true when it has
    no anchors other than ``\\b``/``\\B`` and no lookaround (those can see the separator)."""
    from re import _constants as C  # noqa: N812
    from re import _parser as P  # noqa: N812

    try:
        tree = P.parse(pattern, re.IGNORECASE)
    except (re.error, RecursionError, OverflowError):
        return False
    return _joinable(tree, C)


def _joinable(seq, C) -> bool:  # noqa: N803
    for op, av in seq:
        if op == C.AT and av not in (C.AT_BOUNDARY, C.AT_NON_BOUNDARY):
            return False
        if op in (C.ASSERT, C.ASSERT_NOT, C.GROUPREF, C.GROUPREF_EXISTS):
            return False
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and not _joinable(av[2], C):
            return False
        if op in (C.SUBPATTERN, C.ATOMIC_GROUP) and not _joinable(av[-1], C):
            return False
        if op == C.BRANCH and not all(_joinable(b, C) for b in av[1]):
            return False
    return True
