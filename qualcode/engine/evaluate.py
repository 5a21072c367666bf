"""Rule suggestions against a gold standard: precision, recall, F1 per code and per domain.

Pairs are ``(unit_key, code_id)``; ``unit_key`` is anything hashable that names a unit.

- Code level: one score per code id that occurs in the codebook (domains that carry rules or gold
  codings count as codes too).
- Domain level: every pair is lifted to ``(unit_key, domain_id)`` of the code's top-level domain,
  then de-duplicated, so two codes of one domain in a unit count once.
- Micro: from the summed tp/fp/fn. Macro: the mean F1 over the codes (domains) that have at least
  one gold or predicted pair; a code with neither has no defined score and is left out.
- Negatives: units with no gold code; ``negatives_uncoded`` is the share of them with no prediction.

Pairs whose unit is not in ``units`` are ignored; an unknown code id raises ``CodingError``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Hashable, Iterable

from qualcode.codebook.model import Codebook
from qualcode.errors import CodingError

Pair = tuple[Hashable, str]


@dataclass(frozen=True)
class Scores:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        """Gold pairs."""
        return self.tp + self.fn


@dataclass
class EvalReport:
    per_code: dict[str, Scores]  # codebook order
    per_domain: dict[str, Scores]
    micro: Scores
    macro_f1: float
    domain_micro: Scores
    domain_macro_f1: float
    false_positives: dict[str, list[Hashable]] = field(default_factory=dict)  # code -> unit keys
    false_negatives: dict[str, list[Hashable]] = field(default_factory=dict)
    negatives: int = 0  # units with no gold code
    negatives_uncoded: int = 0  # ... of which nothing was predicted
    units: int = 0

    @property
    def negatives_uncoded_share(self) -> float:
        return self.negatives_uncoded / self.negatives if self.negatives else 1.0


def _score(pred: set[Pair], gold: set[Pair], ids: list[str], units: list[Hashable]):
    per: dict[str, Scores] = {}
    fps: dict[str, list[Hashable]] = {}
    fns: dict[str, list[Hashable]] = {}
    for cid in ids:
        p = {u for u, c in pred if c == cid}
        g = {u for u, c in gold if c == cid}
        if not p and not g:
            per[cid] = Scores(0, 0, 0)
            continue
        per[cid] = Scores(len(p & g), len(p - g), len(g - p))
        fp = [u for u in units if u in p and u not in g]
        fn = [u for u in units if u in g and u not in p]
        if fp:
            fps[cid] = fp
        if fn:
            fns[cid] = fn
    micro = Scores(sum(s.tp for s in per.values()), sum(s.fp for s in per.values()),
                   sum(s.fn for s in per.values()))
    defined = [s.f1 for s in per.values() if s.tp + s.fp + s.fn]
    macro = sum(defined) / len(defined) if defined else 0.0
    return per, micro, macro, fps, fns


def evaluate(predicted: Iterable[Pair], gold: Iterable[Pair], codebook: Codebook,
             units: Iterable[Hashable]) -> EvalReport:
    """Score ``predicted`` against ``gold`` over ``units`` (see the module docstring)."""
    units = list(dict.fromkeys(units))
    unit_set = set(units)
    pred = {(u, c) for u, c in predicted if u in unit_set}
    gold_ = {(u, c) for u, c in gold if u in unit_set}
    nodes = {c.id: c for c in codebook.walk()}
    unknown = sorted({c for _, c in pred | gold_} - set(nodes))
    if unknown:
        raise CodingError(f"unknown code id(s): {', '.join(unknown)}")

    used = {c for _, c in pred | gold_}
    code_ids = [c.id for c in codebook.walk()
                if c.parent is not None or c.id in used or c.rules]
    per_code, micro, macro, fps, fns = _score(pred, gold_, code_ids, units)

    def lift(pairs: set[Pair]) -> set[Pair]:
        return {(u, nodes[c].domain.id) for u, c in pairs}

    domain_ids = [d.id for d in codebook.domains]
    per_domain, d_micro, d_macro, _, _ = _score(lift(pred), lift(gold_), domain_ids, units)

    gold_units = {u for u, _ in gold_}
    pred_units = {u for u, _ in pred}
    negatives = [u for u in units if u not in gold_units]
    return EvalReport(
        per_code=per_code, per_domain=per_domain, micro=micro, macro_f1=macro,
        domain_micro=d_micro, domain_macro_f1=d_macro,
        false_positives=fps, false_negatives=fns,
        negatives=len(negatives),
        negatives_uncoded=sum(1 for u in negatives if u not in pred_units),
        units=len(units),
    )
