"""The terminal review app, driven headless with Textual's pilot in an 80x24 terminal."""
from __future__ import annotations

import asyncio

from qualcode.review.app import ReviewApp
from qualcode.review.view_model import ReviewFilter

from .conftest import all_codings, coding

SIZE = (80, 24)


def drive(project, steps, flt: ReviewFilter | None = None):
    """Run the app headless, call ``await steps(app, pilot)``, return the app."""
    app = ReviewApp(project, flt, by="ana")

    async def main():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await steps(app, pilot)
            await pilot.pause()
    asyncio.run(main())
    return app


async def keys(pilot, *names: str) -> None:
    for name in names:
        await pilot.press(name)
        await pilot.pause()


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def test_opens_on_the_first_suggestion_and_n_p_move_through_the_queue(project):
    seen = []

    async def steps(app, pilot):
        seen.append(app.current.snippet)
        await keys(pilot, "n")
        seen.append(app.current.snippet)
        await keys(pilot, "n", "n", "n")
        seen.append((app.transcript.name, app.current.snippet))
        await keys(pilot, "n")  # the clinician transcript comes next
        seen.append((app.transcript.name, app.current.code_id))
        await keys(pilot, "p")
        seen.append(app.current.code_id)
    drive(project, steps)
    assert seen == ["Privacy is very important.", "I don't want people to overhear me.",
                    ("yp-D3", "I was involved one hundred percent in choosing my goals."),
                    ("lc-B1", "lc.supervision"), "goals.decision"]


def test_accept_then_reject_then_undo_change_the_store(project):
    async def steps(app, pilot):
        await keys(pilot, "a")
        assert coding(project, "Privacy").status == "accepted"
        await keys(pilot, "n", "r")
        assert coding(project, "I don't").status == "rejected"
        await keys(pilot, "u")
        assert coding(project, "I don't").status == "suggested"
        await keys(pilot, "u")
        assert coding(project, "Privacy").status == "suggested"
    drive(project, steps)
    assert coding(project, "Privacy").decided_by == ""


def test_change_code_with_the_picker_and_undo(project):
    async def steps(app, pilot):
        await keys(pilot, "n", "n", "c")
        await keys(pilot, *"decision", "enter")
        assert coding(project, "I think meeting").code_id == "goals.decision"
        assert app.pane.selected_code == "goals.decision"
        await keys(pilot, "u")
        assert coding(project, "I think meeting").code_id == "bond.regular"
    drive(project, steps)


def test_code_picker_only_offers_codes_of_the_transcripts_group(project):
    async def steps(app, pilot):
        await keys(pilot, "c", *"supervision", "enter")  # a clinician code: not offered here
        assert app.screen.__class__.__name__ == "CodePickerScreen"
        await keys(pilot, "escape")
    drive(project, steps)
    assert coding(project, "Privacy").code_id == "bond.env"


def test_manual_coding_of_a_quote_in_the_chosen_turn(project):
    async def steps(app, pilot):
        await keys(pilot, "down", "down", "down")  # turn 4: "I was involved ..."
        assert app.view.current_turn.index == 4
        await keys(pilot, "m", *"choosing my goals", "enter", *"other goals", "enter")
    drive(project, steps)
    new = [c for c in all_codings(project) if c.code_id == "goals.other"]
    assert [(c.snippet, c.coder, c.origin, c.status) for c in new] == [("choosing my goals", "ana", "manual", "accepted")]


def test_manual_coding_of_a_whole_turn_then_undo(project):
    async def steps(app, pilot):
        await keys(pilot, "down", "down", "down", "m", "enter", *"other goals", "enter")
        assert [c.snippet for c in all_codings(project) if c.code_id == "goals.other"] == \
            ["I was involved one hundred percent in choosing my goals."]
        await keys(pilot, "u")
    drive(project, steps)
    assert not [c for c in all_codings(project) if c.code_id == "goals.other"]


