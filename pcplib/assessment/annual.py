"""The annual evaluation: each public measure's year against its baseline year.

With a test of change that fits the measure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from pcplib import metrics, periods
from pcplib.data import FREQUENCY_MONTHS as _FREQ_MONTHS

if TYPE_CHECKING:
    from pcplib.data import Dataset
from pcplib.assessment.measures import (
    aggregation_of,
    has_previous_definition,
    mean_value,
    rows_in_period,
)
from pcplib.assessment.scope import get_series, measures_for_audience


def evaluate_year(dataset: Dataset, year: str) -> pd.DataFrame:
    """Compare every public measure's year with its baseline year, with a test of change.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    year : str
        The financial year evaluated, such as ``"2025/26"``.

    Returns
    -------
    pandas.DataFrame
        One row per public measure: ``strategy_name``, ``measure_name``, ``unit``,
        ``baseline_year``, ``aggregation``, ``baseline``, ``current`` (the year's
        total for a sum measure, its average per period for a mean measure),
        ``change``, ``arrow``, ``judgement``, ``test`` (the kind of test, or why
        there is none), ``verdict`` and ``finding`` (a sentence with
        the change, its confidence interval and the verdict).
    """
    from pcplib import stats

    start, stop = periods.parse_financial_year(year)
    names = dataset.strategies.set_index("strategy_id")["strategy_name"]
    rows = []
    for m in measures_for_audience(dataset, audience="public").to_dict("records"):
        series = get_series(dataset, m["measure_id"])
        current_def = series[series["definition"] == "current"]
        base_year = str(m.get("baseline_year") or "")
        row = {
            "strategy_name": names.get(m["strategy_id"], m["strategy_id"]),
            "measure_name": m["measure_name"],
            "unit": m["unit"],
            "baseline_year": base_year,
            "aggregation": aggregation_of(m),
        }
        this = rows_in_period(current_def, start, stop)
        if base_year:
            b_start, b_stop = periods.parse_financial_year(base_year)
            base = rows_in_period(current_def, b_start, b_stop)
        else:
            base = current_def.iloc[0:0]
        this_v, base_v = this.dropna(subset=["value"]), base.dropna(subset=["value"])
        is_sum = aggregation_of(m) == "sum"
        months = _FREQ_MONTHS[str(m["frequency"])]
        expected = 12 // months
        incomplete = is_sum and (len(this_v) < expected or len(base_v) < expected)
        if is_sum:
            # A year's total needs every period: a missing month would make it look low.
            current = float(this_v["value"].sum()) if len(this_v) == expected else None
            baseline = float(base_v["value"].sum()) if len(base_v) == expected else None
        else:
            current = mean_value(this_v)
            baseline = mean_value(base_v)
        change = metrics.summarise_change(baseline, current, m["unit"], m["good_direction"])
        test, verdict, finding = "none", "", ""
        if base_year == year:
            test, finding = "none", f"{year} is this measure's baseline year."
        elif base_year and base_v.empty and has_previous_definition(series, b_start, b_stop):
            test, finding = (
                "none",
                f"Not measurable: the baseline year's figures ({base_year}) were recorded "
                "under the previous definition, so they are not compared with current ones.",
            )
        elif incomplete:
            test, finding = (
                "none",
                "Not measurable: a year's total needs every period, and one of the two years "
                "has periods missing.",
            )
        elif current is None or baseline is None:
            test, finding = "none", "Not measurable: no figures for one of the two years."
        elif is_sum and m["unit"] != "count":
            test = "none"
            finding = (
                f"Change {change.text} ({change.judgement}); no test: an amount, not a count "
                "of events, so a test for counts does not apply."
            )
        elif is_sum and is_whole(this_v["value"]) and is_whole(base_v["value"]):
            result = stats.compare_counts(
                int(round(baseline)),
                int(round(current)),
                exposure1=len(base_v) * months,
                exposure2=len(this_v) * months,
            )
            test, verdict, finding = (
                "counts (Poisson rate ratio)",
                result.verdict,
                result.describe(),
            )
        elif (
            m["unit"] == "percent"
            and this_v["numerator"].notna().all()
            and this_v["denominator"].notna().all()
            and base_v["numerator"].notna().all()
            and base_v["denominator"].notna().all()
        ):
            x1, n1 = float(base_v["numerator"].sum()), float(base_v["denominator"].sum())
            x2, n2 = float(this_v["numerator"].sum()), float(this_v["denominator"].sum())
            result = stats.compare_proportions(x1, n1, x2, n2)
            interval = stats.wilson_interval(x2, n2)
            test, verdict = "two proportions", result.verdict
            finding = f"{result.describe()} {year}: {interval.describe()}."
        elif is_sum:
            test = "none"
            finding = (
                f"Change {change.text} ({change.judgement}); no test: the figures are not "
                "whole counts of events."
            )
        else:
            test = "none"
            finding = (
                f"Change {change.text} ({change.judgement}); no test: a level, not a count "
                "of events"
                + (
                    ", and no numerator and denominator to test it as a proportion."
                    if m["unit"] == "percent"
                    else "."
                )
            )
        rows.append(
            {
                **row,
                "baseline": baseline,
                "current": current,
                "change": change.text,
                "arrow": change.arrow,
                "judgement": change.judgement,
                "test": test,
                "verdict": verdict,
                "finding": finding,
            }
        )
    columns = [
        "strategy_name", "measure_name", "unit", "baseline_year", "aggregation", "baseline",
        "current", "change", "arrow", "judgement", "test", "verdict", "finding",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def is_whole(values: pd.Series) -> bool:
    """Whether every value in a series is a whole number."""
    return bool(((values - values.round()).abs() < 1e-9).all())
