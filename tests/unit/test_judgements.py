"""End-to-end judgements on hand-made data sets whose answers are known.

Each data set is written as CSV files in a temporary folder and loaded with
:func:`pcplib.data.load_dataset`, exactly as the shipped sample is, then judged for the
quarter ending September 2026 (baseline year 2024/25). The expected figures are worked
out here from the data, independently of :mod:`pcplib.assessment`.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pcplib.assessment.measures import (
    COMPARISON_BASES,
    JUDGEMENTS,
    SPC_STATUSES,
    summarise_measures,
)
from pcplib.assessment.sentences import ASSESSMENTS
from pcplib.assessment.strategy import StrategySummary, assess_delivery, summarise_strategy
from pcplib.assessment.thresholds import DELIVERY_THRESHOLDS
from pcplib.data import TABLES, Dataset, load_dataset
from pcplib.rag import delivery_confidence

TODAY = dt.date(2026, 11, 23)
PERIOD_END = "2026-09"
MONTHS = pd.period_range("2020-04", "2026-09", freq="M")
N = len(MONTHS)
AT = {str(month): i for i, month in enumerate(MONTHS)}

MEASURE_DEFAULTS: dict[str, str] = {
    "strategy_id": "alpha",
    "tier": "headline",
    "unit": "count",
    "good_direction": "lower",
    "frequency": "monthly",
    "aggregation": "sum",
    "source": "Test source",
    "comparable": "false",
    "national_measure": "",
    "vrn_measure": "",
    "target": "",
    "target_note": "",
    "baseline_year": "2024/25",
    "visibility": "public",
    "definition": "Counted in the month",
    "definition_from": "2020-04-01",
    "previous_definition": "",
    "spc_recalculate_from": "",
    "spc_recalculate_note": "",
    "target_date": "",
    "spc_baseline_from": "",
    "spc_baseline_to": "",
    "seasonal": "",
}


def _write_csv(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def _cell(value: float | None) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def write_dataset(
    root: Path,
    measures: Sequence[Mapping[str, str]],
    values: Mapping[str, Sequence[float | None] | Mapping[str, float]],
    commitments: Sequence[Mapping[str, str]] = (),
    strategies: Sequence[str] = ("alpha",),
) -> Dataset:
    """Write a data set folder and load it, validated.

    ``measures`` override :data:`MEASURE_DEFAULTS` (``measure_id`` required). A monthly
    measure's values line up with :data:`MONTHS` (None for a missing month); any other
    measure's are a mapping of period start (``YYYY-MM``) to value.
    """
    (root / "dataset.yaml").write_text(
        'illustrative: true\ndescription: "Hand-made test data"\n', encoding="utf-8"
    )
    _write_csv(
        root / "framework" / "missions.csv",
        TABLES["missions"].columns,
        [{"mission_id": "m1", "mission_name": "Mission one", "description": "A mission"}],
    )
    _write_csv(
        root / "framework" / "strategies.csv",
        TABLES["strategies"].columns,
        [
            {
                "strategy_id": s,
                "strategy_name": f"Strategy {s}",
                "mission_id": "m1",
                "strategic_objective": "Less harm",
                "force_senior_owner": "ACC",
                "force_spoc": "Supt",
                "opcc_senior_owner": "Director",
                "opcc_spoc": "Officer",
            }
            for s in strategies
        ],
    )
    catalogue = [{**MEASURE_DEFAULTS, "measure_name": m["measure_id"], **m} for m in measures]
    spec = TABLES["measures"]
    _write_csv(root / "framework" / "measures.csv", [*spec.columns, *spec.extra], catalogue)
    months_in = {"monthly": 1, "quarterly": 3, "annual": 12}
    observations = []
    for m in catalogue:
        given = values[m["measure_id"]]
        if isinstance(given, Mapping):
            step = months_in[m["frequency"]]
            periods = [(pd.Period(k, "M"), v) for k, v in given.items()]
        else:
            step = 1
            periods = list(zip(MONTHS, given, strict=True))
        for start, value in periods:
            end = start + step - 1
            observations.append(
                {
                    "measure_id": m["measure_id"],
                    "period_start": f"{start.start_time:%Y-%m-%d}",
                    "period_end": f"{end.end_time:%Y-%m-%d}",
                    "value": _cell(value),
                    "area": "LLR",
                    "status": "final",
                    "definition": "current",
                    "source": "Test source",
                    "extracted_on": "2026-10-12",
                }
            )
    _write_csv(
        root / "observations" / "observations.csv", TABLES["observations"].columns, observations
    )
    _write_csv(root / "commitments" / "commitments.csv", TABLES["commitments"].columns, commitments)
    _write_csv(root / "narrative" / "narrative.csv", TABLES["narrative"].columns, [])
    return load_dataset(root, today=TODAY)


def judge(dataset: Dataset) -> pd.DataFrame:
    """Every measure's row for the quarter ending September 2026, by measure id."""
    return summarise_measures(dataset, None, PERIOD_END).set_index("measure_id")


