"""A plan's own meeting cycle and data lag: data_to, data_lag_months, no new data."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from pcplib import report
from pcplib.data import load_dataset
from pcplib.data.forward_plan import (
    ForwardPlanError,
    find_first_report_of_data,
    find_forward_plan,
    load_forward_plan,
    period_end_for_slot,
)

TODAY = dt.date(2026, 11, 23)
TWO_MONTHLY = """\
source: "A two-monthly cycle"
data_lag_months: 1
years:
  - year: "2026/27"
    slots:
      - slot: "2026-06"
        strategies: [a]
      - slot: "2026-08"
        strategies: [b]
      - slot: "2026-10"
        strategies: [a]
        data_to: "2026-06"
      - slot: "2026-12"
        strategies: [b]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "forward_plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_lag_is_stated_once_and_a_slot_may_give_its_data_period(tmp_path: Path) -> None:
    plan = load_forward_plan(write(tmp_path, TWO_MONTHLY))
    assert plan.data_lag_months == 1
    assert {s.slot: s.period_end for s in plan.slots} == {
        "2026-06": "2026-03",
        "2026-08": "2026-06",
        "2026-10": "2026-06",  # data_to, where the lag would give 2026-09
        "2026-12": "2026-09",
    }
    assert period_end_for_slot("2026-10", 1) == "2026-09"
    assert period_end_for_slot("2026-10") == "2026-06"


def test_a_slot_with_no_new_data_names_the_meeting_that_first_had_it(tmp_path: Path) -> None:
    plan = load_forward_plan(write(tmp_path, TWO_MONTHLY))
    first = find_first_report_of_data(plan, "2026-10")
    assert first is not None and first.slot == "2026-08"
    assert find_first_report_of_data(plan, "2026-08") is None
    assert find_first_report_of_data(plan, "2026-12") is None
    assert find_first_report_of_data(plan, "2030-01") is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('data_to: "2026-06"', 'data_to: "2026-11"'),
            "row 12, column data_to: '2026-11' — expected the last month of data slot 2026-10 "
            "reports, written YYYY-MM, no later than the meeting",
        ),
        (
            ('data_to: "2026-06"', "data_to: June"),
            "column data_to: 'June' — expected the last month of data",
        ),
        (
            ("data_lag_months: 1", "data_lag_months: two"),
            "row 2, column data_lag_months: 'two' — expected a whole number of months from 0",
        ),
    ],
)
def test_a_bad_data_period_is_one_line(tmp_path: Path, change: tuple, expected: str) -> None:
    with pytest.raises(ForwardPlanError) as caught:
        load_forward_plan(write(tmp_path, TWO_MONTHLY.replace(*change)))
    message = str(caught.value)
    assert expected in message and "\n" not in message


def test_find_forward_plan_reads_the_data_sets_own_or_the_override(
    tmp_path: Path, data_dir: Path
) -> None:
    assert find_forward_plan(data_dir).path == data_dir / "forward_plan.yaml"
    other = write(tmp_path, TWO_MONTHLY)
    assert find_forward_plan(data_dir, other).data_lag_months == 1
    assert find_forward_plan(tmp_path / "no-plan") is None
    with pytest.raises(ForwardPlanError):
        find_forward_plan(data_dir, tmp_path / "missing.yaml")


def test_reports_of_a_meeting_with_no_new_data_say_so(tmp_path: Path, data_dir: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(data_dir, data)
    dataset = load_dataset(data, today=TODAY)
    # The sample's January meeting reports the quarter November reported.
    notice = report.format_no_new_data(dataset, "2027-01")
    assert "No new data since the CGB of November 2026:</strong> figures as reported then." in (
        notice
    )
    assert report.format_no_new_data(dataset, "2026-11") == ""
    strategy = dataset.strategies["strategy_id"].iloc[0]
    header = report.build_header(dataset, strategy, "2027-01", "2026-09")
    assert "No new data since the CGB of November 2026" in header
    assert "No new data" in report.build_plan_header(dataset, "2027-01", "2026-09")
    assert "No new data" not in report.build_plan_header(dataset, "2026-11", "2026-09")
    # A plan that says the January meeting has December's data: no notice.
    text = (data / "forward_plan.yaml").read_text(encoding="utf-8")
    text = text.replace(
        '      - slot: "2027-01"\n', '      - slot: "2027-01"\n        data_to: "2026-12"\n'
    )
    plan = load_forward_plan(write(tmp_path, text))
    assert report.format_no_new_data(dataset, "2027-01", plan) == ""
    # The Delivery Board's view prepared with that meeting says so too, under the run's plan.
    from pcplib.assessment.board import summarise_board_quarter
    from pcplib.report.board import build_board_header

    view = summarise_board_quarter(dataset, "2026-09", "2027-01", find_forward_plan(data))
    assert "No new data since the CGB of November 2026" in build_board_header(
        dataset, view, "2027-01"
    )
    assert "No new data" not in build_board_header(dataset, view, "2027-01", plan=plan)
