"""Machine-readable judgements: one flat row per report and measure shown.

Every run writes these rows to ``judgements.csv`` beside ``index.html``, for people who
build dashboards (Power BI, Excel) on the reports and for checking them. They are the
same rows the HTML is formatted from, so the file and the pages cannot disagree; a
strategy's overall rating is a row with ``measure_id`` ``overall``. Analysts in a
notebook get the same rows from the report objects they meet, with readable column
names (:func:`label_columns`): ``summary.table`` for a strategy
(:class:`~pcplib.assessment.strategy.StrategySummary`), and
:func:`~pcplib.assessment.overview.tabulate_plan_overview` and
:func:`~pcplib.assessment.public.tabulate_public_quarter` for the plan overview and the
public report.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Iterable, Sequence
from typing import Protocol

import pandas as pd

from pcplib.assessment.change_chance import classify_target_standing
from pcplib.assessment.thresholds import ROLL_UP_METHOD
from pcplib.labels import format_figure, is_missing
from pcplib.metrics import Change, measure_change


class JudgedStrategy(Protocol):
    """What the judgements read of a strategy's summary.

    :class:`~pcplib.assessment.strategy.StrategySummary` has these fields; naming them
    here rather than importing that class keeps this module below
    :mod:`pcplib.assessment.strategy`, whose ``summary.table`` is built from it.
    """

    @property
    def strategy_id(self) -> str: ...
    @property
    def strategy_name(self) -> str: ...
    @property
    def period_end(self) -> str: ...
    @property
    def overall_rag(self) -> str: ...
    @property
    def overall_explanation(self) -> str: ...
    @property
    def measures(self) -> pd.DataFrame: ...
    @property
    def performance_rag(self) -> str: ...
    @property
    def delivery_rag(self) -> str: ...
    @property
    def risk_rag(self) -> str: ...
    @property
    def rating_note(self) -> str: ...


JUDGEMENT_COLUMNS = [
    "report", "strategy_id", "measure_id", "period_end", "current", "comparison_basis",
    "comparison_value", "change", "judgement", "spc_variation", "spc_assurance",
    "spc_limits_from", "spc_limits_to", "target_for_period", "rag", "rag_basis",
    "assessment", "sentence",
    "measure_name", "tier", "unit", "current_shown", "current_label", "comparison_label",
    "change_unit", "change_shown", "year_ending", "previous_year", "baseline",
    "since_baseline_change", "since_baseline_change_unit", "since_baseline_change_shown",
    "target_basis", "target_date", "spc_seasonal", "visibility", "source",
    "rag_reason", "change_evidence", "change_test", "year_ending_change",
    "year_ending_change_unit", "year_ending_change_shown", "year_ending_judgement",
    "year_ending_evidence", "year_ending_test",
    "since_baseline_judgement", "since_baseline_continues", "before_plan_change_shown",
    "before_plan_evidence", "evidence_disagreement", "chart_no_signal", "quarter_spike_month",
    "quarter_spike_value", "spc_status", "spc_withheld",
    "target_record", "target_standing", "status_disagreement",
    "margin_of_error", "small_numbers", "performance_rag", "delivery_rag", "risk_rag",
    "rating_note", "completeness", "comparison_completeness", "year_ending_completeness",
    "baseline_completeness",
    "previous_meeting", "previous_basis", "previous_period_end", "previous_rag",
    "previous_assessment", "previous_value", "previous_value_now", "revision",
    "since_last_meeting", "rating_change", "rating_within_chance",
]  # fmt: skip
"""The columns of ``judgements.csv``. Every change is a number (``change``,
``since_baseline_change``, ``year_ending_change``) in the unit its ``_unit`` column
names (``%``, ``pp`` or the measure's unit for a difference), beside the text the
reports print (``_shown``), so a spreadsheet or pandas reads numbers, not text. After
``source`` come the verdict's evidence: the rule and threshold behind each rating
(``rag_reason``), the tests of change and their verdicts, the SPC status, the target's
record and how the figure stands against its target (``target_standing``: met, met but
close, too close to say, missed), a commitment status the measure's data contradict
(``status_disagreement``), the survey margin of error, and for a strategy's overall row
its separate performance, delivery and risk ratings and what the overall rating alone
would hide (``rating_note``; ``risk_rag`` is empty in a public report's rows, as the
risks are the Board's only: withheld, never a rating value); last, how many of each
window's periods have a figure and which are missing (``completeness`` for the reporting
period, then the same period a year earlier, the year ending and the baseline year);
last of all, for a strategy report, the comparison with the last meeting that saw the
strategy (:data:`pcplib.assessment.continuity.CONTINUITY_COLUMNS`): the meeting, whether
its judgements are as reported or recomputed, its rating, assessment and figure, that
figure as today's data give it, the revision, the movements in words, and the rating's
move in the reports' categories (``rating_change``) with whether the reports mark it
within chance (``rating_within_chance``, True or False; empty without a comparison)."""

TABLE_COLUMNS = [
    "strategy_id", "measure_id", "measure_name", "tier", "period_end", "unit", "current",
    "comparison_basis", "comparison_value", "change", "judgement", "target_for_period", "rag",
    "rag_basis", "spc_variation", "spc_assurance", "spc_limits_from", "spc_limits_to",
    "assessment", "sentence",
]  # fmt: skip
"""The columns an analyst's table shows by default: few enough (20) for pandas to show all."""

COLUMN_LABELS: dict[str, str] = {
    "report": "Report",
    "strategy_id": "Strategy ID",
    "strategy_name": "Strategy",
    "measure_id": "Measure ID",
    "measure_name": "Measure",
    "period_end": "Period end",
    "current": "Current",
    "comparison_basis": "Compared with",
    "comparison_value": "Comparison value",
    "change": "Change",
    "change_unit": "Change's unit (%, pp or the measure's)",
    "judgement": "Judgement",
    "spc_variation": "SPC variation",
    "spc_assurance": "SPC assurance",
    "spc_limits_from": "SPC limits from",
    "spc_limits_to": "SPC limits to",
    "target_for_period": "Target for the period",
    "rag": "RAG",
    "rag_basis": "RAG basis",
    "assessment": "Assessment",
    "sentence": "Sentence",
    "tier": "Tier",
    "unit": "Unit",
    "current_shown": "Current (as shown)",
    "current_label": "Current period",
    "comparison_label": "Comparison period",
    "change_shown": "Change (as shown)",
    "year_ending": "Year ending",
    "previous_year": "Previous 12 months",
    "baseline": "Plan's baseline year",
    "since_baseline_change": "Against the plan's baseline year",
    "since_baseline_change_unit": "Against the plan's baseline year, unit",
    "since_baseline_change_shown": "Against the plan's baseline year (as shown)",
    "target_basis": "Target basis",
    "target_date": "Target date",
    "spc_seasonal": "Seasonally adjusted for SPC",
    "visibility": "Visibility",
    "source": "Source",
    "rag_reason": "RAG reason (rule and threshold)",
    "change_evidence": "Evidence for the change",
    "change_test": "Test of the change",
    "year_ending_change": "Year ending change",
    "year_ending_change_unit": "Year ending change, unit",
    "year_ending_change_shown": "Year ending change (as shown)",
    "year_ending_judgement": "Year ending judgement",
    "year_ending_evidence": "Evidence for the year ending change",
    "year_ending_test": "Test of the year ending change",
    "since_baseline_judgement": "Against the plan's baseline year, judgement",
    "since_baseline_continues": "Against the plan's baseline year, continues a change begun "
    "before the plan",
    "before_plan_change_shown": "Baseline year on the year before (as shown)",
    "before_plan_evidence": "Evidence for the baseline year on the year before",
    "evidence_disagreement": "SPC and baseline-year test disagree",
    "chart_no_signal": "A real change its chart does not show",
    "quarter_spike_month": "The quarter's change rests on one month",
    "quarter_spike_value": "That month's figure",
    "status_disagreement": "Question for the owners on a promise's status",
    "spc_status": "SPC status",
    "spc_withheld": "SPC withheld because",
    "target_record": "Target record",
    "target_standing": "Standing against the target",
    "margin_of_error": "Margin of error (95%, pp)",
    "small_numbers": "Small numbers",
    "performance_rag": "Performance RAG",
    "delivery_rag": "Delivery RAG",
    "risk_rag": "Risk RAG",
    "rating_note": "What the rating hides",
    "completeness": "Completeness of the period",
    "comparison_completeness": "Completeness of the comparison period",
    "year_ending_completeness": "Completeness of the year ending",
    "baseline_completeness": "Completeness of the baseline",
}
"""Readable names for the columns of judgements and of the other tidy frames."""

_ACRONYMS = {"rag": "RAG", "spc": "SPC", "id": "ID", "pp": "pp"}

__all__ = [
    "COLUMN_LABELS",
    "JUDGEMENT_COLUMNS",
    "TABLE_COLUMNS",
    "label_column",
    "label_columns",
    "select_judgements",
    "tabulate_judgements",
]


def label_column(name: str) -> str:
    """Return a column's readable name: :data:`COLUMN_LABELS`, else its words capitalised.

    Parameters
    ----------
    name : str
        A column name such as ``"baseline_year"``.

    Returns
    -------
    str
        Such as ``"Baseline year"`` (``RAG``, ``SPC`` and ``ID`` in capitals).
    """
    if name in COLUMN_LABELS:
        return COLUMN_LABELS[name]
    words = [_ACRONYMS.get(word, word) for word in str(name).split("_") if word]
    if not words:
        return str(name)
    first = words[0] if words[0] in _ACRONYMS.values() else words[0].capitalize()
    return " ".join([first, *words[1:]])


def _is_plain(value: object) -> bool:
    """Whether a cell holds a plain value (text, number, date, missing), not an object."""
    return value is None or isinstance(
        value, str | numbers.Number | dt.date | pd.Timestamp | pd.Period
    )


def label_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a tidy frame as an analyst reads it: readable column names, plain values only.

    Parameters
    ----------
    frame : pandas.DataFrame
        Judgements (:func:`tabulate_judgements`) or another of the assessment's tidy
        frames (the plan overview, the annual evaluation, ``summary.measures``).

    Returns
    -------
    pandas.DataFrame
        A copy with columns named by :func:`label_column`; columns holding objects
        rather than values (the SPC results of ``summary.measures``) are left out, as
        pandas can only show them as their type.
    """
    plain = [
        column
        for column in frame.columns
        if frame[column].dtype != object or frame[column].map(_is_plain).all()
    ]
    return frame[plain].rename(columns=label_column)


def select_judgements(
    frame: pd.DataFrame, columns: Sequence[str] | None = None, *, readable: bool = True
) -> pd.DataFrame:
    """Return some columns of judgements, with readable names unless told otherwise.

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`tabulate_judgements`.
    columns : sequence of str, optional
        Which columns, in order; :data:`TABLE_COLUMNS` when omitted,
        :data:`JUDGEMENT_COLUMNS` for every column of ``judgements.csv``.
    readable : bool, default True
        Name the columns for reading (:func:`label_columns`); False keeps the names of
        ``judgements.csv``.

    Returns
    -------
    pandas.DataFrame
        The rows, unchanged, in the columns asked for.

    Raises
    ------
    ValueError
        If a column is not one of :data:`JUDGEMENT_COLUMNS`.
    """
    columns = list(TABLE_COLUMNS if columns is None else columns)
    unknown = [c for c in columns if c not in frame.columns]
    if unknown:
        raise ValueError(
            f"unknown judgement column(s) {', '.join(map(repr, unknown))}; expected some of: "
            f"{', '.join(JUDGEMENT_COLUMNS)}"
        )
    chosen = frame[columns].reset_index(drop=True)
    return label_columns(chosen) if readable else chosen


def _number(value: object) -> float | None:
    return None if is_missing(value) else float(value)  # type: ignore[arg-type]


def _change_columns(r: dict[str, object]) -> dict[str, object]:
    """Each of a measure's three changes as a number and its unit (the reports' text aside)."""
    changes = r.get("changes")
    unit = str(r["unit"])
    columns: dict[str, object] = {}
    for name, attribute in (
        ("change", "quarter"),
        ("year_ending_change", "year"),
        ("since_baseline_change", "since"),
    ):
        change = getattr(changes, attribute, None)
        measured = measure_change(change, unit) if isinstance(change, Change) else (None, "")
        columns[name], columns[f"{name}_unit"] = measured
    return columns


def _measure_rows(summary: JudgedStrategy, report: str) -> list[dict[str, object]]:
    rows = []
    for r in summary.measures.to_dict("records"):
        rows.append(
            {
                "report": report,
                "strategy_id": r["strategy_id"],
                "measure_id": r["measure_id"],
                "period_end": summary.period_end,
                "current": _number(r["current"]),
                "comparison_basis": r["comparison_basis"],
                "comparison_value": _number(r["last_year"]),
                "judgement": r["judgement"],
                "spc_variation": r["spc_variation"] or "",
                "spc_assurance": r["spc_assurance"] or "",
                "spc_limits_from": r["spc_limits_from"],
                "spc_limits_to": r["spc_limits_to"],
                "target_for_period": _number(r["target"]),
                "rag": r["rag"],
                "rag_basis": r["rag_basis"],
                "assessment": r["assessment"],
                "sentence": r["sentence"],
                "measure_name": r["measure_name"],
                "tier": r["tier"],
                "unit": r["unit"],
                "current_shown": format_figure(
                    r["current"], r["unit"], per=str(r.get("rate_per") or "")
                ),
                "current_label": r["current_label"],
                "comparison_label": r["last_year_label"],
                "change_shown": r["change"],
                "year_ending": _number(r["year_ending"]),
                "previous_year": _number(r["previous_year"]),
                "baseline": _number(r["baseline"]),
                "since_baseline_change_shown": r["since_baseline_change"],
                "target_basis": r["target_basis"],
                "target_date": r["target_date"],
                "spc_seasonal": bool(r["spc_seasonal"]),
                "visibility": r["visibility"],
                "source": r["source"],
                "rag_reason": r["rag_reason"],
                "change_evidence": r["change_evidence"],
                "change_test": r["change_test"],
                "year_ending_change_shown": r["year_ending_change"],
                "year_ending_judgement": r["year_ending_judgement"],
                "year_ending_evidence": r["year_ending_evidence"],
                "year_ending_test": r["year_ending_test"],
                "since_baseline_judgement": r["since_baseline_judgement"],
                # The one flag every "since the plan began" is worded from, and the test
                # behind it (changes.name_continued_change).
                "since_baseline_continues": r["since_baseline_continues"],
                "before_plan_change_shown": r["before_plan_change"],
                "before_plan_evidence": r["before_plan_evidence"],
                "evidence_disagreement": r.get("evidence_disagreement") or "",
                # What the chart says of a real change: nothing beyond its usual range, or
                # one month beyond it holding most of the quarter's change (chart_caveats).
                "chart_no_signal": bool(r.get("chart_no_signal")),
                "quarter_spike_month": r.get("quarter_spike_month") or "",
                "quarter_spike_value": _number(r.get("quarter_spike_value")),
                "spc_status": r["spc_status"],
                "spc_withheld": r["spc_withheld"],
                "target_record": r["target_record"],
                "target_standing": classify_target_standing(r),
                "status_disagreement": r.get("status_disagreement") or "",
                "margin_of_error": _number(r["margin_of_error"]),
                "small_numbers": bool(r["small_numbers"]),
                "completeness": r["completeness"],
                "comparison_completeness": r["comparison_completeness"],
                "year_ending_completeness": r["year_ending_completeness"],
                "baseline_completeness": r["baseline_completeness"],
                **_change_columns(r),
            }
        )
    return rows


def _overall_row(summary: JudgedStrategy, report: str) -> dict[str, object]:
    # How few headline measures the rating rests on, when too few (review 7, F12).
    scope = str(getattr(summary, "rating_scope", "") or "")
    return {
        "report": report,
        "strategy_id": summary.strategy_id,
        "measure_id": "overall",
        "period_end": summary.period_end,
        "judgement": "",
        "rag": summary.overall_rag,
        "rag_basis": "roll-up",
        "assessment": "overall rating",
        "sentence": summary.overall_explanation,
        "measure_name": summary.strategy_name,
        "tier": "strategy",
        "rag_reason": f"roll-up rule: the {ROLL_UP_METHOD} of the rated headline measures"
        + (f"; {scope}" if scope else ""),
        "performance_rag": summary.performance_rag,
        "delivery_rag": summary.delivery_rag,
        "risk_rag": summary.risk_rag,
        "rating_note": summary.rating_note,
    }


def tabulate_judgements(
    summaries: Iterable[JudgedStrategy], report: str, tiers: Iterable[str] = ("headline", "sub")
) -> pd.DataFrame:
    """Return the judgements of one report as a flat frame, one row per measure shown.

    Parameters
    ----------
    summaries : iterable of JudgedStrategy
        The strategies the report shows, from
        :func:`~pcplib.assessment.strategy.summarise_strategy` (with the report's
        audience, so a public report holds public measures only).
    report : str
        The report's name as the run publishes it (``safer-streets``, ``plan-overview``...).
    tiers : iterable of str, default both
        The tiers of measure the report shows.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`JUDGEMENT_COLUMNS`: the first eighteen are those of
        ``judgements.csv`` as documented in ``docs/methodology.md``; ``change`` is a
        number in ``change_unit`` (per cent, percentage points for a percentage
        measure, or a difference in the measure's unit where the reports print one),
        ``current`` the reporting period's figure unrounded (``current_shown`` as the
        table prints it).
    """
    keep = set(tiers)
    rows: list[dict[str, object]] = []
    for summary in summaries:
        rows.append(_overall_row(summary, report))
        rows += [r for r in _measure_rows(summary, report) if r["tier"] in keep]
    return pd.DataFrame(rows, columns=JUDGEMENT_COLUMNS)