def window(values: Sequence[float | None], first: str, last: str) -> list[float]:
    """The monthly values from ``first`` to ``last`` (``YYYY-MM``), inclusive."""
    return [float(v) for v in values[AT[first] : AT[last] + 1]]  # type: ignore[arg-type]


def pattern(cycle: Sequence[float]) -> np.ndarray:
    """A repeating pattern with a cycle that is not a year's, so it is not seasonal."""
    return np.array([cycle[i % len(cycle)] for i in range(N)], dtype=float)


# --- a. seasonal counts with no real change -------------------------------------------


def seasonal_counts() -> np.ndarray:
    """1000 x (1 + 0.3 sin(2 pi month / 12)) plus small fixed noise: a summer-winter swing."""
    rng = np.random.default_rng(1)
    month = np.array([p.month for p in MONTHS])
    return np.round(1000 * (1 + 0.3 * np.sin(2 * np.pi * month / 12)) + rng.normal(0, 10, N))


@pytest.fixture()
def seasonal(tmp_path: Path) -> pd.DataFrame:
    values = seasonal_counts()
    measures = [
        {"measure_id": "calls", "measure_name": "Seasonal calls"},
        {"measure_id": "calls-raw", "measure_name": "Seasonal calls", "seasonal": "no"},
    ]
    return judge(write_dataset(tmp_path, measures, {"calls": values, "calls-raw": values}))


def test_a_seasonal_pattern_alone_is_not_a_signal(seasonal):
    values = seasonal_counts()
    row = seasonal.loc["calls"]
    assert bool(row["spc_seasonal"]) is True
    assert row["spc_status"] == "assessed"
    assert row["spc_variation"] == "common_cause"
    assert (row["spc"].points["point_type"] == "common_cause").all()
    assert "seasonally adjusted for SPC" in row["quality"]
    assert "the figures are seasonally adjusted" in row["spc_note"]
    # Like for like: July to September 2026 against July to September 2025.
    current = sum(window(values, "2026-07", "2026-09"))
    before = sum(window(values, "2025-07", "2025-09"))
    assert row["comparison_basis"] == "same quarter last year"
    assert (row["current_label"], row["last_year_label"]) == ("2026/27 Q2", "2025/26 Q2")
    assert row["current"] == current and row["comparison_value"] == before
    assert row["change_value"] == pytest.approx((current - before) / before * 100)
    # No target and no real change: Green on the evidence, never Red.
    assert (row["rag"], row["rag_basis"]) == ("Green", "evidence")
    assert row["assessment"] == "stable"


def test_a_without_seasonal_adjustment_the_baseline_is_not_stable(seasonal):
    # Unadjusted, the seasonal swing runs through the baseline itself: its own limits
    # flag the summer and the winter, so it cannot set limits and SPC is withheld (before,
    # the September low was read as a "real fall").
    adjusted, raw = seasonal.loc["calls"], seasonal.loc["calls-raw"]
    assert bool(raw["spc_seasonal"]) is False
    assert "seasonally adjusted" not in raw["quality"]
    assert raw["spc_status"] == "unstable baseline"
    # Still charted, as a run chart with no limits to signal against.
    assert raw["spc"] is not None and not raw["spc"].has_limits
    assert pd.isna(raw["spc_variation"])
    assert "is not stable" in raw["spc_withheld"]
    assert "baseline not stable, SPC withheld" in raw["quality"]
    # The same figures, the same like-for-like change: only the SPC verdict differs.
    assert raw["change"] == adjusted["change"] and raw["current"] == adjusted["current"]
    # With SPC withheld and no target, the tests alone do not rate it (#26): Grey.
    assert adjusted["rag"] == "Green"
    assert raw["rag"] == "Grey" and raw["rag_reason"].startswith("no SPC verdict")


