"""What the public report says a comparison shows, where the test alone would overstate it.

The 12 months against the plan's baseline year in public words, the same words for one
kind of test on every page; and cases that read as a contradiction or as a claim the
figures cannot make:

- a real improvement on the 12 months beside a quarter that moved the wrong way on a year
  ago: steady, never "achieved" (:func:`~pcplib.assessment.sentences.assess_measure`),
  and said as the mixed picture it is (review 18, R18-2: farm machinery thefts);
- a real change since the plan began that continues one under way before it: said so,
  never left to read as the plan's doing (review 20, R20-2: anti-social behaviour).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pcplib.assessment.vocabulary import say_continued_change

__all__ = [
    "SINCE_WORDS",
    "say_mixed_picture",
    "say_since_verdict",
    "say_since_when",
]

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


def say_since_verdict(row: Mapping[str, Any]) -> str | None:
    """What the 12 months against the plan's baseline year show, in public words, or None.

    The words report what the test found, the same for every comparison and on every
    page (the quarter's clause, the annual evaluation): "a real improvement" also on a
    level test of a series with no SPC verdict, which the rating does not rest on (it
    stays Grey: :func:`~pcplib.assessment.changes.weigh_improvement`). Softening this one
    clause alone told one kind of test two ways in one line (review 19, R19-1 to R19-3:
    energy "down 7.9% ... by more than the usual ups and downs" then "lower, but its
    figures move too much to be sure").
    """
    return SINCE_WORDS.get(str(row.get("since_baseline_judgement") or ""))


def say_since_when(row: Mapping[str, Any]) -> str:
    """The words for the change since the plan began: when, and what it continues.

    "since the plan began, continuing a fall that began before it" where the baseline
    year was already a real change the same way (``since_baseline_continues``,
    :func:`~pcplib.assessment.vocabulary.say_continued_change`), so that "A real
    improvement since the plan began" never reads as the plan's doing.
    """
    continued = say_continued_change(row, before="it")
    return f"since the plan began, {continued}" if continued else "since the plan began"


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
        when = "since the plan began"
    elif str(row.get("year_ending_judgement") or "") == "improved":
        when = "over the 12 months"
    else:
        return ""
    return f"Better {when}, but not than a year ago: a mixed picture."
