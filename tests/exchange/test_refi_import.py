"""`qualcode import refi FILE.qdpx`: round trips, files written by other programs, refusals."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from qualcode.codebook import load_codebook
from qualcode.errors import ExchangeError
from qualcode.exchange.refi_export import export_refi
from qualcode.exchange.refi_import import import_refi
from qualcode.exchange.schemas import schema_errors
from qualcode.store import init_project, open_project
from qualcode.store.codings import delete_codings, list_memos, query_codings
from qualcode.store.transcripts import list_participants, list_transcripts
from tests.conftest import REPO, run
from tests.exchange.conftest import build_project, make_qdpx


def snapshot(project, statuses=("accepted", "suggested")):
    """What a round trip must keep: texts, codes, codings, participants, memos."""
    with project.engine.connect() as conn:
        texts = {t.name: t.text for t in list_transcripts(conn)}
        codings = sorted((c.transcript, c.start, c.end, c.code_id, c.coder, c.memo) for c in query_codings(conn)
                         if c.status in statuses)
        people = sorted((p.group, p.pid, p.role, p.attribution, tuple(sorted(p.attributes.items())))
                        for p in list_participants(conn))
        names = {t.id: t.name for t in list_transcripts(conn)}
        memos = sorted((m.kind, m.text, m.author, names.get(m.transcript_id), m.code_id, m.participant_id is not None,
                        m.coding_id is not None) for m in list_memos(conn))
    book = project.codebook()
    codes = [(c.id, c.label, c.definition, c.when_to_use, c.when_not_to_use, c.examples, c.colour,
              c.parent.id if c.parent else None) for c in book.walk()]
    return texts, codes, codings, people, memos


def test_round_trip_keeps_texts_codes_codings_participants_and_memos(source_project, empty_project, tmp_path):
    qdpx = export_refi(source_project, tmp_path / "study.qdpx").path
    report = import_refi(empty_project, qdpx)
    assert report.codebook_written == empty_project.root / "codebooks" / "study-imported.yaml"
    load_codebook(report.codebook_written)
    reopened = open_project(empty_project.root, search=False)
    assert reopened.config.codebooks == ["codebooks/study-imported.yaml"]
    before, after = snapshot(source_project), snapshot(reopened)
    assert after[0] == before[0]  # every transcript text, byte for byte
    assert after[1] == before[1]  # every code: id, label, definition, when to use / not, examples, colour, parent
    assert after[2] == before[2]  # every exported coding: offsets, code, coder, memo
    assert after[3] == before[3]  # participants with group, role, attribution, attributes
    assert after[4] == before[4]  # memos: kind, text, author and what they are attached to
    with reopened.engine.connect() as conn:
        rows = query_codings(conn)
        assert {(c.status, c.origin) for c in rows} == {("accepted", "import")}
        assert all(conn_text[c.start:c.end] == c.snippet for c in rows
                   for conn_text in [next(t.text for t in list_transcripts(conn) if t.name == c.transcript)])


def test_importing_the_same_file_twice_changes_nothing(source_project, empty_project, tmp_path):
    qdpx = export_refi(source_project, tmp_path / "study.qdpx").path
    import_refi(empty_project, qdpx)
    first = snapshot(open_project(empty_project.root, search=False))
    again = import_refi(open_project(empty_project.root, search=False), qdpx)
    assert again.transcripts_new == [] and again.codings_new == 0 and again.memos == 0
    assert snapshot(open_project(empty_project.root, search=False)) == first


def test_into_a_project_with_a_codebook_codes_match_by_guid_and_label(source_project, tmp_path):
    qdpx = export_refi(source_project, tmp_path / "study.qdpx").path
    target = build_project(tmp_path / "other")
    with target.engine.begin() as conn:
        delete_codings(conn, [c.id for c in query_codings(conn)])
    report = import_refi(target, qdpx)
    assert report.codebook_written is None and report.transcripts_present == ["yp-D3", "lc-C1"]
    assert snapshot(target)[2] == snapshot(source_project)[2]


def test_codes_matching_nothing_in_the_codebook_are_refused_and_nothing_changes(source_project, tmp_path):
    qdpx = export_refi(source_project, tmp_path / "study.qdpx").path
    target = init_project(tmp_path / "other")
    (target.root / "book.yaml").write_text("codebook:\n  name: Other\ndomains:\n  - id: bond\n    label: Bond\n",
                                           encoding="utf-8")
    target.config.codebooks = ["book.yaml"]
    with pytest.raises(ExchangeError) as info:
        import_refi(target, qdpx)
    text = str(info.value)
    assert "'Conducive environment'" in text and "'Decision on treatment goals'" in text
    with target.engine.connect() as conn:
        assert list_transcripts(conn) == [] and query_codings(conn) == []


# A project in the shape of the REFI-QDA 1.5 examples (Annex A.2 and A.3): upper-case GUIDs (one in
# braces), a Sources/ folder, a DOCX source with its plain-text representation, a picture, a case with
# variables, a note on a selection, a code folder (isCodable false) with a child code.
SPEC_QDE = """<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 origin="ATLAS.ti 8.4.0" creatingUserGUID="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" name="ATLAS.ti standard project"
 xsi:schemaLocation="urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd">
 <Users>
  <User guid="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" name="Friedrich Markgraf"/>
  <User guid="A5DE7584-8296-418B-A322-136F77ADF87B" name="Sebastian Petrausch"/>
 </Users>
 <CodeBook>
  <Codes>
   <Code guid="{5215cc69-b628-4e02-afb9-9beeaee55808}" name="Topics" isCodable="false">
    <Code color="#F00082" isCodable="true" name="Feelings" guid="0F8A1907-7E42-4739-8610-A676B4D1B69F">
     <Description>thoughts about breakfast foods</Description>
    </Code>
   </Code>
   <Code color="#966450" isCodable="true" name="Coke" guid="7496BA52-9C8D-4396-8FAB-CC438614E453">
    <Description>the breakfast of champions</Description>
   </Code>
   <Code color="#0f0" isCodable="true" name="Coke" guid="D299EFAE-5779-46DC-9827-A3D1A5D544BC"/>
  </Codes>
 </CodeBook>
 <Variables>
  <Variable guid="11111111-2222-3333-4444-555555555555" name="gender" typeOfVariable="Text"/>
  <Variable guid="11111111-2222-3333-4444-666666666666" name="age" typeOfVariable="Integer"/>
 </Variables>
 <Cases>
  <Case guid="C29B5DB8-2ED6-406B-BFD2-68E8E273C1E9" name="Mabel">
   <VariableValue><VariableRef targetGUID="11111111-2222-3333-4444-555555555555"/><TextValue>female</TextValue></VariableValue>
   <VariableValue><VariableRef targetGUID="11111111-2222-3333-4444-666666666666"/><IntegerValue>67</IntegerValue></VariableValue>
   <SourceRef targetGUID="57C6099B-934F-4C86-90F2-0123456789AB"/>
  </Case>
 </Cases>
 <Sources>
  <TextSource plainTextPath="internal://230B768E-5A3D-42B7-BE92-2A3721177944.txt"
   richTextPath="internal://9DBE0A35-06E4-4D01-B4F5-93C54FA82957.docx" guid="57C6099B-934F-4C86-90F2-0123456789AB"
   creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" name="Mabel interview.docx">
   <PlainTextSelection startPosition="7" endPosition="22" guid="4191294A-E287-4510-A22D-0123456789AB"
    creatingUser="A5DE7584-8296-418B-A322-136F77ADF87B" name="Quote 1">
    <Coding guid="04EBEC7D-EAB4-43FC-8167-ADB14F921143">
     <CodeRef targetGUID="7496BA52-9C8D-4396-8FAB-CC438614E453"/>
    </Coding>
    <Coding guid="04EBEC7D-EAB4-43FC-8167-ADB14F921144" creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB">
     <CodeRef targetGUID="0f8a1907-7e42-4739-8610-a676b4d1b69f"/>
    </Coding>
    <NoteRef targetGUID="E41BE463-FDF3-4ED0-B668-119C53D8D687"/>
   </PlainTextSelection>
  </TextSource>
  <PictureSource path="internal://87EAD86F-3112-4537-8A01-01427CAE1C6D.jpg" guid="02255470-09E6-400B-0000-0123456789AB"
   name="Breakfast.jpg"/>
 </Sources>
 <Notes>
  <Note creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" name="Research Plan" guid="CE15250D-46AD-42C2-B90F-A509B8D64EC8">
   <Description>day to day log about this amazing project</Description>
   <PlainTextContent>This is a great project by a dynamic team of researcher-developers.</PlainTextContent>
  </Note>
  <Note creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" name="My favorite Coke ad" guid="E41BE463-FDF3-4ED0-B668-119C53D8D687">
   <PlainTextContent>This version is much better than the new Director's cut</PlainTextContent>
  </Note>
 </Notes>