# --- b. an untargeted harm that doubles ------------------------------------------------


def doubling_harm(missing: Sequence[str] = ()) -> list[float | None]:
    """About 10 a month (fixed Poisson draws), doubling from October 2025."""
    rng = np.random.default_rng(0)
    values: list[float | None] = [float(v) for v in rng.poisson(10, N)]
    values[AT["2025-10"] :] = [float(v) for v in rng.poisson(20, N - AT["2025-10"])]
    for month in missing:
        values[AT[month]] = None
    return values


def steady_satisfaction() -> list[float]:
    rng = np.random.default_rng(0)
    rng.poisson(10, N)  # the same stream as doubling_harm, so the figures are fixed
    rng.poisson(20, N - AT["2025-10"])
    return [float(v) for v in 85 + rng.integers(-1, 2, N)]


HARM_MEASURES = [
    {"measure_id": "harm", "measure_name": "Serious harm"},
    {
        "measure_id": "satisfaction",
        "measure_name": "Victim satisfaction",
        "unit": "percent",
        "good_direction": "higher",
        "aggregation": "mean",
        "target": "80",
    },
]


@pytest.fixture()
def harm(tmp_path: Path) -> StrategySummary:
    values = {"harm": doubling_harm(), "satisfaction": steady_satisfaction()}
    return summarise_strategy(write_dataset(tmp_path, HARM_MEASURES, values), "alpha", PERIOD_END)


def test_b_an_untargeted_harm_that_doubles_is_red(harm):
    rows = harm.measures.set_index("measure_id")
    row = rows.loc["harm"]
    values = doubling_harm()
    assert bool(row["spc_seasonal"]) is False
    assert row["target_basis"] == "" and pd.isna(row["target"])
    assert row["spc_variation"] == "special_cause_concern"
    assert (row["rag"], row["rag_basis"]) == ("Red", "evidence")
    assert row["judgement"] == "deteriorated" and row["change_evidence"] == "beyond chance"
    assert row["worsening"] == "real" and row["rag_reason"].startswith("harm rule: rose beyond")
    assert row["current"] == sum(window(values, "2026-07", "2026-09"))
    assert row["last_year"] == sum(window(values, "2025-07", "2025-09"))
    assert row["assessment"] == "needs attention"
    assert row["sentence"].startswith("Up ")
    worse = (
        "worse than the chart's reference period (August 2023 to March 2025) by more than chance"
    )
    assert worse in row["sentence"]
    assert row["sentence"].endswith(
        "; no target; rated Red for a real rise on the same quarter last year (+109.4%, "
        "beyond chance)."
    )
    other = rows.loc["satisfaction"]
    assert (other["rag"], other["rag_basis"]) == ("Green", "target")


def test_b_the_harm_keeps_its_strategy_from_green(harm):
    assert harm.overall_rag == "Red"
    assert harm.overall_explanation == (
        "Red: the worst of 2 rated headline measures (1 Green, 1 Red), driven by Serious "
        "harm (a real deterioration, with no target)."
    )


def test_b_a_missing_month_does_not_hide_a_real_deterioration(tmp_path):
    values = doubling_harm(missing=["2026-08"])
    values[AT["2026-09"]] = 30.0  # far above the baseline's upper limit
    data = write_dataset(
        tmp_path, HARM_MEASURES, {"harm": values, "satisfaction": steady_satisfaction()}
    )
    summary = summarise_strategy(data, "alpha", PERIOD_END)
    row = summary.measures.set_index("measure_id").loc["harm"]
    assert row["spc_variation"] == "special_cause_concern"
    assert "worse than the chart's reference period" in row["sentence"]
    assert summary.overall_rag != "Green"


# --- c. a step change after the baseline ------------------------------------------------


STEP_CYCLE = (100.0, 103.0, 98.0, 101.0, 97.0)


def stepped() -> np.ndarray:
    values = pattern(STEP_CYCLE)
    values[AT["2025-10"] :] -= 20  # a real improvement from October 2025
    return values


