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
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import metrics
from pcplib.assessment import vocabulary
from pcplib.assessment.chance import (
    count_target_record,
    estimate_survey_margin,
    estimate_target_chance,
    is_administrative,
    judge_process_side,
)
from pcplib.assessment.changes import (
    Changes,
    compare_figures,
    counts_outcomes,
    holds_open_outcomes,
    name_continued_change,
    weigh_improvement,
    weigh_worsening,
)
from pcplib.assessment.chart_caveats import (
    SPIKE_COLUMNS,
    find_quarter_spike,
    has_chart_no_signal,
    tabulate_quarter_spike,
)
from pcplib.assessment.commitment_status import attach_status_checks
from pcplib.assessment.evidence import describe_year_ending_basis
from pcplib.assessment.figures import (
    Figures,
    Window,
    aggregation_of,
    compute_figures,
    describe_completeness,
    name_periods,
)
from pcplib.assessment.harm import (
    asks_nothing,
    describe_no_baseline,
    describe_small_numbers,
    settle_rating,
)
from pcplib.assessment.limits import (
    SpcPlan,
    describe_limits_period,
    describe_span,
    judge_target_on_year,
    measure_seasonality,
)
from pcplib.assessment.scope import (
    check_spc_rules,
    get_series,
    measures_for_audience,
    parse_month_param,
)
from pcplib.assessment.sentences import (
    assess_measure,
    describe_target_assurance,
    write_measure_sentence,
)
from pcplib.assessment.spc_assurance import (
    date_process_change,
    settle_assurance,
    settle_assurance_words,
)
from pcplib.assessment.spc_verdict import (
    SPC_STATUSES,
    SpcVerdict,
    assess_spc,
    restate_unconfirmed,
)
from pcplib.assessment.target_record import (
    date_declared_change,
    describe_target_record,
    list_target_record,
    name_record_periods,
    select_independent_record,
)
from pcplib.assessment.targets import (
    OUTCOMES_OPEN,
    RATING_COLUMNS,
    Rating,
    TargetForPeriod,
    compute_target_for_period,
    rate_measure,
    tabulate_rating,
)
from pcplib.assessment.vocabulary import NO_EVIDENCE, name_reference_periods
from pcplib.data.schemas import TO_CONFIRM
from pcplib.labels import describe_rate_basis, is_missing, label_period_start
from pcplib.periods import FREQUENCY_MONTHS, month_number, month_of

if TYPE_CHECKING:
    from pcplib.data import Dataset

