"""A strategy's rating needs enough rated headline measures, and says so where they are few.

Review 7, F12: "Overall RAG: Green: the worst of 1 rated headline measure (1 Green) ...
But: 1 commitment overdue; 1 new high risk" above "Needs attention (5)". The worst of
the rated can only fall as more are rated, so a Green or Amber on one measure of two is
that measure's rating, not the strategy's: Grey, "too little rated". A Red stands.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pandas as pd
import pytest

from pcplib import assessment
from pcplib.assessment.strategy import (
    describe_rating_scope,
    is_enough_rated,
    roll_up_strategy,
)
from pcplib.data import Dataset


def _headline(*ratings: str) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for i, rating in enumerate(ratings):
        rows.append(
            {
                "measure_name": f"Measure {i + 1}",
                "rag": rating,
                "rag_basis": "target" if rating != "Grey" else "",
                "has_data": True,
                "good_direction": "lower" if rating != "Grey" else "neutral",
                "current_label": "2026/27 Q2",
                "rag_rule": "",
                "spc_status": "assessed",
                "target_within_margin": False,
                "rag_capped": False,
                "margin_of_error": None,
            }
        )
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("rated", "total", "enough"),
    [(1, 1, True), (0, 0, True), (1, 2, False), (2, 2, True), (2, 3, True), (2, 4, True),
     (2, 5, False), (3, 5, True), (1, 3, False)],
)  # fmt: skip
def test_enough_rated_is_all_or_two_and_half(rated: int, total: int, enough: bool) -> None:
    assert is_enough_rated(rated, total) is enough


def test_a_green_on_one_of_two_headline_measures_is_grey_too_little_rated() -> None:
    headline = _headline("Green", "Grey")
    rating, sentence = roll_up_strategy(headline)
    assert rating == "Grey"
    assert sentence.startswith(
        "Grey: too little rated to rate the strategy: only 1 of its 2 headline measures is "
        "rated (Measure 1: Green); a strategy is rated on at least 2 headline measures"
    )
    assert "Not rated: Measure 2" in sentence
    assert describe_rating_scope(headline) == (
        "too little rated: 1 of 2 headline measures (1 Green)"
    )
    # An Amber stands: the rest could make it Red, never Green, and Grey would hide the
    # concern (review 10, R10-1).
    rating, sentence = roll_up_strategy(_headline("Amber", "Grey", "Grey"))
    assert rating == "Amber"
    assert sentence.startswith("Amber on 1 of 3 headline measures rated (1 Amber; only 1 of")
    assert "no rating of the rest could raise an Amber" in sentence
    assert describe_rating_scope(_headline("Amber", "Grey")) == "on 1 of 2 headline measures rated"


def test_a_red_stands_on_any_number_and_says_on_how_many() -> None:
    headline = _headline("Red", "Grey", "Grey")
    rating, sentence = roll_up_strategy(headline)
    assert rating == "Red"
    assert sentence.startswith("Red on 1 of 3 headline measures rated (1 Red; only 1 of")
    assert "driven by Measure 1" in sentence
    assert describe_rating_scope(headline) == "on 1 of 3 headline measures rated"


@pytest.mark.parametrize(
    "ratings", [("Green",), ("Green", "Green"), ("Green", "Amber", "Grey"), ("Grey", "Grey")]
)
def test_enough_rated_or_none_rated_keeps_the_rule_as_it_was(ratings: tuple[str, ...]) -> None:
    headline = _headline(*ratings)
    rating, sentence = roll_up_strategy(headline)
    assert describe_rating_scope(headline) == ""
    assert "too little rated" not in sentence
    if rating != "Grey":
        assert sentence.startswith(f"{rating}: the worst of ")


def test_the_scope_is_shown_wherever_the_strategy_rating_is(sample: Dataset) -> None:
    # Resources: savings Green, the budget variance a trend (never rated).
    summary = assessment.summarise_strategy(sample, "resources", "2026-09")
    assert summary.overall_rag == "Grey"
    scope = "too little rated: 1 of 2 headline measures (1 Green)"
    assert summary.rating_scope == scope
    # judgements.csv: the strategy's row says it in its rule.
    from pcplib.assessment.judgements import JUDGEMENT_COLUMNS

    overall = summary.to_frame(JUDGEMENT_COLUMNS, readable=False).iloc[0]
    assert overall["rag"] == "Grey" and overall["rag_reason"].endswith(f"; {scope}")
    # The plan overview, beside the rating.
    from pcplib.report.overview import format_plan_overview

    overview = assessment.build_plan_overview(sample, "2026-09")
    text = unescape(re.sub(r"<[^>]+>", "", format_plan_overview(overview, "Plan")))
    assert f"Resources\nGrey {scope}" in text or f"ResourcesGrey {scope}" in text
    # The public list of strategies.
    from pcplib.report.public import format_public_mission

    public = assessment.summarise_public_quarter(sample, "2026/27 Q2")
    mission = str(public.strategies.set_index("strategy_id").loc["resources", "mission_id"])
    section = unescape(re.sub(r"<[^>]+>", "", format_public_mission(public, mission)))
    assert "Resources Grey 1 of 2 rated" in section


def test_the_index_shows_the_scope_beside_the_rating_and_states_the_rule() -> None:
    from types import SimpleNamespace

    from pcplib import run

    job = SimpleNamespace(
        name="resources", title="Resources", strategy="resources", parameters={},
        notebook="delivery_strategy",
    )  # fmt: skip
    page = run.build_index(
        SimpleNamespace(heading="Board", period_end="2026-09"),
        [SimpleNamespace(job=job)],
        produced_at="2026-11-23T06:00:00Z",
        dataset=SimpleNamespace(),
        rags={"resources": run.OverallRag("Grey", "why", "", "too little rated: 1 of 2")},
    )
    assert 'Grey</span> <span class="but">too little rated: 1 of 2</span></td>' in page
    assert "otherwise it is Grey, too little rated, unless a rated one is Amber or Red" in page