def test_c_a_step_after_the_baseline_is_judged_on_the_baseline_limits(tmp_path):
    values = stepped()
    row = judge(write_dataset(tmp_path, [{"measure_id": "step"}], {"step": values})).loc["step"]
    # The baseline year (12 months) and the 8 months before it: 20 points.
    assert (row["spc_limits_from"], row["spc_limits_to"]) == ("2023-08", "2025-03")
    assert row["spc_note"] == "limits set from August 2023 to March 2025"
    points = row["spc"].points
    assert points.index[0] == pd.Timestamp("2023-08-01")
    assert points.index[-1] == pd.Timestamp("2026-09-01")
    before, after = points.loc[:"2025-09-01"], points.loc["2025-10-01":]
    assert (before["point_type"] == "common_cause").all()
    assert len(after) == 12 and (after["point_type"] == "special_cause_improvement").all()
    # The limits are the baseline's, carried forward unchanged past the step.
    baseline = np.array(window(values, "2023-08", "2025-03"))
    mean = baseline.mean()
    upper = mean + 2.66 * np.abs(np.diff(baseline)).mean()
    assert points["upl"].nunique() == 1 and points["mean"].nunique() == 1
    assert before["upl"].iloc[0] == after["upl"].iloc[-1]
    assert points["upl"].iloc[0] == pytest.approx(upper)
    assert points["mean"].iloc[0] == pytest.approx(mean)
    assert row["spc_variation"] == "special_cause_improvement"
    assert (row["rag"], row["rag_basis"], row["judgement"]) == ("Green", "evidence", "improved")
    assert row["assessment"] == "improving"


def test_c_the_limits_period_shown_is_the_one_that_set_the_limits(tmp_path):
    quarters = pd.period_range("2023-04", "2026-07", freq="3M")
    cycle = (103.0, 95.0, 96.0, 97.0, 96.0, 103.0, 104.0, 101.0, 95.0)
    values = {f"{q:%Y-%m}": cycle[i % len(cycle)] for i, q in enumerate(quarters)}
    values[f"{quarters[-1]:%Y-%m}"] = 100.0
    measures = [{"measure_id": "quarterly", "frequency": "quarterly"}]
    row = judge(write_dataset(tmp_path, measures, {"quarterly": values})).loc["quarterly"]
    assert row["spc_status"] == "assessed"
    points = row["spc"].points
    first = pd.Timestamp(row["spc_limits_from"] + "-01")
    last = pd.Period(row["spc_limits_to"], "M").start_time
    shown = points.loc[(points.index >= first) & (points.index <= last), "value"]
    assert points["mean"].iloc[0] == pytest.approx(shown.mean())


# --- d. dated targets: ahead of and behind the trajectory --------------------------------


TRAJECTORY_CYCLE = (100.0, 103.0, 98.0, 101.0, 97.0, 101.0)


def falling_fast() -> np.ndarray:
    """Level until March 2025, then falling by 25 a month over the 18 months to September."""
    values = pattern(TRAJECTORY_CYCLE)
    start = AT["2025-04"]
    values[start:] -= 25 * np.arange(1, N - start + 1) / (N - start)
    return np.round(values)


@pytest.fixture()
def targets(tmp_path: Path) -> pd.DataFrame:
    measures = [
        {"measure_id": "fast", "target": "70", "target_date": "2029-03"},
        {"measure_id": "flat", "target": "70", "target_date": "2029-03"},
        {"measure_id": "due", "target": "70", "target_date": "2026-03"},
    ]
    flat = pattern(TRAJECTORY_CYCLE)
    values = {"fast": falling_fast(), "flat": flat, "due": flat}
    return judge(write_dataset(tmp_path, measures, values))


def expected_trajectory(values: Sequence[float], target: float = 70.0) -> float:
    """The straight line from the baseline year's monthly average (at March 2025) to the
    target (at March 2029), at September 2026, for a quarter: 3 months of it."""
    baseline = float(np.mean(window(values, "2024-04", "2025-03")))
    months_gone, months_in_all = 18, 48  # March 2025 to September 2026; to March 2029
    return 3 * (baseline + (target - baseline) * months_gone / months_in_all)


