"""Regression tests for the bugs the fuzz tests (test_fuzz_*.py) found, one per bug, each failing on the
code before its fix (an internal error, or a hang the alarm stops)."""
from __future__ import annotations

import pytest

from qualcode.errors import RosterError, TranscriptError
from qualcode.ingest.read import read_transcript
from qualcode.ingest.roster import read_roster

from .fuzz import cli_outcome, no_hang

SRT = "1\n00:00:01,000 --> 00:00:02,000\nInterviewer: Hello?\n\n{}\n"


@pytest.mark.parametrize("junk", ["1" * 3000, " " * 5000 + "x", "12 " * 3000])
def test_srt_with_a_long_run_of_digits_or_spaces_is_refused_in_time(tmp_path, junk):
    """The srt library's regex took minutes on 2,000 unparsable digits (hours on 20,000): the file is
    read line by line now, and the junk is refused at its line."""
    path = tmp_path / "yp-H1.srt"
    path.write_text(SRT.format(junk), encoding="utf-8")
    with no_hang(20), pytest.raises(TranscriptError, match=r"yp-H1.srt:5: cannot parse this subtitle"):
        read_transcript(path)


def test_srt_timing_with_a_huge_number_is_refused_at_its_line(tmp_path):
    path = tmp_path / "yp-H2.srt"
    path.write_text("1\n" + "9" * 5000 + ":00:01,000 --> 00:00:02,000\nHello\n", encoding="utf-8")
    with pytest.raises(TranscriptError, match=r"yp-H2.srt:2: cannot parse this subtitle"):
        read_transcript(path)


def test_vtt_cue_with_many_unclosed_tags_is_read_in_time(tmp_path):
    """Tag stripping scanned to the end of the line from every '<': quadratic on '<a<a<a...'."""
    path = tmp_path / "yp-H3.vtt"
    path.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nRespondent H3: " + "<a" * 100_000 + "\n",
                    encoding="utf-8")
    with no_hang(20):
        t = read_transcript(path)
    assert t.text[t.turns[0].start:t.turns[0].end].startswith("<a<a")


def test_codings_csv_with_a_quote_over_the_csv_field_limit_is_read(project_dir):
    """Python's csv module stops at 131,072 characters a field: that was an internal error (exit 70)."""
    (project_dir / "big.csv").write_text("transcript,code,quote,start,end\nyp-D3,environment," + "a" * 140_000
                                         + ",,\n", encoding="utf-8")
    r = cli_outcome(["import-codings", "big.csv"], project_dir, project_dir / "big.csv")
    assert r.exit_code == 6 and "big.csv:2: quote not found" in r.stderr


def test_transcript_csv_with_a_turn_over_the_csv_field_limit_imports(project_dir):
    turn = "I waited. " * 15_000
    (project_dir / "yp-H4.csv").write_text(f'speaker,text\nInterviewer,Hello?\nRespondent H4,"{turn}"\n',
                                           encoding="utf-8")
    r = cli_outcome(["import", "yp-H4.csv", "--group", "young-person"], project_dir, project_dir / "yp-H4.csv")
    assert r.exit_code == 0, r.stderr


BOMB = "x0: &x0 [young, person]\n" + "".join(f"x{i}: &x{i} [*x{i - 1}, *x{i - 1}]\n" for i in range(1, 26))


@pytest.mark.parametrize("row", ["participants: *x25", "participants: [{id: P1, group: *x25}]"])
def test_yaml_roster_alias_bomb_is_refused_in_time(tmp_path, row):
    """26 lines of YAML aliases stand for 2**26 values: printing or joining them never ended."""
    path = tmp_path / "roster.yaml"
    path.write_text(BOMB + row + "\n", encoding="utf-8")
    with no_hang(20), pytest.raises(RosterError, match=r"roster.yaml"):
        read_roster(path)


def _tamper(src, dst, name: str, old: bytes, new: bytes):
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        assert old in zin.read(name)
        for item in zin.infolist():
            data = zin.read(item)
            zout.writestr(item.filename, data.replace(old, new, 1) if item.filename == name else data)
    return dst


def test_review_pack_with_a_tampered_style_is_refused_by_name(fuzz_project, tmp_path):
    """openpyxl raises TypeError on a non-number style attribute: that was an internal error (exit 70)."""
    import re

    src = fuzz_project / "exports" / "pack.xlsx"
    styles = __import__("zipfile").ZipFile(src).read("xl/styles.xml")
    old = re.search(rb'numFmtId="\d+"', styles).group(0)
    bad = _tamper(src, tmp_path / "tampered.xlsx", "xl/styles.xml", old, b'numFmtId="x"')
    r = cli_outcome(["review-pack", "import", str(bad), "--reviewer", "fuzz"], fuzz_project, bad)
    assert r.exit_code == 6 and "tampered.xlsx: cannot read this file as a xlsx review pack" in r.stderr


@pytest.mark.parametrize("row", ['[NAME-1],NAME,Privacy,an extra cell', '[NAME-1],NAME,"' + "a" * 140_000 + '"'])
def test_deidentification_key_with_an_extra_cell_or_a_long_original_is_read(tmp_path, row):
    """A key row with an extra cell was a TypeError, a long original a csv.Error: both exit 70."""
    from qualcode.deidentify.pseudonyms import Pseudonyms

    path = tmp_path / "key.csv"
    path.write_text("pseudonym,kind,original\n" + row + "\n", encoding="utf-8")
    key = Pseudonyms.load(path)
    assert key.rows[0][:2] == ("[NAME-1]", "NAME") and key.rows[0][2] in row