PER_PERIOD = {"monthly": "a month", "quarterly": "a quarter", "annual": "a year"}
COMPARISON_BASES = ("same quarter last year", "previous year")
JUDGEMENTS = (
    "improved", "deteriorated", "possibly improved", "possibly deteriorated", "possible change",
    NO_EVIDENCE, "no change", "not measurable", "no good direction",
)  # fmt: skip
HALF_YEAR_COLUMNS = (
    "half_year_label", "half_year", "half_year_before_label", "half_year_before",
    "half_year_change", "half_year_judgement", "half_year_test",
)  # fmt: skip
"""The two latest quarters and the same two a year earlier (:data:`~pcplib.assessment.
changes.HALF_YEAR`): what a rating that rests on them quotes."""
MEASURE_COLUMNS = [
    "measure_id", "measure_name", "strategy_id", "tier", "unit", "good_direction",
    "frequency", "aggregation", "source", "visibility", "target_note",
    "latest_period", "latest_value",
    "current_label", "current",
    "comparison_basis", "last_year_label", "last_year", "change", "change_value",
    "direction", "arrow", "judgement",
    "year_ending_label", "year_ending", "previous_year_label", "previous_year",
    "year_ending_change", "year_ending_basis",
    "baseline_label", "baseline", "baseline_period_label", "baseline_unlike",
    "since_baseline_change", "since_baseline_direction",
    "since_baseline_arrow", "since_baseline_judgement", "since_baseline_continues",
    "before_plan_change", "before_plan_evidence", "before_plan_test",
    "target", "target_per_period", "target_final", "target_date", "target_basis",
    "target_baseline_met", "target_met_before", "target_period_label", "target_compared",
    "target_within_margin",
    "rag", "rag_basis", "rag_capped", "rag_reason", *RATING_COLUMNS,
    "spc_status", "spc_variation", "spc_latest", "spc_assurance", "spc_assurance_basis",
    "spc_limits_assurance", "spc_limits_from", "since_baseline_words",
    "spc_limits_to", "spc_seasonal", "spc_note", "spc_withheld", "spc_summary", "spc_recent",
    "spc_signal", "spc_immaterial", "spc",
    "change_evidence", "change_test", "change_p", "small_numbers",
    "year_ending_judgement", "year_ending_evidence", "year_ending_test", "year_ending_p",
    "since_baseline_evidence", "target_on_year", "target_record", "target_process",
    "target_process_reason", "target_record_span", "target_record_side", "target_record_count",
    "margin_of_error", "target_allowance", "worsening", "assurance_words", "quality",
    "definition_changed", "has_data", "assessment", "sentence",
    "rate_per", "rate_per_year", "rate_per_point",
    "baseline_year_words", "baseline_words", "chart_period_words", "evidence_disagreement",
    "completeness", "comparison_completeness", "year_ending_completeness",
    "baseline_completeness", "to_confirm", "sign_words", "administrative",
    *HALF_YEAR_COLUMNS, "chart_no_signal", *SPIKE_COLUMNS,
]  # fmt: skip

__all__ = [
    "COMPARISON_BASES",
    "JUDGEMENTS",
    "MEASURE_COLUMNS",
    "HALF_YEAR_COLUMNS",
    "SPC_STATUSES",
    "regular_frame",
    "regular_series",
    "summarise_measure",
    "summarise_measures",
]


def rows_in_period(rows: pd.DataFrame, start: pd.Timestamp, stop: pd.Timestamp) -> pd.DataFrame:
    """Rows whose period lies wholly within ``start`` to ``stop``."""
    return rows[(rows["period_start"] >= start) & (rows["period_end"] <= stop)]


def has_previous_definition(series: pd.DataFrame, start: pd.Timestamp, stop: pd.Timestamp) -> bool:
    """Whether a measure has figures under its previous definition within a period."""
    return not rows_in_period(series[series["definition"] == "previous"], start, stop).empty


def regular_series(current: pd.DataFrame, frequency: str) -> pd.Series:
    """The current-definition series on a regular calendar, absent periods as gaps."""
    values = current.set_index("period_start")["value"].astype(float)
    values = values[~values.index.duplicated(keep="last")].sort_index()
    if values.empty:
        return values
    step = FREQUENCY_MONTHS[frequency]
    full = pd.date_range(values.index.min(), values.index.max(), freq=f"{step}MS")
    return values.reindex(full)


def _change_value(change: metrics.Change, unit: str) -> float | None:
    """The change the text prints, as a number (:func:`~pcplib.metrics.compute_shown_change`).

    None when the text tells it as a difference (small numbers, a variance across
    zero), as ``pct`` is then; the charts draw only per cent and points.
    """
    exact = change.pp if unit == "percent" else change.pct
    if exact is None:
        return None
    return metrics.compute_shown_change(change.baseline, change.current, unit)


def _window_label(window: Window, series: pd.DataFrame, frequency: str) -> str:
    """A window's label, saying why it has no figure when it has none."""
    label = window.label
    waiting = ""
    if window.unconfirmed:
        waiting = f"to be confirmed {name_periods(window.unconfirmed, frequency)}"
    if window.value is not None:
        if window.present < window.expected:
            unit_word = "month" if frequency == "monthly" else "quarter"
            label += f" ({window.present} of {window.expected} {unit_word}s"
            label += "; like for like" if window.skipped else ""
            label += f"; {waiting})" if waiting else ")"
        return label
    if waiting:
        return f"{label}: a figure {waiting}"
    first, last = month_of(window.first), month_of(window.last)
    if has_previous_definition(series, first.start_time, last.end_time):
        return f"{label}: previous definition, not comparable"
    if window.present:
        unit_word = "month" if frequency == "monthly" else "quarter"
        return f"{label}: incomplete ({window.present} of {window.expected} {unit_word}s)"
    return f"{label}: no data"


