"""`qualcode deidentify`: after it, no report or export holds an original identifier, codings still
cover the same words, and the key sits in an owner-only file outside the store."""
from __future__ import annotations

import csv
import json
import stat
import zipfile
from pathlib import Path

import pytest

from qualcode.model import ParsedTranscript, Participant, Turn
from qualcode.store import init_project, open_project
from qualcode.store.codings import add_memo, insert_codings, list_memos, query_codings
from qualcode.store.transcripts import get_turns, insert_transcript, list_participants, list_transcripts, upsert_participant
from tests.conftest import run

CODEBOOK = """\
codebook:
  name: Tiny
domains:
  - id: bond
    label: Bond
    codes:
      - id: counsellor
        label: Counsellor
      - id: contact
        label: Contact
"""
TEXT = ("Interviewer: Who was your counsellor?\n\n"
        "Respondent D3: My counsellor Chipo was kind. Tendai Moyo, that is me, felt safe. I hope Grace agrees.\n\n"
        "Interviewer: Where did you meet?\n\n"
        "Respondent D3: At the Friendship Bench in Mutare. Call me on +263 77 123 4567 or 077-123-4567, "
        "or write to tendai.moyo@example.org. We met on 12/03/2021, then 12 March 2021 and March 12, 2021. "
        "TENDAI is how Chipo calls me. My friend Rutendo came too.")
ORIGINALS = ["Chipo", "Tendai", "Moyo", "Grace", "Friendship Bench", "Mutare", "+263 77 123 4567", "077-123-4567",
             "tendai.moyo@example.org", "12/03/2021", "12 March 2021", "March 12, 2021"]
NAMES = "original,kind\nChipo\nGrace,NAME\nMutare,PLACE\nFriendship Bench,ORG\n"


def turns_of(text: str) -> list[Turn]:
    out, pos = [], 0
    for i, para in enumerate(text.split("\n\n")):
        speaker = para.split(": ", 1)[0]
        out.append(Turn(i, speaker, pos + len(speaker) + 2, pos + len(para), speaker != "Interviewer"))
        pos += len(para) + 2
    return out


