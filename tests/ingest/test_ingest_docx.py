"""Word transcripts: labelled paragraphs, bold names, Teams downloads, and unsafe or broken files."""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from qualcode.errors import TranscriptError
from qualcode.ingest import read_transcript


def make_docx(path: Path, paragraphs: list) -> Path:
    """Each item: a str (one run, "\\n" = line break) or a list of (text, bold) runs."""
    doc = docx.Document()
    for item in paragraphs:
        if isinstance(item, str):
            para = doc.add_paragraph()
            for i, line in enumerate(item.split("\n")):
                run = para.add_run(line)
                if i < len(item.split("\n")) - 1:
                    run.add_break()
        else:
            para = doc.add_paragraph()
            for text, bold in item:
                para.add_run(text).bold = bold
    doc.save(path)
    return path


def test_labelled_paragraphs(tmp_path, spoken):
    path = make_docx(tmp_path / "yp-D3.DOCX", [
        "Interviewer: How was it?",
        "Respondent D3: Good.",
        "It helped.",
        "",
        "Interviewer: Thanks.",
    ])
    t = read_transcript(path)
    assert t.name == "yp-D3" and t.source_format == "docx"
    assert spoken(t) == [
        ("Interviewer", "How was it?"),
        ("Respondent D3", "Good.\n\nIt helped."),
        ("Interviewer", "Thanks."),
    ]
    assert [turn.is_participant for turn in t.turns] == [False, True, False]


def test_paragraphs_without_labels_are_one_turn_each(tmp_path, spoken):
    path = make_docx(tmp_path / "notes.docx", ["First paragraph.", "", "  ", "Second,\nwith a line break."])
    assert spoken(read_transcript(path)) == [("", "First paragraph."), ("", "Second,\nwith a line break.")]


def test_bold_speaker_names(tmp_path, spoken):
    path = make_docx(tmp_path / "bold.docx", [
        [("Interviewer:", True), (" How are you?", False)],
        [("Lay counsellor C1", True), (": Fine.", False)],
        [("Interviewer", True), (" And the clinic?", False)],
        [("Lay counsellor C1", True), (" It is far.", False)],
        [("Never", True), (" did I think it would work.", False)],
    ])
    assert spoken(read_transcript(path)) == [
        ("Interviewer", "How are you?"),
        ("Lay counsellor C1", "Fine."),
        ("Interviewer", "And the clinic?"),
        # a bold word used once for emphasis is not a speaker
        ("Lay counsellor C1", "It is far.\n\nNever did I think it would work."),
    ]


def test_bold_heading_is_text_not_a_speaker(tmp_path, spoken):
    path = make_docx(tmp_path / "h.docx", [[("Session two", True)], "Interviewer: Welcome back."])
    assert spoken(read_transcript(path)) == [("", "Session two"), ("Interviewer", "Welcome back.")]


def test_two_column_table_rows_are_speaker_and_text(tmp_path, spoken):
    doc = docx.Document()
    table = doc.add_table(rows=2, cols=2)
    for row, (who, said) in zip(table.rows, [("Interviewer", "Hello?"), ("P1", "Hi.")]):
        row.cells[0].text, row.cells[1].text = who, said
    doc.save(tmp_path / "table.docx")
    assert spoken(read_transcript(tmp_path / "table.docx")) == [("Interviewer", "Hello?"), ("P1", "Hi.")]


def test_real_teams_docx_transcript(formats_dir, spoken):
    t = read_transcript(formats_dir / "endjin_TeamsTranscript_transcript-01.docx")
    # consecutive cues of one speaker merge into one turn, as in .vtt
    assert spoken(t) == [
        ("Jane Doe", "Hi! I'm Jane Doe, CEO."),
        ("John Doe", "Hi, I'm John Doe, no relation, Ha! COO."),
        ("Jane Doe", "Today I want to discuss the plans for the next financial year. "
                     "This year has been turbulent, next year is predicted to be too."),
        ("John Doe", "And the turbulence hasn't been restricted to a single region. "
                     "It's been a global trend"),
        ("Jane Doe", "And that's what's worrisome, and why we need a plan."),
    ]
    assert "-->" not in t.text and "0:0:" not in t.text
    # Teams writes unpadded milliseconds: 0:0:2.90 is 2.090 s
    assert [(x.time_start, x.time_end) for x in t.turns] == [
        ("00:00:00.000", "00:00:01.250"),
        ("00:00:02.090", "00:00:04.480"),
        ("00:00:03.520", "00:00:05.910"),
        ("00:00:07.080", "00:00:09.500"),
        ("00:00:10.690", "00:00:11.510"),
    ]