def test_d_ahead_of_the_trajectory_is_green(targets):
    row = targets.loc["fast"]
    expected = expected_trajectory(falling_fast())
    assert expected == pytest.approx(266.25)
    assert row["target_for_period"] == pytest.approx(expected)
    assert row["target_per_period"] == pytest.approx(expected / 3)
    assert (row["target_basis"], row["target_date"], row["target_final"]) == (
        "trajectory",
        "2029-03",
        70.0,
    )
    assert row["current"] == sum(window(falling_fast(), "2026-07", "2026-09"))
    assert row["current"] < expected
    assert (row["rag"], row["rag_basis"]) == ("Green", "trajectory")
    assert row["sentence"].endswith("; on track for the March 2029 target (expected 266 by now).")


def test_d_flat_is_behind_the_trajectory(targets):
    row = targets.loc["flat"]
    expected = expected_trajectory(pattern(TRAJECTORY_CYCLE))
    assert row["target_for_period"] == pytest.approx(expected)
    # 299 against 266.25: missed by more than 5% of the trajectory's figure.
    assert row["current"] == 299.0 and row["current"] - expected > 0.05 * expected
    assert (row["rag"], row["rag_basis"]) == ("Red", "trajectory")
    assert row["assessment"] == "needs attention"
    assert row["sentence"].endswith(
        "; behind the trajectory to the March 2029 target (expected 266 by now)."
    )


def test_d_a_target_whose_date_has_passed_applies_in_full(targets):
    row = targets.loc["due"]
    assert row["target_for_period"] == pytest.approx(3 * 70.0)
    assert (row["target_basis"], row["target_date"]) == ("target", "2026-03")
    assert (row["rag"], row["rag_basis"]) == ("Red", "target")
    # The record says how often the target was met: never, not "in some periods".
    assert row["target_record"] == ("consistently missed: every month (38 of 38) since August 2023")
    assert row["sentence"].endswith(
        "; target missed (210); consistently missed: every month (38 of 38) since August 2023."
    )


# --- e. a year-to-date figure --------------------------------------------------------------


def year_to_date(per_month: float = 10_000.0, growth: float = 0.1) -> list[float]:
    """A variance to date: k months into the financial year it is k x the year's rate."""
    values = []
    for month in MONTHS:
        year = month.year if month.month >= 4 else month.year - 1
        months_in = (month.month - 4) % 12 + 1
        values.append(months_in * per_month * (1 + growth * (year - 2020)))
    return values


def crossing_zero() -> list[float]:
    """An underspend to date in 2025/26 that becomes an overspend in 2026/27."""
    values = year_to_date(5_000.0, 0.0)
    in_2025_26 = [("2025-04" <= str(m) <= "2026-03") for m in MONTHS]
    return [-v if flip else v for v, flip in zip(values, in_2025_26, strict=True)]


@pytest.fixture()
def to_date(tmp_path: Path) -> pd.DataFrame:
    measures = [
        {"measure_id": m, "unit": "gbp", "aggregation": "last", "good_direction": "neutral"}
        for m in ("variance", "swing")
    ]
    return judge(
        write_dataset(tmp_path, measures, {"variance": year_to_date(), "swing": crossing_zero()})
    )


def test_e_a_year_to_date_figure_is_its_last_month(to_date):
    values = year_to_date()
    row = to_date.loc["variance"]
    september = values[AT["2026-09"]]
    assert september == 6 * 10_000.0 * 1.6
    assert row["current"] == september
    assert row["current"] != pytest.approx(np.mean(window(values, "2026-07", "2026-09")))
    assert row["last_year"] == values[AT["2025-09"]] == 6 * 10_000.0 * 1.5
    assert (row["current_label"], row["last_year_label"]) == ("2026/27 Q2", "2025/26 Q2")
    assert (row["year_ending"], row["previous_year"]) == (september, values[AT["2025-09"]])
    # One baseline per measure: a figure read at its last month takes the baseline
    # year's end (its outturn), the figure the annual evaluation uses too.
    assert row["baseline"] == values[AT["2025-03"]]
    assert row["baseline_label"] == "March 2025 (2024/25)"
    assert row["change"] == "+6.7%"
    assert row["sentence"].startswith(
        "Up 6.7% on the same quarter last year (£96,000 against £90,000)"
    )


