"""What the public report says a comparison shows, where the test alone would overstate it.

Two cases read as contradictions on the public page (review 18):

- a real improvement since the plan's baseline year on a level test (one sizing its noise
  from the series' own point-to-point variation) of a series with no SPC verdict: the
  rating rule will not rate on it (:func:`~pcplib.assessment.changes.weigh_improvement`
  counts only :data:`~pcplib.assessment.changes.EXACT_TESTS`), so residents are told the
  figure is lower (or higher), never "a real improvement" (R18-5: carbon emissions);
- a real improvement on the 12 months beside a quarter that moved the wrong way on a year
  ago: steady, never "achieved" (:func:`~pcplib.assessment.sentences.assess_measure`),
  and said as the mixed picture it is (R18-2: farm machinery thefts).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pcplib.assessment.changes import EXACT_TESTS
from pcplib.assessment.vocabulary import say_chance

__all__ = ["SINCE_WORDS", "is_unvouched_improvement", "say_mixed_picture", "say_since_verdict"]

SINCE_WORDS = {
    "improved": "a real improvement",
    "deteriorated": "a real worsening",
    "possibly improved": "possibly better, though not yet clear enough to be sure",
    "possibly deteriorated": "possibly worse, though not yet clear enough to be sure",
    "no evidence of change": "no clear change",
    "no change": "no clear change",
}
"""What the 12 months against the plan's baseline year show, in the public words for the
three grades of evidence (:mod:`pcplib.assessment.vocabulary`)."""


def is_unvouched_improvement(row: Mapping[str, Any]) -> bool:
    """Whether a real improvement since the baseline year rests on a level test alone.

    True when ``since_baseline_judgement`` is "improved" on a test that is not one of
    counts or proportions (``changes.since_evidence.test``) and the measure has no SPC
    verdict (``spc_status`` other than "assessed"): the series' own variation, from which
    a level test sizes its noise, is then not shown to be steady, and the rating rule
    does not rate on it. A figure counted in full has no test, so never.
    """
    if str(row.get("since_baseline_judgement") or "") != "improved" or not say_chance(row):
        return False
    if str(row.get("spc_status") or "") == "assessed":
        return False
    changes = row.get("changes")
    evidence = getattr(changes, "since_evidence", None)
    test = str(getattr(evidence, "test", "") or "")
    return bool(test) and test not in EXACT_TESTS


def say_since_verdict(row: Mapping[str, Any]) -> str | None:
    """What the 12 months against the plan's baseline year show, in public words, or None.

    "a real improvement", or, when it rests on a level test of a series with no SPC
    verdict (:func:`is_unvouched_improvement`), "lower, but its figures move too much to
    be sure by how much" (higher where higher is good).
    """
    if is_unvouched_improvement(row):
        way = "higher" if str(row.get("good_direction")) == "higher" else "lower"
        return f"{way}, but its figures move too much to be sure by how much"
    return SINCE_WORDS.get(str(row.get("since_baseline_judgement") or ""))


def say_mixed_picture(row: Mapping[str, Any]) -> str:
    """A steady measure better over the 12 months but not on a year ago, said as mixed.

    "Better since the plan began, but not than a year ago: a mixed picture." for a real
    improvement since the baseline year (or over the 12 months) whose quarter moved the
    wrong way on a year ago; empty otherwise, and when the chart's signal already says
    so (the public sentence's SPC case).
    """
    if str(row.get("spc_variation") or "") == "special_cause_improvement":
        return ""
    worse_way = {"higher": "down", "lower": "up"}.get(str(row.get("good_direction")))
    if worse_way is None or row.get("direction") != worse_way:
        return ""
    if str(row.get("since_baseline_judgement") or "") == "improved":
        if is_unvouched_improvement(row):
            return ""
        when = "since the plan began"
    elif str(row.get("year_ending_judgement") or "") == "improved":
        when = "over the 12 months"
    else:
        return ""
    return f"Better {when}, but not than a year ago: a mixed picture."
