from __future__ import annotations

import pandas as pd
import pytest

from qualcode.analysis.cooccurrence import cooccurrence
from qualcode.analysis.frequencies import codes_by_participants, framework_matrix, frequencies


@pytest.fixture
def participants() -> pd.DataFrame:
    return pd.DataFrame([
        ("young/D1", "young", "client", "F"),
        ("young/D2", "young", "client", "M"),
        ("young/D3", "young", "client", "F"),  # never coded
        ("lay/C1", "lay", "counsellor", "F"),
        ("lay/C2", "lay", "counsellor", "M"),  # never coded
    ], columns=["participant", "group", "role", "gender"])


@pytest.fixture
def codings() -> pd.DataFrame:
    rows = [
        ("yp-D1:1", "bond", "young/D1", "young", "yp-D1", 0, 40),
        ("yp-D1:1", "goals", "young/D1", "young", "yp-D1", 0, 40),
        ("yp-D1:2", "bond", "young/D1", "young", "yp-D1", 50, 90),
        ("yp-D2:1", "bond", "young/D2", "young", "yp-D2", 0, 30),
        ("yp-D2:1", "tasks", "young/D2", "young", "yp-D2", 0, 30),
        ("lc-C1:1", "goals", "lay/C1", "lay", "lc-C1", 10, 20),
        ("lc-C1:2", "bond", "lay/C1", "lay", "lc-C1", 30, 60),
        ("lc-C1:2", "bond", "lay/C1", "lay", "lc-C1", 30, 60),  # a second coder: same segment
        ("lc-C1:2", "goals", "lay/C1", "lay", "lc-C1", 30, 60),
    ]
    return pd.DataFrame(rows, columns=["segment", "code", "participant", "group",
                                       "transcript", "start", "end"])


def _as_dict(result: pd.DataFrame, by: str) -> dict:
    return {(r["code"], r[by]): (r["segments"], r["participants"], r["participants_total"],
                                 r["percent_participants"]) for _, r in result.iterrows()}


def test_frequencies_by_group_hand_computed(codings, participants):
    result = frequencies(codings, participants, by="group")
    assert list(result.columns) == ["code", "group", "segments", "participants",
                                    "participants_total", "percent_participants"]
    assert _as_dict(result, "group") == {
        ("bond", "lay"): (1, 1, 2, 50.0),
        ("bond", "young"): (3, 2, 3, 66.7),
        ("goals", "lay"): (2, 1, 2, 50.0),
        ("goals", "young"): (1, 1, 3, 33.3),
        ("tasks", "lay"): (0, 0, 2, 0.0),  # zero rows are reported, not dropped
        ("tasks", "young"): (1, 1, 3, 33.3),
    }


def test_frequencies_by_attribute_and_overall(codings, participants):
    by_gender = _as_dict(frequencies(codings, participants, by="gender"), "gender")
    assert by_gender[("bond", "F")] == (3, 2, 3, 66.7)
    assert by_gender[("bond", "M")] == (1, 1, 2, 50.0)
    overall = frequencies(codings, participants, by=None)
    assert list(overall.columns) == ["code", "segments", "participants", "participants_total",
                                     "percent_participants"]
    assert overall.set_index("code").loc["bond"].tolist() == [4, 3, 5, 60.0]


def test_frequencies_code_order_and_unused_codes(codings, participants):
    result = frequencies(codings, participants, by="role", codes=["tasks", "bond", "unused"])
    assert result["code"].tolist() == ["tasks", "tasks", "bond", "bond", "unused", "unused"]
    unused = result[result["code"] == "unused"]
    assert unused["segments"].tolist() == [0, 0]


def test_frequencies_unknown_column_names_the_available_ones(codings, participants):
    with pytest.raises(ValueError) as info:
        frequencies(codings, participants, by="age")
    message = str(info.value)
    assert "'age'" in message
    for column in ("group", "role", "gender"):
        assert column in message


def test_participant_missing_from_roster_is_counted(codings, participants):
    extra = pd.concat([codings, pd.DataFrame([{"segment": "x:1", "code": "bond",
                                               "participant": "young/D9", "group": "young"}])])
    result = _as_dict(frequencies(extra, participants, by="group"), "group")
    assert result[("bond", "young")] == (4, 3, 4, 75.0)


def test_cooccurrence_counts_and_c_coefficient(codings):
    counts, c = cooccurrence(codings)
    assert list(counts.index) == ["bond", "goals", "tasks"]
    assert counts.loc["bond", "bond"] == 4
    assert counts.loc["goals", "goals"] == 3
    assert counts.loc["tasks", "tasks"] == 1
    assert counts.loc["bond", "goals"] == counts.loc["goals", "bond"] == 2
    assert counts.loc["bond", "tasks"] == 1
    assert counts.loc["goals", "tasks"] == 0
    assert c.loc["bond", "goals"] == pytest.approx(2 / (4 + 3 - 2))
    assert c.loc["bond", "tasks"] == pytest.approx(1 / (4 + 1 - 1))
    assert c.loc["goals", "tasks"] == 0
    assert c.loc["bond", "bond"] == 1


def test_cooccurrence_with_an_unused_code(codings):
    counts, c = cooccurrence(codings, codes=["goals", "bond", "never"])
    assert list(c.columns) == ["goals", "bond", "never"]
    assert counts.loc["never"].tolist() == [0, 0, 0]
    assert c.loc["never"].tolist() == [0.0, 0.0, 0.0]


def test_codes_by_participants(codings, participants):
    counts = codes_by_participants(codings, participants)
    assert list(counts.index) == ["young/D1", "young/D2", "young/D3", "lay/C1", "lay/C2"]
    assert counts.loc["young/D1"].tolist() == [2, 1, 0]
    assert counts.loc["lay/C1"].tolist() == [1, 2, 0]


def test_framework_matrix_summaries_and_references(codings, participants):
    matrix = framework_matrix(codings, participants, {("young/D1", "bond"): "Feels heard."},
                              codes=["bond", "goals"])
    assert list(matrix.index) == [("young", "young/D1"), ("young", "young/D2"),
                                  ("young", "young/D3"), ("lay", "lay/C1"), ("lay", "lay/C2")]
    assert matrix.loc[("young", "young/D1"), "bond"] == "Feels heard.\n[yp-D1 0-40] [yp-D1 50-90]"
    assert matrix.loc[("lay", "lay/C1"), "bond"] == "[lc-C1 30-60]"
    assert matrix.loc[("young", "young/D3"), "goals"] == ""
    capped = framework_matrix(codings, participants, codes=["bond"], max_refs=1)
    assert capped.loc[("young", "young/D1"), "bond"] == "[yp-D1 0-40] +1 more"
