"""Whether a change of rating is a change at all: a move within chance is not progress.

A figure within chance of its target is either **too close to say** (Amber, neither met
nor missed) or **met, but close** (Green, though by less than chance allows)
(:func:`~pcplib.assessment.targets.rate_measure`). A rating that moves between the two
from one quarter to the next changes colour, yet neither quarter is shown to meet or to
miss the target: 104 then 84 people killed or seriously injured against at most 90, each
inside the +/- 20 chance allows, is not the owner's progress (review 9, R9-4), and 84
then 104 would not be slippage.

One rule, read off the rating's basis (``rag_close``, ``target_within_margin``; in the
meeting history, ``judgements.csv``'s ``target_standing``), never off the words of its
reason, for the two views that report changes:

- a strategy report's "Since the last meeting" (:mod:`pcplib.assessment.continuity`);
- the Delivery Board's quarterly view (:mod:`pcplib.assessment.board`), whose changes
  come from the same comparison.

Such a move is listed as a rating that **moved within chance**, with both standings
("too close to say → met, but close"), and is counted neither as progress (out of
"needs attention", target newly met) nor as slippage (into "needs attention"); but only
while the figure's own change is within its allowance (:func:`is_change_within_chance`):
33 then 17 sharp-object admissions against at most 25 were each within chance of the
target, yet fell by more than chance allows a change between them (review 14, R14-4).
Such a move is said as its figures have it (:func:`describe_move_beyond_chance`).

A rating on a target can also cross a line (the 5% tolerance between Amber and Red) on a
move of its figure smaller than chance allows: 51.3% then 52.4% on a survey whose margin
of error is +/- 5 points took rural confidence from Red to Amber (review 9, R9-5). The
move is then said beside it (:func:`describe_change_within_chance`: "a change of +1.1
points, within the margin of error of a change between two survey waves (+/- 7.2
points)"), so a new colour is not
read as a change in performance.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from pcplib.labels import (
    choose_decimals,
    format_figure,
    format_figures,
    parse_number,
    strip_text,
)

__all__ = [
    "MET_STANDINGS",
    "PUBLIC_SHIFT_WORDS",
    "SHIFT_WORDS",
    "MOVED_WITHIN_CHANCE",
    "NO_LONGER_RATED",
    "TARGET_STANDINGS",
    "WITHIN_CHANCE_STANDINGS",
    "classify_target_side",
    "classify_target_standing",
    "describe_change_within_chance",
    "describe_move_beyond_chance",
    "describe_move_within_chance",
    "describe_move_within_usual_range",
    "describe_recovery_not_borne_out",
    "describe_rating_move_tail",
    "describe_unreliable_pass",
    "is_change_within_chance",
    "is_move_within_chance",
    "is_rating_change",
    "is_met_unreliably",
    "is_strategy_move_within_chance",
    "is_within_usual_range",
    "name_target_move",
]

UNRELIABLE = "met, but not reliably"
"""The standing of a figure counted in full that meets its target this period while its
record since the latest process change shows it met less often than chance would give
(Amber: :func:`~pcplib.assessment.targets.rate_measure`, cap ``record_missed``)."""

TARGET_STANDINGS = ("met", "met, but close", UNRELIABLE, "too close to say", "missed")
"""How a measure rated on a target or trajectory stands against it (``target_standing``):
met, met by less than chance allows, met exactly by a figure counted in full whose record
shows it usually missed (met, but not reliably), within chance of it on its wrong side (or
met while the process lies on the wrong side: not shown to be met), or missed (beyond
chance, or within chance while the process is shown to miss it). Empty for a measure not
rated on a target."""

MET_STANDINGS = ("met", "met, but close")
"""The standings that meet a target reliably enough to be "target newly met": not
:data:`UNRELIABLE`, whose record says the next period will more likely miss it."""

WITHIN_CHANCE_STANDINGS = ("met, but close", "too close to say")
"""The standings of a figure within chance of its target: neither quarter of a move
between them is shown to differ from the target."""

MOVED_WITHIN_CHANCE = "rating moved within chance"
"""The ``change`` of :data:`~pcplib.assessment.continuity.CHANGE_COLUMNS` for a rating
that moved between the standings of :data:`WITHIN_CHANCE_STANDINGS`."""

_RATED = ("Green", "Amber", "Red")


def _flag(value: Any) -> bool:
    """A flag as a row holds it: True, or "True"/"1" as the meeting history reads it back."""
    return strip_text(value).lower() in ("true", "1")


def classify_target_standing(row: Mapping[str, Any]) -> str:
    """Return how a measure stands against its target: one of :data:`TARGET_STANDINGS`.

    Parameters
    ----------
    row : mapping
        A measure's row (:attr:`~pcplib.assessment.strategy.StrategySummary.measures`:
        ``rag``, ``rag_basis``, ``rag_close``, ``rag_capped``, ``target_within_margin``),
        or its row of ``judgements.csv`` from the meeting history, which states it
        (``target_standing``).

    Returns
    -------
    str
        ``met``, ``met, but close``, ``too close to say`` or ``missed``; empty for a
        measure not rated on a target or trajectory.
    """
    stated = strip_text(row.get("target_standing"))
    if stated in TARGET_STANDINGS:
        return stated
    rag = strip_text(row.get("rag"))
    if strip_text(row.get("rag_basis")) not in ("target", "trajectory") or rag not in _RATED:
        return ""
    if rag == "Green" and _flag(row.get("rag_close")):
        return "met, but close"
    if is_met_unreliably(row):
        return UNRELIABLE
    if _flag(row.get("target_within_margin")):
        return "too close to say"
    if _flag(row.get("rag_capped")):
        # Met, capped at Amber by a real deterioration: the target itself is met.
        return "met"
    # A record written before the standing was kept is read on its rating alone, as it
    # was then: its moves within chance cannot be told.
    return "met" if rag == "Green" else "missed"


def is_met_unreliably(row: Mapping[str, Any]) -> bool:
    """Whether a figure counted in full meets its target, but its record says it usually misses.

    Parameters
    ----------
    row : mapping
        A measure's row (``rag_cap``), or its row of ``judgements.csv``
        (``target_standing``).

    Returns
    -------
    bool
        True for a rating capped at Amber by the target's record (cap ``record_missed``):
        an exact count has no sampling error, yet it varies month to month like any
        process, so one quarter's pass does not outweigh a record that misses more often
        than chance would give (review 10, R10-4).
    """
    if strip_text(row.get("target_standing")) == UNRELIABLE:
        return True
    # The cap names itself: a rating's fields alone (the plan overview's basis) have no
    # ``rag_capped`` beside it, and a cap is only ever set on a capped rating.
    return strip_text(row.get("rag_cap")) == "record_missed"


SHIFT_WORDS = " since the shift in "
"""How a record counted from the latest shift its chart signals is said to the Boards
("met in 4 of 20 months since the shift in February 2025")."""
PUBLIC_SHIFT_WORDS = " since its level changed in "
"""The same for the public, who are not told what a chart's shift is (review 15, R15-3)."""


