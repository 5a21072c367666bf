"""Plain-text / Markdown transcripts: speaker labels, turns, offsets."""
from __future__ import annotations

import pytest

from qualcode.errors import TranscriptError
from qualcode.ingest import read_text, read_transcript


def test_labelled_interview_gives_speakers_turns_and_offsets(write, spoken):
    path = write("yp-D3.txt", (
        "Interviewer: How did you find the sessions?\n"
        "Respondent D3: At first I was scared.\n"
        "Then it got better.\n"
        "\n"
        "Interviewer: Why?\n"
        "Respondent D3: She listened to me.\n"
    ))
    t = read_transcript(path)
    assert t.name == "yp-D3" and t.source_format == "txt" and t.source_path == str(path)
    assert spoken(t) == [
        ("Interviewer", "How did you find the sessions?"),
        ("Respondent D3", "At first I was scared.\nThen it got better."),
        ("Interviewer", "Why?"),
        ("Respondent D3", "She listened to me."),
    ]
    assert t.text.startswith("Interviewer: How did you find the sessions?\n\nRespondent D3: At first")
    assert [turn.is_participant for turn in t.turns] == [False, True, False, True]


@pytest.mark.parametrize("label", [
    "Interviewer", "Respondent D3", "R1", "Lay counsellor C1", "Dr. Moyo", "Mrs O'Brien-Smith",
])
def test_label_shapes(label, spoken):
    t = read_text(f"{label}: Something was said.\nInterviewer: Thanks.")
    assert spoken(t)[0] == (label, "Something was said.")


def test_sentence_with_colon_is_not_a_speaker_label(spoken):
    t = read_text(
        "Interviewer: What happened?\n"
        "Participant: It was hard.\n"
        "The problem is: nobody listens to us.\n"
        "Note: this part was hard to hear.\n"
        "Time was 10:30 when we left.\n"
        "See https://example.org for details.\n"
    )
    assert spoken(t) == [
        ("Interviewer", "What happened?"),
        ("Participant", "It was hard.\nThe problem is: nobody listens to us.\n"
                        "Note: this part was hard to hear.\nTime was 10:30 when we left.\n"
                        "See https://example.org for details."),
    ]


def test_long_or_wordy_prefix_is_not_a_label(spoken):
    t = read_text(
        "Interviewer: Tell me.\n"
        "Participant: Well.\n"
        "And then on the way home from the clinic: she cried.\n"
        "Six seven eight nine ten eleven: words.\n"
        "Colon without space:is not a label either.\n"
    )
    assert [s for s, _ in spoken(t)] == ["Interviewer", "Participant"]


def test_paragraphs_without_labels_become_one_turn_each(write, spoken):
    t = read_transcript(write("notes.md", "First paragraph\nstill first.\n\n\n  Second one.  \n\nThird.\n"))
    assert t.source_format == "md"
    assert spoken(t) == [("", "First paragraph\nstill first."), ("", "Second one."), ("", "Third.")]
    assert t.text == "First paragraph\nstill first.\n\nSecond one.\n\nThird."
    assert all(turn.is_participant for turn in t.turns)
    [warning] = t.warnings  # all participant speech, and the user is told so
    assert warning.kind == "label" and "no speaker labels" in warning.message and warning.line == 1


def test_text_before_the_first_label_is_kept_as_its_own_paragraph(spoken):
    t = read_text("Interview with D3\nDate: 12 March 2023\n\nInterviewer: Hello.\nD3: Hi.")
    assert spoken(t) == [
        ("", "Interview with D3\nDate: 12 March 2023"),
        ("Interviewer", "Hello."),
        ("D3", "Hi."),
    ]


def test_unlabelled_paragraph_after_a_turn_continues_it(spoken):
    t = read_text("Interviewer: Go on.\n\nD3: Part one.\n\nPart two.")
    assert spoken(t)[1] == ("D3", "Part one.\n\nPart two.")


def test_label_alone_on_its_line_takes_the_following_lines(spoken):
    t = read_text("Interviewer:\nHow are you?\n\nParticipant:\nFine, thanks.\nReally.")
    assert spoken(t) == [("Interviewer", "How are you?"), ("Participant", "Fine, thanks.\nReally.")]


@pytest.mark.parametrize("prefix", ["[00:01:02]", "(00:01:02)", "00:01:02", "[1:02]", "[00:01:02.5]"])
def test_timestamp_before_label_goes_to_time_start_not_text(prefix, spoken):
    t = read_text(f"{prefix} Interviewer: Hello there.\n[00:01:09] R1: Hi.")
    assert spoken(t) == [("Interviewer", "Hello there."), ("R1", "Hi.")]
    assert "00:01" not in t.text
    expected = {"[1:02]": "00:01:02.000", "[00:01:02.5]": "00:01:02.500"}.get(prefix, "00:01:02.000")
    assert t.turns[0].time_start == expected
    assert t.turns[1].time_start == "00:01:09.000"


def test_rev_style_time_after_name(spoken):
    t = read_text("Interviewer (00:00:03):\nHow are you?\n\nSpeaker 2 (00:00:07):\nGood.")
    assert spoken(t) == [("Interviewer", "How are you?"), ("Speaker 2", "Good.")]
    assert [turn.time_start for turn in t.turns] == ["00:00:03.000", "00:00:07.000"]


def test_sonix_time_after_the_colon_is_the_turn_time(spoken):
    t = read_text("Speaker1: [00:00:00] Welcome, thanks for coming.\nSpeaker2: [00:00:04] Thanks for having me.")
    assert spoken(t) == [("Speaker1", "Welcome, thanks for coming."), ("Speaker2", "Thanks for having me.")]
    assert [turn.time_start for turn in t.turns] == ["00:00:00.000", "00:00:04.000"]


