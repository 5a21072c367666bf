"""Every shell block of README.md and docs/*.md runs, in order, on a fresh copy of the bundled study.

Each block is one test (``README.md:58``); a block the doc marks ``<!-- doctest: skip REASON -->`` is
reported as skipped with the doc's reason. A doc that drifts from what qualcode does fails here.
How blocks are read and run: tests/docblocks.py.
"""
from __future__ import annotations

import os

import pytest

from tests.docblocks import REPO, DocFailure, Session, doc_paths, fresh_study, runnable_blocks

BLOCKS = [block for path in doc_paths() for block in runnable_blocks(path)]


@pytest.fixture(scope="session")
def study_template(tmp_path_factory):
    """The bundled study after `make demo`, built once and copied for each doc."""
    return fresh_study(tmp_path_factory.mktemp("doc-study") / "study")


@pytest.fixture(scope="session")
def sessions(tmp_path_factory, study_template):
    made: dict[str, Session] = {}

    def for_doc(doc: str) -> Session:
        if doc not in made:
            root = tmp_path_factory.mktemp("doc-" + doc.replace("/", "-")) / "study"
            made[doc] = Session(fresh_study(root, study_template))
        return made[doc]
    return for_doc


def _needs(extra: str) -> None:
    """Skip a block that needs an optional extra where it is not installed; CI installs every extra."""
    from qualcode.engine import embed

    assert extra == "learn", f"unknown extra in a 'doctest: needs' marker: {extra!r}"
    if not embed.available():
        if os.environ.get("CI"):
            pytest.fail("CI installs the learn extra (.ci/run), which this doc block needs")
        pytest.skip("the doc block needs the optional extra: pip install 'qualcode[learn]'")


@pytest.mark.parametrize("block", BLOCKS, ids=[b.id for b in BLOCKS])
def test_doc_block(block, sessions):
    if "skip" in block.markers:
        pytest.skip(f"{block.id} skipped by the doc: {block.markers['skip'] or '(no reason given)'}")
    if "needs" in block.markers:
        _needs(block.markers["needs"].strip())
    session = sessions(block.doc)
    try:
        session.run_block(block)
    except DocFailure as exc:
        pytest.fail(str(exc), pytrace=False)


def test_the_docs_a_reader_follows_have_blocks_that_run():
    """The harness finds the pages the README points to, and their blocks (a parser bug would skip them)."""
    docs = {b.doc for b in BLOCKS}
    for name in ["README.md", "docs/tutorial.md", "docs/review.md", "docs/team.md", "docs/exchange.md"]:
        assert name in docs
        assert (REPO / name).is_file()
    assert sum(1 for b in BLOCKS if "skip" not in b.markers) > 20


def test_a_skip_marker_needs_a_reason():
    unexplained = [b.id for b in BLOCKS if "skip" in b.markers and not b.markers["skip"].strip()]
    assert unexplained == []


def test_a_doc_that_drifts_fails_with_its_file_and_line(tmp_path, study_template):
    """The harness itself: a wrong id, wrong output and an unknown program each fail, naming doc:line."""
    from tests.docblocks import Block

    session = Session(fresh_study(tmp_path / "study", study_template))
    wrong_code = Block("docs/x.md", 3, "sh", "qualcode review-pack export --domain cl-empathy -o x.xlsx")
    drifted = Block("docs/x.md", 9, "text", "$ qualcode codebook check codebooks/working-alliance.yaml\n"
                                            "a line qualcode never prints")
    foreign = Block("docs/x.md", 20, "sh", "curl https://example.org")
    for block in (wrong_code, drifted, foreign):
        with pytest.raises(DocFailure, match=block.id):
            session.run_block(block)
    session.run_block(Block("docs/x.md", 30, "text", "$ qualcode codebook check codebooks/working-alliance.yaml\n"
                                                     "...working-alliance.yaml..."))