def _quality(
    series: pd.DataFrame, current: pd.DataFrame, regular: pd.Series, end: int, plan: SpcPlan | None
) -> str:
    """The measure's data-quality flags, comma-separated.

    ``regular`` is ``current``'s values on a regular calendar, as :func:`select_rows`
    made them once (the history's ``value``), not made again here.
    """
    flags = []
    if (series["definition"] == "previous").any():
        flags.append("definition changed")
    ends = pd.DatetimeIndex(current["period_end"])
    recent = current[month_number(ends) > end - 12]
    if (recent["status"] == "provisional").any():
        flags.append("provisional figures")
    if (recent["status"] == TO_CONFIRM).any():
        flags.append("figures to confirm")
    if not current.empty and regular.isna().any():
        flags.append("gaps")
    if plan is not None and plan.flag:
        flags.append(plan.flag)
    return ", ".join(flags)


@dataclass(frozen=True)
class _Rows:
    """A measure's rows up to the reporting period: all, current definition, and regular."""

    series: pd.DataFrame
    current: pd.DataFrame
    present: pd.DataFrame
    regular: pd.Series
    history: pd.DataFrame


def select_rows(dataset: Dataset, measure: Mapping[str, Any], end: int) -> _Rows:
    """The measure's observations up to the reporting period's last month, in its shapes."""
    series = get_series(dataset, measure["measure_id"])
    ends = pd.DatetimeIndex(series["period_end"])
    series = series[month_number(ends) <= end]
    current_def = series[series["definition"] == "current"]
    # A figure still to confirm stays in the record but counts as no figure in any
    # judgement (comparisons, tests, SPC) until a person confirms it.
    waiting = current_def["status"] == TO_CONFIRM
    if waiting.any():
        current_def = current_def.copy()
        for column in ("value", "numerator", "denominator"):
            if column in current_def.columns:
                current_def[column] = current_def[column].where(~waiting)
    present = current_def[current_def["value"].notna()]
    frequency = str(measure["frequency"])
    judged = current_def
    if counts_outcomes(measure):
        # Open outcomes can only settle into a higher rate of a charge, so SPC judges no
        # point whose outcomes are still open (provisional): a fall there may be the lag.
        judged = current_def.assign(
            value=current_def["value"].where(current_def["status"] != "provisional")
        )
    regular = regular_series(judged, frequency)
    history = regular_frame(current_def, frequency)
    return _Rows(series, current_def, present, regular, history)


def regular_frame(current: pd.DataFrame, frequency: str) -> pd.DataFrame:
    """Value, numerator and denominator on a regular calendar (the tests' history)."""
    columns = [c for c in ("value", "numerator", "denominator") if c in current.columns]
    frame = current.set_index("period_start")[columns].astype(float)
    frame = frame[~frame.index.duplicated(keep="last")].sort_index()
    for column in ("numerator", "denominator"):
        if column not in frame.columns:
            frame[column] = float("nan")
    if frame.empty:
        return frame
    step = FREQUENCY_MONTHS[frequency]
    full = pd.date_range(frame.index.min(), frame.index.max(), freq=f"{step}MS")
    return frame.reindex(full)


