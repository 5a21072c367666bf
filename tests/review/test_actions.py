"""The review session's changes: each saved at once, each undoable."""
from __future__ import annotations

import pytest

from qualcode.errors import CodingError
from qualcode.review.actions import ReviewActions
from qualcode.store.codings import list_memos

from .conftest import all_codings, coding


def test_accept_and_reject_are_saved_at_once_and_undo_restores_suggested(project):
    actions = ReviewActions(project, "ana")
    c = coding(project, "Privacy")
    actions.accept(c.id)
    assert (coding(project, "Privacy").status, coding(project, "Privacy").decided_by) == ("accepted", "ana")
    actions.reject(c.id)
    assert coding(project, "Privacy").status == "rejected"
    assert actions.undo().description.startswith("reject")
    assert coding(project, "Privacy").status == "accepted"
    actions.undo()
    after = coding(project, "Privacy")
    assert (after.status, after.decided_by) == ("suggested", "")
    assert actions.undo() is None


def test_recode_and_undo_restores_the_old_code(project):
    actions = ReviewActions(project, "ana")
    c = coding(project, "I think meeting")
    actions.recode(c.id, "bond.env")
    assert coding(project, "I think meeting").code_id == "bond.env"
    actions.undo()
    assert coding(project, "I think meeting").code_id == "bond.regular"


def test_recode_to_an_unknown_code_is_refused_and_not_undoable(project):
    actions = ReviewActions(project, "ana")
    c = coding(project, "I think meeting")
    with pytest.raises(CodingError, match="unknown code"):
        actions.recode(c.id, "bond.nope")
    assert actions.history == []


def test_manual_code_of_a_quote_in_a_turn_and_undo_removes_it(project):
    actions = ReviewActions(project, "ana")
    before = len(all_codings(project))
    row = actions.code_span("yp-D3", "goals.other", unit=4, quote="choosing my goals")
    assert (row.snippet, row.origin, row.status, row.coder) == ("choosing my goals", "manual", "accepted", "ana")
    assert len(all_codings(project)) == before + 1
    actions.undo()
    assert len(all_codings(project)) == before
    assert not [c for c in all_codings(project) if c.code_id == "goals.other"]


def test_coding_the_same_text_twice_is_refused_without_an_undo_step_that_would_delete_it(project):
    actions = ReviewActions(project, "ana")
    actions.code_span("yp-D3", "goals.other", unit=4)
    with pytest.raises(CodingError, match="already coded"):
        actions.code_span("yp-D3", "goals.other", unit=4)
    assert len(actions.history) == 1
    actions.undo()
    assert not [c for c in all_codings(project) if c.code_id == "goals.other"]


def test_exemplar_toggle_also_accepts_and_undo_restores_both(project):
    actions = ReviewActions(project, "ana")
    c = coding(project, "Privacy")
    actions.toggle_exemplar(c.id)
    row = coding(project, "Privacy")
    assert (row.exemplar, row.status) == (True, "accepted")
    actions.toggle_exemplar(c.id)
    assert coding(project, "Privacy").exemplar is False
    actions.undo()
    actions.undo()
    row = coding(project, "Privacy")
    assert (row.exemplar, row.status) == (False, "suggested")


def test_memo_is_saved_as_a_memo_row_and_undo_deletes_it(project):
    actions = ReviewActions(project, "ana")
    c = coding(project, "Privacy")
    actions.add_memo(c.id, "Strong [emphasis] here")
    assert coding(project, "Privacy").memo == "Strong [emphasis] here"
    with project.engine.connect() as conn:
        memos = list_memos(conn, coding_id=c.id)
    assert [(m.kind, m.author, m.text) for m in memos] == [("note", "ana", "Strong [emphasis] here")]
    actions.undo()
    assert coding(project, "Privacy").memo == ""
    with project.engine.connect() as conn:
        assert list_memos(conn, coding_id=c.id) == []
