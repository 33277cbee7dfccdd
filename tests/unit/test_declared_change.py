"""A target's record never starts before a process change the catalogue declares.

Neighbourhood officers were 322 to 338 every month before the declared April 2025 uplift
and 363 to 380 every month since, against at least 360. In 2026/27 Q1 alone the chart
found no stable reference period, so it signalled no shift, and the record had counted
from April 2020: "met, but not reliably: met in 15 of 75 months", Amber between two
Green quarters, which the Delivery Board then counted as progress.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from pcplib.assessment.measures import summarise_measures
from pcplib.assessment.target_record import date_declared_change

MONTHS = pd.date_range("2020-04-01", "2026-06-01", freq="MS")


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("2025-04-01", "2025-04"),
        ("2022-01-01; 2025-04-01", "2025-04"),
        ("2025-04-01;2022-01-01", "2025-04"),
        # After the latest period, or at (or before) the first: no split of the series.
        ("2026-07-01", ""),
        ("2020-04-01", ""),
        ("2022-01-01;2026-09-01", "2022-01"),
        ("", ""),
        (None, ""),
        # An unreadable cell is for validation to report; the record is not moved on it.
        ("April 2025", ""),
    ],
)
def test_date_declared_change_is_the_latest_declared_date_inside_the_series(
    declared: Any, expected: str
) -> None:
    assert date_declared_change({"spc_recalculate_from": declared}, MONTHS) == expected


def test_date_declared_change_of_an_empty_series_is_empty() -> None:
    assert date_declared_change({"spc_recalculate_from": "2025-04-01"}, MONTHS[:0]) == ""


def test_a_quarter_with_no_stable_chart_counts_its_record_from_the_declared_uplift(
    sample: Any,
) -> None:
    rows = summarise_measures(sample, "neighbourhood-policing", "2026-06")
    officers = rows.set_index("measure_id").loc["np-officers"]
    # The chart gives no verdict in this quarter: the declared change alone starts it.
    assert officers["spc_limits_from"] == ""
    assert officers["target_record"] == "consistently met: every month (15 of 15) since April 2025"
    assert officers["rag"] == "Green"
    assert "not reliably" not in officers["sentence"]
    assert "of 75 months" not in officers["rag_reason"]
