"""The plan overview table and the Table One back test as HTML."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from pcplib import periods, rag

if TYPE_CHECKING:
    pass
from pcplib.assessment.overview import arrow_words, rebuild_table_one
from pcplib.assessment.scope import parse_month_param
from pcplib.labels import is_missing, month_words
from pcplib.report.html import arrow_cell, build_table, esc, value_cell, with_note, wrap_table_rows


def format_plan_overview_caption(period_end: str) -> str:
    """Return the plan overview table's caption, naming the quarter and last month in words.

    Parameters
    ----------
    period_end : str
        The last month of data shown, ``YYYY-MM``.

    Returns
    -------
    str
        Such as ``"Police and Crime Plan 2025-29 on one page: 2026/27 Q2, data to the
        end of September 2026"``.
    """
    end = parse_month_param(period_end, "period_end")
    return (
        f"Police and Crime Plan 2025-29 on one page: {periods.label_quarter(end.to_timestamp())}"
        f", data to the end of {month_words(end)}"
    )


def _outside_words(value: object) -> str:
    """The areas-outside cell: "1 of 9 local authorities", or that there is no comparison."""
    if is_missing(value) or not str(value):
        return "no figures by area"
    return f"{value} local authorities"


def format_plan_overview(df: pd.DataFrame, caption: str) -> str:
    """Return the plan overview as an HTML table, one row group per strategy.

    Parameters
    ----------
    df : pandas.DataFrame
        From :func:`build_plan_overview`.
    caption : str
        The caption.

    Returns
    -------
    str
        HTML: strategy cells span their measures' rows; RAG as word and colour.
    """
    head = [
        "Strategy", "Commitments", "Current RAG", "Headline measure", "Baseline", "Current",
        "Trend", "Areas outside the limits", "Projected delivery",
    ]  # fmt: skip
    body = []
    for _, group in df.groupby("strategy_id", sort=False):
        first = group.iloc[0]
        span = len(group)
        rs = f' rowspan="{span}"' if span > 1 else ""
        delivery = (
            f"{first['projected_delivery']:.0f}% {rag.format_rag_html(first['delivery_rag'])}"
            if not is_missing(first["projected_delivery"])
            else rag.format_rag_html("Grey") + " no commitments"
        )
        for i, m in enumerate(group.to_dict("records")):
            cells = []
            if i == 0:
                cells += [
                    f'<th scope="rowgroup"{rs}>{esc(m["strategy_name"])}</th>',
                    f'<td class="num"{rs}>{m["commitments"]}</td>',
                    f"<td{rs}>{rag.format_rag_html(m['current_rag'])}</td>",
                ]
            if m["measure_name"]:
                unit = m["unit"]
                cells += [
                    f"<td>{esc(m['measure_name'])}</td>",
                    f'<td class="num">{value_cell(m["baseline"], unit, m["baseline_label"])}</td>',
                    f'<td class="num">{value_cell(m["current"], unit, m["current_label"])}</td>',
                    f"<td>{arrow_cell(m['arrow'], m['direction'], m['judgement'])}</td>",
                    f"<td>{esc(_outside_words(m.get('areas_outside')))}</td>",
                ]
            else:
                cells.append('<td colspan="5">No public headline measure</td>')
            if i == 0:
                cells.append(f"<td{rs}>{delivery}</td>")
            body.append(f"<tr>{''.join(cells)}</tr>")
    return wrap_table_rows(head, body, caption)


def format_table_one_section(reference_df: pd.DataFrame) -> str:
    """Rebuild Table One and return it as HTML, labelled with its source.

    Parameters
    ----------
    reference_df : pandas.DataFrame
        From :func:`load_table_one`.

    Returns
    -------
    str
        A sentence naming the source, the back-test table and a count of matches.
    """
    rebuilt = rebuild_table_one(reference_df)
    sources = []
    if "source" in rebuilt.columns:
        sources = sorted({str(v) for v in rebuilt["source"] if str(v).strip()})
    source_text = "; ".join(sources) or "source not recorded"
    intro = f"<p><strong>Source:</strong> {esc(source_text)}. Real published figures.</p>"
    return intro + format_table_one(
        rebuilt, "Table One of the 2021-24 plan (published figures), with trends recomputed"
    )


def format_table_one(rebuilt: pd.DataFrame, caption: str) -> str:
    """Return the Table One back test as an HTML table.

    Parameters
    ----------
    rebuilt : pandas.DataFrame
        From :func:`rebuild_table_one`.
    caption : str
        The caption, which should name the source.

    Returns
    -------
    str
        HTML: theme, commitments, current RAG as published (word and colour),
        measure, baseline, current, published and recomputed trend, and whether
        they match; then a sentence counting the matches.
    """
    head = [
        "Theme", "Commitments", "Current RAG (published)", "Measure", "Baseline 2020/21",
        "Current (end of 2023)", "Published trend", "Recomputed trend", "Match",
        "Projected delivery",
    ]  # fmt: skip
    rows = []
    for r in rebuilt.to_dict("records"):
        published_rag = str(r.get("current_rag", "Grey") or "Grey")
        note = r.get("baseline_note")
        baseline = (
            f"{r['baseline_value']:,.0f}"
            if not is_missing(r["baseline_value"])
            else "not available"
        )
        if not is_missing(note) and note:
            baseline = with_note(baseline, note)
        current = (
            f"{r['current_value']:,.0f}" if not is_missing(r["current_value"]) else "not available"
        )
        rows.append(
            [
                esc(r["theme"]),
                esc(r.get("commitments", "")),
                rag.format_rag_html(published_rag)
                + (" (published as Yellow)" if published_rag == "Yellow" else ""),
                esc(r["measure"]),
                baseline,
                esc(current),
                f"{esc(r['published_trend'])} ({esc(arrow_words(r['published_trend']))})",
                f"{esc(r['recomputed_trend'])} ({esc(r['direction'])})",
                "Yes" if r["matches"] else "<strong>No</strong>",
                esc(f"{r['projected_delivery']}%" if "projected_delivery" in r else ""),
            ]
        )
    matched = int(rebuilt["matches"].sum())
    total = len(rebuilt)
    verdict = (
        f"All {total} recomputed trends match the published ones."
        if matched == total
        else f"{matched} of {total} recomputed trends match the published ones."
    )
    return build_table(head, rows, caption, row_headers=False) + f"<p>{esc(verdict)}</p>"
