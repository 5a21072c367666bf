from __future__ import annotations

import pytest

from qualcode.analysis.quotes import make_quote
from qualcode.errors import CodingError

TEXT = ("Interviewer: How was it?\n"
        "D3: Um, the religion, I do not think it affects anything. And I was involved one "
        "hundred percent, you know, because it helped.\n"
        "V3: Regular communication...\n"
        "R2: Ummh...you can have a personal relationship where ethics are accommodated.\n"
        "T1: I was scared [laughs]. then it was fine, really\n"
        "C1: Uh, um, I was there, um. So, well, I was there, um.\n"
        "B1: There could come a discussion about God; hmm, let's say the other one is Islamic.\n")


def q(span: str, text: str = TEXT, occurrence: int = 0, tidy: bool = False) -> str:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(span, start + 1)
    return make_quote(text, start, start + len(span), tidy=tidy)


@pytest.mark.parametrize("span, expected", [
    # verbatim by default: the hesitation word is the speaker's and stays
    ("Um, the religion, I do not think it affects anything.",
     "Um, the religion, I do not think it affects anything."),
    ("Ummh...you can have a personal relationship where ethics are accommodated.",
     "Ummh...you can have a personal relationship where ethics are accommodated."),
    ("Uh, um, I was there, um.", "Uh, um, I was there, um."),
    # starts and stops mid-sentence
    ("the religion, I do not think", "...the religion, I do not think..."),
    # starts mid-sentence, the sentence goes on
    ("I was involved one hundred percent, you know,", "...I was involved one hundred percent, you know..."),
    # starts a sentence, stops mid-sentence
    ("And I was involved one hundred percent", "And I was involved one hundred percent..."),
    # stops right before the full stop: the sentence's own punctuation ends the quote
    ("because it helped", "...because it helped."),
    # the speaker's own ellipsis is kept, nothing added
    ("Regular communication...", "Regular communication..."),
    # an [annotation] before the sentence end is looked past
    ("I was scared", "I was scared."),
    # ...and after a sentence end before the span
    ("then it was fine", "then it was fine..."),
    # the span ends the line without punctuation: no ellipsis
    ("then it was fine, really", "then it was fine, really"),
    # a filler inside the quote stays
    ("There could come a discussion about God; hmm, let's say the other one is Islamic.",
     "There could come a discussion about God; hmm, let's say the other one is Islamic."),
    # starts right after a semicolon: mid-sentence
    ("hmm, let's say the other one is Islamic", "...hmm, let's say the other one is Islamic."),
])
def test_make_quote_is_verbatim_by_default(span, expected):
    assert q(span) == expected


@pytest.mark.parametrize("span, expected", [
    # a whole sentence: the leading filler goes, and "[...]" marks where
    ("Um, the religion, I do not think it affects anything.",
     "[...] the religion, I do not think it affects anything."),
    # a filler glued to the speaker's ellipsis
    ("Ummh...you can have a personal relationship where ethics are accommodated.",
     "[...] you can have a personal relationship where ethics are accommodated."),
    # several leading fillers and a trailing one; its full stop is kept
    ("Uh, um, I was there, um.", "[...] I was there [...]."),
    # discourse words are the speaker's own and stay
    ("So, well, I was there, um.", "So, well, I was there [...]."),
    # a cut already says words are missing: no second mark
    ("I was involved one hundred percent, you know,", "...I was involved one hundred percent..."),
    ("hmm, let's say the other one is Islamic", "...let's say the other one is Islamic."),
    # a filler inside the quote stays
    ("There could come a discussion about God; hmm, let's say the other one is Islamic.",
     "There could come a discussion about God; hmm, let's say the other one is Islamic."),
])
def test_tidy_drops_edge_fillers_and_marks_them(span, expected):
    assert q(span, tidy=True) == expected


def test_whitespace_around_the_span_is_trimmed():
    text = "D3:   Um, I agree.  \nV1: Yes."
    assert make_quote(text, 3, 21) == "Um, I agree."
    assert make_quote(text, 3, 21, tidy=True) == "[...] I agree."


def test_span_of_only_fillers_comes_back_trimmed():
    text = "D3: Um, uh... hmm. Yes."
    assert make_quote(text, 3, 18) == "Um, uh... hmm."
    assert make_quote(text, 3, 18, tidy=True) == "Um, uh... hmm."


def test_whitespace_only_span_is_empty():
    assert make_quote("a    b", 1, 4) == ""


def test_internal_whitespace_is_collapsed():
    text = "D1: I felt\n   safe  there."
    assert make_quote(text, 4, len(text)) == "I felt safe there."


def test_words_that_merely_start_like_fillers_stay():
    text = "Umbrellas were everywhere. Errands took all day. Like, I was tired."
    assert make_quote(text, 0, 26) == "Umbrellas were everywhere."
    assert make_quote(text, 27, 48) == "Errands took all day."
    assert make_quote(text, 49, len(text)) == "Like, I was tired."
    assert make_quote(text, 0, 26, tidy=True) == "Umbrellas were everywhere."
    assert make_quote(text, 27, 48, tidy=True) == "Errands took all day."


def test_like_without_comma_is_not_a_trailing_filler():
    text = "It is what I like."
    assert make_quote(text, 0, 17) == "It is what I like."


def test_uh_huh_is_not_stripped():
    text = "Uh-huh, that is right."
    assert make_quote(text, 0, len(text), tidy=True) == "Uh-huh, that is right."


def test_start_of_text_and_line_are_sentence_starts():
    assert make_quote("keeping in touch helps", 0, 16) == "keeping in touch..."
    text = "I said\nkeeping in touch helps."
    assert make_quote(text, 7, len(text)) == "keeping in touch helps."


def test_span_after_closing_quote_of_a_finished_sentence():
    text = 'She said "stop." Then I left.'
    assert make_quote(text, 17, len(text)) == "Then I left."


def test_question_and_exclamation_end_sentences():
    text = "Why me? Nobody knows! it was hard"
    assert make_quote(text, 8, 20) == "Nobody knows!"
    assert make_quote(text, 22, len(text)) == "it was hard"
    assert make_quote(text, 0, 6) == "Why me?"


@pytest.mark.parametrize("start, end", [(-1, 3), (0, 999), (5, 2)])
def test_offsets_outside_the_text_raise(start, end):
    with pytest.raises(CodingError):
        make_quote("short text", start, end)
