"""Small hostile inputs each get a clean message and a user-error exit code (issue 17)."""
from __future__ import annotations

import unicodedata

from tests.conftest import run


def test_roster_with_two_id_columns_is_refused_with_file_and_line(tmp_path):
    (tmp_path / "cb.yaml").write_text(_tiny(), encoding="utf-8")
    (tmp_path / "r.csv").write_text("id,group,id\nD3,young-person,D4\n", encoding="utf-8")
    r = run(["init", str(tmp_path / "p"), "--codebook", str(tmp_path / "cb.yaml"), "--roster", str(tmp_path / "r.csv")])
    assert r.exit_code == 3, r.output
    assert "r.csv:1" in r.stderr and "id" in r.stderr and "more than once" in r.stderr


def test_deeply_nested_yaml_codebook_and_roster_give_clean_errors(tmp_path):
    deep = "[" * 50_000 + "]" * 50_000
    (tmp_path / "cb.yaml").write_text("codebook: {name: x}\ndomains: " + deep + "\n", encoding="utf-8")
    r = run(["codebook", "check", str(tmp_path / "cb.yaml")])
    assert 1 <= r.exit_code <= 7 and "nested too deeply" in r.output, (r.exit_code, r.output[-300:])
    (tmp_path / "good.yaml").write_text(_tiny(), encoding="utf-8")
    (tmp_path / "r.yaml").write_text("participants: " + deep + "\n", encoding="utf-8")
    r = run(["init", str(tmp_path / "p"), "--codebook", str(tmp_path / "good.yaml"), "--roster", str(tmp_path / "r.yaml")])
    assert r.exit_code == 3 and "r.yaml" in r.stderr and "nested too deeply" in r.stderr, r.output[-300:]


def test_code_add_with_unit_and_offsets_is_refused(project_dir):
    r = run(["code", "add", "yp-D3", "environment", "--unit", "1", "--start", "1", "--end", "3"], cwd=project_dir)
    assert r.exit_code == 2
    assert "--start/--end and --unit conflict" in r.output


def test_quote_search_matches_across_nfc_and_nfd_and_keeps_original_offsets(project_dir):
    nfd = unicodedata.normalize("NFD", "Respondent D3: At the café I felt naïve and safe.\n")
    (project_dir / "nfd.txt").write_text("Interviewer: Where?\n" + nfd, encoding="utf-8")
    assert run(["import", "nfd.txt"], cwd=project_dir).exit_code == 0
    quote = unicodedata.normalize("NFC", "café I felt naïve")
    r = run(["code", "add", "nfd", "environment", "--quote", quote], cwd=project_dir)
    assert r.exit_code == 0, r.output
    assert run(["export", "codings", "-o", "c.csv"], cwd=project_dir).exit_code == 0
    import csv
    rows = [x for x in csv.DictReader(open(project_dir / "c.csv", encoding="utf-8")) if x["transcript"] == "nfd"]
    assert len(rows) == 1
    assert unicodedata.normalize("NFC", rows[0]["quote"]) == quote
    shown = run(["transcripts", "show", "nfd", "--offsets"], cwd=project_dir).output
    assert rows[0]["quote"] in shown  # the stored quote is the transcript's own (NFD) text


def test_garbage_reference_docx_gives_a_clean_error(project_dir):
    (project_dir / "garbage.docx").write_bytes(b"this is not a zip at all\n" * 10)
    run(["code", "add", "yp-D3", "environment", "--unit", "1"], cwd=project_dir)
    r = run(["report", "quotes", "-o", "t.docx", "--reference-docx", "garbage.docx"], cwd=project_dir)
    assert 1 <= r.exit_code <= 7, (r.exit_code, r.output[-400:])
    assert "garbage.docx" in r.stderr and "internal error" not in r.output


def _tiny() -> str:
    from tests.conftest import TINY_CODEBOOK
    return TINY_CODEBOOK
