"""Word text containers, each tested: tracked changes, content controls, fields, smart tags, text
boxes, nested tables, table layouts, metadata tables, footnotes and comments (issue 11).

Each document is made with python-docx and the container's XML written as Word writes it."""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.oxml import parse_xml

from qualcode.ingest import read_transcript

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:v="urn:schemas-microsoft-com:vml"')


def r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def p(*inner: str) -> str:
    return f"<w:p {NS}>{''.join(inner)}</w:p>"


def make(path: Path, *elements: str, comment: tuple[str, str] | None = None) -> Path:
    doc = docx.Document()
    body = doc.element.body
    for xml in elements:
        body.insert(len(body) - 1, parse_xml(xml))  # before w:sectPr
    if comment:
        para = doc.add_paragraph("Interviewer: Thank you.")
        doc.add_comment(para.runs, text=comment[1], author=comment[0])
    doc.save(path)
    return path


def tbl(*rows: list[str], header: bool = False) -> str:
    def row(cells: list[str], first: bool) -> str:
        pr = "<w:trPr><w:tblHeader/></w:trPr>" if header and first else ""
        return "<w:tr>" + pr + "".join(f"<w:tc>{c if c.startswith('<') else p(r(c))}</w:tc>" for c in cells) + "</w:tr>"
    return f"<w:tbl {NS}>" + "".join(row(cells, i == 0) for i, cells in enumerate(rows)) + "</w:tbl>"


def test_tracked_insertion_read_deletion_not(tmp_path, spoken):
    path = make(tmp_path / "tracked.docx",
                p(r("Interviewer: How was the clinic?")),
                p(r("Respondent: It was "), '<w:del w:id="1" w:author="T"><w:r><w:delText>terrible</w:delText></w:r></w:del>',
                  '<w:ins w:id="2" w:author="T">' + r("fine") + "</w:ins>", r(".")),
                f'<w:p {NS}><w:ins w:id="3" w:author="T">' + r("Interviewer: A whole inserted turn.") + "</w:ins></w:p>",
                p('<w:moveFrom w:id="4" w:author="T">' + r("Respondent: Moved away.") + "</w:moveFrom>"),
                p('<w:moveTo w:id="5" w:author="T">' + r("Respondent: Moved here.") + "</w:moveTo>"))
    assert spoken(read_transcript(path)) == [
        ("Interviewer", "How was the clinic?"), ("Respondent", "It was fine."),
        ("Interviewer", "A whole inserted turn."), ("Respondent", "Moved here.")]


def test_content_controls_fields_and_smart_tags_are_read(tmp_path, spoken):
    path = make(tmp_path / "controls.docx",
                f"<w:sdt {NS}><w:sdtPr/><w:sdtContent>{p(r('Interviewer: Inside a block control.'))}</w:sdtContent></w:sdt>",
                p(r("Respondent: I live in "), "<w:sdt><w:sdtPr/><w:sdtContent>" + r("Harare") + "</w:sdtContent></w:sdt>",
                  r(", near "), '<w:smartTag w:uri="urn:x" w:element="place">' + r("Mbare") + "</w:smartTag>", r(".")),
                p(r("Interviewer: Page "), '<w:fldSimple w:instr=" PAGE ">' + r("3") + "</w:fldSimple>",
                  r(" and "), '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
                  '<w:r><w:instrText xml:space="preserve"> DATE </w:instrText></w:r>',
                  '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', r("12 May"),
                  '<w:r><w:fldChar w:fldCharType="end"/></w:r>', r(".")))
    assert spoken(read_transcript(path)) == [
        ("Interviewer", "Inside a block control."), ("Respondent", "I live in Harare, near Mbare."),
        ("Interviewer", "Page 3 and 12 May.")]


def test_text_box_is_read_once(tmp_path, spoken):
    box = p(r("Respondent: Written in a text box."))
    drawing = ('<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
               f'<wps:wsp><wps:txbx><w:txbxContent>{box}</w:txbxContent></wps:txbx></wps:wsp>'
               '</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape>'
               f'<v:textbox><w:txbxContent>{box}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
               '</mc:AlternateContent>')
    path = make(tmp_path / "box.docx", p(r("Interviewer: Look at this."), f"<w:r>{drawing}</w:r>"))
    assert spoken(read_transcript(path)) == [("Interviewer", "Look at this."), ("Respondent", "Written in a text box.")]


def test_time_speaker_text_table_with_header(tmp_path, spoken):
    path = make(tmp_path / "three.docx", tbl(
        ["Time", "Speaker", "Text"],
        ["00:00:05", "Interviewer", "How are you?"],
        ["00:00:09", "Participant", "Tired. Work is a lot."],
        ["00:00:15", "Interviewer", "Tell me more."],
        ["", "", "[End of recording]"], header=True))
    t = read_transcript(path)
    assert spoken(t) == [("Interviewer", "How are you?"), ("Participant", "Tired. Work is a lot."),
                         ("Interviewer", "Tell me more."), ("", "[End of recording]")]
    assert [x.is_participant for x in t.turns] == [False, True, False, False]
    assert [x.time_start for x in t.turns[:3]] == ["00:00:05.000", "00:00:09.000", "00:00:15.000"]