def describe_unreliable_pass(row: Mapping[str, Any], public: bool = False) -> str:
    """The words for a target met, but not reliably; empty for any other rating.

    One wording for every report, read off the rating (:func:`is_met_unreliably`) and the
    record the sign test counted (``target_record_count``).

    Parameters
    ----------
    row : mapping
        A measure's row (``rag_capped``, ``rag_cap``, ``target_record_count``).
    public : bool, default False
        Whether the words are for the public: a record counted from a shift then says
        "since its level changed in February 2025" (:data:`PUBLIC_SHIFT_WORDS`).

    Returns
    -------
    str
        "but not reliably: met in only 4 of 20 months since the shift in February 2025";
        "but not reliably: its record shows it missed more often than chance would give"
        where the count is not on the row; empty for any other rating.
    """
    if not is_met_unreliably(row):
        return ""
    count = strip_text(row.get("target_record_count"))
    if public:
        count = count.replace(SHIFT_WORDS, PUBLIC_SHIFT_WORDS)
    if count:
        return f"but not reliably: met in only {count}"
    return "but not reliably: its record shows it missed more often than chance would give"


def is_move_within_chance(before: str, now: str) -> bool:
    """Whether a move between two standings is within chance: both within it, and different.

    On the standings alone: the figure's own change must be within its allowance too
    (:func:`is_change_within_chance`), where it can be tested.

    Parameters
    ----------
    before, now : str
        Standings (:func:`classify_target_standing`) at the comparison and now.

    Returns
    -------
    bool
        True for "too close to say" to "met, but close" and the reverse.
    """
    return before != now and {before, now} <= set(WITHIN_CHANCE_STANDINGS)


