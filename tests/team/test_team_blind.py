"""Blind mode: a coder's views hide other coders' codings until agreement has been computed."""
from __future__ import annotations

import json

from qualcode.store.codings import insert_codings, query_codings, update_codings
from qualcode.coding.blind import filter_visible, visible_coders
from tests.conftest import run
from tests.team.builders import T1, coding, make_team_project


def coders_seen(root, viewer):
    r = run(["segments", "--as", viewer, "--format", "json"], cwd=root)
    assert r.exit_code == 0, r.output
    return {row["coder"] for row in json.loads(r.stdout)}


def blind(root, *args):
    r = run(["blind", *args], cwd=root)
    assert r.exit_code == 0, r.output
    return r.stdout


def test_blind_hides_until_agreement_then_shows_everything(tmp_path):
    project, _ = make_team_project(tmp_path / "p")
    root = project.root
    assert blind(root) == "blind mode: off\n"
    assert coders_seen(root, "A") == {"A", "B", "qualcode:rules"}
    assert visible_coders(project, "A") is None

    assert "each coder sees only their own codings" in blind(root, "on")
    assert coders_seen(root, "A") == {"A", "qualcode:rules"}
    assert coders_seen(root, "B") == {"B", "qualcode:rules"}
    assert visible_coders(project, "B") == {"B", "qualcode:rules"}
    status = json.loads(blind(root, "status", "--format", "json"))[0]
    assert status["blind"] == "on" and status["hiding"] is True and status["agreement_computed_at"] == ""

    assert run(["agreement"], cwd=root).exit_code == 0
    assert "agreement was computed at" in blind(root, "status")
    assert coders_seen(root, "A") == {"A", "B", "qualcode:rules"}
    assert visible_coders(project, "A") is None

    blind(root, "on")  # a new round of double-coding hides again until the next agreement run
    assert coders_seen(root, "A") == {"A", "qualcode:rules"}
    blind(root, "off")
    assert coders_seen(root, "A") == {"A", "B", "qualcode:rules"}


def test_engine_suggestions_reviewed_by_another_coder_are_hidden(tmp_path):
    project, ids = make_team_project(tmp_path / "p")
    with project.engine.begin() as conn:
        insert_codings(conn, [coding(ids["yp-T1"], T1, 5, "regular", "qualcode:rules", status="suggested")])
        [row] = query_codings(conn, coder="qualcode:rules", code="regular")
        update_codings(conn, [row.id], status="accepted", decided_by="B")
        rows = query_codings(conn)
    run(["blind", "on"], cwd=project.root)
    visible = visible_coders(project, "A")
    shown = filter_visible(rows, visible, "A")
    assert row.id not in {r.id for r in shown}  # B's decision on it would unblind A
    assert {r.coder for r in shown} == {"A", "qualcode:rules"}
    assert row.id in {r.id for r in filter_visible(rows, visible_coders(project, "B"), "B")}
