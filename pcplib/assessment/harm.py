"""When the evidence cannot vouch for Green: the limits on rating a measure without a test.

A measure with no target is Green when the tests of change and SPC show no deterioration
(:func:`~pcplib.assessment.targets.rate_measure`). Three kinds of evidence cannot carry
that "no sign of things getting worse", and the rating says so instead, as Grey with the
reason (``rag_rule``); a real or possible deterioration still rates Red or Amber, since
that rests on evidence the measure does have:

- ``small_numbers``: the reporting period's count is small (an expected count below
  :data:`~pcplib.assessment.thresholds.SMALL_COUNT` under no change): "5 against 5"
  cannot show that nothing changed, so "too few to tell", with the counts;
- ``no_comparable_baseline``: the definition changed at or after the start of the plan's
  baseline year, so there is no figure to measure progress since the plan began against,
  and the chart's limits come from the plan's own period (said, with that period);
- ``target_asks_nothing``: a dated target the baseline year already met, and the figure
  still meets: the target asks for no improvement, so meeting it is no test of progress;
  the measure is rated on its evidence of change as a measure with no target would be,
  and Grey where that would be Green, so it never carries its strategy to Green alone.

An SPC concern from runs or trends that the tests of change do not confirm
(``harm_spc_unconfirmed``, Amber) is told as what the chart shows and what the tests
show, never as "a possible rise" unless a test of change finds one (p below
:data:`~pcplib.assessment.thresholds.WEAK_EVIDENCE`).

Each rule and its source is in ``docs/methodology.md`` ("When the evidence cannot vouch
for Green").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from pcplib.assessment.figures import Figures, Window
from pcplib.assessment.thresholds import SMALL_COUNT
from pcplib.labels import format_figures, month_span, month_words
from pcplib.periods import month_number, parse_optional_month

if TYPE_CHECKING:  # the rating's types, without an import cycle
    from pcplib.assessment.changes import Changes
    from pcplib.assessment.targets import Rating, TargetForPeriod

__all__ = [
    "GREY_RULES",
    "asks_nothing",
    "describe_no_baseline",
    "describe_grey_rule",
    "describe_small_numbers",
    "describe_spc_unconfirmed",
    "settle_rating",
]

GREY_RULES = {
    "small_numbers": "no target; too few events to tell a change from chance: not rated",
    "no_comparable_baseline": "no target; the definition changed at or after the plan "
    "began, so no comparable baseline: not rated",
    "target_asks_nothing": "a target the baseline year already met asks for no "
    "improvement; rated as a measure with no target, and never Green on it",
}
"""The rules of this module (a rating's ``rule``) and their meaning, as
:data:`~pcplib.assessment.targets.RATING_RULES` gives the others."""

_GREEN_ON_NO_WORSE = ("no_deterioration", "tests_only")
"""The untargeted rules that rest on "no sign of things getting worse" (or on nothing):
the ones the three limits replace. ``tests_improvement`` (a real improvement on a test
of counts or proportions) stands on small numbers: an exact test beyond chance holds
whatever the count."""

_COMPARED = {
    "quarter": "on the same quarter a year earlier",
    "year": "over the 12 months on the 12 before",
    "since": "in the plan's baseline year",
}


def _pair(after: Window, before: Window | None, unit: str, period: str = "") -> str:
    """Two windows' figures, "15 against 10", or empty when either has none.

    With ``period``, the first figure's period follows it: "15 in the latest 12 months
    against 10".
    """
    if before is None or before.value is None or after.value is None:
        return ""
    now, then = format_figures([after.value, before.value], unit)
    return f"{now} {period} against {then}" if period else f"{now} against {then}"


def describe_small_numbers(changes: Changes, figures: Figures, measure: Mapping[str, Any]) -> str:
    """The counts of a measure on small numbers, in words; empty when its counts are not small.

    Small numbers are those of the reporting period's test against the same period a
    year earlier (``small_numbers`` of ``judgements.csv``): an expected count below
    :data:`~pcplib.assessment.thresholds.SMALL_COUNT`. The counts of the 12 months
    against the plan's baseline year follow, so the reader sees every figure the
    verdict rests on.

    Parameters
    ----------
    changes : Changes
        The measure's three changes (:func:`~pcplib.assessment.measures.compare_figures`).
    figures : Figures
        Its windows.
    measure : mapping
        Its catalogue row (``unit``).

    Returns
    -------
    str
        Such as "5 against 5 on the same quarter a year earlier; 15 in the latest 12
        months against 10 in the plan's baseline year".
    """
    if not changes.quarter_evidence.small_numbers:
        return ""
    unit = str(measure["unit"])
    # Each pair names its period: the quarter's 5 and the 12 months' 15 had read as two
    # figures for one period (issue 26, N6).
    latest = "in the latest 12 months"
    parts = [
        f"{text} {_COMPARED[key]}"
        for key, text in (
            ("quarter", _pair(figures.current, figures.last_year, unit)),
            ("since", _pair(figures.year_ending, figures.baseline, unit, latest)),
        )
        if text
    ]
    return "; ".join(parts)


def describe_no_baseline(measure: Mapping[str, Any], figures: Figures) -> str:
    """Why a measure has no comparable baseline, or empty when it has one.

    A measure whose definition changed (``definition_from``) after its baseline year
    began has no figure under its current definition for that year: progress since the
    plan began cannot be measured, however long the new series grows.

    Parameters
    ----------
    measure : mapping
        The catalogue row (``definition_from``, ``baseline_year``).
    figures : Figures
        Its windows (``baseline``: the plan's baseline year).

    Returns
    -------
    str
        Such as "the definition changed in April 2025, after the start of the plan's
        baseline year (2024/25)".
    """
    changed = parse_optional_month(measure.get("definition_from"))
    base = figures.baseline
    if changed is None or base is None or base.value is not None:
        return ""
    if month_number(changed) <= base.first:
        return ""
    return (
        f"the definition changed in {month_words(changed)}, after the start of the plan's "
        f"baseline year ({base.label.split(':', 1)[0]})"
    )


def asks_nothing(target: TargetForPeriod, value: float | None, good: str) -> bool:
    """Whether a target asks for no improvement: the baseline year met it, and so does now.

    A dated target not yet due that the baseline year already met
    (``TargetForPeriod.baseline_met``) is no test of progress while the figure still
    meets it. A figure that no longer meets it is judged against it as usual: it has
    fallen back past a line the plan began inside.
    """
    if not target.baseline_met or target.value is None or value is None:
        return False
    if good == "higher":
        return value >= target.value
    if good == "lower":
        return value <= target.value
    return False


def _limits_words(limits: tuple[str, str]) -> str:
    """The months that set the chart's limits, "June 2025 to June 2026", or empty."""
    first, last = (parse_optional_month(month) for month in limits)
    return "" if first is None or last is None else month_span(first, last)


def settle_rating(
    rating: Rating,
    *,
    few: str = "",
    no_baseline: str = "",
    asked_nothing: str = "",
    limits: tuple[str, str] = ("", ""),
    worsening: str = "none",
) -> Rating:
    """Apply the limits of this module to an untargeted rating (see the module docstring).

    Parameters
    ----------
    rating : Rating
        From :func:`~pcplib.assessment.targets.rate_measure`.
    few : str, optional
        The counts when they are small numbers (:func:`describe_small_numbers`).
    no_baseline : str, optional
        Why there is no comparable baseline (:func:`describe_no_baseline`).
    asked_nothing : str, optional
        The baseline year's label when the measure's target asks for no improvement
        (:func:`asks_nothing`), so it was rated as a measure with no target.
    limits : tuple of (str, str)
        The first and last months (``YYYY-MM``) that set the chart's limits, or empty.
    worsening : {"none", "possible", "real"}
        What the tests of change found (for an SPC concern they do not confirm).

    Returns
    -------
    Rating
        Grey with its rule where the evidence cannot vouch for Green; an SPC concern the
        tests do not confirm reworded as what the chart and the tests show; otherwise
        the rating as it was (with the target's note when it asked for nothing).
    """
    span = _limits_words(limits)
    if rating.rule == "harm_spc_unconfirmed":
        chart = f"its reference period ({span})" if span else "its reference period"
        found = rating.reason.split("possible one (", 1)
        # The worse way from the good direction (Rating.change): a possible fall where
        # higher is good, never "a possible rise" for it (review 10, R10-14).
        move = "fall" if rating.change == "fell" else "rise"
        tests = (
            f"one test finds a possible {move} ({found[1]}"
            if worsening == "possible" and len(found) == 2
            else "the tests against a year ago, over the year and against the plan's "
            "baseline year show no evidence of change"
        )
        rating = replace(
            rating,
            reason="harm rule: an SPC concern the tests of change do not confirm: the chart "
            f"shows the reporting period worse than {chart} by a run or trend, with no "
            f"point beyond its limits; {tests}",
        )
    lead = ""
    if asked_nothing:
        lead = (
            f"target already met in the baseline year ({asked_nothing}): it asks for no "
            "improvement, so no test of progress; rated as a measure with no target: "
        )
    if rating.rule not in _GREEN_ON_NO_WORSE:
        return replace(rating, reason=f"{lead}{rating.reason}") if lead else rating
    if no_baseline:
        note = f"; its chart's limits come from the plan's own period ({span})" if span else ""
        return replace(
            rating, rag="Grey", basis="none", rule="no_comparable_baseline", comparison=no_baseline,
            reason=f"{lead}no comparable baseline: {no_baseline}, so progress since the plan "
            f"began cannot be measured{note}: not rated",
        )  # fmt: skip
    if few:
        return replace(
            rating, rag="Grey", basis="none", rule="small_numbers", comparison=few,
            reason=f"{lead}small numbers: too few to tell a change from chance ({few}; an "
            f"expected count below {SMALL_COUNT}, and no test of change beyond chance): "
            "not rated",
        )  # fmt: skip
    if asked_nothing:
        return replace(
            rating, rag="Grey", basis="none", rule="target_asks_nothing",
            comparison=asked_nothing,
            reason=f"{lead}{rating.reason}; not rated, since no sign of worsening against a "
            "target that asks for nothing is no progress",
        )  # fmt: skip
    return rating


def _flag(value: Any) -> bool:
    return bool(value) and value == value  # NaN (a missing cell) is no flag


_CHANGED = re.compile(
    r"changed in (?P<month>[A-Z][a-z]+ \d{4}), after the start of the plan's baseline year "
    r"\((?P<year>[^)]+)\)"
)
"""The month and baseline year of :func:`describe_no_baseline`'s words."""


def describe_grey_rule(row: Mapping[str, Any], public: bool = False) -> str:
    """Why a measure is Grey under a rule of this module, in words; empty for other rules.

    Every report words these ratings from here, from the rating's ``rag_rule`` and
    ``rag_comparison`` (the counts, the definition change or the baseline year), never
    from the words of ``rag_reason``.

    Parameters
    ----------
    row : mapping
        A measure's row: ``rag_rule``, ``rag_comparison``, ``spc_limits_from``,
        ``spc_limits_to``.
    public : bool, default False
        Words for residents (no "baseline year" or chart terms).

    Returns
    -------
    str
        Such as "too few to tell: small numbers (5 against 5 on the same quarter a year
        earlier; ...)", with no full stop.
    """
    rule, detail = str(row.get("rag_rule") or ""), row.get("rag_comparison")
    detail = str(detail) if _flag(detail) else ""
    if rule == "outcomes_open":
        # Short of its target on months whose outcomes are still open: it has a target,
        # so never "no target", and the lag, not the evidence, keeps it from a rating
        # (review 9, R9-20).
        if public:
            return (
                "not rated: it is short of its target, but the latest months' outcomes are "
                "still being decided and can only add to it, so it is not rated until they are"
            )
        return (
            "not rated: short of its target while its latest months' outcomes are still "
            "open, so not rated until they settle"
        )
    if rule == "small_numbers":
        if public:
            return "these are small numbers, too few to tell a change from chance"
        return f"too few to tell: small numbers ({detail})" if detail else "too few to tell"
    if rule == "no_comparable_baseline":
        if public:
            # Only the plan's baseline year is not comparable: a year ago may be on the
            # new definition, and is compared (review 9, R9-12).
            found = _CHANGED.search(detail)
            since = f" since {found['month']}" if found else ""
            year = f" ({found['year']})" if found else ""
            return (
                f"not rated: counted a new way{since}, so it cannot be compared with the "
                f"plan's baseline year{year}"
            )
        span = _limits_words(
            (str(row.get("spc_limits_from") or ""), str(row.get("spc_limits_to") or ""))
        )
        limits = f", and its chart's limits come from {span}, within the plan" if span else ""
        return (
            f"not rated: no comparable baseline, as {detail}; progress since the plan began "
            f"cannot be measured{limits}"
        )
    if rule == "target_asks_nothing":
        if public:
            year = f" ({detail})" if detail else ""
            return (
                f"not rated: it already met its target in the plan's baseline year{year}, so "
                "the target asks for no improvement"
            )
        # Meeting a target that asks for no improvement is no test of progress: said in
        # as few words as the plan overview's row has room for.
        return (
            f"not rated: its target, met in the baseline year ({detail}), asks for no improvement"
        )
    return ""


def describe_spc_unconfirmed(row: Mapping[str, Any], public: bool = False) -> str:
    """An SPC concern the tests do not confirm (``harm_spc_unconfirmed``), in words.

    Never "a possible rise" unless a test of change found one (``rag_comparison`` names
    it); the chart's finding and the tests' are each said for what they are.
    """
    if row.get("rag_rule") != "harm_spc_unconfirmed":
        return ""
    worse = "fall" if row.get("good_direction") == "higher" else "rise"
    span = _limits_words(
        (str(row.get("spc_limits_from") or ""), str(row.get("spc_limits_to") or ""))
    )
    chart = f" of {span}" if span else ""
    comparison = row.get("rag_comparison")
    possible = _flag(comparison) and bool(str(comparison))
    if public:
        tests = (
            f"a comparison shows a possible {worse}, not yet conclusive"
            if possible
            else "compared with a year ago and with the plan's baseline year, there is no "
            "clear change"
        )
        return f"its chart shows it worse than its usual level{chart}, but {tests}"
    tests = (
        f"a test of change finds a possible {worse} ({comparison})"
        if possible
        else "the tests against a year ago and the baseline year show no evidence of change"
    )
    # What kind of signal it is (a run, a trend, two of three near a limit), never a
    # point outside the limits, which this rule by definition has not.
    shape = str(row.get("spc_signal") or "") or "a run or trend"
    return (
        f"an SPC concern not confirmed by the tests: the chart shows {shape}, worse than its "
        f"reference period{chart}, with no point outside the limits; {tests}"
    )