def test_e_a_variance_that_crosses_zero_shows_the_difference(to_date):
    row = to_date.loc["swing"]
    assert (row["current"], row["last_year"]) == (30_000.0, -30_000.0)
    assert row["change"] == "+£60,000"
    assert row["change_value"] is None or pd.isna(row["change_value"])
    assert row["direction"] == "up"
    assert row["sentence"].startswith(
        "Up £60,000 on the same quarter last year (£30,000 against −£30,000)"
    )


# --- f. a measure with no good direction ----------------------------------------------------


def test_f_a_neutral_measure_is_reported_as_a_trend(tmp_path):
    rising = np.round(pattern(TRAJECTORY_CYCLE) * np.linspace(1.0, 1.2, N))
    measures = [
        {"measure_id": "calls", "measure_name": "Calls for service", "good_direction": "neutral"},
        {"measure_id": "step", "measure_name": "Offences"},
    ]
    data = write_dataset(tmp_path, measures, {"calls": rising, "step": stepped()})
    summary = summarise_strategy(data, "alpha", PERIOD_END)
    row = summary.measures.set_index("measure_id").loc["calls"]
    assert row["current"] == sum(window(rising, "2026-07", "2026-09"))
    assert row["direction"] == "up"
    # A measure with no good direction is still tested: a rise within noise is no evidence
    # of change, a possible one "possible change", and only a change beyond chance is
    # reported as a trend.
    grade = {"beyond chance": "no good direction", "possible change": "possible change"}
    assert row["judgement"] == grade.get(row["change_evidence"], "no evidence of change")
    assert row["since_baseline_judgement"] == grade.get(
        row["since_baseline_evidence"], "no evidence of change"
    )
    assert (row["rag"], row["rag_basis"]) == ("Grey", "none")
    # A steady 20% rise runs through the baseline itself: no stable period sets limits.
    assert row["spc_status"] == "unstable baseline"
    assert "straight-line trend" in row["spc_withheld"]
    assert row["assessment"] == "no good direction"
    assert "no good direction" in row["sentence"]
    assert row["sentence"].endswith(
        "; no good direction set, so the change is reported as a trend, not judged."
    )
    # Left out of the roll-up, and named as left out: one rated headline measure of two
    # is too little to rate the strategy (review 7, F12).
    assert summary.overall_rag == "Grey"
    assert summary.overall_explanation.startswith("Grey: too little rated to rate the strategy")
    assert summary.overall_explanation.endswith(
        " Not rated: Calls for service (no good direction, reported as a trend)."
    )


# --- g. coherence over the shipped sample ---------------------------------------------------


@pytest.fixture(scope="module")
def sample_summaries(data_dir: Path) -> list[StrategySummary]:
    sample = load_dataset(data_dir)
    return [summarise_strategy(sample, s, PERIOD_END) for s in sample.strategies["strategy_id"]]


@pytest.fixture(scope="module")
def sample_rows(sample_summaries) -> pd.DataFrame:
    return pd.concat([s.measures for s in sample_summaries], ignore_index=True)


FIRST_WORDS = {"up": "Up", "down": "Down", "no change": "Unchanged"}


def test_g_every_sentence_starts_with_the_direction(sample_rows):
    assert len(sample_rows) > 50
    for r in sample_rows.to_dict("records"):
        first = r["sentence"].split(" ", 1)[0]
        if r["direction"] in FIRST_WORDS:
            assert first == FIRST_WORDS[r["direction"]], (r["measure_id"], r["sentence"])
        else:
            assert first not in FIRST_WORDS.values(), (r["measure_id"], r["sentence"])


