"""`export refi --for PROGRAM`: what each program needs, checked on the file as that program reads it;
every export valid against Project.xsd and consistent (GUIDs, references, positions)."""
from __future__ import annotations

import re
import zipfile

import pytest
import xmlschema
from defusedxml import ElementTree as DET

from qualcode.exchange.refi_check import reference_problems
from qualcode.exchange.refi_export import export_refi
from qualcode.exchange.refi_import import import_refi
from qualcode.exchange.refi_targets import TARGETS
from qualcode.exchange.schemas import SCHEMA_DIR
from qualcode.model import Participant
from qualcode.store import init_project, open_project
from qualcode.store.codings import list_memos, query_codings
from qualcode.store.transcripts import list_participants, upsert_participant
from tests.conftest import run
from tests.exchange.test_refi_positions import PASSAGES, constructed, snippets

NS = {"q": "urn:QDA-XML:project:1.0"}


def unpack(qdpx):
    with zipfile.ZipFile(qdpx) as zf:
        qde = zf.read("project.qde")
        texts = {n.split("/")[-1].rsplit(".", 1)[0]: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".txt")}
    return qde, DET.fromstring(qde), texts


def passages(root, texts, utf16: bool) -> list[str]:
    """Each coded passage read as a program counting code points or UTF-16 units would read it."""
    out = []
    for src in root.iter("{urn:QDA-XML:project:1.0}TextSource"):
        text = texts[src.get("plainTextPath")[len("internal://"):-4]]
        for sel in src.iter("{urn:QDA-XML:project:1.0}PlainTextSelection"):
            s, e = int(sel.get("startPosition")), int(sel.get("endPosition"))
            out.append(text.encode("utf-16-le")[2 * s:2 * e].decode("utf-16-le") if utf16 else text[s:e])
    return sorted(out)


@pytest.mark.parametrize("target", list(TARGETS))
def test_every_export_is_valid_and_consistent(source_project, tmp_path, target):
    qde, root, texts = unpack(export_refi(source_project, tmp_path / "x.qdpx", target=target).path)
    xmlschema.XMLSchema(str(SCHEMA_DIR / "Project.xsd")).validate(qde.decode("utf-8"))
    assert reference_problems(root, texts, utf16=TARGETS[target].utf16) == []
    assert b"+00:00" not in qde and re.search(rb'creationDateTime="[^"]+Z"', qde)
    with source_project.engine.connect() as conn:
        expected = sorted(c.snippet for c in query_codings(conn) if c.status != "rejected")
    assert passages(root, texts, TARGETS[target].utf16) == expected


def test_nvivo_positions_are_utf16_units_and_come_back_as_code_points(source_project, empty_project, tmp_path):
    qdpx = export_refi(source_project, tmp_path / "nvivo.qdpx", target="nvivo").path
    _, root, texts = unpack(qdpx)
    assert "positions in UTF-16 code units" in root.get("origin")
    assert passages(root, texts, utf16=True) != passages(root, texts, utf16=False)  # the emoji makes them differ
    report = import_refi(empty_project, qdpx)
    assert report.positions.reading == "utf16" and not report.positions.warning
    with source_project.engine.connect() as conn:
        expected = sorted((c.start, c.end, c.snippet) for c in query_codings(conn) if c.status != "rejected")
    with open_project(empty_project.root, search=False).engine.connect() as conn:
        assert sorted((c.start, c.end, c.snippet) for c in query_codings(conn)) == expected


def test_emoji_and_crlf_file_goes_out_to_nvivo_and_back_on_the_same_words(empty_project, tmp_path):
    import_refi(empty_project, constructed(tmp_path / "in.qdpx", "utf16-crlf", "NVivo for Windows 12.6"))
    r = run(["--project", str(empty_project.root), "export", "refi", "--for", "nvivo", "-o", str(tmp_path / "out.qdpx")])
    assert r.exit_code == 0, r.stderr
    _, root, texts = unpack(tmp_path / "out.qdpx")
    assert passages(root, texts, utf16=True) == sorted(PASSAGES)
    again = init_project(tmp_path / "again", name="again")
    import_refi(again, tmp_path / "out.qdpx")
    assert snippets(again) == sorted(PASSAGES)


def clashing(project):
    """Two codes labelled "Trust" and participant D3 in two groups, as in the bundled study."""
    book = project.root / "codebooks" / "test.yaml"
    book.write_text(book.read_text(encoding="utf-8") + "      - id: yp-goal-trust\n        label: Trust\n",
                    encoding="utf-8")
    with project.engine.begin() as conn:
        upsert_participant(conn, Participant("D3", "clinician", "lay counsellor", "Lay counsellor D3"))
    return open_project(project.root, search=False)


def test_qualcoder_gets_unique_readable_names_and_memos_inside_the_selection(source_project, empty_project, tmp_path):
    project = clashing(source_project)
    qdpx = export_refi(project, tmp_path / "qc.qdpx", target="qualcoder").path
    _, root, _ = unpack(qdpx)
    codes = [c.get("name") for c in root.iter("{urn:QDA-XML:project:1.0}Code")]
    assert "Trust (Bond)" in codes and "Trust (Goals)" in codes and len(set(codes)) == len(codes)
    cases = sorted(c.get("name") for c in root.iter("{urn:QDA-XML:project:1.0}Case"))
    assert cases == ["C1", "clinician D3", "young-person D3"]
    described = [s.findtext("q:Description", namespaces=NS) for s in root.iter("{urn:QDA-XML:project:1.0}PlainTextSelection")]
    assert "key quote" in described
    generic = unpack(export_refi(project, tmp_path / "g.qdpx").path)[1]
    assert sorted(c.get("name") for c in generic.iter("{urn:QDA-XML:project:1.0}Case")) == ["C1", "D3", "D3"]
    import_refi(empty_project, qdpx)
    with open_project(empty_project.root, search=False).engine.connect() as conn:
        assert sorted(p.key for p in list_participants(conn)) == [("clinician", "C1"), ("clinician", "D3"),
                                                                  ("young-person", "D3")]
        assert [c.memo for c in query_codings(conn) if c.memo] == ["key quote"]


def test_qualcoder_gets_every_memo_as_a_named_text_file_and_transcript_memos_as_the_source_description(
        source_project, empty_project, tmp_path):
    qdpx = export_refi(source_project, tmp_path / "qc.qdpx", target="qualcoder").path
    with zipfile.ZipFile(qdpx) as zf:
        root = DET.fromstring(zf.read("project.qde"))
        notes = list(root.iter("{urn:QDA-XML:project:1.0}Note"))
        files = {n.get("name"): zf.read("sources/" + n.get("plainTextPath")[len("internal://"):]).decode("utf-8")
                 for n in notes}
    assert len(files) == len(notes)  # names unique (QualCoder crashes on a repeated journal name)
    assert sorted(files.values()) == sorted(n.findtext("q:PlainTextContent", namespaces=NS) for n in notes)
    d3 = next(s for s in root.iter("{urn:QDA-XML:project:1.0}TextSource") if s.get("name") == "yp-D3")
    assert d3.findtext("q:Description", namespaces=NS) == "Interview held in a noisy clinic."
    # and back into qualcode: each memo once, not again from the Description
    import_refi(empty_project, qdpx)
    with source_project.engine.connect() as conn:
        sent = sorted(m.text for m in list_memos(conn))
    with open_project(empty_project.root, search=False).engine.connect() as conn:
        assert sorted(m.text for m in list_memos(conn)) == sent
