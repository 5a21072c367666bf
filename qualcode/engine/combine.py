"""How the rules and the learned model combine on one unit (pure logic, no store).

- verifier: every rule suggestion gets the model's probability for its code as its confidence; one
  below ``verify_below`` is marked low confidence (``verify="mark"``) or left out (``verify="drop"``).
  A code the model has no classifier for keeps no confidence and is never marked.
- finder: a code the rules did not suggest but the model gives at least ``find_above`` is suggested
  by the model.
With per-code ``thresholds`` (the model's cross-validated decision thresholds) and a ``margin``, both
are relative to each code's threshold instead: a rule suggestion is low below threshold - margin (the
rule counts as evidence worth ``margin`` of probability), and the model finds a code from its threshold.
"""
from __future__ import annotations

from dataclasses import dataclass

VERIFY_MODES = ("mark", "drop", "off")


@dataclass(frozen=True)
class Decision:
    code: str
    source: str  # "rule" | "model"
    confidence: float | None  # the model's probability; None when it has no classifier for the code
    low: bool = False  # a rule suggestion the model finds unlikely


def combine(rule_codes: list[str], probs: dict[str, float], *, verify_below: float, find_above: float,
            verify: str = "mark", find: bool = True, thresholds: dict[str, float] | None = None,
            margin: float | None = None) -> list[Decision]:
    """The suggestions for one unit: rule codes (verified), then codes found by the model (highest first)."""
    if verify not in VERIFY_MODES:
        raise ValueError(f"verify must be one of {VERIFY_MODES}, not {verify!r}")
    relative = thresholds is not None and margin is not None
    below = (lambda c: thresholds.get(c, 0.5) - margin) if relative else (lambda c: verify_below)
    above = (lambda c: thresholds.get(c, 0.5)) if relative else (lambda c: find_above)
    out = []
    for code in rule_codes:
        p = probs.get(code)
        low = verify != "off" and p is not None and p < below(code)
        if low and verify == "drop":
            continue
        out.append(Decision(code, "rule", p, low))
    if find:
        found = sorted(((p, c) for c, p in probs.items() if c not in rule_codes and p >= above(c)), reverse=True)
        out += [Decision(c, "model", p) for p, c in found]
    return out
