"""A tiny two-group project: a codebook, two transcripts with speaker turns, suggested codings."""
from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.model import ParsedTranscript, Participant, Turn
from qualcode.store import init_project
from qualcode.store.codings import RULES_CODER, insert_codings, query_codings
from qualcode.store.transcripts import insert_transcript, upsert_participant

CODEBOOK = """\
codebook:
  name: Tiny working alliance
domains:
  - id: bond
    label: Bond
    groups: [young-person]
    codes:
      - id: bond.env
        label: Conducive environment
        definition: A private, quiet, safe space for sessions.
        when_to_use: Talk about the room, privacy, being overheard.
        colour: "#4e79a7"
      - id: bond.regular
        label: Regular engagements
        definition: Meeting often and keeping in touch.
      - id: bond.listen
        label: "Listening [actively]"
  - id: goals
    label: Goals
    codes:
      - id: goals.decision
        label: Decision on treatment goals
      - id: goals.other
        label: Other goals
  - id: lc
    label: Counsellor view
    groups: [clinician]
    codes:
      - id: lc.training
        label: Training
      - id: lc.supervision
        label: Supervision
"""

YP = [("Interviewer", "What makes a good place for sessions?", False),
      ("D3", "Privacy is very important. [laughs] I don't want people to overhear me.", True),
      ("Interviewer", "And how often should you meet?", False),
      ("D3", "I think meeting every week helps. Um, the counsellor should really listen.", True),
      ("D3", "I was involved one hundred percent in choosing my goals.", True)]
LC = [("Interviewer", "What helps you in your work?", False),
      ("B1", "The training was short but supervision every month keeps me going.", True)]


def build(name: str, turns: list[tuple[str, str, bool]]) -> ParsedTranscript:
    text, out = "", []
    for i, (speaker, words, participant) in enumerate(turns):
        text += f"{speaker}: "
        start = len(text)
        text += words
        out.append(Turn(i, speaker, start, len(text), participant))
        text += "\n"
    return ParsedTranscript(name=name, text=text, turns=out, source_format="txt")


def span(parsed: ParsedTranscript, quote: str) -> tuple[int, int]:
    start = parsed.text.index(quote)
    return start, start + len(quote)


def make_project(root: Path):
    root.mkdir(parents=True, exist_ok=True)
    (root / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    project = init_project(root, codebooks=["codebook.yaml"], coder="analyst")
    yp, lc = build("yp-D3", YP), build("lc-B1", LC)
    with project.engine.begin() as conn:
        pid = upsert_participant(conn, Participant("D3", "young-person", "Young person", "Respondent D3"))
        lid = upsert_participant(conn, Participant("B1", "clinician", "Lay counsellor", "Lay counsellor B1"))
        ty = insert_transcript(conn, yp, group="young-person", participant_id=pid)
        tl = insert_transcript(conn, lc, group="clinician", participant_id=lid)
        rows = []
        for tid, parsed, quote, code in [
            (ty, yp, "Privacy is very important.", "bond.env"),
            (ty, yp, "I don't want people to overhear me.", "bond.env"),
            (ty, yp, "I think meeting every week helps.", "bond.regular"),
            (ty, yp, "the counsellor should really listen.", "bond.listen"),
            (ty, yp, "I was involved one hundred percent in choosing my goals.", "goals.decision"),
            (tl, lc, "supervision every month keeps me going", "lc.supervision"),
        ]:
            s, e = span(parsed, quote)
            rows.append(dict(transcript_id=tid, start=s, end=e, snippet=parsed.text[s:e], code_id=code,
                             coder=RULES_CODER, origin="rule", status="suggested", rule_id=f"{code}/phrases-1"))
        insert_codings(conn, rows)
    return project


@pytest.fixture
def project(tmp_path: Path):
    return make_project(tmp_path / "study")


def coding(project, snippet_start: str):
    """The one coding whose snippet starts with ``snippet_start``."""
    with project.engine.connect() as conn:
        rows = [r for r in query_codings(conn) if r.snippet.startswith(snippet_start)]
    assert len(rows) == 1, rows
    return rows[0]


def all_codings(project):
    with project.engine.connect() as conn:
        return query_codings(conn)
