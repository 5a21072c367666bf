"""The learned model: deterministic training, explanations, the combine logic, the stored file."""
from __future__ import annotations

import json

import numpy as np
import pytest

from qualcode.engine.combine import combine
from qualcode.engine.learned import Example, Settings, features, fit, train
from qualcode.engine.model_file import load_model, save_model
from qualcode.errors import ModelError

TRUST = ["I trust my counsellor with everything", "I could trust her, she kept my secrets",
         "Trusting the counsellor made me open up", "We built trust over the sessions",
         "She was someone I could trust completely"]
PLACE = ["The room was private and quiet", "Nobody could overhear us in that room",
         "A private place matters for counselling", "The clinic room was quiet and private",
         "We met in a quiet private office"]
NONE = ["I am nineteen years old", "My sister lives in town", "The bus was late today",
        "I like football on weekends", "We had rice for lunch"]


def examples() -> list[Example]:
    out = [Example(t, frozenset({"trust"}), complete=True, ref=f"t{i}") for i, t in enumerate(TRUST)]
    out += [Example(t, frozenset({"place"}), complete=True, ref=f"p{i}") for i, t in enumerate(PLACE)]
    out += [Example(t, frozenset(), complete=True, ref=f"n{i}") for i, t in enumerate(NONE)]
    return out


def test_features_are_words_pairs_and_stems():
    f = features("Counselling’s hard, I don't know")
    assert "counselling's" in f and "i don't" in f and "~couns" in f and "hard" in f


def test_training_is_deterministic_and_learns_the_codes():
    a = train(examples(), ["trust", "place"], Settings(folds=3))
    b = train(examples(), ["trust", "place"], Settings(folds=3))
    assert np.array_equal(a.coef, b.coef) and a.counts == b.counts
    p = a.probabilities(["I really trust my counsellor", "the room was not private", "the bus was late"])
    trust, place = a.codes.index("trust"), a.codes.index("place")
    assert p[0, trust] > 0.5 > p[0, place]
    assert p[1, place] > 0.5 > p[1, trust]
    assert p[2].max() < 0.5
    assert a.counts["trust"].positives == 5 and a.counts["trust"].negatives == 10


def test_explanation_names_the_words_that_weighed_most():
    model = fit(examples(), ["trust", "place"])
    words = model.explain("Honestly I trust her with my secrets", "trust")
    assert words and words[0] in {"trust", "secrets", "trust*"}
    assert "i" not in words and "my" not in words  # function words alone are not shown


def test_rejections_are_negatives_and_silent_examples_are_left_out():
    rejected = Example("The private school was far", frozenset(), frozenset({"place"}))
    silent = Example("something unrelated", frozenset(), frozenset())
    assert rejected.label("place") == 0 and rejected.label("trust") is None
    assert silent.label("place") is None
    coded = Example("I trust the quiet room", frozenset({"trust"}))
    assert coded.label("trust") == 1 and coded.label("place") == 0


def test_too_few_positives_gives_no_classifier():
    ex = examples() + [Example("my age matters", frozenset({"age"}), complete=True)]
    model = fit(ex, ["trust", "place", "age"], Settings(min_positives=3))
    assert model.codes == ["trust", "place"]
    assert model.counts["age"].positives == 1


@pytest.mark.parametrize("verify, kept", [("mark", ["a", "b"]), ("drop", ["a"]), ("off", ["a", "b"])])
def test_combine_verifier(verify, kept):
    out = combine(["a", "b"], {"a": 0.9, "b": 0.01}, verify_below=0.05, find_above=0.95, verify=verify)
    assert [d.code for d in out] == kept
    low = {d.code: d.low for d in out}
    assert low.get("b", False) is (verify == "mark")


def test_combine_finder_adds_high_codes_the_rules_missed():
    out = combine(["a"], {"a": 0.2, "b": 0.8, "c": 0.95, "d": 0.5}, verify_below=0.05, find_above=0.7)
    assert [(d.code, d.source) for d in out] == [("a", "rule"), ("c", "model"), ("b", "model")]
    assert out[0].confidence == 0.2 and not out[0].low


def test_combine_code_without_classifier_keeps_no_confidence():
    out = combine(["x"], {}, verify_below=0.5, find_above=0.7, verify="drop")
    assert [(d.code, d.confidence, d.low) for d in out] == [("x", None, False)]


def test_stored_model_round_trips_without_pickles(tmp_path):
    model = train(examples(), ["trust", "place"], Settings(folds=3))
    model.meta = {"codebook_sha": "x", "data_sha": "y"}
    save_model(model, tmp_path, [{"ref": "t0", "text": TRUST[0], "codes": ["trust"]}])
    with np.load(tmp_path / "weights.npz", allow_pickle=False) as npz:
        assert set(npz.files) == {"idf", "coef", "intercept"}
    loaded, ex = load_model(tmp_path)
    texts = ["I trust my counsellor", "private room"]
    assert np.allclose(loaded.probabilities(texts), model.probabilities(texts))
    assert loaded.counts == model.counts and ex[0]["ref"] == "t0"


def test_damaged_or_missing_model_gives_a_clear_message(tmp_path):
    with pytest.raises(ModelError, match="no trained model"):
        load_model(tmp_path)
    save_model(train(examples(), ["trust"], Settings(folds=3)), tmp_path)
    (tmp_path / "weights.npz").write_bytes(b"not a zip")
    with pytest.raises(ModelError, match=r"weights\.npz: damaged model weights"):
        load_model(tmp_path)
    doc = json.loads((tmp_path / "model.json").read_text())
    (tmp_path / "model.json").write_text(json.dumps(doc)[:100])
    with pytest.raises(ModelError, match=r"model\.json: damaged model file"):
        load_model(tmp_path)


def test_combine_relative_to_each_codes_threshold():
    th = {"a": 0.6, "b": 0.3, "c": 0.8}
    probs = {"a": 0.45, "b": 0.05, "c": 0.79}
    out = combine(["a", "b"], probs, verify_below=0.0, find_above=1.01, verify="mark", thresholds=th, margin=0.2)
    # a: 0.45 >= 0.6 - 0.2, kept as is; b: 0.05 < 0.3 - 0.2, low; c: 0.79 < its threshold 0.8, not found
    assert [(d.code, d.source, d.low) for d in out] == [("a", "rule", False), ("b", "rule", True)]
    out = combine([], {"c": 0.8, "b": 0.31}, verify_below=0.0, find_above=1.01, thresholds=th, margin=0.2)
    assert [(d.code, d.source) for d in out] == [("c", "model"), ("b", "model")]  # highest first
    out = combine(["b"], probs, verify_below=0.0, find_above=1.01, verify="drop", thresholds=th, margin=0.2)
    assert out == []
