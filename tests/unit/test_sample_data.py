"""Tests of pcplib.data.sample: reproducibility and the features the sample must contain."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pcplib.assessment.evidence import is_administrative
from pcplib.data import Dataset, load_dataset
from pcplib.data.framework_files import MEASURES
from pcplib.data.sample import SEED, list_periods, main, write_sample

TODAY = dt.date(2026, 11, 23)
SAMPLE_FILES = [
    "dataset.yaml",
    "framework/missions.csv",
    "framework/strategies.csv",
    "framework/measures.csv",
    "framework/areas.csv",
    "observations/observations.csv",
    "commitments/commitments.csv",
    "narrative/narrative.csv",
    "returns/risks.csv",
    "returns/actions.csv",
]


@pytest.fixture(scope="module")
def dataset(data_dir: Path) -> Dataset:
    return load_dataset(data_dir, today=TODAY)


def test_generator_reproduces_committed_sample(tmp_path: Path, data_dir: Path) -> None:
    written = write_sample(tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == sorted(SAMPLE_FILES)
    for relative in SAMPLE_FILES:
        assert (tmp_path / relative).read_bytes() == (data_dir / relative).read_bytes(), relative


def test_command_line_writes_and_another_seed_differs(
    tmp_path: Path, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="pcplib.data.sample"):
        assert main([str(tmp_path / "a"), "--seed", str(SEED + 1)]) == 0
    assert f"wrote {tmp_path / 'a' / 'dataset.yaml'}" in caplog.messages
    other = (tmp_path / "a/observations/observations.csv").read_bytes()
    assert other != (data_dir / "observations/observations.csv").read_bytes()
    framework = (tmp_path / "a/framework/measures.csv").read_bytes()
    assert framework == (data_dir / "framework/measures.csv").read_bytes()


def test_files_are_small_with_unix_line_endings(data_dir: Path) -> None:
    total = sum((data_dir / relative).stat().st_size for relative in SAMPLE_FILES)
    assert total < 1_000_000
    for relative in SAMPLE_FILES:
        assert b"\r\n" not in (data_dir / relative).read_bytes()


def test_dataset_yaml_labels_sample_illustrative(dataset: Dataset) -> None:
    assert dataset.illustrative is True
    assert dataset.description.startswith("Illustrative sample data")


def test_list_periods() -> None:
    months, quarters, years = (list_periods(f) for f in ("monthly", "quarterly", "annual"))
    assert (months[0], months[-1]) == (
        (dt.date(2020, 4, 1), dt.date(2020, 4, 30)),
        (dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
    )
    assert len(months) == 78 and len(quarters) == 26 and len(years) == 6
    assert quarters[-1] == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert years[-1] == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    with pytest.raises(ValueError, match="expected monthly, quarterly or annual"):
        list_periods("weekly")


def test_framework_shape(dataset: Dataset) -> None:
    assert len(dataset.missions) == 3
    assert len(dataset.strategies) == 13
    tiers = dataset.measures.groupby("strategy_id")["tier"].value_counts().unstack(fill_value=0)
    assert (tiers["headline"] >= 2).all() and (tiers["sub"] >= 2).all()
    assert len(dataset.measures) >= 52
    measures = dataset.measures
    assert set(measures["unit"]) == {
        "count",
        "percent",
        "rate_per_1000",
        "gbp",
        "hours",
        "days",
        "score",
        "kwh",
        "tonnes",
    }
    assert set(measures["good_direction"]) == {"higher", "lower", "neutral"}
    # Counts of events add up over a quarter; levels and rates are averaged; stocks,
    # year-to-date and rolling figures take their last period.
    aggregation = measures.set_index("measure_id")["aggregation"]
    assert set(aggregation) == {"sum", "mean", "last"}
    assert aggregation["nc-neighbourhood-crime"] == "sum"
    assert aggregation["estate-energy-kwh"] == "sum"
    for stock in ("wf-officer-headcount", "np-officers", "res-budget-variance", "np-confidence"):
        assert aggregation[stock] == "last", stock
    assert aggregation["cj-file-quality"] == "mean"
    units = measures.set_index("measure_id")["unit"]
    assert (aggregation[units.isin(["percent", "rate_per_1000", "days", "score"])] != "sum").all()
    assert set(measures["frequency"]) == {"monthly", "quarterly", "annual"}
    assert (measures["frequency"] == "annual").sum() >= 2
    assert (measures["national_measure"] != "").sum() >= 5
    assert (measures["vrn_measure"] != "").sum() >= 3
    assert (measures["baseline_year"] == "2024/25").all()
    for column in ("force_senior_owner", "force_spoc", "opcc_senior_owner", "opcc_spoc"):
        assert dataset.strategies[column].str.endswith("(illustrative)").all()


def test_every_headcount_in_post_is_a_stock_counted_in_full(dataset: Dataset) -> None:
    # Special constables and police staff "in post at the quarter end" were averaged over
    # the year (84.5 constables) and tested as if sampled, while officers in post from the
    # same HR system were counted in full: a figure at the period end is a stock.
    measures = dataset.measures
    in_post = measures[measures["definition"].str.contains("in post", case=False)]
    assert {"wf-officer-headcount", "wf-staff-fte", "wf-specials"} <= set(in_post["measure_id"])
    for m in in_post.to_dict("records"):
        assert m["aggregation"] == "last", m["measure_id"]
        assert is_administrative(m), m["measure_id"]


def test_restricted_measures(dataset: Dataset) -> None:
    restricted = dataset.measures[dataset.measures["visibility"] == "restricted"]
    assert {"wf-staff-satisfaction", "np-abstraction-hours"} <= set(restricted["measure_id"])
    observed = set(dataset.observations["measure_id"])
    assert set(restricted["measure_id"]) <= observed


def test_every_measure_has_its_periods(dataset: Dataset) -> None:
    counts = dataset.observations.groupby("measure_id").size()
    expected = dataset.measures.set_index("measure_id")["frequency"].map(
        {"monthly": 78, "quarterly": 26, "annual": 6}
    )
    pd.testing.assert_series_equal(counts.sort_index(), expected.sort_index(), check_names=False)
    assert set(dataset.observations["area"]) == {"LLR"}
    assert (dataset.observations["source"] != "").all()
    assert (dataset.observations["extracted_on"] > dataset.observations["period_end"]).all()


def test_redefined_measure(dataset: Dataset) -> None:
    measure = dataset.measures.set_index("measure_id").loc["vv-knife-violence"]
    assert measure["definition_from"] == pd.Timestamp("2025-04-01")
    assert measure["previous_definition"]
    series = dataset.series("vv-knife-violence")
    before = series["period_start"] < pd.Timestamp("2025-04-01")
    assert (series.loc[before, "definition"] == "previous").all()
    assert (series.loc[~before, "definition"] == "current").all()
    others = dataset.observations[dataset.observations["measure_id"] != "vv-knife-violence"]
    assert (others["definition"] == "current").all()


def test_missing_values_and_provisional_months(dataset: Dataset) -> None:
    obs = dataset.observations
    gaps = obs[obs["value"].isna()]
    assert set(gaps["measure_id"]) == {"nc-asb-incidents", "rural-offences"}
    assert len(gaps) == 3
    shoplifting = dataset.series("bc-shoplifting")
    assert list(shoplifting["status"].tail(4)) == [
        "final",
        "provisional",
        "provisional",
        "provisional",
    ]
    assert (
        obs.loc[obs["status"] == "provisional", "period_end"] >= pd.Timestamp("2026-07-31")
    ).all()


def test_one_extract_one_status_for_each_month(dataset: Dataset) -> None:
    # Crimes recorded in the last weeks of a quarter are still being reclassified, so
    # every series of the crime system's October extract is provisional for July to
    # September 2026, the four that were once final among them.
    obs = dataset.observations
    keys = ["source", "extracted_on", "period_start"]
    statuses = obs.groupby(keys)["status"].nunique()
    assert (statuses == 1).all(), statuses[statuses > 1]
    recent = obs[obs["period_start"] >= pd.Timestamp("2026-07-01")]
    for measure in ("bc-business-robbery", "bc-shopworker-assaults", "rural-machinery-theft"):
        assert list(recent.loc[recent["measure_id"] == measure, "status"]) == ["provisional"] * 3


def test_officers_declaring_ethnicity_are_some_of_the_officers_in_post(dataset: Dataset) -> None:
    share = dataset.series("wf-minority-officers").set_index("period_end")
    heads = dataset.series("wf-officer-headcount").set_index("period_end")["value"]
    declared = share["denominator"] / heads.reindex(share.index)
    assert len(declared) == 26 and declared.notna().all()
    # A realistic declaration rate: nearly all officers, never more than are in post.
    assert declared.between(0.96, 0.98).all()
    assert share.loc[pd.Timestamp("2026-09-30"), "denominator"] == 2261
    assert heads[pd.Timestamp("2026-09-30")] == 2331


def test_numerators_and_denominators_agree_with_values(dataset: Dataset) -> None:
    obs = dataset.observations.merge(dataset.measures[["measure_id", "unit"]], on="measure_id")
    ratio = obs[obs["unit"].isin(["percent", "rate_per_1000"])].dropna(subset=["value"])
    assert ratio["numerator"].notna().all() and ratio["denominator"].notna().all()
    scale = np.where(ratio["unit"] == "percent", 100.0, 1000.0)
    recomputed = ratio["numerator"] / ratio["denominator"] * scale
    assert np.allclose(ratio["value"], recomputed, atol=0.051)
    assert (ratio["numerator"] <= ratio["denominator"]).all()


def test_shoplifting_shift_and_energy_trend(dataset: Dataset) -> None:
    shop = dataset.series("bc-shoplifting").set_index("period_start")["value"]
    assert shop["2023-07":].mean() > 1.3 * shop[:"2022-12"].mean()
    assert 500 < shop["2025-04":].mean() < 700
    energy = dataset.series("estate-energy-kwh").set_index("period_start")["value"]
    yearly = energy.groupby(energy.index.year).mean()
    assert yearly.loc[2025] < yearly.loc[2021]


def test_limits_recalculated_only_at_steps_with_a_known_cause(dataset: Dataset) -> None:
    steps = {m.row["measure_id"]: {d for d, _ in m.gen.steps} for m in MEASURES}
    recalculated = dataset.measures[dataset.measures["spc_recalculate_from"] != ""]
    assert set(recalculated["measure_id"]) == {"np-officers", "estate-front-counter-hours"}
    for row in recalculated.to_dict("records"):
        dates = {dt.date.fromisoformat(d) for d in row["spc_recalculate_from"].split(";")}
        assert dates <= steps[row["measure_id"]]
        assert row["spc_recalculate_note"]
    # Sustained shifts left as signals for the reports to find.
    stepped = {m for m, d in steps.items() if d}
    assert {"bc-shoplifting", "rural-machinery-theft"} <= stepped
    assert "bc-shoplifting" not in set(recalculated["measure_id"])


def test_scale_is_realistic(dataset: Dataset) -> None:
    latest_year = dataset.observations[
        dataset.observations["period_start"] >= pd.Timestamp("2025-10-01")
    ]
    means = latest_year.groupby("measure_id")["value"].mean()
    assert 8_500 < means["nc-total-crime"] < 10_500
    assert 1_500 < means["vawg-da-crimes"] < 2_000
    assert 20 < means["rs-ksi"] < 40
    assert 2_200 < means["wf-officer-headcount"] < 2_400


def test_targets_met_and_missed(dataset: Dataset) -> None:
    measures = dataset.measures.dropna(subset=["target"]).set_index("measure_id")
    latest = dataset.observations.dropna(subset=["value"]).groupby("measure_id").last()["value"]
    outcomes = set()
    for measure_id, row in measures.iterrows():
        value = latest[measure_id]
        if row["good_direction"] == "higher":
            outcomes.add(value >= row["target"])
        elif row["good_direction"] == "lower":
            outcomes.add(value <= row["target"])
    assert outcomes == {True, False}


def test_commitments(dataset: Dataset) -> None:
    per_strategy = dataset.commitments.groupby("strategy_id").size()
    assert len(per_strategy) == 13
    assert per_strategy.between(4, 8).all()
    assert set(dataset.commitments["status"]) == {
        "complete",
        "on track",
        "at risk",
        "off track",
        "not started",
    }
    assert dataset.commitments["due_date"].max() <= pd.Timestamp("2029-03-31")
    assert (dataset.commitments["owner"] != "").all()


def test_returns_tables(dataset: Dataset) -> None:
    # Every strategy has risks for the latest quarter and actions from its last Board.
    assert set(dataset.risks["strategy_id"]) == set(dataset.strategies["strategy_id"])
    assert set(dataset.risks["quarter"]) == {"2026/27 Q1", "2026/27 Q2"}
    assert dataset.risks["likelihood"].between(1, 5).all()
    assert dataset.risks["impact"].between(1, 5).all()
    assert set(dataset.actions["strategy_id"]) == set(dataset.strategies["strategy_id"])
    assert set(dataset.actions["status"]) == {"open", "in progress", "done", "dropped"}
    assert dataset.returns_log.empty
    # Activity to date for the November 2026 meeting's strategies only, so the other
    # reports show "not supplied".
    with_activity = dataset.commitments.loc[
        dataset.commitments["activity_to_date"] != "", "strategy_id"
    ]
    assert set(with_activity) == {"neighbourhood-crime", "neighbourhood-policing"}


def test_narrative(dataset: Dataset) -> None:
    narrative = dataset.narrative
    assert len(narrative) == 13 * 2 * 4
    assert set(narrative["quarter"]) == {"2026/27 Q1", "2026/27 Q2"}
    assert narrative.groupby(["strategy_id", "quarter"]).size().eq(4).all()
    tricky = narrative[narrative["text"].str.contains("<", regex=False)]
    assert len(tricky) == 1
    assert "&" in tricky.iloc[0]["text"] and '"' in tricky.iloc[0]["text"]