def describe_no_spc(spc: SpcVerdict, frequency: str) -> str:
    """Why SPC gave no verdict over the period, in a few words; empty when it gave one.

    The full reason (which special causes, which trend) is the row's ``spc_withheld``.
    """
    if spc.status == "assessed":
        return ""
    if spc.status == "unstable baseline" and spc.plan is not None:
        span = describe_span(spc.plan.limits_from, spc.plan.limits_to, frequency)
        return f"its baseline, {span}, is not stable"
    if spc.status == "rolling figure":
        return "a rolling 12-month figure, whose points overlap"
    if spc.status == "year-to-date figure":
        return "a year-to-date figure, which builds up through the year"
    if spc.status == "too few points" and spc.plan is not None and spc.plan.withheld:
        return spc.plan.withheld.removeprefix("no SPC verdict: ").split(" (", 1)[0]
    if spc.status == "too few points":
        return "too few points for SPC limits"
    return "SPC not run for this report"


def _target_period_label(figures: Figures, target: TargetForPeriod, frequency: str) -> str:
    """What period the target for the period covers, in words: the one label every report uses.

    "for the quarter", "for the year" (an annual measure), or for a seasonal measure
    judged on the year ending "in the 12 months to September 2026"; empty without a
    target.
    """
    if target.value is None:
        return ""
    if target.on_year:
        label = figures.year_ending.label
        return f"in the {label}" if label.startswith("12 months") else f"over the year ({label})"
    return "for the year" if frequency == "annual" else "for the quarter"


def _rating_inputs(figures: Figures, target: TargetForPeriod) -> float | None:
    return figures.year_ending.value if target.on_year else figures.current.value


