"""SPC on a stated baseline: which periods set a measure's limits, and seasonal adjustment.

NHS England's *Making Data Count* asks for process limits calculated from a stated
baseline period, carried forward unchanged, and recalculated only at a known change to
the process ("Making Data Count: Strengthening your decisions", 2019, pp. 30-33). Here:

- **The baseline period** is stated in ``framework/measures.csv``
  (``spc_baseline_from`` and ``spc_baseline_to``, months ``YYYY-MM``); by default it is
  the measure's baseline year and, where that gives fewer than
  :data:`BASELINE_MIN_POINTS` points (a monthly year has 12), the periods just before
  it, as Making Data Count recommends at least 20 points for limits.
- **The limits are carried forward unchanged** from the baseline, so the signals
  answer "has anything really changed since the plan began?".
- **Recalculation only at a documented change** (``spc_recalculate_from``): a change
  inside the baseline period starts the baseline afresh at the change; a later one
  starts a new section, limits from its own first points, once it has
  :data:`~pcplib.data.RECALCULATION_MIN_POINTS`.
- **Seasonal series compare like seasons.** A monthly or quarterly series whose
  seasonal pattern is clear in the data up to the end of the baseline (a one-way
  analysis of variance of the seasonal-irregular ratios across months or quarters,
  p < :data:`SEASONAL_P_VALUE`; or ``seasonal = yes`` in the catalogue) is charted
  seasonally adjusted: each figure divided by its season's index, the mean
  ratio to a centred moving average (classical multiplicative decomposition, the
  ratio-to-moving-average method: Hyndman and Athanasopoulos, *Forecasting: Principles
  and Practice*, 3rd ed., section 3.4). A summer peak is then not a signal, while a
  real change still is. ``seasonal = no`` switches it off.
- **The period judged never sets its own limits.** Whatever the catalogue states or the
  defaults add, the baseline ends before the reporting period (``plan_spc``'s
  ``judged_from``); with fewer than :data:`~pcplib.data.RECALCULATION_MIN_POINTS`
  points before it, no limits are set and the verdict is withheld.
- **Limits only from a stable baseline.** A baseline that is itself out of control (a
  special cause inside it judged against its own limits by the charts' own rules: a
  run or a trend of 6 points, a point beyond the limits, two of three near a limit;
  or a straight-line trend with p below
  :data:`~pcplib.assessment.thresholds.BASELINE_TREND_P`) is not used as it stands:
  the latest stable period of at least
  :data:`~pcplib.assessment.thresholds.STABLE_MIN_POINTS` points ending with it sets
  the limits instead, and when there is none the SPC verdict is withheld with the
  reason (``SpcPlan.withheld``), so that a "signal" always means a change against a
  period that was itself in control (Wheeler, *Understanding Variation*; NHS England,
  *Making Data Count*, on recalculating limits only from a stable period).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from pcplib.assessment.thresholds import (
    BASELINE_MIN_POINTS,
    BASELINE_TREND_P,
    SEASONAL_P_VALUE,
    SEASONAL_TARGET_SPREAD,
    STABLE_MIN_POINTS,
)
from pcplib.data import RECALCULATION_MIN_POINTS, parse_recalculation_dates
from pcplib.labels import is_missing, label_period_start, list_words, month_span
from pcplib.memo import Memo, key_series
from pcplib.periods import FREQUENCY_MONTHS, month_number, month_of, parse_optional_month
from pcplib.stats import format_p_value

SEASONAL_CHOICES = ("auto", "yes", "no")

__all__ = [
    "BASELINE_MIN_POINTS",
    "SEASONAL_CHOICES",
    "SEASONAL_P_VALUE",
    "SpcPlan",
    "check_baseline_stability",
    "describe_span",
    "estimate_seasonal_indices",
    "find_stable_start",
    "judge_target_on_year",
    "measure_seasonality",
    "plan_spc",
]


@dataclass(frozen=True)
class SpcPlan:
    """How a measure's SPC chart is built: the series charted, its limits' period.

    Attributes
    ----------
    series : pandas.Series
        The values charted (seasonally adjusted when ``seasonal``), indexed by period
        start, from the first baseline period to the reporting period.
    limits_from, limits_to : pandas.Timestamp
        The first and last periods (their starts) whose figures set the limits.
    baseline_points : int
        Positions of the chart that set each section's limits.
    rebase_at : tuple of pandas.Timestamp
        Where later sections (documented changes to the process) start.
    seasonal : bool
        Whether the chart is seasonally adjusted.
    indices : dict of int to float
        The seasonal index of each month of the year (1 to 12) when seasonal.
    note : str
        A sentence for the chart's caption and alt text: which period set the limits,
        any recalculation and any seasonal adjustment.
    flag : str
        A short data note for the measures table (empty when there is nothing to say).
    withheld : str
        Why no SPC verdict is given (a baseline with no stable period, or too few points
        before the reporting period), else empty.
    withheld_kind : {"", "unstable", "short", "rolling", "year to date"}
        What withheld it: the first two are set here, the last two by
        :func:`~pcplib.assessment.spc_verdict.assess_spc` for a rolling or year-to-date
        figure (each kind's ``spc_status`` is
        :data:`~pcplib.assessment.spc_verdict.WITHHELD_STATUS`).
    """

    series: pd.Series
    limits_from: pd.Timestamp
    limits_to: pd.Timestamp
    baseline_points: int
    rebase_at: tuple[pd.Timestamp, ...] = ()
    seasonal: bool = False
    indices: dict[int, float] = field(default_factory=dict)
    note: str = ""
    flag: str = ""
    withheld: str = ""
    withheld_kind: str = ""


def _season_of(index: pd.DatetimeIndex, frequency: str) -> np.ndarray:
    """The season of each period: its month (1-12); a quarter is known by its first month."""
    return np.asarray(index.month)


def estimate_seasonal_indices(
    values: pd.Series, frequency: str
) -> tuple[dict[int, float], float] | None:
    """Estimate multiplicative seasonal indices by the ratio-to-moving-average method.

    Parameters
    ----------
    values : pandas.Series
        A regular monthly or quarterly series indexed by period start (gaps as NaN),
        ending where the estimate should stop (the end of the baseline period).
    frequency : {"monthly", "quarterly"}
        The series' frequency.

    Returns
    -------
    tuple of (dict, float) or None
        The index of each season (the month of the period's start, 1-12), averaging 1,
        and the p-value of a one-way analysis of variance of the seasonal-irregular
        ratios across seasons; None when the series is too short (fewer than two
        ratios for every season) or not positive.
    """
    key = key_series(values)
    if key is None:
        return _estimate_seasonal_indices(values, frequency)
    # A report asks this of the same baseline three times (its verdict, the last
    # meeting's and its data-quality notes): worked out once per series (issue #25).
    estimate = _SEASONAL.recall(
        (*key, frequency), lambda: _estimate_seasonal_indices(values, frequency)
    )
    return None if estimate is None else (dict(estimate[0]), estimate[1])


_SEASONAL: Memo = Memo()
""":func:`estimate_seasonal_indices` by its series' bytes and frequency."""


def _estimate_seasonal_indices(
    values: pd.Series, frequency: str
) -> tuple[dict[int, float], float] | None:
    from scipy import stats

    per_year = 12 // FREQUENCY_MONTHS[frequency]
    x = values.astype(float)
    if len(x) < 3 * per_year or (x.dropna() <= 0).any():
        return None
    # A 2 x m centred moving average: half weights on the ends so the window is centred.
    weights = np.r_[0.5, np.ones(per_year - 1), 0.5] / per_year
    trend = x.rolling(per_year + 1, center=True, min_periods=per_year + 1).apply(
        lambda w: float(np.dot(w, weights)), raw=True
    )
    ratios = (x / trend).dropna()
    seasons = _season_of(pd.DatetimeIndex(ratios.index), frequency)
    groups = [ratios.to_numpy()[seasons == s] for s in np.unique(seasons)]
    if len(groups) < per_year or min(len(g) for g in groups) < 2:
        return None
    raw = {int(s): float(g.mean()) for s, g in zip(np.unique(seasons), groups, strict=True)}
    scale = float(np.mean(list(raw.values())))
    indices = {s: v / scale for s, v in raw.items()}
    spread = np.concatenate([g - g.mean() for g in groups])
    if not np.any(spread):
        # Ratios identical within every season: a perfectly regular pattern.
        return indices, 0.0
    p_value = float(stats.f_oneway(*groups).pvalue)
    return indices, p_value


def _baseline_span(
    regular: pd.Series, measure: Mapping[str, Any]
) -> tuple[pd.Timestamp, pd.Timestamp, bool]:
    """The baseline's first and last period starts, and whether the catalogue stated them."""
    index = pd.DatetimeIndex(regular.index)
    stated_from = parse_optional_month(measure.get("spc_baseline_from"))
    stated_to = parse_optional_month(measure.get("spc_baseline_to"))
    if stated_from is not None and stated_to is not None:
        return stated_from.start_time, stated_to.start_time, True
    year = measure.get("baseline_year")
    if is_missing(year) or not str(year).strip():
        first = index[0]
        last = index[min(len(index), BASELINE_MIN_POINTS) - 1]
        return first, last, False
    from pcplib import periods

    start, stop = periods.parse_financial_year(str(year).strip())
    in_year = index[(index >= start) & (index <= stop)]
    if in_year.empty:
        return start, stop, False
    last = in_year[-1]
    present = regular[(index <= last)].dropna()
    before_year = present[present.index < start]
    first = in_year[0]
    need = BASELINE_MIN_POINTS - int(regular[(index >= first) & (index <= last)].notna().sum())
    if need > 0 and not before_year.empty:
        first = before_year.index[max(0, len(before_year) - need)]
    return first, last, False


def describe_span(first: pd.Timestamp, last: pd.Timestamp, frequency: str) -> str:
    """The periods from ``first`` to ``last`` (their starts) in words.

    "April 2024 to March 2025" for months, "2024/25 Q1 to 2024/25 Q4" for quarters.
    """
    if frequency == "monthly":
        return month_span(first.to_period("M"), last.to_period("M"))
    return f"{label_period_start(first, frequency)} to {label_period_start(last, frequency)}"


def measure_seasonality(regular: pd.Series, measure: Mapping[str, Any]) -> dict[int, float]:
    """A measure's seasonal indices when its pattern is clear, by the rule SPC uses.

    The pattern is estimated from the data up to the end of the baseline (see the module
    docstring); ``seasonal = yes`` or ``no`` in the catalogue decides outright. Empty
    when the measure is not seasonal.
    """
    frequency = str(measure["frequency"])
    choice = str(measure.get("seasonal") or "auto").strip().lower() or "auto"
    if frequency not in ("monthly", "quarterly") or choice == "no" or regular.notna().sum() < 2:
        return {}
    _, last, _ = _baseline_span(regular, measure)
    index = pd.DatetimeIndex(regular.index)
    history = regular[index <= max(last, index[min(len(index), BASELINE_MIN_POINTS) - 1])]
    estimate = estimate_seasonal_indices(history, frequency)
    if estimate is None:
        return {}
    return estimate[0] if choice == "yes" or estimate[1] < SEASONAL_P_VALUE else {}


def judge_target_on_year(indices: Mapping[int, float]) -> bool:
    """Whether a flat target should be judged on the year ending, not one season.

    True for a seasonal swing (largest index less smallest) above
    :data:`~pcplib.assessment.thresholds.SEASONAL_TARGET_SPREAD`, so one season alone
    could meet or miss it.
    """
    if not indices:
        return False
    return max(indices.values()) - min(indices.values()) > SEASONAL_TARGET_SPREAD


def _trend_p_value(x: np.ndarray, y: np.ndarray) -> float:
    """The two-sided p-value of a least-squares straight line's slope (1 when flat).

    The usual t-test of the slope on n - 2 degrees of freedom, as
    ``scipy.stats.linregress`` gives it, computed directly: it runs for every candidate
    baseline of every measure.
    """
    from scipy import special

    n = x.size
    if n < 3 or np.ptp(y) == 0:
        return 1.0
    xc, yc = x - x.mean(), y - y.mean()
    sxx = float(xc @ xc)
    slope = float(xc @ yc) / sxx
    residual = yc - slope * xc
    dof = n - 2
    variance = float(residual @ residual) / dof
    if variance == 0:
        return 0.0
    t = slope / np.sqrt(variance / sxx)
    return float(2 * special.stdtr(dof, -abs(t)))


def check_baseline_stability(values: pd.Series, improvement: str = "neutral") -> str:
    """Say why a baseline is not stable, or return an empty string when it is.

    Parameters
    ----------
    values : pandas.Series
        The baseline's figures, in order (gaps NaN).
    improvement : str, default "neutral"
        Unused by the rules' verdict (any special cause counts), kept for the chart's
        labels.

    Returns
    -------
    str
        ``""`` for a stable baseline; otherwise the reason: the special causes found
        inside it against its own limits, or a straight-line trend with its p-value.
    """
    key = key_series(values, with_index=False)
    if key is None:
        return _check_stability(values, improvement)
    # The same windows are judged for the report's verdict, the last meeting's and the
    # data-quality notes, and by each later start find_stable_start tries: the reason
    # depends on the values in order alone, so each is worked out once (issue #25).
    return _STABILITY.recall((*key, improvement), lambda: _check_stability(values, improvement))


_STABILITY: Memo = Memo()
""":func:`check_baseline_stability` by its values' bytes and ``improvement``."""


def _check_stability(values: pd.Series, improvement: str) -> str:
    from pcplib.spc import xmr

    present = values.dropna()
    if len(present) < 3:
        return ""
    try:
        # The charts' own rules (Making Data Count's runs and trends of 6): a period is
        # stable only if nothing the chart would flag happens inside it.
        own = xmr(values.reset_index(drop=True), improvement=improvement, rules="mdc", min_points=2)
    except ValueError:
        return ""
    flagged = own.points[own.points["point_type"] != "common_cause"]
    reasons = []
    if not flagged.empty:
        kinds = sorted({str(k).split(" (")[0] for k in flagged["special_cause"]})
        verb = "is a special cause" if len(flagged) == 1 else "are special causes"
        reasons.append(
            f"{len(flagged)} of its {len(present)} points {verb} against its own "
            f"limits ({', '.join(kinds)})"
        )
    x = np.arange(len(values), dtype=float)[values.notna().to_numpy()]
    y = present.to_numpy(dtype=float)
    p_value = _trend_p_value(x, y)
    if p_value < BASELINE_TREND_P:
        # Enough digits to show its side of the threshold: never "p = 0.050, below 0.05".
        shown = format_p_value(p_value)
        reasons.append(f"a straight-line trend ({shown}, below {BASELINE_TREND_P:g})")
    return "; ".join(reasons)


def find_stable_start(
    chart: pd.Series, first: pd.Timestamp, last: pd.Timestamp
) -> pd.Timestamp | None:
    """The earliest start from which the baseline up to ``last`` is stable, or None.

    Tries the baseline as stated, then later starts, keeping at least
    :data:`~pcplib.assessment.thresholds.STABLE_MIN_POINTS` points.
    """
    index = pd.DatetimeIndex(chart.index)
    starts = index[(index >= first) & (index <= last)]
    for start in starts:
        window = chart[(index >= start) & (index <= last)]
        if window.notna().sum() < STABLE_MIN_POINTS:
            return None
        if not check_baseline_stability(window):
            return start
    return None


def _cap(
    stamp: pd.Timestamp, index: pd.DatetimeIndex, judged_from: pd.Timestamp | None
) -> pd.Timestamp:
    """``stamp``, or the last period before the reporting period when it reaches into it."""
    if judged_from is None or stamp < judged_from:
        return stamp
    before = index[index < judged_from]
    return before[-1] if len(before) else index[0] - pd.Timedelta(days=1)


@dataclass
class _Draft:
    """The baseline as :func:`plan_spc` works it out, one step after another.

    ``first`` and ``last`` are the baseline's first and last period starts, ``chart``
    the series charted (from ``first`` on), ``positions`` the periods in the baseline,
    and ``notes`` and ``flags`` what the plan will say of each step taken.
    """

    frequency: str
    first: pd.Timestamp
    last: pd.Timestamp
    chart: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    positions: int = 0
    notes: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    def count_positions(self) -> int:
        """Periods of ``chart`` from ``first`` to ``last``."""
        return int(((self.chart.index >= self.first) & (self.chart.index <= self.last)).sum())


def plan_spc(
    regular: pd.Series, measure: Mapping[str, Any], judged_from: pd.Timestamp | None = None
) -> SpcPlan | None:
    """Decide which periods set a measure's SPC limits, and whether to adjust for season.

    The steps, in order: the stated or default baseline, stopped before the reporting
    period (:func:`_start_baseline`); restarted at a process change inside it
    (:func:`_restart_at_change`); widened to the minimum of points
    (:func:`_widen_short_baseline`), or withheld when too few come before the period;
    the later recalculations (:func:`_plan_recalculations`); seasonal adjustment
    (:func:`_adjust_for_season`); the baseline's stability
    (:func:`_check_stable_baseline`) and the latest recalculated section's
    (:func:`_finish_recalculations`).

    Parameters
    ----------
    regular : pandas.Series
        The measure's current-definition values on a regular calendar (index: period
        starts; gaps NaN), up to the reporting period.
    measure : mapping
        The measure's catalogue row: ``frequency``, ``baseline_year`` and optionally
        ``spc_baseline_from``, ``spc_baseline_to``, ``spc_recalculate_from``,
        ``spc_recalculate_note`` and ``seasonal``.
    judged_from : pandas.Timestamp, optional
        The start of the reporting period's first period. No period from it on sets a
        limit: the baseline (stated, default, widened or recalculated) ends before it,
        so the period is judged against limits it had no part in. With fewer than
        :data:`~pcplib.data.RECALCULATION_MIN_POINTS` points before it, no limits are
        set and the verdict is withheld (``withheld_kind`` ``"short"``).

    Returns
    -------
    SpcPlan or None
        None when the series has fewer than two figures.
    """
    key = key_series(regular)
    if key is None:
        return _plan_spc(regular, measure, judged_from)
    # The data-quality notes plan the same chart as the report's verdict did (issue #25):
    # kept by everything the plan reads, the series' names and frequency included, as
    # its charted series carries them.
    fields = tuple((type(v).__name__, repr(v)) for v in (measure.get(f) for f in PLAN_FIELDS))
    index = regular.index
    stamp = (judged_from, getattr(judged_from, "unit", ""))
    names = (repr(regular.name), repr(index.name), index.freqstr)
    return _PLANS.recall(
        (*key, names, fields, stamp), lambda: _plan_spc(regular, measure, judged_from)
    )


PLAN_FIELDS = (
    "frequency",
    "baseline_year",
    "spc_baseline_from",
    "spc_baseline_to",
    "spc_recalculate_from",
    "spc_recalculate_note",
    "seasonal",
)
"""The catalogue fields :func:`plan_spc` reads (a test holds the list to what it reads)."""

_PLANS: Memo = Memo(limit=1024)
""":func:`plan_spc` by its series, the measure's :data:`PLAN_FIELDS` and ``judged_from``."""


def _plan_spc(
    regular: pd.Series, measure: Mapping[str, Any], judged_from: pd.Timestamp | None
) -> SpcPlan | None:
    if regular.notna().sum() < 2:
        return None
    index = pd.DatetimeIndex(regular.index)
    draft, stated = _start_baseline(regular, measure, index, judged_from)
    changes, because = _read_recalculations(measure, index)
    _restart_at_change(draft, changes, because, index, judged_from)
    draft.chart = regular[index >= draft.first]
    draft.positions = draft.count_positions()
    _widen_short_baseline(draft, index, judged_from)
    chart = draft.chart
    before_period = int(
        chart[(chart.index >= draft.first) & (chart.index <= draft.last)].notna().sum()
    )
    if judged_from is not None and (
        draft.last < draft.first or before_period < RECALCULATION_MIN_POINTS
    ):
        return _withhold_short(draft, before_period)
    rebase = _plan_recalculations(draft, changes, because, index, judged_from)
    seasonal, indices = _adjust_for_season(draft, regular, measure, index)
    withheld, withheld_kind = _check_stable_baseline(draft)
    if rebase:
        withheld, withheld_kind = _finish_recalculations(
            draft, rebase, index, judged_from, (withheld, withheld_kind)
        )
    span = describe_span(draft.first, draft.last, draft.frequency)
    lead = f"limits set from {span}{' (as stated in the catalogue)' if stated else ''}"
    plan = SpcPlan(
        series=draft.chart,
        limits_from=draft.first,
        limits_to=draft.last,
        baseline_points=draft.positions,
        rebase_at=tuple(rebase),
        seasonal=seasonal,
        indices=indices,
        note="; ".join([lead, *draft.notes]),
        flag=", ".join(draft.flags),
    )
    return withhold_plan(plan, withheld, withheld_kind) if withheld else plan


def withhold_plan(plan: SpcPlan, reason: str, kind: str) -> SpcPlan:
    """The plan with its verdict withheld (why, and its ``withheld_kind``).

    A chart with no verdict has no limits, so its data note never says "shorter stable
    baseline" beside "No SPC verdict", as the longer view had (review 17, R17-8).
    """
    flags = [f for f in plan.flag.split(", ") if f and f != SHORTER_BASELINE]
    return replace(plan, withheld=reason, withheld_kind=kind, flag=", ".join(flags))


def _start_baseline(
    regular: pd.Series,
    measure: Mapping[str, Any],
    index: pd.DatetimeIndex,
    judged_from: pd.Timestamp | None,
) -> tuple[_Draft, bool]:
    """The stated or default baseline, stopped before the reporting period.

    Returns the draft and whether the catalogue stated the baseline.
    """
    frequency = str(measure["frequency"])
    first, last, stated = _baseline_span(regular, measure)
    if last < index[0] or first > index[-1]:
        # No figures under the current definition in the baseline (a definition changed
        # after it): the limits come from the first points of the current definition.
        first, last = index[0], index[min(len(index), BASELINE_MIN_POINTS) - 1]
    draft = _Draft(frequency, max(first, index[0]), last)
    capped = _cap(last, index, judged_from)
    if capped < last:
        # Limits that include the period being judged would partly judge it against
        # itself: the baseline stops before it, whatever the catalogue or default says.
        draft.last = capped
        draft.notes.append(
            "the chart's reference period stops before the reporting period, "
            f"at {label_period_start(capped, frequency)}"
        )
    return draft, stated


def _read_recalculations(
    measure: Mapping[str, Any], index: pd.DatetimeIndex
) -> tuple[list[pd.Timestamp], str]:
    """The process changes in the chart's span, and their cause as `` (cause)`` or empty."""
    changes: list[pd.Timestamp] = []
    text = measure.get("spc_recalculate_from")
    if not is_missing(text) and str(text).strip():
        try:
            changes = [d for d in parse_recalculation_dates(str(text)) if d in index]
        except ValueError:
            # Unvalidated data: validation reports the bad cell; the chart keeps one section.
            changes = []
    cause = measure.get("spc_recalculate_note")
    because = "" if is_missing(cause) or not str(cause).strip() else f" ({str(cause).strip()})"
    return changes, because


def _restart_at_change(
    draft: _Draft,
    changes: list[pd.Timestamp],
    because: str,
    index: pd.DatetimeIndex,
    judged_from: pd.Timestamp | None,
) -> None:
    """A process change inside the baseline: the limits start afresh at the latest one."""
    inside = [d for d in changes if draft.first < d <= draft.last]
    if not inside:
        return
    draft.first = inside[-1]
    starts = index[index >= draft.first]
    draft.last = _cap(starts[min(len(starts), BASELINE_MIN_POINTS) - 1], index, judged_from)
    draft.notes.append(
        "the chart's reference period starts at "
        f"{label_period_start(draft.first, draft.frequency)}, "
        f"when the process changed{because}"
    )


def _widen_short_baseline(
    draft: _Draft, index: pd.DatetimeIndex, judged_from: pd.Timestamp | None
) -> None:
    """A baseline under the minimum of points takes the points after it too, said in a note."""
    if draft.positions >= RECALCULATION_MIN_POINTS or len(draft.chart) <= draft.positions:
        return
    # Making Data Count's minimum for limits: a baseline shorter than 12 points takes
    # the points after it too, and the note says so, so the period shown is the one used.
    starts = pd.DatetimeIndex(draft.chart.index)
    widened = _cap(starts[min(len(starts), RECALCULATION_MIN_POINTS) - 1], index, judged_from)
    if widened > draft.last:
        draft.last = widened
        draft.positions = draft.count_positions()
        draft.notes.append(
            f"the chart's reference period has fewer than {RECALCULATION_MIN_POINTS} points, "
            "so the "
            f"limits also use the points after it, to "
            f"{label_period_start(widened, draft.frequency)}"
        )


def _withhold_short(draft: _Draft, before_period: int) -> SpcPlan:
    """The plan when too few points precede the reporting period for limits that leave it out."""
    return SpcPlan(
        series=draft.chart,
        limits_from=draft.first,
        limits_to=max(draft.first, draft.last),
        baseline_points=max(draft.positions, 0),
        note="",
        flag="too few points before the reporting period for SPC limits",
        withheld=(
            f"no SPC verdict: only {before_period} points before the reporting period, "
            f"fewer than the {RECALCULATION_MIN_POINTS} that limits need "
            "(the period itself never sets its own limits)"
        ),
        withheld_kind="short",
    )


def _plan_recalculations(
    draft: _Draft,
    changes: list[pd.Timestamp],
    because: str,
    index: pd.DatetimeIndex,
    judged_from: pd.Timestamp | None,
) -> list[pd.Timestamp]:
    """The changes after the baseline that start new sections, if each has enough points.

    Returns the sections' starts, or none when a section is still too short (the
    baseline's limits then still apply, and the note says so).
    """
    later = [d for d in changes if d > draft.last]
    if not later:
        return []
    frequency = draft.frequency
    when = list_words([label_period_start(d, frequency) for d in later])
    present = pd.DatetimeIndex(draft.chart.dropna().index)
    bounds = [*later, index[-1] + pd.Timedelta(days=1)]
    if judged_from is not None:
        # A new section sets its limits only from points before the reporting period.
        bounds = [min(b, judged_from) for b in bounds]
    short = [
        (start, int(((present >= start) & (present < stop)).sum()))
        for start, stop in zip(bounds, bounds[1:], strict=False)
    ]
    need = RECALCULATION_MIN_POINTS
    too_few = [(s, n) for s, n in short if n < need]
    if too_few:
        start, n = too_few[0]
        draft.flags.append(f"limits not yet recalculated from {when}")
        draft.notes.append(
            f"limits are not yet recalculated from {when}{because}; the section from "
            f"{label_period_start(start, frequency)} has {n} of the {need} points "
            f"needed{'' if judged_from is None else ' before the reporting period'}, "
            "so the baseline limits still apply"
        )
        return []
    draft.flags.append(f"limits recalculated from {when}")
    # Worded at the end, once the number of points each section uses is known.
    draft.notes.append(f"limits recalculated from {when}{because}")
    return later


def _adjust_for_season(
    draft: _Draft, regular: pd.Series, measure: Mapping[str, Any], index: pd.DatetimeIndex
) -> tuple[bool, dict[int, float]]:
    """Divide the chart by its seasonal indices when the measure is seasonal.

    Returns whether it was adjusted and the indices used (empty when not).
    """
    frequency = draft.frequency
    choice = str(measure.get("seasonal") or "auto").strip().lower() or "auto"
    if frequency not in ("monthly", "quarterly") or choice == "no":
        return False, {}
    estimate = estimate_seasonal_indices(regular[index <= draft.last], frequency)
    if estimate is None:
        return False, {}
    indices, p_value = estimate
    if not (choice == "yes" or p_value < SEASONAL_P_VALUE):
        return False, {}
    seasons = _season_of(pd.DatetimeIndex(draft.chart.index), frequency)
    draft.chart = draft.chart / np.array([indices[int(s)] for s in seasons])
    unit_word = "month" if frequency == "monthly" else "quarter"
    draft.notes.append(
        f"the figures are seasonally adjusted (each {unit_word} divided by its seasonal "
        f"index, its usual level relative to an average {unit_word}, estimated from the "
        f"data up to {label_period_start(draft.last, frequency)}), "
        "so a seasonal pattern alone is not a signal"
    )
    draft.flags.append("seasonally adjusted for SPC")
    return True, indices


SHORTER_BASELINE = "shorter stable baseline"


def _check_stable_baseline(draft: _Draft) -> tuple[str, str]:
    """An unstable baseline gives way to its latest stable period, or withholds the verdict.

    Returns why the verdict is withheld and ``"unstable"``, or two empty strings.
    """
    chart, first, last = draft.chart, draft.first, draft.last
    problem = check_baseline_stability(chart[(chart.index >= first) & (chart.index <= last)])
    if not problem:
        return "", ""
    stable_from = find_stable_start(chart, first, last)
    if stable_from is None:
        draft.flags.append("baseline not stable, SPC withheld")
        return (
            "no SPC verdict: the chart's reference period "
            f"{describe_span(first, last, draft.frequency)} is "
            f"not stable ({problem}) and no stable period of {STABLE_MIN_POINTS} or more "
            "points ends with it",
            "unstable",
        )
    draft.notes.append(
        "the chart's reference period "
        f"{describe_span(first, last, draft.frequency)} was not stable "
        f"({problem}), so the limits use its latest stable period"
    )
    draft.flags.append(SHORTER_BASELINE)
    draft.first = stable_from
    draft.chart = chart[chart.index >= stable_from]
    draft.positions = draft.count_positions()
    return "", ""


def _finish_recalculations(
    draft: _Draft,
    rebase: list[pd.Timestamp],
    index: pd.DatetimeIndex,
    judged_from: pd.Timestamp | None,
    withheld: tuple[str, str],
) -> tuple[str, str]:
    """Word the recalculation note, and check the latest section's points are stable.

    ``withheld`` is the verdict withheld so far (why, and its kind); it is returned as it
    is, or, when it is empty and the latest section is not stable, why that withholds it.
    """
    if judged_from is not None:
        # Each section's limits come from its first ``positions`` points: no more than
        # the latest section has before the reporting period, so none comes from it.
        ahead = int(((index >= rebase[-1]) & (index < judged_from)).sum())
        if ahead < draft.positions:
            draft.positions = ahead
            draft.last = pd.DatetimeIndex(draft.chart.index)[draft.positions - 1]
    notes = draft.notes
    at = next(i for i, n in enumerate(notes) if n.startswith("limits recalculated from"))
    notes[at] += f", each new section's from its own first {draft.positions} points"
    notes[at] += "" if judged_from is not None else " or all it has"
    # The latest section's limits judge the period: they too must come from a stable
    # run of points, by the same rules as the baseline's.
    section = draft.chart[draft.chart.index >= rebase[-1]].iloc[: draft.positions]
    unstable = check_baseline_stability(section)
    if not unstable or withheld[0]:
        return withheld
    span = describe_span(section.index[0], section.index[-1], draft.frequency)
    draft.flags.append("recalculated section not stable, SPC withheld")
    return (
        f"no SPC verdict: the points that set the recalculated limits, {span}, are "
        f"not stable ({unstable})",
        "unstable",
    )


def describe_limits_period(plan: SpcPlan | None, frequency: str) -> tuple[str, str]:
    """The first and last months whose figures set the latest limits, as ``YYYY-MM``.

    For a chart recalculated at a documented change, the latest section's: its first
    ``baseline_points`` periods, or as many as it has. Empty strings without SPC.
    """
    if plan is None:
        return "", ""
    step = FREQUENCY_MONTHS[frequency]
    first, last = plan.limits_from, plan.limits_to
    if plan.rebase_at:
        first = plan.rebase_at[-1]
        section = pd.DatetimeIndex(plan.series.index)
        section = section[section >= first]
        last = section[min(len(section), plan.baseline_points) - 1]
    last_month = month_number(last) + step - 1
    return (
        f"{first:%Y-%m}",
        str(month_of(last_month)),
    )
