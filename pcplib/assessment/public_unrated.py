"""Why a public measure with a figure is not rated, in the public report's words.

With no target, only an SPC chart's limits (a "normal range") could rate a measure; when
the chart cannot set them, the public report says why in plain words, from the
measure's ``spc_status`` (:func:`describe_public_not_rated`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pcplib.assessment.harm import describe_grey_rule

__all__ = ["describe_public_not_rated"]

_NOT_RATED_WORDS = {
    "unstable baseline": "its past figures are too unsteady to set a normal range",
    "too few points": "there are too few figures yet to set a normal range",
    "rolling figure": "each figure is a 12-month total that overlaps the one before, so "
    "they cannot set a normal range",
    "year-to-date figure": "each figure builds up through the year, so they cannot set a "
    "normal range",
}


def describe_public_not_rated(row: Mapping[str, Any]) -> str:
    """Why a measure with a figure is not rated, in plain words, from its ``spc_status``.

    With no target, only the chart's limits (a "normal range") could rate it: the reason is
    the chart's, never "no clear change" (issue 26, review 3 #6, #7) nor "the usual ups and
    downs", the words of the tests of change in the same paragraph (review 17, R17-10).
    """
    grey = describe_grey_rule(row, public=True)
    if grey:
        return grey.removeprefix("not rated: ")
    reason = _NOT_RATED_WORDS.get(str(row.get("spc_status") or ""))
    if reason is None:
        return "there is no target, and not enough evidence to rate it"
    return f"there is no target, and {reason}"
