"""Caption files: WebVTT (Teams voice spans, Zoom labels) and SubRip."""
from __future__ import annotations

import pytest

from qualcode.errors import TranscriptError
from qualcode.ingest import read_transcript


def test_real_teams_vtt(formats_dir, spoken):
    t = read_transcript(formats_dir / "webvtt-py_teams_timeframe.vtt")
    assert t.source_format == "vtt"
    assert spoken(t) == [("Yuri Bakulin", "There you go."), ("Adrian Petrescu", "Why hello there, Yuri.")]
    assert [(x.time_start, x.time_end) for x in t.turns] == [
        ("00:00:00.000", "00:00:00.570"), ("00:00:00.210", "00:00:01.130"),
    ]
    assert "<v" not in t.text


TEAMS_VTT = """WEBVTT

1
00:00:01.000 --> 00:00:03.000
<v Interviewer>How did the sessions go?</v>

2
00:00:03.500 --> 00:00:05.000
<v.loud Respondent D3>They were <i>really</i></v>

3
00:00:05.000 --> 00:00:07.250 align:start
<v Respondent D3>helpful &amp; kind.</v>

NOTE a comment, not speech

4
00:00:08.000 --> 00:00:09.000
and the nurse.
"""


def test_vtt_voice_spans_merge_consecutive_cues_of_a_speaker(write, spoken):
    t = read_transcript(write("d3.VTT", TEAMS_VTT))
    assert spoken(t) == [
        ("Interviewer", "How did the sessions go?"),
        ("Respondent D3", "They were really helpful & kind. and the nurse."),
    ]
    assert [(x.time_start, x.time_end, x.is_participant) for x in t.turns] == [
        ("00:00:01.000", "00:00:03.000", False),
        ("00:00:03.500", "00:00:09.000", True),
    ]


ZOOM_VTT = """WEBVTT

1
00:00:02.100 --> 00:00:04.000
Facilitator: Welcome everyone.

2
00:00:04.500 --> 00:00:06.000
Thandi M: Thank you.

3
00:00:06.000 --> 00:00:07.000
It is good to be here.

4
00:00:07.500 --> 00:00:09.000
Facilitator: Let us start.
"""


def test_zoom_vtt_labels_and_unlabelled_cue_continues_speaker(write, spoken):
    t = read_transcript(write("zoom.vtt", ZOOM_VTT))
    assert spoken(t) == [
        ("Facilitator", "Welcome everyone."),
        ("Thandi M", "Thank you. It is good to be here."),
        ("Facilitator", "Let us start."),
    ]
    assert [x.is_participant for x in t.turns] == [False, True, False]


def test_vtt_without_speakers(write, spoken):
    t = read_transcript(write("auto.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nhello\n\n00:02.000 --> 00:03.000\nworld\n"))
    assert spoken(t) == [("", "hello world")]
    assert t.turns[0].time_start == "00:00:01.000" and t.turns[0].time_end == "00:00:03.000"
    [warning] = t.warnings  # all of it taken as the participant's: the user is told
    assert warning.kind == "label" and "no speaker names" in warning.message


def test_broadcast_speaker_change_marks_are_read(write, spoken):
    t = read_transcript(write("tv.vtt", "WEBVTT\n\n00:01.000 --> 00:03.000\n>> INTERVIEWER: How are you?\n\n"
                                       "00:04.000 --> 00:06.000\n>> PARTICIPANT: Fine, thanks.\n\n"
                                       "00:06.000 --> 00:08.000\n>> Not bad at all.\n"))
    assert spoken(t) == [("INTERVIEWER", "How are you?"), ("PARTICIPANT", "Fine, thanks. Not bad at all.")]
    assert [x.is_participant for x in t.turns] == [False, True]
    [warning] = t.warnings  # the last mark names nobody: its words joined PARTICIPANT, and the user is told
    assert "without a name" in warning.message and "00:06.000" in warning.message


@pytest.mark.parametrize("bad,line", [
    ("00:00:0x.000 --> 00:00:03.000", 7),
    ("00:00:03.000 --> 00:00:75.000", 7),
    ("00:00:03,000 --> 00:00:04,000", 7),
])
def test_malformed_vtt_timing_names_file_and_line(bad, line, write):
    path = write("bad.vtt", f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A>Hi.</v>\n\n2\n{bad}\nLost words?\n")
    with pytest.raises(TranscriptError) as err:
        read_transcript(path)
    assert str(err.value).startswith(f"{path}:{line}: malformed cue timing")
    assert err.value.problems[0].line == line


def test_vtt_without_header(write):
    path = write("nohead.vtt", "00:00:01.000 --> 00:00:02.000\nHi\n")
    with pytest.raises(TranscriptError, match="first line must start with WEBVTT"):
        read_transcript(path)


def test_vtt_text_outside_a_cue_is_reported_not_lost(write):
    path = write("stray.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n\nstray words\n")
    with pytest.raises(TranscriptError) as err:
        read_transcript(path)
    assert str(err.value).startswith(f"{path}:6: text outside any cue")


SRT = """1
00:00:01,000 --> 00:00:02,500
Interviewer: How was the clinic?

2
00:00:03,000 --> 00:00:05,000
<i>Parent P2:</i> Crowded,
very crowded.

3
00:00:05,000 --> 00:00:06,000
We waited hours.

4
00:00:06,500 --> 00:00:07,000
Interviewer: I see.
"""


def test_srt_labels_and_merging(write, spoken):
    t = read_transcript(write("p2.srt", SRT))
    assert t.source_format == "srt"
    assert spoken(t) == [
        ("Interviewer", "How was the clinic?"),
        ("Parent P2", "Crowded, very crowded. We waited hours."),
        ("Interviewer", "I see."),
    ]
    assert [(x.time_start, x.time_end) for x in t.turns] == [
        ("00:00:01.000", "00:00:02.500"), ("00:00:03.000", "00:00:06.000"), ("00:00:06.500", "00:00:07.000"),
    ]


def test_malformed_srt_names_file_and_line(write):
    path = write("bad.srt", "1\n00:00:01,000 --> 00:00:02,000\nA: hi\n\n2\n00:00:0x,000 --> 00:00:03,000\nB: lost\n")
    with pytest.raises(TranscriptError) as err:
        read_transcript(path)
    assert str(err.value).startswith(f"{path}:6: cannot parse this subtitle")


def test_text_file_named_srt(write):
    with pytest.raises(TranscriptError) as err:
        read_transcript(write("notes.srt", "Interviewer: this is not a subtitle file\n"))
    assert "notes.srt:1:" in str(err.value)


def test_vtt_cue_identifier_on_its_own_is_not_an_error(write, spoken):
    path = write("ids.vtt", "WEBVTT\n\n7f3c-1\n\n00:00:01.000 --> 00:00:02.000\n<v A>Hi.</v>\n")
    assert spoken(read_transcript(path)) == [("A", "Hi.")]
