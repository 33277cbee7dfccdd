"""Results kept by their inputs' bytes (pcplib.memo) and the SPC baseline checks kept so."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pcplib.assessment import limits
from pcplib.memo import Memo, key_series


def test_a_memo_works_a_key_out_once_and_starts_afresh_when_full() -> None:
    calls: list[str] = []
    memo = Memo(limit=2)

    def work(key: str) -> str:
        calls.append(key)
        return key.upper()

    assert memo.recall("a", lambda: work("a")) == "A"
    assert memo.recall("a", lambda: work("a")) == "A"
    assert calls == ["a"]
    memo.recall("b", lambda: work("b"))
    memo.recall("c", lambda: work("c"))  # full: forgets a and b, keeps c
    assert len(memo) == 1
    memo.recall("a", lambda: work("a"))
    assert calls == ["a", "b", "c", "a"]
    memo.clear()
    assert len(memo) == 0


def test_key_series_keys_the_bytes_of_float_series_only() -> None:
    dates = pd.date_range("2024-01-01", periods=3, freq="MS")
    values = pd.Series([1.0, np.nan, 3.0], index=dates)
    assert key_series(values) == key_series(values.copy())
    # Another date, another unit or another value is another key.
    assert key_series(values) != key_series(values.set_axis(dates + pd.DateOffset(months=1)))
    assert key_series(values) != key_series(values.set_axis(dates.as_unit("s")))
    assert key_series(values) != key_series(values.replace(3.0, 3.0000001))
    # Only the values when the index is not read.
    shifted = values.set_axis(dates + pd.DateOffset(months=1))
    assert key_series(values, with_index=False) == key_series(shifted, with_index=False)
    # Anything else is worked out every time.
    assert key_series(pd.Series([1, 2, 3], index=dates)) is None
    assert key_series(values.set_axis(dates.tz_localize("UTC"))) is None
    assert key_series(pd.Series([1.0, 2.0])) is None


def test_a_baseline_checked_again_gives_the_same_reason_whatever_its_dates() -> None:
    rising = pd.Series(
        np.arange(24, dtype=float), index=pd.date_range("2020-01-01", periods=24, freq="MS")
    )
    first = limits.check_baseline_stability(rising)
    assert "trend" in first
    # The reason reads the values in order alone: the same values elsewhere, the same.
    moved = rising.set_axis(pd.date_range("2023-04-01", periods=24, freq="MS"))
    assert limits.check_baseline_stability(moved) == first
    # Not float: worked out directly, to the same reason.
    assert limits.check_baseline_stability(rising.astype(int)) == first
    assert limits.check_baseline_stability(rising.where(rising < 0, 5.0)) == ""


def test_seasonal_indices_kept_are_handed_out_as_copies() -> None:
    months = pd.date_range("2020-04-01", periods=48, freq="MS")
    pattern = 100 * (1 + 0.2 * np.sin(2 * np.pi * months.month.to_numpy() / 12))
    series = pd.Series(pattern, index=months)
    first = limits.estimate_seasonal_indices(series, "monthly")
    assert first is not None
    first[0][1] = -1.0  # a caller changing its copy
    again = limits.estimate_seasonal_indices(series.copy(), "monthly")
    assert again is not None and again[0][1] != -1.0
    # The dates decide the seasons: the same values a month later are other seasons.
    later = limits.estimate_seasonal_indices(
        series.set_axis(months + pd.DateOffset(months=1)), "monthly"
    )
    assert later is not None and later[0][1] == again[0][12]


class RecordingMeasure(dict):
    """A catalogue row that notes which fields are read."""

    def __init__(self, row: dict, read: set) -> None:
        super().__init__(row)
        self.read = read

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)


def test_a_plan_is_kept_by_every_field_it_reads(sample) -> None:
    from pcplib.assessment.measures import select_rows
    from pcplib.periods import month_number

    end = month_number("2026-09")
    read: set = set()
    for row in sample.measures.to_dict("records"):
        regular = select_rows(sample, row, end).regular
        judged_from = pd.Timestamp("2026-07-01")
        # Worked out afresh (not kept): which catalogue fields the plan reads.
        limits._plan_spc(regular, RecordingMeasure(row, read), judged_from)
        kept = limits.plan_spc(regular, row, judged_from)
        assert limits.plan_spc(regular.copy(), dict(row), judged_from) is kept
    # A field the plan reads but the key leaves out would hand one measure another's plan.
    assert read <= set(limits.PLAN_FIELDS), read - set(limits.PLAN_FIELDS)
    assert {"frequency", "baseline_year", "seasonal"} <= read


def test_a_plan_kept_is_not_handed_to_another_measure_or_period() -> None:
    months = pd.date_range("2019-04-01", periods=84, freq="MS")
    pattern = 100 * (1 + 0.2 * np.sin(2 * np.pi * months.month.to_numpy() / 12))
    regular = pd.Series(pattern, index=months)
    measure = {"frequency": "monthly", "baseline_year": "2022/23", "seasonal": "auto"}
    judged = pd.Timestamp("2025-10-01")
    seasonal = limits.plan_spc(regular, measure, judged)
    assert seasonal is not None and seasonal.seasonal
    unadjusted = limits.plan_spc(regular, {**measure, "seasonal": "no"}, judged)
    assert unadjusted is not None and not unadjusted.seasonal
    later = limits.plan_spc(regular, measure, pd.Timestamp("2026-01-01"))
    assert later is not None and later is not seasonal
    named = limits.plan_spc(regular.rename("value"), measure, judged)
    assert named is not None and named.series.name == "value" and seasonal.series.name is None
