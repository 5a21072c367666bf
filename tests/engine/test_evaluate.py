import pytest

from engine_helpers import book, code
from qualcode.engine.evaluate import evaluate
from qualcode.errors import CodingError

BOOK = book(code("D1", codes=[code("a"), code("b")]), code("D2", codes=[code("c")]))
UNITS = ["u1", "u2", "u3", "u4", "u5"]
GOLD = {("u1", "a"), ("u2", "a"), ("u2", "b"), ("u3", "c")}  # u4, u5 belong to no code
PRED = {("u1", "a"), ("u2", "b"), ("u3", "a"), ("u4", "c"), ("elsewhere", "b")}


def test_hand_computed_case():
    r = evaluate(PRED, GOLD, BOOK, UNITS)
    # codes: a tp1 fp1 fn1; b tp1; c tp0 fp1 fn1
    assert [(k, s.tp, s.fp, s.fn) for k, s in r.per_code.items()] == [
        ("a", 1, 1, 1), ("b", 1, 0, 0), ("c", 0, 1, 1)]
    assert (r.per_code["a"].precision, r.per_code["a"].recall, r.per_code["a"].f1) == (0.5, 0.5, 0.5)
    assert r.per_code["b"].f1 == 1.0 and r.per_code["c"].f1 == 0.0
    assert (r.micro.tp, r.micro.fp, r.micro.fn) == (2, 2, 2)
    assert r.micro.f1 == pytest.approx(0.5)
    assert r.macro_f1 == pytest.approx((0.5 + 1 + 0) / 3)
    # domains: gold {u1,u2}->D1, u3->D2; predicted {u1,u2,u3}->D1, u4->D2
    d1, d2 = r.per_domain["D1"], r.per_domain["D2"]
    assert (d1.tp, d1.fp, d1.fn) == (2, 1, 0) and d1.f1 == pytest.approx(0.8)
    assert (d2.tp, d2.fp, d2.fn) == (0, 1, 1)
    assert r.domain_micro.precision == pytest.approx(0.5)
    assert r.domain_micro.recall == pytest.approx(2 / 3)
    assert r.domain_micro.f1 == pytest.approx(4 / 7)
    assert r.domain_macro_f1 == pytest.approx(0.4)
    assert r.false_positives == {"a": ["u3"], "c": ["u4"]}
    assert r.false_negatives == {"a": ["u2"], "c": ["u3"]}
    assert (r.negatives, r.negatives_uncoded, r.negatives_uncoded_share) == (2, 1, 0.5)
    assert r.units == 5


def test_perfect_prediction():
    r = evaluate(GOLD, GOLD, BOOK, UNITS)
    assert r.micro.f1 == r.domain_micro.f1 == 1.0
    assert r.negatives_uncoded_share == 1.0
    assert r.false_positives == r.false_negatives == {}


def test_unknown_code_is_an_error():
    with pytest.raises(CodingError, match="nope"):
        evaluate({("u1", "nope")}, GOLD, BOOK, UNITS)
