"""`qualcode export refi`: a .qdpx other programs can open, validated against Project.xsd."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import xmlschema
from defusedxml import ElementTree as DET

from qualcode.exchange.refi_export import export_refi
from qualcode.exchange.schemas import SCHEMA_DIR
from tests.conftest import SHARED, run

NS = "{urn:QDA-XML:project:1.0}"
REFERENCE = SHARED / "reference" / "refi-qda"


def project_xsd() -> Path:
    return REFERENCE / "Project.xsd" if (REFERENCE / "Project.xsd").is_file() else SCHEMA_DIR / "Project.xsd"


def read(qdpx: Path):
    with zipfile.ZipFile(qdpx) as zf:
        names = zf.namelist()
        qde = zf.read("project.qde")
        files = {n: zf.read(n).decode("utf-8") for n in names if n != "project.qde"}
    return names, qde, DET.fromstring(qde), files


def test_bundled_schemas_are_the_reference_copies():
    for name in ("Project.xsd", "Codebook.xsd"):
        if (REFERENCE / name).is_file():
            assert (SCHEMA_DIR / name).read_bytes() == (REFERENCE / name).read_bytes()


def test_export_validates_against_project_xsd_and_has_the_spec_layout(source_project, tmp_path):
    out = export_refi(source_project, tmp_path / "study.qdpx").path
    names, qde, root, files = read(out)
    xmlschema.XMLSchema(str(project_xsd())).validate(qde.decode("utf-8"))
    assert root.tag == f"{NS}Project"
    assert [c.tag[len(NS):] for c in root] == ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links",
                                              "Description"]
    assert names[0] == "project.qde"
    assert all(n.startswith("sources/") and n.count("/") == 1 and n.endswith(".txt") for n in names[1:])
    sources = root.find(f"{NS}Sources").findall(f"{NS}TextSource")
    assert sorted(s.get("name") for s in sources) == ["lc-C1", "yp-D3"]
    for s in sources:
        assert s.get("plainTextPath") == f"internal://{s.get('guid')}.txt"


def test_positions_are_code_points_end_exclusive_into_the_utf8_text(source_project, tmp_path):
    from tests.exchange.conftest import D3

    _, _, root, files = read(export_refi(source_project, tmp_path / "s.qdpx").path)
    d3 = next(s for s in root.iter(f"{NS}TextSource") if s.get("name") == "yp-D3")
    text = files[f"sources/{d3.get('guid')}.txt"]
    assert text == D3
    spans = [text[int(sel.get("startPosition")):int(sel.get("endPosition"))] for sel in d3.iter(f"{NS}PlainTextSelection")]
    assert "Privacy is very important. 🙂" in spans  # the emoji is one code point (two UTF-16 units)
    assert "I was involved one hundred percent — café talk ☕." in spans


def test_rejected_codings_are_left_out_by_default_and_status_brings_them_in(source_project, tmp_path):
    _, _, root, _ = read(export_refi(source_project, tmp_path / "a.qdpx").path)
    assert len(list(root.iter(f"{NS}Coding"))) == 5  # 4 accepted + 1 suggested; the rejected one left out
    result = export_refi(source_project, tmp_path / "b.qdpx", statuses=("rejected",))
    _, _, root, _ = read(result.path)
    assert len(list(root.iter(f"{NS}Coding"))) == 1
    assert result.left_out == {"accepted": 4, "suggested": 1}


def test_codes_users_cases_and_notes(source_project, tmp_path):
    _, _, root, _ = read(export_refi(source_project, tmp_path / "s.qdpx").path)
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{NS}User")}
    assert set(users.values()) == {"analyst", "coder-b"}
    for coding in root.iter(f"{NS}Coding"):
        assert coding.get("creatingUser") in users
    codes = root.find(f"{NS}CodeBook/{NS}Codes")
    bond = codes.find(f"{NS}Code")
    assert (bond.get("name"), bond.get("color")) == ("Bond", "#4e79a7")
    env = bond.find(f"{NS}Code")
    assert env.get("name") == "Conducive environment" and env.get("color") == "#f28e2b"
    description = env.find(f"{NS}Description").text
    assert "A private, quiet, safe space" in description and "When not to use: Privacy of records" in description
    code_guids = {c.get("guid") for c in root.iter(f"{NS}Code")}
    assert all(r.get("targetGUID") in code_guids for r in root.iter(f"{NS}CodeRef"))
    variables = {v.get("guid"): v.get("name") for v in root.iter(f"{NS}Variable")}
    assert set(variables.values()) == {"group", "role", "age", "site"}
    d3 = next(c for c in root.iter(f"{NS}Case") if c.get("name") == "D3")
    values = {variables[v.find(f"{NS}VariableRef").get("targetGUID")]: v.find(f"{NS}TextValue").text
              for v in d3.findall(f"{NS}VariableValue")}
    assert values == {"group": "young-person", "role": "young person", "age": "23", "site": "clinic D"}
    source_guid = next(s.get("guid") for s in root.iter(f"{NS}TextSource") if s.get("name") == "yp-D3")
    assert [r.get("targetGUID") for r in d3.findall(f"{NS}SourceRef")] == [source_guid]
    notes = {n.get("guid"): n.find(f"{NS}PlainTextContent").text for n in root.iter(f"{NS}Note")}
    assert set(notes.values()) == {"key quote", "Interview held in a noisy clinic.", "Privacy matters most to D3.",
                                   "Check the wording of the codebook.", "Is this really about the room?"}
    key_selection = next(s for s in root.iter(f"{NS}PlainTextSelection")
                         if any(notes.get(r.get("targetGUID")) == "key quote" for r in s.findall(f"{NS}NoteRef")))
    assert users[key_selection.get("creatingUser")] == "analyst"


def test_guids_are_stable_so_two_exports_are_identical(source_project, tmp_path):
    a = export_refi(source_project, tmp_path / "a.qdpx").path.read_bytes()
    b = export_refi(source_project, tmp_path / "b.qdpx").path.read_bytes()
    assert a == b


def test_codes_missing_from_the_codebook_are_refused_by_name(source_project, tmp_path):
    from qualcode.store.codings import insert_codings

    with source_project.engine.begin() as conn:
        insert_codings(conn, [dict(transcript_id=1, start=0, end=5, snippet="Inter", code_id="not-in-book",
                                   coder="analyst", origin="manual", status="accepted")])
    r = run(["--project", str(source_project.root), "export", "refi", "-o", str(tmp_path / "x.qdpx")])
    assert r.exit_code == 6
    assert "not-in-book" in r.stderr and "codebook" in r.stderr
    assert not (tmp_path / "x.qdpx").exists()


def test_cli_export_refi_prints_the_file_and_notes(source_project, tmp_path):
    out = tmp_path / "study.qdpx"
    r = run(["--project", str(source_project.root), "export", "refi", "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == str(out)
    assert "2 transcripts" in r.stderr and "1 rejected coding(s) not exported" in r.stderr
    r = run(["--project", str(source_project.root), "export", "refi", "-o", str(out), "--status", "accepted",
             "--status", "rejected"])
    assert r.exit_code == 0 and "1 suggested coding(s) not exported" in r.stderr


@pytest.mark.parametrize("status", ["accepted"])
def test_export_of_a_project_without_codings_still_validates(empty_project, tmp_path, status):
    out = export_refi(empty_project, tmp_path / "empty.qdpx", statuses=(status,)).path
    _, qde, root, files = read(out)
    xmlschema.XMLSchema(str(project_xsd())).validate(qde.decode("utf-8"))
    assert files == {}


def test_control_characters_in_memos_do_not_break_the_xml(source_project, tmp_path):
    from qualcode.store.codings import add_memo

    with source_project.engine.begin() as conn:
        add_memo(conn, kind="note", text="pasted from Word\x0cnext page\x07", author="analyst", transcript_id=1)
    _, qde, root, _ = read(export_refi(source_project, tmp_path / "s.qdpx").path)
    xmlschema.XMLSchema(str(project_xsd())).validate(qde.decode("utf-8"))
    assert "pasted from Wordnext page" in {n.find(f"{NS}PlainTextContent").text for n in root.iter(f"{NS}Note")}
