"""Every number that decides a rating or a word, in one file, each with its source.

Kept apart from the code that applies them so a reviewer finds every number that
decides a rating in one place; ``docs/methodology.md`` (section "The verdict of a
measure") gives each rule that uses them and its source, and the ``rag_reason`` of
``judgements.csv`` names the rule and the threshold that decided each rating.

The core (``pcplib.rag``, ``pcplib.spc``) cannot import this floor, so it takes these
numbers as arguments and has no default of its own: ``rag.rag_against_target`` is given
:data:`RAG_TOLERANCE`, ``rag.delivery_confidence`` :data:`DELIVERY_THRESHOLDS`. One set
of numbers stays in the core, in ``pcplib/spc/result.py``: the SPC rules' own constants
(limits at 2.66 mean moving ranges, the 3.267 moving-range screen, runs of 6 to 8 or 7,
13 points before limits, sections of 12), which are the methods of *Making Data Count*
and NHSRplotthedots as published, written as they write them so the limits agree to
the last bit (``docs/spc-deviations.md``), not a choice made here. The orders in
``assessment/exceptions.py`` (``_RAG_SEVERITY`` and the rest) rank what needs the
Board's attention; they decide no rating.
"""

from __future__ import annotations

ROLL_UP_METHOD = "worst"
"""A strategy's performance rating is the worst of its rated headline measures."""

MIN_RATED_HEADLINE = 2
"""A strategy's Green or Amber needs at least this many rated headline measures (or all
of them, when it has fewer) and at least :data:`MIN_RATED_SHARE` of them: the worst of
the rated can only fall as more are rated, so on fewer it is not the strategy's rating
but one measure's, and the strategy is Grey, "too little rated". A Red stands on any
number: no rating of the rest could raise it (docs/methodology.md, "Roll-up to a
strategy"; review 7, F12)."""

MIN_RATED_SHARE = 0.5
"""The least share of a strategy's headline measures rated for a Green or Amber roll-up
(see :data:`MIN_RATED_HEADLINE`)."""

RAG_TOLERANCE = 0.05
"""A target missed by up to this share of the target is Amber; further, Red."""

IMPROVEMENT = {"higher": "increase", "lower": "decrease", "neutral": "neutral"}

SIGNIFICANCE = 0.05
"""A change is *beyond chance* when its two-sided p-value is below this (the 5% level of
ONS and Home Office statistical bulletins)."""

WEAK_EVIDENCE = 0.10
"""A harm that rose materially with a p-value below this (but not below
:data:`SIGNIFICANCE`) is a *possible rise*: Amber, never Green, until the evidence
settles it either way."""

MATERIAL_CHANGE_PCT = 2.0
"""A change of less than this many per cent is below materiality: never called
improved or deteriorated, however many events it rests on (a force of 2,000 officers
moving by 10 is not a change the Panel should act on)."""

MATERIAL_CHANGE_PP = 1.0
"""The same for a percentage, in percentage points."""

SMALL_COUNT = 20
"""Counts whose expected number (under no change) is below this are *small numbers*:
said so, never called improved or deteriorated unless the exact test is beyond chance,
and a measure with no target on them is Grey, "too few to tell", never Green
(:mod:`pcplib.assessment.harm`). ONS marks a rate built on fewer than 20 events as of
low reliability ("u"), since its 95% interval is then wider than about +/- 45% of it;
a quarter's 14 road deaths against 16 cannot show that nothing changed."""

DISPERSION_FLOOR = 1.0
"""A series whose variation is more than this multiple of the Poisson (counts) or
binomial (proportions) variation is over-dispersed, and its tests are widened by the
estimated dispersion (quasi-Poisson; Laney 2002 for proportions)."""

WINDOW_MIN_DF = 10
"""The fewest degrees of freedom (periods in the two windows, less two) from which the
windows' own dispersion is estimated (quasi-likelihood, Student's t); with fewer (four
quarters a year) the whole series' point-to-point dispersion is used instead."""

D2 = 1.128
"""The bias constant that turns a mean moving range into a standard deviation (for
ranges of two points; Wheeler, *Understanding Variation*)."""

CONFIDENCE = 0.95
"""The level of the margins of error shown beside survey estimates."""

BASELINE_MIN_POINTS = 20
"""Points a default SPC baseline is widened to (Making Data Count recommends 20)."""

SEASONAL_P_VALUE = 0.01
"""A seasonal pattern is clear when the analysis of variance of the seasonal-irregular
ratios across seasons has a p-value below this."""

BASELINE_TREND_P = 0.05
"""A baseline whose straight-line trend has a p-value below this is not stable."""

FLAGGED_IN_LIMITS = 3
"""Points of the limits period flagged by the chart (a run or trend that began there and
ran on after it) from which that period is taken as not in control whatever follows:
half a run of 6. One or two flagged points withhold the verdict too unless the points
after the period make the signal on their own (a full run, or a point beyond the limits):
one or two last points on the side a later step went are chance (odds of 1 in 2 and 1 in
4), and a clear step just after the period stays a signal, while a run that needs the
reference period's own points to reach its length is partly that period's drift
(review 4, F23; Wheeler, *Understanding Variation*: limits describe a process only while
it is predictable)."""

STABLE_MIN_POINTS = 12
"""The fewest points a stable baseline may have (Making Data Count's minimum for
limits); a shorter stable period is not used and the SPC verdict is withheld."""

SEASONAL_TARGET_SPREAD = 0.10
"""A flat target of a seasonal measure is judged on the year ending when its seasonal
indices span more than this (10% of the average period): one season alone could then
meet a target that the year misses."""

CONSISTENT_RUN = 6
"""Periods in a row on one side of a target before the record is told as consistent
("consistently met: every month since April 2025")."""

DELIVERY_THRESHOLDS: tuple[tuple[float, str], ...] = (
    (90.0, "Green"),
    (75.0, "Amber/Green"),
    (50.0, "Amber"),
    (25.0, "Amber/Red"),
    (0.0, "Red"),
)
"""The lowest share (per cent) of commitments complete or on track for each rating of
projected delivery, the bands of the "projected RAG" of a previous plan's delivery
report (:func:`pcplib.assessment.delivery.assess_delivery`)."""

HIGH_RISK_SCORE = 15
"""Likelihood x impact (each 1-5) from which a risk is high: 15 is 3 x 5 or 5 x 3, the
usual lower edge of the red band of a 5 x 5 risk matrix."""
