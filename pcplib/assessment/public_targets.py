"""What the public report says of a measure's target, in plain English.

Read off the one rating every report shows (:func:`~pcplib.assessment.targets.rate_measure`):
a target met, met but close (on the right side of it by less than chance allows:
"though by less than the usual ups and downs"), missed, too close to say (on the wrong
side by less than that), on course for a dated target or behind it, and a survey's range
beside its target. The words are for a reading age of about nine.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from pcplib import periods
from pcplib.assessment.chance import describe_settled_miss
from pcplib.assessment.change_chance import describe_unreliable_pass
from pcplib.assessment.vocabulary import say_small_close
from pcplib.labels import format_figure, format_figures, is_missing, month_words
from pcplib.periods import FREQUENCY_MONTHS

__all__ = ["is_past_final_target", "say_survey_range", "say_target", "say_target_in_range"]


def say_survey_range(row: Mapping[str, Any]) -> str:
    """A survey estimate's 95% range in everyday words, or ``""`` for other figures."""
    margin, current = row.get("margin_of_error"), row.get("current")
    if is_missing(margin) or is_missing(current):
        return ""
    margin, current = float(cast(float, margin)), float(cast(float, current))
    low, high = format_figures(
        [max(0.0, current - margin), min(100.0, current + margin)], "percent"
    )
    return f"It is from a survey, so the true figure is likely between {low} and {high}."


def say_target_in_range(row: Mapping[str, Any]) -> str:
    """For a survey with a target inside its range: what that means for the verdict.

    Met inside the range: it may in fact have been missed. Short of it inside the range:
    too close to say (it may have been met), unless the process settled it as missed.
    """
    values = [row.get("margin_of_error"), row.get("current"), row.get("target_for_period")]
    if any(is_missing(v) for v in values):
        return ""
    margin, current, target = (float(cast(float, v)) for v in values)
    if abs(target - current) > margin:
        return ""
    met = row["rag"] == "Green" or bool(row.get("rag_capped"))
    if describe_settled_miss(row) and not row.get("target_on_year"):
        return ""  # said with the target (:func:`say_target`)
    if not met and not row.get("target_within_margin") and row["rag"] in ("Amber", "Red"):
        # Short of it inside the range, yet called missed: the survey's record (or its
        # chart's limits) shows it below the target, so the Board's "missed" is told,
        # never "it may in fact have been met" beside it.
        side = "above" if row.get("good_direction") == "lower" else "below"
        return (
            f"The target is inside that range, but the figure has been {side} it in most "
            "surveys, so it is counted as missed."
        )
    return (
        "The target is inside that range, so it may in fact have been missed."
        if met
        else "The target is inside that range, so it may in fact have been met."
    )


def _baseline_met_words(row: Mapping[str, Any], when: str, met: bool) -> str:
    """A dated target the plan's baseline year already met, said as it is.

    "On course for its target" reads as progress towards a stretch; a target the plan
    started inside asks for no improvement, and residents are told so (review 3, #4).
    """
    good = str(row.get("good_direction"))
    inside, outside = ("at or below", "above") if good == "lower" else ("at or above", "below")
    base = str(row.get("baseline_words") or "the plan's baseline year")
    if met:
        return (
            f"{inside.capitalize()} its target{when}, as it already was in {base}: the "
            "target asks for no improvement."
        )
    return f"{outside.capitalize()} its target{when}, though {base} met it."


_CLOSE = ", though by less than the usual ups and downs."
"""How a target met by less than chance allows is told (``rag_close``): met, and close."""


def _is_close(row: Mapping[str, Any]) -> bool:
    """Met, but close: on the right side of the target by less than chance allows.

    A survey's closeness is told by its range instead (:func:`say_target_in_range`).
    """
    close = str(row.get("rag_close")).strip().lower() in ("true", "1")
    return close and row["rag"] == "Green" and is_missing(row.get("margin_of_error"))


