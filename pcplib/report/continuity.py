"""The "Since the last meeting" section of a strategy report.

Formatting only: the previous meeting and the movements are worked out by
:mod:`pcplib.assessment.continuity`; this module writes them as a sentence and a table.
Every statement names its comparison and its data period ("since the Board's meeting
of July 2026 (data to May 2026)"): the Delivery Board's quarterly view compares with the
quarter before instead (:mod:`pcplib.report.board`), and a reader holding both must see
which is which. A changed rating's "Why" gives the figures that moved it, in the
Delivery Board view's words (:mod:`pcplib.assessment.change_evidence`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pcplib.labels import plural
from pcplib.report.html import RAG_COLOURS, build_table, esc, format_rag_html

if TYPE_CHECKING:
    from pcplib.assessment.continuity import Continuity

__all__ = ["describe_since", "format_since_last_meeting"]

_KIND_WORDS = {
    "overall": "Overall rating",
    "measure": "Measure",
    "commitment": "Commitment",
    "action": "Action",
}
_CHANGE_WORDS = {
    "rating changed": "Rating changed",
    "rating moved within chance": "Rating moved within chance (not progress or slippage)",
    "into needs attention": "Now needs attention",
    "out of needs attention": "No longer needs attention",
    "no longer rated": "No longer rated (not an improvement)",
    "target newly met": "Target newly met",
    "target newly missed": "Target newly missed",
    "figure revised": "Figure revised since reported",
    "status changed": "Status changed",
    "done": "Done",
    "due date changed": "Due date changed",
    "new": "New since the last meeting",
    "now overdue": "Now overdue",
}


def _state(value: object, change: str) -> str:
    """A before or after cell: a rating as a badge (word and colour), anything else as text."""
    text = "" if value is None else str(value)
    if change in ("rating changed", "rating moved within chance") and text in RAG_COLOURS:
        return format_rag_html(text)
    # Only the first letter: "30 November 2026" keeps its month's capital.
    shown = text[:1].upper() + text[1:] if change != "figure revised" else text
    return esc(shown) or "&ndash;"


def describe_since(continuity: Continuity) -> str:
    """Return the comparison a strategy report's changes are counted from, in words.

    Parameters
    ----------
    continuity : Continuity
        From :func:`~pcplib.assessment.continuity.compare_with_previous_meeting`.

    Returns
    -------
    str
        ``"since the Board's meeting of July 2026 (data to May 2026)"``
        (:attr:`~pcplib.assessment.continuity.Continuity.since_words`, the words
        ``judgements.csv`` gives too); empty when the strategy was not reported before.
    """
    return continuity.since_words


def format_since_last_meeting(continuity: Continuity) -> str:
    """Return what changed since the last meeting that saw the strategy, as HTML.

    Parameters
    ----------
    continuity : Continuity
        From :func:`~pcplib.assessment.continuity.compare_with_previous_meeting`.

    Returns
    -------
    str
        A paragraph saying what is compared with (and, when recomputed, what cannot be
        shown), then a table of the movements, or a sentence saying there are none.
    """
    note = f"<p>{esc(continuity.note)}</p>"
    if continuity.previous is None:
        return note
    changes = continuity.changes
    since = describe_since(continuity)
    if changes.empty:
        if continuity.previous.record is None:
            # Recomputed: commitments' and actions' earlier status is unknown (the note
            # says so), so "nothing has changed" would overclaim.
            return note + (
                f"<p>No rating changed {esc(since)}; changes to commitments and actions "
                "cannot be checked without the meeting's record.</p>"
            )
        return note + f"<p>Nothing has changed {esc(since)}.</p>"
    counts = changes["change"].value_counts()
    headline = ", ".join(
        # "rating changed (2)": a count after the words reads right for one or many.
        f"{_CHANGE_WORDS[c].lower()} ({int(counts[c])})"
        for c in _CHANGE_WORDS
        if c in counts
    )
    body = [
        [
            esc(_KIND_WORDS.get(str(r["kind"]), str(r["kind"]))),
            esc(r["name"]),
            esc(_CHANGE_WORDS.get(str(r["change"]), str(r["change"]))),
            _state(r["before"], str(r["change"])),
            _state(r["after"], str(r["change"])),
            esc(r["reason"]),
        ]
        for r in changes.to_dict("records")
    ]
    caption = f"What changed {since}"
    return (
        note
        + f"<p>{esc(plural(len(changes), 'change'))} {esc(since)}: {esc(headline)}.</p>"
        + build_table(["What", "Name", "Change", "Then", "Now", "Why"], body, caption)
    )
