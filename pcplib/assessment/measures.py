"""The assessment of each measure for a reporting quarter.

Like-for-like figures, change, RAG against target and the SPC judgement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import metrics, periods, rag
from pcplib.data import AGGREGATIONS, RECALCULATION_MIN_POINTS, parse_recalculation_dates
from pcplib.data import FREQUENCY_MONTHS as _FREQ_MONTHS

if TYPE_CHECKING:
    from pcplib.data import Dataset
    from pcplib.spc import XmrResult
from pcplib.assessment.scope import (
    check_spc_rules,
    get_series,
    measures_for_audience,
    parse_month_param,
)
from pcplib.assessment.thresholds import IMPROVEMENT, RAG_TOLERANCE
from pcplib.labels import as_sentence, is_missing, label_period_start, list_words

PER_PERIOD = {"monthly": "a month", "quarterly": "a quarter", "annual": "a year"}


VARIATION_WORDS: dict[str | None, str] = {
    "common_cause": "No signal: the latest figure is within normal variation",
    "special_cause_improvement": "Signal of improvement: a real change for the better",
    "special_cause_concern": "Signal of concern: a real change for the worse",
    "special_cause_neutral_high": "Signal: a real rise (neither good nor bad)",
    "special_cause_neutral_low": "Signal: a real fall (neither good nor bad)",
    None: "Too few points to judge",
}


ASSURANCE_WORDS: dict[str | None, str] = {
    "consistent_pass": "Target consistently met",
    "consistent_fail": "Target consistently missed",
    "inconsistent": "Target met in some periods and missed in others, by chance",
}


def month_number(period: pd.Period) -> int:
    """A month as a running integer (year x 12 + month - 1), for fast window arithmetic."""
    return period.year * 12 + period.month - 1


def with_end_months(series: pd.DataFrame) -> pd.DataFrame:
    """Add ``end_month``: each row's period-end month as an integer, for fast windows."""
    ends = pd.DatetimeIndex(series["period_end"])
    return series.assign(end_month=ends.year * 12 + ends.month - 1)


def window_rows(series: pd.DataFrame, first: pd.Period, last: pd.Period) -> pd.DataFrame:
    """Rows whose period ends within the months ``first`` to ``last``."""
    if "end_month" not in series:
        series = with_end_months(series)
    months = series["end_month"].to_numpy()
    return series[(months >= month_number(first)) & (months <= month_number(last))]


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
    """The measure's aggregation (``sum`` or ``mean``), checked."""
    value = str(measure.get("aggregation") or "")
    if value not in AGGREGATIONS:
        raise ValueError(
            f"measure {measure.get('measure_id')!r} has aggregation {value!r}; expected one "
            f"of: {', '.join(AGGREGATIONS)} (see data/README.md)"
        )
    return value


def span_words(n_periods: int, frequency: str) -> str:
    """The length of a window in words: ``"quarterly"``, ``"annual"`` or ``"N-month"``."""
    months = n_periods * _FREQ_MONTHS[frequency]
    if months == 3:
        return "quarterly"
    if months == 12:
        return "annual"
    return f"{months}-month"


def total_over_periods(
    rows: pd.DataFrame, n_periods: int, label: str, frequency: str
) -> tuple[float | None, str]:
    """A total over the window, only when every period in it has a figure.

    A missing month would make a total look low, so an incomplete window gives no
    total and a label saying how many periods were received.
    """
    values = rows["value"].dropna()
    unit_word = "month" if frequency == "monthly" else "quarter"
    if len(values) < n_periods:
        return None, f"{label}: incomplete ({len(values)} of {n_periods} {unit_word}s received)"
    if frequency == "monthly":
        return float(values.sum()), f"{label} (total of {n_periods} months)"
    return float(values.sum()), f"{label} (total)"


def regular_series(current: pd.DataFrame, frequency: str) -> pd.Series:
    """The current-definition series on a regular calendar, absent periods as gaps."""
    values = current.set_index("period_start")["value"].astype(float)
    values = values[~values.index.duplicated(keep="last")].sort_index()
    if values.empty:
        return values
    step = _FREQ_MONTHS[frequency]
    full = pd.date_range(values.index.min(), values.index.max(), freq=f"{step}MS")
    return values.reindex(full)


