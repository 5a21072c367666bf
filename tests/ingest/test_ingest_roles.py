"""Speaker roles: built-in interviewer-side labels, project lists, roster, warnings (issue 11)."""
from __future__ import annotations

import pytest

from qualcode.ingest import read_text
from qualcode.ingest.roles import INTERVIEWER_LABELS, SpeakerRules, config_roles, roster_roles
from qualcode.ingest.read import read_transcript


@pytest.mark.parametrize("label", [
    "Therapist", "Counsellor", "Counselor", "Clinician", "Doctor", "Interviewer", "Facilitator", "Moderator",
    "Researcher", "I", "Q", "INT", "Therapist (SM)", "Counsellor 2", "Interviewer - JB", "INT1",
    "Co-facilitator", "Co-facilitator 2", "Peer researcher", "Lived experience facilitator (JB)",
])
def test_interviewer_side_labels_are_not_coded(label):
    t = read_text(f"{label}: How have you been?\n\nClient: Not great, to be honest.")
    assert [(x.speaker, x.is_participant) for x in t.turns] == [(label, False), ("Client", True)]
    assert [(s.speaker, s.role, s.source) for s in t.speakers] == [
        (label, "interviewer", "built-in"), ("Client", "participant", "built-in")]
    assert t.warnings == []


def test_therapist_session_counts_turns_and_words_per_speaker():
    t = read_text("Therapist: How was the week?\nClient: Hard. I drank most nights.\n"
                  "Therapist: Most nights?\nClient: Yes.")
    summary = {s.speaker: (s.role, s.turns, s.words) for s in t.speakers}
    assert summary == {"Therapist": ("interviewer", 2, 6), "Client": ("participant", 2, 6)}


def test_lay_counsellor_participant_is_not_taken_for_the_interviewer():
    rules = SpeakerRules(roster=roster_roles([("C1", "lay counsellor", "Lay counsellor C1")]))
    assert rules.role_of("Lay counsellor C1") == ("participant", "roster")
    assert rules.role_of("Interviewer") == ("interviewer", "built-in")


def test_roster_role_decides_over_the_built_in_list():
    rules = SpeakerRules(roster=roster_roles([("SM", "therapist", ""), ("Doctor", "patient", "")]))
    assert rules.role_of("SM") == ("interviewer", "roster")
    assert rules.role_of("Doctor") == ("participant", "roster")  # a participant called Doctor


def test_project_lists_extend_the_built_in_labels():
    rules = SpeakerRules(config=config_roles({"interviewer": ["Coach"], "other": ["Mum"]}, "qualcode.toml"))
    assert rules.role_of("Coach") == ("interviewer", "config")
    assert rules.role_of("Coach 2") == ("interviewer", "config")
    assert rules.role_of("Mum") == ("other", "config")
    assert "therapist" in INTERVIEWER_LABELS and rules.role_of("Therapist")[0] == "interviewer"


def test_unknown_speakers_and_no_interviewer_are_warnings_with_lines(write):
    path = write("diarised.txt", "SPEAKER_00: How are things?\nSPEAKER_01: Better.\nSPEAKER_00: Good.\n")
    t = read_transcript(path)
    assert [(x.speaker, x.is_participant) for x in t.turns] == [
        ("SPEAKER_00", True), ("SPEAKER_01", True), ("SPEAKER_00", True)]
    kinds = [(w.kind, w.line, w.speaker) for w in t.warnings]
    assert kinds == [("unknown-speaker", 1, "SPEAKER_00"), ("unknown-speaker", 2, "SPEAKER_01"),
                     ("no-interviewer", None, "")]
    assert "set-role" in t.warnings[0].message


def test_bad_speakers_table_in_config_is_an_error():
    from qualcode.errors import TranscriptError
    with pytest.raises(TranscriptError, match="not a role"):
        config_roles({"interviewers": ["Coach"]}, "qualcode.toml")