@pytest.fixture
def planted(tmp_path: Path):
    root = tmp_path / "study"
    root.mkdir()
    (root / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    project = init_project(root, codebooks=["codebook.yaml"], coder="analyst")
    with project.engine.begin() as conn:
        pid = upsert_participant(conn, Participant("D3", "young-person", "young person", "Respondent D3",
                                                   {"name": "Tendai Moyo", "age": "23"}))
        tid = insert_transcript(conn, ParsedTranscript("yp-D3", TEXT, turns_of(TEXT), "txt"), group="young-person",
                                participant_id=pid)

        def coding(quote: str, code: str, memo: str = "", offset: int = 0, cut: int = 0):
            start = TEXT.index(quote) + offset
            end = start + len(quote) - offset - cut
            return dict(transcript_id=tid, start=start, end=end, snippet=TEXT[start:end], code_id=code,
                        coder="analyst", origin="manual", status="accepted", memo=memo)

        insert_codings(conn, [
            coding("My counsellor Chipo was kind.", "counsellor", memo="Chipo is the counsellor at Mutare"),
            coding("Chipo", "counsellor", memo="", offset=0),
            coding("ounsellor Chipo wa", "contact", offset=0, cut=0),
            coding("hipo was", "contact"),  # starts inside the name: snaps to the pseudonym
            coding("Call me on +263 77 123 4567 or 077-123-4567", "contact"),
            coding("felt safe.", "bond"),
        ])
        add_memo(conn, kind="note", text="Tendai mentioned Chipo twice; phone 0771234567.", author="analyst",
                 transcript_id=tid)
    names = tmp_path / "names.csv"
    names.write_text(NAMES, encoding="utf-8")
    return open_project(root, search=False), names, tmp_path / "secure"


def deid(project, *args: str):
    """The list-based behaviour, the same with or without the NER extra installed."""
    return run(["--project", str(project.root), "deidentify", "--no-ner", *args])


def everything_shared(project, tmp_path: Path) -> str:
    """The text of every report and export a team might share."""
    root = str(project.root)
    parts = [run(["--project", root, "transcripts", "show", "yp-D3"]).stdout]
    assert run(["--project", root, "export", "codings", "-o", str(tmp_path / "c.csv")]).exit_code == 0
    parts.append((tmp_path / "c.csv").read_text(encoding="utf-8"))
    assert run(["--project", root, "export", "refi", "-o", str(tmp_path / "p.qdpx")]).exit_code == 0
    with zipfile.ZipFile(tmp_path / "p.qdpx") as zf:
        parts += [zf.read(n).decode("utf-8") for n in zf.namelist()]
    return "\n".join(parts)


def test_no_report_or_export_holds_an_original_identifier_afterwards(planted, tmp_path):
    project, names, secure = planted
    secure.mkdir()
    (tmp_path / "before").mkdir()
    before = everything_shared(project, tmp_path / "before")
    assert all(o.lower() in before.lower() for o in ORIGINALS)
    r = deid(project, "--names", str(names), "--key", str(secure / "key.csv"))
    assert r.exit_code == 0, r.stderr
    (tmp_path / "after").mkdir()
    after = everything_shared(project, tmp_path / "after")
    leaked = [o for o in ORIGINALS if o.lower() in after.lower()]
    assert leaked == []
    assert "I hope [NAME-" in after and "[PLACE-1]" in after and "[ORG-1]" in after and "[EMAIL-1]" in after
    # not listed and no NER: a capitalised word that is not an English word, replaced all the same
    assert "Rutendo" not in after and "My friend [PROPER-1] came too." in after


def test_pseudonyms_are_consistent_and_numbered_by_first_appearance(planted):
    project, names, secure = planted
    secure.mkdir()
    assert deid(project, "--names", str(names), "--key", str(secure / "key.csv")).exit_code == 0
    with project.engine.connect() as conn:
        [t] = list_transcripts(conn)
    assert "My counsellor [NAME-1] was kind. [NAME-2], that is me, felt safe. I hope [NAME-3] agrees." in t.text
    assert "At the [ORG-1] in [PLACE-1]. Call me on [PHONE-1] or [PHONE-2], or write to [EMAIL-1]." in t.text
    assert "We met on [DATE], then [DATE] and [DATE]. [NAME-2] is how [NAME-1] calls me." in t.text  # dates: not linkable


def test_codings_and_turns_cover_the_same_words(planted):
    project, names, secure = planted
    secure.mkdir()
    with project.engine.connect() as conn:
        old = {c.id: c for c in query_codings(conn)}
    assert deid(project, "--names", str(names), "--key", str(secure / "key.csv")).exit_code == 0
    with project.engine.connect() as conn:
        [t] = list_transcripts(conn)
        new = {c.id: c for c in query_codings(conn)}
        turns = get_turns(conn, t.id)
    assert set(new) == set(old)
    for c in new.values():
        assert t.text[c.start:c.end] == c.snippet
    snippets = sorted(c.snippet for c in new.values())
    assert snippets == sorted([
        "My counsellor [NAME-1] was kind.", "[NAME-1]", "ounsellor [NAME-1] wa", "[NAME-1] was",
        "Call me on [PHONE-1] or [PHONE-2]", "felt safe."])
    assert [(u.speaker, t.text[u.start:u.end][:14]) for u in turns] == [
        ("Interviewer", "Who was your c"), ("Respondent D3", "My counsellor "), ("Interviewer", "Where did you "),
        ("Respondent D3", "At the [ORG-1]")]
    assert t.text[:turns[-1].end].endswith("My friend [PROPER-1] came too.")


def test_memos_roster_names_and_the_key(planted):
    project, names, secure = planted
    secure.mkdir()
    key = secure / "key.csv"
    r = deid(project, "--names", str(names), "--key", str(key))
    assert r.exit_code == 0 and "mode 0600" in r.stderr
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    rows = list(csv.DictReader(key.open(encoding="utf-8")))
    assert {"pseudonym": "[NAME-2]", "kind": "NAME", "original": "Tendai Moyo"} in rows
    assert {"pseudonym": "[PLACE-1]", "kind": "PLACE", "original": "Mutare"} in rows
    with project.engine.connect() as conn:
        [memo] = list_memos(conn)
        [person] = list_participants(conn)
        coding_memos = {c.memo for c in query_codings(conn) if c.memo}
    assert memo.text == "[NAME-2] mentioned [NAME-1] twice; phone [PHONE-2]."
    assert person.attributes == {"name": "[NAME-2]", "age": "23"}
    assert coding_memos == {"[NAME-1] is the counsellor at [PLACE-1]"}
    assert not any(p.name == "key.csv" for p in (project.root / ".qualcode").rglob("*"))


def test_dry_run_lists_every_replacement_with_context_and_writes_nothing(planted):
    project, names, secure = planted
    r = deid(project, "--names", str(names), "--dry-run", "--format", "json")
    assert r.exit_code == 0, r.stderr
    changes = json.loads(r.stdout)
    first = changes[0]
    assert first["where"] == "yp-D3" and first["original"] == "Chipo" and first["pseudonym"] == "[NAME-1]"
    assert first["offset"] == TEXT.index("Chipo")
    assert first["context"].startswith("...") and first["context"].endswith("...")
    assert "D3: My counsellor [Chipo -> [NAME-1]] was kind. Tendai Moyo" in first["context"]
    assert {c["where"] for c in changes} >= {"yp-D3", "memo 1", "participant young-person/D3 name"}
    assert "nothing was written" in r.stderr
    with project.engine.connect() as conn:
        assert list_transcripts(conn)[0].text == TEXT
    assert not secure.exists()


def test_the_key_is_required_and_never_inside_the_store(planted):
    project, names, _ = planted
    r = deid(project, "--names", str(names))
    assert r.exit_code == 2 and "--key" in r.stderr
    r = deid(project, "--names", str(names), "--key", str(project.root / ".qualcode" / "key.csv"))
    assert r.exit_code == 2 and "store folder" in r.stderr
    assert not (project.root / ".qualcode" / "key.csv").exists()
    with project.engine.connect() as conn:
        assert list_transcripts(conn)[0].text == TEXT


def test_an_existing_key_keeps_pseudonyms_for_transcripts_added_later(planted):
    project, names, secure = planted
    secure.mkdir()
    key = secure / "key.csv"
    assert deid(project, "--names", str(names), "--key", str(key)).exit_code == 0
    later = "Respondent V1: I met Grace and a new person, Rudo, in Mutare on 1 May 2022."
    with project.engine.begin() as conn:
        insert_transcript(conn, ParsedTranscript("yp-V1", later, turns_of(later), "txt"), group="young-person",
                          participant_id=None)
    (secure / "more.csv").write_text(NAMES + "Rudo\n", encoding="utf-8")
    assert deid(project, "--names", str(secure / "more.csv"), "--key", str(key)).exit_code == 0
    with project.engine.connect() as conn:
        v1 = next(t for t in list_transcripts(conn) if t.name == "yp-V1")
    assert v1.text == "Respondent V1: I met [NAME-3] and a new person, [NAME-4], in [PLACE-1] on [DATE]."
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_suggest_lists_candidates_without_replacing_them(planted):
    project, names, _ = planted
    r = deid(project, "--names", str(names), "--suggest", "--format", "csv")
    assert r.exit_code == 0, r.stderr
    rows = list(csv.DictReader(r.stdout.splitlines()))
    candidates = {row["candidate"] for row in rows}
    assert "Rutendo" in candidates
    assert not candidates & {"Chipo", "Tendai", "Tendai Moyo", "Mutare", "My", "At", "Privacy", "Interviewer"}
    assert "nothing was replaced" in r.stderr
    assert "lookup tables" in r.stderr or "spaCy model" in r.stderr
    with project.engine.connect() as conn:
        assert list_transcripts(conn)[0].text == TEXT
