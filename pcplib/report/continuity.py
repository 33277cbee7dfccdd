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

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

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
    "target newly met, but not reliably": "Target newly met, but not reliably (not progress)",
    "figure revised": "Figure revised since reported",
    "status changed": "Status changed",
    "done": "Done",
    "due date changed": "Due date changed",
    "new": "New since the last meeting",
    "now overdue": "Now overdue",
}


_RATING_CHANGES = ("rating changed", "rating moved within chance", "no longer rated")


def _state(value: object, change: str) -> str:
    """A before or after cell: a rating as a badge (word and colour), anything else as text."""
    text = "" if value is None else str(value)
    if change in _RATING_CHANGES and text in RAG_COLOURS:
        return format_rag_html(text)
    # Only the first letter: "30 November 2026" keeps its month's capital.
    shown = text[:1].upper() + text[1:] if change != "figure revised" else text
    return esc(shown) or "&ndash;"


def _one_row_each(changes: pd.DataFrame) -> list[dict[str, Any]]:
    """The movements, one row per measure, commitment or action, in the frame's order.

    An item's first movement is its main one (a measure's rating comes first); the rest
    are named after it in the Change column, and a revised figure's words are kept in
    the Why. Counted once, an item is one change (review 12, R12-4: a measure had been
    counted under "rating changed" and again under "no longer rated").
    """
    items: dict[tuple[str, str], dict[str, Any]] = {}
    for r in changes.to_dict("records"):
        key = (str(r["kind"]), str(r["item_id"]))
        if key not in items:
            items[key] = dict(r) | {"also": []}
            continue
        first = items[key]
        first["also"].append(str(r["change"]))
        if r["change"] == "figure revised" and r.get("reason"):
            first["reason"] = f"{first['reason']} Figure revised: {r['reason']}.".strip()
    return list(items.values())


def _overall_paragraph(row: Mapping[str, Any], since: str) -> str:
    """The strategy's own rating change, said apart from its measures' (review 12, R12-4)."""
    change = str(row["change"])
    return (
        f"<p>The strategy's own rating {esc(since)}: {_state(row['before'], change)} to "
        f"{_state(row['after'], change)}, {esc(_CHANGE_WORDS[change].lower())}. "
        f"{esc(row['reason'])}</p>"
    )


def _nouns(kinds: set[str]) -> str:
    """``"measures"``, ``"measures and actions"``, ``"measures, commitments and actions"``."""
    words = [f"{k}s" for k in ("measure", "commitment", "action") if k in kinds]
    return ", ".join(words[:-1]) + (" and " if len(words) > 1 else "") + words[-1]


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
    overall = changes[changes["kind"] == "overall"]
    lead = "".join(_overall_paragraph(r, since) for r in overall.to_dict("records"))
    rows = _one_row_each(changes[changes["kind"] != "overall"])
    if not rows:
        return note + lead + f"<p>No measure, commitment or action changed {esc(since)}.</p>"
    counts = pd.Series([str(r["change"]) for r in rows]).value_counts()
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
            esc(
                "; ".join(
                    [_CHANGE_WORDS.get(str(r["change"]), str(r["change"]))]
                    + [_CHANGE_WORDS.get(c, c).lower() for c in r["also"]]
                )
            ),
            _state(r["before"], str(r["change"])),
            _state(r["after"], str(r["change"])),
            esc(r["reason"]),
        ]
        for r in rows
    ]
    caption = f"What changed {since}"
    # The strategy's own rating is counted apart: its measures are the changes counted.
    kinds = _nouns({str(r["kind"]) for r in rows})
    return (
        note + lead + f"<p>{esc(plural(len(rows), 'change'))} to its {esc(kinds)} {esc(since)}: "
        f"{esc(headline)}.</p>"
        + build_table(["What", "Name", "Change", "Then", "Now", "Why"], body, caption)
    )
