"""Back test: the plotthedots rule set reproduces NHSRplotthedots 0.2.2 on 30 reference series.

The reference files (tests/reference/spc_plotthedots/) were computed with the R package;
every limit must agree to 1e-9 relative and every label, point type, variation and
assurance exactly. xmr_frame must give the same for all 30 series in one call.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pcplib.spc import summarise_xmr_frame, xmr, xmr_frame

SERIES_IDS = list(range(1, 31))
RTOL = 1e-9


def _none(v: object) -> object:
    return None if pd.isna(v) else v


@pytest.fixture(scope="module")
def reference(reference_dir: Path) -> dict[str, pd.DataFrame]:
    folder = reference_dir / "spc_plotthedots"
    frames = {
        name: pd.read_csv(folder / f"{name}.csv")
        for name in ("inputs", "params", "expected_points", "expected_summary")
    }
    assert sorted(frames["params"]["series_id"]) == SERIES_IDS
    return frames


def _settings(params: pd.DataFrame, series_id: int) -> dict[str, object]:
    row = params.loc[params["series_id"] == series_id].iloc[0]
    return {
        "improvement": row["improvement_direction"],
        "target": _none(row["target"]),
        "baseline_points": None
        if pd.isna(row["fix_after_n_points"])
        else int(row["fix_after_n_points"]),
        "screen_outliers": bool(row["screen_outliers"]),
    }


def _expected(reference: dict[str, pd.DataFrame], series_id: int) -> tuple[pd.DataFrame, pd.Series]:
    points = reference["expected_points"]
    points = points[points["series_id"] == series_id].sort_values("i").reset_index(drop=True)
    summary = reference["expected_summary"]
    return points, summary[summary["series_id"] == series_id].iloc[0]


def _assert_points_match(actual: pd.DataFrame, expected: pd.DataFrame, series_id: int) -> None:
    assert len(actual) == len(expected), f"series {series_id}: row count"
    for column in ("mean", "lpl", "upl"):
        np.testing.assert_allclose(
            actual[column].to_numpy(dtype=float),
            expected[column].to_numpy(dtype=float),
            rtol=RTOL,
            atol=0,
            err_msg=f"series {series_id}: {column}",
        )
    labels = actual["special_cause"].tolist()
    wrong = [
        (i + 1, got, want)
        for i, (got, want) in enumerate(zip(labels, expected["special_cause_type"], strict=True))
        if got != want
    ]
    assert not wrong, f"series {series_id}: labels (i, got, expected) {wrong}"
    types = actual["point_type"].tolist()
    wrong = [
        (i + 1, got, want)
        for i, (got, want) in enumerate(zip(types, expected["point_type"], strict=True))
        if got != want
    ]
    assert not wrong, f"series {series_id}: point types (i, got, expected) {wrong}"


@pytest.mark.parametrize("series_id", SERIES_IDS)
def test_xmr_reproduces_reference_series(
    reference: dict[str, pd.DataFrame], series_id: int
) -> None:
    inputs = reference["inputs"]
    values = inputs[inputs["series_id"] == series_id].sort_values("i")["value"].to_numpy()
    result = xmr(values, rules="plotthedots", **_settings(reference["params"], series_id))
    expected_points, expected_summary = _expected(reference, series_id)

    _assert_points_match(result.points.reset_index(drop=True), expected_points, series_id)
    assert result.variation == _none(expected_summary["variation_type"])
    assert result.assurance == _none(expected_summary["assurance_type"])
    assert result.has_limits


def test_reference_covers_every_label_and_point_type(reference: dict[str, pd.DataFrame]) -> None:
    """Guard the back test's reach: the reference exercises every label family."""
    labels = set(reference["expected_points"]["special_cause_type"])
    assert {
        "Above UCL",
        "Below LCL",
        "7 Point Trend (Increasing)",
        "7 Point Trend (Decreasing)",
        "2 in 3 Above CL",
        "2 in 3 Below CL",
        "7 Points Above CL",
        "7 Points Below CL",
        "Common Cause",
    } <= labels


@pytest.fixture(scope="module")
def frame_result(reference: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    long = reference["inputs"].merge(reference["params"], on="series_id")
    long["screen_outliers"] = long["screen_outliers"].astype(bool)
    # Shuffle the rows so that xmr_frame has to sort by the order column itself.
    long = long.sample(frac=1.0, random_state=7)
    points = xmr_frame(
        long,
        value="value",
        by="series_id",
        order="i",
        improvement="improvement_direction",
        target="target",
        rules="plotthedots",
        baseline_points="fix_after_n_points",
        screen_outliers="screen_outliers",
    )
    return points, summarise_xmr_frame(points, by="series_id")


@pytest.mark.parametrize("series_id", SERIES_IDS)
def test_xmr_frame_reproduces_reference_series(
    reference: dict[str, pd.DataFrame],
    frame_result: tuple[pd.DataFrame, pd.DataFrame],
    series_id: int,
) -> None:
    points, summary = frame_result
    actual = points[points["series_id"] == series_id].sort_values("i").reset_index(drop=True)
    expected_points, expected_summary = _expected(reference, series_id)

    _assert_points_match(actual, expected_points, series_id)
    row = summary[summary["series_id"] == series_id].iloc[0]
    assert _none(row["variation"]) == _none(expected_summary["variation_type"])
    assert _none(row["assurance"]) == _none(expected_summary["assurance_type"])


@pytest.mark.parametrize("rules", ["plotthedots", "mdc"])
def test_xmr_frame_equals_xmr_on_reference_series(
    reference: dict[str, pd.DataFrame], rules: str
) -> None:
    long = reference["inputs"].merge(reference["params"], on="series_id")
    long["screen_outliers"] = long["screen_outliers"].astype(bool)
    points = xmr_frame(
        long,
        by="series_id",
        order="i",
        improvement="improvement_direction",
        target="target",
        rules=rules,
        baseline_points="fix_after_n_points",
        screen_outliers="screen_outliers",
    )
    summary = summarise_xmr_frame(points, by="series_id").set_index("series_id")
    columns = ["mean", "lpl", "upl", "lower_2s", "upper_2s", "special_cause", "point_type"]
    for series_id in SERIES_IDS:
        values = long[long["series_id"] == series_id].sort_values("i")["value"].to_numpy()
        single = xmr(values, rules=rules, **_settings(reference["params"], series_id))
        framed = points[points["series_id"] == series_id].sort_values("i")
        for column in columns:
            assert framed[column].tolist() == single.points[column].tolist(), (
                f"{rules} series {series_id}: {column}"
            )
        assert _none(summary.loc[series_id, "variation"]) == single.variation
        assert _none(summary.loc[series_id, "assurance"]) == single.assurance
