from __future__ import annotations

import numpy as np
import pytest

from pcplib import rag as r
from pcplib.assessment.thresholds import DELIVERY_THRESHOLDS, RAG_TOLERANCE


@pytest.mark.parametrize(
    ("value", "target", "good", "expected"),
    [
        (100, 100, "higher", "Green"),
        (120, 100, "higher", "Green"),
        (95, 100, "higher", "Amber"),
        (94.9, 100, "higher", "Red"),
        (100, 100, "lower", "Green"),
        (80, 100, "lower", "Green"),
        (105, 100, "lower", "Amber"),
        (105.1, 100, "lower", "Red"),
        (None, 100, "higher", "Grey"),
        (np.nan, 100, "lower", "Grey"),
        (90, None, "higher", "Grey"),
        (90, float("nan"), "higher", "Grey"),
        (90, 100, "neutral", "Grey"),
        (0, 0, "lower", "Green"),
        (1, 0, "lower", "Red"),
        (-95, -100, "lower", "Amber"),
        (0.95 * 0.8, 0.8, "higher", "Amber"),
    ],
)
def test_rag_against_target(value, target, good, expected):
    assert r.rag_against_target(value, target, good, RAG_TOLERANCE) == expected


def test_rag_against_target_tolerance():
    assert r.rag_against_target(90, 100, "higher", tolerance=0.1) == "Amber"
    assert r.rag_against_target(99, 100, "higher", tolerance=0) == "Red"


def test_rag_against_target_rejects():
    with pytest.raises(ValueError, match="unknown good direction 'up': expected one of higher"):
        r.rag_against_target(1, 2, "up", RAG_TOLERANCE)
    with pytest.raises(ValueError, match="tolerance must be a number, 0 or more"):
        r.rag_against_target(1, 2, "higher", tolerance=-0.1)
    with pytest.raises(ValueError, match="value must be a number or missing, got 'high'"):
        r.rag_against_target("high", 2, "higher", RAG_TOLERANCE)
    with pytest.raises(ValueError, match="target must be finite"):
        r.rag_against_target(1, float("inf"), "higher", RAG_TOLERANCE)


def test_delivery_confidence_thresholds():
    def rating(complete, other):
        return r.delivery_confidence(
            ["complete"] * complete + ["at risk"] * other, DELIVERY_THRESHOLDS
        ).rating

    assert rating(9, 1) == "Green"
    assert rating(89, 11) == "Amber/Green"
    assert rating(3, 1) == "Amber/Green"
    assert rating(74, 26) == "Amber"
    assert rating(1, 1) == "Amber"
    assert rating(49, 51) == "Amber/Red"
    assert rating(1, 3) == "Amber/Red"
    assert rating(24, 76) == "Red"
    assert rating(0, 3) == "Red"


def test_delivery_confidence_percent_counts_and_explanation():
    result = r.delivery_confidence(
        ["complete", "On Track", "at risk", "off_track", "not started", " complete "],
        DELIVERY_THRESHOLDS,
    )
    assert result.percent == pytest.approx(50.0)
    assert result.rating == "Amber"
    assert result.counts == {
        "complete": 2,
        "on track": 1,
        "at risk": 1,
        "off track": 1,
        "not started": 1,
    }
    assert result.explanation == (
        "Amber: 3 of 6 commitments (50%) are complete or on track "
        "(1 at risk, 1 off track, 1 not started); Amber means 50% or more."
    )


def test_delivery_confidence_matches_table_one_projected_percentages():
    # Seed 004's Table One gives 94% for Rural Policing's 17 commitments: 16 of 17.
    result = r.delivery_confidence(
        ["complete"] * 10 + ["on track"] * 6 + ["at risk"], DELIVERY_THRESHOLDS
    )
    assert round(result.percent) == 94
    assert result.rating == "Green"


