"""Whether a measure's change of rating since the last meeting is a change in performance.

A rating can move while the figure behind it did not move beyond chance: between "too
close to say" and "met, but close" of a target, across a target inside a figure's usual
range, or out of needs attention on comparisons the like-for-like tests do not bear out.
Such a move is listed, and counted neither as progress nor as slippage. These are the
rules :mod:`pcplib.assessment.continuity` reads for each measure, kept here so that
module stays within the size a reader can carry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pcplib.assessment.change_chance import (
    classify_target_standing,
    describe_move_beyond_chance,
    describe_move_within_chance,
    describe_move_within_usual_range,
    describe_recovery_not_borne_out,
    is_change_within_chance,
    is_move_within_chance,
)

__all__ = [
    "describe_rating_move_not_borne_out",
    "describe_rating_move_within_chance",
    "select_rated_then",
]


def describe_rating_move_within_chance(
    now: Mapping[str, Any],
    before: Mapping[str, Any],
    earlier: float | None = None,
    then: Mapping[str, Any] | None = None,
) -> str:
    """The words of a rating that moved within chance, or "".

    A move between "too close to say" and "met, but close" is listed as within chance,
    never as progress or slippage (review 9, R9-4): one rule, read off each rating's
    basis; but only while the figure's own change is within its allowance, where it can
    be tested (review 14, R14-4). Beyond it, the move is said as the figures have it
    (:func:`describe_rating_move_not_borne_out`).

    Parameters
    ----------
    now, before : mapping
        The measure's row today and at the comparison (``rag``, its target standing).
    earlier : float or None, optional
        The figure the comparison gave for its own period.
    then : mapping or None, optional
        The measure's row for that period as today's data give it.

    Returns
    -------
    str
        Such as "moved within chance of its target (too close to say → met, but close),
        so not progress"; empty for a rating that did not move, or moved beyond chance.
    """
    if not before or str(now.get("rag")) == str(before.get("rag", "")):
        return ""
    was, standing = classify_target_standing(before), classify_target_standing(now)
    if (
        is_move_within_chance(was, standing)
        and is_change_within_chance(now, earlier, then) is False
    ):
        return ""
    # A figure counted in full that crossed its target inside its usual range: no more
    # progress than a move within chance (review 10, R10-4).
    return describe_move_within_chance(was, standing) or describe_move_within_usual_range(
        now, was, standing
    )


def describe_rating_move_not_borne_out(
    now: Mapping[str, Any],
    before: Mapping[str, Any],
    earlier: float | None = None,
    then: Mapping[str, Any] | None = None,
) -> str:
    """The words of a rating move the like-for-like tests of change do not bear out, or "".

    Listed as a rating change, but neither progress nor slippage: a move within chance
    of its target whose figure moved beyond chance
    (:func:`~pcplib.assessment.change_chance.describe_move_beyond_chance`), or a measure
    with no target that left needs attention while neither the same quarter last year
    nor the 12 months shows a real improvement
    (:func:`~pcplib.assessment.change_chance.describe_recovery_not_borne_out`: farm
    machinery thefts, Red on a real rise, Green now only because the quarter's rise no
    longer clears chance, its fall since the baseline year already there at the last
    meeting; review 18, R18-1).

    Parameters
    ----------
    now, before : mapping
        The measure's row today and at the comparison.
    earlier : float or None, optional
        The figure the comparison gave for its own period.
    then : mapping or None, optional
        The measure's row for that period as today's data give it.

    Returns
    -------
    str
        Such as "neither the same quarter last year (99 against 84) nor the 12 months (357
        against 348) shows a real improvement, so not progress"; empty otherwise.
    """
    old_rag = str(before.get("rag", "")) if before else ""
    if not old_rag or str(now.get("rag")) == old_rag:
        return ""
    was, standing = classify_target_standing(before), classify_target_standing(now)
    return describe_move_beyond_chance(
        now, was, standing, earlier, then
    ) or describe_recovery_not_borne_out(now, old_rag)


def select_rated_then(
    before: Mapping[str, Any], then: Mapping[str, Any] | None, rag: str
) -> Mapping[str, Any]:
    """The row that gave a measure its earlier rating, with the figures behind it.

    The earlier period as today's data give it, when they give it the same rating (its
    comparisons and tests are all there); else the row as the meeting was told it, whose
    rating it is (a record keeps the rating and its basis, not every figure).

    Parameters
    ----------
    before : mapping
        The measure's row as the meeting was told it (or recomputed).
    then : mapping or None
        The measure's row for that period as today's data give it.
    rag : str
        The rating the meeting gave.

    Returns
    -------
    mapping
        ``then`` when it gives the same rating, else ``before``.
    """
    if then is not None and str(then.get("rag", "")) == rag:
        return then
    return before