def test_g_only_untargeted_measures_are_rated_on_spc(sample_rows):
    targeted = sample_rows["target_final"].notna()
    assert targeted.any() and (~targeted).any()
    assert not (targeted & (sample_rows["rag_basis"] == "spc")).any()
    assert not (~targeted & sample_rows["rag_basis"].isin(["target", "trajectory"])).any()
    # A target the baseline year already met asks for no improvement: the measure is
    # rated as one with no target would be (docs/methodology.md), and says so.
    asks_nothing = sample_rows["rag_rule"] == "target_asks_nothing"
    assert asks_nothing.any()
    assert not (asks_nothing & sample_rows["rag_basis"].isin(["target", "trajectory"])).any()
    # A share short of its target while its latest outcomes are open is not rated on it
    # yet (review 9, R9-20): Grey on no basis, saying so.
    outcomes_open = sample_rows["rag_rule"] == "outcomes_open"
    assert set(sample_rows.loc[outcomes_open, "rag"]) <= {"Grey"}
    assert not (outcomes_open & ~targeted).any()
    assert set(
        sample_rows.loc[
            targeted & sample_rows["has_data"] & ~asks_nothing & ~outcomes_open, "rag_basis"
        ]
    ) <= {
        "target",
        "trajectory",
    }


def test_g_no_green_strategy_has_a_headline_concern(sample_summaries):
    # Since a strategy needs two rated headline measures (review 7, F12), the sample may
    # have no Green strategy; any it has must hold no headline concern.
    greens = [s for s in sample_summaries if s.overall_rag == "Green"]
    for summary in greens:
        headline = summary.measures[summary.measures["tier"] == "headline"]
        assert not (headline["spc_variation"] == "special_cause_concern").any(), summary.strategy_id


def test_g_the_overall_rating_is_the_worst_rated_headline_measure(sample_summaries):
    order = ["Green", "Amber", "Red"]
    for summary in sample_summaries:
        headline = summary.measures[summary.measures["tier"] == "headline"]
        rated = [r for r in headline["rag"] if r != "Grey"]
        worst = max(rated, key=order.index) if rated else "Grey"
        # Too few rated (fewer than two, or under half): Grey, unless the worst is Red,
        # which no rating of the rest could raise (review 7, F12).
        few = len(rated) < len(headline) and (len(rated) < 2 or 2 * len(rated) < len(headline))
        expected = "Grey" if few and worst != "Red" else worst
        assert summary.overall_rag == expected, summary.strategy_id
        assert bool(summary.rating_scope) == (few and bool(rated)), summary.strategy_id


def test_g_a_real_improvement_is_never_red_on_the_evidence(sample_rows):
    conflict = sample_rows[
        (sample_rows["judgement"] == "improved")
        & (sample_rows["rag"] == "Red")
        & (sample_rows["rag_basis"] == "evidence")
        & (sample_rows["spc_variation"] != "special_cause_concern")
    ]
    assert conflict.empty, list(conflict["measure_id"])


def test_g_a_fall_within_noise_does_not_soften_a_real_deterioration(tmp_path):
    values = pattern(STEP_CYCLE)
    values[AT["2025-04"] :] += 30  # a jump a year and a half ago ...
    values[AT["2026-07"] :] -= 3  # ... and a small fall on the same quarter last year
    row = judge(write_dataset(tmp_path, [{"measure_id": "jump"}], {"jump": values})).loc["jump"]
    # The fall of 3% is within the series' noise: not "improved", and not a reason to
    # call a measure still worse than its stable baseline "recovering" (Amber).
    assert row["direction"] == "down" and row["judgement"] == "no evidence of change"
    assert row["spc_variation"] == "special_cause_concern"
    assert (row["rag"], row["rag_basis"]) == ("Red", "evidence")
    assert row["rag_reason"].startswith("harm rule:")


def test_g_every_code_is_from_its_vocabulary(sample_rows):
    assert set(sample_rows["judgement"]) <= set(JUDGEMENTS)
    assert set(sample_rows["since_baseline_judgement"]) <= set(JUDGEMENTS)
    assert set(sample_rows["comparison_basis"]) <= set(COMPARISON_BASES)
    assert set(sample_rows["spc_status"]) <= set(SPC_STATUSES)
    assert set(sample_rows["assessment"]) <= set(ASSESSMENTS)
    assert set(sample_rows["rag_basis"]) <= {"target", "trajectory", "evidence", "none"}
    annual = sample_rows["frequency"] == "annual"
    assert annual.any()
    assert (sample_rows.loc[annual, "comparison_basis"] == "previous year").all()
    assert (sample_rows.loc[~annual, "comparison_basis"] == "same quarter last year").all()


