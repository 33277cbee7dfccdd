"""The first screen of a strategy report: the rating and why, what needs attention, what improved.

Formatting only: the exceptions and improvements are computed by
:mod:`pcplib.assessment.exceptions` and the rating by
:mod:`pcplib.assessment.strategy`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pcplib.labels import plural
from pcplib.report.html import esc, format_rag_html
from pcplib.report.measures import format_no_data_notice

if TYPE_CHECKING:
    import pandas as pd

    from pcplib.assessment.strategy import StrategySummary

__all__ = ["format_board_summary", "format_summary_items"]

_KIND_WORDS = {
    "measure": "",
    "commitment": "Commitment: ",
    "action": "Action: ",
    "risk": "Risk: ",
}


def format_summary_items(items: pd.DataFrame, empty: str) -> str:
    """Return exceptions or improvements as a list: rating badge, name and why.

    Parameters
    ----------
    items : pandas.DataFrame
        From :func:`~pcplib.assessment.exceptions.list_exceptions` or
        :func:`~pcplib.assessment.exceptions.list_improvements`.
    empty : str
        The sentence shown when there are none.

    Returns
    -------
    str
        An HTML list (escaped), or a paragraph saying ``empty``.
    """
    if items.empty:
        return f"<p>{esc(empty)}</p>"
    entries = []
    for r in items.to_dict("records"):
        label = _KIND_WORDS.get(str(r["kind"]), "")
        tier = " (sub-measure)" if r["tier"] == "sub" else ""
        # A name written as a sentence ("... not kept informed.") loses its full stop
        # before the colon, never "informed.: overdue".
        name = str(r["name"]).rstrip().rstrip(".")
        entries.append(
            f"<li>{format_rag_html(str(r['rag']))} <strong>{esc(label)}{esc(name)}"
            f"</strong>{esc(tier)}: {esc(r['reason'])}</li>"
        )
    return f'<ul class="summary-items">{"".join(entries)}</ul>'


def _delivery_line(summary: StrategySummary) -> str:
    delivery = summary.delivery
    if delivery.percent is None or not delivery.counted:
        return "<p><strong>Projected delivery:</strong> no commitments to count.</p>"
    share = (
        f"{delivery.delivered} of {plural(delivery.counted, 'commitment')} "
        f"({delivery.percent:.0f}%)"
    )
    overdue = f"; {delivery.overdue} overdue" if delivery.overdue else ""
    waiting = delivery.not_yet_due
    later = f"; {waiting} not yet due, so not counted" if waiting else ""
    return (
        f"<p><strong>Projected delivery:</strong> {format_rag_html(delivery.rating)} "
        f"{esc(share)} complete or on track{esc(overdue)}{esc(later)}.</p>"
    )


def _hidden_note(summary: StrategySummary) -> str:
    """What the overall rating alone would hide, in bold after it (empty when nothing)."""
    note = getattr(summary, "rating_note", "")
    return f" <strong>{esc(note)}</strong>" if note else ""


def format_board_summary(
    summary: StrategySummary, exceptions: pd.DataFrame, improvements: pd.DataFrame
) -> str:
    """Return the report's first screen for the Board: the rating, exceptions and improvements.

    Parameters
    ----------
    summary : StrategySummary
        From :func:`~pcplib.assessment.strategy.summarise_strategy`.
    exceptions : pandas.DataFrame
        From :func:`~pcplib.assessment.exceptions.list_exceptions`.
    improvements : pandas.DataFrame
        From :func:`~pcplib.assessment.exceptions.list_improvements`.

    Returns
    -------
    str
        HTML: the overall rating with the sentence that explains it, projected delivery,
        then "Needs attention" and "What improved" side by side on a wide screen
        (stacked on a narrow one and in print), each item with its rating as a word.
    """
    attention = format_summary_items(
        exceptions, "Nothing needs the Board's attention this quarter."
    )
    improved = format_summary_items(
        # A target met only within its usual variation is not listed (review 10, R10-4),
        # so the empty list does not say no target was met.
        improvements,
        "No measure shows a real improvement or meets its target beyond its usual "
        "variation this quarter.",
    )
    # The rating and the sentence that explains it in one paragraph, so the first screen
    # holds the exceptions too; a period with no data says so first.
    overall = (
        f"{format_no_data_notice(summary)}<p><strong>Overall RAG:</strong> "
        f"{format_rag_html(summary.overall_rag)} {esc(summary.overall_explanation)}"
        f"{_hidden_note(summary)}</p>"
    )
    return (
        '<div class="board-summary">'
        f"{overall}{_delivery_line(summary)}"
        '<div class="summary-lists">'
        f'<div class="summary-list"><h3>Needs attention ({len(exceptions)})</h3>{attention}</div>'
        f'<div class="summary-list"><h3>What improved ({len(improvements)})</h3>{improved}</div>'
        "</div></div>"
    )
