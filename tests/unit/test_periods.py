from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pcplib import periods as p


@pytest.mark.parametrize(
    ("value", "year", "quarter"),
    [
        (dt.date(2026, 4, 1), "2026/27", "2026/27 Q1"),
        (dt.date(2026, 6, 30), "2026/27", "2026/27 Q1"),
        (dt.date(2026, 7, 1), "2026/27", "2026/27 Q2"),
        (dt.datetime(2026, 9, 30, 23, 59), "2026/27", "2026/27 Q2"),
        (pd.Timestamp("2026-12-31"), "2026/27", "2026/27 Q3"),
        ("2027-01", "2026/27", "2026/27 Q4"),
        ("2027-03-31", "2026/27", "2026/27 Q4"),
        (dt.date(2026, 3, 31), "2025/26", "2025/26 Q4"),
        (pd.Period("2026-09", "M"), "2026/27", "2026/27 Q2"),
        (np.datetime64("2026-08-15"), "2026/27", "2026/27 Q2"),
        (dt.date(1999, 5, 1), "1999/00", "1999/00 Q1"),
    ],
)
def test_labels(value, year, quarter):
    assert p.label_financial_year(value) == year
    assert p.label_quarter(value) == quarter


def test_financial_year_start_and_quarter_number():
    assert p.financial_year_start("2026-03") == 2025
    assert p.financial_year_start("2026-04") == 2026
    assert [p.quarter_number(f"2026-{m:02d}") for m in range(1, 13)] == [
        4, 4, 4, 1, 1, 1, 2, 2, 2, 3, 3, 3,
    ]  # fmt: skip


def test_label_month():
    assert p.label_month(dt.date(2026, 9, 30)) == "2026-09"
    assert p.label_month("2026-09-01") == "2026-09"


@pytest.mark.parametrize(
    "bad",
    ["2026/9", "Sept 2026", "2026-13", "", "2026-02-30"],
)
def test_unreadable_dates_raise(bad):
    with pytest.raises(ValueError, match="2026|expected|''"):
        p.label_quarter(bad)


def test_unreadable_types_raise():
    with pytest.raises(ValueError, match="missing"):
        p.label_quarter(None)
    with pytest.raises(ValueError, match="missing"):
        p.label_quarter(pd.NaT)
    with pytest.raises(ValueError, match="of type int"):
        p.label_quarter(202609)


def test_parse_quarter():
    assert p.parse_quarter("2026/27 Q2") == (pd.Timestamp("2026-07-01"), pd.Timestamp("2026-09-30"))
    assert p.parse_quarter("2026/27 Q1") == (pd.Timestamp("2026-04-01"), pd.Timestamp("2026-06-30"))
    assert p.parse_quarter("2026/27 Q3") == (pd.Timestamp("2026-10-01"), pd.Timestamp("2026-12-31"))
    assert p.parse_quarter(" 2023/24 q4 ") == (
        pd.Timestamp("2024-01-01"),
        pd.Timestamp("2024-03-31"),
    )
    start, end = p.parse_quarter("2026/27 Q2")
    assert end.hour == 0 and end.minute == 0


@pytest.mark.parametrize("bad", ["2026/27 Q5", "2026-27 Q2", "Q2 2026/27", "2026/27", "2026/28 Q1"])
def test_parse_quarter_rejects(bad):
    with pytest.raises(ValueError) as info:
        p.parse_quarter(bad)
    message = str(info.value)
    assert repr(bad) in message
    assert "expected a quarter like '2026/27 Q2'" in message


def test_parse_quarter_rejects_non_string():
    with pytest.raises(ValueError, match="expected a quarter like"):
        p.parse_quarter(2026)


def test_parse_financial_year():
    assert p.parse_financial_year("2025/26") == (
        pd.Timestamp("2025-04-01"),
        pd.Timestamp("2026-03-31"),
    )
    assert p.parse_financial_year("1999/00")[1] == pd.Timestamp("2000-03-31")


@pytest.mark.parametrize("bad", ["2025/27", "2025-26", "2025", "25/26", "2025/26 Q1"])
def test_parse_financial_year_rejects(bad):
    with pytest.raises(ValueError) as info:
        p.parse_financial_year(bad)
    assert repr(bad) in str(info.value)
    assert "expected a financial year like '2025/26'" in str(info.value)


def test_parse_month():
    assert p.parse_month("2026-09") == pd.Period("2026-09", "M")
    with pytest.raises(ValueError, match=r"'2026-9'.*expected a month like '2026-09'"):
        p.parse_month("2026-9")
    with pytest.raises(ValueError, match="month 13 is not 01 to 12"):
        p.parse_month("2026-13")
    with pytest.raises(ValueError, match="expected a month"):
        p.parse_month(None)


