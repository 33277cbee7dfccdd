"""The assessment of each measure for a reporting quarter, as one tidy row per measure.

Each row holds the like-for-like figures (:mod:`pcplib.assessment.figures`), the change
on the same period a year earlier and its judgement, the SPC verdict on limits from a
stated baseline (:mod:`pcplib.assessment.limits`), the target or trajectory for the
period and the rating (:mod:`pcplib.assessment.targets`), and one sentence that puts
them together (:mod:`pcplib.assessment.sentences`). Every judgement a report shows
about a measure is read off this row; nothing downstream recomputes one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import metrics, periods
from pcplib.assessment.figures import FREQUENCY_MONTHS, Window, compute_figures, month_number
from pcplib.assessment.limits import SpcPlan, describe_limits_period, plan_spc
from pcplib.assessment.scope import (
    check_spc_rules,
    get_series,
    measures_for_audience,
    parse_month_param,
)
from pcplib.assessment.sentences import assess_measure, write_measure_sentence
from pcplib.assessment.targets import compute_target_for_period, rate_measure
from pcplib.assessment.thresholds import IMPROVEMENT
from pcplib.data import AGGREGATIONS
from pcplib.labels import as_sentence, format_figure, is_missing, label_period_start

if TYPE_CHECKING:
    from pcplib.data import Dataset
    from pcplib.spc import XmrResult

PER_PERIOD = {"monthly": "a month", "quarterly": "a quarter", "annual": "a year"}
COMPARISON_BASES = ("same quarter last year", "previous year")
JUDGEMENTS = ("improved", "deteriorated", "no change", "not measurable", "no good direction")
SPC_STATUSES = ("assessed", "too few points", "not assessed")

MEASURE_COLUMNS = [
    "measure_id", "measure_name", "strategy_id", "tier", "unit", "good_direction",
    "frequency", "aggregation", "source", "visibility", "target_note",
    "latest_period", "latest_value",
    "current_label", "current",
    "comparison_basis", "last_year_label", "last_year", "change", "change_value",
    "direction", "arrow", "judgement",
    "year_ending_label", "year_ending", "previous_year_label", "previous_year",
    "year_ending_change",
    "baseline_label", "baseline", "since_baseline_change", "since_baseline_direction",
    "since_baseline_arrow", "since_baseline_judgement",
    "target", "target_per_period", "target_final", "target_date", "target_basis",
    "rag", "rag_basis", "rag_capped",
    "spc_status", "spc_variation", "spc_assurance", "spc_limits_from", "spc_limits_to",
    "spc_seasonal", "spc_note", "spc_summary", "spc",
    "quality", "has_data", "assessment", "sentence",
]  # fmt: skip

__all__ = [
    "COMPARISON_BASES",
    "JUDGEMENTS",
    "MEASURE_COLUMNS",
    "SPC_STATUSES",
    "aggregation_of",
    "judge_like_for_like",
    "regular_series",
    "summarise_measures",
]


def rows_in_period(rows: pd.DataFrame, start: pd.Timestamp, stop: pd.Timestamp) -> pd.DataFrame:
    """Rows whose period lies wholly within ``start`` to ``stop``."""
    return rows[(rows["period_start"] >= start) & (rows["period_end"] <= stop)]


def has_previous_definition(series: pd.DataFrame, start: pd.Timestamp, stop: pd.Timestamp) -> bool:
    """Whether a measure has figures under its previous definition within a period."""
    return not rows_in_period(series[series["definition"] == "previous"], start, stop).empty


def mean_value(rows: pd.DataFrame) -> float | None:
    """The mean of the rows' values, or None when none has a value."""
    values = rows["value"].dropna()
    return float(values.mean()) if not values.empty else None


def aggregation_of(measure: Mapping[str, Any]) -> str:
    """The measure's aggregation (``sum``, ``mean`` or ``last``), checked."""
    value = str(measure.get("aggregation") or "")
    if value not in AGGREGATIONS:
        raise ValueError(
            f"measure {measure.get('measure_id')!r} has aggregation {value!r}; expected one "
            f"of: {', '.join(AGGREGATIONS)} (see data/README.md)"
        )
    return value


