import pytest

from engine_helpers import book, code, codes, one_code_book, rule, tag
from qualcode.engine.tagger import SPANS_KEY, Tagger, Unit, _DocContext, _Job, sentence_units, turn_units
from qualcode.model import ParsedTranscript, Turn


# ---------------------------------------------------------------- rule kinds
def test_phrases_match_case_insensitively_on_whole_words():
    b = one_code_book(rule("phrases", ["private room"]))
    assert codes(b, "We had a PRIVATE Room at the clinic.") == ["c"]
    assert codes(b, "We had a private roomful of people.") == []
    assert codes(b, "Privacy and a room.") == []


def test_lemmas_match_any_inflection():
    b = one_code_book(rule("lemmas", ["meet regularly"]))
    assert codes(b, "We met regularly.") == ["c"]
    assert codes(b, "Meeting regularly helped.") == ["c"]
    assert codes(b, "We meet often, not regularly.") == []


def test_lemmas_fold_case_before_lookup():
    b = one_code_book(rule("lemmas", ["therapist"]))
    assert codes(b, "Therapists should listen.") == ["c"]  # the lookup table only knows "therapists"


def test_token_pattern():
    b = one_code_book(rule("pattern", [{"LEMMA": "meet"}, {"OP": "?"}, {"LOWER": {"IN": ["weekly", "monthly"]}}]))
    assert codes(b, "We met almost weekly.") == ["c"]
    assert codes(b, "Meeting monthly is enough.") == ["c"]
    assert codes(b, "We met, and then weekly we talked.") == []


def test_token_pattern_without_literal_anchor_still_matches():
    b = one_code_book(rule("pattern", [{"IS_DIGIT": True}, {"LOWER": "sessions"}]))
    assert codes(b, "I had 6 sessions.") == ["c"]


def test_regex_gives_exact_offsets_into_the_transcript():
    text = "Interviewer: Hi.\nRespondent: I need a quiet   place, really."
    start = text.index("I need")
    b = one_code_book(rule("regex", r"quiet\s+place"))
    (res,) = Tagger(b).tag_units(text, [Unit(3, start, len(text), "Respondent", True)], "young-person")
    (s,) = res.suggestions
    assert text[s.start:s.end] == s.evidence == "quiet   place"
    assert (s.unit_index, s.unit_start, s.unit_end) == (3, start, len(text))


# ---------------------------------------------------------------- exclusions
def test_exclusion_in_the_same_sentence_drops_the_match():
    b = one_code_book(rule("phrases", ["private"]), exclude=[rule("phrases", ["private hostel"])])
    assert codes(b, "I live in a private hostel.") == []


def test_exclusion_in_another_sentence_does_not():
    b = one_code_book(rule("phrases", ["private"]), exclude=[rule("phrases", ["private hostel"])])
    (s,) = tag(b, "I live in a private hostel. The room was private, nobody could hear us.")
    assert s.evidence == "private" and s.start == s.sentence_start + len("The room was ")


def test_exclusion_only_affects_its_own_code():
    b = book(code("d", codes=[code("a", [rule("phrases", ["private"])], [rule("phrases", ["hostel"])]),
                              code("b", [rule("phrases", ["private"])])]))
    assert codes(b, "I live in a private hostel.") == ["b"]


# ---------------------------------------------------------------- proximity
@pytest.mark.parametrize("text, hit", [
    ("The counsellor was too young.", True),  # 3 tokens apart
    ("Too young was the counsellor.", True),  # either order
    ("The counsellor was , I think , too young.", False),  # 6 apart
    ("The age of my counsellor.", False),  # "age" is not a term
])
def test_near_within_n_tokens(text, hit):
    b = one_code_book(rule("near", {"a": ["counsellor"], "b": ["young", "old"], "within": 3}))
    assert codes(b, text) == (["c"] if hit else [])


def test_near_multiword_terms_and_evidence_covers_both():
    b = one_code_book(rule("near", {"a": ["time to think"], "b": ["express"], "within": 5}))
    (s,) = tag(b, "It gave me time to think, so I could express myself.")
    assert s.evidence == "time to think, so I could express"


def test_near_needs_two_different_words():
    b = one_code_book(rule("near", {"a": ["counsellor"], "b": ["counsellor", "young"], "within": 3}))
    assert codes(b, "My counsellor.") == []
    assert codes(b, "My counsellor and another counsellor.") == ["c"]  # 3 apart
    assert codes(b, "My counsellor and one other counsellor.") == []  # 4 apart