def test_tab_separated_labels_are_read_when_the_name_recurs(spoken):
    t = read_text("INTERVIEWER\tHow did you find the app?\nRESPONDENT\tIt was fine, a bit clunky.\n"
                  "INTERVIEWER\tClunky how?\nRESPONDENT\t00:01:12\tToo many screens.\n")
    assert spoken(t) == [("INTERVIEWER", "How did you find the app?"), ("RESPONDENT", "It was fine, a bit clunky."),
                         ("INTERVIEWER", "Clunky how?"), ("RESPONDENT", "Too many screens.")]
    assert [turn.is_participant for turn in t.turns] == [False, True, False, True]
    assert t.turns[3].time_start == "00:01:12.000" and not t.warnings


def test_a_tab_after_a_word_once_is_not_a_label(spoken):
    t = read_text("Interviewer: Tell me.\nParticipant: Well\tI mean, it was hard.\nSo\tanyway.")
    assert spoken(t) == [("Interviewer", "Tell me."), ("Participant", "Well\tI mean, it was hard.\nSo\tanyway.")]


def test_otter_export_layout(write, spoken):
    path = write("otter.txt", (
        "Jane Smith  0:03\n"
        "So tell me about the clinic.\n"
        "\n"
        "Speaker 2  0:15\n"
        "It was far away,\n"
        "and expensive.\n"
        "\n"
        "Jane Smith  1:02:03\n"
        "Thanks.\n"
    ))
    t = read_transcript(path)
    assert spoken(t) == [
        ("Jane Smith", "So tell me about the clinic."),
        ("Speaker 2", "It was far away,\nand expensive."),
        ("Jane Smith", "Thanks."),
    ]
    assert [turn.time_start for turn in t.turns] == ["00:00:03.000", "00:00:15.000", "01:02:03.000"]


def test_markdown_bold_labels(write, spoken):
    t = read_transcript(write("t.md", "**Interviewer:** Hello.\n\n**P1**: Hi *there*.\n"))
    assert spoken(t) == [("Interviewer", "Hello."), ("P1", "Hi *there*.")]


@pytest.mark.parametrize("label,is_participant", [
    ("Interviewer", False), ("INTERVIEWER", False), ("interviewer 2", False), ("Interviewer-B", False),
    ("Facilitator", False), ("Moderator", False), ("Researcher", False), ("Int", False),
    ("I", False), ("Q", False), ("Respondent", True), ("R", True), ("Intern", True), ("Participant 2", True),
])
def test_interviewer_detection(label, is_participant):
    t = read_text(f"{label}: Words here.\nSomeone: Reply.")
    assert t.turns[0].speaker == label
    assert t.turns[0].is_participant is is_participant


def test_custom_interviewer_pattern_replaces_the_default():
    t = read_text("Nurse Ana: Question?\nInterviewer: Hmm.\nD3: Answer.", interviewer_pattern=r"nurse \w+")
    assert [(turn.speaker, turn.is_participant) for turn in t.turns] == [
        ("Nurse Ana", False), ("Interviewer", True), ("D3", True),
    ]


def test_custom_speaker_pattern(spoken):
    text = "<<A>> [00:00:05] hello there\ncontinued\n<<B>> [00:00:09] hi\n"
    t = read_text(text, speaker_pattern=r"<<(?P<speaker>\w+)>> \[(?P<time>[\d:]+)\] (?P<text>.*)")
    assert spoken(t) == [("A", "hello there\ncontinued"), ("B", "hi")]
    assert t.turns[1].time_start == "00:00:09.000"


def test_custom_speaker_pattern_replaces_default_labels(spoken):
    t = read_text("A|hello\nInterviewer: not a label now", speaker_pattern=r"(?P<speaker>\w)\|(?P<text>.*)")
    assert spoken(t) == [("A", "hello\nInterviewer: not a label now")]


@pytest.mark.parametrize("pattern,complaint", [
    (r"(?P<speaker>\w+", "invalid speaker pattern"),
    (r"(?P<who>\w+): (?P<text>.*)", "missing: speaker"),
    (r"(?P<speaker>\w+): .*", "missing: text"),
])
def test_bad_speaker_pattern_is_a_clear_error(pattern, complaint, write):
    with pytest.raises(TranscriptError) as err:
        read_transcript(write("x.txt", "A: b"), speaker_pattern=pattern)
    assert complaint in str(err.value) and "x.txt" in str(err.value)


def test_bad_interviewer_pattern_is_a_clear_error():
    with pytest.raises(TranscriptError, match="invalid interviewer pattern"):
        read_text("A: b", interviewer_pattern="(")


def test_read_text_from_stdin_normalises_line_ends(spoken):
    t = read_text("\ufeffInterviewer: Hi.\r\nP1: Hello\rthere.", name="stdin")
    assert t.name == "stdin" and t.source_format == "txt"
    assert spoken(t) == [("Interviewer", "Hi."), ("P1", "Hello\nthere.")]


def test_read_text_empty_is_an_error():
    with pytest.raises(TranscriptError, match="stdin: is empty"):
        read_text("  \n\n ")


def test_unicode_offsets_are_code_points(spoken):
    t = read_text("Interviewer: Ça va? 😀\nP1: Très bien — merci.")
    assert spoken(t) == [("Interviewer", "Ça va? 😀"), ("P1", "Très bien — merci.")]


def test_timestamp_lines_are_dropped_but_times_in_speech_stay(spoken):
    t = read_text("Interviewer: What time?\n[00:01:02]\nP1:\n00:01:05\n10:30, I think.\n(0:07) Then we left.")
    assert spoken(t) == [("Interviewer", "What time?"), ("P1", "10:30, I think.\nThen we left.")]
