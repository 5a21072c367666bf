from __future__ import annotations

import csv
import html.parser

from openpyxl import load_workbook

from qualcode.analysis.quote_table import (QUOTE_COLUMNS, DomainBlock, Quote, QuoteTable,
                                          SubthemeRow)
from qualcode.reports.quotes_text import write_quotes_csv, write_quotes_html, write_quotes_md
from qualcode.reports.quotes_xlsx import write_quotes_xlsx

EXPECTED_COLUMNS = ["domain", "subtheme", "quote", "attribution", "participant", "group",
                    "transcript", "start", "end", "exemplar"]


def test_column_contract():
    assert list(QUOTE_COLUMNS) == EXPECTED_COLUMNS


def test_csv_rows_in_table_order_with_empty_subtheme(table, tmp_path):
    path = tmp_path / "q.csv"
    write_quotes_csv(table, path)
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == EXPECTED_COLUMNS
    assert [(r[1], r[2][:20]) for r in rows[1:]] == [
        ("Conducive environment", "Privacy is very impo"),
        ("Regular engagements", "I think keeping in t"),
        ("Regular engagements", "Regular communicatio"),
        ("Confidentiality", ""),
        ("Decision on treatment goals", "I was involved one h"),
    ]
    assert rows[1] == ["Bond", "Conducive environment", "Privacy is very important.",
                       "Respondent D3", "D3", "young", "yp-D3", "10", "36", "true"]
    assert rows[4] == ["Bond", "Confidentiality", "", "", "", "", "", "", "", ""]
    assert rows[5][0] == "Goals"


def test_csv_keeps_commas_quotes_and_newlines(tmp_path):
    text = 'She said, "no" —\nthen left'
    table = QuoteTable("T", [DomainBlock("d", "D", [SubthemeRow("s", "S", [Quote(text, "R1")])])])
    path = tmp_path / "q.csv"
    write_quotes_csv(table, path)
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][2] == text


def test_xlsx_columns_rows_header_and_layout(table, tmp_path):
    path = tmp_path / "q.xlsx"
    write_quotes_xlsx(table, path)
    sheet = load_workbook(path).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == EXPECTED_COLUMNS
    assert [v[1] for v in values[1:]] == ["Conducive environment", "Regular engagements",
                                          "Regular engagements", "Confidentiality",
                                          "Decision on treatment goals"]
    assert values[1][7:] == (10, 36, True)
    assert values[4][2] in (None, "")
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet["C2"].alignment.wrap_text
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width


def test_xlsx_never_turns_text_into_a_formula(tmp_path):
    table = QuoteTable("T", [DomainBlock("d", "D", [SubthemeRow("s", "S", [
        Quote("=HYPERLINK(\"x\") said \x07 nothing", "R1")])])])
    path = tmp_path / "q.xlsx"
    write_quotes_xlsx(table, path)
    cell = load_workbook(path).active["C2"]
    assert cell.data_type == "s"
    assert cell.value == "=HYPERLINK(\"x\") said  nothing"


def test_markdown_escapes_pipes_and_markup(tmp_path):
    table = QuoteTable("Table 3", [DomainBlock("d", "Bond | trust", [
        SubthemeRow("a", "Env*", [Quote("I said | no [laughs] *really*", "Respondent D3"),
                                  Quote("Second", "Respondent V1", suggested=True)]),
        SubthemeRow("b", "Empty", []),
    ])], subtitle="Views")
    path = tmp_path / "q.md"
    write_quotes_md(table, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if line.startswith("| ")]
    assert rows[0] == "| Domain | Subtheme | Verbatim quote(s) |"
    assert rows[1] == ("| Bond \\| trust | Env\\* | *“I said \\| no \\[laughs\\] \\*really\\*”* "
                       "(Respondent D3)<br>*“Second”* (Respondent V1) \\[suggested\\] |")
    assert rows[2] == "|  | Empty |  |"
    # unescaped pipes split every row into exactly 3 cells
    for row in rows:
        assert row.replace("\\|", "").count("|") == 4


class _Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_html_escapes_text_and_spans_domains(table, tmp_path):
    table.domains[0].subthemes[0].quotes[0].text = "<script>alert(1)</script> & more"
    path = tmp_path / "q.html"
    write_quotes_html(table, path)
    source = path.read_text(encoding="utf-8")
    assert "<script>" not in source
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in source
    parser = _Collector()
    parser.feed(source)
    spans = [a.get("rowspan") for t, a in parser.tags if t == "td" and "rowspan" in a]
    assert spans == ["3", "1"]
    assert sum(1 for t, _ in parser.tags if t == "tr") == 1 + 4
    assert sum(1 for t, _ in parser.tags if t == "em") == 4
    assert "“<script>alert(1)</script> & more”" in "".join(parser.text)