def test_speaker_text_table_header_row_is_not_a_turn(tmp_path, spoken):
    path = make(tmp_path / "two.docx", tbl(
        ["Speaker", "Text"], ["Therapist", "What brings you here?"], ["Client", "My sleep."],
        ["Therapist", "Since when?"], ["", "(continued) It started in May."]))
    t = read_transcript(path)
    assert spoken(t) == [("Therapist", "What brings you here?"), ("Client", "My sleep."),
                         ("Therapist", "Since when?\n\n(continued) It started in May.")]


def test_metadata_table_is_non_speech(tmp_path, spoken):
    path = make(tmp_path / "meta.docx",
                tbl(["Date", "12 May 2021"], ["Interviewer", "SM"], ["Location", "Clinic B"]),
                p(r("Interviewer: Shall we start?")), p(r("Respondent: Yes.")), p(r("[End of recording]")))
    t = read_transcript(path)
    said = spoken(t)
    assert said[0] == ("", "Date: 12 May 2021\nInterviewer: SM\nLocation: Clinic B")
    assert not t.turns[0].is_speech and not t.turns[-1].is_speech
    assert said[1:3] == [("Interviewer", "Shall we start?"), ("Respondent", "Yes.")]
    assert [s.speaker for s in t.speakers] == ["Interviewer", "Respondent"]


def test_table_of_people_is_not_speech(tmp_path, spoken):
    """A who-was-there table must not become turns in which "Participant" says "D3"."""
    path = make(tmp_path / "people.docx", tbl(["Interviewer", "Sarah Jones"], ["Participant", "D3"]),
                p(r("Interviewer: Shall we start?")), p(r("Participant: Yes, fine.")))
    t = read_transcript(path)
    assert spoken(t)[0] == ("", "Interviewer: Sarah Jones\nParticipant: D3")
    assert not t.turns[0].is_speech and not t.turns[0].is_participant
    assert [x.is_participant for x in t.turns[1:]] == [False, True]
    assert [w.kind for w in t.warnings] == ["layout"] and "list of people" in t.warnings[0].message


def test_name_role_table_under_a_header_is_not_speech(tmp_path, spoken):
    path = make(tmp_path / "cast.docx", tbl(["Name", "Role"], ["Sarah Jones", "Interviewer"], ["D3", "Participant"]),
                p(r("Interviewer: Shall we start?")), p(r("Participant: Yes, fine.")))
    t = read_transcript(path)
    assert [x.is_speech for x in t.turns] == [False, True, True]
    assert {s.speaker for s in t.speakers} == {"Interviewer", "Participant"}


def test_two_turn_dialogue_table_stays_speech(tmp_path, spoken):
    path = make(tmp_path / "short.docx", tbl(["Interviewer", "How are you?"], ["Participant", "Fine, thanks."]))
    t = read_transcript(path)
    assert spoken(t) == [("Interviewer", "How are you?"), ("Participant", "Fine, thanks.")]
    assert t.turns[1].is_participant and not t.warnings


def test_nested_table_text_is_kept(tmp_path, spoken):
    inner = tbl(["a nested", "cell"])
    path = make(tmp_path / "nested.docx", p(r("Interviewer: Any notes?")),
                tbl([f"{p(r('Respondent: Outer cell.'))}{inner}<w:p/>"]))
    assert spoken(read_transcript(path))[-1] == ("Respondent", "Outer cell.\na nested | cell")


def test_unrecognised_three_column_table_is_read_with_a_warning(tmp_path):
    path = make(tmp_path / "odd.docx", tbl(["alpha beta", "gamma", "delta"], ["one", "two", "three"]))
    t = read_transcript(path)
    assert "alpha beta" in t.text and "three" in t.text
    assert [w.kind for w in t.warnings] == ["layout", "label"]  # and no speaker labels at all


def test_comments_and_footnotes_are_notes_never_speech(tmp_path, spoken):
    path = make(tmp_path / "notes.docx", p(r("Respondent: I agree.")), comment=("SM", "Check the audio here"))
    _add_footnote(path, "Participant asked for this to be anonymised.")
    t = read_transcript(path)
    said = spoken(t)
    assert said[:2] == [("Respondent", "I agree."), ("Interviewer", "Thank you.")]
    assert ("", "[footnote] Participant asked for this to be anonymised.") in said
    assert ("", "[comment (SM)] Check the audio here") in said
    assert [x.is_speech for x in t.turns[2:]] == [False, False]
    assert any(w.kind == "notes" and "2 comment/footnote(s)" in w.message for w in t.warnings)


def _add_footnote(path: Path, text: str) -> None:
    """Add word/footnotes.xml (with Word's separator notes) to a saved document."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    notes = (f'<w:footnotes xmlns:w="{w}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
             f'</w:footnote><w:footnote w:id="1"><w:p>{r(text)}</w:p></w:footnote></w:footnotes>')
    with zipfile.ZipFile(path) as zin:
        items = {name: zin.read(name) for name in zin.namelist()}
    items["word/footnotes.xml"] = notes.encode()
    items["[Content_Types].xml"] = items["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/word/footnotes.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>'))
    items["word/_rels/document.xml.rels"] = items["word/_rels/document.xml.rels"].replace(b"</Relationships>", (
        b'<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'footnotes" Target="footnotes.xml"/></Relationships>'))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in items.items():
            zout.writestr(name, data)