def describe_move_within_chance(before: str, now: str) -> str:
    """Say a rating moved within chance, with both standings; empty for any other move.

    Parameters
    ----------
    before, now : str
        Standings (:func:`classify_target_standing`) at the comparison and now.

    Returns
    -------
    str
        "moved within chance of its target (too close to say → met, but close), so not
        progress" (or "not slippage" the other way), or empty.
    """
    if not is_move_within_chance(before, now):
        return ""
    which = "progress" if now == "met, but close" else "slippage"
    return f"moved within chance of its target ({before} → {now}), so not {which}"


def is_within_usual_range(row: Mapping[str, Any]) -> bool:
    """Whether a figure counted in full sits on its target within its usual range.

    Parameters
    ----------
    row : mapping
        A measure's row (``administrative``, ``spc_variation``, ``spc_limits_assurance``;
        ``spc_assurance`` for a row without the limits' own).

    Returns
    -------
    bool
        True for an administrative figure (met or missed exactly, with no allowance for
        chance) whose chart shows no change and whose limits straddle its target: it
        can be met in some months and missed in others as it is, so one quarter's side
        of the target says nothing of its performance (review 10, R10-4). The limits
        decide, whatever the record: a record met in every month since the limits'
        start settles the assurance's words ("consistently met"), but the limits still
        do not rule out a miss, so neighbourhood officers met 18 of 18 months and
        officer headcount met 36 of 38, both within limits that straddle their targets,
        are read alike (review 16, R16-2).
    """
    limits = strip_text(row.get("spc_limits_assurance")) or strip_text(row.get("spc_assurance"))
    return (
        _flag(row.get("administrative"))
        and strip_text(row.get("spc_variation")) == "common_cause"
        and limits == "inconsistent"
    )


def describe_move_within_usual_range(now: Mapping[str, Any], before: str, after: str) -> str:
    """Say a figure counted in full crossed its target within its usual range; else empty.

    An administrative figure (opening hours, officers in post) is met or missed exactly,
    with no allowance for chance (:func:`~pcplib.assessment.chance.is_administrative`),
    but exact is not steady: it still moves month to month. A move across its target
    while its chart shows no change and its limits straddle the target (it will be met in
    some months and missed in others as it is) is no more progress than a move within
    chance (review 10, R10-4: 356 to 361 hours against 360, met in 7 of 33 months, had
    been the owners' "Progress" and "target newly met").

    Parameters
    ----------
    now : mapping
        The measure's row today (``administrative``, ``spc_variation``,
        ``spc_limits_assurance``).
    before, after : str
        Its standings (:func:`classify_target_standing`) at the comparison and now.

    Returns
    -------
    str
        "moved across its target within its usual range (its chart shows no change, and
        its limits straddle the target), so not progress" (or "not slippage"), or empty.
    """
    if {before, after} != {"met", "missed"} or not is_within_usual_range(now):
        return ""
    which = "progress" if after == "met" else "slippage"
    return (
        "moved across its target within its usual range (its chart shows no change, and "
        f"its limits straddle the target), so not {which}"
    )


def _judged_figure(row: Mapping[str, Any]) -> float | None:
    """The figure a row's target judges: the quarter's, or a seasonal measure's year."""
    compared = parse_number(row.get("target_compared"))
    return compared if compared is not None else parse_number(row.get("current"))


def _measure_change(
    now: Mapping[str, Any], earlier: float | None, then: Mapping[str, Any] | None
) -> tuple[float, float] | None:
    """A rating's figure's change since the comparison and the allowance chance gives it.

    None when the change cannot be tested: no earlier figure or allowance, a measure not
    rated on a target or trajectory, or a seasonal measure judged on its year (its
    quarter is another kind of figure). The allowance is the square root of the sum of
    the two periods' squared allowances: two independent figures, each with its own 95%
    allowance.
    """
    if then is None or earlier is None:
        return None
    if strip_text(now.get("rag_basis")) not in ("target", "trajectory"):
        return None
    current = _judged_figure(now)
    if current is None or current != parse_number(now.get("current")):
        return None
    mine, theirs = (
        parse_number(now.get("target_allowance")),
        parse_number(then.get("target_allowance")),
    )
    if mine is None or theirs is None:
        return None
    return current - earlier, math.hypot(mine, theirs)


def _format_change(
    change: float, allowance: float, now: Mapping[str, Any], earlier: float
) -> tuple[str, str]:
    """A change and its allowance in words: ("+1.1 points", "+/- 7.2 points")."""
    unit = strip_text(now.get("unit"))
    if unit == "percent":
        return f"{change:+.1f} points", f"+/- {allowance:.1f} points"
    current = earlier + change
    shown = format_figure(change, unit, choose_decimals([earlier, current], unit))
    return (f"+{shown}" if change > 0 else shown), f"+/- {format_figure(allowance, unit, 1)}"