def regular_series(current: pd.DataFrame, frequency: str) -> pd.Series:
    """The current-definition series on a regular calendar, absent periods as gaps."""
    values = current.set_index("period_start")["value"].astype(float)
    values = values[~values.index.duplicated(keep="last")].sort_index()
    if values.empty:
        return values
    step = FREQUENCY_MONTHS[frequency]
    full = pd.date_range(values.index.min(), values.index.max(), freq=f"{step}MS")
    return values.reindex(full)


def judge_like_for_like(
    before: float | None, current: float | None, unit: str, good: str
) -> metrics.Change:
    """The change from ``before`` to ``current`` with a judgement that reads as shown.

    A measure with no good direction is judged ``"no good direction"`` (its change is
    still measured), and a change that shows as zero at the precision printed
    (``0.0%``) is ``"no change"``, so a row never says "0.0%, improved".

    Parameters
    ----------
    before, current : float or None
        The comparison figure and the reporting period's figure.
    unit : str
        The measure's unit (percentages change in percentage points).
    good : {"higher", "lower", "neutral"}
        The measure's good direction.

    Returns
    -------
    pcplib.metrics.Change
        With ``judgement`` one of :data:`JUDGEMENTS`.
    """
    change = metrics.summarise_change(before, current, unit, good)
    judgement = change.judgement
    shown_zero = change.text.lstrip("+-") in ("0.0%", "0.0 pp")
    if change.direction in ("up", "down") and shown_zero:
        judgement = "no change"
        change = metrics.Change(
            change.baseline, change.current, change.pct, change.pp, "no change",
            metrics.arrow("no change"), judgement, change.text,
        )  # fmt: skip
    elif good == "neutral" and change.direction in ("up", "down"):
        judgement = "no good direction"
    text, pct = change.text, change.pct
    if (
        unit != "percent"
        and before is not None
        and current is not None
        and (before <= 0 or current < 0)
    ):
        # A percentage change from zero or across it (a variance moving from an overspend
        # to an underspend) means nothing; the difference in the unit says what happened.
        difference = current - before
        sign = "+" if difference > 0 else ("-" if difference < 0 else "")
        text, pct = f"{sign}{format_figure(abs(difference), unit)}", None
    return metrics.Change(
        change.baseline, change.current, pct, change.pp, change.direction,
        change.arrow, judgement, text,
    )  # fmt: skip


def _change_value(change: metrics.Change, unit: str) -> float | None:
    return change.pp if unit == "percent" else change.pct


