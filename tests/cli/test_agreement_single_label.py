"""Single-label coding (each coder gives at most one code per unit): the headline figures, in every format.

References:
- Cohen's kappa, the table [[20, 5], [10, 15]] (rows coder A yes/no, columns coder B yes/no): p_o = 0.70,
  p_e = 0.50, kappa = 0.40. Worked example of the Wikipedia article "Cohen's kappa" (section "Simple
  example"); also in docs/methods.md.
- Fleiss' kappa: 10 subjects, 14 raters, 5 categories, kappa = 0.210 (P-bar = 0.378, P_e = 0.213). Worked
  example of the Wikipedia article "Fleiss' kappa" for the statistic of Fleiss, J. L. (1971), "Measuring
  nominal scale agreement among many raters", Psychological Bulletin 76(5), 378-382.
"""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from qualcode.cli import cli

COHEN = [[20, 5], [10, 15]]
FLEISS = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
          [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]


def cohen_csv(path):
    labels = ["yes", "no"]
    lines, unit = ["unit,coder,code"], 0
    for a, row in enumerate(COHEN):
        for b, count in enumerate(row):
            for _ in range(count):
                unit += 1
                lines += [f"u{unit},A,{labels[a]}", f"u{unit},B,{labels[b]}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def fleiss_csv(path):
    lines = ["unit,coder,code"]
    for subject, counts in enumerate(FLEISS, start=1):
        raters = [f"c{j + 1}" for j, n in enumerate(counts) for _ in range(n)]
        lines += [f"s{subject},rater{r:02d},{code}" for r, code in enumerate(raters)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def agreement(path, fmt):
    r = CliRunner().invoke(cli, ["agreement", "--codings", str(path), "--format", fmt], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.mark.parametrize("make,kappa_name,kappa,units", [(cohen_csv, "cohen_kappa", 0.40, 50),
                                                         (fleiss_csv, "fleiss_kappa", 0.210, 10)])
def test_single_label_headline_in_json_and_csv(tmp_path, make, kappa_name, kappa, units):
    path = make(tmp_path / "codings.csv")
    data = json.loads(agreement(path, "json"))
    assert data["headline"] == "single_label" and "at most one code per unit" in data["headline_why"]
    single = data["single_label"]
    assert single["kappa_name"] == kappa_name and single["kappa"] == pytest.approx(kappa, abs=5e-4)
    assert single["units"] == single["kappa_units"] == units
    assert single["krippendorff_alpha"] == data["krippendorff_alpha_nominal"]
    rows = list(csv.DictReader(io.StringIO(agreement(path, "csv"))))
    head = rows[0]
    assert (head["level"], head["status"], head["units"]) == ("single_label", "headline", str(units))
    assert float(head[kappa_name]) == pytest.approx(kappa, abs=5e-4)
    assert float(head["krippendorff_alpha"]) == pytest.approx(single["krippendorff_alpha"], abs=1e-12)
    assert float(head["percent_agreement"]) == pytest.approx(single["percent_agreement"], abs=1e-12)
    assert [r["status"] for r in rows].count("headline") == 1


def test_cohen_reference_exactly_and_percent_agreement(tmp_path):
    single = json.loads(agreement(cohen_csv(tmp_path / "c.csv"), "json"))["single_label"]
    assert single["kappa"] == pytest.approx(0.40, abs=1e-12)
    assert single["percent_agreement"] == pytest.approx(70.0, abs=1e-12)  # 35 of 50 units


def test_single_label_headline_leads_the_table(tmp_path):
    text = agreement(cohen_csv(tmp_path / "c.csv"), "table")
    first = text.splitlines()[0]
    assert first.startswith("Headline, single-label coding: nominal alpha")
    assert "Cohen's kappa 0.400" in first and "agreement 70.0 %" in first and "over 50 units" in first
    assert "Why: every coder gave at most one code per unit" in text
    text = agreement(fleiss_csv(tmp_path / "f.csv"), "table")
    assert "Fleiss' kappa 0.210" in text.splitlines()[0]


def test_multi_label_says_the_mean_code_alpha_is_the_headline(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("unit,coder,code\nu1,A,x\nu1,A,y\nu1,B,x\nu2,A,\nu2,B,y\nu3,A,x\nu3,B,x\n", encoding="utf-8")
    data = json.loads(agreement(path, "json"))
    assert data["headline"] == "mean_code_alpha" and data["single_label"] is None
    rows = list(csv.DictReader(io.StringIO(agreement(path, "csv"))))
    assert [r["name"] for r in rows if r["status"] == "headline"] == ["mean_code_alpha"]
    assert "the headline, because some coder gave two or more codes" in agreement(path, "table")
