"""QualCoder's own REFI-QDA importer (its ``refi.py``, run headless by tests/clients/qualcoder_client.py)
on ``export refi --for qualcoder``: every code (names made unique, hierarchy kept), every transcript
word for word, every exported coding on the same text with its coder and memo, every case with its
variables, every memo. Compared with qualcode's store, not with expected constants.

QualCoder is not on PyPI and its source (LGPL-3.0) may not be copied into this repository, so this
test needs a QualCoder checkout: ``QUALCODE_QUALCODER_SRC=/path/to/QualCoder`` and a Python with
PyQt6 (``make qualcoder-client`` builds ``.venv-qualcoder``; docs/exchange.md). Without the checkout
the test skips; with the checkout but no such Python it fails.
"""
from __future__ import annotations

import json
import os
import subprocess
import zipfile
from pathlib import Path

import pytest

from qualcode.model import ParsedTranscript, Participant
from qualcode.exchange.refi_export import export_refi
from qualcode.exchange.refi_import import import_refi
from qualcode.store import init_project, open_project
from qualcode.store.codings import insert_codings, list_memos, query_codings
from qualcode.store.transcripts import insert_transcript, list_participants, list_transcripts, upsert_participant
from tests.conftest import REPO
from tests.exchange.conftest import build_project, span, turns_of

CLIENT = REPO / "tests" / "clients" / "qualcoder_client.py"
QUALCODER_SRC = os.environ.get("QUALCODE_QUALCODER_SRC")
QUALCODER_PY = Path(os.environ.get("QUALCODE_QUALCODER_PYTHON", REPO / ".venv-qualcoder" / "bin" / "python"))

# a second "D3" (in the clinicians) and a second code labelled "Trust": QualCoder needs unique names
CLASH_CODE = """      - id: goals-trust
        label: Trust
        definition: Trust that the goals will be reached.
"""
LC_D3 = "Interviewer: Anything else?\n\nLay counsellor D3: I trust that we will get there."