def is_change_within_chance(
    now: Mapping[str, Any], earlier: float | None, then: Mapping[str, Any] | None
) -> bool | None:
    """Return whether a rating's figure moved by no more than chance allows.

    Parameters
    ----------
    now : mapping
        The measure's row today (``rag_basis``, ``current``, ``target_compared``,
        ``target_allowance``).
    earlier : float or None
        The figure the comparison gave for its own period.
    then : mapping or None
        The measure's row for that period as today's data give it (``target_allowance``).

    Returns
    -------
    bool or None
        True within the allowance of :func:`describe_change_within_chance`, False beyond
        it, None when the change cannot be tested (see there).
    """
    measured = _measure_change(now, earlier, then)
    return None if measured is None else abs(measured[0]) <= measured[1]


def describe_change_within_chance(
    now: Mapping[str, Any], earlier: float | None, then: Mapping[str, Any] | None
) -> str:
    """Say a rating's figure moved by less than chance allows, beside its move; else empty.

    Parameters
    ----------
    now : mapping
        The measure's row today (``rag_basis``, ``current``, ``target_compared``,
        ``target_allowance``, ``margin_of_error``, ``unit``).
    earlier : float or None
        The figure the comparison gave for its own period (as told, or recomputed).
    then : mapping or None
        The measure's row for that period as today's data give it, for its allowance
        (``target_allowance``).

    Returns
    -------
    str
        For a measure rated on a target or trajectory both times whose figure moved by
        no more than the two periods' allowances combined (the square root of the sum of
        their squares: two independent figures, each with its own 95% allowance),
        "a change of +1.1 points, within the margin of error of a change between two survey
        waves (+/- 7.2 points)"
        or "a change of -20, within chance (+/- 29.4)"; empty otherwise (a move beyond
        chance, an exact administrative count, a seasonal measure judged on its year,
        whose quarter is another kind of figure).
    """
    measured = _measure_change(now, earlier, then)
    if measured is None or earlier is None or abs(measured[0]) > measured[1]:
        return ""
    moved, within = _format_change(*measured, now, earlier)
    survey = parse_number(now.get("margin_of_error")) is not None
    # The allowance of a change between two waves, wider than either wave's own margin:
    # never called "the survey's margin of error" beside that margin (review 10, R10-13).
    what = "the margin of error of a change between two survey waves" if survey else "chance"
    return f"a change of {moved}, within {what} ({within})"


def _describe_like_for_like(now: Mapping[str, Any], real_change: str) -> tuple[list[str], bool]:
    """The measure's own like-for-like tests of change, in words, and whether one bears it.

    The quarter against its comparison (the same quarter a year earlier) and the 12
    months against the 12 before, as the measure's tests of change judged them
    (``judgement``, ``year_ending_judgement``): one bears the move out when its verdict
    is ``real_change`` ("improved" or "deteriorated").
    """
    unit, rate = strip_text(now.get("unit")), strip_text(now.get("rate_per"))
    said: list[str] = []
    real = False
    tests = (
        ("judgement", "current", "comparison_value", strip_text(now.get("comparison_basis"))),
        ("year_ending_judgement", "year_ending", "previous_year", "12 months"),
    )
    for judgement, mine, theirs, what in tests:
        verdict = strip_text(now.get(judgement))
        a, b = parse_number(now.get(mine)), parse_number(now.get(theirs))
        if not verdict or a is None or b is None or not what:
            continue
        real = real or verdict == real_change
        shown = format_figures([a, b], unit, rate)
        where = "over" if what == "12 months" else "on the"
        said.append(f"{where} {what} ({shown[0]} against {shown[1]})")
    return said, real