def test_a_quote_not_in_the_turn_is_reported_and_nothing_is_coded(project):
    before = len(all_codings(project))

    async def steps(app, pilot):
        await keys(pilot, "m", *"not said anywhere", "enter", *"other goals", "enter")
    drive(project, steps)
    assert len(all_codings(project)) == before


def test_exemplar_and_memo(project):
    async def steps(app, pilot):
        await keys(pilot, "e")
        await keys(pilot, "o", *"Use in [Table 3]", "enter")
    drive(project, steps)
    row = coding(project, "Privacy")
    assert (row.exemplar, row.status, row.memo) == (True, "accepted", "Use in [Table 3]")


def test_keys_typed_in_a_dialog_are_not_review_commands(project):
    async def steps(app, pilot):
        await keys(pilot, "o", "a", "r", "escape")  # "a" and "r" typed into the memo box, then cancelled
    drive(project, steps)
    row = coding(project, "Privacy")
    assert (row.status, row.memo) == ("suggested", "")


def test_filter_by_code_and_status(project):
    async def steps(app, pilot):
        await keys(pilot, "f")
        code_box = app.screen.query_one("#f-code")
        code_box.value = "goals"
        await keys(pilot, "enter")
        assert [c.code_id for c in app.data.queue] == ["goals.decision"]
        assert app.current.code_id == "goals.decision"
    drive(project, steps)


def test_search_moves_to_the_turn_with_the_text(project):
    async def steps(app, pilot):
        await keys(pilot, "slash", *"supervision", "enter")
        assert (app.transcript.name, app.view.current_turn.index) == ("lc-B1", 1)
    drive(project, steps)


def test_transcript_text_with_brackets_shows_as_typed_in_80x24(project):
    text = {}

    async def steps(app, pilot):
        text["screen"] = screen_text(app)
        await keys(pilot, "question_mark")
        text["help"] = screen_text(app)
        await keys(pilot, "escape", "q")
    app = drive(project, steps)
    assert "[laughs]" in text["screen"]
    assert "Listening [actively]" in text["screen"]
    assert "accept the current coding" in text["help"]
    assert app.return_code in (0, None)


def test_command_line_filter_starts_with_that_queue(project):
    async def steps(app, pilot):
        assert {c.code_id for c in app.data.queue} == {"lc.supervision"}
        assert app.transcript.name == "lc-B1"
    drive(project, steps, ReviewFilter(group="clinician"))


def test_space_cycles_the_codings_of_a_turn_and_brackets_switch_transcripts(project):
    seen = []

    async def steps(app, pilot):
        await keys(pilot, "n", "n")
        seen.append(app.current.code_id)
        await keys(pilot, "space")
        seen.append(app.current.code_id)
        await keys(pilot, "space")
        seen.append(app.current.code_id)
        await keys(pilot, "right_square_bracket")
        seen.append(app.transcript.name)
        await keys(pilot, "left_square_bracket")
        seen.append(app.transcript.name)
    drive(project, steps)
    assert seen == ["bond.regular", "bond.listen", "bond.regular", "lc-B1", "yp-D3"]


def test_undo_of_a_change_in_another_transcript_goes_back_to_it(project):
    async def steps(app, pilot):
        await keys(pilot, "r", "right_square_bracket")
        assert app.transcript.name == "lc-B1"
        await keys(pilot, "u")
        assert (app.transcript.name, app.current.snippet) == ("yp-D3", "Privacy is very important.")
    drive(project, steps)
    assert coding(project, "Privacy").status == "suggested"


