"""Diarised labels, lines without blank lines, malformed labels, non-speech segments (issue 11)."""
from __future__ import annotations

from qualcode.ingest.read import read_transcript


def test_diarised_label_styles_each_start_a_turn(write, spoken):
    text = ("SPEAKER_00: Hello there.\nSPEAKER_01: Hi.\n"
            "Speaker 1: One.\nSpeaker 2 (00:01:02): Two.\nS1: Three.\nS2: Four.\n")
    t = read_transcript(write("d.txt", text))
    assert [x[0] for x in spoken(t)] == ["SPEAKER_00", "SPEAKER_01", "Speaker 1", "Speaker 2", "S1", "S2"]
    assert t.turns[3].time_start == "00:01:02.000"


def test_turns_without_blank_lines_between_them_stay_apart(write, spoken):
    lines = [f"{'Therapist' if i % 2 == 0 else 'Client'}: sentence number {i}." for i in range(40)]
    t = read_transcript(write("no-blank.txt", "\n".join(lines)))
    assert len(t.turns) == 40
    assert spoken(t)[1] == ("Client", "sentence number 1.")
    assert sum(x.is_participant for x in t.turns) == 20


def test_malformed_timestamp_label_starts_its_turn_with_a_warning(write, spoken):
    text = "[00:09:01] Client: I slept badly.\n[00:09:025] Therapist: Since when?\n[00:09:30] Client: Weeks.\n"
    t = read_transcript(write("bad-time.txt", text))
    assert spoken(t) == [("Client", "I slept badly."), ("Therapist", "Since when?"), ("Client", "Weeks.")]
    assert [x.is_participant for x in t.turns] == [True, False, True]
    [w] = t.warnings
    assert w.kind == "label" and w.line == 2 and "'[00:09:025]'" in w.message and "Therapist" in w.message
    assert "[00:09:025]" not in t.text


def test_title_and_metadata_lines_are_non_speech(write, spoken):
    text = ("Transcript 0: reducing alcohol use\nDate: 12 May 2021\nDuration: 45 min\n\n"
            "Therapist: How has the drinking been?\nClient: Less since March.\n\n[End of recording]\n")
    t = read_transcript(write("titled.txt", text))
    said = spoken(t)
    assert said == [("", "Transcript 0: reducing alcohol use\nDate: 12 May 2021\nDuration: 45 min"),
                    ("Therapist", "How has the drinking been?"), ("Client", "Less since March."),
                    ("", "[End of recording]")]
    assert [x.is_speech for x in t.turns] == [False, True, True, False]
    assert [x.is_participant for x in t.turns] == [False, False, True, False]
    assert [s.speaker for s in t.speakers] == ["Therapist", "Client"]


def test_note_on_its_own_line_is_not_glued_to_the_answer(write, spoken):
    t = read_transcript(write("end.txt", "Interviewer: Anything else?\nRespondent: No, that's all.\n[End of recording]"))
    assert spoken(t)[-2:] == [("Respondent", "No, that's all."), ("", "[End of recording]")]
    assert not t.turns[-1].is_speech


def test_inline_notes_stay_in_the_turn(write, spoken):
    t = read_transcript(write("inline.txt", "Interviewer: And then?\nRespondent: I left [laughs] quickly."))
    assert spoken(t)[-1] == ("Respondent", "I left [laughs] quickly.")


def test_long_unlabelled_opening_is_kept_but_warned(write):
    opening = " ".join(["word"] * 30)
    t = read_transcript(write("open.txt", f"{opening}\n\nInterviewer: Next?\nRespondent: Yes."))
    assert not t.turns[0].is_speech
    assert [w.kind for w in t.warnings] == ["nonspeech"] and t.warnings[0].line == 1


def test_file_without_labels_keeps_paragraphs_as_speech(write, spoken):
    t = read_transcript(write("plain.txt", "First paragraph.\n\nSecond paragraph."))
    assert [x.is_speech and x.is_participant for x in t.turns] == [True, True]
