"""RAG ratings: against a target, delivery confidence and roll-up.

Ratings are words first: ``Green``, ``Amber``, ``Red`` and ``Grey`` (no target
or no data), plus ``Amber/Green`` and ``Amber/Red`` on the five-point
delivery-confidence scale. The report floor colours them
(:func:`pcplib.report.html.format_rag_html`), never without the word.
The rules are set out for reviewers in ``docs/methodology.md``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pcplib.metrics import GOOD_DIRECTIONS

__all__ = [
    "DELIVERY_SCALE",
    "RATINGS",
    "STATUSES",
    "DeliveryConfidence",
    "delivery_confidence",
    "normalise_rating",
    "rag_against_target",
    "roll_up",
]

RATINGS: tuple[str, ...] = ("Green", "Amber/Green", "Amber", "Amber/Red", "Red", "Grey")
THREE_POINT: tuple[str, ...] = ("Green", "Amber", "Red")
DELIVERY_SCALE: tuple[str, ...] = ("Green", "Amber/Green", "Amber", "Amber/Red", "Red")
STATUSES: tuple[str, ...] = ("complete", "on track", "at risk", "off track", "not started")


_ALIASES: dict[str, str] = {r.lower(): r for r in RATINGS}
# Seed 004's Table One writes "Yellow" where its dashboards say "Amber".
_ALIASES["yellow"] = "Amber"
_ALIASES["gray"] = "Grey"


def normalise_rating(rating: str) -> str:
    """Return a rating word in its standard spelling.

    Parameters
    ----------
    rating : str
        A rating in any letter case; ``"Yellow"`` (as some published tables
        write it) reads as ``"Amber"`` and ``"Gray"`` as ``"Grey"``.

    Returns
    -------
    str
        One of ``RATINGS``.

    Raises
    ------
    ValueError
        If the word is not a rating.
    """
    key = rating.strip().lower() if isinstance(rating, str) else None
    if key not in _ALIASES:
        raise ValueError(f"unknown RAG rating {rating!r}: expected one of {', '.join(RATINGS)}")
    return _ALIASES[key]


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and pd.NA-like values are not equal to themselves
    except (TypeError, ValueError):
        return True


def _as_float(value: Any, name: str) -> float | None:
    if _missing(value):
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number or missing, got {value!r}")
    number = float(value)
    if math.isinf(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return number


def rag_against_target(value: Any, target: Any, good: str, tolerance: float) -> str:
    """Return the RAG rating of a value against its target.

    Parameters
    ----------
    value : float or None
        The latest value of the measure.
    target : float or None
        The target.
    good : {"higher", "lower", "neutral"}
        The measure's good direction; a target is met at or above it for
        ``higher`` and at or below it for ``lower``.
    tolerance : float
        How far a value may miss the target, as a fraction of the target's size,
        and still be Amber.

    Returns
    -------
    {"Green", "Amber", "Red", "Grey"}
        Green: target met. Amber: missed by no more than ``tolerance × |target|``.
        Red: missed by more. Grey: no value, no target, or a ``neutral`` measure
        (which has no side of a target that is good). With a target of 0 any
        miss is Red, since no relative tolerance exists.

    Raises
    ------
    ValueError
        If ``good`` is unknown, ``tolerance`` is negative, or a value is not a number.
    """
    if good not in GOOD_DIRECTIONS:
        raise ValueError(
            f"unknown good direction {good!r}: expected one of {', '.join(GOOD_DIRECTIONS)}"
        )
    if isinstance(tolerance, bool) or not isinstance(tolerance, numbers.Real) or tolerance < 0:
        raise ValueError(f"tolerance must be a number, 0 or more (0.05 = 5%), got {tolerance!r}")
    val = _as_float(value, "value")
    tgt = _as_float(target, "target")
    if val is None or tgt is None or good == "neutral":
        return "Grey"
    shortfall = tgt - val if good == "higher" else val - tgt
    if shortfall <= 0:
        return "Green"
    # A small epsilon keeps a miss of exactly the tolerance Amber despite float rounding.
    if shortfall <= float(tolerance) * abs(tgt) * (1 + 1e-12):
        return "Amber"
    return "Red"


@dataclass(frozen=True)
class DeliveryConfidence:
    """Confidence that a strategy's commitments will be delivered.

    Attributes
    ----------
    rating : str
        ``Green``, ``Amber/Green``, ``Amber``, ``Amber/Red`` or ``Red``; ``Grey``
        when there are no commitments.
    percent : float or None
        Share (0 to 100) of commitments complete or on track; None with none.
    counts : dict of str to int
        Commitments per status, every status listed (0 where none).
    explanation : str
        One sentence for reviewers.
    """

    rating: str
    percent: float | None
    counts: dict[str, int] = field(default_factory=dict)
    explanation: str = ""


def _normalise_status(status: Any) -> str:
    key = (
        " ".join(status.strip().lower().replace("_", " ").split())
        if isinstance(status, str)
        else None
    )
    if key not in STATUSES:
        raise ValueError(
            f"unknown commitment status {status!r}: expected one of "
            f"{', '.join(repr(s) for s in STATUSES)}"
        )
    return key


def delivery_confidence(
    statuses: Iterable[str], thresholds: Sequence[tuple[float, str]]
) -> DeliveryConfidence:
    """Return the five-point delivery confidence from commitments' statuses.

    Parameters
    ----------
    statuses : iterable of str
        One status per commitment: ``complete``, ``on track``, ``at risk``,
        ``off track`` or ``not started`` (any letter case).
    thresholds : sequence of (float, str)
        The lowest share (per cent) complete or on track for each rating, highest
        first, ending at 0: :data:`pcplib.assessment.thresholds.DELIVERY_THRESHOLDS`
        (the core cannot import the assessment, so the numbers are passed in).

    Returns
    -------
    DeliveryConfidence
        The rating from the share complete or on track (the "projected RAG"
        percentage of a previous plan's delivery report): 90% or more Green,
        75% Amber/Green, 50% Amber, 25% Amber/Red, under 25% Red. ``Grey`` when
        there are no commitments.

    Raises
    ------
    ValueError
        If a status is not one of the five (the message lists them).
    """
    if isinstance(statuses, str):
        raise ValueError("expected a list of statuses, got a single string")
    normalised = [_normalise_status(s) for s in statuses]
    counts = {status: normalised.count(status) for status in STATUSES}
    total = len(normalised)
    if total == 0:
        return DeliveryConfidence(
            rating="Grey",
            percent=None,
            counts=counts,
            explanation="Grey: no commitments are recorded, so delivery confidence is not rated.",
        )
    delivered = counts["complete"] + counts["on track"]
    percent = delivered / total * 100
    rating, floor = next((r, t) for t, r in thresholds if percent >= t)
    others = ", ".join(
        f"{counts[s]} {s}" for s in ("at risk", "off track", "not started") if counts[s]
    )
    band = f"{floor:g}% or more" if floor > 0 else f"under {thresholds[-2][0]:g}%"
    noun = "commitment" if total == 1 else "commitments"
    explanation = (
        f"{rating}: {delivered} of {total} {noun} ({percent:.0f}%) are complete or on track"
        f"{f' ({others})' if others else ''}; {rating} means {band}."
    )
    return DeliveryConfidence(
        rating=rating, percent=percent, counts=counts, explanation=explanation
    )


_FIVE_SCORE = {"Red": 1, "Amber/Red": 2, "Amber": 3, "Amber/Green": 4, "Green": 5}
_THREE_SCORE = {"Red": 1, "Amber": 2, "Green": 3}


def _count_text(ratings: list[str]) -> str:
    order = [r for r in RATINGS if r in ratings]
    return ", ".join(f"{ratings.count(r)} {r}" for r in order)


def roll_up(ratings: Iterable[str], method: str = "worst") -> tuple[str, str]:
    """Return one rating for a set of ratings, with a sentence explaining it.

    Parameters
    ----------
    ratings : iterable of str
        Ratings of the measures (or strategies) to combine; Grey ones are left out.
    method : {"worst", "mean"}, default "worst"
        ``worst``: the worst rating. ``mean``: the mean score, rounded to the
        nearest rating with ties going to the worse; scores are Red 1, Amber 2,
        Green 3, or on the five-point scale Red 1 to Green 5 when any rating is
        Amber/Green or Amber/Red.

    Returns
    -------
    tuple of (str, str)
        The rating (``Grey`` when every input is Grey or there are none) and one
        sentence a reviewer can read.

    Raises
    ------
    ValueError
        If ``method`` is unknown or a rating is not a rating word.
    """
    if method not in ("worst", "mean"):
        raise ValueError(f"unknown roll-up method {method!r}: expected 'worst' or 'mean'")
    if isinstance(ratings, str):
        raise ValueError("expected a list of ratings, got a single string")
    words = [normalise_rating(r) for r in ratings]
    rated = [w for w in words if w != "Grey"]
    greys = len(words) - len(rated)
    grey_text = f"; {greys} Grey (no target or no data) left out" if greys else ""
    if not words:
        return "Grey", "Grey: there are no ratings to roll up."
    if not rated:
        which = "the only rating is" if len(words) == 1 else f"all {len(words)} ratings are"
        return "Grey", f"Grey: {which} Grey (no target or no data)."
    five_point = any(w not in THREE_POINT for w in rated)
    scores = _FIVE_SCORE if five_point else _THREE_SCORE
    by_score = {v: k for k, v in scores.items()}
    values = [scores[w] for w in rated]
    noun = "rating" if len(rated) == 1 else "ratings"
    if method == "worst":
        rating = by_score[min(values)]
        return (
            rating,
            f"{rating}: the worst of {len(rated)} {noun} ({_count_text(rated)}){grey_text}.",
        )
    mean = sum(values) / len(values)
    # Ties round down (towards the worse rating): halves never flatter a strategy.
    rating = by_score[math.ceil(mean - 0.5)]
    scale = "Red 1 to Green 5" if five_point else "Red 1, Amber 2, Green 3"
    return rating, (
        f"{rating}: the mean score of {len(rated)} {noun} ({_count_text(rated)}) is {mean:.2f} "
        f"on a scale of {scale}, rounded to the nearest rating (a tie to the worse){grey_text}."
    )