def _summarise_measure(
    dataset: Dataset, measure: Mapping[str, Any], end: int, spc_rules: str | None
) -> dict[str, Any]:
    frequency = str(measure["frequency"])
    unit = str(measure["unit"])
    good = str(measure["good_direction"])
    aggregation_of(measure)
    rows = select_rows(dataset, measure, end)
    figures = compute_figures(rows.current, measure, end)
    changes = compare_figures(figures, rows.history, rows.current, measure)
    spc = assess_spc(rows.regular, measure, spc_rules, figures.current)
    indices = (
        spc.plan.indices if spc.plan is not None else measure_seasonality(rows.regular, measure)
    )
    target = compute_target_for_period(
        figures, measure, end, seasonal=judge_target_on_year(indices)
    )
    worsening, worsening_reason = weigh_worsening(changes, good)
    tested = any(
        evidence.verdict != "not tested"
        for evidence in (changes.quarter_evidence, changes.year_evidence)
    )
    limits_from, limits_to = describe_limits_period(
        spc.plan if spc.status == "assessed" else None, frequency
    )
    # The record counts from the latest shift the chart signals: periods before a change
    # in the process are no evidence of where the changed one lies (review 10, R10-5).
    # Nor does it cross a process change the catalogue declares, which a chart with no
    # stable reference period (no limits, so no shift) would otherwise leave it to do.
    shift = date_process_change(spc)
    record_from = max(limits_from, shift, date_declared_change(measure, rows.regular.index))
    # Only periods that are independent evidence are tested: one a year of a rolling
    # figure, none of a panel's waves (review 10, R10-6).
    listed = list_target_record(rows.regular, measure, target, record_from)
    record = select_independent_record(listed, measure)
    from_shift = bool(shift) and shift == record_from
    # A one-sided record settles the assurance: never "hit and miss" beside "20 of 20".
    spc = settle_assurance(spc, measure, figures.current, record, shift=from_shift)
    # A target the baseline year already met, and still met, asks for no improvement: the
    # measure is rated as one with no target would be (assessment.harm).
    asked = asks_nothing(target, _rating_inputs(figures, target), good)
    period_word, counted = name_record_periods(record, measure, shift=from_shift)
    process = judge_process_side(
        spc.assurance, spc.assurance_basis, record, frequency, unit=period_word, since=counted
    )
    # The record's own sign test, apart from limits set before a later shift: a figure
    # counted in full met while its record shows it usually missed is met, but not
    # reliably (review 10, R10-4; assessment.targets).
    on_record = judge_process_side(
        None, "record", record, frequency, unit=period_word, since=counted
    )
    # Limits that straddle the target beside a record the sign test settles: worded as
    # the record shows, never "by chance" (review 10, R10-15); the code, and so the
    # rating, stand.
    spc = settle_assurance_words(spc, measure, figures.current, process)
    chance = estimate_target_chance(
        figures.year_ending if target.on_year else figures.current, rows.history, measure
    )
    rating = rate_measure(
        _rating_inputs(figures, target), replace(target, value=None) if asked else target,
        good, spc.variation,
        worsening=worsening, worsening_reason=worsening_reason, evidence_known=tested,
        unit=unit, per=describe_rate_basis(measure, "quarter"),
        no_spc_reason=describe_no_spc(spc, frequency),
        improvement_reason=weigh_improvement(changes, good),
        chance=chance,
        process=process,
        beyond_limits=spc.beyond_limits,
        counted=is_administrative(measure),
        record=on_record,
    )  # fmt: skip
    rating = settle_rating(
        rating, few=describe_small_numbers(changes, figures, measure),
        no_baseline=describe_no_baseline(measure, figures),
        asked_nothing=figures.baseline.label if asked and figures.baseline else "",
        limits=(limits_from, limits_to), worsening=worsening,
    )  # fmt: skip
    if rating.rule == "harm_spc_unconfirmed":
        # The caption in the rating's words: never "a real change in the wrong direction"
        # for a concern the tests do not confirm (review 9, R9-23).
        spc = restate_unconfirmed(spc, measure, figures.current)
    if (
        counts_outcomes(measure)
        and rating.rag in ("Red", "Amber")
        and rating.basis in ("target", "trajectory")
        and holds_open_outcomes(figures.current, rows.current)
    ):
        # Short of its target while the period's outcomes are still open: the share is
        # not yet final (the lag may explain the shortfall), so no rating until it is.
        rating = OUTCOMES_OPEN
    if rating.rag == "Grey" and (figures.current.missing or figures.current.unconfirmed):
        # Say which months kept the period from a figure, not only that it has none.
        held = describe_completeness(figures.current, frequency)
        rating = replace(rating, rag="Grey", reason=f"{rating.reason} ({held})")
    row = _build_row(measure, rows, figures, changes, spc, target, rating)
    record_words = describe_target_record(
        rows.regular, measure, target, record_from, spc.assurance_basis == "record", from_shift
    )
    row.update(
        spc_limits_from=limits_from,
        spc_limits_to=limits_to,
        worsening=worsening,
        # Which side of its target the process lies on (SPC assurance, else the record's
        # sign test), and why: the annual evaluation reads the year's end from here, so
        # its rule is this one (assessment.year_targets.judge_year_targets).
        target_process=process[0],
        target_process_reason=process[1],
        target_record=record_words.text,
        # The record's parts a reader sets in its own words, never parsed from the
        # record's: the periods a one-sided record spans, and the count the sign test read.
        target_record_span=record_words.span,
        target_record_side=record_words.side,
        target_record_count=count_target_record(record, frequency, unit=period_word, since=counted),
        margin_of_error=estimate_survey_margin(figures.current, measure),
        # The 95% allowance chance gives the figure judged against a target (a survey's
        # margin of error; none for an exact administrative count): a move of the
        # figure between meetings is set against it (assessment.change_chance).
        target_allowance=chance.half_width if chance is not None else None,
        quality=_quality(rows.series, rows.current, rows.history["value"], end, spc.plan),
        # The one quality flag a reader acts on (a chart of current figures only), as
        # a column, so that none searches the flags' words.
        definition_changed=bool((rows.series["definition"] == "previous").any()),
    )
    row.update(name_reference_periods(row, measure))  # each reference period named once
    # What the chart says of the real change the rating rests on: nothing beyond its usual
    # range, or one month beyond it that holds most of the quarter's change, unless the
    # 12 months or the chart show the change lasting (review 21, R21-1, R21-2; review 22,
    # R22-3; assessment.chart_caveats). Words beside the change read these.
    row["chart_no_signal"] = has_chart_no_signal(row)
    spike = find_quarter_spike(
        spc.result if spc.status == "assessed" else None, rows.regular, figures.current,
        str(changes.quarter.judgement), measure, seasonal=bool(row["spc_seasonal"]),
        lasting=(str(changes.year.judgement), str(row["since_baseline_judgement"])),
        variation=spc.variation,
    )  # fmt: skip
    row.update(tabulate_quarter_spike(spike))
    row["assurance_words"] = describe_target_assurance(row)
    row["assessment"] = assess_measure(row)
    row["sentence"] = write_measure_sentence(row)
    return row


