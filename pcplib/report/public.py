"""The public quarterly report's body and the published CGB forward plan."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pcplib import periods, rag

if TYPE_CHECKING:
    from pcplib.data import Dataset
from pcplib.assessment.public import split_public_measures
from pcplib.assessment.scope import available_period_end, parse_month_param
from pcplib.assessment.strategy import summarise_strategy
from pcplib.labels import month_words
from pcplib.report.html import build_table, esc, list_or
from pcplib.report.narrative import format_narrative


def format_public_quarter(dataset: Dataset, quarter: str, spc_rules: str = "mdc") -> str:
    """Return the public report's body: per strategy, what was achieved and what needs attention.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    quarter : str
        The quarter, such as ``"2026/27 Q2"``; a quarter beyond the data shows the
        latest quarter available (the header says so).
    spc_rules : str, default "mdc"
        Kept for a stable signature; the public report shows no SPC, so none is run.

    Returns
    -------
    str
        HTML with one section per strategy: overall rating (public measures), then
        what has been achieved (measures meeting their target, or improving where
        there is no target, delivered commitments, successes) and what still needs
        attention (targets missed, measures getting worse, commitments at risk,
        challenges), in plain English. Public measures only.
    """
    _, end = periods.parse_quarter(quarter)
    period_end = available_period_end(dataset, str(end.to_period("M")))
    shown_quarter = periods.label_quarter(
        parse_month_param(period_end, "period_end").to_timestamp()
    )
    parts = []
    for strategy_id in dataset.strategies["strategy_id"]:
        summary = summarise_strategy(
            dataset, strategy_id, period_end, audience="public", spc_rules=spc_rules,
            with_spc=True,
        )  # fmt: skip
        parts.append(f"<h2>{esc(summary.strategy_name)}</h2>")
        parts.append(
            f"<p><strong>Overall rating:</strong> {rag.format_rag_html(summary.overall_rag)}</p>"
        )
        if not summary.has_data:
            parts.append(f"<p>No published measure has figures for {esc(shown_quarter)}.</p>")
        achieved, attention = split_public_measures(summary)
        for heading, items, empty, section in (
            (
                "What has been achieved",
                achieved,
                "No measure met its target or improved this quarter.",
                "successes",
            ),
            (
                "What still needs attention",
                attention,
                "Nothing flagged this quarter.",
                "challenges",
            ),
        ):
            parts.append(f"<h3>{heading}</h3>")
            parts.append(list_or(items, empty))
            parts.append(
                format_narrative(
                    dataset, strategy_id, shown_quarter, audience="public", sections=[section],
                    heading_level=4,
                )
            )  # fmt: skip
    return "".join(parts)


def format_forward_plan(
    dataset: Dataset, slots: Iterable[Any], after: str | None = None, limit: int = 6
) -> str:
    """Return the CGB forward plan's upcoming slots as an HTML table.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set (for strategy names).
    slots : iterable of Slot
        Forward-plan slots with ``slot`` (``YYYY-MM``), ``strategies`` (ids) and
        ``period_end``.
    after : str, optional
        Only slots after this month (``YYYY-MM``) are listed.
    limit : int, default 6
        At most this many slots.

    Returns
    -------
    str
        HTML table: meeting month, strategies, data period.
    """
    names = dataset.strategies.set_index("strategy_id")["strategy_name"]
    cutoff = parse_month_param(after, "after") if after else None
    chosen = []
    for s in sorted(slots, key=lambda s: str(s.slot)):
        month = parse_month_param(str(s.slot), "slot")
        if cutoff is not None and month <= cutoff:
            continue
        chosen.append((month, s))
        if len(chosen) >= limit:
            break
    if not chosen:
        return "<p>No further meetings are scheduled in the forward plan.</p>"
    rows = [
        [
            esc(month_words(month)),
            esc(", ".join(str(names.get(i, i)) for i in s.strategies)),
            esc(f"data to the end of {month_words(periods.parse_month(str(s.period_end)))}"),
        ]
        for month, s in chosen
    ]
    return build_table(
        ["Meeting", "Delivery strategies reviewed", "Data period"],
        rows,
        "Corporate Governance Board forward plan: the next meetings",
    )
