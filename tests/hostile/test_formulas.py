"""Formula injection: code labels, roster values and quotes never become live spreadsheet formulas."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from qualcode.cells import csv_unescape, safe_cell
from tests.conftest import run

EVIL = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def evil_project(project_dir):
    cb = project_dir / "codebook.yaml"
    text = cb.read_text(encoding="utf-8").replace("label: Conducive environment",
                                                  "label: '=HYPERLINK(\"http://evil.example\",\"click\")'")
    cb.write_text(text.replace("label: Regular engagements", "label: '+1+2'"), encoding="utf-8")
    r = run(["autocode", "--codebook", "codebook.yaml"], cwd=project_dir)
    assert r.exit_code == 0, r.output
    r = run(["code", "accept", "--by", "qualcode:rules"], cwd=project_dir)
    assert r.exit_code == 0, r.output
    return project_dir


def formulas(path):
    wb = load_workbook(path)
    return [(ws.title, c.coordinate, c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("=") and c.data_type != "s")]


def all_values(path):
    wb = load_workbook(path)
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]


@pytest.mark.parametrize("cmd", [["report", "frequencies", "--include-suggested", "--format", "xlsx"],
                                 ["report", "cooccurrence", "--format", "xlsx"]])
def test_cli_xlsx_tables_write_labels_as_text(evil_project, cmd):
    out = evil_project / "out.xlsx"
    r = run(cmd + ["-o", str(out)], cwd=evil_project)
    assert r.exit_code == 0, r.output
    assert not formulas(out)


def test_frequencies_xlsx_keeps_label_text_and_numbers(evil_project):
    out = evil_project / "f.xlsx"
    r = run(["report", "frequencies", "--include-suggested", "--format", "xlsx", "-o", str(out)], cwd=evil_project)
    assert r.exit_code == 0, r.output
    values = all_values(out)
    assert EVIL in values  # shown verbatim, as text
    assert any(isinstance(v, int) for v in values)  # counts stay numbers


def test_csv_output_escapes_formula_cells(evil_project):
    r = run(["report", "frequencies", "--include-suggested", "--format", "csv"], cwd=evil_project)
    assert r.exit_code == 0, r.output
    cells = [c for row in csv.reader(io.StringIO(r.stdout)) for c in row]
    assert "'" + EVIL in cells and EVIL not in cells
    assert "'+1+2" in cells
    assert not any(c[:1] in ("=", "+", "@") for c in cells)


def test_matrix_labels_are_text_in_xlsx_and_escaped_in_csv(evil_project):
    run(["summary", "set", "D3", "environment", "=1+2"], cwd=evil_project)
    xlsx, out_csv = evil_project / "m.xlsx", evil_project / "m.csv"
    assert run(["report", "matrix", "-o", str(xlsx)], cwd=evil_project).exit_code == 0
    assert not formulas(xlsx)
    assert EVIL in all_values(xlsx)
    assert run(["report", "matrix", "-o", str(out_csv)], cwd=evil_project).exit_code == 0
    cells = [c for row in csv.reader(io.StringIO(out_csv.read_text(encoding="utf-8-sig"))) for c in row]
    assert "'" + EVIL in cells and EVIL not in cells  # the subtheme label, escaped
    assert "'=1+2" in cells  # the summary too


def test_codings_export_escapes_and_reads_back_exactly(evil_project):
    from qualcode.coding.csv_exchange import _read_rows

    memo = "=cmd|' /C calc'!A0"
    r = run(["code", "add", "yp-D3", "environment", "--quote", "Privacy is very important", "--memo", memo],
            cwd=evil_project)
    assert r.exit_code == 0, r.output
    out = evil_project / "codings.csv"
    r = run(["export", "codings", "-o", str(out)], cwd=evil_project)
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert "'" + memo in [row["memo"] for row in rows]
    assert not any((v or "")[:1] in ("=", "+", "@") for row in rows for v in row.values())
    assert memo in [row["memo"] for _, row in _read_rows(out)]


@pytest.mark.parametrize("value", ["=1+2", "+44 20 7946 0000", "-x", "@SUM(A1)", "\tx", "'=x", "''-y", "'plain",
                                   "plain", "-3", "+1.5", "-", "+", "", "'-3"])
def test_csv_escape_round_trips(value):
    escaped = safe_cell(value)
    assert escaped[:1] not in ("=", "@", "\t", "\r")
    assert escaped[:1] not in ("+", "-") or escaped in ("-", "+") or escaped.lstrip("+-")[:1].isdigit()
    assert csv_unescape(escaped) == value


def test_numbers_stay_numbers():
    assert safe_cell(-3) == -3 and safe_cell(2.5) == 2.5 and safe_cell("-3") == "-3"