def qualcoder_import(qdpx: Path, workdir: Path, *extra: str) -> dict:
    if not QUALCODER_SRC:
        pytest.skip("QualCoder's source is not here: set QUALCODE_QUALCODER_SRC (see docs/exchange.md)")
    if not QUALCODER_PY.is_file():
        pytest.fail(f"{QUALCODER_PY} is missing: run `make qualcoder-client` (PyQt6 for QualCoder's importer)")
    done = subprocess.run([str(QUALCODER_PY), str(CLIENT), QUALCODER_SRC, str(qdpx), str(workdir), *extra],
                          capture_output=True, text=True, timeout=600,
                          env=os.environ | {"QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def clashing_project(root: Path):
    project = build_project(root)
    book = root / "codebooks" / "test.yaml"
    book.write_text(book.read_text(encoding="utf-8") + CLASH_CODE, encoding="utf-8")
    with project.engine.begin() as conn:
        pid = upsert_participant(conn, Participant("D3", "clinician", "lay counsellor", "Lay counsellor D3", {"age": "37"}))
        tid = insert_transcript(conn, ParsedTranscript("lc-D3", LC_D3, turns_of(LC_D3), "txt"), group="clinician",
                                participant_id=pid)
        s, e = span(LC_D3, "I trust that we will get there.")
        insert_codings(conn, [dict(transcript_id=tid, start=s, end=e, snippet=LC_D3[s:e], code_id="goals-trust",
                                   coder="analyst", origin="manual", status="accepted", memo="hopeful")])
    return open_project(root, search=False)


def test_qualcoders_importer_keeps_every_code_transcript_coding_case_and_memo(tmp_path):
    project = clashing_project(tmp_path / "source")
    qdpx = export_refi(project, tmp_path / "for-qualcoder.qdpx", target="qualcoder").path
    qc = qualcoder_import(qdpx, tmp_path / "qualcoder")

    book = project.codebook()
    # codes: one QualCoder code per qualcode code (found by the id the export keeps in its memo), names unique
    by_cid = {cid: (memo or "").rsplit("qualcode id: ", 1)[-1].strip() for cid, _name, memo, *_ in qc["codes"]}
    assert sorted(by_cid.values()) == sorted(c.id for c in book.walk())
    names = {by_cid[cid]: name for cid, name, *_ in qc["codes"]}
    assert len(set(names.values())) == len(names)
    assert names["yp-trust"] != names["goals-trust"] and "Trust" in names["yp-trust"] and "Trust" in names["goals-trust"]
    parents = {by_cid[row[0]]: by_cid.get(row[4]) for row in qc["codes"]}
    assert parents == {c.id: (c.parent.id if c.parent else None) for c in book.walk()}
    assert qc["categories"] == []

    with project.engine.connect() as conn:
        transcripts, participants = list_transcripts(conn), list_participants(conn)
        codings = [c for c in query_codings(conn) if c.status in ("accepted", "suggested")]
        memos = list_memos(conn)
    # transcripts word for word
    assert sorted((name, text) for _id, name, text, _memo in qc["sources"]) == sorted((t.name, t.text) for t in transcripts)
    # codings on the same text, by the same coder, with their memo
    code_of = {name: code_id for code_id, name in names.items()}
    got = sorted((code_of[code], source, p0, p1, text, owner, memo or "") for code, source, p0, p1, text, owner, memo in qc["codings"])
    want = sorted((c.code_id, c.transcript, c.start, c.end, c.snippet, c.coder, c.memo or "") for c in codings)
    assert got == want
    assert all(text == next(t.text for t in transcripts if t.name == src)[p0:p1] for _c, src, p0, p1, text, *_ in got)
    # cases: none dropped, attribution as memo, group/role/attributes and the participant id as variables
    assert len(qc["cases"]) == len(participants) == 3
    case_vars: dict[int, dict[str, str]] = {}
    for name, kind, value, case_id in qc["attributes"]:
        if kind == "case":
            case_vars.setdefault(case_id, {})[name] = value
    got_cases = sorted((case_vars[cid].get("group"), case_vars[cid].get("participant id", name), memo, case_vars[cid].get("age"))
                       for cid, name, memo in qc["cases"])
    assert got_cases == sorted((p.group, p.pid, p.attribution, p.attributes.get("age")) for p in participants)
    # memos: every memo and coding memo of the store is somewhere in QualCoder (journal, source memo, coding memo)
    kept = ([entry for _n, entry in qc["journals"]] + [memo for *_x, memo in qc["sources"] if memo]
            + [memo for *_x, memo in qc["codings"] if memo])
    assert {m.text for m in memos} | {c.memo for c in codings if c.memo} <= set(kept)
    assert not [line for line in qc["log"] if "error" in line.lower() or "duplicated" in line.lower()]


def test_a_project_back_from_qualcoders_exporter_has_the_same_codings_and_memos(tmp_path):
    project = clashing_project(tmp_path / "source")
    qdpx = export_refi(project, tmp_path / "for-qualcoder.qdpx", target="qualcoder").path
    back = Path(qualcoder_import(qdpx, tmp_path / "qualcoder", "--export", str(tmp_path / "from-qualcoder.qdpx"))["exported"])
    assert b'origin="QualCoder' in zipfile.ZipFile(back).read("project.qde")

    target = init_project(tmp_path / "target", name="Back")
    import_refi(target, back)
    target = open_project(target.root, search=False)
    with project.engine.connect() as conn:
        sent = [c for c in query_codings(conn) if c.status in ("accepted", "suggested")]
        sent_memos = {m.text for m in list_memos(conn)} | {c.memo for c in sent if c.memo}
        labels = {c.id: c.label for c in project.codebook().walk()}
        texts = {t.name: t.text for t in list_transcripts(conn)}
    with target.engine.connect() as conn:
        got = query_codings(conn)
        got_memos = {m.text for m in list_memos(conn)} | {c.memo for c in got if c.memo}
        got_texts = {t.name: t.text for t in list_transcripts(conn)}
    names = {c.id: c.label for c in target.codebook().walk()}
    assert got_texts == texts
    assert sorted((c.transcript, c.start, c.end, c.snippet, c.coder) for c in got) == \
        sorted((c.transcript, c.start, c.end, c.snippet, c.coder) for c in sent)
    # the labels QualCoder had ("Trust (Bond)") name the same codes
    assert sorted((c.transcript, c.start, names[c.code_id].split(" (")[0]) for c in got) == \
        sorted((c.transcript, c.start, labels[c.code_id]) for c in sent)
    assert sent_memos <= got_memos
