"""The annual evaluation as HTML."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    pass
from pcplib.labels import format_value, is_missing
from pcplib.report.html import arrow_cell, build_table, esc, with_note
from pcplib.report.words import ANNUAL_TESTS_NOTE


def format_annual_evaluation(df: pd.DataFrame, year: str) -> str:
    """Return the annual evaluation as an HTML table with a summary sentence.

    Parameters
    ----------
    df : pandas.DataFrame
        From :func:`evaluate_year`.
    year : str
        The year evaluated.

    Returns
    -------
    str
        HTML: a count of significant changes, the method, then the table.
    """
    significant = df[df["verdict"].str.startswith("statistically significant")]
    tested = df[df["verdict"] != ""]
    summary = (
        f"Of {len(df)} public measures, {len(tested)} could be tested; "
        f"{len(significant)} changed by more than chance between the baseline year and {year}."
    )
    rows = []
    for r in df.to_dict("records"):
        unit = r["unit"]
        total = {"sum": " (year's total)", "last": " (at the year end)"}.get(
            r["aggregation"], " (average)"
        )
        rows.append(
            [
                esc(r["measure_name"]),
                esc(r["strategy_name"]),
                with_note(
                    esc(
                        format_value(r["baseline"], unit)
                        + ("" if is_missing(r["baseline"]) else total)
                    ),
                    r["baseline_year"],
                ),
                with_note(
                    esc(
                        format_value(r["current"], unit)
                        + ("" if is_missing(r["current"]) else total)
                    ),
                    year,
                ),
                arrow_cell(r["arrow"], r["change"], r["judgement"]),
                esc(r["verdict"] or "Not tested"),
                esc(r["finding"]),
            ]
        )
    table = build_table(
        ["Measure", "Strategy", "Baseline", year, "Change", "Test verdict", "In words"],
        rows,
        f"Public measures: {year} against the baseline year",
    )
    return f"<p>{esc(summary)}</p><p>{esc(ANNUAL_TESTS_NOTE)}</p>{table}"