def test_g_the_limits_period_shown_set_the_limits(sample_rows):
    checked = 0
    for r in sample_rows.to_dict("records"):
        if r["spc_status"] != "assessed" or r["spc"].points["section"].nunique() != 1:
            continue
        points = r["spc"].points
        first = pd.Timestamp(r["spc_limits_from"] + "-01")
        last = pd.Timestamp(r["spc_limits_to"] + "-01")
        inside = points.loc[(points.index >= first) & (points.index <= last), "value"]
        assert points["mean"].iloc[0] == pytest.approx(inside.mean()), r["measure_id"]
        checked += 1
    # Fewer charts give a verdict since a limits period must be stable by the chart's own
    # rules (#26); every one that does is checked.
    assert checked > 25


# --- h. projected delivery ------------------------------------------------------------------


COMMITMENTS = [
    ("complete", "2025-09-30"),
    ("complete", "2026-03-31"),
    ("on track", "2027-03-31"),
    ("at risk", "2026-12-31"),
    ("not started", "2026-06-30"),  # overdue: counted against delivery
    ("not started", "2026-09-30"),  # due at the end of the period: counted
    ("not started", "2027-03-31"),  # not yet due
    ("not started", "2028-03-31"),  # not yet due
]


def test_h_commitments_not_yet_due_do_not_lower_delivery(tmp_path):
    commitments = [
        {
            "commitment_id": f"c{i}",
            "strategy_id": "alpha",
            "commitment": f"Commitment {i}",
            "status": status,
            "due_date": due,
            "owner": "Owner",
        }
        for i, (status, due) in enumerate(COMMITMENTS, start=1)
    ]
    data = write_dataset(
        tmp_path, [{"measure_id": "step"}], {"step": stepped()}, commitments=commitments
    )
    delivery = summarise_strategy(data, "alpha", PERIOD_END).delivery
    # Six counted, three of them complete or on track: 50%, not 3 of 8 (37.5%).
    assert delivery.percent == pytest.approx(50.0)
    assert delivery.rating == "Amber"
    naive = delivery_confidence([s for s, _ in COMMITMENTS], DELIVERY_THRESHOLDS)
    assert (naive.percent, naive.rating) == (37.5, "Amber/Red")
    assert delivery.counts["not yet due"] == 2
    # The two not started and due by the period's end are overdue, said as such.
    assert delivery.counts["overdue"] == 2 and delivery.overdue == 2
    assert delivery.counts["not started"] == 0
    assert sum(delivery.counts[s] for s in ("complete", "on track", "at risk")) == 4
    assert (delivery.total, delivery.counted, delivery.delivered) == (8, 6, 3)
    assert delivery.explanation.endswith(
        " 2 commitments are not yet due and not started, so not counted."
    )
    assert delivery.explanation.startswith("Amber: 3 of 6 commitments (50%)")
    # Once every one is due, all eight count.
    later = assess_delivery(data.commitments, "2028-03")
    # ... and the "on track" one due in March 2027 is then overdue, so not delivered.
    assert later.counts["not yet due"] == 0 and later.percent == pytest.approx(25.0)
    assert later.overdue == 6 and later.rating == "Amber/Red"


def test_a_public_judgements_file_withholds_the_risk_rating(sample: Dataset) -> None:
    # Review 9, R9-19: the public files gave violence-and-vulnerability's risk_rag "Grey"
    # ("nothing to rate") where the Board's gave a rating. Withheld is empty, never a
    # rating. Their high risks have no earlier score on file: Amber, not new (review 13).
    from pcplib.assessment.judgements import tabulate_judgements

    board = tabulate_judgements(
        [summarise_strategy(sample, s, "2026-09") for s in ("violence-and-vulnerability", "vawg")],
        "board",
    )
    assert set(board.loc[board["measure_id"] == "overall", "risk_rag"]) == {"Amber"}
    public = tabulate_judgements(
        [
            summarise_strategy(sample, s, "2026-09", audience="public")
            for s in sample.strategies["strategy_id"]
        ],
        "public-quarterly",
    )
    overall = public[public["measure_id"] == "overall"]
    assert len(overall) == len(sample.strategies)
    assert set(overall["risk_rag"]) == {""}
    # Delivery rests on the plan's commitments, which are public: given, as for the Board.
    assert set(overall["delivery_rag"]) <= {"Green", "Amber/Green", "Amber", "Amber/Red", "Red"}