def test_delivery_confidence_with_no_commitments_is_grey():
    result = r.delivery_confidence([], DELIVERY_THRESHOLDS)
    assert (result.rating, result.percent) == ("Grey", None)
    assert set(result.counts.values()) == {0}
    assert "no commitments" in result.explanation


def test_delivery_confidence_rejects():
    with pytest.raises(ValueError) as info:
        r.delivery_confidence(["complete", "done"], DELIVERY_THRESHOLDS)
    message = str(info.value)
    assert "unknown commitment status 'done'" in message
    for status in r.STATUSES:
        assert repr(status) in message
    with pytest.raises(ValueError, match="unknown commitment status None"):
        r.delivery_confidence([None], DELIVERY_THRESHOLDS)
    with pytest.raises(ValueError, match="got a single string"):
        r.delivery_confidence("complete", DELIVERY_THRESHOLDS)


def test_roll_up_worst():
    rating, text = r.roll_up(["Green", "Amber", "Grey", "Red", "Green"])
    assert rating == "Red"
    assert text == (
        "Red: the worst of 4 ratings (2 Green, 1 Amber, 1 Red); "
        "1 Grey (no target or no data) left out."
    )
    assert r.roll_up(["Green", "Green"]) == (
        "Green",
        "Green: the worst of 2 ratings (2 Green).",
    )
    assert r.roll_up(["Amber/Green", "Green"])[0] == "Amber/Green"


def test_roll_up_mean():
    assert r.roll_up(["Green", "Green", "Red"], method="mean")[0] == "Amber"  # 7/3 = 2.33
    assert r.roll_up(["Green", "Green", "Amber"], method="mean")[0] == "Green"  # 2.67
    rating, text = r.roll_up(["Green", "Amber", "Grey"], method="mean")
    assert rating == "Amber"  # 2.5: a tie goes to the worse
    assert "is 2.50 on a scale of Red 1, Amber 2, Green 3" in text
    assert text.endswith("1 Grey (no target or no data) left out.")
    five, text = r.roll_up(["Green", "Amber/Red"], method="mean")
    assert five == "Amber"  # (5 + 2) / 2 = 3.5, tie to the worse
    assert "Red 1 to Green 5" in text


def test_roll_up_all_grey_or_empty():
    assert r.roll_up(["Grey", "grey"]) == (
        "Grey",
        "Grey: all 2 ratings are Grey (no target or no data).",
    )
    assert r.roll_up(["Grey"])[1] == "Grey: the only rating is Grey (no target or no data)."
    assert r.roll_up([]) == ("Grey", "Grey: there are no ratings to roll up.")


def test_roll_up_rejects():
    with pytest.raises(ValueError, match="unknown roll-up method 'best': expected 'worst' or"):
        r.roll_up(["Green"], method="best")
    with pytest.raises(ValueError, match="unknown RAG rating 'Blue': expected one of Green"):
        r.roll_up(["Green", "Blue"])
    with pytest.raises(ValueError, match="got a single string"):
        r.roll_up("Green")


def test_normalise_rating():
    assert r.normalise_rating("yellow") == "Amber"
    assert r.normalise_rating(" AMBER/green ") == "Amber/Green"
    assert r.normalise_rating("Gray") == "Grey"
    with pytest.raises(ValueError, match="unknown RAG rating 3"):
        r.normalise_rating(3)


def test_the_core_rating_rules_take_their_numbers_from_the_thresholds() -> None:
    import inspect

    # No default in the core: every number that decides a rating is in thresholds.py.
    for function, name in (
        (r.rag_against_target, "tolerance"),
        (r.delivery_confidence, "thresholds"),
    ):
        assert inspect.signature(function).parameters[name].default is inspect.Parameter.empty
    assert not hasattr(r, "DELIVERY_THRESHOLDS")
    bands = ((80.0, "Green"), (40.0, "Amber"), (0.0, "Red"))
    result = r.delivery_confidence(["complete"] * 3 + ["at risk"] * 7, bands)
    assert result.rating == "Red" and result.explanation.endswith("Red means under 40%.")
