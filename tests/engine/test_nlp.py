import socket

import pytest

from qualcode.engine.nlp import LEMMATIZER, make_nlp


def test_pipeline_is_blank_english_with_sentencizer_and_lemmatizer(nlp):
    assert nlp.lang == "en"
    assert nlp.pipe_names == ["sentencizer", LEMMATIZER]
    assert make_nlp() is nlp  # cached


@pytest.mark.parametrize("text, lemmas", [
    ("Therapists met regularly", ["therapist", "meet", "regularly"]),
    ("MEETINGS Were", ["meet", "be"]),
    # the lookup table is not idempotent; lemmas are taken to the end of the chain
    ("feelings feeling better well", ["feel", "feel", "good", "good"]),
])
def test_lemmas_are_looked_up_lower_cased(nlp, text, lemmas):
    assert [t.lemma_ for t in nlp(text)] == lemmas


def test_batch_and_single_doc_lemmas_agree(nlp):
    texts = ["Counsellors listened.", "", "She DRESSED smartly and met me."]
    assert [[t.lemma_ for t in d] for d in nlp.pipe(texts)] == [[t.lemma_ for t in nlp(x)] for x in texts]


def test_builds_without_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the pipeline tried to open a network connection")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    nlp = make_nlp.__wrapped__()  # a fresh build, bypassing the cache
    assert nlp("They were meeting")[2].lemma_ == "meet"
