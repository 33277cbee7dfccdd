"""Area comparisons: rates per 1,000, funnel verdicts, and how the report shows them."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from pcplib.assessment.comparisons import (
    compare_areas,
    compare_strategy_areas,
    describe_outlier,
)
from pcplib.funnel import funnel
from pcplib.report.comparisons import (
    describe_funnel,
    format_area_comparison,
    format_area_comparison_words,
    format_area_comparisons,
)

MONTHS = pd.date_range("2025-10-01", "2026-09-01", freq="MS")


def make_dataset(
    monthly: dict[str, float],
    populations: dict[str, float],
    *,
    level: str = "local_authority",
    unit: str = "count",
    aggregation: str = "sum",
    missing: tuple[str, str] | None = None,
) -> SimpleNamespace:
    """A stand-in data set: one measure with a fixed monthly count in each area."""
    areas = pd.DataFrame(
        {
            "area": ["FORCE", *populations],
            "level": ["force", *[level] * len(populations)],
            "population": [sum(populations.values()), *populations.values()],
        }
    )
    rows = []
    for area, per_month in monthly.items():
        for start in MONTHS:
            value = per_month
            if missing and (area, f"{start:%Y-%m}") == missing:
                value = np.nan
            rows.append(
                {
                    "measure_id": "m-crime",
                    "area": area,
                    "period_start": start,
                    "period_end": start + pd.offsets.MonthEnd(0),
                    "value": value,
                    "definition": "current",
                }
            )
    observations = pd.DataFrame(rows)
    measures = pd.DataFrame(
        {
            "measure_id": ["m-crime"],
            "measure_name": ["Burglary"],
            "strategy_id": ["s1"],
            "tier": ["headline"],
            "unit": [unit],
            "aggregation": [aggregation],
            "frequency": ["monthly"],
            "visibility": ["public"],
        }
    )
    strategies = pd.DataFrame({"strategy_id": ["s1"], "strategy_name": ["Crime"]})

    def series_by_area(measure_id: str) -> pd.DataFrame:
        return observations[observations["measure_id"] == measure_id]

    def measures_for(strategy_id, tier=None, public_only=False):
        return measures[measures["strategy_id"] == strategy_id]

    return SimpleNamespace(
        areas=areas,
        measures=measures,
        observations=observations,
        strategies=strategies,
        series_by_area=series_by_area,
        measures_for=measures_for,
    )


POPULATIONS = {"City": 300_000.0, "Town": 100_000.0, "Vale": 80_000.0, "Moor": 60_000.0}
# Twelve areas, all at 1 crime per 1,000 a month but one at 2.5 times that: the funnel
# trims the extreme before estimating overdispersion, so the one stands out.
MANY = {f"Area {i:02d}": 40_000.0 + 10_000 * i for i in range(11)} | {"Moor": 60_000.0}


def many_counts() -> dict[str, float]:
    return {a: p / 1000 * (2.5 if a == "Moor" else 1.0) for a, p in MANY.items()}


def test_rates_and_expected_counts_follow_the_populations() -> None:
    # Every area at 1 crime per 1,000 residents a month: all exactly as expected.
    monthly = {a: p / 1000 for a, p in POPULATIONS.items()}
    found = compare_areas(make_dataset(monthly, POPULATIONS), "m-crime", "2026-09")
    assert found is not None
    areas = found.areas.set_index("area")
    assert list(found.areas["area"]) == ["City", "Town", "Vale", "Moor"]  # by population
    assert areas.loc["City", "count"] == 3600.0  # 12 months
    assert areas["rate_per_1000"].round(9).eq(12.0).all()
    assert areas["ratio"].round(9).eq(1.0).all()
    assert areas["expected"].sum() == pytest.approx(areas["count"].sum())
    assert found.pooled_rate == pytest.approx(12.0)
    assert found.period == "12 months to September 2026"
    assert set(areas["verdict"]) == {"within what chance explains"}
    assert found.outside.empty


def test_an_area_far_above_its_population_is_flagged_high() -> None:
    found = compare_areas(make_dataset(many_counts(), MANY), "m-crime", "2026-09")
    moor = found.areas.set_index("area").loc["Moor"]
    assert moor["outlier"] == "high"
    assert moor["verdict"].startswith("higher than expected, beyond")
    assert list(found.outside["area"]) == ["Moor"]
    # The verdict is the funnel's own flag, computed independently here.
    counts = found.areas["count"].to_numpy()
    expected = found.areas["expected"].to_numpy()
    again = funnel(counts, expected, data_type="SR")
    assert list(again["outlier"]) == list(found.areas["outlier"])


def test_no_comparison_without_areas_counts_or_enough_areas() -> None:
    monthly = {a: p / 1000 for a, p in POPULATIONS.items()}
    assert compare_areas(make_dataset(monthly, POPULATIONS, unit="percent"), "m-crime",
                         "2026-09") is None  # fmt: skip
    two = {"City": 300_000.0, "Town": 100_000.0}
    assert compare_areas(make_dataset({"City": 300, "Town": 100}, two), "m-crime",
                         "2026-09") is None  # fmt: skip
    empty = make_dataset(monthly, POPULATIONS)
    empty.areas = empty.areas.iloc[0:0]
    assert compare_areas(empty, "m-crime", "2026-09") is None
    with pytest.raises(ValueError, match="unknown level"):
        compare_areas(make_dataset(monthly, POPULATIONS), "m-crime", "2026-09", "ward")


def test_an_area_missing_a_month_is_left_out_rather_than_looking_low() -> None:
    monthly = {a: p / 1000 for a, p in POPULATIONS.items()}
    data = make_dataset(monthly, POPULATIONS, missing=("Town", "2026-05"))
    found = compare_areas(data, "m-crime", "2026-09")
    assert "Town" not in set(found.areas["area"])
    assert len(found.areas) == 3


def test_an_area_with_a_figure_to_confirm_is_left_out_until_it_is_confirmed() -> None:
    monthly = {a: p / 1000 for a, p in POPULATIONS.items()}
    data = make_dataset(monthly, POPULATIONS)
    obs = data.observations
    obs["status"] = "final"
    at = (obs["area"] == "Vale") & (obs["period_start"] == pd.Timestamp("2026-05-01"))
    obs.loc[at, ["value", "status"]] = [400.0, "to confirm"]  # far above Vale's 80 a month
    found = compare_areas(data, "m-crime", "2026-09")
    assert "Vale" not in set(found.areas["area"]) and len(found.areas) == 3
    obs.loc[at, "status"] = "final"  # confirmed: Vale is compared again
    found = compare_areas(data, "m-crime", "2026-09")
    assert "Vale" in set(found.areas["area"])


def test_verdict_words_for_each_flag() -> None:
    assert describe_outlier("high", "high") == "higher than expected, beyond what chance explains"
    assert describe_outlier("low", "low") == "lower than expected, beyond what chance explains"
    assert describe_outlier("none", "high") == "possibly higher than expected: worth watching"
    assert describe_outlier("none", "low") == "possibly lower than expected: worth watching"
    assert describe_outlier("none", "none") == "within what chance explains"
    assert describe_outlier("none", "none", adjusted=True) == (
        "within the usual spread between areas"
    )
    assert describe_outlier("high", "high", adjusted=True).endswith("usual spread between areas")


def test_overdispersed_areas_get_widened_limits_and_say_so() -> None:
    rng = np.random.default_rng(3)
    populations = {f"Area {i}": 50_000.0 + 10_000 * i for i in range(12)}
    monthly = {a: p / 1000 * rng.uniform(0.5, 1.6) for a, p in populations.items()}
    found = compare_areas(make_dataset(monthly, populations), "m-crime", "2026-09")
    assert found.funnel.attrs["adjusted"] is True
    assert "more than chance alone" in found.note
    assert all("usual spread" in v for v in found.areas["verdict"])


def test_forces_are_named_and_not_called_a_most_similar_group() -> None:
    monthly = {a: p / 1000 for a, p in POPULATIONS.items()}
    found = compare_areas(make_dataset(monthly, POPULATIONS, level="force"), "m-crime",
                          "2026-09", "force")  # fmt: skip
    assert found.level == "force"
    assert "City, Town, Vale, Moor" in found.note
    assert "not a most similar group" in found.note


def test_strategy_comparisons_and_their_html() -> None:
    data = make_dataset(many_counts(), MANY)
    found = compare_strategy_areas(data, "s1", "2026-09")
    assert [c.measure_id for c in found] == ["m-crime"]
    page = format_area_comparisons(found)
    assert '<figure class="chart">' in page and "<figcaption>" in page
    assert "Burglary by local authority, 12 months to September 2026" in page
    assert "Per 1,000 residents" in page and "Rank" not in page
    alt = describe_funnel(found[0])
    assert alt.startswith("Funnel plot of Burglary in 12 local authority areas")
    assert "Moor (higher, ratio" in alt
    assert "higher than expected for its population in Moor" in format_area_comparison_words(
        found[0]
    )
    assert format_area_comparison(None) == "" and format_area_comparison_words(None) == ""
    assert "no comparison between areas is made" in format_area_comparisons([])