# ---------------------------------------------------------------- units, groups, overlaps
def test_overlapping_matches_of_two_codes_are_both_kept(nlp):
    b = book(code("d", codes=[code("env", [rule("phrases", ["private room"])]),
                              code("conf", [rule("phrases", ["room"])])]))
    text = "A private room helps."
    assert codes(b, text) == ["env", "conf"]
    tagger = Tagger(b)
    doc = nlp(text)
    tagger.match_doc(doc, "young-person")
    assert sorted((s.text, s.label_) for s in doc.spans[SPANS_KEY]) == [("private room", "env"), ("room", "conf")]
    assert doc.ents == ()


def test_one_suggestion_per_code_and_unit_with_every_rule_listed():
    b = one_code_book(rule("phrases", ["quiet"], id="c/q"), rule("lemmas", ["noise"], id="c/n"))
    (s,) = tag(b, "There was noise. It should be quiet, no noises.")
    assert (s.evidence, s.rule_id, s.rule_ids, s.match_count) == ("noise", "c/n", ("c/n", "c/q"), 3)


def test_interviewer_turns_are_never_coded():
    b = one_code_book(rule("phrases", ["privacy"]))
    text = "Interviewer: Is privacy important?\nRespondent: Privacy is very important."
    i, r = text.index("Is privacy"), text.index("Privacy is")
    units = [Unit(0, i, text.index("\n"), "Interviewer", False), Unit(1, r, len(text), "Respondent", True)]
    res = Tagger(b).tag_units(text, units, "young-person")
    assert [u.codes for u in res] == [[], ["c"]]
    assert res[0].unit.speaker == "Interviewer"


def test_matches_never_span_two_units():
    b = one_code_book(rule("phrases", ["quiet place"]),
                      rule("near", {"a": ["noise"], "b": ["room"], "within": 5}))
    text = "It was quiet\nplace the noise\nroom"
    units = [Unit(0, 0, 12, "P", True), Unit(1, 13, 28, "P", True), Unit(2, 29, 33, "P", True)]
    assert [u.codes for u in Tagger(b).tag_units(text, units, None)] == [[], [], []]


def test_codes_apply_only_to_their_groups_and_inherit_from_domains():
    b = book(code("yp", codes=[code("yp-age", [rule("phrases", ["age"])])], groups=["young-person"]),
             code("cl", codes=[code("cl-x", [rule("phrases", ["age"])], groups=["clinician"])]),
             code("all", codes=[code("any", [rule("phrases", ["age"])])]))
    assert codes(b, "Age matters.", "young-person") == ["yp-age", "any"]
    assert codes(b, "Age matters.", "clinician") == ["cl-x", "any"]
    assert codes(b, "Age matters.", None) == ["yp-age", "cl-x", "any"]  # no group: every code


def test_domains_with_rules_are_suggested_like_codes():
    b = book(code("bond", [rule("phrases", ["bond"])], codes=[code("env", [rule("phrases", ["room"])])]))
    assert codes(b, "A room and a bond.") == ["bond", "env"]


def test_tag_batch_keeps_job_order_and_skips_empty_jobs():
    b = one_code_book(rule("phrases", ["trust"]))
    jobs = [("I trust her.", [Unit(0, 0, 12, "P", True)], "young-person"),
            ("Hello.", [Unit(0, 0, 6, "I", False)], "young-person"),  # no participant unit
            ("", [], "young-person"),
            ("Trust.", [Unit(0, 0, 6, "P", True)], "young-person")]
    out = list(Tagger(b).tag_batch(jobs))
    assert [[u.codes for u in res] for res in out] == [[["c"]], [[]], [], [["c"]]]


def test_suggestion_sentence_is_the_sentence_of_the_match():
    b = one_code_book(rule("lemmas", ["overhear"]))
    text = "Respondent: Hi there. People could overhear us! That was bad."
    start = text.index("Hi")
    (s,) = tag_units_of(b, text, start)
    assert text[s.sentence_start:s.sentence_end] == "People could overhear us!"
    assert text[s.start:s.end] == "overhear"


def tag_units_of(b, text, start):
    return Tagger(b).tag_units(text, [Unit(0, start, len(text), "R", True)], None)[0].suggestions


