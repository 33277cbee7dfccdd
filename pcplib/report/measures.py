"""Measures as a reader sees them: the measures table, overall rating and SPC charts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from pcplib import rag

if TYPE_CHECKING:
    pass
from pcplib.assessment.measures import PER_PERIOD
from pcplib.assessment.strategy import StrategySummary
from pcplib.labels import as_sentence, format_value, is_missing
from pcplib.report.charts import describe_chart, figure_to_html, plot_spc
from pcplib.report.html import arrow_cell, build_table, esc, notice, value_cell, with_note
from pcplib.report.words import RAG_BASIS_WORDS, describe_assurance, describe_variation


def _direction_note(r: dict) -> str:
    """The direction and its judgement, once when they are the same words."""
    if r["direction"] == r["judgement"]:
        return str(r["direction"])
    return f"{r['direction']}; {r['judgement']}"


def format_measures_table(df: pd.DataFrame, caption: str) -> str:
    """Return a measures summary (from :func:`summarise_measures`) as an HTML table.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows from :func:`summarise_measures`.
    caption : str
        The table's caption (escaped here).

    Returns
    -------
    str
        An accessible table in a scrollable region: caption, column and row headers
        with ``scope``, the RAG as a word and a colour, the change with its arrow
        and judgement, SPC variation and assurance in words. Ids derive from the
        caption, so output is deterministic.
    """
    if df.empty:
        return f"<p>{esc(caption)}: no measures of this kind are published for this audience.</p>"
    if not df["has_data"].any():
        return notice(
            f"<p>{esc(caption)}: no figures are available for this period, so no table "
            "is shown.</p>"
        )
    head = [
        "Measure", "Current", "Same period last year", "Year ending", "Since the baseline",
        "Target for the period", "RAG", "SPC", "Assessment", "Data notes",
    ]  # fmt: skip
    rows = []
    for r in df.to_dict("records"):
        unit = r["unit"]
        if is_missing(r["target"]):
            target = "No target"
        else:
            target = esc(format_value(r["target"], unit))
            per_period = r.get("target_per_period")
            if r.get("target_basis") == "trajectory":
                target = with_note(
                    f"{target} expected by now", f"on the line to {r['target_date']}"
                )
            elif not is_missing(per_period) and per_period != r["target"]:
                target = with_note(
                    f"{target} for the quarter",
                    f"({format_value(per_period, unit)} {PER_PERIOD[r['frequency']]})",
                )
            if r["target_note"]:
                target = with_note(target, r["target_note"])
        name = esc(r["measure_name"])
        if r.get("visibility") == "restricted":
            name += '<br><span class="small"><strong>Restricted:</strong> CGB only</span>'
        spc_words = describe_variation(r["spc_status"], r["spc_variation"])
        if r["spc_status"] == "assessed":
            assurance = describe_assurance(
                r["spc_status"], r["spc_assurance"], not is_missing(r["target"])
            )
            spc_words = f"{spc_words}. {assurance}"
        spc_cell = esc(spc_words)
        if r.get("spc_limits_from"):
            spc_cell = with_note(
                spc_cell, f"limits from {r['spc_limits_from']} to {r['spc_limits_to']}"
            )
        rows.append(
            [
                name,
                value_cell(r["current"], unit, r["current_label"]),
                with_note(
                    arrow_cell(r["arrow"], r["change"], _direction_note(r)),
                    f"{format_value(r['last_year'], unit)}: {r['last_year_label']}",
                ),
                with_note(
                    esc(f"{format_value(r['year_ending'], unit)} ({r['year_ending_change']})"),
                    f"against {format_value(r['previous_year'], unit)} in the previous 12 months",
                ),
                with_note(
                    arrow_cell(
                        r["since_baseline_arrow"],
                        r["since_baseline_change"],
                        r["since_baseline_judgement"],
                    ),
                    f"latest 12 months against {format_value(r['baseline'], unit)}: "
                    f"{r['baseline_label']}",
                ),
                target,
                with_note(rag.format_rag_html(r["rag"]), RAG_BASIS_WORDS[r["rag_basis"]]),
                spc_cell,
                esc(r["sentence"]),
                esc(r["quality"] or "None"),
            ]
        )
    return build_table(head, rows, caption)


def format_overall_rag(summary: StrategySummary) -> str:
    """Return the overall RAG badge and the sentence explaining the roll-up.

    Parameters
    ----------
    summary : StrategySummary
        From :func:`summarise_strategy`.

    Returns
    -------
    str
        HTML paragraphs.
    """
    no_data = ""
    if not summary.has_data:
        no_data = notice(
            f"<p><strong>No data for this period.</strong> None of this strategy's measures "
            f"has a figure for the reporting period ending {esc(summary.period_end)}, so its "
            "tables below say so rather than show empty rows.</p>"
        )
    return (
        f"{no_data}<p><strong>Overall RAG:</strong> "
        f"{rag.format_rag_html(summary.overall_rag)}</p>"
        f"<p>{esc(summary.overall_explanation)}</p>"
    )


def build_spc_charts(summary_df: pd.DataFrame) -> str:
    """Return one SPC chart per measure, each with alt text and a caption.

    Parameters
    ----------
    summary_df : pandas.DataFrame
        Rows from :func:`summarise_measures` (usually the headline measures).

    Returns
    -------
    str
        ``<figure>`` elements; a measure without enough data gets a sentence instead.
    """
    if summary_df.empty:
        return "<p>No measures to chart.</p>"
    parts = []
    for r in summary_df.to_dict("records"):
        result = r["spc"]
        if result is None:
            parts.append(
                f"<p><strong>{esc(r['measure_name'])}</strong>: not enough data for an "
                "SPC chart in this period.</p>"
            )
            continue
        title = r["measure_name"] + (" (seasonally adjusted)" if r.get("spc_seasonal") else "")
        fig = plot_spc(result, title=title, unit=r["unit"])
        alt = describe_chart(result, title, r["unit"])
        if r.get("spc_note"):
            # The alt text says which period set the limits, as the caption does.
            alt = f"{alt} {as_sentence(r['spc_note'])}"
        caption = f"{r['measure_name']}: {r['spc_summary']} Source: {r['source']}."
        if "definition changed" in r["quality"]:
            caption += " Only figures under the current definition are charted."
        parts.append(figure_to_html(fig, alt, caption))
    return "".join(parts)