def summarise_measure(
    dataset: Dataset, measure: Mapping[str, Any], period_end: str, spc_rules: str | None = "mdc"
) -> dict[str, Any]:
    """Assess one measure for the reporting quarter: its row of :func:`summarise_measures`.

    Parameters
    ----------
    dataset : Dataset
        The data set (its ``observations`` and ``primary_area`` are read).
    measure : mapping
        The measure's catalogue row.
    period_end : str
        The last month of data, ``YYYY-MM``.
    spc_rules : {"mdc", "plotthedots"} or None, default "mdc"
        The SPC rule set; None for no SPC.

    Returns
    -------
    dict
        The measure's verdict, with the keys of :data:`MEASURE_COLUMNS`.
    """
    if spc_rules is not None:
        check_spc_rules(spc_rules)
    end = month_number(parse_month_param(period_end, "period_end"))
    return _summarise_measure(dataset, measure, end, spc_rules)


def _list_unconfirmed(figures: Figures, frequency: str) -> str:
    """The periods of the figures' windows whose figure is still to confirm, in words."""
    windows = (figures.current, figures.last_year, figures.year_ending, figures.previous_year)
    waiting = {p for w in (*windows, figures.baseline) if w is not None for p in w.unconfirmed}
    if not waiting:
        return ""
    return name_periods(waiting, frequency)


def _latest(rows: _Rows, frequency: str) -> tuple[str, float | None]:
    if rows.present.empty:
        return "no data", None
    last_row = rows.present.iloc[-1]
    return label_period_start(last_row["period_start"], frequency), float(last_row["value"])


def _rating_columns(
    figures: Figures, target: TargetForPeriod, rating: Rating, frequency: str
) -> dict[str, Any]:
    """The measure's target for the period and its rating, the basis as fields too."""
    return {
        "target": target.value,
        "target_per_period": target.per_period,
        "target_final": target.final,
        "target_date": target.due,
        "target_basis": target.basis,
        "target_on_year": target.on_year,
        "target_baseline_met": target.baseline_met,
        "target_met_before": target.met_before,
        "target_period_label": _target_period_label(figures, target, frequency),
        "target_compared": _rating_inputs(figures, target) if target.value is not None else None,
        "target_within_margin": rating.within_chance,
        "rag": rating.rag,
        "rag_basis": rating.basis,
        "rag_capped": rating.capped,
        "rag_reason": rating.reason,
        **tabulate_rating(rating),  # the basis as fields, for reports to format
    }


def _spc_columns(spc: SpcVerdict) -> dict[str, Any]:
    """The measure's SPC verdict over the reporting period, and the chart behind it."""
    return {
        "spc_status": spc.status,
        "spc_variation": spc.variation,
        "spc_latest": spc.latest,
        "spc_assurance": spc.assurance,
        "spc_assurance_basis": spc.assurance_basis,
        # Where the target lies against the limits, before any record settled the
        # assurance: what "its limits straddle the target" reads (review 16, R16-2).
        "spc_limits_assurance": spc.limits_assurance,
        "spc_seasonal": bool(spc.plan is not None and spc.plan.seasonal),
        "spc_note": spc.plan.note if spc.plan is not None else "",
        "spc_withheld": spc.plan.withheld if spc.plan is not None else "",
        "spc_summary": spc.summary,
        "spc_recent": spc.recent,
        "spc_signal": spc.signal,
        "spc_immaterial": spc.immaterial,
        "spc": spc.result,
    }


