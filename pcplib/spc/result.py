"""The XmR result (:class:`XmrResult`), its labels and point types, and their words."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

ALLOWED_RULES: tuple[str, ...] = ("mdc", "plotthedots")


ALLOWED_IMPROVEMENTS: tuple[str, ...] = ("increase", "decrease", "neutral")


ALLOWED_CONFLICTS: tuple[str, ...] = ("improvement", "concern")


# Constants exactly as NHSRplotthedots writes them, so the limits agree to the last bit
# that floating point allows.
_LIMIT = 2.66


_LIMIT_2S = 2 * (_LIMIT / 3)


_SCREEN = 3.267


_MDC_RUN_DEFAULT = 6


_MDC_RUN_RANGE = (6, 8)


_PTD_RUN = 7


_MDC_MIN_POINTS = 13


_MDC_MIN_SECTION = 12


_MIN_BASELINE = 12


_DIRECTION = {"increase": 1, "decrease": -1, "neutral": 0}


LABEL_COMMON = "Common Cause"


LABEL_GAP = "Missing"


LABEL_GHOST = "Ghost (excluded)"


LABEL_NO_LIMITS = "No limits (run chart)"


# Labels and point types are built as small integer codes and looked up at the end,
# which keeps the vectorised path free of string arithmetic.
(
    _C_COMMON,
    _C_ABOVE,
    _C_BELOW,
    _C_TREND_UP,
    _C_TREND_DOWN,
    _C_TWO3_ABOVE,
    _C_TWO3_BELOW,
    _C_SHIFT_ABOVE,
    _C_SHIFT_BELOW,
    _C_NO_LIMITS,
    _C_GAP,
    _C_GHOST,
) = range(12)


_LABEL_SIGN = np.array([0, 1, -1, 1, -1, 1, -1, 1, -1, 0, 0, 0], dtype=np.int8)


_P_COMMON, _P_IMPROVEMENT, _P_CONCERN, _P_HIGH, _P_LOW = range(5)


POINT_TYPES: tuple[str, ...] = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)

"""Every point code (and so every ``variation`` code) an XmR analysis gives."""

ASSURANCE_TYPES: tuple[str, ...] = ("consistent_pass", "consistent_fail", "inconsistent")
"""Every ``assurance`` code: the limits on the target's good side, its bad side, or
straddling it."""

_POINT_TYPE_TABLE = np.array(POINT_TYPES, dtype=object)


def _label_table(run_length: int) -> np.ndarray:
    """Label text for each code, for a rule set's run length."""
    return np.array(
        [
            LABEL_COMMON,
            "Above UCL",
            "Below LCL",
            f"{run_length} Point Trend (Increasing)",
            f"{run_length} Point Trend (Decreasing)",
            "2 in 3 Above CL",
            "2 in 3 Below CL",
            f"{run_length} Points Above CL",
            f"{run_length} Points Below CL",
            LABEL_NO_LIMITS,
            LABEL_GAP,
            LABEL_GHOST,
        ],
        dtype=object,
    )


_OUTPUT_COLUMNS = (
    "mean",
    "lpl",
    "upl",
    "lower_2s",
    "upper_2s",
    "special_cause",
    "point_type",
    "gap",
    "ghost",
    "has_limits",
    "spc_position",
    "spc_improvement",
    "spc_target",
    "spc_rules",
)


