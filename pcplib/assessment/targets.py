"""Targets, trajectories and the RAG rating of a measure.

A target may carry a date (``target_date`` in ``framework/measures.csv``, ``YYYY-MM``):
"10% by March 2029". Before that date the measure is judged against a straight-line
trajectory from its baseline-year figure (at the end of the baseline year) to the
target (at the target date), the practice of trajectories in NHS operational planning
and of the Home Office's police uplift tracking; the table shows the value expected for
the period. A target with no date, or whose date has passed, applies now, and so does a
dated target the baseline already meets (a line towards it would be stricter than the
target).

A target (or its course) of a seasonal measure (a clear seasonal pattern: see
:mod:`pcplib.assessment.limits`) is judged on the year ending, not on one season: a
summer quarter does not meet a target that the winter misses (``on_year``). A dated
target not yet due that the baseline already meets is "on course" (``trajectory``, the
course being the target itself, ``baseline_met``), never "met" before its date.

The rating of a measure, with its basis (``rag_basis``) and its reason
(``rag_reason``, naming the rule and the threshold, as ``judgements.csv`` shows it):

- ``target`` or ``trajectory``: Green when met, Amber when missed by up to
  :data:`~pcplib.assessment.thresholds.RAG_TOLERANCE` of the target, Red beyond; a
  real deterioration (a rise in a harm beyond chance, or an SPC concern at any point
  of the reporting period) caps a Green at Amber, since a real deterioration is under
  way even while the target is met. A figure within chance of its target
  (:mod:`pcplib.assessment.chance`) on its right side is Green, "met, but close"
  (``close``), unless the process lies on the wrong side (then Amber); on its wrong
  side it is Amber, "too close to say", neither met nor missed, unless the process lies
  on that side too (then the threshold rating stands). An administrative measure (an
  exact count the organisation sets) has no allowance for chance: met or missed exactly;
  but exact is not steady, so one that meets its target while its record (or its SPC
  assurance) shows the process on the wrong side is Amber, "met, but not reliably"
  (``capped``, cap ``record_missed``): counted in full means no sampling error, not no
  month-to-month variation (review 10, R10-4);
- ``evidence``, for a measure with a good direction but no target: Red for a real
  deterioration (the test of change beyond chance and material, or an SPC concern in
  the period where no test of change could be made), Amber for a possible one (an SPC
  concern the tests of change do not confirm, or a test's change material with p
  below :data:`~pcplib.assessment.thresholds.WEAK_EVIDENCE`), Green when SPC on a stable
  baseline shows no concern and the tests no deterioration; a harm that rose beyond
  chance is never Green, with or without a target. Where SPC gave no verdict (an
  unstable baseline, too few points) the tests alone rate Green only for a real
  improvement; otherwise the measure is Grey, "no SPC verdict: tests only", with the
  reason;
- ``none``: Grey, for no data, no good direction, or no evidence at all (no test and
  no SPC).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, cast

from pcplib import rag
from pcplib.assessment.chance import TargetChance
from pcplib.assessment.changes import HALF_YEAR
from pcplib.assessment.figures import Figures
from pcplib.assessment.thresholds import RAG_TOLERANCE
from pcplib.labels import UNIT_LABELS, format_figures, is_missing
from pcplib.periods import month_number, month_of, parse_optional_month

__all__ = [
    "NO_SPC_VERDICT_RULES",
    "OUTCOMES_OPEN",
    "RATING_COLUMNS",
    "RATING_RULES",
    "Rating",
    "TargetForPeriod",
    "compute_target_for_period",
    "meets_target",
    "rate_measure",
    "tabulate_rating",
]


@dataclass(frozen=True)
class TargetForPeriod:
    """The target a reporting period is judged against.

    Attributes
    ----------
    value : float or None
        The figure expected for the reporting period, on the scale of the current
        figure (a quarter's total for a count of events); None without a target.
    per_period : float or None
        The same per period (a month or a quarter), as the catalogue states targets.
    basis : {"target", "trajectory", ""}
        ``trajectory`` before a dated target falls due, ``target`` otherwise.
    due : str
        The target date ``YYYY-MM`` (empty when undated).
    final : float or None
        The target itself.
    on_year : bool
        Judged on the year ending (a seasonal measure), not the reporting period.
    baseline_met : bool
        A dated target not yet due that the baseline year already met: the course to it
        is the target itself (a line from the baseline would be stricter), and the
        measure is "on course", never "target met", until the date.
    """

    value: float | None
    per_period: float | None
    basis: str
    due: str
    final: float | None
    on_year: bool = False
    baseline_met: bool = False


RATING_RULES = {
    "trend": "no good direction: reported as a trend, not rated",
    "no_figure": "no figure for the period",
    "target": "the figure against its target or its trajectory (``basis`` says which)",
    "harm_test": "a real deterioration on a test of change (``comparison`` says which)",
    "harm_spc": "an SPC concern in the reporting period",
    "harm_possible": "a possible deterioration (weak evidence)",
    "harm_spc_unconfirmed": "an SPC concern the tests of change do not confirm: possible",
    "no_deterioration": "no target; no deterioration in the tests of change or SPC",
    "tests_improvement": "no target, no SPC verdict; a real improvement on a count or share test",
    "tests_only": "no target, no SPC verdict; the tests find no change: not rated",
    "not_rated": "no target, no SPC verdict and no test: not rated",
    "outcomes_open": "short of its target while the period's outcomes are still open",
    "record_missed": "a figure counted in full meets its target, but its record shows the "
    "process on the wrong side: met, but not reliably (a cap only)",
}
"""Each rule :func:`rate_measure` can rate by (a :class:`Rating`'s ``rule``), and its meaning.

The report floor formats a rating's basis from these fields, never by reading the words
of ``reason``, so rewording a reason cannot change what a report shows of its basis.
"""

NO_SPC_VERDICT_RULES = ("tests_improvement", "tests_only", "not_rated")
"""The rules of :data:`RATING_RULES` for a measure with no target and no SPC verdict,
rated (or left unrated) on the tests of change alone: the ones whose reason begins "no
SPC verdict", and whose ``spc_status`` says why there was none."""


@dataclass(frozen=True)
class Rating:
    """A measure's RAG rating, what it rests on, and the rule and threshold that decided.

    Attributes
    ----------
    rag : str
        Green, Amber, Red or Grey.
    basis : {"target", "trajectory", "evidence", "none"}
        What the rating rests on.
    capped : bool
        A met target capped at Amber by a real deterioration.
    reason : str
        The rule and threshold in words, as ``judgements.csv`` shows it.
    rule : str
        Which rule decided (a key of :data:`RATING_RULES`).
    figure, goal : str
        For the ``target`` rule: the figure judged and the target (or the trajectory's
        point) it was judged against, as ``reason`` prints them.
    shortfall : float or None
        For a missed target: by how much, in percentage points for a percentage, else as
        a share of the target (0.07 for 7%); None when met.
    margin : float or None
        A survey's margin of error (points, 95%) when the shortfall is inside it: not
        shown to be missed.
    comparison : str
        For ``harm_test`` and ``harm_possible`` (and a cap by a test), the comparison
        whose test showed the change, such as "the quarter on the same quarter a year
        earlier"; for ``tests_improvement``, the one that showed the improvement.
    change : {"rose", "fell", ""}
        For a deterioration, real or possible (``harm_test``, ``harm_possible``, and
        ``harm_spc_unconfirmed`` when a test finds a possible one), which way the
        measure moved: its worse way, read from its good direction (a fall where higher
        is good; review 10, R10-14).
    cap : str
        For a capped rating, the rule that capped it (``harm_test`` or ``harm_spc``), or
        ``record_missed`` for a figure counted in full met while its record (or its SPC
        assurance) shows the process on the wrong side of the target: met, but not
        reliably.
    chance : float or None
        For a figure within chance of its target (other than a survey's shortfall inside
        its margin, ``margin``): the 95% allowance chance gives it, in the figure's unit
        (:func:`~pcplib.assessment.chance.estimate_target_chance`): neither met nor
        missed, or, with ``close``, met but close.
    close : bool
        Met, but close: the figure is on the right side of its target (or trajectory)
        by less than ``chance`` allows, and the process does not lie on the wrong side.
        Green, and a met target everywhere, worded "though by less than the usual ups
        and downs"; never "needs attention".
    settled : float or None
        For a figure within chance of its target whose process lies on the side the
        figure does (``target_process``, its record or its SPC assurance): the 95%
        allowance chance gives it. The threshold rating stands (a miss is counted as
        missed), and every report says it rests on the process, not on the quarter:
        "within the usual ups and downs this quarter, but met in only 6 of 38 months, so
        counted as missed" (review 9, R9-9).
    """

    rag: str
    basis: str
    capped: bool = False
    reason: str = ""
    rule: str = ""
    figure: str = ""
    goal: str = ""
    shortfall: float | None = None
    margin: float | None = None
    comparison: str = ""
    change: str = ""
    cap: str = ""
    chance: float | None = None
    close: bool = False
    settled: float | None = None

    @property
    def within_chance(self) -> bool:
        """Whether the figure is too close to its target to say: neither met nor missed.

        False for a figure met but close (``close``): that target is met.
        """
        return (self.margin is not None or self.chance is not None) and not self.close


OUTCOMES_OPEN = Rating(
    "Grey", "none", rule="outcomes_open",
    reason="short of its target, but the period's latest outcomes are still open "
    "(provisional): not rated until they settle",
)  # fmt: skip
"""The rating of a share short of its target while the period's latest outcomes are still
open: not yet final (the lag may explain the shortfall), so not rated until it is."""

RATING_COLUMNS = (
    "rag_rule", "rag_figure", "rag_goal", "rag_shortfall", "rag_margin", "rag_comparison",
    "rag_change", "rag_cap", "rag_chance", "rag_close", "rag_settled",
)  # fmt: skip
"""A :class:`Rating`'s basis as a measure's columns (``rag_`` and the field's name)."""


def tabulate_rating(rating: Rating) -> dict[str, Any]:
    """Return a rating's basis as the columns of :data:`RATING_COLUMNS`.

    Parameters
    ----------
    rating : Rating
        From :func:`rate_measure`.

    Returns
    -------
    dict
        ``rag_rule``, ``rag_figure`` ... ``rag_cap``: what a report formats a rating's
        basis from, never the words of ``rag_reason``.
    """
    return {column: getattr(rating, column.removeprefix("rag_")) for column in RATING_COLUMNS}


def _baseline_per_period(figures: Figures, measure: Mapping[str, Any]) -> float | None:
    window = figures.baseline
    if window is None or window.value is None:
        return None
    if str(measure.get("aggregation")) == "sum" and measure["frequency"] != "annual":
        return window.value / window.expected
    return window.value


def meets_target(value: float, target: float, good: str) -> bool:
    """Whether a figure meets its target: at or above it for ``higher``, at or below for ``lower``.

    The one test of "met" every judgement against a target uses (the trajectory's start,
    the per-period record, the annual evaluation's year). A measure with no good
    direction meets none (the data's checks refuse a target on one).

    Parameters
    ----------
    value, target : float
        The figure and the target it is held to.
    good : {"higher", "lower", "neutral"}
        The measure's good direction.

    Returns
    -------
    bool
        True when the target is met.
    """
    if good == "higher":
        return value >= target
    if good == "lower":
        return value <= target
    return False


def compute_target_for_period(
    figures: Figures, measure: Mapping[str, Any], end: int, seasonal: bool = False
) -> TargetForPeriod:
    """Return the target for the reporting period: the target, or its trajectory point.

    Parameters
    ----------
    figures : Figures
        The measure's like-for-like figures (the baseline year starts the trajectory).
    measure : mapping
        The measure's catalogue row (``target`` per period, optional ``target_date``).
    end : int
        The reporting period's last month (see
        :func:`~pcplib.periods.month_number`).

    seasonal : bool, default False
        Whether the measure has a clear seasonal pattern: a flat target is then judged
        on the year ending (``on_year``), never on one season.

    Returns
    -------
    TargetForPeriod
        A sum measure's quarterly figure meets the per-period target times the periods
        in the quarter (the year ending's, times twelve months' periods, ``on_year``).
    """
    target = measure.get("target")
    if is_missing(target):
        return TargetForPeriod(None, None, "", "", None)
    final = float(cast(Any, target))
    due_month = parse_optional_month(measure.get("target_date"))
    due = None if due_month is None else month_number(due_month)
    due_text = "" if due is None else str(month_of(due))
    per_period, basis = final, "target"
    start_value = _baseline_per_period(figures, measure)
    # A trajectory only where the baseline misses the target: a straight line from a
    # baseline that already meets it would be stricter than the target itself.
    already_met = start_value is not None and meets_target(
        start_value, final, str(measure.get("good_direction"))
    )
    if due is not None and end < due and already_met:
        # Not yet due, and the baseline already meets it: on course (the target itself is
        # the course), never "met" before its date (a 2028/29 target is not met in 2026).
        basis = "trajectory"
    elif (
        due is not None
        and end < due
        and start_value is not None
        and figures.baseline
        and not already_met
    ):
        # The line starts where the baseline figure ends: the end of the baseline year, or
        # for a stock the same month of it that the current figure is compared with.
        baseline_end = figures.baseline.last
        if due > baseline_end:
            share = min(1.0, max(0.0, (end - baseline_end) / (due - baseline_end)))
            per_period = start_value + (final - start_value) * share
            basis = "trajectory"
    value = per_period
    # A seasonal measure's target (or course) is read on the year ending, so one season
    # cannot meet what the year misses.
    on_year = bool(seasonal and measure["frequency"] != "annual")
    window = figures.year_ending if on_year else figures.current
    if str(measure.get("aggregation")) == "sum" and measure["frequency"] != "annual":
        value = per_period * window.expected
    return TargetForPeriod(
        value,
        per_period,
        basis,
        due_text,
        final,
        on_year,
        baseline_met=already_met and basis == "trajectory",
    )


def _due_words(due: str) -> str:
    """A target date ``YYYY-MM`` in words ("March 2029"); "its date" when empty."""
    from pcplib.labels import month_words
    from pcplib.periods import parse_month

    return month_words(parse_month(due)) if due else "its date"


def _plain(value: float) -> str:
    """A figure for a reason: whole thousands with commas, else three significant digits."""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.3g}"


def _target_figures(current: float, target: float, unit: str, per: str) -> tuple[str, str]:
    """The figure and its target as a reason prints them: in the unit, else plain."""
    if unit in UNIT_LABELS:
        current_text, target_text = format_figures([current, target], unit, per=per)
        return current_text, target_text
    return _plain(current), _plain(target)


def _shortfall(current: float, target: float, unit: str) -> float:
    """How far a figure misses: points for a percentage, else a share of the target."""
    if unit == "percent":
        return abs(current - target)
    return abs(current - target) / abs(target) if target else float("inf")


def _target_reason(
    current: float, target: float, rating: str, basis: str, unit: str = "", per: str = ""
) -> str:
    word = "trajectory" if basis == "trajectory" else "target"
    current_text, target_text = _target_figures(current, target, unit, per)
    if rating == "Green":
        return f"{word} rule: {current_text} meets the {word} of {target_text}"
    miss = abs(current - target) / abs(target) if target else float("inf")
    band = "within" if rating == "Amber" else "beyond"
    # A percentage misses by percentage points; the tolerance is a share of the target.
    size = (
        f"{abs(current - target):.1f} percentage points ({miss:.1%} of the {word})"
        if unit == "percent"
        else f"{miss:.1%}"
    )
    return (
        f"{word} rule: {current_text} misses the {word} of {target_text} by {size}, {band} "
        f"the tolerance of {RAG_TOLERANCE:.0%}"
    )


def _describe_worse(
    good: str, worsening: str, worsening_reason: str, counted: bool = False
) -> tuple[str, str]:
    """The rule of a real deterioration (``harm_test`` or ``harm_spc``) and its reason.

    A measure counted in full (``counted``: administrative) got worse by a change large
    enough to matter, with no test of chance, and its reason says so.
    """
    if worsening == "real":
        # The way the measure got worse: a rise for a harm, a fall for what should grow.
        change = "fell" if good == "higher" else "rose"
        how = "by enough to matter, counted in full" if counted else "beyond chance"
        return "harm_test", f"harm rule: {change} {how} ({worsening_reason})"
    return "harm_spc", (
        "harm rule: an SPC concern in the reporting period (a point beyond the limits "
        "or a run against a stable baseline)"
    )


def _comparison_of(reason: str) -> str:
    """The comparison a test's reason names first (``"<comparison>: <test>"``)."""
    return reason.split(":", 1)[0] if reason else ""


def _rate_against_target(
    current: float,
    goal_value: float,
    target: TargetForPeriod,
    good: str,
    worse: Rating | None,
    unit: str,
    per: str,
    chance: TargetChance | None,
    process: tuple[str, str],
    record: tuple[str, str] = ("", ""),
) -> Rating:
    """The ``target`` rule: met, missed within or beyond the tolerance, capped, or within chance.

    ``goal_value`` is ``target.value``; ``worse`` is the real deterioration (if any)
    that caps a met target at Amber; ``chance`` and ``process`` as for
    :func:`rate_measure`; ``record`` is its ``record`` for a figure counted in full,
    else empty.
    """
    rating = rag.rag_against_target(current, goal_value, good, tolerance=RAG_TOLERANCE)
    word = "target" if target.baseline_met else target.basis
    reason = _target_reason(current, goal_value, rating, word, unit, per)
    if target.baseline_met:
        reason = reason.replace(" meets the target of ", " is within the target of ")
    if target.on_year:
        reason += " (a seasonal measure, judged on the year ending)"
    if target.baseline_met:
        reason += (
            f"; not due until {_due_words(target.due)}, and the baseline year already "
            "met it, so it is on course, not yet met"
        )
    figure, goal = _target_figures(current, goal_value, unit, per)
    shortfall = None if rating == "Green" else _shortfall(current, goal_value, unit)
    rated = Rating(
        rating, target.basis, reason=reason, rule="target", figure=figure, goal=goal,
        shortfall=shortfall,
    )  # fmt: skip
    if rating == "Green" and worse is not None:
        return replace(
            rated, rag="Amber", capped=True, reason=f"{reason}; capped: {worse.reason}",
            cap=worse.rule, comparison=worse.comparison, change=worse.change,
        )  # fmt: skip
    if rating == "Green" and chance is None and record[0] == "missed":
        # Counted in full, so no sampling error, but not steady: the record since the
        # latest process change (the sign test the SPC assurance reads) shows it misses
        # more often than chance would give, so this quarter's pass is not reliable
        # (review 10, R10-4; opening hours met in 4 of 20 months). Limits set before a
        # shift are not read here: a process that has since moved may lie anywhere.
        return replace(
            rated, rag="Amber", capped=True, cap="record_missed",
            reason=f"{reason}, but not reliably: counted in full, yet {record[1]}",
        )  # fmt: skip
    if chance is not None and abs(current - goal_value) <= chance.half_width:
        return _rate_within_chance(current, goal_value, good, rated, chance, process, unit)
    return rated


def _rate_within_chance(
    current: float,
    goal_value: float,
    good: str,
    rated: Rating,
    chance: TargetChance,
    process: tuple[str, str],
    unit: str,
) -> Rating:
    """A figure within chance of its target: met but close, or too close to say.

    One rule for every report: on the right side of the target the figure meets it,
    though by less than chance allows (Green, ``close``), unless the process lies on
    the wrong side (Amber: met this period by chance); on the wrong side it is too
    close to say (Amber, neither met nor missed), unless the process lies on that side
    too. When the process lies on the figure's side, the threshold rating stands.
    """
    side = "met" if meets_target(current, goal_value, good) else "missed"
    points = " points" if unit == "percent" else ""
    allowance = f"+/- {_plain(chance.half_width)}{points} at 95%"
    distance = abs(current - goal_value)
    if process[0] == side:
        # The quarter alone cannot tell, but the process can: it lies on the side the
        # figure does, so the threshold rating stands, and says why.
        return replace(
            rated,
            reason=f"{rated.reason} (within chance of it this quarter, {allowance}, but "
            f"{process[1]})",
            settled=chance.half_width,
        )
    word = "trajectory" if rated.basis == "trajectory" else "target"
    lead = "the margin of error of" if chance.survey else "chance of"
    near = f"{_plain(distance)}{points} from it, inside the {allowance}"
    inside = f"{near} that chance alone allows; {chance.basis}"
    if side == "met" and not process[0]:
        # On the right side of the target: the target is met, and nothing says the
        # process lies on the other side. Closeness is said, never turned into "needs
        # attention" (a figure that meets an "at most 90" target is no concern).
        allows = "the survey's margin of error" if chance.survey else "chance alone allows"
        met = "on course" if rated.basis == "trajectory" else "met"
        return replace(
            rated, chance=chance.half_width, close=True,
            reason=f"{rated.reason}, though by less than {allows} ({near}; {chance.basis}): "
            f"{met}, but close",
        )  # fmt: skip
    if side == "met":
        # Met this period, but within chance of the target, and the process lies on the
        # wrong side of it: the pass may be chance, so it is not shown to be met.
        return replace(
            rated, rag="Amber", chance=chance.half_width, shortfall=None,
            reason=f"{word} rule: {rated.figure} meets the {word} of {rated.goal} this "
            f"period, but within {lead} it ({inside}), and {process[1]}: not shown to be "
            "met",
        )  # fmt: skip
    if chance.survey:
        # A survey's shortfall inside its margin of error: the true figure may meet the
        # target, so it is not called missed (Code of Practice, Quality Q3).
        reason = (
            f"{rated.reason.split(' by ', 1)[0]} by {distance:.1f} percentage points, within "
            f"the survey's margin of error (+/- {chance.half_width:.1f} points, 95%): within "
            "the margin of error of the target, not shown to be missed"
        )
        return replace(rated, rag="Amber", reason=reason, margin=chance.half_width,
                       shortfall=distance)  # fmt: skip
    return replace(
        rated, rag="Amber", chance=chance.half_width,
        reason=f"{word} rule: {rated.figure} is within {lead} the {word} of {rated.goal}, "
        f"neither shown to be met nor missed ({inside})",
    )  # fmt: skip


_MOVES = {"rose": "rise", "fell": "fall"}
"""A move's noun, for "a possible rise" / "a possible fall"."""


def _worse_way(good: str) -> str:
    """Which way a measure moves when it gets worse: "fell" where higher is good."""
    return "fell" if good == "higher" else "rose"


def _rate_without_target(
    variation: str | None,
    worsening: str,
    worsening_reason: str,
    evidence_known: bool,
    no_spc_reason: str,
    improvement_reason: str,
    good: str = "lower",
) -> Rating:
    """The rules for a measure with no target and no real deterioration: the evidence."""
    if worsening == "possible":
        # Worse is a fall where higher is good (review 10, R10-14: "a possible rise" had
        # been written beside a sentence saying "a possible fall").
        way = _worse_way(good)
        # The two latest quarters' test says how strong its own evidence is (changes).
        weak = "" if worsening_reason.startswith(f"{HALF_YEAR}:") else "; weak evidence"
        return Rating(
            "Amber", "evidence",
            reason=f"harm rule: a possible {_MOVES[way]} ({worsening_reason}{weak})",
            rule="harm_possible", comparison=_comparison_of(worsening_reason), change=way,
        )  # fmt: skip
    if variation in ("special_cause_improvement", "common_cause"):
        return Rating(
            "Green", "evidence",
            reason="no target: no deterioration beyond chance in the tests of change or SPC",
            rule="no_deterioration",
        )  # fmt: skip
    # No SPC verdict: a test that finds no deterioration says nothing of whether the
    # series is in control, so only a real improvement on a test of counts or proportions (exact,
    # quasi-Poisson, Laney or quasi-binomial: measures.EXACT_TESTS) rates Green.
    why = no_spc_reason or "too few points"
    if improvement_reason:
        return Rating(
            "Green", "evidence",
            reason=f"no SPC verdict: tests only, and no target; {improvement_reason} ({why})",
            rule="tests_improvement", comparison=improvement_reason.split(" improved ", 1)[0],
        )  # fmt: skip
    if evidence_known:
        return Rating(
            "Grey", "none",
            reason=f"no SPC verdict: tests only ({why}; no target, and the tests of change "
            "show no real improvement on a test of counts or proportions that the year "
            "ending bears out, which alone is not enough to rate)",
            rule="tests_only",
        )  # fmt: skip
    return Rating(
        "Grey", "none", reason=f"no SPC verdict and no target: not rated ({why})",
        rule="not_rated",
    )  # fmt: skip


def rate_measure(
    current: float | None,
    target: TargetForPeriod,
    good: str,
    variation: str | None,
    *,
    worsening: str = "none",
    worsening_reason: str = "",
    evidence_known: bool = False,
    unit: str = "",
    per: str = "",
    no_spc_reason: str = "",
    improvement_reason: str = "",
    margin: float | None = None,
    chance: TargetChance | None = None,
    process: tuple[str, str] = ("", ""),
    beyond_limits: bool = False,
    counted: bool = False,
    record: tuple[str, str] = ("", ""),
) -> Rating:
    """Rate a measure Green, Amber, Red or Grey, saying what the rating rests on and why.

    Parameters
    ----------
    current : float or None
        The figure judged against the target: the reporting period's (the year
        ending's when the target is ``on_year``); None when incomplete or empty.
    target : TargetForPeriod
        From :func:`compute_target_for_period`.
    good : {"higher", "lower", "neutral"}
        The measure's good direction.
    variation : str or None
        The SPC verdict over the reporting period (``special_cause_concern`` when any
        point of it signals concern); None when SPC could not judge.
    worsening : {"none", "possible", "real"}, default "none"
        What the tests of change say of a deterioration: ``real`` beyond chance and
        material, ``possible`` material with p below
        :data:`~pcplib.assessment.thresholds.WEAK_EVIDENCE`.
    worsening_reason : str, default ""
        The test and threshold behind ``worsening``, for the reason: the comparison,
        a colon, then the test (as
        :func:`~pcplib.assessment.changes.weigh_worsening` gives it).
    evidence_known : bool, default False
        Whether a test of change could be made (so an untargeted measure with no SPC
        can still be rated Green on the tests).
    unit : str, optional
        The measure's unit, so the reason prints figures in it ("52.4% misses the target
        of 55.0% by 2.6 percentage points"); plain figures when omitted.
    per : str, optional
        For a rate, what it is per (:func:`pcplib.labels.describe_rate_basis`).
    no_spc_reason : str, optional
        Why SPC gave no verdict (an unstable baseline, too few points, SPC not run);
        empty when it gave one. With no SPC verdict and no target, a measure is Green
        only when a test shows a real improvement (``improvement_reason``), never on
        "no deterioration" from the tests alone: Grey, "no SPC verdict: tests only".
    improvement_reason : str, optional
        The test that shows a change for the better beyond chance and material, if any
        ("<comparison> improved beyond chance (<test>)").
    margin : float, optional
        A survey estimate's 95% margin of error, in the unit of the figure (percentage
        points). A shortfall no larger than it is not shown to be a miss: Amber, "within
        the margin of error of the target", never Red nor "missed". Superseded by
        ``chance`` when that is given.
    chance : TargetChance, optional
        How far from the target the figure may lie by chance alone
        (:func:`~pcplib.assessment.chance.estimate_target_chance`; None for an
        administrative measure, met or missed exactly). A figure within it on the right
        side of the target is met but close (Green, ``close``); on the wrong side it is
        neither met nor missed: Amber, "within chance of the target" (for a survey short
        of it, "within the margin of error"); ``process`` can settle either.
    process : tuple of (str, str)
        Which side of the target the process lies on (``"met"``, ``"missed"`` or
        ``""``) by its SPC assurance or its record, and why
        (:func:`~pcplib.assessment.chance.judge_process_side`); when it is the side the
        figure lies on, the threshold rating stands with the reason.
    beyond_limits : bool, default False
        Whether the SPC concern includes a point beyond the process limits; a concern
        from runs alone that the tests of change do not confirm is Amber, a possible
        deterioration (``harm_spc_unconfirmed``).
    counted : bool, default False
        Whether the measure is counted in full (administrative,
        :func:`~pcplib.assessment.evidence.is_administrative`): a real deterioration in
        it is a material change with no test of chance, and its reason says so; a target
        it meets while ``record`` shows it missed is met, but not reliably (Amber,
        capped, cap ``record_missed``).
    record : tuple of (str, str)
        Which side of the target the record since the latest process change shows the
        process on by its sign test alone, and why
        (:func:`~pcplib.assessment.chance.judge_process_side` with no assurance); read
        only for a figure counted in full.

    Returns
    -------
    Rating
        See the module docstring for the rules; ``rule`` and the fields beside it give
        the basis apart from the words of ``reason`` (:data:`RATING_RULES`).
    """
    worse: Rating | None = None
    if worsening == "real" or variation == "special_cause_concern":
        rule, why_real = _describe_worse(good, worsening, worsening_reason, counted)
        worse = Rating(
            "Red", "evidence", reason=why_real, rule=rule,
            comparison=_comparison_of(worsening_reason) if rule == "harm_test" else "",
            change=_worse_way(good) if rule == "harm_test" else "",
        )  # fmt: skip
    if good == "neutral":
        return Rating("Grey", "none", reason="no good direction: reported as a trend", rule="trend")
    if current is None:
        if worse is not None:
            return replace(worse, reason=f"{worse.reason}; no figure for the period")
        return Rating("Grey", "none", reason="no figure for the period", rule="no_figure")
    if target.value is not None:
        if chance is None and margin is not None:
            chance = TargetChance(margin, "the survey's margin of error", survey=True)
        return _rate_against_target(
            current,
            target.value,
            target,
            good,
            worse,
            unit,
            per,
            chance,
            process,
            record if counted else ("", ""),
        )
    if worse is not None and worse.rule == "harm_spc" and evidence_known and not beyond_limits:
        # An SPC concern that rests on runs, trends or two of three near a limit, and that
        # the tests of change (the quarter on a year earlier, the 12 months on the 12
        # before and on the baseline year) do not confirm: such runs depend on a centre
        # line from a short, data-chosen reference period, itself uncertain, so the chart
        # alone makes a possible deterioration, not a real one (review 4, F11). A point
        # beyond the limits is still Red.
        weak = f"; the tests find a possible one ({worsening_reason})" if worsening_reason else ""
        return Rating(
            "Amber", "evidence", rule="harm_spc_unconfirmed",
            reason="harm rule: a possible deterioration: an SPC concern in the reporting "
            f"period that the tests of change do not confirm{weak}",
            comparison=_comparison_of(worsening_reason),
            change=_worse_way(good) if worsening_reason else "",
        )  # fmt: skip
    if worse is not None:
        return worse
    return _rate_without_target(
        variation, worsening, worsening_reason, evidence_known, no_spc_reason,
        improvement_reason, good,
    )  # fmt: skip
