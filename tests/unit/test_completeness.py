"""Judgements know their completeness: every window says how many of its periods it holds.

A quarter, year ending or baseline with a missing month says so ("2 of 3 months;
missing 2026-08"), an average is compared only over the same months in both windows,
and ``judgements.csv`` carries the completeness of each window.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pcplib.assessment.figures import (
    align_windows,
    compute_figures,
    compute_window,
    describe_completeness,
    hold_same_months,
    name_periods,
)
from pcplib.assessment.judgements import JUDGEMENT_COLUMNS, tabulate_judgements
from pcplib.assessment.strategy import summarise_strategy
from pcplib.data import load_dataset
from pcplib.periods import month_number

SEP_2026 = month_number("2026-09")
JUL_2026 = month_number("2026-07")


def monthly_rows(first: str, values: Sequence[float | None]) -> pd.DataFrame:
    """Observations of a monthly measure from ``first`` (``YYYY-MM``), None for a gap."""
    starts = pd.date_range(f"{first}-01", periods=len(values), freq="MS")
    return pd.DataFrame(
        {
            "period_start": starts,
            "period_end": starts + pd.offsets.MonthEnd(0),
            "value": [np.nan if v is None else float(v) for v in values],
        }
    )


def quarter_2026(values: Sequence[float | None]) -> pd.DataFrame:
    """July to September 2025 at 10, 20, 30 and July to September 2026 as given."""
    return pd.concat(
        [monthly_rows("2025-07", [10, 20, 30]), monthly_rows("2026-07", values)],
        ignore_index=True,
    )


def test_compute_window_names_its_missing_months():
    w = compute_window(quarter_2026([1, None, 3]), JUL_2026, SEP_2026, "monthly", "mean", "Q2")
    assert w.periods == (JUL_2026, JUL_2026 + 2)
    assert w.missing == (JUL_2026 + 1,)
    assert w.skipped == ()


def test_compute_window_leaves_out_the_months_it_is_told_to_skip():
    rows = quarter_2026([1, 2, 3])
    w = compute_window(rows, JUL_2026, SEP_2026, "monthly", "mean", "Q2", skip=[JUL_2026 + 1])
    assert (w.value, w.present, w.skipped, w.missing) == (2.0, 2, (JUL_2026 + 1,), ())


def test_name_periods_names_months_quarters_and_years_in_order():
    may, april = month_number("2024-05"), month_number("2024-04")
    assert name_periods([may, april], "monthly") == "2024-04, 2024-05"
    assert name_periods([april], "quarterly") == "2024/25 Q1"
    assert name_periods([april], "annual") == "2024/25"


def test_describe_completeness_of_a_complete_window():
    w = compute_window(quarter_2026([1, 2, 3]), JUL_2026, SEP_2026, "monthly", "sum", "Q2")
    assert describe_completeness(w, "monthly") == "3 of 3 months"


def test_describe_completeness_names_each_missing_month():
    w = compute_window(quarter_2026([1, None, None]), JUL_2026, SEP_2026, "monthly", "sum", "Q2")
    assert describe_completeness(w, "monthly") == "1 of 3 months; missing 2026-08, 2026-09"
    assert describe_completeness(None, "monthly") == ""


def test_describe_completeness_of_quarters_names_the_quarter():
    starts = pd.DatetimeIndex(["2025-10-01", "2026-04-01", "2026-07-01"])
    rows = pd.DataFrame(
        {"period_start": starts, "period_end": starts + pd.offsets.MonthEnd(3), "value": 1.0}
    )
    w = compute_window(rows, month_number("2025-10"), SEP_2026, "quarterly", "sum", "year")
    assert describe_completeness(w, "quarterly") == "3 of 4 quarters; missing 2025/26 Q4"


def test_hold_same_months_only_asks_it_of_an_average():
    rows = quarter_2026([1, None, 3])
    now = compute_window(rows, JUL_2026, SEP_2026, "monthly", "mean", "Q2")
    before = compute_window(rows, JUL_2026 - 12, SEP_2026 - 12, "monthly", "mean", "Q2")
    assert not hold_same_months(before, now, "mean")
    assert hold_same_months(before, now, "sum") and hold_same_months(before, now, "last")


def test_align_windows_compares_an_average_over_the_same_months():
    rows = quarter_2026([1, None, 3])
    now = compute_window(rows, JUL_2026, SEP_2026, "monthly", "mean", "Q2")
    before = compute_window(rows, JUL_2026 - 12, SEP_2026 - 12, "monthly", "mean", "Q2")
    before, now = align_windows(before, now, rows, "monthly", "mean")
    # August is missing this year, so last year's August is left out too: (10 + 30) / 2.
    assert (before.value, now.value) == (20.0, 2.0)
    assert before.skipped == (JUL_2026 - 11,) and now.skipped == ()
    shown = describe_completeness(before, "monthly")
    assert shown == "3 of 3 months; like for like without 2025-08"


def test_align_windows_leaves_alike_windows_unchanged():
    rows = quarter_2026([1, 2, 3])
    now = compute_window(rows, JUL_2026, SEP_2026, "monthly", "mean", "Q2")
    before = compute_window(rows, JUL_2026 - 12, SEP_2026 - 12, "monthly", "mean", "Q2")
    assert align_windows(before, now, rows, "monthly", "mean") == (before, now)


def test_align_windows_keeps_a_first_figure_with_nothing_a_year_before():
    # A new measure's first quarter (one return, no figure a year earlier) keeps its figure.
    rows = monthly_rows("2026-07", [82.5, None, None])
    now = compute_window(rows, JUL_2026, SEP_2026, "monthly", "mean", "Q2")
    before = compute_window(rows, JUL_2026 - 12, SEP_2026 - 12, "monthly", "mean", "Q2")
    assert align_windows(before, now, rows, "monthly", "mean") == (before, now)
    assert now.value == 82.5 and before.value is None


def test_compute_figures_shows_a_quarterly_averages_first_return():
    rows = pd.DataFrame(
        {
            "period_start": pd.to_datetime(["2026-07-01"]),
            "period_end": pd.to_datetime(["2026-09-30"]),
            "value": [82.5],
        }
    )
    measure = {"frequency": "quarterly", "aggregation": "mean", "baseline_year": "2026/27"}
    f = compute_figures(rows, measure, SEP_2026)
    assert (f.current.value, f.last_year.value, f.year_ending.value) == (82.5, None, 82.5)


def test_compute_figures_compares_an_incomplete_average_like_for_like():
    values: list[float | None] = [10.0] * 27 + [30.0, None, 30.0]  # April 2024 to Sept 2026
    values[15:18] = [30.0, 5.0, 30.0]  # July to September 2025: August was low
    rows = monthly_rows("2024-04", values)
    measure = {"frequency": "monthly", "aggregation": "mean", "baseline_year": "2024/25"}
    f = compute_figures(rows, measure, SEP_2026)
    # Without August 2025 the two quarters are alike (30 and 30), not 30 against 21.7.
    assert (f.last_year.value, f.current.value) == (30.0, 30.0)
    assert f.year_ending.missing == (month_number("2026-08"),)
    assert f.previous_year.skipped == (month_number("2025-08"),)


def test_compute_figures_gives_no_total_for_an_incomplete_quarter():
    rows = monthly_rows("2024-04", [10.0] * 28 + [None, 10.0])
    measure = {"frequency": "monthly", "aggregation": "sum", "baseline_year": "2024/25"}
    f = compute_figures(rows, measure, SEP_2026)
    assert f.current.value is None and f.year_ending.value is None
    assert describe_completeness(f.current, "monthly") == "2 of 3 months; missing 2026-08"
    assert f.last_year.value == 30.0 and f.last_year.skipped == ()


# --- the measure's row and judgements.csv ----------------------------------------------


@pytest.fixture(scope="module")
def gapped(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The sample's judgements with August 2026 missing from a total and an average,
    and May 2024 (in the baseline year) missing from the average."""
    root = tmp_path_factory.mktemp("gapped") / "data"
    shutil.copytree(data_dir, root, ignore=shutil.ignore_patterns("reference", "README.md"))
    path = root / "observations" / "observations.csv"
    obs = pd.read_csv(path, dtype=str, keep_default_na=False)
    month = obs["period_start"].str[:7]
    gone = obs["measure_id"].isin(["nc-total-crime", "nc-burglary-rate"]) & (month == "2026-08")
    gone |= (obs["measure_id"] == "nc-burglary-rate") & (month == "2024-05")
    obs.loc[gone, "value"] = ""
    obs.to_csv(path, index=False, lineterminator="\n")
    dataset = load_dataset(root)
    summary = summarise_strategy(dataset, "neighbourhood-crime", "2026-09")
    return tabulate_judgements([summary], "neighbourhood-crime").set_index("measure_id")


