"""Tests of pcplib.data.forward_plan and the per-strategy parameter files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from pcplib.data.forward_plan import (
    ForwardPlan,
    Slot,
    load_forward_plan,
    period_end_for_slot,
    resolve_slot,
    validate_forward_plan,
)
from pcplib.data.framework_files import STRATEGIES
from pcplib.run.plan_table import print_plan

STRATEGY_IDS = [s[0] for s in STRATEGIES]
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def plan_path(repo_root: Path) -> Path:
    return repo_root / "data" / "forward_plan.yaml"


@pytest.fixture(scope="module")
def plan(plan_path: Path) -> ForwardPlan:
    return load_forward_plan(plan_path)


def write_plan(tmp_path: Path, years: list[dict]) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump({"source": "test", "notes": [], "years": years}))
    return path


def test_plan_structure(plan: ForwardPlan) -> None:
    assert plan.years == ("2025/26", "2026/27")
    assert [s.slot for s in plan.slots][:6] == [
        "2025-05",
        "2025-07",
        "2025-09",
        "2025-11",
        "2026-01",
        "2026-03",
    ]
    assert len(plan.slots) == 12
    assert "para 10" in plan.source
    assert plan.slots[0] == Slot(
        slot="2025-05",
        year="2025/26",
        strategies=("police-estate", "workforce"),
        period_end="2025-03",
    )


def test_typo_corrected_and_business_crime_twice(plan: ForwardPlan) -> None:
    slots = {s.slot: s for s in plan.slots}
    assert "2025-01" not in slots
    assert slots["2026-01"].strategies == ("road-safety", "resources", "business-crime")
    assert slots["2026-01"].year == "2025/26"
    assert any("January 2025" in note and "January 2026" in note for note in plan.notes)
    for year in plan.years:
        count = sum("business-crime" in s.strategies for s in plan.slots if s.year == year)
        assert count == 2


@pytest.mark.parametrize(
    ("today", "latest", "upcoming"),
    [
        (TODAY, "2026-11", "2027-01"),
        (dt.date(2026, 11, 1), "2026-11", "2027-01"),
        (dt.date(2026, 10, 31), "2026-09", "2026-11"),
        (dt.date(2026, 1, 15), "2026-01", "2026-03"),
        (dt.date(2025, 5, 1), "2025-05", "2025-07"),
    ],
)
def test_latest_and_next(plan: ForwardPlan, today: dt.date, latest: str, upcoming: str) -> None:
    assert resolve_slot(plan, "latest", today=today).slot == latest
    assert resolve_slot(plan, "next", today=today).slot == upcoming


def test_latest_slot_is_the_november_meeting(plan: ForwardPlan) -> None:
    slot = resolve_slot(plan, "latest", today=TODAY)
    assert slot.strategies == ("neighbourhood-crime", "neighbourhood-policing")
    assert slot.period_end == "2026-09"


def test_resolve_explicit_and_errors(plan: ForwardPlan) -> None:
    assert resolve_slot(plan, "2026-03").strategies[0] == "scrutiny-and-legitimacy"
    with pytest.raises(ValueError, match=r"slot '2026-02': expected 'latest', 'next' or one of"):
        resolve_slot(plan, "2026-02")
    with pytest.raises(ValueError, match="no slot on or before 2025-04"):
        resolve_slot(plan, "latest", today=dt.date(2025, 4, 30))
    with pytest.raises(ValueError, match="no slot after 2027-03"):
        resolve_slot(plan, "next", today=dt.date(2027, 3, 1))


@pytest.mark.parametrize(
    ("slot", "period_end"),
    [
        ("2026-11", "2026-09"),
        ("2027-01", "2026-09"),
        ("2026-05", "2026-03"),
        ("2026-07", "2026-03"),
        ("2026-08", "2026-06"),
        ("2026-03", "2025-12"),
        ("2026-02", "2025-12"),
        ("2026-12", "2026-09"),
    ],
)
def test_period_end_for_slot(slot: str, period_end: str) -> None:
    assert period_end_for_slot(slot) == period_end


def test_period_end_for_bad_slot() -> None:
    with pytest.raises(ValueError, match="expected YYYY-MM"):
        period_end_for_slot("2026-13")


def test_sample_plan_is_valid(plan: ForwardPlan) -> None:
    assert validate_forward_plan(plan, STRATEGY_IDS) == []


def test_unknown_strategy(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path, [{"year": "2026/27", "slots": [{"slot": "2026-05", "strategies": ["roads"]}]}]
    )
    problems = validate_forward_plan(load_forward_plan(path), ["roads-policing"])
    unknown = [p for p in problems if p.value == "roads"]
    assert len(unknown) == 1
    assert unknown[0].file == path.as_posix()
    assert unknown[0].column == "strategies"
    assert unknown[0].row == 5
    assert unknown[0].expected.startswith("a strategy_id from framework/strategies")


def test_strategy_never_scheduled_in_a_year(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path,
        [
            {"year": "2025/26", "slots": [{"slot": "2025-05", "strategies": ["a", "b"]}]},
            {"year": "2026/27", "slots": [{"slot": "2026-05", "strategies": ["a"]}]},
        ],
    )
    problems = validate_forward_plan(load_forward_plan(path), ["a", "b"])
    assert len(problems) == 1
    assert (problems[0].value, problems[0].row) == ("b", 10)  # the year entry's line
    assert "scheduled at least once in 2026/27" in problems[0].expected
    assert str(problems[0]).startswith(f"{path.as_posix()}, row 10, column strategies: 'b'")


@pytest.mark.parametrize(
    ("years", "message"),
    [
        (
            [{"year": "2026/27", "slots": [{"slot": "2026-02", "strategies": ["a"]}]}],
            "expected a month in the financial year 2026/27",
        ),
        (
            [{"year": "2026/27", "slots": [{"slot": "2026-5", "strategies": ["a"]}]}],
            "expected a month written YYYY-MM",
        ),
        (
            [{"year": "2026/28", "slots": [{"slot": "2026-05", "strategies": ["a"]}]}],
            "expected a financial year written like '2026/27'",
        ),
        (
            [{"year": "2026/27", "slots": [{"slot": "2026-05", "strategies": []}]}],
            "expected a list of strategy ids",
        ),
        (
            [
                {
                    "year": "2026/27",
                    "slots": [
                        {"slot": "2026-05", "strategies": ["a"]},
                        {"slot": "2026-05", "strategies": ["b"]},
                    ],
                }
            ],
            "expected each meeting once",
        ),
    ],
)
def test_loader_rejects_bad_plans(tmp_path: Path, years: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_forward_plan(write_plan(tmp_path, years))


def test_print_plan(plan_path: Path, capsys) -> None:
    assert print_plan(plan_path, today=TODAY, board="Performance Board") == 0
    out = capsys.readouterr().out
    assert "Performance Board forward plan" in out
    assert "November 2026 (2026-11)" in out
    assert "September 2026" in out
    november = next(line for line in out.splitlines() if "(2026-11)" in line)
    assert "neighbourhood-crime" in november and "latest" in november
    january = next(line for line in out.splitlines() if "(2027-01)" in line)
    assert "next" in january
    assert "Source: Police and Crime Panel, June 2025" in out


def test_print_plan_missing_file(tmp_path: Path, capsys) -> None:
    assert print_plan(tmp_path / "none.yaml") == 1
    assert "Cannot read the forward plan" in capsys.readouterr().out


def next_review(plan: ForwardPlan, strategy_id: str, month: str) -> Slot:
    """The strategy's first slot in or after ``month``, else its latest.

    How the shipped parameters files chose their slot, as each file's header says.
    """
    mine = [s for s in plan.slots if strategy_id in s.strategies]
    upcoming = [s for s in mine if s.slot >= month]
    return upcoming[0] if upcoming else mine[-1]


def test_strategy_parameter_files(repo_root: Path, plan: ForwardPlan) -> None:
    folder = repo_root / "params" / "strategies"
    assert sorted(p.stem for p in folder.glob("*.yaml")) == sorted(STRATEGY_IDS)
    for strategy in STRATEGY_IDS:
        params = yaml.safe_load((folder / f"{strategy}.yaml").read_text(encoding="utf-8"))
        assert set(params) == {"strategy", "slot", "period_end", "data_dir", "spc_rules"}
        assert all(isinstance(v, str) for v in params.values())
        expected = next_review(plan, strategy, "2026-11")
        assert params == {
            "strategy": strategy,
            "slot": expected.slot,
            "period_end": expected.period_end,
            "data_dir": "data",
            "spc_rules": "mdc",
        }


def test_parameter_files_match_the_notebook(repo_root: Path) -> None:
    from pcplib.data.parameter_files import read_notebook_parameter_names

    names = set(read_notebook_parameter_names(repo_root / "notebooks" / "delivery_strategy.ipynb"))
    params = yaml.safe_load((repo_root / "params/strategies/vawg.yaml").read_text())
    assert set(params) <= names
    # The rest keep the notebook's defaults.
    # meeting: empty, the header names the slot's meeting (the runner passes it);
    # forward_plan: empty, the data set's own; history_dir: the runner's meeting history.
    assert names - set(params) == {
        "audience",
        "produced_at",
        "meeting",
        "forward_plan",
        "history_dir",
    }


def test_find_meeting_slot_matches_strategy_and_period(repo_root: Path) -> None:
    from pcplib.data.forward_plan import find_meeting_slot, load_forward_plan

    plan = load_forward_plan(repo_root / "data" / "forward_plan.yaml")
    assert find_meeting_slot(plan, "vawg", "2026-03").slot == "2026-07"
    assert find_meeting_slot(plan, "road-safety", "2026-09").slot == "2027-01"
    # VAWG is not reviewed on September's data: a report on it was for no meeting.
    assert find_meeting_slot(plan, "vawg", "2026-09") is None
    assert find_meeting_slot(plan, "unknown", "2026-09") is None
