"""qualcode speakers / set-role, import --check / --strict, warnings in status and transcripts show (issue 11)."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import run

DIARISED = "SPEAKER_00: How has the week been?\nSPEAKER_01: Hard. I drank most nights.\nSPEAKER_00: Most nights?\n"


def _db(root: Path) -> sqlite3.Connection:
    return sqlite3.connect(root / ".qualcode" / "project.db")


def test_import_lists_speakers_with_roles_turns_and_words(project_dir):
    (project_dir / "s1.txt").write_text("Therapist: How was it?\nClient: Fine, thanks.\n", encoding="utf-8")
    r = run(["import", "s1.txt", "--group", "young-person"], cwd=project_dir)
    assert r.exit_code == 0, r.output
    assert "Therapist" in r.stdout and "interviewer" in r.stdout and "built-in" in r.stdout
    rows = json.loads(run(["speakers", "--transcript", "s1", "--format", "json"], cwd=project_dir).stdout)
    assert rows == [
        {"transcript": "s1", "speaker": "Client", "role": "participant", "decided_by": "built-in", "turns": 1,
         "words": 2},
        {"transcript": "s1", "speaker": "Therapist", "role": "interviewer", "decided_by": "built-in", "turns": 1,
         "words": 3}]
    data = {d["name"]: d for d in json.loads(run(["transcripts", "list", "--format", "json"], cwd=project_dir).stdout)}
    assert data["s1"]["interviewer_turns"] == 1 and data["s1"]["warnings"] == 0


def test_unknown_speakers_warn_stay_in_status_and_set_role_resolves(project_dir):
    (project_dir / "d.txt").write_text(DIARISED, encoding="utf-8")
    r = run(["import", "d.txt", "--group", "young-person"], cwd=project_dir)
    assert r.exit_code == 0, r.output
    assert "d.txt:1: speaker 'SPEAKER_00' is neither in the roster nor a known label" in r.stderr
    status = run(["status"], cwd=project_dir)
    assert "d.txt:2: speaker 'SPEAKER_01'" in status.stderr and "none is an interviewer" in status.stderr
    show = run(["transcripts", "show", "d"], cwd=project_dir)
    assert "SPEAKER_00" in show.stderr and "participant (unknown)" in show.stdout

    r = run(["speakers", "set-role", "SPEAKER_00", "interviewer", "--transcript", "d"], cwd=project_dir)
    assert r.exit_code == 0 and "2 turns" in r.stderr and "2 warning(s) resolved" in r.stderr
    with _db(project_dir) as con:
        flags = con.execute("select t.speaker, t.is_participant from turns t join transcripts x on x.id = "
                            "t.transcript_id where x.name = 'd' order by idx").fetchall()
    assert flags == [("SPEAKER_00", 0), ("SPEAKER_01", 1), ("SPEAKER_00", 0)]
    status = run(["status"], cwd=project_dir)
    assert "SPEAKER_00" not in status.stderr and "SPEAKER_01" in status.stderr
    run(["speakers", "set-role", "SPEAKER_01", "participant"], cwd=project_dir)
    assert "d.txt" not in run(["status"], cwd=project_dir).stderr


def test_role_set_by_hand_survives_a_replace(project_dir):
    (project_dir / "d.txt").write_text(DIARISED, encoding="utf-8")
    run(["import", "d.txt", "--group", "young-person"], cwd=project_dir)
    run(["speakers", "set-role", "SPEAKER_00", "interviewer"], cwd=project_dir)
    (project_dir / "d.txt").write_text(DIARISED + "SPEAKER_01: Yes, most.\n", encoding="utf-8")
    r = run(["import", "d.txt", "--group", "young-person", "--replace"], cwd=project_dir)
    assert r.exit_code == 0, r.output
    rows = json.loads(run(["speakers", "--transcript", "d", "--format", "json"], cwd=project_dir).stdout)
    assert {(x["speaker"], x["role"], x["decided_by"]) for x in rows} == {
        ("SPEAKER_00", "interviewer", "user"), ("SPEAKER_01", "participant", "unknown")}


def test_check_writes_nothing_and_the_import_matches_it(project_dir):
    (project_dir / "d.txt").write_text("Title of the session\n\n" + DIARISED, encoding="utf-8")
    before = (project_dir / ".qualcode" / "project.db").read_bytes()
    check = run(["import", "--check", "d.txt", "--group", "young-person"], cwd=project_dir)
    assert check.exit_code == 0, check.output
    assert (project_dir / ".qualcode" / "project.db").read_bytes() == before
    assert "nothing was written" in check.stderr and "SPEAKER_00: How has the week been?" in check.stdout
    assert "[non-speech]: Title of the session" in check.stdout
    real = run(["import", "d.txt", "--group", "young-person"], cwd=project_dir)
    assert real.exit_code == 0
    speakers_table = lambda text: text.split("Speakers", 1)[1].split("first turns")[0].splitlines()[:-1]  # noqa: E731
    assert speakers_table(check.stdout) == speakers_table(real.stdout + "\nfirst turns")
    assert [ln for ln in check.stderr.splitlines() if ln.startswith("warning:")] == \
        [ln for ln in real.stderr.splitlines() if ln.startswith("warning:")]


def test_strict_refuses_a_file_with_warnings(project_dir):
    (project_dir / "d.txt").write_text(DIARISED, encoding="utf-8")
    r = run(["import", "--strict", "d.txt", "--group", "young-person"], cwd=project_dir)
    assert r.exit_code != 0 and "d.txt" in r.stderr and "--strict" in r.stderr
    with _db(project_dir) as con:
        assert con.execute("select count(*) from transcripts where name = 'd'").fetchone()[0] == 0


def test_project_speaker_lists_in_qualcode_toml(project_dir):
    with open(project_dir / "qualcode.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[speakers]\ninterviewer = ["SPEAKER_00"]\nparticipant = ["SPEAKER_01"]\n')
    (project_dir / "d.txt").write_text(DIARISED, encoding="utf-8")
    r = run(["import", "d.txt", "--group", "young-person"], cwd=project_dir)
    assert r.exit_code == 0 and "SPEAKER" not in r.stderr and "interviewer" not in r.stderr, r.stderr
    rows = json.loads(run(["speakers", "--transcript", "d", "--format", "json"], cwd=project_dir).stdout)
    assert {(x["speaker"], x["role"], x["decided_by"]) for x in rows} == {
        ("SPEAKER_00", "interviewer", "config"), ("SPEAKER_01", "participant", "config")}


def test_doctor_lists_open_import_warnings_until_they_are_resolved(project_dir):
    (project_dir / "d.txt").write_text(DIARISED, encoding="utf-8")
    assert run(["import", "d.txt", "--group", "young-person"], cwd=project_dir).exit_code == 0

    def finding() -> dict:
        r = run(["doctor", "--format", "json"], cwd=project_dir)
        return next(f for f in json.loads(r.stdout) if f["check"] == "import warnings")

    found = finding()
    assert found["result"] == "warning"
    assert "3 open in 1 transcript(s): d (3)" in found["detail"] and "transcripts resolve" in found["detail"]
    assert run(["transcripts", "resolve", "d"], cwd=project_dir).exit_code == 0
    assert finding() == {"check": "import warnings", "result": "ok", "detail": "none open"}
