"""Exports of common transcription tools: speakers, roles and exact turn counts (issue 11).

Files in tests/fixtures/transcripts reproduce each tool's export layout (see ORIGIN.md there)."""
from __future__ import annotations

import pytest

from qualcode.errors import TranscriptError
from qualcode.ingest import read_transcript


def test_whisperx_diarised_json(samples_dir, spoken):
    t = read_transcript(samples_dir / "whisperx_diarised.json")
    assert t.source_format == "json"
    assert spoken(t) == [
        ("SPEAKER_00", "How have things been since we last met?"),
        ("SPEAKER_01", "Honestly, not great. I stopped going to the group."),
        ("SPEAKER_00", "What made you stop?"),  # no segment speaker: most of its words' speaker
        ("SPEAKER_01", "The bus fare, mostly."),
    ]
    assert t.turns[1].time_start == "00:00:03.912" and t.turns[1].time_end == "00:00:12.010"
    assert {w.kind for w in t.warnings} == {"unknown-speaker", "no-interviewer"}


def test_plain_whisper_json_warns_that_nobody_is_the_interviewer(samples_dir, spoken):
    t = read_transcript(samples_dir / "whisper_plain.json")
    assert spoken(t) == [("", "Thank you for coming in today."), ("", "It's no problem.")]
    assert [w.kind for w in t.warnings] == ["no-speakers"]


def test_whisper_cpp_json_offsets_are_milliseconds(samples_dir):
    t = read_transcript(samples_dir / "whisper_cpp.json")
    assert len(t.turns) == 2 and t.turns[1].time_start == "00:00:04.320"


def test_json_that_is_not_a_transcript_names_the_file(write):
    with pytest.raises(TranscriptError, match=r"bad\.json:2: not valid JSON"):
        read_transcript(write("bad.json", '{"segments":\n ['))
    with pytest.raises(TranscriptError, match="not a speech-recognition transcript"):
        read_transcript(write("other.json", '{"name": "x"}'))


@pytest.mark.parametrize("name,turns", [
    ("otter_export.txt", [("Speaker 1", "Thanks for joining. Can you hear me all right?"),
                          ("Speaker 2", "Yes, loud and clear.\nSorry I was late."),
                          ("Speaker 1", "No problem at all."), ("Speaker 2", "Shall we begin?"),
                          ("", "Transcribed by https://otter.ai")]),
    ("rev_export.txt", [("Speaker 1", "Thanks for joining. Can you hear me all right?"),
                        ("Speaker 2", "Yes, loud and clear."), ("Speaker 1", "Good. Tell me about your week."),
                        ("Speaker 2", "It was long.")]),
    ("descript_export.txt", [("Speaker 1", "Thanks for joining."), ("Speaker 2", "Happy to."),
                             ("Speaker 1", "Tell me about your week."), ("Speaker 2", "It was long. [laughs]")]),
    ("trint_export.txt", [("Speaker 1", "Thanks for joining."), ("Speaker 2", "Happy to. It has been a long week."),
                          ("Speaker 1", "Tell me more.")]),
    ("zoom_transcript.vtt", [("Ana Lopes", "Thanks for joining. Can you hear me?"), ("Tendai Moyo", "Yes, I can.")]),
])
def test_tool_exports(samples_dir, spoken, name, turns):
    t = read_transcript(samples_dir / name)
    assert spoken(t) == turns
    speakers = [s.speaker for s in t.speakers]
    assert len(speakers) == 2
    unknown = sorted(w.speaker for w in t.warnings if w.kind == "unknown-speaker")
    assert unknown == sorted(speakers)  # tool labels: the user must say who interviewed
    assert any(w.kind == "no-interviewer" for w in t.warnings)
    assert all(x.time_start for x in t.turns if x.is_speech)
