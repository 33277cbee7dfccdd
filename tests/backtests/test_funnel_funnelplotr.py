"""Back test: pcplib.funnel reproduces FunnelPlotR 0.6.0 on 14 reference cases.

The reference files (tests/reference/funnel_funnelplotr/) were computed with the R
package: 6 cases on real police.uk figures (standardised ratios under SHMI and CQC,
proportions; adjusted and unadjusted) and 8 synthetic ones (small and large sets,
zero counts, a multiplier of 100, SHMI rounding off, ratios of counts). Every ratio
and limit must agree to 1e-9 relative, every outlier flag, trimming flag and the
choice of adjusted or plain limits exactly, and phi and tau² to 1e-9.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pcplib.funnel import compute_funnel_curve, funnel

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "reference" / "funnel_funnelplotr"

CASE_IDS = [
    "real_sr_neighbourhood_fy2023_24_shmi_adj",
    "real_sr_neighbourhood_fy2023_24_shmi_unadj",
    "real_sr_neighbourhood_fy2023_24_cqc_adj",
    "real_sr_neighbourhood_fy2023_24_cqc_unadj",
    "real_pr_positive_outcome_fy2023_24_adj",
    "real_pr_positive_outcome_fy2023_24_unadj",
    "syn03",
    "syn06",
    "syn08",
    "syn12",
    "syn16",
    "syn18",
    "syn20",
    "syn22",
]
RTOL = 1e-9
# Only where the reference value is exactly 0 (the PR lower limits FunnelPlotR zeroes).
ATOL_AT_ZERO = 1e-12

# Our column -> the reference's, compared to RTOL for every case.
LIMITS = {"lcl95": "lcl95", "ucl95": "ucl95", "lcl998": "lcl998", "ucl998": "ucl998"}
PLAIN = {"lcl95_plain": "LCL95", "ucl95_plain": "UCL95"}
PLAIN.update({"lcl998_plain": "LCL99", "ucl998_plain": "UCL99"})
ADJUSTED = {"lcl95_adjusted": "OD95LCL", "ucl95_adjusted": "OD95UCL"}
ADJUSTED.update({"lcl998_adjusted": "OD99LCL", "ucl998_adjusted": "OD99UCL"})
INTERMEDIATE = {"denominator_used": "denominator_used", "y": "Y", "z": "Uzscore"}
INTERMEDIATE.update({"z_trimmed": "Wuzscore", "s_limit": "s"})


@pytest.fixture(scope="module")
def reference() -> dict[str, pd.DataFrame]:
    frames = {
        name: pd.read_csv(REFERENCE_DIR / f"{name}.csv")
        for name in ("params", "inputs", "expected_units", "expected_summary")
    }
    assert sorted(frames["params"]["case_id"]) == sorted(CASE_IDS)
    return frames


def _run_case(reference: dict[str, pd.DataFrame], case_id: str) -> pd.DataFrame:
    params = reference["params"].set_index("case_id").loc[case_id]
    inputs = reference["inputs"][reference["inputs"]["case_id"] == case_id]
    return funnel(
        pd.Series(inputs["numerator"].to_numpy(), index=inputs["unit"].to_numpy()),
        inputs["denominator"].to_numpy(),
        data_type=params["data_type"],
        sr_method=params["sr_method"],
        draw_adjusted=bool(params["draw_adjusted"]),
        trim_by=float(params["trim_by"]),
        multiplier=float(params["multiplier"]),
        shmi_rounding=bool(params["SHMI_rounding"]),
    )


def _expected_units(reference: dict[str, pd.DataFrame], case_id: str) -> pd.DataFrame:
    units = reference["expected_units"]
    return units[units["case_id"] == case_id].set_index("unit")


def _assert_close(actual: object, expected: object, what: str) -> None:
    """Agree to RTOL; the same infinities and missing values; a tiny atol only at 0."""
    got = np.asarray(actual, dtype=float)
    want = np.asarray(expected, dtype=float)
    assert got.shape == want.shape, f"{what}: shape"
    finite = np.isfinite(want)
    same_special = np.array_equal(got[~finite], want[~finite], equal_nan=True)
    assert same_special, f"{what}: infinite or missing values differ"
    assert np.isfinite(got[finite]).all(), f"{what}: infinite or missing where finite expected"
    zero = finite & (want == 0)
    assert np.all(np.abs(got[zero]) <= ATOL_AT_ZERO), f"{what}: nonzero where 0 expected"
    rest = finite & (want != 0)
    np.testing.assert_allclose(got[rest], want[rest], rtol=RTOL, atol=0, err_msg=what)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_funnel_reproduces_reference_case(reference: dict[str, pd.DataFrame], case_id: str) -> None:
    result = _run_case(reference, case_id)
    inputs = reference["inputs"][reference["inputs"]["case_id"] == case_id]
    # Input order and the numerator's index are kept (the reference is sorted by unit).
    assert result.index.tolist() == inputs["unit"].tolist()
    expected = _expected_units(reference, case_id).loc[result.index]
    draw_adjusted = bool(reference["params"].set_index("case_id").loc[case_id, "draw_adjusted"])

    columns = {"ratio": "ratio", **LIMITS, **PLAIN, **INTERMEDIATE}
    if draw_adjusted:
        columns.update(ADJUSTED)
    for ours, theirs in columns.items():
        _assert_close(result[ours], expected[theirs], f"{case_id}: {ours} vs {theirs}")
    if expected["rk"].notna().any():
        _assert_close(result["trim_rank"], expected["rk"], f"{case_id}: trim_rank")
        _assert_close(result["trim_group"], expected["sp"], f"{case_id}: trim_group")

    for ours, theirs in (("outlier", "outlier"), ("outlier95", "outlier95")):
        flagged = (result[ours] != "none").astype(int).to_numpy()
        wrong = [
            (unit, got, want)
            for unit, got, want in zip(result.index, flagged, expected[theirs], strict=True)
            if got != want
        ]
        assert not wrong, f"{case_id}: {ours} (unit, got, expected) {wrong}"
    # Which side: a flagged unit is high exactly when it is above the target line.
    outliers = result[result["outlier"] != "none"]
    centre = result.attrs["target"] * result.attrs["multiplier"]
    assert ((outliers["outlier"] == "high") == (outliers["ratio"] > centre)).all()
    trimmed = result["trimmed"].astype(int).to_numpy()
    assert trimmed.tolist() == expected["trimmed"].tolist(), f"{case_id}: trimmed flags"
    in_effect = "adjusted" if result.attrs["adjusted"] else "unadjusted"
    assert set(expected["limits_used"]) == {in_effect}, f"{case_id}: limits used"


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_funnel_reproduces_reference_summary(
    reference: dict[str, pd.DataFrame], case_id: str
) -> None:
    result = _run_case(reference, case_id)
    summary = reference["expected_summary"].set_index("case_id").loc[case_id]
    attrs = result.attrs
    for ours, theirs in (
        ("phi", "phi"),
        ("tau2", "tau2"),
        ("phi_estimated", "phi_adjusted_run"),
        ("tau2_estimated", "tau2_adjusted_run"),
        ("target", "target"),
    ):
        _assert_close([attrs[ours]], [summary[theirs]], f"{case_id}: attrs[{ours!r}]")
    assert attrs["adjusted"] is bool(summary["draw_adjusted_effective"])
    assert int((result["outlier"] != "none").sum()) == summary["n_outliers"]
    assert int((result["outlier95"] != "none").sum()) == summary["n_outliers95"]
    assert len(result) == summary["n_units"]
    params = reference["params"].set_index("case_id").loc[case_id]
    assert attrs["data_type"] == params["data_type"]
    assert attrs["sr_method"] == params["sr_method"]


def test_reference_covers_every_branch(reference: dict[str, pd.DataFrame]) -> None:
    """Guard the back test's reach: both SR methods, PR, RC, both kinds of limits, quirks."""
    params = reference["params"]
    columns = (params["data_type"], params["sr_method"], params["draw_adjusted"])
    kinds = set(zip(*columns, strict=True))
    assert {("SR", "SHMI", True), ("SR", "SHMI", False), ("SR", "CQC", True)} <= kinds
    assert {("SR", "CQC", False), ("PR", "SHMI", True), ("PR", "SHMI", False)} <= kinds
    assert "RC" in set(params["data_type"])
    assert (params["multiplier"] != 1).any() and (~params["SHMI_rounding"]).any()
    units = reference["expected_units"]
    pr = units["case_id"].isin(params.loc[params["data_type"] == "PR", "case_id"])
    assert (units.loc[pr, "lcl998"] == 0).any(), "no PR lower limit zeroed by the grid quirk"
    assert np.isinf(units["Uzscore"]).any(), "no zero count under SHMI"


def test_curve_agrees_with_table(reference: dict[str, pd.DataFrame]) -> None:
    """The chart's curve, read at the units' denominators, is the table's limits."""
    for case_id in CASE_IDS:
        result = _run_case(reference, case_id)
        curve = compute_funnel_curve(result).set_index("denominator")
        at_units = curve.loc[result["denominator_used"].to_numpy()]
        for column in LIMITS:
            np.testing.assert_array_equal(
                at_units[column].to_numpy(), result[column].to_numpy(), err_msg=case_id
            )