def test_judgements_carry_each_windows_completeness(gapped):
    assert {"completeness", "comparison_completeness", "year_ending_completeness"} <= set(
        JUDGEMENT_COLUMNS
    )
    total = gapped.loc["nc-total-crime"]
    assert total["completeness"] == "2 of 3 months; missing 2026-08"
    assert total["comparison_completeness"] == "3 of 3 months"
    assert total["year_ending_completeness"] == "11 of 12 months; missing 2026-08"
    assert total["judgement"] == "not measurable"
    assert total["rag"] == "Grey"
    assert total["rag_reason"].endswith("(2 of 3 months; missing 2026-08)")
    complete = gapped.loc["nc-vehicle-crime"]
    assert complete["completeness"] == "3 of 3 months"
    assert complete["baseline_completeness"] == "12 of 12 months"


def test_judgements_compare_an_incomplete_average_like_for_like(gapped):
    rate = gapped.loc["nc-burglary-rate"]
    assert rate["completeness"] == "2 of 3 months; missing 2026-08"
    assert rate["comparison_completeness"] == "3 of 3 months; like for like without 2025-08"
    assert rate["judgement"] != "not measurable"
    # The baseline lacks May and the year ending August: not the same months, no change.
    assert rate["baseline_completeness"] == "11 of 12 months; missing 2024-05"
    assert rate["since_baseline_judgement"] == "not measurable"