# ---------------------------------------------------------------- units from transcripts
def _transcript():
    text = ("Interviewer: How was it? Tell me.\n"
            "Respondent: It was private. We met weekly!  The room was quiet\n"
            "Interviewer: Thanks.")
    r = text.index("It was private")
    return ParsedTranscript("t", text, [
        Turn(0, "Interviewer", 13, text.index("\n"), False),
        Turn(1, "Respondent", r, text.index("\nInterviewer: Thanks"), True),
        Turn(2, "Interviewer", text.rindex("Thanks"), len(text), False),
    ], "txt")


def test_turn_units():
    p = _transcript()
    units = turn_units(p)
    assert [(u.index, u.speaker, u.is_participant) for u in units] == [
        (0, "Interviewer", False), (1, "Respondent", True), (2, "Interviewer", False)]
    assert p.text[units[1].start:units[1].end].startswith("It was private")


def test_sentence_units_split_participant_turns_only(nlp):
    p = _transcript()
    units = sentence_units(p, nlp)
    assert [(p.text[u.start:u.end], u.is_participant) for u in units] == [
        ("How was it? Tell me.", False),
        ("It was private.", True), ("We met weekly!", True), ("The room was quiet", True),
        ("Thanks.", False)]
    assert [u.index for u in units] == [0, 1, 2, 3, 4]


def test_sentence_units_can_be_tagged():
    p = _transcript()
    b = one_code_book(rule("lemmas", ["meet weekly"]))
    res = Tagger(b).tag_units(p.text, sentence_units(p), "young-person")
    assert [r.codes for r in res] == [[], [], ["c"], [], []]


@pytest.mark.parametrize("text", [
    "Hello there. How are you? Fine!",
    'He said "stop." Then he left... and came back. Ok',
    "No punctuation at all",
    "Ends with punct.\n\nNew paragraph (really). Yes?! Sure.",
    "...",
])
def test_internal_sentence_boundaries_equal_spacys_sentencizer(nlp, text):
    """The tagger computes sentences with the sentencizer's rule in numpy; same result."""
    tagger = Tagger(one_code_book(rule("phrases", ["x"])))
    doc = nlp.make_doc(text)
    job = _Job(text, None, [], [None], [0], [len(text)])
    ctx = _DocContext(doc, job, tagger._punct_hashes, tagger._attrs)
    _, first = ctx._sentence_arrays()
    expected = [s.start for s in nlp.get_pipe("sentencizer")(nlp.make_doc(text)).sents]
    assert first == expected


def test_token_pattern_windows_find_exactly_what_the_matcher_finds(nlp):
    """Patterns run only near their anchors; that must not lose or invent matches."""
    from spacy.matcher import Matcher

    patterns = {
        "gap": [{"LOWER": {"IN": ["counsellor", "she"]}}, {"OP": "{0,4}"}, {"LEMMA": {"IN": ["greet", "polite"]}}],
        "plus": [{"LOWER": "very"}, {"LOWER": "very", "OP": "+"}, {"LOWER": "nice"}],
        "opt": [{"LEMMA": "be"}, {"LOWER": "really", "OP": "?"}, {"LOWER": "patient"}],
    }
    b = one_code_book(*(rule("pattern", p, id=k) for k, p in patterns.items()))
    turns = ["She always greeted me. The counsellor was, as I said before, polite.",
             "She is really patient and very very very nice; the counsellor greets and she is polite.",
             "Nothing here. Be patient.", "polite counsellor greets", "very nice"]
    text = "\n".join(turns)
    units, pos = [], 0
    for i, t in enumerate(turns):
        units.append(Unit(i, pos, pos + len(t), "P", True))
        pos += len(t) + 1
    matcher = Matcher(nlp.vocab)
    for k, p in patterns.items():
        matcher.add(k, [p])
    tagger = Tagger(b)
    for u, res in zip(units, tagger.tag_units(text, units, None)):
        doc = nlp(text[u.start:u.end])
        expected = {(nlp.vocab.strings[k], doc[s:e].text) for k, s, e in matcher(doc)}
        got = {(m.rule.rule_id, doc[m.start_tok:m.end_tok].text) for m in tagger.match_doc(doc)}
        assert got == expected
        assert bool(res.codes) == bool(expected)