def describe_move_beyond_chance(
    now: Mapping[str, Any],
    before: str,
    after: str,
    earlier: float | None,
    then: Mapping[str, Any] | None,
) -> str:
    """Say a move within chance of its target whose figure moved beyond chance is not borne out.

    Both standings within chance of the target say nothing of the figure's own move:
    33 then 17 sharp-object admissions against at most 25 were each within chance of the
    target, yet the fall of 16 is beyond the +/- 14.7 chance allows a change between
    the two (review 14, R14-4). Such a move is not within chance; whether it is progress
    (or slippage) is then for the measure's own like-for-like tests of change (the same
    quarter a year earlier, the 12 months against the 12 before), since the quarter
    before differs in season.

    Parameters
    ----------
    now : mapping
        The measure's row today (its figures, allowance and tests of change).
    before, after : str
        Its standings (:func:`classify_target_standing`) at the comparison and now.
    earlier : float or None
        The figure the comparison gave for its own period.
    then : mapping or None
        The measure's row for that period as today's data give it.

    Returns
    -------
    str
        For a move between the standings of :data:`WITHIN_CHANCE_STANDINGS` whose figure
        moved beyond its allowance and that no like-for-like test bears out, "a fall
        larger than chance allows on the quarter before (-16, beyond +/- 14.7), but not
        on the same quarter last year (17 against 22) or over 12 months (84 against 89),
        so not progress"; empty otherwise (a move within chance, one a like-for-like test
        bears out, which is a real move, or one with no like-for-like test to read).
    """
    if not is_move_within_chance(before, after):
        return ""
    measured = _measure_change(now, earlier, then)
    if measured is None or earlier is None or abs(measured[0]) <= measured[1]:
        return ""
    which = "progress" if after == "met, but close" else "slippage"
    said, real = _describe_like_for_like(now, "improved" if which == "progress" else "deteriorated")
    if real or not said:
        return ""
    moved, allowance = _format_change(*measured, now, earlier)
    way = "rise" if measured[0] > 0 else "fall"
    return (
        f"a {way} larger than chance allows on the quarter before ({moved}, beyond "
        f"{allowance}), but not {' or '.join(said)}, so not {which}"
    )


def describe_recovery_not_borne_out(now: Mapping[str, Any], before_rag: str) -> str:
    """Say a measure with no target that left needs attention is not shown to have improved.

    A rating on the evidence (no target) can leave Red or Amber for Green because the
    comparison that made it Red no longer clears chance, not because anything improved:
    farm machinery thefts were Red on a quarter up 49% on a year earlier and Green on a
    fall since the baseline year that was already there; this quarter is still up 17.9%
    and the 12 months up 2.6% (review 18, R18-1). Such a move is progress only when a
    like-for-like test (the same quarter a year earlier, or the 12 months against the 12
    before) shows a real improvement; otherwise it is listed, not counted.

    Parameters
    ----------
    now : mapping
        The measure's row today (``rag``, ``rag_basis``, its tests of change).
    before_rag : str
        Its rating at the comparison.

    Returns
    -------
    str
        "neither the same quarter last year (99 against 84) nor the 12 months (357
        against 348) shows a real improvement, so not progress"; empty for any other move, or one a
        like-for-like test bears out or that has none to read.
    """
    if before_rag not in ("Red", "Amber") or strip_text(now.get("rag")) != "Green":
        return ""
    if strip_text(now.get("rag_basis")) != "evidence":
        return ""
    said, real = _describe_like_for_like(now, "improved")
    if real or not said:
        return ""
    # "No real improvement on ... (99 against 84)" read as a small fall of a figure that
    # rose 17.9%: which comparisons, and that neither shows a real improvement (R19-4).
    named = [part.removeprefix("on the ").removeprefix("over ") for part in said]
    if len(named) == 1:
        return f"the {named[0]} shows no real improvement, so not progress"
    return f"neither the {named[0]} nor the {named[1]} shows a real improvement, so not progress"


def is_strategy_move_within_chance(
    changes: Sequence[Mapping[str, Any]], before: str, after: str
) -> bool:
    """Return whether a strategy's change of rating rests on a measure's move within chance.

    Parameters
    ----------
    changes : sequence of mapping
        Its headline measures' movements (a sub-measure does not enter the rating,
        review 11, R11-1), rows of
        :attr:`~pcplib.assessment.continuity.Continuity.changes`.
    before, after : str
        The strategy's rating at the comparison and now.

    Returns
    -------
    bool
        True when the move rests on chance, by the rule below.

    Notes
    -----
    The rating is the worst of the headline measures', so a strategy leaves a rating only
    when every measure holding it leaves it: one that left on a figure within chance (a
    move within chance of its target, or a change within its allowance: the change
    ``rating moved within chance``) holds the whole move to chance (review 12, R12-3:
    Rural Crime left Red only because rural confidence moved +1.1 points inside +/- 7.1).
    That holds for a strategy left with too little rated to rate (Grey) too: Road Safety
    went Amber to Grey only because its one rated headline moved within chance of its
    target (review 12). A strategy gets a worse rating from the measures that reach it:
    within chance when every one of them got there on such a figure. A measure's own move
    to or from Grey is the method's, not the figure's, and never counts as chance.
    """
    order = {"Green": 0, "Amber": 1, "Red": 2}
    if before not in order or (after not in order and after != "Grey"):
        return False
    moved = [c for c in changes if c["change"] in ("rating changed", MOVED_WITHIN_CHANCE)]
    if after == "Grey" or order[after] < order[before]:
        return any(c["change"] == MOVED_WITHIN_CHANCE for c in moved if c["before"] == before)
    reached = [c for c in moved if c["after"] == after]
    return bool(reached) and all(c["change"] == MOVED_WITHIN_CHANCE for c in reached)