def _window_label(window: Window, series: pd.DataFrame, frequency: str) -> str:
    """A window's label, saying why it has no figure when it has none."""
    label = window.label
    if window.value is not None:
        if window.present < window.expected:
            unit_word = "month" if frequency == "monthly" else "quarter"
            label += f" ({window.present} of {window.expected} {unit_word}s)"
        return label
    first = pd.Period(year=window.first // 12, month=window.first % 12 + 1, freq="M")
    last = pd.Period(year=window.last // 12, month=window.last % 12 + 1, freq="M")
    if has_previous_definition(series, first.start_time, last.end_time):
        return f"{label}: previous definition, not comparable"
    if window.present:
        unit_word = "month" if frequency == "monthly" else "quarter"
        return f"{label}: incomplete ({window.present} of {window.expected} {unit_word}s)"
    return f"{label}: no data"


def _run_spc(plan: SpcPlan | None, measure: Mapping[str, Any], rules: str) -> XmrResult | None:
    from pcplib.spc import xmr

    if plan is None or plan.series.notna().sum() < 2:
        return None
    target = measure.get("target")
    k = plan.baseline_points
    try:
        return xmr(
            plan.series,
            improvement=IMPROVEMENT[str(measure["good_direction"])],
            target=None if is_missing(target) else float(target),
            rules=rules,
            baseline_points=k if k >= 12 and k < len(plan.series) else None,
            rebase_at=list(plan.rebase_at) or None,
        )
    except ValueError:
        # A series SPC cannot analyse (e.g. no two adjacent points) is reported as unjudged.
        return None


def _quality(
    series: pd.DataFrame, current: pd.DataFrame, frequency: str, end: int, plan: SpcPlan | None
) -> str:
    flags = []
    if (series["definition"] == "previous").any():
        flags.append("definition changed")
    ends = pd.DatetimeIndex(current["period_end"])
    recent = current[(ends.year * 12 + ends.month - 1) > end - 12]
    if (recent["status"] == "provisional").any():
        flags.append("provisional figures")
    if not current.empty:
        regular = regular_series(current, frequency)
        if regular.isna().any():
            flags.append("gaps")
    if plan is not None and plan.flag:
        flags.append(plan.flag)
    return ", ".join(flags)


def _summarise_measure(
    dataset: Dataset, measure: Mapping[str, Any], end: int, spc_rules: str | None
) -> dict[str, Any]:
    frequency = str(measure["frequency"])
    unit = str(measure["unit"])
    good = str(measure["good_direction"])
    aggregation = aggregation_of(measure)
    series = get_series(dataset, measure["measure_id"])
    ends = pd.DatetimeIndex(series["period_end"])
    series = series[(ends.year * 12 + ends.month - 1) <= end]
    current_def = series[series["definition"] == "current"]
    present = current_def[current_def["value"].notna()]
    figures = compute_figures(current_def, measure, end)
    change = judge_like_for_like(figures.last_year.value, figures.current.value, unit, good)
    year_change = metrics.summarise_change(
        figures.previous_year.value, figures.year_ending.value, unit, good
    )
    base = figures.baseline
    since = judge_like_for_like(base.value if base else None, figures.year_ending.value, unit, good)
    target = compute_target_for_period(figures, measure, end)

    regular = regular_series(current_def, frequency)
    plan = plan_spc(regular, measure) if spc_rules else None
    result = _run_spc(plan, measure, spc_rules) if spc_rules else None
    if spc_rules is None:
        status, variation, assurance = "not assessed", None, None
        summary = "SPC not assessed in this report."
    elif result is None or not result.has_limits:
        status, variation, assurance = "too few points", None, None
        summary = "Too few points for SPC limits yet." if result is None else result.describe()
    else:
        status, variation, assurance = "assessed", result.variation, result.assurance
        summary = result.describe()
    # Only an assessed chart has limits to speak of: a run chart claims none.
    note = as_sentence(plan.note) if plan is not None and status == "assessed" else ""
    if note:
        summary = f"{summary} {note}"
    assessed_plan = plan if status == "assessed" else None
    limits_from, limits_to = describe_limits_period(assessed_plan, frequency)
    rating = rate_measure(figures.current.value, target, good, variation, change.judgement)

    if present.empty:
        latest_period, latest_value = "no data", None
    else:
        last_row = present.iloc[-1]
        latest_period = label_period_start(last_row["period_start"], frequency)
        latest_value = float(last_row["value"])
    basis = "previous year" if frequency == "annual" else "same quarter last year"
    row: dict[str, Any] = {
        "measure_id": measure["measure_id"],
        "measure_name": measure["measure_name"],
        "strategy_id": measure["strategy_id"],
        "tier": measure["tier"],
        "unit": unit,
        "good_direction": good,
        "frequency": frequency,
        "aggregation": aggregation,
        "source": measure.get("source", ""),
        "visibility": str(measure.get("visibility") or "public"),
        "target_note": "" if is_missing(measure.get("target_note")) else measure["target_note"],
        "latest_period": latest_period,
        "latest_value": latest_value,
        "current_label": _window_label(figures.current, series, frequency),
        "current": figures.current.value,
        "comparison_basis": basis,
        "last_year_label": _window_label(figures.last_year, series, frequency),
        "last_year": figures.last_year.value,
        "change": change.text,
        "change_value": _change_value(change, unit),
        "direction": change.direction,
        "arrow": change.arrow,
        "judgement": change.judgement,
        "year_ending_label": _window_label(figures.year_ending, series, frequency),
        "year_ending": figures.year_ending.value,
        "previous_year_label": _window_label(figures.previous_year, series, frequency),
        "previous_year": figures.previous_year.value,
        "year_ending_change": year_change.text,
        "baseline_label": (
            _window_label(base, series, frequency) if base is not None else "no baseline year"
        ),
        "baseline": base.value if base is not None else None,
        "since_baseline_change": since.text,
        "since_baseline_direction": since.direction,
        "since_baseline_arrow": since.arrow,
        "since_baseline_judgement": since.judgement,
        "target": target.value,
        "target_per_period": target.per_period,
        "target_final": target.final,
        "target_date": target.due,
        "target_basis": target.basis,
        "rag": rating.rag,
        "rag_basis": rating.basis,
        "rag_capped": rating.capped,
        "spc_status": status,
        "spc_variation": variation,
        "spc_assurance": assurance,
        "spc_limits_from": limits_from,
        "spc_limits_to": limits_to,
        "spc_seasonal": bool(plan is not None and plan.seasonal),
        "spc_note": plan.note if plan is not None else "",
        "spc_summary": summary,
        "spc": result,
        "quality": _quality(series, current_def, frequency, end, plan if spc_rules else None),
        "has_data": figures.current.value is not None,
    }
    row["comparison_value"] = row["last_year"]
    row["target_for_period"] = row["target"]
    row["assessment"] = assess_measure(row)
    row["sentence"] = write_measure_sentence(row)
    return row


def summarise_measures(
    dataset: Dataset,
    strategy_id: str | None,
    period_end: str,
    tier: str | None = None,
    audience: str = "cgb",
    spc_rules: str = "mdc",
    with_spc: bool = True,
) -> pd.DataFrame:
    """Assess a strategy's measures (or every measure) for the reporting quarter.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str or None
        The strategy; every strategy when None.
    period_end : str
        The last month of data, ``YYYY-MM``; the reporting quarter is the quarter
        ending in (or containing) it.
    tier : {"headline", "sub"}, optional
        One tier; both when omitted.
    audience : {"cgb", "public"}, default "cgb"
        ``"public"`` leaves restricted measures out.
    spc_rules : {"mdc", "plotthedots"}, default "mdc"
        The SPC rule set.
    with_spc : bool, default True
        Run the SPC analysis; reports that show no SPC pass False (``spc_status`` is
        then ``"not assessed"``, and untargeted measures are Grey).

    Returns
    -------
    pandas.DataFrame
        One row per measure with the columns of :data:`MEASURE_COLUMNS`: the
        reporting period's figure (``current``), the same period a year earlier
        (``last_year``, the ``comparison_basis``) with the ``change`` (text) and
        ``change_value`` (per cent, or percentage points for a percentage) and its
        ``judgement``; the year ending and the 12 months before; the baseline year
        against the year ending (progress since the plan began); the target for the
        period (``target``: the target, or its trajectory point before a dated target
        falls due) and its basis; ``rag`` and ``rag_basis``; the SPC ``spc_status``,
        ``spc_variation`` and ``spc_assurance`` (codes of :mod:`pcplib.spc`), the
        period that set the limits (``spc_limits_from``, ``spc_limits_to``), the
        :class:`~pcplib.spc.XmrResult` (``spc``); data-quality flags; the short
        ``assessment`` and the ``sentence`` that sums it up.

    Raises
    ------
    ValueError
        For an unknown strategy, tier, audience or rule set, or a bad month.
    """
    check_spc_rules(spc_rules)
    end = month_number(parse_month_param(period_end, "period_end"))
    measures = measures_for_audience(dataset, strategy_id, tier=tier, audience=audience)
    rules = spc_rules if with_spc else None
    rows = [_summarise_measure(dataset, m, end, rules) for m in measures.to_dict("records")]
    columns = [*MEASURE_COLUMNS, "comparison_value", "target_for_period"]
    return pd.DataFrame(rows, columns=columns)


def label_quarter_of(period_end: str) -> str:
    """The financial quarter a ``YYYY-MM`` month falls in (``"2026/27 Q2"``)."""
    return periods.label_quarter(parse_month_param(period_end, "period_end").to_timestamp())
