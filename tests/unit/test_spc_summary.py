"""The SPC summary table: variation and assurance per measure, in words with their meaning."""

from __future__ import annotations

from html import unescape

import pandas as pd

from pcplib.data import Dataset
from pcplib.report.spc_summary import ASSURANCE_MEANINGS, VARIATION_MEANINGS, format_spc_summary


def _measures() -> pd.DataFrame:
    return pd.DataFrame(
        {"measure_name": ["Sub one", "Head <one>", "Head two"],
         "tier": ["sub", "headline", "headline"],
         "spc_status": ["assessed", "assessed", "unstable baseline"],
         "spc_variation": ["special_cause_concern", "common_cause", None],
         "spc_assurance": [None, "consistent_fail", None], "target": [None, 10.0, None]}
    )  # fmt: skip


def test_each_measure_gets_its_variation_and_assurance_with_the_meaning() -> None:
    page = format_spc_summary(_measures(), "Example: SPC summary")
    assert "Example: SPC summary" in page and "Head &lt;one&gt;" in page
    # Headline measures come first, a sub-measure says so.
    assert page.index("Head &lt;one&gt;") < page.index("Head two") < page.index("Sub one")
    assert "Sub one (sub-measure)" in page
    assert "Signal of concern: a real change for the worse" in page
    assert VARIATION_MEANINGS["special_cause_concern"] in page
    assert VARIATION_MEANINGS["common_cause"] in page
    assert "Target consistently missed" in page and ASSURANCE_MEANINGS["consistent_fail"] in page
    # No verdict, no meaning: an unstable baseline says so and nothing more.
    assert "No SPC verdict: no stable reference period to set the chart's limits" in unescape(page)
    assert page.count('class="small"') == 3
    assert "No target" in page


def test_no_measures_says_so() -> None:
    assert format_spc_summary(_measures().iloc[:0], "x") == "<p>No measures to summarise.</p>"


def test_a_concern_in_reports_to_action_fraud_is_told_as_more_reports() -> None:
    # Review 20, R20-4: "Signal of concern: a real change for the worse / Something has
    # changed for the worse: find the cause and act on it." for reports to Action Fraud,
    # which the "But:" and the sentence say may be more reporting. One flag
    # (caveats.is_rise_in_reports) words the heading and the meaning.
    rows = pd.DataFrame(
        {"measure_name": ["Cyber reports", "Robbery"], "tier": ["sub", "sub"],
         "spc_status": ["assessed", "assessed"],
         "spc_variation": ["special_cause_concern", "special_cause_concern"],
         "spc_assurance": [None, None], "target": [None, None],
         "source": ["Action Fraud (National Fraud Intelligence Bureau)",
                    "Police recorded crime"],
         "good_direction": ["lower", "lower"]}
    )  # fmt: skip
    page = unescape(format_spc_summary(rows, "x"))
    cyber, robbery = page.split('<th scope="row">')[1:]
    assert "Signal of concern: more reports than usual, which may be more reporting" in cyber
    assert "more crime or more reporting before acting" in cyber
    assert "find the cause and act on it" not in cyber and "for the worse" not in cyber
    # Recorded crime, and the code's own phrases elsewhere, are as before.
    assert "Signal of concern: a real change for the worse" in robbery
    assert VARIATION_MEANINGS["special_cause_concern"] in robbery


def test_the_business_crime_report_tells_the_cyber_rise_as_more_reports(sample: Dataset) -> None:
    # The sample's cyber reports are Red for a real rise with a signal of concern: the SPC
    # summary and the longer view's SPC cell carry the caveat (review 20, R20-4).
    from pcplib.assessment.strategy import summarise_strategy
    from pcplib.report.measures import format_measures_detail

    for audience in ("board", "public"):
        measures = summarise_strategy(sample, "business-crime", "2026-09", audience).measures
        cyber = measures[measures["measure_id"] == "bc-business-cyber"]
        heading = "Signal of concern: more reports than usual, which may be more reporting"
        assert heading in unescape(format_spc_summary(cyber, "x")), audience
        assert heading in unescape(format_measures_detail(cyber, "x")), audience
