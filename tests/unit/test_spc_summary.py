"""The SPC summary table: variation and assurance per measure, in words with their meaning."""

from __future__ import annotations

from html import unescape

import pandas as pd

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
