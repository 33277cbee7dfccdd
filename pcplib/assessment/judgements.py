"""Machine-readable judgements: one flat row per report and measure shown.

Every run writes these rows to ``judgements.csv`` beside ``index.html``, for people who
build dashboards (Power BI, Excel) on the reports and for checking them. They are the
same rows the HTML is formatted from, so the file and the pages cannot disagree; a
strategy's overall rating is a row with ``measure_id`` ``overall``. Analysts in a
notebook get the same frame from :func:`tabulate_judgements`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from pcplib.labels import format_figure, is_missing

if TYPE_CHECKING:
    from pcplib.assessment.strategy import StrategySummary

JUDGEMENT_COLUMNS = [
    "report", "strategy_id", "measure_id", "period_end", "current", "comparison_basis",
    "comparison_value", "change", "judgement", "spc_variation", "spc_assurance",
    "spc_limits_from", "spc_limits_to", "target_for_period", "rag", "rag_basis",
    "assessment", "sentence",
    "measure_name", "tier", "unit", "current_shown", "current_label", "comparison_label",
    "change_shown", "year_ending", "previous_year", "baseline", "since_baseline_change",
    "target_basis", "target_date", "spc_seasonal", "visibility", "source",
]  # fmt: skip

__all__ = ["JUDGEMENT_COLUMNS", "tabulate_judgements"]


def _number(value: object) -> float | None:
    return None if is_missing(value) else float(value)  # type: ignore[arg-type]


def _measure_rows(summary: StrategySummary, report: str) -> list[dict[str, object]]:
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
                "change": _number(r["change_value"]),
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
                "current_shown": format_figure(r["current"], r["unit"]),
                "current_label": r["current_label"],
                "comparison_label": r["last_year_label"],
                "change_shown": r["change"],
                "year_ending": _number(r["year_ending"]),
                "previous_year": _number(r["previous_year"]),
                "baseline": _number(r["baseline"]),
                "since_baseline_change": r["since_baseline_change"],
                "target_basis": r["target_basis"],
                "target_date": r["target_date"],
                "spc_seasonal": bool(r["spc_seasonal"]),
                "visibility": r["visibility"],
                "source": r["source"],
            }
        )
    return rows


def _overall_row(summary: StrategySummary, report: str) -> dict[str, object]:
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
    }


def tabulate_judgements(
    summaries: Iterable[StrategySummary], report: str, tiers: Iterable[str] = ("headline", "sub")
) -> pd.DataFrame:
    """Return the judgements of one report as a flat frame, one row per measure shown.

    Parameters
    ----------
    summaries : iterable of StrategySummary
        The strategies the report shows, from
        :func:`~pcplib.assessment.strategy.summarise_strategy` (with the report's
        audience, so a public report holds public measures only).
    report : str
        The report's name as the run publishes it (``vawg``, ``plan-overview``...).
    tiers : iterable of str, default both
        The tiers of measure the report shows.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`JUDGEMENT_COLUMNS`: the first eighteen are those of
        ``judgements.csv`` as documented in ``docs/methodology.md``; ``change`` is in
        per cent (percentage points for a percentage measure), ``current`` the
        reporting period's figure unrounded (``current_shown`` as the table prints it).
    """
    keep = set(tiers)
    rows: list[dict[str, object]] = []
    for summary in summaries:
        rows.append(_overall_row(summary, report))
        rows += [r for r in _measure_rows(summary, report) if r["tier"] in keep]
    return pd.DataFrame(rows, columns=JUDGEMENT_COLUMNS)