</Project>
"""
SPEC_TEXT = "Mabel: I drink Coke every morning.\r\nInterviewer: Why?\r\nMabel: It wakes me up."


def spec_qdpx(path: Path) -> Path:
    return make_qdpx(path, SPEC_QDE, {
        "Sources/230B768E-5A3D-42B7-BE92-2A3721177944.TXT": b"\xef\xbb\xbf" + SPEC_TEXT.encode("utf-8"),
        "Sources/9DBE0A35-06E4-4D01-B4F5-93C54FA82957.docx": b"PK not really a docx",
        "Sources/87EAD86F-3112-4537-8A01-01427CAE1C6D.jpg": b"\xff\xd8\xff",
    }, qde_name="Project.qde")


def test_a_project_in_the_shape_of_the_spec_examples_imports(empty_project, tmp_path):
    report = import_refi(empty_project, spec_qdpx(tmp_path / "atlas.qdpx"))
    assert report.origin.startswith("ATLAS.ti")
    assert any("Breakfast.jpg" in n and "skipped" in n for n in report.notes)
    project = open_project(empty_project.root, search=False)
    book = load_codebook(report.codebook_written)
    assert [(c.id, c.label, c.colour) for c in book.walk()] == [
        ("topics", "Topics", None), ("feelings", "Feelings", "#F00082"), ("coke", "Coke", "#966450"),
        ("coke-2", "Coke", "#00ff00")]
    assert book.get("coke").definition == "the breakfast of champions"
    with project.engine.connect() as conn:
        [t] = list_transcripts(conn)
        assert t.name == "Mabel interview" and t.text == SPEC_TEXT.replace("\r\n", "\n")
        assert (t.pid, t.grp) == ("Mabel", "imported")
        rows = query_codings(conn)
        assert sorted((c.snippet, c.code_id, c.coder) for c in rows) == [
            ("I drink Coke ev", "coke", "Sebastian Petrausch"), ("I drink Coke ev", "feelings", "Friedrich Markgraf")]
        assert {c.memo for c in rows} == {"This version is much better than the new Director's cut"}
        [mabel] = list_participants(conn)
        assert mabel.attributes == {"gender": "female", "age": "67"}
        assert {(m.kind, m.text[:20]) for m in list_memos(conn)} == {
            ("note", "This is a great proj"), ("note", "This version is much")}


def test_plain_text_content_and_lower_case_sources_folder(empty_project, tmp_path):
    qde = SPEC_QDE.replace('plainTextPath="internal://230B768E-5A3D-42B7-BE92-2A3721177944.txt"', "").replace(
        '<PlainTextSelection', f"<PlainTextContent>{SPEC_TEXT}</PlainTextContent>\n<PlainTextSelection", 1)
    report = import_refi(empty_project, make_qdpx(tmp_path / "inline.qdpx", qde))
    assert report.transcripts_new == ["Mabel interview"]


def test_codings_outside_the_text_are_refused_by_name_and_nothing_changes(empty_project, tmp_path):
    qde = SPEC_QDE.replace('startPosition="7" endPosition="22"', 'startPosition="70" endPosition="500"')
    with pytest.raises(ExchangeError) as info:
        import_refi(empty_project, make_qdpx(tmp_path / "bad.qdpx", qde, {
            "sources/230B768E-5A3D-42B7-BE92-2A3721177944.txt": SPEC_TEXT}))
    assert "'Mabel interview.docx'" in str(info.value) and "70-500" in str(info.value)
    assert "characters" in str(info.value)
    with empty_project.engine.connect() as conn:
        assert list_transcripts(conn) == []
    assert not (empty_project.root / "codebooks").exists()
    assert open_project(empty_project.root, search=False).config.codebooks == []


def test_cli_import_refi_reports_what_was_imported(source_project, empty_project, tmp_path):
    qdpx = export_refi(source_project, tmp_path / "study.qdpx").path
    r = run(["--project", str(empty_project.root), "import", "refi", str(qdpx)])
    assert r.exit_code == 0, r.stderr
    assert "transcripts imported" in r.stdout and "codings new" in r.stdout
    assert "study-imported.yaml" in r.stderr
    assert "positions read as Unicode code points" in r.stderr
    r = run(["--project", str(empty_project.root), "import", "refi"])
    assert r.exit_code == 2 and "Missing argument 'FILE'" in r.stderr


def test_round_trip_of_the_bundled_study(tmp_path):
    study = tmp_path / "study"
    shutil.copytree(REPO / "codebooks", study / "codebooks")
    shutil.copytree(REPO / "transcripts", study / "transcripts")
    shutil.copy(REPO / "qualcode.toml", study / "qualcode.toml")
    for args in (["import", *sorted(str(p) for p in (study / "transcripts").iterdir()
                                    if p.suffix in (".txt", ".docx", ".vtt"))],
                 ["import-codings", str(study / "transcripts" / "codings.csv")],
                 ["import-codings", str(study / "transcripts" / "second-coder.csv")]):
        r = run(["--project", str(study), *args])
        assert r.exit_code == 0, r.stderr[-300:]
    source = open_project(study, search=False)
    qdpx = export_refi(source, tmp_path / "study.qdpx").path
    assert schema_errors(zipfile.ZipFile(qdpx).read("project.qde"), "project") == []
    target = init_project(tmp_path / "copy")
    import_refi(target, qdpx)
    before, after = snapshot(source), snapshot(open_project(target.root, search=False))
    assert after[0] == before[0] and after[2] == before[2] and after[3] == before[3] and after[4] == before[4]
    assert [c[:2] for c in after[1]] == [c[:2] for c in before[1]]


QUALCODER_FILE = REPO / "tests" / "fixtures" / "refi" / "qualcoder4-export.qdpx"


def test_a_real_qualcoder_export_imports_every_coding_on_the_words_qualcoder_shows_and_every_memo(empty_project):
    import xml.etree.ElementTree as ET

    q = "{urn:QDA-XML:project:1.0}"
    with zipfile.ZipFile(QUALCODER_FILE) as zf:
        qde = ET.fromstring(zf.read("project.qde"))
        note_texts = {zf.read("sources/" + n.get("plainTextPath").split("//")[1]).decode("utf-8-sig")
                      for n in qde.iter(f"{q}Note")}
    shown = sorted((src.get("name"), sel.get("name")) for src in qde.iter(f"{q}TextSource")
                   for sel in src.iter(f"{q}PlainTextSelection"))  # QualCoder names a selection by its text
    file_memos = {d.text for src in qde.iter(f"{q}TextSource") for d in src.findall(f"{q}Description") if d.text}
    cases = sorted(c.findtext(f"{q}Description") for c in qde.iter(f"{q}Case"))  # QualCoder's case memo
    report = import_refi(empty_project, QUALCODER_FILE)
    assert report.positions.reading == "codepoints" and not report.positions.warning
    with empty_project.engine.connect() as conn:
        codings, memos, participants = query_codings(conn), list_memos(conn), list_participants(conn)
    assert len(shown) == 6 and note_texts and file_memos
    assert sorted((c.transcript, c.snippet) for c in codings) == shown
    assert note_texts | file_memos <= {m.text for m in memos} | {c.memo for c in codings}
    # every case a participant (its transcripts unlinked: QualCoder writes no <SourceRef>), memo as attribution
    assert sorted(p.attribution for p in participants if p.group != "imported") == cases


def test_import_warnings_are_kept_in_the_project_and_shown_later(empty_project, tmp_path):
    qdpx = spec_qdpx(tmp_path / "atlas.qdpx")
    report = import_refi(empty_project, qdpx)
    skipped = [n for n in report.notes if "Breakfast.jpg" in n]
    assert skipped
    import_refi(open_project(empty_project.root, search=False), qdpx)  # the same file again adds none twice
    r = run(["--project", str(empty_project.root), "status"])
    assert r.exit_code == 0, r.stderr
    assert r.stderr.count("Breakfast.jpg") == 1 and "import refi atlas.qdpx" in r.stderr
    r = run(["--project", str(empty_project.root), "transcripts", "show", "Mabel interview"])
    assert skipped[0] in r.stderr
    assert run(["--project", str(empty_project.root), "transcripts", "resolve", "Mabel interview"]).exit_code == 0
    assert "Breakfast.jpg" not in run(["--project", str(empty_project.root), "status"]).stderr
