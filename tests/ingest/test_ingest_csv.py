"""CSV transcripts: one row per turn."""
from __future__ import annotations

import pytest

from qualcode.errors import TranscriptError
from qualcode.ingest import read_transcript


def test_csv_rows_become_turns(write, spoken):
    path = write("c1.csv", (
        "Speaker,Start,End,Utterance\r\n"
        "Interviewer,00:00:01,00:00:04,\"How are things, really?\"\r\n"
        "Lay counsellor C1,5.5,9,\"Busy.\r\nVery busy.\"\r\n"
        ",,,\r\n"
        ",10,12,[inaudible]\r\n"
    ))
    t = read_transcript(path)
    assert t.source_format == "csv"
    assert spoken(t) == [
        ("Interviewer", "How are things, really?"),
        ("Lay counsellor C1", "Busy.\nVery busy."),
        ("", "[inaudible]"),
    ]
    assert [(x.time_start, x.time_end) for x in t.turns] == [
        ("00:00:01.000", "00:00:04.000"), ("00:00:05.500", "00:00:09.000"), ("00:00:10.000", "00:00:12.000"),
    ]
    assert [x.is_participant for x in t.turns] == [False, True, True]


def test_csv_alternative_column_names_and_semicolons(write, spoken):
    t = read_transcript(write("c2.csv", "NAME;Timestamp;Content\nQ;0:03;Why?\nB1;0:07;Because.\n"))
    assert spoken(t) == [("Q", "Why?"), ("B1", "Because.")]
    assert t.turns[0].time_start == "00:00:03.000" and t.turns[0].is_participant is False


def test_csv_without_text_column_names_the_columns_found(write):
    path = write("c3.csv", "speaker,said\nA,hello\n")
    with pytest.raises(TranscriptError) as err:
        read_transcript(path)
    message = str(err.value)
    assert message.startswith(f"{path}:1: no text column") and "'speaker', 'said'" in message


def test_csv_with_only_a_header_is_empty(write):
    with pytest.raises(TranscriptError, match="is empty"):
        read_transcript(write("c4.csv", "speaker,text\n"))


def test_csv_without_any_speaker_is_imported_with_a_warning(write, spoken):
    t = read_transcript(write("answers.csv", "text\nHow are you?\nFine.\n"))
    assert spoken(t) == [("", "How are you?"), ("", "Fine.")]
    assert all(turn.is_participant for turn in t.turns)
    [warning] = t.warnings  # both rows count as the participant's: the user is told
    assert warning.kind == "label" and "no speaker" in warning.message
