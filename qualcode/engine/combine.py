"""How the rules and the learned model combine on one unit (pure logic, no store).

- verifier: every rule suggestion gets the model's probability for its code as its confidence; one
  below ``verify_below`` is marked low confidence (``verify="mark"``) or left out (``verify="drop"``).
  A code the model has no classifier for keeps no confidence and is never marked.
- finder: a code the rules did not suggest but the model gives at least ``find_above`` is suggested
  by the model.
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
            verify: str = "mark", find: bool = True) -> list[Decision]:
    """The suggestions for one unit: rule codes (verified), then codes found by the model (highest first)."""
    if verify not in VERIFY_MODES:
        raise ValueError(f"verify must be one of {VERIFY_MODES}, not {verify!r}")
    out = []
    for code in rule_codes:
        p = probs.get(code)
        low = verify != "off" and p is not None and p < verify_below
        if low and verify == "drop":
            continue
        out.append(Decision(code, "rule", p, low))
    if find:
        found = sorted(((p, c) for c, p in probs.items() if c not in rule_codes and p >= find_above), reverse=True)
        out += [Decision(c, "model", p) for p, c in found]
    return out
