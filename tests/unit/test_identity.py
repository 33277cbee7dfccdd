"""Tests of pcplib.data.identity: whose plan a data set is, and where the project points."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from pcplib.data import load_dataset, validate_dataset
from pcplib.data.identity import (
    DATA_ENV,
    PlanIdentity,
    check_identity,
    find_default_data,
    locate_forward_plan,
    read_identity,
)

TODAY = dt.date(2026, 11, 23)
OTHER = {
    "organisation": "Office of the Police, Fire and Crime Commissioner for Westshire",
    "force_area": "Westshire",
    "plan": {"name": "Safer Westshire Plan 2030-34", "start": "2030-04", "end": "2034-03"},
    "board": {"name": "Performance Board", "short_name": "PB"},
    "forward_plan": "meetings.yaml",
}


def test_check_identity_reads_every_key() -> None:
    identity, problems = check_identity(OTHER, "dataset.yaml")
    assert problems == []
    assert identity == PlanIdentity(
        organisation=OTHER["organisation"],
        force_area="Westshire",
        plan_name="Safer Westshire Plan 2030-34",
        plan_start="2030-04",
        plan_end="2034-03",
        board_name="Performance Board",
        board_short_name="PB",
        forward_plan="meetings.yaml",
    )


def test_absent_keys_take_neutral_words() -> None:
    identity, problems = check_identity({"illustrative": False}, "dataset.yaml")
    assert problems == []
    assert identity == PlanIdentity()
    assert "Leicester" not in repr(identity) and "CGB" not in repr(identity)
    assert identity.forward_plan == "forward_plan.yaml"


def test_the_older_area_key_names_the_force_area() -> None:
    assert check_identity({"area": "Eastshire"}, "d.yaml")[0].force_area == "Eastshire"


def test_a_board_without_short_name_uses_its_name() -> None:
    identity, problems = check_identity({"board": {"name": "Scrutiny Board"}}, "d.yaml")
    assert identity.board_short_name == "Scrutiny Board"
    assert [str(p) for p in problems] == [
        "d.yaml, column board.short_name: expected the board's short name, such as 'PB'"
    ]


@pytest.mark.parametrize(
    ("meta", "line"),
    [
        ({"organisation": ""}, "column organisation: '' — expected the organisation"),
        ({"plan": "2030-34"}, "column plan: '2030-34' — expected a mapping with name, start, end"),
        (
            {"plan": {"name": "P", "start": "April 2030", "end": "2034-03"}},
            "column plan.start: 'April 2030' — expected the plan's first month, YYYY-MM",
        ),
        (
            {"plan": {"name": "P", "start": "2034-04", "end": "2030-03"}},
            "column plan.end: '2030-03' — expected a month after plan.start (2034-04)",
        ),
        ({"force_area": None}, "column force_area: expected the area of framework/areas.csv"),
    ],
)
def test_a_bad_identity_key_is_one_line(meta: dict, line: str) -> None:
    problems = [str(p) for p in check_identity(meta, "d.yaml")[1]]
    assert len(problems) == 1 and line in problems[0], problems


def test_the_sample_declares_its_own_identity(data_dir: Path) -> None:
    dataset = load_dataset(data_dir, today=TODAY)
    assert dataset.identity.board_short_name == "CGB"
    assert dataset.identity.force_area == dataset.primary_area
    assert locate_forward_plan(data_dir) == data_dir / "forward_plan.yaml"
    assert (data_dir / "forward_plan.yaml").is_file()


def test_another_identity_loads_and_a_wrong_force_area_is_reported(
    data_dir: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(data_dir, data)
    meta = data / "dataset.yaml"
    text = meta.read_text(encoding="utf-8")
    text = text.replace('name: "Corporate Governance Board"', 'name: "Performance Board"')
    meta.write_text(text, encoding="utf-8")
    assert read_identity(data).board_name == "Performance Board"
    meta.write_text(text.replace("force_area: LLR", "force_area: Westshire"), encoding="utf-8")
    found = [str(p) for p in validate_dataset(data, today=TODAY)]
    assert len(found) == 1
    assert "column force_area: 'Westshire' — expected the area of the force row" in found[0]


def test_locate_forward_plan_prefers_the_override(tmp_path: Path) -> None:
    (tmp_path / "dataset.yaml").write_text("forward_plan: plans/meetings.yaml\n")
    assert locate_forward_plan(tmp_path) == tmp_path / "plans/meetings.yaml"
    assert locate_forward_plan(tmp_path, tmp_path / "x.yaml") == tmp_path / "x.yaml"
    assert read_identity(tmp_path / "missing") == PlanIdentity()


def test_find_default_data(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(DATA_ENV, raising=False)
    checkout = tmp_path / "checkout"
    (checkout / ".git").mkdir(parents=True)
    (checkout / "notebooks").mkdir()
    assert find_default_data(checkout / "notebooks") == Path("data")
    (checkout / ".pcp-data").write_text("../plans/westshire\n")
    assert find_default_data(checkout / "notebooks") == (tmp_path / "plans/westshire").resolve()
    monkeypatch.setenv(DATA_ENV, "/srv/plan")
    assert find_default_data(checkout) == Path("/srv/plan")


def test_read_identity_refuses_a_dataset_yaml_linked_from_outside(tmp_path) -> None:
    # The runner reads the identity through the same reader as validation: a link out of
    # the data set gives the neutral identity, as validation refuses it.
    from pcplib.data.identity import load_dataset_meta, read_identity

    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("board:\n  name: Elsewhere Board\n", encoding="utf-8")
    root = tmp_path / "data"
    root.mkdir()
    (root / "dataset.yaml").symlink_to(outside)
    assert read_identity(root) == PlanIdentity()
    meta, problems = load_dataset_meta(root, "dataset.yaml")
    assert meta is None and "outside" in problems[0].expected
    outside.unlink()
    (root / "dataset.yaml").unlink()
    (root / "dataset.yaml").write_text("board:\n  name: Own Board\n", encoding="utf-8")
    assert read_identity(root).board_name == "Own Board"
