"""Text from user files never reaches the terminal with raw control characters (issue 17)."""
from __future__ import annotations

from tests.conftest import run


def test_transcripts_show_and_list_make_escape_sequences_visible(project_dir):
    (project_dir / "esc.txt").write_text(
        "Interviewer: Hello\x1b]0;pwned\x07 there?\nRespondent D3: I said \x1b[2J\x1b[31mred\x9b and \u202eevil.\n",
        encoding="utf-8")
    assert run(["import", "esc.txt"], cwd=project_dir).exit_code == 0
    assert run(["code", "add", "esc", "environment", "--quote", "red"], cwd=project_dir).exit_code == 0
    for args in (["transcripts", "show", "esc"], ["transcripts", "list"], ["speakers"], ["segments"]):
        r = run(args, cwd=project_dir)
        assert r.exit_code == 0, (args, r.output)
        for ch in ("\x1b", "\x07", "\x9b", "\u202e"):
            assert ch not in r.output, (args, ch)
    r = run(["transcripts", "show", "esc"], cwd=project_dir)
    assert "\\x1b[2J" in r.output and "\\u202e" in r.output and "red" in r.output


def test_error_messages_make_escape_sequences_in_file_names_visible(project_dir):
    name = "evil\x1b[2J\x1b]0;pwned\x07.xyz"
    (project_dir / name).write_text("Interviewer: hi\n", encoding="utf-8")
    r = run(["import", name], cwd=project_dir)
    assert r.exit_code == 3, r.output
    assert "evil\\x1b[2J" in r.stderr and "\x1b" not in r.stderr and "\x07" not in r.stderr
