"""Figures printed as computed: pcplib.labels.format_figure and format_figures."""

from __future__ import annotations

import pytest

from pcplib.labels import (
    count_decimals,
    format_figure,
    format_figures,
    format_value,
    parse_number,
    strip_text,
)


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (8.25, "days", "8.25 days"),  # a mean of whole days over four quarters
        (9.0, "days", "9 days"),
        (9.7, "days", "9.7 days"),
        (396.0, "days", "396 days"),
        (3231.0, "hours", "3,231 hours"),  # hours are whole from 100, like counts
        (360.7, "hours", "361 hours"),
        (12.5, "hours", "12.5 hours"),
        (2.08, "score", "2.08"),  # a score recorded to two decimals keeps them
        (3.4, "score", "3.4"),
        (0.489, "rate_per_1000", "0.489 per 1,000"),
        # A rate has three significant figures, a mean of rates too (review 11, R11-3:
        # the 12 months' 0.4957 printed "0.50", the baseline year's 0.5393 "0.54").
        (0.49575, "rate_per_1000", "0.496 per 1,000"),
        (0.5393, "rate_per_1000", "0.539 per 1,000"),
        (1.254, "rate_per_1000", "1.25 per 1,000"),
        (12.43, "rate_per_1000", "12.4 per 1,000"),
        (0.99961, "rate_per_1000", "1.00 per 1,000"),  # rounds up to the next power of ten
        (45.6, "percent", "45.6%"),
        (85.23333, "percent", "85.2%"),  # an average of three: the unit's own decimals
        (28265.0, "count", "28,265"),
        (75.2, "count", "75.2"),
        (3.0, "count", "3"),
        (-144870.0, "gbp", "−£144,870"),
        (2526322.4, "kwh", "2,526,322 kWh"),
        (None, "count", "no data"),
        (float("nan"), "score", "no data"),
    ],
)
def test_format_figure_keeps_the_decimals_a_figure_was_computed_to(value, unit, shown) -> None:
    assert format_figure(value, unit) == shown


def test_format_value_is_unchanged_for_the_narrative_it_writes() -> None:
    # The sample generator writes its narrative with format_value: its output must not move.
    assert format_value(3231.0, "hours") == "3,231.0 hours"
    assert format_value(8.25, "days") == "8.2 days"


def test_figures_side_by_side_never_print_alike_when_they_differ() -> None:
    # "3.4 against 3.4 (down 1.2%)" puzzled a reader: the figures were 3.44 and 3.40.
    assert format_figures([3.44, 3.4], "score") == ["3.44", "3.40"]
    assert format_figures([3.4333, 3.4], "score") == ["3.43", "3.40"]
    assert format_figures([150.4, 150.0], "count") == ["150.4", "150.0"]
    assert format_figures([28265, 29011], "count") == ["28,265", "29,011"]
    assert format_figures([2.5, 2.5], "count") == ["2.5", "2.5"]
    assert format_figures([None, 2.5], "count") == ["no data", "2.5"]
    assert format_figures([1.0, 1.000001], "gbp") == ["£1", "£1"]  # money stays whole


def test_percentages_and_counts_never_print_more_precision_than_they_carry() -> None:
    # Review 1, B1: "91.417% ... against 91.675%" (a mean of quarterly percentages) and
    # special constables, a headcount, "84.50 ... against 86.75": a figure's own decimals
    # never add precision to a percentage or a count. One decimal, and more only to tell
    # two different figures apart.
    assert format_figure(91.675, "percent") == "91.7%"
    assert format_figure(86.75, "count") == "86.8"
    assert format_figure(86.0, "count") == "86"
    assert format_figures([91.41667, 90.70833, 91.675], "percent") == ["91.4%", "90.7%", "91.7%"]
    assert format_figures([84.5, 86.75], "count") == ["84.5", "86.8"]
    assert format_figures([50.75, 52.1], "percent") == ["50.8%", "52.1%"]
    # Alike at one decimal: the decimals that tell them apart, no more.
    assert format_figures([52.25, 52.21], "percent") == ["52.25%", "52.21%"]
    assert format_figures([84.25, 84.21], "count") == ["84.25", "84.21"]
    assert count_decimals(91.675, "percent") == 1 and count_decimals(86.75, "count") == 1


def test_count_decimals_and_unknown_units() -> None:
    assert count_decimals(8.25, "days") == 2
    assert count_decimals(0.1 + 0.2, "score") == 1  # float error is not a decimal
    with pytest.raises(ValueError, match="unknown unit 'furlongs'"):
        format_figure(1.0, "furlongs")


def test_month_words_reads_any_form_of_a_month_the_same_way() -> None:
    import datetime as dt

    import pandas as pd

    from pcplib.labels import MONTH_NAMES, month_words

    for month in ("2026-09", "2026-09-30", pd.Period("2026-09", "M"), dt.date(2026, 9, 1)):
        assert month_words(month) == "September 2026"
    assert month_words(pd.Timestamp("2027-01-31 23:00")) == "January 2027"
    assert len(MONTH_NAMES) == 12 and MONTH_NAMES[0] == "January"


def test_date_and_time_words_are_in_utc_to_the_minute() -> None:
    import pandas as pd

    from pcplib.labels import date_words, time_words

    assert date_words("2026-09-30") == "30 September 2026"
    assert time_words(pd.Timestamp("2026-11-23T06:00:59Z")) == "23 November 2026 06:00 UTC"
    assert time_words(pd.Timestamp("2026-11-23T07:30+01:00")) == "23 November 2026 06:30 UTC"
    assert time_words(pd.Timestamp("2026-12-31 23:59")) == "31 December 2026 23:59 UTC"


