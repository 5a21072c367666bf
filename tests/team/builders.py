"""Tiny team projects built through the store API (no bundled study files), shared by tests/team and
tests/store (which runs them on SQLite and PostgreSQL)."""
from __future__ import annotations

from pathlib import Path

from qualcode.model import ParsedTranscript, Participant, Turn
from qualcode.store import init_project
from qualcode.store.codings import insert_codings
from qualcode.store.transcripts import insert_transcript, upsert_participant

CODEBOOK = """\
codebook:
  name: Team test codebook
domains:
  - id: bond
    label: Bond
    codes:
      - id: env
        label: Conducive environment
      - id: regular
        label: Regular engagements
  - id: goals
    label: Goals
    codes:
      - id: decision
        label: Decision on treatment goals
  - id: demo
    label: Socio-demographics
    codes:
      - id: age
        label: Age
"""

# (speaker, words, is_participant); the text is "Speaker: words\n" per turn
T1 = [("Interviewer", "Tell me about the room.", False),
      ("Respondent", "Privacy is very important. We had a quiet room.", True),   # turn 1
      ("Interviewer", "And the space?", False),
      ("Respondent", "There was not much space at the clinic.", True),             # turn 3
      ("Interviewer", "Could others hear?", False),
      ("Respondent", "I could hear the other counsellor.", True),                  # turn 5
      ("Interviewer", "How often did you meet?", False),
      ("Respondent", "We met weekly | every Monday [laughs].", True)]              # turn 7
T2 = [("Interviewer", "Who set the goals?", False),
      ("Respondent", "I made all the decisions myself.", True),                    # turn 1
      ("Interviewer", "Did the counsellor help?", False),
      ("Respondent", "The counsellor asked what I expect to accomplish.", True)]   # turn 3
T3 = [("Interviewer", "Anything else?", False),
      ("Respondent", "No, that is all.", True)]


def build_text(turns: list[tuple[str, str, bool]]) -> tuple[str, list[Turn]]:
    text, out = "", []
    for i, (speaker, words, participant) in enumerate(turns):
        text += f"{speaker}: "
        out.append(Turn(i, speaker, len(text), len(text) + len(words), participant))
        text += words + "\n"
    return text, out


def add_transcript(conn, name: str, turns, group: str = "young-person", pid: str | None = None) -> int:
    text, parsed_turns = build_text(turns)
    pid = pid or name.split("-")[-1]
    participant = upsert_participant(conn, Participant(pid, group, "young person", f"Respondent {pid}"))
    return insert_transcript(conn, ParsedTranscript(name, text, parsed_turns, "txt"), group=group,
                             participant_id=participant)


def span(turns, index: int, words: str | None = None, to: int | None = None) -> tuple[int, int]:
    """Offsets of turn ``index`` (or ``words`` inside it; or from turn ``index`` to the end of turn ``to``)."""
    _, parsed = build_text(turns)
    t = parsed[index]
    if to is not None:
        return t.start, parsed[to].end
    if words is None:
        return t.start, t.end
    text, _ = build_text(turns)
    s = text.index(words, t.start)
    return s, s + len(words)


def coding(tid: int, turns, index: int, code: str, coder: str, *, status: str = "accepted", words: str | None = None,
           to: int | None = None, exemplar: bool = False) -> dict:
    s, e = span(turns, index, words, to)
    text, _ = build_text(turns)
    return dict(transcript_id=tid, start=s, end=e, snippet=text[s:e], code_id=code, coder=coder, origin="manual",
                status=status, exemplar=exemplar)


def make_team_project(root: Path, store: str | None = None, *, with_t3: bool = True):
    """Coders A and B on T1 (4 participant turns) and T2 (2): see tests/team/test_team_agreement_project.py
    for the hand-computed figures. Returns (project, {name: transcript id})."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    project = init_project(root, codebooks=["codebook.yaml"], store=store, coder="A")
    with project.engine.begin() as conn:
        t1 = add_transcript(conn, "yp-T1", T1)
        t2 = add_transcript(conn, "yp-T2", T2)
        t3 = add_transcript(conn, "yp-T3", T3) if with_t3 else None
        rows = [
            # env: A on units 1, 3, 5 (one coding spans turns 3-5 and counts for both); B on 1, 3
            coding(t1, T1, 1, "env", "A", words="Privacy is very important.", exemplar=True),
            coding(t1, T1, 3, "env", "A", to=5),
            coding(t1, T1, 1, "env", "B"),
            coding(t1, T1, 3, "env", "B"),
            coding(t1, T1, 7, "env", "B", status="rejected"),   # rejected: does not apply the code
            coding(t1, T1, 4, "env", "B"),                      # an interviewer turn: never a unit
            # regular: both on unit 7 (B marks it exemplar)
            coding(t1, T1, 7, "regular", "A"),
            coding(t1, T1, 7, "regular", "B", words="We met weekly", exemplar=True),
            # decision: A on T2 unit 1, B on T2 unit 3; B's suggestion of env on T2 unit 1
            coding(t2, T2, 1, "decision", "A"),
            coding(t2, T2, 3, "decision", "B"),
            coding(t2, T2, 1, "env", "B", status="suggested"),
            # the rules engine's suggestion: never a coder in agreement
            coding(t2, T2, 3, "age", "qualcode:rules", status="suggested"),
        ]
        if with_t3:
            rows.append(coding(t3, T3, 1, "age", "A"))                    # T3: coded by A only
            rows.append(coding(t3, T3, 1, "age", "B", status="rejected"))  # B saw nothing here
        insert_codings(conn, rows)
    return project, {"yp-T1": t1, "yp-T2": t2, "yp-T3": t3}
