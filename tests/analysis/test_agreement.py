"""Agreement statistics: published examples (shared/reference/agreement-reference-values.md),
hand-computed cases, and the report shape."""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from qualcode.analysis.agreement import (
    NONE_LABEL,
    compute_agreement,
    read_codings_csv,
    report_to_dict,
)
from qualcode.analysis.agreement_stats import (
    cohen_kappa,
    cohen_kappa_from_table,
    kappa_detail,
    krippendorff_alpha,
    percent_agreement,
)
from qualcode.errors import AgreementError

N = None
# Krippendorff (2011), 4 observers x 12 units; unit 12 has a single value.
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]
# Wikipedia "Krippendorff's alpha", 3 coders x 15 units.
WIKI = [
    [N, N, N, N, N, 3, 4, 1, 2, 1, 1, 3, 3, N, 3],
    [1, N, 2, 1, 3, 3, 4, 3, N, N, N, N, N, N, N],
    [N, N, 2, 1, 3, 4, 4, N, 2, 1, 1, 3, 3, N, 4],
]
TOL = 1e-3


# ---------------------------------------------------------------- published examples: pure formulas


@pytest.mark.parametrize(
    "level, expected", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)]
)
def test_krippendorff_2011_all_levels(level, expected):
    assert krippendorff_alpha(K2011, level) == pytest.approx(expected, abs=TOL)


@pytest.mark.parametrize("level, expected", [("nominal", 0.691), ("interval", 0.811)])
def test_wikipedia_example(level, expected):
    assert krippendorff_alpha(WIKI, level) == pytest.approx(expected, abs=TOL)


def test_alpha_exact_fractions():
    # Krippendorff (2011) nominal: n = 40 pairable values, n_c = 9, 13, 10, 5, 3 for values 1..5;
    # off-diagonal coincidences sum to 8; alpha = 1 - 39 * 8 / (40^2 - (81+169+100+25+9)) = 1 - 312/1216 = 113/152
    assert krippendorff_alpha(K2011, "nominal") == pytest.approx(113 / 152, abs=1e-15)
    # Wikipedia nominal: 56/81
    assert krippendorff_alpha(WIKI, "nominal") == pytest.approx(56 / 81, abs=1e-15)


def test_alpha_accepts_numpy_nan_and_dataframe():
    as_float = np.array(K2011, dtype=float)  # None -> nan
    assert krippendorff_alpha(as_float, "interval") == pytest.approx(0.849, abs=TOL)
    frame = pd.DataFrame(WIKI)
    assert krippendorff_alpha(frame, "nominal") == pytest.approx(0.691, abs=TOL)


def test_alpha_undefined_is_none_not_nan():
    assert krippendorff_alpha([[1, 1, 1], [1, 1, 1]]) is None  # zero expected disagreement
    assert krippendorff_alpha([[1, N], [N, 2]]) is None  # nothing pairable
    assert krippendorff_alpha([]) is None
    assert krippendorff_alpha([[1, 2, 3], [1, 2, 3]]) == 1.0  # perfect agreement is exactly 1


def test_alpha_rejects_bad_input():
    with pytest.raises(AgreementError):
        krippendorff_alpha([[1, 2], [1, 2]], "cardinal")
    with pytest.raises(AgreementError):
        krippendorff_alpha([["a", "b"], ["a", "c"]], "interval")
    with pytest.raises(AgreementError):
        krippendorff_alpha([[-1, 2], [1, 2]], "ratio")
    with pytest.raises(AgreementError):
        krippendorff_alpha([[1, 2, 3], [1, 2]])


def test_cohen_first_example_with_parts():
    detail = kappa_detail([[20, 5], [10, 15]])
    assert detail.n == 50
    assert detail.p_o == pytest.approx(0.70, abs=1e-12)
    assert detail.p_e == pytest.approx(0.50, abs=1e-12)
    assert detail.kappa == pytest.approx(0.40, abs=1e-12)
    assert cohen_kappa_from_table([[20, 5], [10, 15]]) == pytest.approx(0.40, abs=TOL)


def test_cohen_artstein_poesio_from_labels():
    coder1 = ["0"] * 40 + ["1"] * 60
    coder2 = ["0"] * 20 + ["1"] * 20 + ["0"] * 10 + ["1"] * 50
    assert cohen_kappa(coder1, coder2) == pytest.approx(0.348, abs=TOL)
    assert cohen_kappa(coder1, coder2) == pytest.approx(8 / 23, abs=1e-15)