def test_months_in_quarter_and_year():
    assert p.months_in_quarter("2026/27 Q3") == [
        pd.Period("2026-10", "M"),
        pd.Period("2026-11", "M"),
        pd.Period("2026-12", "M"),
    ]
    assert p.months_in_quarter(dt.date(2027, 2, 14)) == p.months_in_quarter("2026/27 Q4")
    months = p.months_in_financial_year("2025/26")
    assert len(months) == 12
    assert (months[0], months[-1]) == (pd.Period("2025-04", "M"), pd.Period("2026-03", "M"))
    assert p.months_in_financial_year("2026-01") == months


def test_quarter_end_month():
    assert p.quarter_end_month("2026/27 Q2") == pd.Period("2026-09", "M")
    assert p.quarter_end_month("2026-11") == pd.Period("2026-12", "M")
    assert p.quarter_end_month(dt.date(2027, 1, 5)) == pd.Period("2027-03", "M")


@pytest.mark.parametrize(
    ("month", "before", "expected"),
    [
        ("2026-11", 2, "2026-09"),
        ("2027-01", 2, "2026-09"),
        ("2026-05", 2, "2026-03"),
        ("2026-09", 0, "2026-09"),
        ("2026-09", 1, "2026-06"),
        ("2027-02", 2, "2026-12"),
    ],
)
def test_quarter_end_on_or_before(month, before, expected):
    assert p.quarter_end_on_or_before(month, before) == pd.Period(expected, "M")


def test_quarter_end_on_or_before_rejects_negative_gap():
    with pytest.raises(ValueError, match="months_before must be 0 or more, got -1"):
        p.quarter_end_on_or_before("2026-11", -1)


def test_shift_quarter():
    assert p.shift_quarter("2026/27 Q1", -1) == "2025/26 Q4"
    assert p.shift_quarter("2026/27 Q4", 1) == "2027/28 Q1"
    assert p.shift_quarter("2026/27 Q2", 0) == "2026/27 Q2"
    with pytest.raises(ValueError, match="expected a quarter like"):
        p.shift_quarter("2026 Q2", 1)


def test_shift_year_back_keeps_the_form():
    assert p.shift_year_back("2026/27 Q2") == "2025/26 Q2"
    assert p.shift_year_back("2026/27") == "2025/26"
    assert p.shift_year_back("2000/01") == "1999/00"
    assert p.shift_year_back("2026-09") == "2025-09"
    assert p.shift_year_back("2024-02-29") == "2023-02-28"
    assert p.shift_year_back(pd.Period("2026-09", "M")) == pd.Period("2025-09", "M")
    assert p.shift_year_back(pd.Period("2026Q3", "Q")) == pd.Period("2025Q3", "Q")
    assert p.shift_year_back(pd.Timestamp("2024-02-29")) == pd.Timestamp("2023-02-28")
    assert p.shift_year_back(dt.date(2026, 9, 30)) == dt.date(2025, 9, 30)
    shifted = p.shift_year_back(dt.datetime(2026, 9, 30, 12))
    assert shifted == dt.datetime(2025, 9, 30, 12) and isinstance(shifted, dt.datetime)


def test_shift_year_back_rejects():
    with pytest.raises(ValueError, match="expected a quarter like '2026/27 Q2'"):
        p.shift_year_back("last year")
    with pytest.raises(ValueError, match="does not follow"):
        p.shift_year_back("2026/28")
    with pytest.raises(ValueError, match="of type list"):
        p.shift_year_back([2026])


def _monthly(values, start="2024-04"):
    index = pd.period_range(start, periods=len(values), freq="M")
    return pd.Series(values, index=index, dtype=float, name="offences")


def test_sum_rolling_12_months():
    series = _monthly(range(1, 16))
    totals = p.sum_rolling_12_months(series)
    assert totals.iloc[:11].isna().all()
    assert totals.iloc[11:].tolist() == [78.0, 90.0, 102.0, 114.0]
    assert totals.index.equals(series.index)
    assert totals.name == "offences"


def test_sum_rolling_12_months_with_datetime_index():
    series = pd.Series(
        np.ones(13), index=pd.date_range("2025-04-30", periods=13, freq="ME"), dtype=float
    )
    totals = p.sum_rolling_12_months(series)
    assert totals.iloc[-2:].tolist() == [12.0, 12.0]
    assert totals.index.equals(series.index)


def test_sum_rolling_12_months_missing_month_and_nan_break_the_total():
    series = _monthly(np.ones(14))
    with_nan = series.copy()
    with_nan.iloc[5] = np.nan
    assert p.sum_rolling_12_months(with_nan).isna().all()
    without_month = series.drop(series.index[12])
    totals = p.sum_rolling_12_months(without_month)
    # The month after the gap has only 11 real months in its window.
    assert totals.iloc[11] == 12.0
    assert np.isnan(totals.iloc[12])


def test_sum_rolling_12_months_empty():
    empty = pd.Series([], index=pd.PeriodIndex([], freq="M"), dtype=float)
    assert p.sum_rolling_12_months(empty).empty


