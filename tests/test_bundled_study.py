"""The bundled study end to end: the demo's Table 3 and Table 4 hold every row and quote of the paper.

The expected rows and quotes are parsed from the paper's own tables (CC BY 4.0, copied unchanged
into tests/fixtures/reference/, see the README there), so the test checks qualcode against the
publication, not against a copy of our own output. Quotes must match word for word and in order:
only whitespace, quotation-mark style and the "..." that marks a cut may differ.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.conftest import REPO, run

PAPER = REPO / "tests" / "fixtures" / "reference" / "working-alliance-tables-3-4.txt"
QUOTE_RE = re.compile(r'"(.+?)"\s*[.,]?\s*(?:</[ip]>)?\s*\((Respondent|Participant|Lay counsellor) ([A-Z]\d)\)')


def published_rows(table: str, end_marker: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    text = PAPER.read_text(encoding="utf-8")
    body = text.split(f"\n{table}\n", 1)[1].split(end_marker, 1)[0]
    rows, domain = [], ""
    for line in body.splitlines():
        cells = line.split("\t")
        if len(cells) < 3 or cells[0] == "Domain":
            continue
        domain = cells[0].strip().rstrip(":") or domain
        quotes = [(q, f"{'Respondent' if who == 'Participant' else who} {pid}") for q, who, pid in QUOTE_RE.findall(cells[2])]
        rows.append((domain, cells[1].strip(), quotes))
    return rows


def words(text: str) -> str:
    """The words and inner punctuation of a quote: whitespace collapsed, quotation marks and
    apostrophes in one style, the "..." of a cut and the end punctuation left out."""
    text = text.replace("\u201c", "").replace("\u201d", "").replace('"', "").replace("\u2019", "'")
    text = " ".join(text.split())
    text = re.sub(r"\s*\.\.\.\s*", "...", text)  # "Ummh...you" and "Ummh... you" are the same words
    return re.sub(r"^(\.\.\.)|[\s.,;:!?]+$", "", re.sub(r"(\.\.\.)$", "", text)).strip()


def docx_rows(path: Path) -> list[tuple[str, str, str, list[str]]]:
    """(domain, subtheme, quote paragraphs, vMerge values) per body row, with merged domain cells filled down."""
    table = Document(str(path)).tables[0]
    out, domain = [], ""
    for row in table.rows[1:]:
        cells = row.cells
        tcpr = row._tr.tc_lst[0].tcPr
        vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
        value = None if vmerge is None else (vmerge.get(qn("w:val")) or "continue")
        if value in (None, "restart"):
            domain = cells[0].text.strip().replace("\u200b", "")
        quotes = [p.text for p in cells[2].paragraphs if p.text.strip()]
        out.append((domain, cells[1].text.strip().replace("\u200b", ""), quotes, [value]))
    return out


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("study")
    shutil.copytree(REPO / "transcripts", root / "transcripts")
    shutil.copytree(REPO / "codebooks", root / "codebooks")
    shutil.copy(REPO / "qualcode.toml", root / "qualcode.toml")
    files = sorted(str(p.relative_to(root)) for ext in ("txt", "docx", "vtt") for p in (root / "transcripts").glob(f"*.{ext}"))
    for args in (["import", *files, "--participants", "transcripts/roster.csv"],
                 ["import-codings", "transcripts/codings.csv"],
                 ["report", "quotes", "--group", "young-person", "-o", "out/table3.docx"],
                 ["report", "quotes", "--group", "clinician", "-o", "out/table4.docx"]):
        r = run(args, cwd=root)
        assert r.exit_code == 0, r.output
    return root


@pytest.mark.parametrize("table,end,out", [
    ("Table 3", "Clinicians' views on working alliance", "table3.docx"),
    ("Table 4", "\nDiscussion\n", "table4.docx"),
])
def test_demo_table_holds_every_published_row_and_quote(study, table, end, out):
    expected = published_rows(table, end)
    got = docx_rows(study / "out" / out)
    assert len(expected) in (20, 10)
    # the same domains and subthemes, in the same order
    assert [(d, s) for d, s, _, _ in got] == [(d, s) for d, s, _ in expected]
    for (domain, subtheme, quotes), (_, _, paragraphs, _) in zip(expected, got):
        # one paragraph per quote: "quote" (attribution), in the paper's order, word for word
        ours = [re.fullmatch(r"(.+) \(([^()]+)\)", p, re.S).groups() for p in paragraphs]
        assert [words(q) for q, _ in ours] == [words(q) for q, _ in quotes], subtheme
        assert [a for _, a in ours] == [a.replace(" ", "\xa0") for _, a in quotes], subtheme
    assert sum(len(q) for _, _, q in expected) == (31 if table == "Table 3" else 14)


def test_the_words_check_tells_a_tidied_quote_from_the_paper():
    # the comparison itself must see a dropped hesitation word
    assert words("Uhm, the religion, I do not think it affects anything.") != words(
        "[...] the religion, I do not think it affects anything.")
    assert words("“Ummh... you can have”") == words('"Ummh...you can have"')


def test_domain_cells_are_merged_down_and_quotes_italic(study):
    doc = Document(str(study / "out" / "table3.docx"))
    table = doc.tables[0]
    first_cells = [row._tr.tc_lst[0] for row in table.rows[1:]]
    merges = [tc.tcPr.find(qn("w:vMerge")) for tc in first_cells]
    values = [None if m is None else (m.get(qn("w:val")) or "continue") for m in merges]
    assert values[:3] == ["restart", "continue", "continue"]  # Bond over its three subthemes
    assert values[3:5] == ["restart", "continue"]  # Goals over its two
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # header repeats on each page
    runs = [r for p in table.rows[1].cells[2].paragraphs for r in p.runs if r.text.strip()]
    assert any(r.italic for r in runs if "Privacy is very important" in r.text)
    assert any(not r.italic and "(Respondent\xa0D3)" in r.text for r in runs)  # no-break space: never split


def test_tidy_is_explicit_and_marks_what_it_removed(study):
    r = run(["report", "quotes", "--group", "young-person", "--tidy", "-o", "out/tidy.md"], cwd=study)
    assert r.exit_code == 0, r.output
    text = (study / "out" / "tidy.md").read_text(encoding="utf-8")
    assert "[...] the religion, I do not think it affects anything." in text.replace("\\[", "[").replace("\\]", "]")
    assert "Uhm, the religion" not in text
    assert "--tidy removed hesitation fillers from 1 quote(s)" in r.stderr


def test_framework_matrix_is_one_table_per_theme_with_turn_references(study):
    r = run(["summary", "set", "D3", "yp-religion", "Religion does not affect the alliance for her.",
             "--group", "young-person"], cwd=study)
    assert r.exit_code == 0, r.output
    r = run(["report", "matrix", "--group", "young-person", "-o", "out/framework.docx"], cwd=study)
    assert r.exit_code == 0, r.output
    doc = Document(str(study / "out" / "framework.docx"))
    domains = [d for d, _s, _q in published_rows("Table 3", "Clinicians' views on working alliance")]
    assert len(doc.tables) == len(dict.fromkeys(domains)) == 7
    religion = doc.tables[-1]
    assert [c.text for c in religion.rows[0].cells] == ["Participant", "Age", "Gender", "Religion"]
    people = [row.cells[0].text for row in religion.rows[1:]]
    assert "Respondent\xa0D3" in people and len(people) == 12
    d3 = religion.rows[1 + people.index("Respondent\xa0D3")].cells[3]
    assert [p.text for p in d3.paragraphs][0] == "Religion does not affect the alliance for her."
    assert re.fullmatch(r"Quotes: yp-D3 turns? \d+(, \d+)*", [p.text for p in d3.paragraphs][1])
    text = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert not re.search(r"\d+-\d+\]|young-person/", text)  # no raw offsets, no internal keys


def test_figures_are_drawn_per_group_by_default(study):
    r = run(["report", "figures", "-o", "out/figures"], cwd=study)
    assert r.exit_code == 0, r.output
    names = sorted(Path(line).name for line in r.stdout.split())
    assert names == ["codes-by-participant-clinician.png", "codes-by-participant-young-person.png",
                     "cooccurrence-clinician.png", "cooccurrence-young-person.png"]
    r = run(["report", "figures", "--group", "clinician", "-o", "out/one"], cwd=study)
    assert sorted(Path(line).name for line in r.stdout.split()) == ["codes-by-participant-clinician.png",
                                                                    "cooccurrence-clinician.png"]
