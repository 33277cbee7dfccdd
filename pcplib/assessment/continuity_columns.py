"""A strategy's rows of ``judgements.csv`` filled with its comparison with the last meeting.

The comparison itself is :mod:`pcplib.assessment.continuity`'s; this fills the
``previous_*``, ``revision``, ``since_last_meeting``, ``rating_change`` and
``rating_within_chance`` columns from it, so the file reads the rows the "Since the
last meeting" sections and the Delivery Board count (review 13, R13-3).
"""

from __future__ import annotations

import pandas as pd

from pcplib.assessment.change_chance import describe_rating_move_tail
from pcplib.assessment.continuity import CONTINUITY_COLUMNS, Continuity
from pcplib.labels import is_missing

__all__ = ["add_continuity_columns"]


def add_continuity_columns(
    judgements: pd.DataFrame, continuity: Continuity, since: str | None = None
) -> pd.DataFrame:
    """Fill a strategy report's ``judgements.csv`` rows with the comparison.

    Parameters
    ----------
    judgements : pandas.DataFrame
        The report's rows (:func:`~pcplib.assessment.judgements.tabulate_judgements`).
    continuity : Continuity
        From :func:`~pcplib.assessment.continuity.compare_with_previous_meeting` for the same
        strategy.
    since : str, optional
        The comparison ``since_last_meeting`` names after the movements; default
        ``continuity.since_words``, as the report's sentences name it. Empty for a
        view that names its own comparison (the Delivery Board's, against the quarter
        before).

    Returns
    -------
    pandas.DataFrame
        A copy with :data:`~pcplib.assessment.continuity.CONTINUITY_COLUMNS` filled for
        each measure of the strategy; the overall row carries the previous meeting and
        its overall rating. ``since_last_meeting`` is the movements then the comparison
        ("rating Amber to Red; into needs attention since the Board's meeting of July
        2026 (data to May 2026)"), empty with no movement.
    """
    named = continuity.since_words if since is None else since
    frame = judgements.copy()
    for column in CONTINUITY_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
        frame[column] = frame[column].astype(object)
    mine = frame["strategy_id"] == continuity.strategy_id
    lookup = continuity.measures.set_index("measure_id")
    for index in frame.index[mine]:
        mid = str(frame.at[index, "measure_id"])
        if mid in lookup.index:
            for column in CONTINUITY_COLUMNS:
                value = lookup.at[mid, column]
                if column == "since_last_meeting" and isinstance(value, str) and value and named:
                    value = f"{value} {named}"
                frame.at[index, column] = None if is_missing(value) else value
    previous = continuity.previous
    overall = mine & (frame["measure_id"] == "overall")
    if previous is not None and overall.any():
        changes = continuity.changes
        change = changes[changes["kind"] == "overall"]
        frame.loc[overall, "previous_meeting"] = previous.slot
        frame.loc[overall, "previous_basis"] = previous.basis
        frame.loc[overall, "previous_period_end"] = previous.period_end
        frame.loc[overall, "previous_rag"] = (
            str(change["before"].iloc[0]) if not change.empty else frame.loc[overall, "rag"]
        )
        # The strategy's own row in its measures' words: "rating Red to Amber, within
        # chance", "rating Amber to Grey; no longer rated" (review 12, R12-3, R12-4).
        tail = (
            describe_rating_move_tail(
                str(change["change"].iloc[0]), continuity.overall_within_chance
            )
            if not change.empty
            else ""
        )
        frame.loc[overall, "since_last_meeting"] = (
            f"rating {change['before'].iloc[0]} to {change['after'].iloc[0]}{tail} {named}".strip()
            if not change.empty
            else ""
        )
        # The verdict the sections give the strategy's move: within chance when it rests
        # on its measures' moves within chance (a move to Grey too, whose category is
        # "no longer rated").
        frame.loc[overall, "rating_change"] = (
            str(change["change"].iloc[0]) if not change.empty else ""
        )
        frame.loc[overall, "rating_within_chance"] = bool(
            not change.empty and continuity.overall_within_chance
        )
    return frame
