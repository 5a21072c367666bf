"""What the review screen shows, and the `qualcode review` command line."""
from __future__ import annotations

from dataclasses import replace

from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.review.navigation import find_text, step_queue, turn_position
from qualcode.review.view_model import ReviewData, ReviewFilter, code_colours, render_turn
from qualcode.store.transcripts import get_transcript, get_turns

from .conftest import all_codings, coding


def data_for(project, **filters):
    return ReviewData(project, project.codebook(), ReviewFilter(**filters))


def styles_over(text, substring):
    start = text.plain.index(substring)
    return [span.style for span in text.spans if span.start <= start < span.end and not isinstance(span.style, str)]


def test_coded_spans_show_their_status_and_brackets_stay_as_typed(project):
    book, colours = project.codebook(), code_colours(project.codebook())
    privacy, overhear = coding(project, "Privacy"), coding(project, "I don't")
    with project.engine.connect() as conn:
        t = get_transcript(conn, "yp-D3")
        turn = get_turns(conn, t.id)[1]

    def shown(**statuses):
        rows = [replace(r, status=statuses.get(r.snippet.split()[0], r.status)) for r in all_codings(project)]
        return render_turn(t.text, turn, rows, book, colours, current_id=None)

    text = shown(Privacy="accepted")
    assert privacy.status == overhear.status == "suggested"
    assert text.plain.startswith("D3: Privacy is very important. [laughs] I don't")
    assert "✓ Bond › Conducive environment" in text.plain and "? Bond › Conducive environment" in text.plain
    assert any(s.bgcolor for s in styles_over(text, "Privacy"))  # accepted: solid background
    assert any(s.underline for s in styles_over(text, "overhear"))  # suggested: underlined
    assert any(s.strike for s in styles_over(shown(I="rejected"), "overhear"))  # rejected: struck through


def test_codebook_colour_is_used_else_a_palette(project):
    colours = code_colours(project.codebook())
    assert colours["bond.env"] == "#4e79a7"
    assert colours["bond.regular"].startswith("#") and colours["bond.regular"] != colours["goals.decision"]


def test_queue_follows_the_filter_and_a_domain_means_all_its_codes(project):
    assert [c.code_id for c in data_for(project, code="bond").queue] == ["bond.env", "bond.env", "bond.regular",
                                                                          "bond.listen"]
    assert data_for(project, status=None, participant="B1").queue[0].code_id == "lc.supervision"
    assert data_for(project, status=["accepted"]).queue == []


def test_next_and_previous_follow_reading_order_across_transcripts(project):
    data = data_for(project)
    last_yp = coding(project, "I was involved")
    nxt = step_queue(data, data.key(last_yp), 1)
    assert nxt.transcript == "lc-B1"
    assert step_queue(data, data.key(nxt), 1) is None
    assert step_queue(data, turn_position(0, None), -1) is None
    assert step_queue(data, data.key(nxt), -1).id == last_yp.id


def test_search_finds_the_next_turn_and_wraps_round(project):
    data = data_for(project)
    assert find_text(data, 0, 0, "OVERHEAR") == (0, 1)
    assert find_text(data, 0, 1, "overhear") == (0, 1)  # wraps round to itself
    assert find_text(data, 0, 0, "supervision") == (1, 1)
    assert find_text(data, 1, 1, "privacy") == (0, 1)
    assert find_text(data, 0, 0, "nowhere at all") is None


def test_review_needs_a_terminal(project):
    result = CliRunner().invoke(cli, ["--project", str(project.root), "review", "--group", "young-person"])
    assert result.exit_code == 1
    assert "needs an interactive terminal" in result.stderr


def test_review_with_an_unknown_code_or_status_says_so(project):
    result = CliRunner().invoke(cli, ["--project", str(project.root), "review", "--code", "bond.nope"])
    assert result.exit_code == 5 and "unknown code 'bond.nope'" in result.stderr
    result = CliRunner().invoke(cli, ["--project", str(project.root), "review", "--status", "maybe"])
    assert result.exit_code == 5 and "unknown status maybe" in result.stderr