def test_teams_layout_with_separate_paragraphs(tmp_path, spoken):
    path = make_docx(tmp_path / "teams.docx", [
        "Clinic study - interview 4",
        "0:0:1.0 --> 0:0:2.500", "Interviewer", "Hello.",
        "0:0:3.0 --> 0:0:4.0", "Ana Lopes", "Hi there.",
    ])
    t = read_transcript(path)
    assert spoken(t) == [("", "Clinic study - interview 4"), ("Interviewer", "Hello."), ("Ana Lopes", "Hi there.")]
    assert "-->" not in t.text
    assert [x.is_participant for x in t.turns] == [False, False, True]
    assert [x.is_speech for x in t.turns] == [False, True, True]  # the title is never coded


def test_new_teams_docx_layout_name_and_time_then_words(tmp_path, spoken):
    path = make_docx(tmp_path / "teams2.docx", [
        "Transcript", "Jane Doe   0:03", "Hello everyone.", "Sipho Dlamini   1:02:05\nThanks for having me.",
    ])
    t = read_transcript(path)
    assert spoken(t) == [("", "Transcript"), ("Jane Doe", "Hello everyone."), ("Sipho Dlamini", "Thanks for having me.")]
    assert [x.time_start for x in t.turns] == [None, "00:00:03.000", "01:02:05.000"]


def test_text_file_renamed_docx_is_not_valid(write):
    path = write("notes.docx", "Interviewer: this is plain text")
    with pytest.raises(TranscriptError, match="is not a valid .docx file") as err:
        read_transcript(path)
    assert str(path) in str(err.value)


def test_zip_that_is_not_a_word_document(tmp_path):
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(TranscriptError, match="is not a valid .docx file"):
        read_transcript(path)


def test_truncated_docx(tmp_path):
    good = make_docx(tmp_path / "good.docx", ["Interviewer: " + "words " * 500])
    path = tmp_path / "truncated.docx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(TranscriptError, match="is not a valid .docx file") as err:
        read_transcript(path)
    assert str(path) in str(err.value)


def test_corrupt_document_xml(tmp_path):
    good = make_docx(tmp_path / "good.docx", ["Interviewer: hi"])
    path = tmp_path / "corrupt.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, b"<w:document>not closed" if item.filename == "word/document.xml" else data)
    with pytest.raises(TranscriptError, match="is not a valid .docx file"):
        read_transcript(path)


def test_empty_docx(tmp_path):
    path = make_docx(tmp_path / "empty.docx", ["", "   "])
    with pytest.raises(TranscriptError, match="empty") as err:
        read_transcript(path)
    assert str(path) in str(err.value)


def _bomb(path: Path, megabytes: int) -> Path:
    """A docx-looking zip whose document.xml is ``megabytes`` of zeros (~1000:1 compressed)."""
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as entry:
            for _ in range(megabytes):
                entry.write(chunk)
    return path


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory) -> Path:
    return _bomb(tmp_path_factory.mktemp("bomb") / "bomb.docx", 300)


def test_zip_bomb_is_refused_before_parsing(zip_bomb):
    assert zip_bomb.stat().st_size < 5 * 2**20
    with pytest.raises(TranscriptError, match="MB limit") as err:
        read_transcript(zip_bomb)
    assert str(zip_bomb) in str(err.value) and "zip bomb" in str(err.value)


def test_highly_compressed_entry_is_refused(tmp_path):
    path = _bomb(tmp_path / "ratio.docx", 20)  # 20 MB of zeros: under 200 MB, but > 200:1
    with pytest.raises(TranscriptError, match="compressed more than 100:1"):
        read_transcript(path)


def test_old_doc_or_encrypted_word_file_says_what_to_do(write):
    path = write("old.docx", bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    with pytest.raises(TranscriptError, match="is not a valid .docx file.*save it from Word as .docx"):
        read_transcript(path)