def _coverage_columns(
    measure: Mapping[str, Any], figures: Figures, frequency: str
) -> dict[str, Any]:
    """What the figures are per, how complete each window is, and what is still to confirm."""
    return {
        "has_data": figures.current.value is not None,
        # What a rate's figures are per (population and period), for every label that
        # prints them: the quarter's, a 12-month window's and a chart point's.
        "rate_per": describe_rate_basis(measure, "quarter"),
        "rate_per_year": describe_rate_basis(measure, "year"),
        "rate_per_point": describe_rate_basis(measure, "period"),
        "completeness": describe_completeness(figures.current, frequency),
        "comparison_completeness": describe_completeness(figures.last_year, frequency),
        "year_ending_completeness": describe_completeness(figures.year_ending, frequency),
        "baseline_completeness": describe_completeness(figures.baseline, frequency),
        "to_confirm": _list_unconfirmed(figures, frequency),
    }


def _half_year_columns(
    figures: Figures, changes: Changes, series: pd.DataFrame, frequency: str
) -> dict[str, Any]:
    """The two latest quarters against the same two a year earlier, when a rating rests on it."""
    half, evidence = changes.half, changes.half_evidence
    if half is None or evidence is None or figures.half_year is None:
        return dict.fromkeys(HALF_YEAR_COLUMNS, None)
    before = figures.half_year_before
    return {
        "half_year_label": _window_label(figures.half_year, series, frequency),
        "half_year": figures.half_year.value,
        "half_year_before_label": (
            _window_label(before, series, frequency) if before is not None else None
        ),
        "half_year_before": before.value if before is not None else None,
        "half_year_change": half.text,
        "half_year_judgement": half.judgement,
        "half_year_test": evidence.reason,
    }