def test_sum_rolling_12_months_rejects():
    with pytest.raises(ValueError, match="sorted by month"):
        p.sum_rolling_12_months(_monthly([1, 2, 3]).iloc[::-1])
    repeated = pd.Series([1.0, 2.0], index=pd.to_datetime(["2026-01-01", "2026-01-15"]))
    with pytest.raises(ValueError, match="repeated: 2026-01"):
        p.sum_rolling_12_months(repeated)
    with pytest.raises(ValueError, match="got RangeIndex"):
        p.sum_rolling_12_months(pd.Series([1.0, 2.0]))
    with pytest.raises(ValueError, match="frequency Q"):
        p.sum_rolling_12_months(
            pd.Series([1.0], index=pd.period_range("2026Q1", periods=1, freq="Q"))
        )
    with pytest.raises(ValueError, match="expected a pandas Series"):
        p.sum_rolling_12_months([1, 2, 3])


def test_quarter_and_year_helpers_reject_bad_labels():
    with pytest.raises(ValueError, match=r"'2026/27 Q5'.*expected a quarter like '2026/27 Q2'"):
        p.quarter_end_month("2026/27 Q5")
    with pytest.raises(ValueError, match="expected a quarter like"):
        p.months_in_quarter("autumn")
    with pytest.raises(ValueError, match=r"'2026/28'.*expected a financial year like '2025/26'"):
        p.months_in_financial_year("2026/28")


def test_month_number_of_an_index_matches_each_month() -> None:
    from pcplib.periods import month_number, month_of

    index = pd.DatetimeIndex(["2025-12-31", "2026-01-01", "2026-09-30"])
    assert list(month_number(index)) == [month_number(d) for d in ["2025-12", "2026-01", "2026-09"]]
    assert list(month_number(pd.PeriodIndex(index, freq="M"))) == list(month_number(index))
    assert str(month_of(month_number("2026-01") - 1)) == "2025-12"


@pytest.mark.parametrize("unit", ["ns", "s"])
def test_month_number_of_dates_is_the_year_and_month_fields_index(unit) -> None:
    # The quick path (months since 1970 from the dates) against the fields it replaces:
    # the same numbers, dtype and name, before 1970 and at the ends of months too.
    from pcplib.periods import month_number

    stamps = ["1900-03-01", "1969-12-31 23:59", "1970-01-01", "2026-02-28 12:00", "2099-12-31"]
    index = pd.DatetimeIndex(stamps, name="period_start").as_unit(unit)
    expected = index.year * 12 + index.month - 1
    got = month_number(index)
    assert got.equals(expected) and got.dtype == expected.dtype and got.name == "period_start"
    # A gap or a time zone takes the fields' own path.
    with_gap = pd.DatetimeIndex(["2026-01-15", None])
    assert month_number(with_gap).equals(with_gap.year * 12 + with_gap.month - 1)
    zoned = pd.DatetimeIndex(["2026-01-31 23:30"]).tz_localize("Europe/London")
    assert list(month_number(zoned)) == [2026 * 12]


def test_shift_month_crosses_years_both_ways() -> None:
    assert p.shift_month("2026-11", 2) == "2027-01"
    assert p.shift_month("2026-01", -1) == "2025-12"
    assert p.shift_month("2026-05", 0) == "2026-05"


def test_label_period_codes_a_period_by_its_first_month() -> None:
    assert p.label_period(pd.Period("2024-05", "M"), "monthly") == "2024-05"
    assert p.label_period("2024-04-01", "quarterly") == "2024/25 Q1"
    assert p.label_period(dt.date(2025, 1, 1), "quarterly") == "2024/25 Q4"
    assert p.label_period("2024-04", "annual") == "2024/25"


def test_parse_optional_month_reads_a_cell_or_nothing() -> None:
    assert p.parse_optional_month("2026-09") == pd.Period("2026-09", "M")
    assert p.parse_optional_month(" 2026-09-30 ") == pd.Period("2026-09", "M")
    for empty in (None, "", "  ", float("nan"), pd.NaT, pd.NA):
        assert p.parse_optional_month(empty) is None
    with pytest.raises(ValueError):
        p.parse_optional_month("Sept 2026")


def test_is_month_code_takes_only_yyyy_mm_as_written() -> None:
    assert p.is_month_code("2026-11")
    assert p.is_month_code("2027-01")
    for text in (
        "2026-13",
        "2026-00",
        "2026-1",
        " 2026-11",
        "2026-11 ",
        "2026/11",
        "",
        None,
        202611,
    ):
        assert not p.is_month_code(text), text


def test_list_months_includes_both_ends() -> None:
    assert p.list_months("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert p.list_months("2026-02", "2026-02") == ["2026-02"]
    assert p.list_months("2026-03", "2026-02") == []


@pytest.mark.parametrize(
    ("month", "last"),
    [
        ("2026-02", "2026-02-28"),
        ("2028-02", "2028-02-29"),
        (dt.date(2026, 4, 1), "2026-04-30"),
        (pd.Period("2026-12", "M"), "2026-12-31"),
        (pd.Timestamp("2026-09-15 13:00"), "2026-09-30"),
    ],
)
def test_last_day_of_month_is_midnight_of_the_last_day(month, last) -> None:
    assert p.last_day_of_month(month) == pd.Timestamp(last)
