"""The SPC verdict of a measure over its reporting period, on the limits of :mod:`limits`.

:func:`assess_spc` runs the XmR chart on the plan of
:func:`~pcplib.assessment.limits.plan_spc` (a stable baseline that ends before the
reporting period), and reads its verdict over **every** point of the period, not only
the latest (*Making Data Count*, NHS England, 2019: a signal anywhere in the period is
a signal). :mod:`~pcplib.assessment.spc_assurance` then settles the assurance by the
target's record (see ``docs/methodology.md``, "Targets and trajectories").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from pcplib.assessment.evidence import is_year_to_date, read_measure_kind
from pcplib.assessment.figures import Window
from pcplib.assessment.limits import SpcPlan, plan_spc, withhold_plan
from pcplib.assessment.spc_words import (
    SIGNAL_SHAPE_PHRASES,
    UNCONFIRMED_CONCERN,
    VARIATION_PHRASES,
)
from pcplib.assessment.thresholds import (
    FLAGGED_IN_LIMITS,
    IMPROVEMENT,
    MATERIAL_CHANGE_PCT,
    MATERIAL_CHANGE_PP,
)
from pcplib.labels import as_sentence, format_figure, is_missing, label_period_start
from pcplib.periods import month_number, month_of

if TYPE_CHECKING:
    from pcplib.spc import XmrResult

__all__ = [
    "SPC_STATUSES",
    "WITHHELD_STATUS",
    "ROLLING_REASON",
    "YEAR_TO_DATE_SPC_REASON",
    "SpcVerdict",
    "assess_spc",
    "describe_immaterial_signal",
    "describe_period_signal",
    "describe_recent_signal",
    "describe_signal_shape",
    "is_rolling",
    "restate_unconfirmed",
    "word_spc_caption",
]

SPC_STATUSES = (
    "assessed", "unstable baseline", "too few points", "rolling figure", "year-to-date figure",
    "not assessed",
)  # fmt: skip
"""What SPC could say of a measure (``spc_status``): a verdict, or why there is none."""

WITHHELD_STATUS = {
    "short": "too few points",
    "unstable": "unstable baseline",
    "rolling": "rolling figure",
    "year to date": "year-to-date figure",
}
"""The ``spc_status`` of each kind of withheld verdict
(:attr:`~pcplib.assessment.limits.SpcPlan.withheld_kind`): the one place they are mapped."""


@dataclass(frozen=True)
class SpcVerdict:
    """What SPC says of a measure over the reporting period.

    Attributes
    ----------
    status : str
        One of :data:`SPC_STATUSES`.
    variation : str or None
        The verdict over the reporting period: a concern when any point of the period
        signals concern, else an improvement when any does, else the latest point's type.
    latest : str or None
        The latest point's type (what the chart's last point shows).
    assurance : str or None
        The SPC assurance code.
    summary : str
        The sentence for the chart.
    plan : SpcPlan or None
        The plan (None without SPC).
    result : XmrResult or None
        The analysis.
    assurance_basis : {"limits", "record", "sign test"}
        What decided the assurance: where the target lies against the limits
        (*Making Data Count*), or a one-sided record
        (:func:`~pcplib.assessment.spc_assurance.settle_assurance`); "sign test" for
        limits that straddle the target beside a record whose sign test shows the side
        (:func:`~pcplib.assessment.spc_assurance.settle_assurance_words`: the code
        stays, the words change).
    recent : str
        With no signal in the period, the words on a signal in the 12 months before it
        (:func:`describe_recent_signal`), else empty.
    beyond_limits : bool
        Whether a point of the period lies beyond the process limits the way of the
        verdict (not only a run, a trend or two of three near a limit, which rest on
        where the centre line sits).
    signal : str
        What kind of signal the period shows the way of the verdict, in words
        (:func:`describe_signal_shape`: "a run of months above its chart's centre
        line"); empty with no signal.
    immaterial : str
        A signal in the period that is not called a change, its size being below the
        materiality, in the words every report gives it (:func:`describe_immaterial_signal`:
        the SPC summary's heading, the caption's and the alt text's lead); empty
        otherwise (review 9, R9-23; review 10, R10-9).
    assurance_reason : str
        Why the assurance is what it is when the record settled it
        (:func:`~pcplib.assessment.spc_assurance.settle_assurance`) or its sign test
        worded it (:func:`~pcplib.assessment.spc_assurance.settle_assurance_words`);
        empty when the limits decided.
    assurance_claim : str
        What the caption says of a target within the limits whose record's sign test
        shows the side (:data:`~pcplib.assessment.spc_words.AssurancePhrases`
        ``sign_caption``: "is met more often than chance would give ({why}), ..."), kept
        so every rewording of the caption says it; empty otherwise.
    limits_assurance : str or None
        The assurance the limits alone give (where the target lies against them), kept
        when a one-sided record settles ``assurance`` otherwise
        (:func:`~pcplib.assessment.spc_assurance.settle_assurance`): whether the limits
        straddle the target is a fact of the limits, not of the record
        (:func:`~pcplib.assessment.change_chance.is_within_usual_range`). None without
        limits.
    """

    status: str
    variation: str | None
    latest: str | None
    assurance: str | None
    summary: str
    plan: SpcPlan | None
    result: XmrResult | None
    assurance_basis: str = "limits"
    recent: str = ""
    beyond_limits: bool = False
    signal: str = ""
    immaterial: str = ""
    assurance_reason: str = ""
    assurance_claim: str = ""
    limits_assurance: str | None = None


def _chart(plan: SpcPlan, measure: Mapping[str, Any], **options: Any) -> XmrResult | None:
    """The XmR chart of the plan's series in the measure's good direction, its target drawn.

    The target is drawn on a run chart too: where the figures sit against it is what the
    reader asks first. A series SPC cannot analyse (e.g. no two adjacent points) gives
    None, reported as unjudged.
    """
    from pcplib.spc import xmr

    target = measure.get("target")
    try:
        return xmr(
            plan.series,
            improvement=IMPROVEMENT[str(measure["good_direction"])],
            target=None if is_missing(target) else float(cast(Any, target)),
            **options,
        )
    except ValueError:
        return None


def _run_spc(plan: SpcPlan | None, measure: Mapping[str, Any], rules: str) -> XmrResult | None:
    if plan is None or plan.withheld or plan.series.notna().sum() < 2:
        return None
    k = plan.baseline_points
    return _chart(
        plan,
        measure,
        rules=rules,
        baseline_points=k if k >= 12 and k < len(plan.series) else None,
        rebase_at=list(plan.rebase_at) or None,
    )


def _run_chart(plan: SpcPlan, measure: Mapping[str, Any]) -> XmrResult | None:
    """A run chart (no limits) of the plan's series, for a measure whose SPC is withheld."""
    points = int(plan.series.notna().sum())
    if points < 2:
        return None
    return _chart(plan, measure, rules="mdc", min_points=points + 1)


ROLLING_REASON = (
    "no SPC verdict: a rolling figure (each point the last 12 months, so it shares 11 of "
    "them with the point before): its points overlap and are not independent, so runs "
    "and limits from its moving ranges mean nothing"
)
YEAR_TO_DATE_SPC_REASON = (
    "no SPC verdict: a year-to-date figure (it builds up through the year and starts again "
    "each April): its points are not independent, so runs and limits from its moving "
    "ranges mean nothing"
)
_ROLLING = re.compile(r"\brolling\b", re.IGNORECASE)


def is_rolling(measure: Mapping[str, Any]) -> bool:
    """Whether a measure is a rolling figure: its catalogue says so, or its words do.

    The measure catalogue's optional ``rolling`` column (``yes``, ``no``, ``auto`` or
    empty) decides; with ``auto`` or empty (and in catalogues without the column), a
    measure whose name, definition or source says "rolling" is one.

    Each point of a rolling 12-month series shares 11 months with the one before, so
    neighbouring points are strongly correlated: runs of 6 on one side of the mean come
    without any change, and moving ranges understate the variation (Wheeler,
    *Understanding Variation*, on charting independent values only; ONS, on rolling
    survey estimates overlapping). No XmR verdict is given on it.
    """
    return read_measure_kind(
        measure, _ROLLING, ("measure_name", "definition", "source"), column="rolling"
    )


_FIGURES_WITHOUT_SPC = (
    (is_rolling, ROLLING_REASON, "rolling"),
    (is_year_to_date, YEAR_TO_DATE_SPC_REASON, "year to date"),
)
"""The kinds of figure whose points are not independent, so no XmR verdict is given on
them: how each is recognised, the reason given, and its ``withheld_kind``."""


def assess_spc(
    regular: pd.Series, measure: Mapping[str, Any], rules: str | None, window: Window
) -> SpcVerdict:
    """Run SPC on a stable baseline and read its verdict over the whole reporting period."""
    if rules is None:
        return SpcVerdict("not assessed", None, None, None, "SPC not assessed in this report.",
                          None, None)  # fmt: skip
    plan = plan_spc(regular, measure, month_of(window.first).start_time)
    for says_so, reason, kind in _FIGURES_WITHOUT_SPC:
        if plan is not None and says_so(measure):
            plan = withhold_plan(plan, reason, kind)
    if plan is not None and plan.withheld:
        # The figures are still charted, as a run chart with no limits, under the reason.
        status = WITHHELD_STATUS.get(plan.withheld_kind, "unstable baseline")
        return SpcVerdict(
            status, None, None, None, as_sentence(plan.withheld), plan,
            _run_chart(plan, measure),
        )  # fmt: skip
    result = _run_spc(plan, measure, rules)
    if result is None or not result.has_limits:
        summary = "Too few points for SPC limits yet." if result is None else result.describe()
        return SpcVerdict("too few points", None, None, None, summary, plan, result)
    ending, excused = _read_limits_flags(result, plan, str(measure.get("frequency")))
    if plan is not None and ending:
        # A run or trend that the chart flags inside the period that set its limits (one
        # that began there and ran on after it): that period was not in control either.
        plan = withhold_plan(plan, ending, "unstable")
        return SpcVerdict(
            WITHHELD_STATUS[plan.withheld_kind], None, None, None, as_sentence(ending), plan,
            _run_chart(plan, measure),
        )  # fmt: skip
    if plan is not None and excused:
        plan = replace(plan, note=f"{plan.note}; {excused}")
    variation = _period_variation(result, window, result.variation)
    below = describe_immaterial_signal(
        result, window, variation, str(measure.get("unit")), str(measure.get("frequency"))
    )
    if below:
        # A signal whose change is below materiality is not an improvement (or a
        # deterioration): the chart still shows its flags, the verdict says why not.
        variation = "common_cause"
    recent = ""
    if variation not in _PERIOD_WORDS and variation != "special_cause_concern":
        recent = describe_recent_signal(result, window, str(measure.get("frequency")))
    summary = word_spc_caption(
        result, window, variation, measure, plan, immaterial=below, notes=(recent,)
    )
    return SpcVerdict(
        "assessed", variation, result.variation, result.assurance, summary, plan, result,
        recent=recent, beyond_limits=_beyond_limits(result, window, variation),
        signal=describe_signal_shape(result, window, variation, str(measure.get("frequency"))),
        immaterial=below, limits_assurance=result.assurance,
    )  # fmt: skip


def _points_between(result: XmrResult, first: int, last: int) -> pd.DataFrame:
    """The chart's points from month ``first`` to ``last`` (month numbers), gaps left out."""
    points = result.points
    months = month_number(pd.DatetimeIndex(points.index))
    return points[(months >= first) & (months <= last) & ~points["gap"]]


def _beyond_limits(result: XmrResult, window: Window, variation: str | None) -> bool:
    """Whether a point of the period flagged ``variation`` lies beyond the process limits."""
    inside = _points_between(result, window.first, window.last)
    flagged = inside[inside["point_type"] == variation]["special_cause"].astype(str)
    return bool(flagged.str.contains("UCL|LCL").any())


_PERIOD_UNITS = {"monthly": "month", "quarterly": "quarter", "annual": "year"}


def _signal_kind(label: str) -> tuple[str, dict[str, str]]:
    """The kind of a special-cause label (:data:`SIGNAL_SHAPE_PHRASES`) and its side."""
    upper = "Above" in label or "Increasing" in label
    if "UCL" in label or "LCL" in label:
        return "beyond", {}
    if "Trend" in label:
        return "trend", {"way": "higher" if upper else "lower"}
    if label.startswith("2 in 3"):
        return "near", {"limit": "upper" if upper else "lower"}
    return "run", {"side": "above" if upper else "below"}


def describe_signal_shape(
    result: XmrResult, window: Window, variation: str | None, frequency: str
) -> str:
    """What kind of signal the reporting period shows, the way of its verdict, in words.

    Parameters
    ----------
    result : pcplib.spc.XmrResult
        The SPC result, with limits.
    window : Window
        The reporting period.
    variation : str or None
        The verdict over the period.
    frequency : str
        The measure's frequency (``monthly``: "a run of months").

    Returns
    -------
    str
        "a month outside its chart's limits", "a run of months above its chart's
        centre line", "two of three months close to its chart's upper limit" (each kind
        the period's flagged points show, joined by "and"); empty with no signal. A run,
        a trend or two of three near a limit has no point outside the limits, and is
        never worded as one (review 9, R9-17).
    """
    if variation not in _SEVERITY:
        return ""
    inside = _points_between(result, window.first, window.last)
    labels = inside.loc[inside["point_type"] == variation, "special_cause"].astype(str)
    unit = _PERIOD_UNITS.get(frequency, "period")
    said: list[str] = []
    for label in labels:
        kind, sides = _signal_kind(label)
        words = SIGNAL_SHAPE_PHRASES[kind].format(unit=unit, units=f"{unit}s", **sides)
        if words not in said:
            said.append(words)
    return " and ".join(said)


def word_spc_caption(
    result: XmrResult,
    window: Window,
    variation: str | None,
    measure: Mapping[str, Any],
    plan: SpcPlan | None,
    assurance_reason: str | None = None,
    lead: str | None = None,
    notes: tuple[str, ...] = (),
    immaterial: str = "",
    assurance_claim: str = "",
) -> str:
    """The chart's caption, with the notes every rewording of it keeps.

    The period's variation (``lead`` when given; else a signal too small to call a
    change, ``immaterial``, in its own words, never "no signal of real change"), the
    assurance (in ``assurance_claim``'s words when the record's sign test worded it),
    the limits' note, then ``notes`` (a recent signal), each a sentence. Every rewording
    of a verdict goes through here, so none drops a note.
    """
    # The caption is worded on the same basis as the rating: the whole reporting period,
    # not the latest point alone (a signal in July under a Red, with the latest point
    # within the limits, must not read "no signal of real change").
    target = None
    if result.target is not None:
        # "the target of 22" on a percentage read as a count: the unit, as every report has it.
        target = format_figure(result.target, str(measure.get("unit")))
    if lead is None and immaterial:
        lead = immaterial
    elif immaterial:
        notes = (immaterial, *notes)
    if lead is None:
        lead = describe_period_signal(result, window, variation, str(measure.get("frequency")))
    summary = result.describe(lead, assurance_reason, target, assurance_claim or None)
    note = as_sentence(plan.note) if plan is not None else ""
    said = [summary, note, *(as_sentence(n) for n in notes if n)]
    return " ".join(p for p in said if p)


def restate_unconfirmed(
    verdict: SpcVerdict, measure: Mapping[str, Any], window: Window
) -> SpcVerdict:
    """The caption of an SPC concern the tests of change do not confirm, in the rating's words.

    Rated ``harm_spc_unconfirmed`` (Amber), the concern comes from a run, a trend or two
    of three points near a limit, with no point beyond the limits; the chart's own
    words ("Special-cause concern: a real change in the wrong direction") would tell
    the Board what the SPC summary and the rating do not (review 9, R9-23). The caption
    leads with the summary's heading (:data:`~pcplib.assessment.spc_words.UNCONFIRMED_CONCERN`)
    and what the chart shows, then the assurance and the notes as before.

    Parameters
    ----------
    verdict : SpcVerdict
        The measure's verdict (after
        :func:`~pcplib.assessment.spc_assurance.settle_assurance`).
    measure : mapping
        The catalogue row (``unit``, ``frequency``).
    window : Window
        The reporting period.

    Returns
    -------
    SpcVerdict
        The verdict with its ``summary`` reworded; unchanged without a chart.
    """
    result = verdict.result
    if result is None or not result.has_limits:
        return verdict
    inside = _points_between(result, window.first, window.last)
    flagged = inside.index[inside["point_type"] == verdict.variation]
    when = ", ".join(label_period_start(i, str(measure.get("frequency"))) for i in flagged)
    shape = verdict.signal or "a run or trend"
    lead = f"{UNCONFIRMED_CONCERN}: {shape}" + (f" in {when}" if when else "")
    lead += " (no point outside the limits)"
    summary = word_spc_caption(
        result, window, verdict.variation, measure, verdict.plan,
        verdict.assurance_reason or None, lead=lead, immaterial=verdict.immaterial,
        notes=(verdict.recent,), assurance_claim=verdict.assurance_claim,
    )  # fmt: skip
    return replace(verdict, summary=summary)


_SEVERITY = (
    "special_cause_concern",
    "special_cause_improvement",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)


_PERIOD_WORDS = {c: p.period for c, p in VARIATION_PHRASES.items() if p.period}
_LATEST_WORDS = {c: p.latest for c, p in VARIATION_PHRASES.items()}


def describe_immaterial_signal(
    result: XmrResult,
    window: Window,
    variation: str | None,
    unit: str,
    frequency: str = "monthly",
) -> str:
    """Why a signal in the period is too small to call a change, or "".

    The reporting period's points (on the chart's scale) are averaged and set against
    the centre line of the limits that judged them; an average within
    :data:`~pcplib.assessment.thresholds.MATERIAL_CHANGE_PP` points (a percentage) or
    :data:`~pcplib.assessment.thresholds.MATERIAL_CHANGE_PCT` per cent (anything else)
    of it, the materiality the tests of change use, is no improvement or deterioration
    however many rules it trips: tight limits on a slowly moving stock, or a run that
    rests on a provisional month (review 4, F8 and F13; issue 26: no "improved" below a
    documented materiality). The period's level is what a rating reads, so its average
    decides, not its furthest point: one month at 380 on a centre line of 369 in a
    quarter averaging 373 leaves the quarter's level where it was. The words say the
    chart's signal first, then why it is not a change, naming the figure that decides
    as the period's average and, beside it, the flagged point's own distance from the
    centre line, so a reader never takes the average for the point (review 16, R16-1);
    no report calls a point beyond the limits "no signal" (review 10, R10-9). They are
    the SPC summary's heading, the caption's lead and the alt text's, worded here once.

    Parameters
    ----------
    result : pcplib.spc.XmrResult
        The SPC result, with limits.
    window : Window
        The reporting period.
    variation : str or None
        The verdict over the period.
    unit : str
        The measure's unit (a percentage moves in points).
    frequency : str, default "monthly"
        The measure's frequency, for naming the flagged periods.

    Returns
    -------
    str
        "Signal (August 2026 above the upper limit), but too small to matter (the
        quarter averages +1.0% on the centre line, below 2%; August 2026 itself +2.9%),
        so not called a change"; with one point in the period, "(+1.0% on the centre
        line, below 2%)"; or "".
    """
    if variation not in _SEVERITY:
        # A measure with no good direction is held to the same materiality: its signal
        # is told as a real rise or fall, so a tiny one is no more a change than an
        # improvement is (review 17, R17-1).
        return ""
    inside = _points_between(result, window.first, window.last)
    inside = inside[inside["value"].notna() & inside["mean"].notna()]
    if inside.empty:
        return ""
    now, centre = float(inside["value"].mean()), float(inside["mean"].mean())
    if unit == "percent":
        size, floor = now - centre, MATERIAL_CHANGE_PP
        rule = f"{MATERIAL_CHANGE_PP:g} point"
    elif centre:
        size, floor = 100 * (now - centre) / abs(centre), MATERIAL_CHANGE_PCT
        rule = f"{MATERIAL_CHANGE_PCT:g}%"
    else:
        return ""
    if abs(size) >= floor:
        return ""
    # Every point the chart flags in the period, as its caption lists them.
    flagged = inside[inside["point_type"] != "common_cause"]
    shown = f"{_say_distance(size, unit)} on the centre line, below {rule}"
    if len(inside) > 1:
        # The average decides; the flagged point is said beside it unless it reads the same.
        shown = f"the {_name_reporting_period(window)} averages {shown}"
        furthest = _say_furthest(flagged, unit, frequency, _say_distance(size, unit))
        shown = f"{shown}; {furthest}" if furthest else shown
    return (
        f"Signal ({_name_flagged(flagged, frequency)}), but too small to matter ({shown}), "
        "so not called a change"
    )


def _say_distance(size: float, unit: str) -> str:
    """A distance from the centre line as the materiality reads it: "+2.9%", "+1.0 points"."""
    return f"{size:+.1f} points" if unit == "percent" else f"{size:+.1f}%"


def _name_reporting_period(window: Window) -> str:
    """The reporting period in a word: a quarter (or the quarter to date), or a year."""
    months = window.last - window.first + 1
    if months >= 12:
        return "year"
    return "quarter" if months == 3 else "quarter to date"


def _say_furthest(flagged: pd.DataFrame, unit: str, frequency: str, average: str) -> str:
    """The flagged point furthest from its centre line, and how far: "August 2026 itself +2.9%".

    Each point is set against its own centre line (a seasonal chart's, or limits
    recalculated within the period), on the scale the materiality reads; "the furthest,
    August 2026, +1.0 points" when several are flagged. Empty with none, or when the
    point reads as the period's ``average`` does (three months at 8.6%), which says it.
    """
    if flagged.empty:
        return ""
    gap = flagged["value"].astype(float) - flagged["mean"].astype(float)
    if unit != "percent":
        gap = 100 * gap / flagged["mean"].astype(float).abs()
    when = gap.abs().idxmax()
    distance = _say_distance(float(gap.loc[when]), unit)
    if distance == average:
        return ""
    period = label_period_start(pd.Timestamp(cast(Any, when)), frequency)
    if len(flagged) == 1:
        return f"{period} itself {distance}"
    return f"the furthest, {period}, {distance}"


_BEYOND_WORDS = {"Above UCL": "above the upper limit", "Below LCL": "below the lower limit"}


def _name_flagged(flagged: pd.DataFrame, frequency: str) -> str:
    """The flagged points of a period, by rule: "August 2026 above the upper limit".

    A point beyond a limit is named with its side; a run, a trend or two of three near a
    limit by its shape (:data:`~pcplib.assessment.spc_words.SIGNAL_SHAPE_PHRASES`) and
    the periods it flags, so a run is never told as a point outside the limits.
    """
    unit = _PERIOD_UNITS.get(frequency, "period")
    named: list[str] = []
    shapes: dict[str, list[str]] = {}
    for when, label in flagged["special_cause"].astype(str).items():
        period = label_period_start(pd.Timestamp(cast(Any, when)), frequency)
        if label in _BEYOND_WORDS:
            named.append(f"{period} {_BEYOND_WORDS[label]}")
            continue
        kind, sides = _signal_kind(label)
        shape = SIGNAL_SHAPE_PHRASES[kind].format(unit=unit, units=f"{unit}s", **sides)
        shapes.setdefault(shape, []).append(period)
    named += [f"{shape} in {', '.join(periods)}" for shape, periods in shapes.items()]
    return "; ".join(named) or "a flagged point"


def _stands_after(result: XmrResult, section: pd.DataFrame, inside: pd.DataFrame) -> bool:
    """Whether the points after the limits period signal on their own, without its points.

    The flagged points that follow the period in one unbroken stretch make a full run (or
    trend) of the rule set's length, or one of them lies beyond the process limits.
    """
    after = section.iloc[len(section.loc[: inside.index[-1]]) :]
    after = after[~after["gap"]]
    flagged = (after["point_type"] != "common_cause").to_numpy()
    leading = len(flagged) if flagged.all() else int(flagged.argmin())
    values = after["value"].astype(float)
    beyond = bool(((values > after["upl"]) | (values < after["lpl"])).iloc[:leading].any())
    return leading >= result.run_length or beyond


def _read_limits_flags(result: XmrResult, plan: SpcPlan | None, frequency: str) -> tuple[str, str]:
    """The chart's flags inside the latest limits period: why they withhold, or why not.

    The baseline's stability is checked on its own points (:func:`~pcplib.assessment.
    limits.check_baseline_stability`); a run or trend that begins in its last points and
    runs on after it is flagged by the chart inside the limits period all the same. That
    period then ended in a change already under way, so limits from it are no stable
    reference: no SPC verdict, with the reason (review: "a limits period is stable only
    if none of the rule set's own rules fires inside it"). One or two such points leave
    the verdict standing when the points after the period make the signal on their own
    (:data:`~pcplib.assessment.thresholds.FLAGGED_IN_LIMITS`), and the chart's note says
    why, so a reader who sees flagged points inside the reference period of a chart that
    still gives a verdict knows (review 5, N4).

    Returns the reason they withhold a verdict and the clause saying why they leave it
    standing, at most one of them not empty: the one decision, made once a chart.
    """
    if plan is None:
        return "", ""
    points = result.points
    section = points[points["section"] == points["section"].max()]
    first = section.index[0] if plan.rebase_at else plan.limits_from
    inside = (
        section.iloc[: plan.baseline_points]
        if plan.rebase_at
        else section[(section.index >= first) & (section.index <= plan.limits_to)]
    )
    flagged = inside[(inside["point_type"] != "common_cause") & ~inside["gap"]]
    if flagged.empty:
        # Nothing flagged inside: a step just after the limits period stays a signal.
        return "", ""
    when = ", ".join(label_period_start(pd.Timestamp(i), frequency) for i in flagged.index)
    if len(flagged) < FLAGGED_IN_LIMITS and _stands_after(result, section, inside):
        # One or two last points that happen to lie on the side a later step went (odds
        # of 1 in 2 and 1 in 4) do not withhold a signal that the points after the limits
        # period make on their own: a full run, or a point beyond the limits.
        return "", (
            f"the chart flags {when}, inside the period that set its limits, only as the "
            "start of a run that the points after that period make on their own, so the "
            f"verdict stands (fewer than {FLAGGED_IN_LIMITS} such points are taken as chance)"
        )
    return (
        "no SPC verdict: the chart's own rules flag points inside the period that set its "
        f"limits ({when}), a run or trend that began there and ran on after it, so that "
        "period was not itself in control"
    ), ""


# Told in this order: a signal of concern before one of improvement.
_RECENT_WORDS = {c: VARIATION_PHRASES[c].recent for c in _SEVERITY}


def describe_recent_signal(result: XmrResult, window: Window, frequency: str) -> str:
    """Words on the signals in the 12 months before the reporting period, or "".

    A run of six below the mean that ends the month before the quarter leaves the quarter
    itself "no signal"; the Board still needs to hear of it (review: "no signal" above a
    list of flagged points). Every kind flagged in those 12 months is named with its
    latest point, concern first, so a signal of improvement after one of concern is never
    hidden behind "no point flagged since" (review 16, R16-5: opening hours flagged above
    the upper limit in May 2026 after a concern in October 2025). "With no point flagged
    since" is said only when no point after the latest one named is flagged, the
    reporting period's own included (its signal, too small to matter, is told first).

    Parameters
    ----------
    result : pcplib.spc.XmrResult
        The SPC result, with limits.
    window : Window
        The reporting period.
    frequency : str
        The measure's frequency, for naming the latest flagged periods.

    Returns
    -------
    str
        "a signal of concern in the 12 months before the reporting period (latest June
        2026), with no point flagged since"; "a signal of concern (latest October 2025)
        and a signal of improvement (latest May 2026) in the 12 months before the
        reporting period, with no point flagged since"; or "". The words say no more than
        the flags do: a run that stopped being flagged has not shown the process back at
        its old level, and a target's record may still count from the shift it signalled
        (:func:`~pcplib.assessment.spc_assurance.date_process_change`; review 14, R14-7:
        "which has since ended" sat beside "met in 4 of 20 months since the shift").
    """
    before = _points_between(result, window.first - 12, window.first - 1)
    named = []
    for kind, words in _RECENT_WORDS.items():
        flagged = before.index[before["point_type"] == kind]
        if len(flagged):
            named.append((words, label_period_start(pd.Timestamp(flagged[-1]), frequency)))
    if not named:
        return ""
    if len(named) == 1:
        (words, latest), *_ = named
        text = f"{words} in the 12 months before the reporting period (latest {latest})"
    else:
        kinds = " and ".join(f"{words} (latest {latest})" for words, latest in named)
        text = f"{kinds} in the 12 months before the reporting period"
    inside = _points_between(result, window.first, window.last)
    if (inside["point_type"] != "common_cause").any():
        # The period's own flags (a signal too small to matter) are told before this.
        return text
    return f"{text}, with no point flagged since"


def describe_period_signal(
    result: XmrResult, window: Window, variation: str | None, frequency: str
) -> str | None:
    """Words on a period's SPC signal that the latest point does not show, or None.

    Parameters
    ----------
    result : pcplib.spc.XmrResult
        The SPC result, with limits.
    window : Window
        The reporting period.
    variation : str or None
        The verdict over the period (:func:`_period_variation`).
    frequency : str
        The measure's frequency, for naming the flagged periods.

    Returns
    -------
    str or None
        "Special-cause concern in the reporting period: a signal in July 2026; the
        latest point is within the limits", or None when the latest point's verdict is
        the period's (its own words then serve).
    """
    if variation == result.variation or variation not in _PERIOD_WORDS:
        return None
    inside = _points_between(result, window.first, window.last)
    flagged = inside.index[inside["point_type"] == variation]
    when = ", ".join(label_period_start(i, frequency) for i in flagged)
    latest = _LATEST_WORDS.get(str(result.variation), "the latest point differs")
    return f"{_PERIOD_WORDS[variation]}: a signal in {when}; {latest}"


def _period_variation(result: XmrResult, window: Window, latest: str | None) -> str | None:
    """The SPC verdict over the reporting period: any concern in it, else any improvement."""
    inside = _points_between(result, window.first, window.last)
    types = set(inside["point_type"])
    for kind in _SEVERITY:
        if kind in types:
            return kind
    return latest
