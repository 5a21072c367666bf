"""The bundled working-alliance codebook: structure as in the paper, and a sanity check that each
published quote is coded to its own subtheme. (The accuracy claim is benchmarks/evaluate_rules.py
on unseen statements, not this test: the quotes are the codebook's own examples.)"""
from pathlib import Path

import pytest

from qualcode.codebook.load import load_codebook
from qualcode.engine.compile import validate_rules
from qualcode.engine.tagger import Tagger, Unit

PATH = Path(__file__).resolve().parents[2] / "codebooks" / "working-alliance.yaml"

YP = {
    "yp-bond": ["yp-conducive-environment", "yp-regular-engagements", "yp-confidentiality"],
    "yp-goals": ["yp-decision-on-treatment-goals", "yp-goal-involvement-outcome"],
    "yp-tasks": ["yp-client-involvement-in-tasks", "yp-task-influence-outcome", "yp-task-influence-wa"],
    "yp-client-characteristics": ["yp-willingness", "yp-good-manners", "yp-expressive"],
    "yp-therapist-characteristics": ["yp-trustworthiness", "yp-communication-skills", "yp-counselling-skills"],
    "yp-culture": ["yp-cultural-background", "yp-dress-code", "yp-communication-patterns"],
    "yp-sociodemographics": ["yp-age", "yp-gender", "yp-religion"],
}
CL = {
    "cl-definition": ["cl-cooperative-relationship", "cl-unfamiliar-term"],
    "cl-importance": ["cl-facilitates-understanding", "cl-builds-trust", "cl-brings-out-skills"],
    "cl-key-elements": ["cl-goal-bond-task", "cl-boundary-setting", "cl-confidentiality", "cl-non-judgmental",
                        "cl-empathy"],
}
LABELS = {
    "yp-bond": "Bond", "yp-goal-involvement-outcome": "Involvement in treatment goals' influence on outcome",
    "yp-task-influence-outcome": "Task's influence on treatment outcome",
    "yp-task-influence-wa": "Task's influence in development of WA",
    "yp-client-characteristics": "Client characteristics necessary for the formation of a WA",
    "yp-expressive": "Expressive /able to open up",
    "yp-sociodemographics": "Influence of therapist's socio-demographics' on WA",
    "cl-definition": "Definition of WA", "cl-key-elements": "Key elements required for the development of WA",
    "cl-cooperative-relationship": "Cooperative working relationship between client and clinician",
    "cl-builds-trust": "Builds trust/confidentiality between client and clinician",
    "cl-brings-out-skills": "Brings out essential therapist's skills such as empathy and good listening skills "
                            "considering cultural values as well.",
    "cl-goal-bond-task": "Goal, bond, and task", "cl-non-judgmental": "Non-judgmental",
    "yp-confidentiality": "Confidentiality", "cl-confidentiality": "Confidentiality",
}


@pytest.fixture(scope="module")
def book():
    return load_codebook(PATH)


def test_domains_and_codes_in_the_papers_order(book):
    expected = {**YP, **CL}
    assert [d.id for d in book.domains] == list(expected)
    for domain in book.domains:
        assert [c.id for c in domain.children] == expected[domain.id]
        group = "young-person" if domain.id.startswith("yp-") else "clinician"
        assert domain.groups == [group] and all(c.groups == [group] for c in domain.children)


def test_labels_are_the_papers(book):
    for cid, label in LABELS.items():
        assert book.get(cid).label == label


def test_every_code_is_documented_and_has_rules(book, nlp):
    for c in book.codes():
        assert c.definition and c.when_to_use and c.when_not_to_use and c.colour, c.id
        assert 1 <= len(c.examples) <= 3 and c.rules, c.id
    assert validate_rules(book, nlp) == []


def test_each_published_quote_is_coded_to_its_own_subtheme(book):
    tagger = Tagger(book)
    missed = []
    for c in book.codes():
        group = c.groups[0]
        for quote in c.examples:
            (res,) = tagger.tag_units(quote, [Unit(0, 0, len(quote), "R", True)], group)
            if c.id not in res.codes:
                missed.append((c.id, quote[:60]))
    assert missed == []


def test_a_quote_said_by_the_interviewer_is_not_coded(book):
    quote = book.get("yp-conducive-environment").examples[0]
    (res,) = Tagger(book).tag_units(quote, [Unit(0, 0, len(quote), "Interviewer", False)], "young-person")
    assert res.codes == []
