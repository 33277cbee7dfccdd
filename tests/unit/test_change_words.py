"""The words a change of rating is told in: what the chart shows, and what chance allows.

Review 9 (R9-17): a concern from a run or trend the tests do not confirm was told to the
Delivery Board as "outside its chart's usual range", the words of a point beyond the
limits, which that rule by definition has not.
"""

from __future__ import annotations

from typing import Any

import pytest

from pcplib.assessment.change_evidence import describe_rating_evidence
from pcplib.assessment.strategy import summarise_strategy

_UNCONFIRMED = {
    "rag": "Amber", "rag_basis": "evidence", "rag_rule": "harm_spc_unconfirmed",
    "good_direction": "lower", "unit": "count", "current_label": "2026/27 Q2",
    "current": 6568.0, "last_year_label": "2025/26 Q2", "last_year": 6749.0,
}  # fmt: skip


def test_an_unconfirmed_run_is_never_outside_its_charts_usual_range() -> None:
    row = _UNCONFIRMED | {"spc_signal": "a run of months above its chart's centre line"}
    assert describe_rating_evidence(row) == (
        "no target; 2026/27 Q2 6,568 against 6,749 in 2025/26 Q2, a run of months above its "
        "chart's centre line (no point outside the limits), which the tests of change do "
        "not confirm"
    )
    # Without the chart's words (an older row), still never a point outside the limits.
    words = describe_rating_evidence(_UNCONFIRMED)
    assert "usual range" not in words and "(no point outside the limits)" in words
    # A real concern with a point beyond the limits keeps the stronger words.
    beyond: dict[str, Any] = _UNCONFIRMED | {
        "rag": "Red", "rag_rule": "harm_spc", "spc_signal": "a month outside its chart's limits",
    }  # fmt: skip
    assert describe_rating_evidence(beyond).endswith("outside its chart's usual range, a real rise")


@pytest.mark.parametrize(
    ("strategy", "measure", "shape"),
    [
        ("rural-crime", "rural-offences", "a run of months above its chart's centre line"),
        (
            "business-crime",
            "bc-shoplifting",
            "two of three months close to its chart's upper limit",
        ),
    ],
)
def test_the_sample_run_only_concerns_say_what_the_chart_shows(
    sample: Any, strategy: str, measure: str, shape: str
) -> None:
    rows = summarise_strategy(sample, strategy, "2026-09", "board").measures
    row = rows.set_index("measure_id").loc[measure].to_dict()
    assert row["rag_rule"] == "harm_spc_unconfirmed"
    assert row["spc_signal"] == shape
    words = describe_rating_evidence(row)
    assert f"{shape} (no point outside the limits)" in words
    assert "usual range" not in words
