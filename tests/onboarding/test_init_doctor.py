"""init checks its inputs before writing anything; init --example works start to finish; doctor finds problems."""
from __future__ import annotations

from tests.conftest import ROSTER, TINY_CODEBOOK, run


def test_init_with_a_missing_codebook_names_it_and_creates_nothing(tmp_path):
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    result = run(["init", "my-study", "--codebook", "codebook.yaml", "--roster", "roster.csv"], cwd=tmp_path)
    assert result.exit_code != 0
    assert "codebook.yaml" in result.stderr and "nothing was created" in result.stderr
    assert not (tmp_path / "my-study").exists()


def test_init_with_a_broken_codebook_or_roster_creates_nothing(tmp_path):
    (tmp_path / "codebook.yaml").write_text(TINY_CODEBOOK.replace("label: Age", "lable: Age"), encoding="utf-8")
    result = run(["init", "s1", "--codebook", "codebook.yaml"], cwd=tmp_path)
    assert result.exit_code == 1 and "codebook.yaml:" in result.stderr and "lable" in result.stderr
    (tmp_path / "ok.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    (tmp_path / "roster.csv").write_text("id,role\nD3,young person\n", encoding="utf-8")
    result = run(["init", "s2", "--codebook", "ok.yaml", "--roster", "roster.csv"], cwd=tmp_path)
    assert result.exit_code == 3 and "roster.csv" in result.stderr
    assert not (tmp_path / "s1").exists() and not (tmp_path / "s2").exists()


def test_init_copies_inputs_from_where_the_user_stands_or_links_them(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "codebook.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    (tmp_path / "in" / "roster.csv").write_text(ROSTER, encoding="utf-8")
    result = run(["init", "study", "--codebook", "in/codebook.yaml", "--roster", "in/roster.csv"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    toml = (tmp_path / "study" / "qualcode.toml").read_text(encoding="utf-8")
    assert 'codebooks = ["codebooks/codebook.yaml"]' in toml and 'roster = "roster.csv"' in toml
    assert (tmp_path / "study" / "codebooks" / "codebook.yaml").read_text(encoding="utf-8") == TINY_CODEBOOK
    result = run(["init", "linked", "--codebook", "in/codebook.yaml", "--link"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    toml = (tmp_path / "linked" / "qualcode.toml").read_text(encoding="utf-8")
    assert str((tmp_path / "in" / "codebook.yaml").resolve()) in toml
    assert not (tmp_path / "linked" / "codebooks").exists()
    assert run(["codebook", "show", str(tmp_path / "in" / "codebook.yaml")], cwd=tmp_path / "linked").exit_code == 0


def test_init_example_is_a_study_that_works_start_to_finish(tmp_path):
    assert run(["init", "--example", "my-study", "--coder", "alice"], cwd=tmp_path).exit_code == 0
    study = tmp_path / "my-study"
    files = sorted(str(p.relative_to(study)) for p in study.rglob("*") if p.is_file() and ".qualcode" not in p.parts)
    assert files == ["codebook.yaml", "interviews/interview-P01.txt", "interviews/interview-P02.txt",
                     "qualcode.toml", "roster.csv"]
    doctor = run(["doctor"], cwd=study)
    assert doctor.exit_code == 0 and "none imported yet" in doctor.stdout
    interviews = sorted(str(p.relative_to(study)) for p in (study / "interviews").iterdir())
    assert run(["import", *interviews], cwd=study).exit_code == 0
    assert run(["autocode"], cwd=study).exit_code == 0
    suggested = run(["segments", "--status", "suggested", "--format", "json"], cwd=study)
    import json
    codes = {row["code"] for row in json.loads(suggested.stdout)}
    assert codes == {"trust", "being-listened-to", "private-space", "regular-sessions"}
    report = run(["report", "quotes", "--group", "young-person", "--include-suggested", "-o", "t.md"], cwd=study)
    assert report.exit_code == 0, report.stderr
    assert "nobody could overhear us" in (study / "t.md").read_text(encoding="utf-8")
    again = run(["init", "--example", "my-study"], cwd=tmp_path)
    assert again.exit_code != 0 and "qualcode.toml" in again.stderr


def test_doctor_reports_a_broken_codebook_and_transcripts_missing_from_the_roster(tmp_path):
    assert run(["init", "--example", "s"], cwd=tmp_path).exit_code == 0
    study = tmp_path / "s"
    extra = study / "interviews" / "interview-P09.txt"
    extra.write_text("Interviewer: Hello?\nParticipant P09: I trust my counsellor.\n", encoding="utf-8")
    assert run(["import", "interviews/interview-P09.txt"], cwd=study).exit_code == 0
    book = study / "codebook.yaml"
    book.write_text(book.read_text(encoding="utf-8").replace("label: Trust", "lable: Trust"), encoding="utf-8")
    doctor = run(["doctor", "--format", "json"], cwd=study)
    assert doctor.exit_code == 1
    import json
    found: dict[tuple[str, str], str] = {}
    for f in json.loads(doctor.stdout):
        found[(f["check"], f["result"])] = found.get((f["check"], f["result"]), "") + f["detail"] + "\n"
    assert "lable" in found[("codebook", "problem")]
    assert "1 with no participant in the roster" in found[("transcripts", "warning")]
    assert "interview-P09" in found[("transcripts", "warning")]
    assert "named in the roster but not imported: interview-P01, interview-P02" in found[("transcripts", "warning")]
    assert "2 problem(s) in" in doctor.stderr   # the codebook: no label, unknown key
