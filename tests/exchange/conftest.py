"""A small project built straight into the store: two transcripts (one with characters outside the
Basic Multilingual Plane, so code points and UTF-16 units differ), a nested codebook with colours,
participants with roster attributes, codings by two coders in every status, and memos of each kind."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from qualcode.model import ParsedTranscript, Participant, Turn
from qualcode.store import init_project, open_project
from qualcode.store.codings import add_memo, insert_codings, query_codings
from qualcode.store.transcripts import insert_transcript, upsert_participant

CODEBOOK = """\
codebook:
  name: Exchange test codebook
  version: "2"
domains:
  - id: yp-bond
    label: Bond
    definition: The relationship between young person and counsellor.
    colour: "#4e79a7"
    codes:
      - id: yp-conducive-environment
        label: Conducive environment
        definition: A private, quiet, safe space for sessions.
        when_to_use: Talk about the room, privacy, being overheard.
        when_not_to_use: Privacy of records (use Confidentiality).
        examples: ["Privacy is very important."]
        colour: "#f28e2b"
      - id: yp-trust
        label: Trust
  - id: yp-goals
    label: Goals
    codes:
      - id: yp-decision
        label: Decision on treatment goals
"""

D3 = ("Interviewer: What mattered about the place?\n\n"
      "Respondent D3: Privacy is very important. 🙂 I could hear the other counsellor.\n\n"
      "Interviewer: And the goals?\n\n"
      "Respondent D3: I was involved one hundred percent — café talk ☕.")
C1 = ("Interviewer: How would you describe a working alliance?\n\n"
      "Lay counsellor C1: Relationship that they have, directed to achieve certain goals.")


def turns_of(text: str) -> list[Turn]:
    out, pos = [], 0
    for i, para in enumerate(text.split("\n\n")):
        speaker, _, _ = para.partition(": ")
        start = pos + len(speaker) + 2
        out.append(Turn(i, speaker, start, pos + len(para), speaker != "Interviewer"))
        pos += len(para) + 2
    return out


def span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def build_project(root: Path):
    root.mkdir(parents=True, exist_ok=True)
    (root / "codebooks").mkdir(exist_ok=True)
    (root / "codebooks" / "test.yaml").write_text(CODEBOOK, encoding="utf-8")
    project = init_project(root, name="Exchange test", codebooks=["codebooks/test.yaml"], coder="analyst")
    with project.engine.begin() as conn:
        d3 = upsert_participant(conn, Participant("D3", "young-person", "young person", "Respondent D3",
                                                  {"age": "23", "site": "clinic D"}))
        c1 = upsert_participant(conn, Participant("C1", "clinician", "lay counsellor", "Lay counsellor C1", {"age": "41"}))
        t_d3 = insert_transcript(conn, ParsedTranscript("yp-D3", D3, turns_of(D3), "txt"), group="young-person",
                                 participant_id=d3)
        t_c1 = insert_transcript(conn, ParsedTranscript("lc-C1", C1, turns_of(C1), "txt"), group="clinician",
                                 participant_id=c1)
        rows = []
        for tid, text, quote, code, coder, status, memo in [
            (t_d3, D3, "Privacy is very important. 🙂", "yp-conducive-environment", "analyst", "accepted", "key quote"),
            (t_d3, D3, "Privacy is very important. 🙂", "yp-conducive-environment", "coder-b", "accepted", ""),
            (t_d3, D3, "I could hear the other counsellor.", "yp-conducive-environment", "analyst", "suggested", ""),
            (t_d3, D3, "I was involved one hundred percent — café talk ☕.", "yp-decision", "analyst", "accepted", ""),
            (t_d3, D3, "And the goals?", "yp-trust", "qualcode:rules", "rejected", ""),
            (t_c1, C1, "directed to achieve certain goals", "yp-goals", "coder-b", "accepted", ""),
        ]:
            s, e = span(text, quote)
            rows.append(dict(transcript_id=tid, start=s, end=e, snippet=text[s:e], code_id=code, coder=coder,
                             origin="manual", status=status, memo=memo))
        insert_codings(conn, rows)
        add_memo(conn, kind="note", text="Interview held in a noisy clinic.", author="analyst", transcript_id=t_d3)
        add_memo(conn, kind="summary", text="Privacy matters most to D3.", author="analyst", participant_id=d3,
                 code_id="yp-conducive-environment")
        add_memo(conn, kind="note", text="Check the wording of the codebook.", author="coder-b", code_id="yp-trust")
        key = next(c for c in query_codings(conn, coder="analyst") if c.memo == "key quote")
        add_memo(conn, kind="note", text="key quote", author="analyst", transcript_id=t_d3, coding_id=key.id)
        add_memo(conn, kind="comment", text="Is this really about the room?", author="coder-b", transcript_id=t_d3,
                 coding_id=key.id)
    return open_project(root, search=False)


@pytest.fixture
def source_project(tmp_path: Path):
    return build_project(tmp_path / "source")


@pytest.fixture
def empty_project(tmp_path: Path):
    return init_project(tmp_path / "target", name="Target")


def make_qdpx(path: Path, qde: str | bytes, files: dict[str, str | bytes] | None = None, qde_name: str = "project.qde") -> Path:
    """Write a .qdpx by hand: ``project.qde`` and any other entries (e.g. ``sources/GUID.txt``)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(qde_name, qde if isinstance(qde, bytes) else qde.encode("utf-8"))
        for name, data in (files or {}).items():
            zf.writestr(name, data if isinstance(data, bytes) else data.encode("utf-8"))
    path.write_bytes(buf.getvalue())
    return path