def test_blind_mode_hides_other_coders_in_the_app(tmp_path):
    """While blind double-coding is on, a coder reviewing sees only their own codings (and the
    engine's suggestions), not a colleague's."""
    from qualcode.review.view_model import ReviewData, ReviewFilter
    from qualcode.store import init_project
    from qualcode.store.codings import insert_codings
    from qualcode.store.transcripts import insert_transcript
    from qualcode.model import ParsedTranscript, Turn
    from qualcode.coding.blind import set_blind

    root = tmp_path / "p"
    (root).mkdir()
    (root / "cb.yaml").write_text("codebook:\n  name: T\ndomains:\n  - id: d\n    label: D\n    codes:\n"
                                  "      - id: c\n        label: C\n", encoding="utf-8")
    project = init_project(root, codebooks=["cb.yaml"])
    text = "R1: I liked the room."
    with project.engine.begin() as conn:
        tid = insert_transcript(conn, ParsedTranscript("t", text, [Turn(0, "R1", 4, len(text))], "txt"),
                                group="", participant_id=None)
        insert_codings(conn, [dict(transcript_id=tid, start=4, end=len(text), snippet=text[4:], code_id="c",
                                   coder=coder, origin="manual", status="accepted") for coder in ("ann", "bob")])
    everything = ReviewFilter(status=None)
    data = ReviewData(project, project.codebook(), everything, viewer="ann")
    data.reload()
    assert {c.coder for c in data.queue} == {"ann", "bob"}
    set_blind(project, True)
    data = ReviewData(project, project.codebook(), everything, viewer="ann")
    data.reload()
    assert {c.coder for c in data.queue} == {"ann"}


def test_key_bar_lists_the_keys_and_a_click_on_one_runs_it(project):
    seen = {}

    async def steps(app, pilot):
        bar = screen_text(app).splitlines()[-1]
        seen["bar"] = bar
        await pilot.click("KeyBar", offset=(bar.index(" a Accept") + 1, 0))
        await pilot.pause()
    drive(project, steps)
    assert "n Next" in seen["bar"] and "? Help" in seen["bar"] and "q Quit" in seen["bar"]
    assert coding(project, "Privacy").status == "accepted"


LONG_TURN = "Privacy mattered most in the end, more than the time of day or the colour of the walls."