def test_months_text_joins_runs_of_consecutive_months() -> None:
    import pandas as pd

    from pcplib.labels import months_text

    months = [pd.Period(m, "M") for m in ("2026-07", "2026-05", "2026-06", "2026-09")]
    assert months_text(months) == "May to July 2026, September 2026"
    assert months_text([pd.Period("2025-12", "M"), pd.Period("2026-01", "M")]) == (
        "December 2025 to January 2026"
    )
    assert months_text([]) == ""


def test_label_period_start_words_a_month_quarter_or_year() -> None:
    from pcplib.labels import label_period_start

    assert label_period_start("2026-07-01", "monthly") == "July 2026"
    assert label_period_start("2026-07-01", "quarterly") == "2026/27 Q2"
    assert label_period_start("2026-04-01", "annual") == "2026/27"


# --- a rate's period in its label (issue 26, finding 6) ---------------------------------------

BURGLARY_RATE = {
    "unit": "rate_per_1000",
    "frequency": "monthly",
    "aggregation": "mean",
    "measure_name": "Residential burglary per 1,000 households",
    "definition": "Residential burglaries recorded in the month per 1,000 households.",
}


@pytest.mark.parametrize(
    ("changes", "window", "per"),
    [
        ({}, "quarter", "households a month"),  # a quarter's average of monthly rates
        ({}, "year", "households a month"),
        ({"frequency": "quarterly"}, "quarter", "households a quarter"),
        ({"aggregation": "sum"}, "quarter", "households a quarter"),  # summed: per window
        ({"aggregation": "sum"}, "year", "households a year"),
        ({"aggregation": "sum"}, "period", "households a month"),  # a chart's point
        (
            {"measure_name": "Crimes per 1,000 residents (rolling 12 months)"},
            "quarter",
            "residents a year",
        ),  # fmt: skip
        (
            {"measure_name": "A rate", "definition": "Burglaries per 1,000 in the area."},
            "quarter",
            "a month",
        ),  # fmt: skip
        ({"unit": "count"}, "quarter", ""),  # not a rate: nothing to add
    ],
)
def test_a_rate_says_what_it_is_per_and_over_what_period(changes, window, per):
    from pcplib.labels import describe_rate_basis

    assert describe_rate_basis({**BURGLARY_RATE, **changes}, window) == per


def test_a_rates_basis_splits_into_its_population_and_period():
    from pcplib.labels import split_rate_basis

    assert split_rate_basis(BURGLARY_RATE, "quarter") == ("households", "a month")
    unnamed = {**BURGLARY_RATE, "measure_name": "A rate", "definition": "Per 1,000."}
    assert split_rate_basis(unnamed, "quarter") == ("", "a month")
    assert split_rate_basis({**BURGLARY_RATE, "unit": "count"}) == ("", "")


def test_a_rates_figures_carry_their_period_and_missing_ones_do_not():
    per = "households a month"
    assert format_figure(0.497, "rate_per_1000", per=per) == "0.497 per 1,000 households a month"
    assert format_value(0.5, "rate_per_1000", per=per) == "0.500 per 1,000 households a month"
    assert format_figures([0.497, None], "rate_per_1000", per=per) == [
        "0.497 per 1,000 households a month",
        "no data",
    ]
    # Any other unit ignores it, so callers can pass a row's value whatever the unit.
    assert format_figure(45.6, "percent", per=per) == "45.6%"


def test_a_rates_axis_label_names_its_population_and_period():
    from pcplib.labels import label_unit

    assert label_unit("rate_per_1000", "households a month") == "Rate per 1,000 households a month"
    assert label_unit("count", "households a month") == "Number"
    with pytest.raises(ValueError, match="unknown unit 'per_cent'"):
        label_unit("per_cent")


def test_suggest_name_offers_only_a_near_miss() -> None:
    from pcplib.labels import suggest_name

    assert suggest_name("stratgy", ["strategy", "slot"]) == " (did you mean 'strategy'?)"
    assert suggest_name("colour", ["strategy", "slot"]) == ""
    assert suggest_name("x", []) == ""


def test_label_meeting_names_the_board_and_the_month() -> None:
    import pandas as pd

    from pcplib.labels import label_meeting

    assert label_meeting("Performance Board", "2031-05") == "Performance Board, May 2031"
    assert label_meeting("Board", pd.Period("2026-11", "M")) == "Board, November 2026"


def test_one_sentence_shares_the_decimals_its_groups_need() -> None:
    # Review 5, N8: the quarter's pair needs three decimals, so the year's gets them too.
    from pcplib.labels import choose_decimals, choose_shared_decimals

    assert choose_decimals([0.497, 0.499], "rate_per_1000") == 3
    assert choose_decimals([12.4, 12.6], "rate_per_1000") == 1
    assert choose_decimals([None], "percent") is None
    assert choose_shared_decimals([[0.497, 0.499], [12.4, 12.6]], "rate_per_1000") == 3
    assert choose_shared_decimals([[52.25, 52.21], [50.0, 51.0]], "percent") == 2
    # A whole count is exact: each group keeps its own decimals.
    assert choose_shared_decimals([[94, 95.25]], "days") is None
    assert choose_shared_decimals([[None]], "percent") is None


def test_parse_number_reads_a_figure_kept_as_text_and_nothing_else() -> None:
    # The meeting history keeps every column as text: a blank is no figure.
    assert parse_number("1215.5") == 1215.5
    assert parse_number(3) == 3.0
    for nothing in (None, float("nan"), "", "  ", "n/a"):
        assert parse_number(nothing) is None


def test_strip_text_gives_a_cells_text_or_nothing() -> None:
    assert strip_text("  Chief Superintendent ") == "Chief Superintendent"
    assert strip_text(12) == "12"
    assert strip_text(None) == "" == strip_text(float("nan"))
