"""The annual evaluation: each public measure's year against its baseline year.

With a test of change that fits the measure: exact conditional tests for counts of
events, two proportions on the sample of the period each figure describes, and no test
(with the reason) for continuous quantities and levels.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import periods
from pcplib.assessment.figures import Window, compute_window, month_number
from pcplib.assessment.measures import aggregation_of, has_previous_definition, judge_like_for_like
from pcplib.assessment.scope import get_series, measures_for_audience

if TYPE_CHECKING:
    from pcplib.data import Dataset


CONTINUOUS_UNITS = ("gbp", "kwh", "tonnes", "hours", "days", "score", "rate_per_1000")


def _year_window(current_def: pd.DataFrame, measure: Mapping[str, Any], year: str) -> Window:
    start, _ = periods.parse_financial_year(year)
    first = month_number(start)
    return compute_window(
        current_def, first, first + 11, str(measure["frequency"]), aggregation_of(measure), year
    )


def _no_test_reason(measure: Mapping[str, Any]) -> str:
    unit, aggregation = str(measure["unit"]), aggregation_of(measure)
    if unit in CONTINUOUS_UNITS:
        words = {
            "gbp": "an amount of money", "kwh": "a quantity of energy (kWh)",
            "tonnes": "a quantity (tonnes)", "hours": "a quantity of time (hours)",
            "days": "a duration (days)", "score": "a score", "rate_per_1000": "a rate",
        }[unit]  # fmt: skip
        return (
            f"no test: {words} is a continuous quantity, not a count of events or a share "
            "of a sample, so no test of chance applies"
        )
    if unit == "percent":
        return "no test: a percentage with no numerator and denominator to test it as a proportion"
    if aggregation == "last":
        return "no test: a level at the year end (a stock), not a count of events in the year"
    if aggregation == "mean":
        return "no test: an average level, not a count of events"
    return "no test: the figures are not whole counts of events"


def evaluate_year(dataset: Dataset, year: str) -> pd.DataFrame:
    """Compare every public measure's year with its baseline year, with a test that fits.

    The year's figure follows the measure's ``aggregation`` as every other comparison
    does (:mod:`pcplib.assessment.figures`): the total of a count, the average of a
    level, the year-end figure of a stock or rolling measure. The test fits the data:

    - counts of events (``sum`` of whole ``count`` figures): the exact conditional test
      of two Poisson counts on the two years' totals;
    - percentages with a numerator and denominator: two proportions, on the samples of
      the period each figure describes (for ``last`` measures the year-end period's
      sample only, never rolling samples added up), and the figure shown is that
      proportion, so the change and the test use the same numbers;
    - continuous quantities (money, kWh, tonnes, hours, days, scores, rates) and other
      levels: the change with no test, and a sentence saying why.

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
        ``baseline_year``, ``aggregation``, ``baseline``, ``current``, ``change``,
        ``arrow``, ``judgement``, ``test`` (the kind of test, or ``none``),
        ``verdict`` and ``finding`` (a sentence with the change, its interval and the
        verdict, or why there is no test).
    """
    from pcplib import stats

    names = dataset.strategies.set_index("strategy_id")["strategy_name"]
    rows = []
    for m in measures_for_audience(dataset, audience="public").to_dict("records"):
        series = get_series(dataset, m["measure_id"])
        current_def = series[series["definition"] == "current"]
        base_year = str(m.get("baseline_year") or "")
        aggregation = aggregation_of(m)
        unit, good = str(m["unit"]), str(m["good_direction"])
        this = _year_window(current_def, m, year)
        base = _year_window(current_def, m, base_year) if base_year else None
        current = this.value
        baseline = base.value if base is not None else None
        proportions = (
            unit == "percent"
            and base is not None
            and this.numerator is not None
            and base.numerator is not None
            and bool(this.denominator)
            and bool(base.denominator)
        )
        if proportions:
            # The figure shown is the proportion the test compares, from the same numbers.
            current = 100 * this.numerator / this.denominator  # type: ignore[operator]
            baseline = 100 * base.numerator / base.denominator  # type: ignore[union-attr,operator]
        change = judge_like_for_like(baseline, current, unit, good)
        test, verdict = "none", ""
        if base_year == year:
            finding = f"{year} is this measure's baseline year."
        elif base is None:
            finding = "Not measurable: the measure has no baseline year."
        elif baseline is None and base.present == 0 and _previous_in(series, base_year):
            finding = (
                f"Not measurable: the baseline year's figures ({base_year}) were recorded "
                "under the previous definition, so they are not compared with current ones."
            )
        elif current is None or baseline is None:
            finding = (
                "Not measurable: a year's total needs every period, and one of the two years "
                "has periods missing."
                if aggregation == "sum" and (this.present or base.present)
                else "Not measurable: no figures for one of the two years."
            )
        elif proportions:
            x1, n1 = float(base.numerator), float(base.denominator)  # type: ignore[arg-type]
            x2, n2 = float(this.numerator), float(this.denominator)  # type: ignore[arg-type]
            result = stats.compare_proportions(x1, n1, x2, n2)
            interval = stats.wilson_interval(x2, n2)
            test, verdict = "two proportions", result.verdict
            finding = f"{result.describe()} {year}: {interval.describe()}."
        elif aggregation == "sum" and unit == "count" and is_whole(pd.Series([current, baseline])):
            # Both totals cover a whole year (a total needs every period), so the exposures
            # are equal and the test's figures are the totals the row shows.
            result = stats.compare_counts(int(round(baseline)), int(round(current)))
            test, verdict, finding = "counts (exact conditional)", result.verdict, result.describe()
        else:
            finding = f"Change {change.text} ({change.judgement}); {_no_test_reason(m)}."
        rows.append(
            {
                "strategy_name": names.get(m["strategy_id"], m["strategy_id"]),
                "measure_name": m["measure_name"],
                "unit": unit,
                "baseline_year": base_year,
                "aggregation": aggregation,
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


def _previous_in(series: pd.DataFrame, year: str) -> bool:
    start, stop = periods.parse_financial_year(year)
    return has_previous_definition(series, start, stop)


def is_whole(values: pd.Series) -> bool:
    """Whether every value in a series is a whole number."""
    return bool(((values - values.round()).abs() < 1e-9).all())