def say_target(row: Mapping[str, Any]) -> str:
    """The target's words: met (or met, but close), missed, or too close to say.

    One rule, read off the rating (:func:`~pcplib.assessment.targets.rate_measure`): a
    figure on the right side of its target by less than chance allows meets it, "though
    by less than the usual ups and downs" (never listed as needing attention); one on
    the wrong side by less than that is too close to say whether it was met, unless its
    process settles it as missed, which is said: "Above its target of at most 3,450:
    within the usual ups and downs this quarter, but met in only 6 of 38 months, so
    counted as missed." (:func:`~pcplib.assessment.chance.describe_settled_miss`).
    """
    words = _target_met_or_missed(row)
    unreliable = describe_unreliable_pass(row, public=True)
    if unreliable:
        # Met this quarter, but its record says it usually misses: never a bare "Meets".
        return f"{words.removesuffix('.')}, {unreliable}."
    settled = describe_settled_miss(row)
    if settled and not row.get("target_on_year"):
        # Within chance of it, but counted missed on its record: said for every kind of
        # figure, never a bare "Above its target" (review 9, R9-9). A survey's range is
        # in the sentence before (:func:`say_survey_range`), so "within that range".
        if not is_missing(row.get("margin_of_error")):
            settled = "within that range" + settled.split(" this quarter", 1)[1]
        return f"{words.removesuffix('.')}: {settled}."
    if not _is_close(row):
        return words
    if row.get("target_baseline_met"):
        return f"{words} Only just, though: by less than the usual ups and downs."
    small = say_small_close(row, ", which are wide for numbers this small")
    return words.removesuffix(".") + _CLOSE.removesuffix(".") + small + "."


def _target_met_or_missed(row: Mapping[str, Any]) -> str:
    unit = str(row["unit"])
    goal = format_figure(row["target_for_period"], unit, per=str(row.get("rate_per") or ""))
    due = str(row.get("target_date") or "")
    when = f" for {month_words(periods.parse_month(due))}" if due else ""
    met = row["rag"] == "Green" or bool(row.get("rag_capped"))
    if row.get("target_within_margin"):
        if row.get("margin_of_error") is not None and not is_missing(row.get("margin_of_error")):
            return f"Within the survey's margin of error of its target of {goal}."
        # Too close to call: the figure lies within the ups and downs chance alone gives.
        if row["rag_basis"] == "trajectory":
            return (
                f"Too close to the course set for its target{when} ({goal} by now) to say "
                "whether it is on course."
            )
        return f"Too close to its target of {goal}{when} to say whether it was met."
    if row["rag_basis"] == "trajectory":
        if row.get("target_baseline_met"):
            return _baseline_met_words(row, when, met)
        if met:
            final = format_figure(row.get("target_final"), unit, per=str(row.get("rate_per") or ""))
            step = _total_step(row)
            if step:
                # "1,150 a month", judged on the quarter's total: never "1,150 ... (3,585
                # expected by now)", a month's figure beside a quarter's.
                final, goal = f"{final} a {step}", f"{goal} for the quarter"
            if is_past_final_target(row):
                # Told "on course" alone, a figure already beyond the final target read as
                # still short of it (review 21, R21-4); never "met" before its date.
                return f"On course for its target of {final}{when}, and already beyond it."
            return f"On course for its target of {final}{when} ({goal} expected by now)."
        scope = f" {row.get('target_period_label')}" if row.get("target_on_year") else ""
        return f"Behind the course set for its target{when} ({goal}{scope} by now)."
    if row.get("target_on_year"):
        # A seasonal measure: the year against a year's target, never a quarter against it.
        compared = format_figure(
            row.get("target_compared"), unit, per=str(row.get("rate_per") or "")
        )
        scope = str(row.get("target_period_label") or "over the year")
        side = "within" if met else "above" if row.get("good_direction") == "lower" else "below"
        return f"{compared} {scope}, {side} its target of {goal} for that period."
    goal += _target_scope(row)
    # A target the plan's baseline year already met is a standard kept, not a gain the
    # plan brought: said, so "What has been achieved" is not read as the plan's doing
    # (review 21, R21-12).
    lower = row.get("good_direction") == "lower"
    kept = ""
    if met and row.get("target_met_before") is True:
        verb = "was" if lower else "did"
        # A stock is compared at the baseline year's end, exactly; any other figure on the
        # year's total or average, which a target set a month or a quarter may have missed
        # in some of its periods (review 22, R22-2: KSI above 30 in 5 of its 12 months).
        average = "" if row.get("aggregation") == "last" else " on average"
        base = row.get("baseline_words") or "the baseline year"
        kept = f", as it already {verb}{average} in {base}"
    if lower:
        # "Short of 3,450" reads as below it, a ceiling met: say which side it is on.
        return (
            f"Within its target of at most {goal}{kept}."
            if met
            else f"Above its target of at most {goal}."
        )
    if met:
        return f"Meets its target of {goal}{kept}."
    return f"Short of its target of {goal}."