@dataclass(frozen=True, eq=False)
class XmrResult:
    """The outcome of an XmR analysis of one series.

    Attributes
    ----------
    points : pandas.DataFrame
        One row per input point, indexed like the input (dates where a
        DatetimeIndex was given), with columns ``value``, ``mean``, ``lpl``,
        ``upl``, ``lower_2s``, ``upper_2s``, ``special_cause`` (label, e.g.
        ``"Above UCL"``, ``"6 Points Below CL"``, ``"Common Cause"``,
        ``"Missing"``, ``"Ghost (excluded)"``, ``"No limits (run chart)"``),
        ``point_type`` (``common_cause``, ``special_cause_improvement``,
        ``special_cause_concern``, ``special_cause_neutral_high``,
        ``special_cause_neutral_low``; gaps, ghosts and run-chart points are
        ``common_cause``), ``ghost``, ``gap`` and ``section`` (0 for the first
        section, increasing at each rebase).
    variation : str or None
        ``point_type`` of the last point that is neither a gap nor a ghost;
        None when there are no limits.
    assurance : str or None
        ``consistent_pass``, ``consistent_fail`` or ``inconsistent``; None
        without a target, with ``neutral`` or without limits.
    rules : str
        ``"mdc"`` or ``"plotthedots"``.
    improvement : str
        ``"increase"``, ``"decrease"`` or ``"neutral"``.
    target : float or None
        The target compared with the last point's limits.
    has_limits : bool
        False for MDC's run-chart fallback (fewer than ``min_points`` points).
    run_length : int
        Points needed for a shift or a trend.
    n_points : int
        Points used in the calculation (neither gaps nor ghosts).
    min_points : int
        Points needed for limits (MDC); for ``plotthedots`` always 2.
    """

    points: pd.DataFrame
    variation: str | None
    assurance: str | None
    rules: str
    improvement: str
    target: float | None
    has_limits: bool
    run_length: int
    n_points: int
    min_points: int

    @property
    def signals(self) -> pd.DataFrame:
        """The points flagged as special cause (a subset of :attr:`points`).

        Returns
        -------
        pandas.DataFrame
            Rows of :attr:`points` whose ``point_type`` is not ``common_cause``.
        """
        return self.points[self.points["point_type"] != "common_cause"]

    def describe(
        self,
        lead: str | None = None,
        assurance_reason: str | None = None,
        target_text: str | None = None,
        assurance_claim: str | None = None,
    ) -> str:
        """One plain-English sentence on the variation and the assurance.

        Parameters
        ----------
        lead : str, optional
            Words on the variation to use in place of the latest point's (a verdict
            over a reporting period, say); the assurance follows as usual.
        assurance_reason : str, optional
            Why the assurance is what it is, in place of where the target lies against
            the limits (an assurance settled by the target's record, say).
        target_text : str, optional
            The target as the reports write it, with its unit ("22.0%"); the bare
            number when omitted.
        assurance_claim : str, optional
            What is said of a target within the limits, with ``{why}`` for the reason,
            in place of "is not reliably met ({why})": a record whose sign test shows
            the target met more often than chance is not told as unreliably met.

        Returns
        -------
        str
            For example ``"Common-cause variation: no signal of real change;
            the target of 80 is not reliably met (it lies within the process
            limits)."``
        """
        if not self.has_limits:
            return (
                f"Too few points for process limits ({self.n_points} of the "
                f"{self.min_points} needed): shown as a run chart, with no judgement "
                "of whether anything has really changed."
            )
        last = self.points[~(self.points["gap"] | self.points["ghost"])].iloc[-1]
        reason = _explain_label(str(last["special_cause"]))
        parts = {
            "common_cause": "Common-cause variation: no signal of real change",
            "special_cause_improvement": (
                f"Special-cause improvement: a real change in the good direction ({reason})"
            ),
            "special_cause_concern": (
                f"Special-cause concern: a real change in the wrong direction ({reason})"
            ),
            "special_cause_neutral_high": (
                f"Special-cause variation upwards: a real change, though this measure "
                f"has no good direction ({reason})"
            ),
            "special_cause_neutral_low": (
                f"Special-cause variation downwards: a real change, though this measure "
                f"has no good direction ({reason})"
            ),
        }
        sentence = parts[str(self.variation)] if lead is None else lead
        if self.target is not None:
            shown = target_text or _format_number(self.target)
            if self.assurance == "consistent_pass":
                why = assurance_reason or "it lies outside the process limits, on the good side"
                sentence += f"; the target of {shown} is consistently met ({why})"
            elif self.assurance == "consistent_fail" and assurance_reason:
                # Settled by the record, not the limits: a record, never a forecast.
                sentence += f"; the target of {shown} is consistently missed ({assurance_reason})"
            elif self.assurance == "consistent_fail":
                why = "it lies outside the process limits, on the wrong side"
                sentence += (
                    f"; the target of {shown} will not be met unless the process changes ({why})"
                )
            elif self.assurance == "inconsistent":
                # A record whose sign test shows a side is its own reason: never "by
                # chance" beside it.
                why = (
                    assurance_reason
                    or "it lies within the process limits, so it will be hit and missed by chance"
                )
                claim = assurance_claim or "is not reliably met ({why})"
                sentence += f"; the target of {shown} " + claim.replace("{why}", why)
            else:
                sentence += (
                    f"; no assurance against the target of {shown} is given because this "
                    "measure has no good direction"
                )
        return sentence + "."


def _format_number(x: float) -> str:
    text = f"{x:,.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _explain_label(label: str) -> str:
    """Turn a special-cause label into words for the latest point."""
    words = label.split()
    if label == "Above UCL":
        return "the latest point is above the upper process limit"
    if label == "Below LCL":
        return "the latest point is below the lower process limit"
    if "Trend" in label:
        way = "higher" if "Increasing" in label else "lower"
        return f"the latest point ends a run of {words[0]} or more points, each {way} than the last"
    if label.startswith("2 in 3"):
        way = "upper" if "Above" in label else "lower"
        return f"two of the last three points are close to the {way} process limit"
    if "Points" in label:
        way = "above" if "Above" in label else "below"
        return f"the latest point is in a run of {words[0]} or more points {way} the mean"
    return "see the chart"


def _show_label(label: object) -> str:
    """An index label as a reader would write it (dates without a time)."""
    if isinstance(label, pd.Timestamp):
        return label.strftime("%Y-%m-%d") if label == label.normalize() else str(label)
    if isinstance(label, pd.Period):
        return str(label)
    return repr(label)