def target_of(measure: Mapping[str, Any]) -> float | None:
    """The measure's target per period, or None when it has none."""
    target = measure.get("target")
    return None if is_missing(target) else float(target)


@dataclass(frozen=True)
class SpcSections:
    """Where a measure's SPC chart is recalculated, and what the report says about it.

    ``rebase_at`` holds the dates passed to :func:`pcplib.spc.xmr` (empty: one set of
    limits); ``flag`` is the short data note for the measures table and ``note`` the
    sentence (without a capital or a full stop) for the SPC summary and the
    data-quality notes. Both are empty when the measure has no recalculation date
    within the charted series.
    """

    rebase_at: tuple[pd.Timestamp, ...] = ()
    flag: str = ""
    note: str = ""


def plan_spc_sections(measure: Mapping[str, Any], regular: pd.Series) -> SpcSections:
    """Decide the SPC sections of a measure's charted series from its recalculation dates.

    Only dates after the series' first period and within it count (a report for an
    earlier quarter has not reached a later change yet). Every section, the latest
    included, needs :data:`~pcplib.data.RECALCULATION_MIN_POINTS` figures, as Making
    Data Count requires; otherwise the chart keeps one set of limits and the note
    says why, so a change too recent to judge on its own is never hidden.
    """
    text = measure.get("spc_recalculate_from")
    if is_missing(text) or not str(text).strip() or regular.empty:
        return SpcSections()
    try:
        dates = parse_recalculation_dates(str(text))
    except ValueError:
        # Unvalidated data: validation reports the bad cell; the chart keeps one section.
        return SpcSections()
    index = regular.index
    dates = [d for d in dates if d in index and d > index[0]]
    if not dates:
        return SpcSections()
    frequency = str(measure["frequency"])
    when = list_words([label_period_start(d, frequency) for d in dates])
    cause = measure.get("spc_recalculate_note")
    because = "" if is_missing(cause) or not str(cause).strip() else f" ({str(cause).strip()})"
    present = index[regular.notna().to_numpy()]
    bounds = [index[0], *dates, index[-1] + pd.Timedelta(days=1)]
    for start, stop in zip(bounds, bounds[1:], strict=False):
        n = int(((present >= start) & (present < stop)).sum())
        if n < RECALCULATION_MIN_POINTS:
            return SpcSections(
                flag=f"limits not yet recalculated from {when}",
                note=(
                    f"limits are not yet recalculated from {when}{because}; the section "
                    f"from {label_period_start(start, frequency)} has {n} of the "
                    f"{RECALCULATION_MIN_POINTS} points needed, so one set of limits covers "
                    "the whole series until it has enough"
                ),
            )
    return SpcSections(
        rebase_at=tuple(dates),
        flag=f"limits recalculated from {when}",
        note=(
            f"limits recalculated from {when}{because}; each section has its own mean and "
            "limits, and the variation and assurance judge the latest section "
            f"({label_period_start(dates[-1], frequency)} onwards)"
        ),
    )


def run_spc(
    series: pd.Series,
    measure: Mapping[str, Any],
    spc_rules: str,
    rebase_at: Sequence[pd.Timestamp] = (),
) -> XmrResult | None:
    """Run the XmR analysis of a measure's regular series, or None when it cannot be judged."""
    from pcplib.spc import xmr

    if series.notna().sum() < 2:
        return None
    target = target_of(measure)
    try:
        return xmr(
            series,
            improvement=IMPROVEMENT[str(measure["good_direction"])],
            target=target,
            rules=spc_rules,
            rebase_at=list(rebase_at) or None,
        )
    except ValueError:
        # A series SPC cannot analyse (e.g. no two adjacent points) is reported as unjudged.
        return None


def list_quality_flags(
    series: pd.DataFrame,
    current: pd.DataFrame,
    end: pd.Period,
    regular: pd.Series,
    sections: SpcSections | None = None,
) -> list[str]:
    """The short data notes of a measure: definition change, provisional figures, gaps, limits."""
    flags = []
    if (series["definition"] == "previous").any():
        flags.append("definition changed")
    recent = window_rows(current, end - 11, end)
    if (recent["status"] == "provisional").any():
        flags.append("provisional figures")
    if regular.isna().any():
        flags.append("gaps")
    if sections is not None and sections.flag:
        flags.append(sections.flag)
    return flags