def test_cohen_three_categories():
    # p_o = 13/19, p_e = (5*0 + 8*13 + 6*6)/19^2 = 140/361, kappa = 107/221
    assert cohen_kappa_from_table([[0, 4, 1], [0, 8, 0], [0, 1, 5]]) == pytest.approx(0.484, abs=TOL)
    assert cohen_kappa_from_table([[0, 4, 1], [0, 8, 0], [0, 1, 5]]) == pytest.approx(107 / 221, abs=1e-15)


def test_cohen_undefined_and_invalid():
    assert cohen_kappa(["x", "x", "x"], ["x", "x", "x"]) is None  # p_e == 1
    assert cohen_kappa([], []) is None
    assert cohen_kappa_from_table([[0, 0], [0, 0]]) is None
    assert cohen_kappa(["a", None, "b"], ["a", "b", "b"]) == 1.0  # the incomplete pair is dropped
    with pytest.raises(AgreementError):
        cohen_kappa(["a"], ["a", "b"])
    with pytest.raises(AgreementError):
        cohen_kappa_from_table([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(AgreementError):
        cohen_kappa_from_table([[1, -2], [3, 4]])


def test_percent_agreement_pairwise_over_pairable_units():
    # unit 1: 3 values a,a,b -> 1 agreeing pair of 3 (2 of 6 ordered) = 1/3
    # unit 2: a,a (third missing) -> 1
    # unit 3: one value only -> not pairable, dropped
    # mean over 2 pairable units = (1/3 + 1) / 2 = 2/3 -> 66.67 %
    data = [["a", "a", "a"], ["a", "a", N], ["b", N, N]]
    assert percent_agreement(data) == pytest.approx(200 / 3, abs=1e-12)
    assert percent_agreement([[1, 2], [1, 3]]) == 50.0
    assert percent_agreement([[1, N], [N, 2]]) is None


# ---------------------------------------------------------------- application layer: published examples


def _cohen_records():
    """[[20, 5], [10, 15]] as 50 units x 2 coders, code "yes" present/absent."""
    records = []
    cells = [("yes", "yes", 20), ("yes", None, 5), (None, "yes", 10), (None, None, 15)]
    unit = 0
    for a, b, count in cells:
        for _ in range(count):
            unit += 1
            records += [(f"u{unit}", "A", a), (f"u{unit}", "B", b)]
    return records


def test_cohen_table_through_compute_agreement():
    report = compute_agreement(_cohen_records())
    (row,) = report.codes
    assert row.code == "yes" and row.units == 50
    assert row.cohen_kappa == pytest.approx(0.40, abs=1e-12)
    assert row.percent_agreement == pytest.approx(70.0, abs=1e-12)
    assert row.used == {"A": 25, "B": 30}
    assert row.status == "ok"


def _write_k2011_csv(path):
    lines = ["unit,coder,code"]
    for coder, row in zip("ABCD", K2011):
        for unit, value in enumerate(row, start=1):
            if value is not None:  # missing -> no row at all
                lines.append(f"{unit},{coder},v{value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_krippendorff_2011_nominal_through_csv(tmp_path):
    path = tmp_path / "codings.csv"
    _write_k2011_csv(path)
    report = compute_agreement(read_codings_csv(path))
    assert report.krippendorff_alpha_nominal == pytest.approx(0.743, abs=TOL)
    assert report.units_total == 12 and report.units == 11 and report.units_single_coder == 1
    assert report.coders == ["A", "B", "C", "D"]
    assert all(r.cohen_kappa is None for r in report.codes)  # four coders


def test_wikipedia_nominal_through_compute_agreement():
    records = [
        (unit, coder, f"c{value}")
        for coder, row in zip("ABC", WIKI)
        for unit, value in enumerate(row)
        if value is not None
    ]
    assert compute_agreement(records).krippendorff_alpha_nominal == pytest.approx(0.691, abs=TOL)


# ---------------------------------------------------------------- application layer: hand-computed


def _hand_records():
    # Two coders saw u1..u4. A applied X to u1, u2; B applied X to u1. Y is in the codebook, never used.
    # u5 was seen by A only (not pairable).
    return [
        ("u1", "A", "X"), ("u1", "B", "X"),
        ("u2", "A", "X"), ("u2", "B", ""),
        ("u3", "A", None), ("u3", "B", None),
        ("u4", "A", ""), ("u4", "B", ""),
        ("u5", "A", "X"),
    ]


def test_hand_computed_two_coders():
    report = compute_agreement(_hand_records(), codes=["X", "Y"])
    x, y = report.codes
    # X: A = 1,1,0,0 ; B = 1,0,0,0 on u1..u4 (u5 seen by A only: skipped)
    assert x.units == 4 and report.units_single_coder == 1
    # percent: 3 of 4 units agree -> 75
    assert x.percent_agreement == pytest.approx(75.0, abs=1e-12)
    # kappa: p_o = 3/4; A yes 1/2, B yes 1/4; p_e = 1/2*1/4 + 1/2*3/4 = 1/2; kappa = (3/4-1/2)/(1/2) = 0.5
    assert x.cohen_kappa == pytest.approx(0.5, abs=1e-12)
    # alpha: n = 8 pairable values, n_1 = 3, n_0 = 5; coincidences o_11 = 2 (u1), o_10 = o_01 = 1 (u2),
    # o_00 = 4 (u3, u4). alpha = 1 - (n-1) * (o_10 + o_01) / (2 n_1 n_0) = 1 - 7*2/30 = 16/30
    assert x.krippendorff_alpha == pytest.approx(16 / 30, abs=1e-12)
    assert x.below_0_667 is True and x.below_0_800 is True
    assert x.used == {"A": 2, "B": 1}  # on pairable units only (A's u5 is not counted)
    # Y: never used -> no kappa/alpha, 100 % agreement, no flags
    assert y.status == "never used"
    assert y.cohen_kappa is None and y.krippendorff_alpha is None
    assert y.percent_agreement == 100.0
    assert y.below_0_667 is None and y.below_0_800 is None
    assert y.used == {"A": 0, "B": 0}


def test_hand_computed_overall_pooling():
    report = compute_agreement(_hand_records(), codes=["X", "Y"])
    overall = report.overall
    # mean of defined per-code alpha: only X (Y never used) -> 16/30
    assert overall.mean_code_alpha == pytest.approx(16 / 30, abs=1e-12) and overall.codes_in_mean == 1
    # stacked decisions: 4 units x 2 codes = 8 per coder.
    # A = X:1,1,0,0 Y:0,0,0,0 ; B = X:1,0,0,0 Y:0,0,0,0
    assert overall.decisions == 8
    # kappa: table yes/yes 1, A-yes/B-no 1, no/yes 0, no/no 6; p_o = 7/8; A yes 2/8, B yes 1/8;
    # p_e = 2/8*1/8 + 6/8*7/8 = 44/64; kappa = (56/64 - 44/64) / (20/64) = 12/20 = 0.6
    assert overall.pooled_cohen_kappa == pytest.approx(0.6, abs=1e-12)
    # alpha: n = 16, n_1 = 3, n_0 = 13, disagreeing coincidences 2; 1 - 15*2/(2*3*13) = 48/78
    assert overall.pooled_alpha == pytest.approx(48 / 78, abs=1e-12)
    assert overall.pooled_percent_agreement == pytest.approx(87.5, abs=1e-12)
    assert "mean" in overall.pooled_method and "stacked" in overall.pooled_method


def test_hand_computed_domain_and_nominal_skip():
    records = [
        ("u1", "A", "a"), ("u1", "B", "a"),
        ("u2", "A", "b"), ("u2", "B", "a"),
        ("u3", "A", ""), ("u3", "B", ""),
        ("u4", "A", "a"), ("u4", "A", "b"), ("u4", "B", "a"),  # A applied two domain codes: skipped
        ("u5", "A", "z"), ("u5", "B", "a"),  # z is outside the domain: A's domain value is (none)
    ]
    report = compute_agreement(records, domains={"D": ["a", "b"]})
    (dom,) = report.domains
    assert dom.units == 4 and dom.units_skipped == 1
    # values on u1, u2, u3, u5: A = a, b, (none), (none) ; B = a, a, (none), a
    # n = 8; n_a = 4, n_b = 1, n_none = 3; disagreeing coincidences: u2 (a,b) 2, u5 (none,a) 2 -> 4
    # expected sum_{c != k} n_c n_k = 8^2 - (16 + 1 + 9) = 38; alpha = 1 - 7*4/38 = 10/38
    assert dom.krippendorff_alpha == pytest.approx(10 / 38, abs=1e-12)
    assert dom.percent_agreement == pytest.approx(50.0, abs=1e-12)
    assert dom.status == "ok"
    # the overall nominal alpha over code values needs at most one code per coder per unit
    assert report.krippendorff_alpha_nominal is None
    assert "u4" in report.nominal_note and "'A'" in report.nominal_note


def test_nominal_alpha_counts_no_code_as_a_category():
    # A = a, (none), a ; B = a, a, a. n = 6, n_a = 5, n_none = 1; disagreeing coincidences 2;
    # expected 2*5*1 = 10; alpha = 1 - 5*2/10 = 0  (not undefined: "(none)" is a category)
    records = [("1", "A", "a"), ("1", "B", "a"), ("2", "A", ""), ("2", "B", "a"), ("3", "A", "a"), ("3", "B", "a")]
    report = compute_agreement(records)
    assert report.krippendorff_alpha_nominal == pytest.approx(0.0, abs=1e-15)
    assert NONE_LABEL == "(none)"


def test_three_coders_no_kappa_but_alpha():
    records = [(u, c, "X" if (u, c) != ("3", "C") else "") for u in "123" for c in "ABC"]
    records += [("4", c, "") for c in "ABC"]
    report = compute_agreement(records)
    (x,) = report.codes
    assert x.cohen_kappa is None and report.overall.pooled_cohen_kappa is None
    # units 1,2: 1,1,1; unit 3: 1,1,0; unit 4: 0,0,0. n = 12, n_1 = 8, n_0 = 4.
    # unit 3 coincidences (m = 3): pairs (1,0) 2 + (0,1) 2 ordered, weight 1/2 -> 2 disagreeing.
    # alpha = 1 - 11*2/(2*8*4) = 1 - 22/64 = 42/64
    assert x.krippendorff_alpha == pytest.approx(42 / 64, abs=1e-12)
    # percent: units 1, 2, 4 all agree (1 each); unit 3: 1 agreeing pair of 3 -> (3 + 1/3) / 4
    assert x.percent_agreement == pytest.approx(100 * (10 / 3) / 4, abs=1e-12)


def test_unit_seen_by_one_coder_is_skipped():
    base = compute_agreement(_cohen_records())
    extra = compute_agreement(_cohen_records() + [("solo", "A", "yes"), ("solo2", "B", "")])
    assert extra.units == base.units == 50 and extra.units_single_coder == 2
    assert extra.codes[0].krippendorff_alpha == base.codes[0].krippendorff_alpha
    assert extra.codes[0].cohen_kappa == base.codes[0].cohen_kappa


def test_threshold_flags_are_exact_at_0_800():
    # 11 units: 3 both yes, 1 disagreement, 7 both no -> alpha = 1 - 21*2/(2*7*15) = 4/5 exactly
    records = []
    for i, (a, b) in enumerate([("X", "X")] * 3 + [("X", "")] + [("", "")] * 7):
        records += [(i, "A", a), (i, "B", b)]
    (x,) = compute_agreement(records).codes
    assert x.krippendorff_alpha == 0.8
    assert x.below_0_800 is False and x.below_0_667 is False


def test_always_used_code_and_filters():
    records = [("1", "A", "X"), ("1", "B", "X"), ("2", "A", "X"), ("2", "B", "X"), ("2", "C", "Q")]
    report = compute_agreement(records, codes=["X"], coders=["A", "B"])
    (x,) = report.codes
    assert x.status == "always used" and x.krippendorff_alpha is None and x.cohen_kappa is None
    assert x.percent_agreement == 100.0
    assert report.coders == ["A", "B"] and report.ignored_codes == []
    assert compute_agreement(records, codes=["X"]).ignored_codes == ["Q"]


def test_compute_agreement_errors():
    with pytest.raises(AgreementError, match="two coders"):
        compute_agreement([("1", "A", "X")])
    with pytest.raises(AgreementError, match="not analysed"):
        compute_agreement(_cohen_records(), codes=["yes"], domains={"D": ["yes", "other"]})


def test_report_to_dict_stable_shape():
    report = compute_agreement(_hand_records(), codes=["X", "Y"], domains={"D": ["X", "Y"]})
    data = report_to_dict(report)
    json.dumps(data, allow_nan=False)  # no NaN anywhere
    assert list(data) == [
        "coders", "units_total", "units", "units_single_coder", "codes",
        "krippendorff_alpha_nominal", "nominal_note", "domains", "overall", "ignored_codes",
        "headline", "headline_why", "single_label",
    ]
    assert data["headline"] == "single_label" and "at most one code per unit" in data["headline_why"]
    assert list(data["single_label"]) == [
        "units", "krippendorff_alpha", "percent_agreement", "kappa_name", "kappa", "kappa_units",
        "below_0_667", "below_0_800",
    ]
    assert list(data["codes"][0]) == [
        "code", "units", "percent_agreement", "cohen_kappa", "krippendorff_alpha",
        "status", "below_0_667", "below_0_800", "used",
    ]
    assert list(data["domains"][0]) == [
        "domain", "codes", "units", "units_skipped", "percent_agreement", "krippendorff_alpha",
        "status", "below_0_667", "below_0_800",
    ]
    assert list(data["overall"]) == [
        "pooled_method", "mean_code_alpha", "codes_in_mean", "pooled_alpha", "pooled_cohen_kappa",
        "pooled_percent_agreement", "decisions", "below_0_667", "below_0_800",
    ]
    assert data["coders"] == ["A", "B"]
    y = data["codes"][1]
    assert y["status"] == "never used" and y["cohen_kappa"] is None and y["krippendorff_alpha"] is None
    # full precision, no rounding
    assert data["codes"][0]["krippendorff_alpha"] == 16 / 30
    three = report_to_dict(compute_agreement([(u, c, "X") for u in "12" for c in "ABC"] + [("3", "A", ""), ("3", "B", "X")]))
    assert all(row["cohen_kappa"] is None for row in three["codes"])


# ---------------------------------------------------------------- CSV reading


def test_csv_header_case_insensitive_bom_and_extra_columns(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("\ufeffUnit, CODER ,Code,note\n1,A,X,hi\n1,B,,\n\n2,A,\"X\",\n2,B,X,\n", encoding="utf-8")
    records = read_codings_csv(path)
    assert [tuple(r) for r in records] == [("1", "A", "X"), ("1", "B", None), ("2", "A", "X"), ("2", "B", "X")]


def test_csv_missing_column_names_file_and_line(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("\nunit,coder,label\n1,A,X\n", encoding="utf-8")
    with pytest.raises(AgreementError) as info:
        read_codings_csv(path)
    assert f"{path}:2:" in str(info.value) and "code" in str(info.value)


def test_csv_empty_file(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(AgreementError, match="empty file") as info:
        read_codings_csv(path)
    assert str(path) in str(info.value)


def test_csv_not_utf8_names_line(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes("unit,coder,code\n1,A,X\n1,B,caf\u00e9\n".encode("latin-1"))
    with pytest.raises(AgreementError, match="UTF-8") as info:
        read_codings_csv(path)
    assert f"{path}:3" in str(info.value)


def test_csv_fewer_than_two_coders(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("unit,coder,code\n1,A,X\n2,A,\n", encoding="utf-8")
    with pytest.raises(AgreementError, match="two coders") as info:
        read_codings_csv(path)
    assert str(path) in str(info.value)


def test_csv_empty_coder_and_too_many_fields(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("unit,coder,code\n1,A,X\n1,,X\n", encoding="utf-8")
    with pytest.raises(AgreementError, match="empty coder") as info:
        read_codings_csv(path)
    assert f"{path}:3" in str(info.value)
    path.write_text("unit,coder,code\n1,A,X\n1,B,X,Y\n", encoding="utf-8")
    with pytest.raises(AgreementError, match="fields") as info:
        read_codings_csv(path)
    assert f"{path}:3" in str(info.value)


def test_no_nan_anywhere_for_degenerate_input():
    report = compute_agreement([("1", "A", ""), ("1", "B", "")], codes=["X"], domains={"D": ["X"]})
    data = report_to_dict(report)
    for value in (data["codes"][0]["krippendorff_alpha"], data["overall"]["pooled_alpha"], data["domains"][0]["krippendorff_alpha"]):
        assert value is None or not math.isnan(value)
    assert data["domains"][0]["status"] == "never used"
    assert data["overall"]["mean_code_alpha"] is None