def is_past_final_target(row: Mapping[str, Any]) -> bool:
    """Whether a dated target's figure is already on the far side of the final target.

    The figure judged (the year ending's for a seasonal measure, ``target_on_year``;
    else the period's) against ``target_final``, the target due at ``target_date``.
    False when either is missing or the measure has no good direction.

    Parameters
    ----------
    row : mapping
        A measure's judgements: ``current``, ``target_compared``, ``target_on_year``,
        ``target_final`` and ``good_direction``.

    Returns
    -------
    bool
        True when the figure already meets the final target.
    """
    figure = row.get("target_compared") if row.get("target_on_year") else row.get("current")
    final, good = row.get("target_final"), row.get("good_direction")
    if figure is None or final is None or is_missing(figure) or is_missing(final):
        return False
    # A total's target is set a month ("1,150 a month") and judged on the period's total
    # (target_for_period is target_per_period times its months): scaled alike.
    scaled, per = row.get("target_for_period"), row.get("target_per_period")
    ratio = 1.0
    if not any(v is None or is_missing(v) for v in (scaled, per)) and float(cast(float, per)):
        ratio = float(cast(float, scaled)) / float(cast(float, per))
    goal = float(final) * ratio
    if not _is_beyond(float(figure), goal, good):
        return False
    if row.get("aggregation") == "last" or row.get("target_on_year"):
        return True  # a stock's year ending is its latest figure; the year already judged
    # One quarter's rate or total swings: beyond the target only when the 12 months are
    # too, never on a quarter the year belies (review 22, R22-5: rape outcomes 10.2% in
    # the quarter, 9.5% over the 12 months, against 10%).
    year = row.get("year_ending")
    if year is None or is_missing(year):
        return False
    months = FREQUENCY_MONTHS.get(str(row.get("frequency")), 0)
    per_year = 12 / months if row.get("aggregation") == "sum" and months else 1.0
    return _is_beyond(float(year), float(final) * per_year, good)


def _is_beyond(figure: float, goal: float, good: Any) -> bool:
    """Whether ``figure`` meets ``goal`` the good way (False with no good direction)."""
    if good == "higher":
        return figure >= goal
    return good == "lower" and figure <= goal


def _added_up_step(row: Mapping[str, Any], base: str) -> str:
    """The step of a total's target in ``base`` ("month") when added up for the period."""
    target, scaled = row.get(base), row.get("target_for_period")
    step = {"monthly": "month", "weekly": "week"}.get(str(row.get("frequency")))
    if row.get("aggregation") != "sum" or step is None:
        return ""
    if target is None or scaled is None or is_missing(target) or is_missing(scaled):
        return ""
    return "" if float(target) == float(scaled) else step


def _total_step(row: Mapping[str, Any]) -> str:
    """The period of a total's target ("month") when judged on the quarter's total, else empty."""
    return "" if row.get("target_on_year") else _added_up_step(row, "target_per_period")


def _target_scope(row: Mapping[str, Any]) -> str:
    """The period a total's target covers, when it is the plan's target added up.

    The plan sets "1,150 a month"; the quarter's total is judged against 3,450, and a
    reader is told that 3,450 is the quarter's worth of it (review 4, F7).
    """
    step = _added_up_step(row, "target")
    if not step:
        return ""
    plain = format_figure(row.get("target"), str(row["unit"]), per=str(row.get("rate_per") or ""))
    return f" for the quarter ({plain} a {step})"
