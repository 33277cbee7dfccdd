"""The SPC assurance a target's record settles, on the verdict of :mod:`spc_verdict`.

*Making Data Count*'s assurance reads where the target lies against the process limits.
Where the target's record since the limits' start is one-sided, or its sign test shows
the side, the record is the direct evidence: :func:`settle_assurance` makes the code
agree with it, and :func:`settle_assurance_words` words a straddled target as the sign
test shows. :func:`date_process_change` dates the latest shift the chart signals, where
the record starts (see ``docs/methodology.md``, "Targets and trajectories").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from pcplib.assessment.figures import Window
from pcplib.assessment.spc_verdict import SpcVerdict, word_spc_caption
from pcplib.assessment.spc_words import ASSURANCE_PHRASES, SIGN_TEST_BASIS
from pcplib.assessment.thresholds import CONSISTENT_RUN
from pcplib.labels import label_period_start

__all__ = ["date_process_change", "settle_assurance", "settle_assurance_words"]


def date_process_change(verdict: SpcVerdict) -> str:
    """The month the latest shift the chart signals began, as ``YYYY-MM``, or ``""``.

    A shift is a run of :attr:`~pcplib.spc.XmrResult.run_length` or more points on one
    side of the centre line of the chart's latest limits (the run the chart flags as
    "6 Points Above CL"): the process is no longer the one the limits describe
    (*Making Data Count*). The target's record counts from here, so a sign test never
    mixes the periods before a change with those after it (review 10, R10-5). A run
    the same way that follows within fewer points than a run, after one point that
    breaks it (Victims' Code compliance: above the centre line February to October
    2025, one month below, above again from December 2025), is the same shift, so the
    shift starts at the first run. A point outside the limits or a trend is not a
    settled new level, so neither restarts the record; a recalculation of the limits
    already does (the record starts at the latest limits).

    Parameters
    ----------
    verdict : SpcVerdict
        The measure's SPC verdict.

    Returns
    -------
    str
        The first month of the shift's first point, or ``""`` with no shift (or no
        limits).
    """
    result = verdict.result
    if verdict.status != "assessed" or result is None or not result.has_limits:
        return ""
    points = result.points
    points = points[points["section"] == points["section"].max()]
    usable = ~(points["gap"] | points["ghost"]).to_numpy(dtype=bool)
    usable &= points["mean"].notna().to_numpy()
    gap = (points["value"] - points["mean"]).to_numpy(dtype=float)
    side = np.where(usable, np.sign(np.nan_to_num(gap)), 0).astype(int)
    runs: list[tuple[int, int, int]] = []  # (first, last, side) of each run long enough
    first = 0
    for i in range(1, len(side) + 1):
        if i == len(side) or side[i] != side[first]:
            if side[first] != 0 and i - first >= result.run_length:
                runs.append((first, i - 1, int(side[first])))
            first = i
    if not runs:
        return ""
    start, _, way = runs[-1]
    for earlier_first, earlier_last, earlier_way in reversed(runs[:-1]):
        if earlier_way != way or start - earlier_last - 1 >= result.run_length:
            break
        start = earlier_first
    return f"{pd.Timestamp(points.index[start]):%Y-%m}"


def settle_assurance(
    verdict: SpcVerdict,
    measure: Mapping[str, Any],
    window: Window,
    record: pd.Series,
    *,
    shift: bool = False,
) -> SpcVerdict:
    """The assurance a one-sided target record settles, so no report calls it hit and miss.

    *Making Data Count*'s assurance is "hit and miss" when the target lies within the
    limits. When the target was nonetheless met in every period since the limits' start,
    or missed in every one ("missed in 20 of 20", at least
    :data:`~pcplib.assessment.thresholds.CONSISTENT_RUN` periods), or in each of the
    latest ``CONSISTENT_RUN`` or more while the chart signals a change that way in the
    reporting period (the old limits no longer describe the process), the record is the
    direct evidence and "met in some periods and missed in others" would contradict it:
    the assurance is then consistently met (or missed), and the caption says why. The
    same holds for limits on one side that a run since a change contradicts (limits not
    yet recalculated).

    Parameters
    ----------
    verdict : SpcVerdict
        From :func:`assess_spc`.
    measure : mapping
        The catalogue row (``frequency``, for the words).
    window : Window
        The reporting period.
    record : pandas.Series
        Whether each period met the target
        (:func:`~pcplib.assessment.target_record.list_target_record`).
    shift : bool, default False
        Whether the record starts at the latest shift the chart signals
        (:func:`date_process_change`): a record one-sided since then says so ("since
        the shift in February 2025").

    Returns
    -------
    SpcVerdict
        The verdict, its assurance (and its result's, which the chart shows) settled by
        the record when the record is one-sided and the limits straddle the target.
    """
    if verdict.status != "assessed" or verdict.result is None or record.empty:
        return verdict
    flags = [bool(f) for f in record]
    run = next((i for i, f in enumerate(reversed(flags)) if f != flags[-1]), len(flags))
    met = flags[-1]
    shifted = verdict.variation == ("special_cause_improvement" if met else "special_cause_concern")
    if run < CONSISTENT_RUN or (run < len(flags) and not shifted):
        # A mixed record, or too short a one: the limits' assurance stands, whatever the
        # latest run. A process that meets its target two months in three makes a run
        # of 7 by chance, so a recent run is no evidence against limits that straddle
        # the target (review 4, F12; Making Data Count: straddling limits hit and miss),
        # unless the chart shows the process changed the run's way in the period.
        return verdict
    code = "consistent_pass" if met else "consistent_fail"
    if verdict.assurance == code or verdict.assurance is None:
        return verdict
    frequency = str(measure["frequency"])
    unit = {"monthly": "month", "quarterly": "quarter", "annual": "year"}[frequency]
    since = label_period_start(pd.Timestamp(record.index[len(flags) - run]), frequency)
    if shift and run == len(flags):
        since = f"the shift in {since}"
    count = f"{run} of {run}" if run == len(flags) else f"{run} in a row"
    side = (
        "within the process limits"
        if verdict.assurance == "inconsistent"
        else ("outside the process limits, on the " + ("wrong" if met else "good") + " side")
    )
    why = (
        f"it lies {side}, but it was {'met' if met else 'missed'} in every {unit} since "
        f"{since}, {count}: the record decides"
    )
    result = replace(verdict.result, assurance=code)
    summary = word_spc_caption(
        result, window, verdict.variation, measure, verdict.plan, why,
        immaterial=verdict.immaterial, notes=(verdict.recent,),
    )  # fmt: skip
    return replace(
        verdict, assurance=code, result=result, summary=summary, assurance_basis="record",
        assurance_reason=why,
    )  # fmt: skip


def settle_assurance_words(
    verdict: SpcVerdict, measure: Mapping[str, Any], window: Window, process: tuple[str, str]
) -> SpcVerdict:
    """Word limits that straddle the target by the record's sign test, when it shows a side.

    Limits that straddle the target say it "may be met or missed by chance"; but when
    the sign test of the record since the limits' start shows the process on one side
    (:func:`~pcplib.assessment.chance.judge_process_side`, which the rating already
    counts: "met in 6 of 38 months, less often than a process sitting on the target
    would"), "by chance" would contradict it in the same cell. The code stays
    ``inconsistent`` (the limits do straddle it, and the rating reads the code); the
    basis becomes :data:`~pcplib.assessment.spc_words.SIGN_TEST_BASIS` and the caption
    gives the record, so every report words it as the record shows (review 10, R10-15).

    Parameters
    ----------
    verdict : SpcVerdict
        From :func:`settle_assurance`.
    measure : mapping
        The catalogue row (``unit``, ``frequency``, for the caption).
    window : Window
        The reporting period.
    process : tuple of (str, str)
        Which side of its target the process lies on and why
        (:func:`~pcplib.assessment.chance.judge_process_side`).

    Returns
    -------
    SpcVerdict
        The verdict, its basis and caption worded by the sign test when the limits
        straddle the target and the record shows a side; unchanged otherwise.
    """
    side, reason = process
    if verdict.assurance != "inconsistent" or verdict.result is None or not reason:
        return verdict
    if side not in ("met", "missed"):
        return verdict
    why = f"it lies within the process limits, but {reason}"
    # The side the record shows decides the caption's words too: a target met more often
    # than chance is never "not reliably met" beside its own record (review 13, R13-2).
    claim = ASSURANCE_PHRASES["consistent_pass" if side == "met" else "consistent_fail"]
    summary = word_spc_caption(
        verdict.result, window, verdict.variation, measure, verdict.plan, why,
        immaterial=verdict.immaterial, notes=(verdict.recent,),
        assurance_claim=claim.sign_caption,
    )  # fmt: skip
    return replace(
        verdict, summary=summary, assurance_basis=SIGN_TEST_BASIS, assurance_reason=why,
        assurance_claim=claim.sign_caption,
    )  # fmt: skip
