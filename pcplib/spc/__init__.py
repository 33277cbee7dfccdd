"""Statistical process control: XmR ("individuals") charts with two rule sets.

Two rule sets separate signal from noise in an ordered series of values:

``"mdc"`` (the project default)
    NHS England *Making Data Count* (SQL tool v2.6 defaults): a point outside
    the process limits, a run of 6 (configurable 6 to 8) on one side of the
    mean, a trend of 6 counting both end points, two of three points beyond a
    2-sigma line (points outside the limits count). Under 13 points there are
    no limits (a run chart only). Sections ("rebasing") and ghost points are
    supported. Assurance compares the target inclusively with the limits.

``"plotthedots"``
    Reproduces NHSRplotthedots 0.2.2 exactly (back-tested on 30 reference
    series): moving-range screening on by default, runs and trends of 7,
    the package's label precedence and trend-direction rule.

Both share the arithmetic: ``mean`` of the baseline values, ``amr`` the mean
of the moving ranges between consecutive baseline values, process limits
``mean -/+ 2.66 * amr`` and 2-sigma lines ``mean -/+ (2/3) * 2.66 * amr``.

Missing values (NaN) are *gaps*: left out of the mean, a moving range is only
formed between two adjacent non-missing points (a gap contributes no moving
range on either side), and a gap breaks every run, trend and two-in-three
window, so it can neither create nor complete a signal. Ghost points are
shown but treated exactly like gaps in every calculation. Every difference
from the reference methods is listed in ``docs/spc-deviations.md``.

The package holds :mod:`~pcplib.spc.result` (the result and its labels),
:mod:`~pcplib.spc.rules` (the vectorised rule engine) and :mod:`~pcplib.spc.analysis`
(the public verbs).

:func:`xmr` analyses one series and returns an :class:`XmrResult`;
:func:`xmr_frame` runs the same arithmetic over many series held in one long
DataFrame at once (vectorised with numpy) and :func:`summarise_xmr_frame`
gives each series' variation and assurance.
"""

from __future__ import annotations

from pcplib.spc.analysis import summarise_xmr_frame, xmr, xmr_frame
from pcplib.spc.result import (
    ALLOWED_CONFLICTS,
    ALLOWED_IMPROVEMENTS,
    ALLOWED_RULES,
    ASSURANCE_TYPES,
    LABEL_COMMON,
    LABEL_GAP,
    LABEL_GHOST,
    LABEL_NO_LIMITS,
    POINT_TYPES,
    XmrResult,
)

__all__ = [
    "ALLOWED_CONFLICTS",
    "ALLOWED_IMPROVEMENTS",
    "ALLOWED_RULES",
    "LABEL_COMMON",
    "LABEL_GAP",
    "LABEL_GHOST",
    "LABEL_NO_LIMITS",
    "ASSURANCE_TYPES",
    "POINT_TYPES",
    "XmrResult",
    "summarise_xmr_frame",
    "xmr",
    "xmr_frame",
]