def long_transcript_project(root):
    """One 60-turn transcript whose only suggestion is in turn 55, far below the first screen."""
    from qualcode.codebook.load import load_codebook  # noqa: F401  (the codebook is read by the app)
    from qualcode.store import init_project
    from qualcode.store.codings import insert_codings

    from .conftest import CODEBOOK, build

    root.mkdir()
    (root / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    project = init_project(root, codebooks=["codebook.yaml"], coder="analyst")
    turns = [("Interviewer" if i % 2 == 0 else "D3", f"Turn number {i} says something ordinary.", i % 2 == 1)
             for i in range(60)]
    turns[55] = ("D3", LONG_TURN, True)
    parsed = build("yp-long", turns)
    quote = "Privacy mattered most"
    start = parsed.text.index(quote)
    with project.engine.begin() as conn:
        from qualcode.store.transcripts import insert_transcript
        tid = insert_transcript(conn, parsed, group="young-person", participant_id=None)
        insert_codings(conn, [dict(transcript_id=tid, start=start, end=start + len(quote), snippet=quote,
                                   code_id="bond.env", coder="qualcode:rules", origin="rule", status="suggested")])
    return project


def test_the_transcript_scrolls_to_the_current_suggestion(tmp_path):
    """Opening on a suggestion far down a long transcript shows it (and its ▶ code line) in 80x24;
    moving up a few turns keeps the chosen turn on screen."""
    text = {}

    async def steps(app, pilot):
        text["first"] = screen_text(app)
        await keys(pilot, "up", "up", "up")
        text["up"] = screen_text(app)
        text["turn"] = app.view.current_turn.index
    drive(long_transcript_project(tmp_path / "long"), steps)
    assert "Privacy mattered most" in text["first"] and "▶" in text["first"]
    assert "Turn number 0 " not in text["first"]
    assert text["turn"] == 52 and "Turn number 52 " in text["up"]


def review_on_screen(project, order: str, presses: int, *extra_keys: str) -> list[str]:
    """The screen after opening the app with ``order``, then after each of ``presses`` n presses
    (``extra_keys`` are pressed first)."""
    screens = []

    async def steps(app, pilot):
        await keys(pilot, *extra_keys)
        screens.append(screen_text(app))
        for _ in range(presses):
            await keys(pilot, "n")
            screens.append(screen_text(app))
    app = ReviewApp(project, by="ana", order=order)

    async def main():
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await steps(app, pilot)
    asyncio.run(main())
    return screens


def shown_coding(screen: str) -> tuple[int, float | None]:
    """(id, model confidence) of the coding the detail bar describes."""
    import re

    found = re.search(r"#(\d+) \S+ \w+(?: · model (\d\.\d\d))?", screen)
    assert found, screen
    return int(found[1]), float(found[2]) if found[2] else None


def test_uncertainty_order_shows_the_least_sure_codings_first(project_dir):
    """With a trained model, `--order uncertainty` goes through the suggestions in the order of
    `qualcode segments --sort uncertainty` (confidence nearest 0.5 first), showing each confidence."""
    from qualcode.store import open_project
    from tests.cli.test_model_cli import segments, trained
    from tests.conftest import run

    trained(project_dir)
    assert run(["autocode"], cwd=project_dir).exit_code == 0
    expected = [(r["id"], r["confidence"]) for r in segments(project_dir, "--status", "suggested", "--sort",
                                                             "uncertainty")]
    assert len(expected) >= 3 and all(c is not None for _, c in expected)
    screens = review_on_screen(open_project(project_dir), "uncertainty", len(expected) - 1)
    seen = [shown_coding(s) for s in screens]
    assert [i for i, _ in seen] == [i for i, _ in expected]
    assert [c for _, c in seen] == [float(f"{c:.2f}") for _, c in expected]
    assert "most uncertain first" in screens[0] and f"1/{len(expected)}" in screens[0]
    assert "why: " in screens[0]  # the detail bar grows to show why the suggestion was made


def test_s_switches_order_and_without_a_model_the_app_says_so(project_dir):
    """No trained model: asking for uncertainty order says so (on the screen) and keeps reading
    order; s switches between the orders once the model has scored the suggestions."""
    from qualcode.store import open_project
    from tests.cli.test_model_cli import segments, trained
    from tests.conftest import run

    assert run(["autocode"], cwd=project_dir).exit_code == 0
    reading = [r["id"] for r in segments(project_dir, "--status", "suggested")]
    screens = review_on_screen(open_project(project_dir), "uncertainty", len(reading) - 1)
    assert "reading order: no trained model" in screens[0]
    assert "most uncertain first" not in screens[0]
    assert [shown_coding(s) for s in screens] == [(i, None) for i in reading]

    trained(project_dir)
    assert run(["autocode"], cwd=project_dir).exit_code == 0
    least_sure = segments(project_dir, "--status", "suggested", "--sort", "uncertainty")[0]["id"]
    on, off = review_on_screen(open_project(project_dir), "position", 0, "s"), \
        review_on_screen(open_project(project_dir), "position", 0, "s", "s")
    assert shown_coding(on[0])[0] == least_sure and "most uncertain first" in on[0]
    assert "most uncertain first" not in off[0]


def test_a_narrower_terminal_wraps_the_transcript_again(tmp_path):
    """The turns are measured again when the width changes: after shrinking the terminal the
    current suggestion's turn is wrapped to the new width (no word cut off) and stays in view."""
    text = {}

    async def steps(app, pilot):
        await pilot.resize_terminal(60, 24)
        await pilot.pause()
        text["narrow"] = screen_text(app)
    drive(long_transcript_project(tmp_path / "long"), steps)
    assert max(len(line) for line in text["narrow"].splitlines()) <= 60
    assert "▶" in text["narrow"]
    assert [w for w in LONG_TURN.split() if w not in text["narrow"]] == []  # wrapped, none cut off