NO_LONGER_RATED = "no longer rated"
"""The ``change`` of a measure (or a strategy) rated at the comparison and Grey now: one
row, never also "rating changed", and never progress."""

_RATINGS = ("Green", "Amber", "Red")


def describe_rating_move_tail(change: str, within_chance: bool) -> str:
    """The words after a strategy's "rating X to Y": whether it moved on chance, and lost it.

    One wording for the strategy's own row wherever it is written (a strategy report's
    rows and the Delivery Board view's in ``judgements.csv``), so the two cannot tell one
    move two ways (review 13, R13-3).

    Parameters
    ----------
    change : str
        The move's category: ``"rating changed"``, :data:`MOVED_WITHIN_CHANCE` or
        :data:`NO_LONGER_RATED`.
    within_chance : bool
        Whether the move rests on its measures' moves within chance
        (:func:`is_strategy_move_within_chance`); a move to Grey can be.

    Returns
    -------
    str
        ``", within chance"``, ``"; no longer rated"``, both, or ``""``.
    """
    on_chance = within_chance or change == MOVED_WITHIN_CHANCE
    return (", within chance" if on_chance else "") + (
        "; no longer rated" if change == NO_LONGER_RATED else ""
    )


def is_rating_change(change: str, before: str) -> bool:
    """Return whether a row of a continuity's changes is a move of a rating.

    Parameters
    ----------
    change : str
        The row's ``change`` (:attr:`~pcplib.assessment.continuity.Continuity.changes`).
    before : str
        The row's ``before``: a rating for a rating's move, assessment words otherwise.

    Returns
    -------
    bool
        True for ``rating changed`` and ``rating moved within chance``, and for ``no
        longer rated`` from a rating (not from an assessment). The Delivery Board's
        changed ratings and the ``rating_change`` column of ``judgements.csv`` are these
        rows, so the two count the same moves.
    """
    return change in ("rating changed", MOVED_WITHIN_CHANCE) or (
        change == NO_LONGER_RATED and before in _RATINGS
    )


def classify_target_side(row: Mapping[str, Any]) -> str:
    """Return the side of its target a measure's figure is shown to be on, for a move across it.

    Parameters
    ----------
    row : mapping
        A measure's row, or its row of ``judgements.csv``
        (:func:`classify_target_standing`).

    Returns
    -------
    str
        ``met`` (met, or met but close), ``missed``, ``met, but not reliably``
        (:data:`UNRELIABLE`: met exactly, on a record that usually misses), or empty
        for a figure too close to its target to say (neither met nor missed, so never
        "target newly met" on noise: review 4, F2 and F9) or not rated on a target.
    """
    standing = classify_target_standing(row)
    if standing in MET_STANDINGS:
        return "met"
    return standing if standing in ("missed", UNRELIABLE) else ""


def name_target_move(before: str, after: str) -> str:
    """Name the move of a figure across its target between two sides; empty for no move.

    A target met, but not reliably, is never "target newly met" (its record says the
    next period will more likely miss it), yet a figure that missed at the last meeting
    and meets its target now has crossed it, which a Board told of "targets newly met or
    missed" expects to read (review 16, R16-7: opening hours, 354 then 361 against 360,
    its rating Amber both times, had been left out). So it is a move of its own, "target
    newly met, but not reliably", which is not progress
    (:data:`~pcplib.assessment.board_changes.PROGRESS_STATES` holds only "target newly
    met"); from it back below the target is "target newly missed".

    Parameters
    ----------
    before, after : str
        The sides (:func:`classify_target_side`) at the comparison and now.

    Returns
    -------
    str
        ``"target newly met"``, ``"target newly missed"`` or ``"target newly met, but
        not reliably"``; empty when either side is empty, the two are the same, or the
        figure met its target both times (met, and met but not reliably: the rating's
        own move says the rest).
    """
    if not before or not after or before == after or {before, after} == {"met", UNRELIABLE}:
        return ""
    return f"target newly {after}"
