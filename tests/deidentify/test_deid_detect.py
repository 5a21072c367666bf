"""What counts as an identifier: listed names, places and organisations, phones, e-mails, dates."""
from __future__ import annotations

import pytest

from qualcode.deidentify.detect import find_hits
from qualcode.deidentify.pseudonyms import Pseudonyms
from qualcode.deidentify.rewrite import OffsetMap, rewrite
from qualcode.deidentify.terms import Term, TermMatcher, read_names_file
from qualcode.errors import ExchangeError


def found(text: str, terms: list[Term] | None = None) -> list[tuple[str, str]]:
    return [(h.text, h.kind) for h in find_hits(text, TermMatcher(terms or []))]


@pytest.mark.parametrize("text,kind", [
    ("+263 77 123 4567", "PHONE"), ("077-123-4567", "PHONE"), ("(077) 123 4567", "PHONE"), ("0771234567", "PHONE"),
    ("john@example.org", "EMAIL"), ("t.moyo+clinic@mail.example.co.zw", "EMAIL"),
    ("12/03/2021", "DATE"), ("12 March 2021", "DATE"), ("March 12, 2021", "DATE"), ("2021-03-12", "DATE"),
    ("12th of March", "DATE"), ("March 2021", "DATE"), ("3 Sept. 2020", "DATE"),
])
def test_formats_are_found_whole(text, kind):
    assert found(f"Before {text}, after.") == [(text, kind)]


@pytest.mark.parametrize("text", [
    "young people aged 14-24 years", "between 2019-2021", "about 1 000 000 people", "at 10:30 we met",
    "you may 5 times", "in March we met", "she got 15 out of 20",
])
def test_ordinary_numbers_and_words_are_left_alone(text):
    assert found(text) == []


def test_names_match_case_insensitively_on_whole_words_longest_first():
    terms = [Term("Tendai Moyo"), Term("Mutare", "PLACE"), Term("Friendship Bench", "ORG")]
    text = "TENDAI MOYO and tendai went to mutare; Tendaishe stayed at the friendship\nbench."
    assert found(text, terms) == [("TENDAI MOYO", "NAME"), ("tendai", "NAME"), ("mutare", "PLACE"),
                                  ("friendship\nbench", "ORG")]


def test_a_name_that_is_an_english_word_only_matches_capitalised():
    assert found("I hope Hope comes, grace said. Grace did.", [Term("Hope"), Term("Grace")]) == [
        ("Hope", "NAME"), ("Grace", "NAME")]


def test_an_email_wins_over_a_name_inside_it():
    assert found("write to tendai@example.org", [Term("Tendai")]) == [("tendai@example.org", "EMAIL")]


def test_parts_of_a_full_name_share_its_pseudonym_and_numbering_follows_first_appearance():
    matcher = TermMatcher([Term("Tendai Moyo"), Term("Chipo Dube"), Term("Mutare", "PLACE")])
    text = "Chipo met Tendai in Mutare. Later Tendai Moyo called 077-123-4567, and CHIPO called 077 123 4567."
    new, reps = rewrite(text, find_hits(text, matcher), Pseudonyms())
    assert new == ("[NAME-1] met [NAME-2] in [PLACE-1]. Later [NAME-2] called [PHONE-1], and [NAME-1] called "
                   "[PHONE-1].")


def test_offsets_move_and_spans_inside_a_replacement_snap_to_the_pseudonym():
    text = "Hello Tendai Moyo, how are you?"
    new, reps = rewrite(text, find_hits(text, TermMatcher([Term("Tendai Moyo")])), Pseudonyms())
    moved = OffsetMap(reps)
    assert new == "Hello [NAME-1], how are you?"
    assert new[moved.start(0):moved.end(5)] == "Hello"
    assert new[moved.start(19):moved.end(len(text))] == "how are you?"
    assert new[moved.start(8):moved.end(14)] == "[NAME-1]"  # "ndai M" -> the whole pseudonym
    assert new[moved.start(0):moved.end(len(text))] == new


def test_names_file_lines_and_csv(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("original,kind\n# the team's list\nChipo Dube\nMutare,PLACE\n\"Friendship Bench, Harare\",org\n",
                    encoding="utf-8")
    assert read_names_file(path) == [Term("Chipo Dube", "NAME"), Term("Mutare", "PLACE"),
                                     Term("Friendship Bench, Harare", "ORG")]
    path.write_text("Chipo\nMutare,TOWN\n", encoding="utf-8")
    with pytest.raises(ExchangeError) as info:
        read_names_file(path)
    assert "names.csv:2" in str(info.value) and "NAME, PLACE or ORG" in str(info.value)


def test_pseudonyms_from_an_earlier_run_are_never_replaced_again():
    assert found("[NAME-12] met [DATE-3] and Name", [Term("Name")]) == [("Name", "NAME")]
