"""The sample narrative agrees with the sample's figures.

Every statement about a measure in ``narrative.yaml`` is a placeholder the generator
renders from the observations, and it records what each one claimed. Each claim is
checked here against ``data/observations/observations.csv`` and
``data/framework/measures.csv`` read with pandas, recomputed without the generator's
own functions, so a slip in the generator cannot vouch for itself.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pcplib.data import sample
from pcplib.data.sample import SEED, build_narrative_rows, generate_observations
from pcplib.labels import format_value

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
OBSERVATIONS = pd.read_csv(DATA_DIR / "observations/observations.csv", parse_dates=["period_start"])
MEASURES = pd.read_csv(DATA_DIR / "framework/measures.csv").set_index("measure_id")
with (DATA_DIR / "narrative/narrative.csv").open(encoding="utf-8", newline="") as handle:
    NARRATIVE = {
        (r["strategy_id"], r["quarter"], r["section"]): r["text"] for r in csv.DictReader(handle)
    }
GENERATED = generate_observations(np.random.default_rng(SEED))
CLAIMS = build_narrative_rows(GENERATED)[1]
NUMBER_WORDS = ["none", "one", "two", "three"]


def claim_id(claim: dict[str, Any]) -> str:
    strategy, quarter, section = claim["where"]
    return f"{strategy}-{quarter[-2:]}-{section}-{claim['kind']}-{claim['measure']}"


def series_of(measure: str) -> pd.Series:
    """The measure's values by period start, oldest first (NaN where missing)."""
    rows = OBSERVATIONS[OBSERVATIONS["measure_id"] == measure]
    return rows.set_index("period_start")["value"].sort_index()