def _build_row(
    measure: Mapping[str, Any],
    rows: _Rows,
    figures: Figures,
    changes: Changes,
    spc: SpcVerdict,
    target: TargetForPeriod,
    rating: Rating,
) -> dict[str, Any]:
    """The measure's tidy row: every figure and verdict a report shows, by name."""
    frequency, unit = str(measure["frequency"]), str(measure["unit"])
    series = rows.series
    latest_period, latest_value = _latest(rows, frequency)
    base, unlike = figures.baseline, changes.baseline_unlike
    change, since = changes.quarter, changes.since
    year_labels = figures.year_ending.label, figures.previous_year.label
    row: dict[str, Any] = {
        "measure_id": measure["measure_id"],
        "measure_name": measure["measure_name"],
        "strategy_id": measure["strategy_id"],
        "tier": measure["tier"],
        "unit": unit,
        "good_direction": str(measure["good_direction"]),
        "frequency": frequency,
        "aggregation": aggregation_of(measure),
        "source": measure.get("source", ""),
        "visibility": str(measure.get("visibility") or "public"),
        "target_note": "" if is_missing(measure.get("target_note")) else measure["target_note"],
        "sign_words": vocabulary.describe_sign(measure, figures.current.value),
        # Counted in full (opening hours, headcounts, money): its changes have no test of
        # chance, so no report words them "by more than chance" (vocabulary.say_chance).
        "administrative": is_administrative(measure),
        "latest_period": latest_period,
        "latest_value": latest_value,
        "current_label": _window_label(figures.current, series, frequency),
        "current": figures.current.value,
        "comparison_basis": "previous year" if frequency == "annual" else "same quarter last year",
        "last_year_label": _window_label(figures.last_year, series, frequency),
        "last_year": figures.last_year.value,
        "change": change.text,
        "change_value": _change_value(change, unit),
        "direction": change.direction,
        "arrow": change.arrow,
        "judgement": change.judgement,
        "change_evidence": changes.quarter_evidence.verdict,
        "change_test": changes.quarter_evidence.reason,
        "change_p": changes.quarter_evidence.p_value,
        "small_numbers": changes.quarter_evidence.small_numbers,
        "year_ending_label": _window_label(figures.year_ending, series, frequency),
        "year_ending": figures.year_ending.value,
        "previous_year_label": _window_label(figures.previous_year, series, frequency),
        "previous_year": figures.previous_year.value,
        "year_ending_change": changes.year.text,
        "year_ending_basis": describe_year_ending_basis(measure, *year_labels),
        "year_ending_judgement": changes.year.judgement,
        "year_ending_evidence": changes.year_evidence.verdict,
        "year_ending_test": changes.year_evidence.reason,
        "year_ending_p": changes.year_evidence.p_value,
        "baseline_label": (
            (f"{base.label}: {unlike}" if unlike else _window_label(base, series, frequency))
            if base is not None
            else "no baseline year"
        ),
        "baseline": base.value if base is not None and not unlike else None,
        # The label's parts, so that no reader cuts them from it: the baseline window's
        # own name, and why its figure is not compared (compare_baseline), else "".
        "baseline_period_label": base.label if base is not None else "",
        "baseline_unlike": unlike,
        "since_baseline_change": since.text,
        "since_baseline_direction": since.direction,
        "since_baseline_arrow": since.arrow,
        "since_baseline_judgement": since.judgement,
        "since_baseline_evidence": changes.since_evidence.verdict,
        # A real change since the plan began that continues a real change the same way
        # in the baseline year on the year before ("fall", "rise" or ""): the one flag
        # every place that gives the verdict since the plan began words it from.
        "since_baseline_continues": name_continued_change(
            since, changes.since_evidence, changes.before_plan, changes.before_plan_evidence
        ),
        "before_plan_change": changes.before_plan.text if changes.before_plan else "",
        "before_plan_evidence": changes.before_plan_evidence.verdict,
        "before_plan_test": changes.before_plan_evidence.reason,
        "since_baseline_words": vocabulary.describe_change_words(
            since.judgement,
            since.direction,
            changes.since_evidence.verdict,
            str(measure["good_direction"]),
        ),
        **_rating_columns(figures, target, rating, frequency),
        **_spc_columns(spc),
        **_coverage_columns(measure, figures, frequency),
        **_half_year_columns(figures, changes, series, frequency),
    }
    row["comparison_value"] = row["last_year"]
    row["target_for_period"] = row["target"]
    row["changes"] = changes  # the three changes as numbers too, for judgements.csv
    return row


def summarise_measures(
    dataset: Dataset,
    strategy_id: str | None,
    period_end: str,
    tier: str | None = None,
    audience: str = "board",
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
    audience : {"board", "public"}, default "board"
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
        falls due) and its basis; ``rag`` and ``rag_basis``, with the rule's fields
        (:data:`~pcplib.assessment.targets.RATING_COLUMNS`); the SPC ``spc_status``,
        ``spc_variation`` and ``spc_assurance`` (codes of :mod:`pcplib.spc`; the
        limits' own assurance, before any record settled it, is
        ``spc_limits_assurance``), the period that set the limits (``spc_limits_from``,
        ``spc_limits_to``), the :class:`~pcplib.spc.XmrResult` (``spc``); the target's record
        (``target_record``, and its parts ``target_record_span``,
        ``target_record_side`` and ``target_record_count``:
        :func:`~pcplib.assessment.target_record.describe_target_record`,
        :func:`~pcplib.assessment.chance.count_target_record`); data-quality flags
        (``quality``, and ``definition_changed``: figures under a previous
        definition); the short
        ``assessment`` and ``sentence``; the :class:`Changes` (``changes``); status checks.

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
    columns = [*MEASURE_COLUMNS, "comparison_value", "target_for_period", "changes"]
    return attach_status_checks(pd.DataFrame(rows, columns=columns), dataset, audience, period_end)