def summarise_measures(
    dataset: Dataset,
    strategy_id: str | None,
    period_end: str,
    tier: str | None = None,
    audience: str = "cgb",
    spc_rules: str = "mdc",
    with_spc: bool = True,
) -> pd.DataFrame:
    """Summarise a strategy's measures for the reporting quarter.

    What *current* means depends on the measure's ``aggregation``. For a **sum**
    measure (events such as offences) it is the reporting quarter's total, compared
    with the baseline year's quarterly average total (the year's total ÷ 4) and
    the same quarter's total a year earlier; the target, set per period, is
    multiplied by the periods in the quarter. For a **mean** measure (levels,
    percentages, rates) it is the average per period in the quarter, compared
    with the average per period in the baseline year and in the same quarter a
    year earlier. Annual measures compare the latest year with the baseline year.

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
        Run the SPC analysis; reports that show no SPC (plan overview, public
        report) pass False, and the SPC columns then say "Not assessed".

    Returns
    -------
    pandas.DataFrame
        One row per measure with ``measure_id``, ``measure_name``, ``strategy_id``,
        ``tier``, ``unit``, ``good_direction``, ``frequency``, ``source``,
        ``latest_period``, ``latest_value``, ``current_label``, ``current``,
        ``baseline_label``, ``baseline``, ``change``, ``direction``, ``arrow``,
        ``judgement``, ``last_year_label``, ``last_year``, ``target`` (for the
        quarter: the per-period target times the periods for a sum measure),
        ``target_per_period``, ``target_note``, ``aggregation``, ``visibility``,
        ``rag``, ``spc_variation``, ``spc_assurance``, ``spc_summary``,
        ``spc`` (the :class:`~pcplib.spc.XmrResult` or None),
        ``quality`` (data-quality flags) and ``has_data``.

    Raises
    ------
    ValueError
        For an unknown strategy, tier, audience or rule set, or a bad month.
    """
    check_spc_rules(spc_rules)
    end = parse_month_param(period_end, "period_end")
    quarter_first = periods.months_in_quarter(end.to_timestamp())[0]
    quarter_label = periods.label_quarter(end.to_timestamp())
    measures = measures_for_audience(dataset, strategy_id, tier=tier, audience=audience)
    rows = []
    for measure in measures.to_dict("records"):
        rows.append(
            _summarise_measure(
                dataset, measure, end, quarter_first, quarter_label, spc_rules if with_spc else None
            )
        )
    columns = [
        "measure_id", "measure_name", "strategy_id", "tier", "unit", "good_direction",
        "frequency", "source", "latest_period", "latest_value", "current_label", "current",
        "baseline_label", "baseline", "change", "direction", "arrow", "judgement",
        "last_year_label", "last_year", "target", "target_per_period", "target_note",
        "aggregation", "visibility", "rag", "spc_variation", "spc_assurance", "spc_summary",
        "spc", "quality", "has_data",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _summarise_measure(
    dataset: Dataset,
    measure: Mapping[str, Any],
    end: pd.Period,
    quarter_first: pd.Period,
    quarter_label: str,
    spc_rules: str | None,
) -> dict[str, Any]:
    frequency = str(measure["frequency"])
    unit = str(measure["unit"])
    good = str(measure["good_direction"])
    per = PER_PERIOD[frequency]
    series = get_series(dataset, measure["measure_id"])
    series = with_end_months(series[series["period_end"] <= end.end_time])
    current_def = series[series["definition"] == "current"]
    present = current_def[current_def["value"].notna()]
    regular = regular_series(current_def, frequency)

    if present.empty:
        latest_period, latest_value = "no data", None
    else:
        last_row = present.iloc[-1]
        latest_period = label_period_start(last_row["period_start"], frequency)
        latest_value = float(last_row["value"])

    aggregation = aggregation_of(measure)
    if frequency == "annual":
        n_periods = 1
        if present.empty:
            current, current_label, last_year, last_year_label = None, "no data", None, ""
        else:
            last_row = present.iloc[-1]
            current = float(last_row["value"])
            current_label = periods.label_financial_year(last_row["period_start"])
            year_before = pd.Timestamp(last_row["period_end"]).to_period("M") - 12
            last_year = mean_value(window_rows(present, year_before, year_before))
            last_year_label = periods.shift_year_back(current_label)
    else:
        step = _FREQ_MONTHS[frequency]
        n_periods = max(1, (month_number(end) - month_number(quarter_first) + 1) // step)
        last_year_quarter = periods.shift_year_back(quarter_label)
        if aggregation == "sum":
            current, current_label = total_over_periods(
                window_rows(current_def, quarter_first, end), n_periods, quarter_label, frequency
            )
            last_year, last_year_label = total_over_periods(
                window_rows(current_def, quarter_first - 12, end - 12),
                n_periods,
                last_year_quarter,
                frequency,
            )
        else:
            suffix = f" (average {per})" if frequency == "monthly" else ""
            current = mean_value(window_rows(current_def, quarter_first, end))
            current_label = f"{quarter_label}{suffix}"
            last_year = mean_value(window_rows(current_def, quarter_first - 12, end - 12))
            last_year_label = f"{last_year_quarter}{suffix}"

    baseline_year = str(measure.get("baseline_year") or "")
    baseline = None
    baseline_label = "no baseline year"
    if baseline_year:
        start, stop = periods.parse_financial_year(baseline_year)
        baseline = mean_value(rows_in_period(current_def, start, stop))
        if frequency == "annual":
            baseline_label = baseline_year
        elif aggregation == "sum":
            # A like-for-like total: the baseline year's average per period times the
            # periods in the reporting quarter (a quarter of the year's total).
            baseline = None if baseline is None else baseline * n_periods
            baseline_label = f"{baseline_year} ({span_words(n_periods, frequency)} average)"
        else:
            baseline_label = f"{baseline_year} (average {per})"
        if baseline is None:
            if has_previous_definition(series, start, stop):
                baseline_label = (
                    f"{baseline_year}: previous definition, not comparable with current figures"
                )

    change = metrics.summarise_change(baseline, current, unit, good)
    target = target_of(measure)
    # Targets are set per period ("1,150 a month"); a quarter's total meets the
    # quarter's share of them.
    period_target = target
    if target is not None and aggregation == "sum" and frequency != "annual":
        period_target = target * n_periods
    rating = rag.rag_against_target(current, period_target, good, tolerance=RAG_TOLERANCE)
    sections = plan_spc_sections(measure, regular) if spc_rules else SpcSections()
    result = run_spc(regular, measure, spc_rules, sections.rebase_at) if spc_rules else None
    if spc_rules is None:
        variation_words, assurance_words, spc_summary = (
            "Not assessed",
            "Not assessed",
            "SPC not assessed in this report.",
        )
    elif result is None:
        variation_words, assurance_words, spc_summary = (
            "Not enough data to judge",
            "Not assessed",
            "Not enough data for an SPC chart.",
        )
    else:
        variation_words = VARIATION_WORDS.get(result.variation, str(result.variation))
        if result.assurance is not None:
            assurance_words = ASSURANCE_WORDS.get(result.assurance, result.assurance)
        elif target is None:
            assurance_words = "No target"
        else:
            assurance_words = "Not assessed"
        spc_summary = result.describe()
        if sections.note:
            spc_summary += " " + as_sentence(sections.note)
    return {
        "measure_id": measure["measure_id"],
        "measure_name": measure["measure_name"],
        "strategy_id": measure["strategy_id"],
        "tier": measure["tier"],
        "unit": unit,
        "good_direction": good,
        "frequency": frequency,
        "source": measure.get("source", ""),
        "latest_period": latest_period,
        "latest_value": latest_value,
        "current_label": current_label,
        "current": current,
        "baseline_label": baseline_label,
        "baseline": baseline,
        "change": change.text,
        "direction": change.direction,
        "arrow": change.arrow,
        "judgement": change.judgement,
        "last_year_label": last_year_label,
        "last_year": last_year,
        "target": period_target,
        "target_per_period": target,
        "target_note": "" if is_missing(measure.get("target_note")) else measure["target_note"],
        "aggregation": aggregation,
        "visibility": str(measure.get("visibility") or "public"),
        "rag": rating,
        "spc_variation": variation_words,
        "spc_assurance": assurance_words,
        "spc_summary": spc_summary,
        "spc": result,
        "quality": ", ".join(list_quality_flags(series, current_def, end, regular, sections)),
        "has_data": current is not None,
    }
