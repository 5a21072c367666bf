from __future__ import annotations

import sys
from pathlib import Path

import pytest

try:  # the package is normally installed (pip install -e .); fall back to the checkout
    import qualcode  # noqa: F401
except ImportError:  # pragma: no cover
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from qualcode.analysis.quote_table import DomainBlock, Quote, QuoteTable, SubthemeRow  # noqa: E402


@pytest.fixture
def table() -> QuoteTable:
    """Two domains of Table 3 of the working-alliance paper, plus an empty subtheme."""
    return QuoteTable(
        title="Table 3",
        subtitle="Young person's views",
        domains=[
            DomainBlock("bond", "Bond", [
                SubthemeRow("bond.env", "Conducive environment", [
                    Quote("Privacy is very important.", "Respondent D3", participant="D3",
                          group="young", transcript="yp-D3", start=10, end=36, exemplar=True),
                ]),
                SubthemeRow("bond.regular", "Regular engagements", [
                    Quote("I think keeping in touch and meeting face to face, even monthly.",
                          "Respondent V1", participant="V1", group="young", transcript="yp-V1",
                          start=5, end=70),
                    Quote("Regular communication...", "Respondent V3", participant="V3",
                          group="young", transcript="yp-V3", start=0, end=24, suggested=True),
                ]),
                SubthemeRow("bond.conf", "Confidentiality", []),
            ]),
            DomainBlock("goals", "Goals", [
                SubthemeRow("goals.decision", "Decision on treatment goals", [
                    Quote("I was involved one hundred percent.", "Respondent D3", participant="D3",
                          group="young", transcript="yp-D3", start=200, end=235),
                ]),
            ]),
        ],
    )