def bounds(period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First day of a month "2026-08" or financial quarter "2026/27 Q2", and the day after it."""
    quarter = re.fullmatch(r"(\d{4})/\d\d Q([1-4])", period)
    if quarter:
        start = pd.Timestamp(f"{quarter[1]}-04-01") + pd.DateOffset(
            months=3 * (int(quarter[2]) - 1)
        )
        return start, start + pd.DateOffset(months=3)
    start = pd.Timestamp(f"{period}-01")
    return start, start + pd.DateOffset(months=1)


def values_in(measure: str, period: str) -> pd.Series:
    start, end = bounds(period)
    series = series_of(measure)
    values = series[(series.index >= start) & (series.index < end)]
    assert len(values) and values.notna().all(), f"{measure} {period} has no complete figures"
    return values


def figure(measure: str, period: str) -> float:
    """The period's figure: its own value, or its months summed, averaged or the last."""
    values = values_in(measure, period)
    aggregation = MEASURES.loc[measure, "aggregation"]
    if len(values) == 1:
        return float(values.iloc[0])
    return float({"sum": values.sum(), "mean": values.mean(), "last": values.iloc[-1]}[aggregation])


def words(period: str) -> str:
    """A period as the narrative writes it: "August 2026", or the quarter as it is."""
    return period if " Q" in period else f"{pd.Timestamp(period + '-01'):%B %Y}"


def check_record(claim: dict[str, Any], unit: str) -> None:
    """The figure is unbeaten as far back as the wording says, and no further."""
    sign = 1 if claim["kind"] == "record_high" else -1
    series = series_of(claim["measure"]).dropna()
    frequency = MEASURES.loc[claim["measure"], "frequency"]
    at, value = bounds(claim["period"])[0], claim["value"]
    assert series[at] == pytest.approx(value)
    earlier = series[series.index < at]
    as_good = earlier[sign * earlier >= sign * value]
    if claim["wording"] == "on record":
        assert as_good.empty
        assert " on record" in claim["text"]
        return
    # The last earlier period at least as high (or low): the one named, and nothing after it.
    last = as_good.index[-1]
    assert bounds(claim["against"])[0] == last
    assert claim["against_value"] == pytest.approx(series[last])
    between = earlier[earlier.index > last]
    if claim["wording"] == "since":
        assert len(between) >= 1 and (sign * between < sign * value).all()
        label = f"{last:%B %Y}" if frequency == "monthly" else claim["against"]
        assert claim["text"].endswith(f"since {label}")
        return
    assert between.empty, "a fallback wording only where the period before was as high"
    if claim["wording"] == "of the quarter":
        # The month is its quarter's peak (or trough), so "of the quarter" is true.
        first = at - pd.DateOffset(months=(at.month - 4) % 3)
        quarter = series[first : first + pd.DateOffset(months=2)]
        assert len(quarter) == 3 and sign * value >= (sign * quarter).max()
    else:
        assert claim["wording"] == ("no higher than" if sign > 0 else "no lower than")


@pytest.mark.parametrize("claim", CLAIMS, ids=claim_id)
def test_claim_holds_in_the_committed_data(claim: dict[str, Any]) -> None:
    measure, kind, text = claim["measure"], claim["kind"], claim["text"]
    row = MEASURES.loc[measure]
    unit = row["unit"]
    assert text in NARRATIVE[claim["where"]], "the claim's words are in its narrative row"
    if kind == "target":
        assert claim["value"] == pytest.approx(row["target"])
        assert text == format_value(row["target"], unit)
    elif kind in ("value", "total", "mean"):
        values = values_in(measure, claim["period"])
        expected = {"value": figure(measure, claim["period"]), "total": values.sum()}
        expected["mean"] = values.mean()
        assert claim["value"] == pytest.approx(expected[kind])
        assert text == format_value(expected[kind], unit)
    elif kind in ("peak", "trough"):
        values = values_in(measure, claim["against"])
        at = values.idxmax() if kind == "peak" else values.idxmin()
        assert f"{at:%Y-%m}" == claim["period"]
        assert claim["value"] == pytest.approx(values[at])
        assert text == f"{format_value(values[at], unit)} in {at:%B %Y}"
    elif kind == "count_meeting_target":
        values = values_in(measure, claim["period"])
        higher = row["good_direction"] == "higher"
        met = int((values >= row["target"]).sum() if higher else (values <= row["target"]).sum())
        assert claim["value"] == met
        expected = f"in {NUMBER_WORDS[met]} of the {NUMBER_WORDS[len(values)]} months"
        assert text == ("in every month of the quarter" if met == len(values) else expected)
    elif kind == "compare":
        value = figure(measure, claim["period"])
        threshold = row["target"] if claim["against"] == "target" else float(claim["against"])
        word = "above" if value > threshold else "below" if value < threshold else "at"
        assert claim["wording"] == word and text.startswith(word)
        assert format_value(threshold, unit) in text
    elif kind == "change":
        before, after = figure(measure, claim["against"]), figure(measure, claim["period"])
        word = "rose" if after > before else "fell" if after < before else "was unchanged"
        assert claim["wording"] == word
        assert text == (
            f"{word} from {format_value(before, unit)} in {words(claim['against'])} "
            f"to {format_value(after, unit)} in {words(claim['period'])}"
        )
    elif kind in ("record_high", "record_low"):
        check_record(claim, unit)
    elif kind == "status":
        start, end = bounds(claim["period"])
        rows = OBSERVATIONS[
            (OBSERVATIONS["measure_id"] == measure)
            & (OBSERVATIONS["period_start"] >= start)
            & (OBSERVATIONS["period_start"] < end)
        ]
        statuses = set(rows["status"])
        assert text == (statuses.pop() if len(statuses) == 1 else "partly provisional")
    elif kind == "missing":
        series = series_of(measure)
        gaps = series[series.isna()].index
        assert claim["wording"] == ";".join(f"{d:%Y-%m}" for d in gaps)
        for gap in gaps:
            assert f"{gap:%B %Y}" in text
    else:
        pytest.fail(f"no independent check for the kind {kind!r}")


def test_statements_about_the_data_are_claimed() -> None:
    # One narrative row in three quotes the data; a template that lost its placeholders
    # would pass the claim checks by having nothing to check.
    assert len(CLAIMS) >= 60
    assert {claim["kind"] for claim in CLAIMS} == {
        "value", "total", "mean", "peak", "trough", "target", "count_meeting_target",
        "compare", "change", "record_high", "record_low", "status", "missing",
    }  # fmt: skip
    assert set(MEASURES.index) >= {claim["measure"] for claim in CLAIMS}


def test_no_placeholder_is_left_unrendered() -> None:
    leftovers = {where: text for where, text in NARRATIVE.items() if re.search(r"[{}]", text)}
    assert not leftovers
    assert len(NARRATIVE) == 13 * 2 * 4


def test_dvpo_statement_quotes_the_figures_the_data_hold() -> None:
    # The narrative once said "a record 41 in August" when the data held 21 for August 2026.
    text = NARRATIVE[("vawg", "2026/27 Q2", "successes")]
    assert "Domestic violence protection orders" in text
    assert "record 41" not in text
    dvpo = series_of("vawg-dvpo")
    quoted = re.findall(r"(\d[\d,]*) in ([A-Z][a-z]+ \d{4})", text)
    assert quoted, "the statement quotes a month's figure"
    for number, month in quoted:
        assert float(number.replace(",", "")) == dvpo[pd.Timestamp(f"1 {month}")]
    if "August" in text:
        assert f"{dvpo[pd.Timestamp('2026-08-01')]:.0f} in August 2026" in text
    # The quoted month is the quarter's highest, and no higher month came just before.
    quarter = dvpo["2026-07-01":"2026-09-01"]
    assert f"{quarter.max():.0f} in {quarter.idxmax():%B %Y}" in text
    if "on record" in text:
        assert quarter.max() > dvpo[:"2026-06-01"].max()


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{nonsense:vawg-dvpo:2026-08}", "not a kind for it"),
        ("{count_meeting_target:vawg-da-crimes:2026/27 Q2}", "not a kind for it"),
        ("{value:no-such-measure:2026-08}", "unknown measure"),
        ("{value:nc-asb-incidents:2021-06}", "a figure is missing"),
        ("{total:nc-asb-incidents:2021/22 Q1}", "a figure is missing"),
        ("{value:vv-homicide:2026-08}", "not a period of the measure"),
        ("Orders {reached a record}", "bad placeholder"),
    ],
)
def test_placeholders_that_cannot_be_rendered_truly_are_refused(
    monkeypatch: pytest.MonkeyPatch, template: str, message: str
) -> None:
    narrative = {strategy: dict(quarters) for strategy, quarters in sample.NARRATIVE.items()}
    narrative["vawg"]["2026/27 Q2"] = (template, *narrative["vawg"]["2026/27 Q2"][1:])
    monkeypatch.setattr(sample, "NARRATIVE", narrative)
    with pytest.raises(ValueError, match=message):
        build_narrative_rows(GENERATED)
