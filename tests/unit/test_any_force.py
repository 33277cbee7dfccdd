"""Any force: `pcp validate --params DIR` anywhere, and real data sets that are not illustrative."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pcplib import cli


def test_a_misspelt_parameter_outside_the_checkout_is_found(
    tmp_path: Path, repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = Path(shutil.copytree(repo_root / "params" / "strategies", tmp_path / "elsewhere"))
    first = sorted(folder.glob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8").replace("\nslot:", "\nslott:"))
    code = cli.main(["validate", str(repo_root / "data"), "--params", str(folder)])
    said = capsys.readouterr()
    assert code == 1
    assert f"{first.name}" in said.out + said.err and "did you mean 'slot'" in said.out + said.err


def test_a_params_folder_that_does_not_exist_is_a_usage_error(
    tmp_path: Path, repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["validate", str(repo_root / "data"), "--params", str(tmp_path / "nope")])
    assert code == 2
    assert "no such folder" in capsys.readouterr().err


def test_a_real_data_set_does_not_speak_of_illustrative_figures(data_dir: Path) -> None:
    """With ``illustrative: false`` the provenance heading says where figures come from."""
    import datetime as dt
    from dataclasses import replace

    from pcplib.data import load_dataset
    from pcplib.data.sources.published import POLICE_UK_SOURCE
    from pcplib.report.provenance import format_measure_origins

    dataset = load_dataset(data_dir, today=dt.date(2026, 11, 23))
    measure = str(dataset.measures["measure_id"].iloc[0])
    obs = dataset.observations.copy()
    mine = obs["measure_id"] == measure
    obs.loc[mine, "source"] = f"{POLICE_UK_SOURCE}, A Force, 2024-01/x.csv"
    real = replace(dataset, observations=obs, illustrative=False)
    mixed = replace(dataset, observations=obs, illustrative=True)
    assert "Real and illustrative" in format_measure_origins(mixed, [measure])
    html = format_measure_origins(real, [measure])
    assert html and "illustrative" not in html.lower()
    assert "Where each measure's figures come from" in html


# --- the statistics contact, next release and revisions line (review 7, F21) ------------


def test_the_statistics_contact_is_read_from_any_data_set_and_checked() -> None:
    from pcplib.data.identity import check_identity

    identity, problems = check_identity(
        {"statistics_contact": {"name": "Westshire Insight Team", "email": "stats@west.example"}},
        "d.yaml",
    )
    assert not problems
    assert (identity.statistics_contact, identity.statistics_email) == (
        "Westshire Insight Team",
        "stats@west.example",
    )
    # Optional: left out or left empty (as `pcp init` writes it), no contact and no problem.
    for meta in ({}, {"statistics_contact": {"name": "", "email": ""}}):
        identity, problems = check_identity(meta, "d.yaml")
        assert not problems and identity.statistics_contact == identity.statistics_email == ""
    # Given but of the wrong shape: one problem each, naming the key.
    columns = [
        p.column
        for meta in (
            {"statistics_contact": "Insight Team"},
            {"statistics_contact": {"name": ["x"], "email": "not an address"}},
        )
        for p in check_identity(meta, "d.yaml")[1]
    ]
    assert columns == [
        "statistics_contact",
        "statistics_contact.name",
        "statistics_contact.email",
    ]


def test_pcp_init_writes_the_statistics_contact_empty_and_it_validates(tmp_path: Path) -> None:
    from pcplib.data.identity import check_identity, load_dataset_meta
    from pcplib.data.new_plan import _DATASET_YAML

    assert "statistics_contact:" in _DATASET_YAML
    (tmp_path / "dataset.yaml").write_text(
        _DATASET_YAML.format(folder="westshire", force_area="Westshire"), encoding="utf-8"
    )
    meta, _ = load_dataset_meta(tmp_path, "dataset.yaml")
    assert meta is not None
    problems = check_identity(meta, "dataset.yaml")[1]
    assert not [p for p in problems if str(p.column).startswith("statistics_contact")]


def test_the_release_notes_are_the_data_set_s_and_the_forward_plan_s_own() -> None:
    from pcplib.data.forward_plan import Slot, find_next_release
    from pcplib.data.identity import PlanIdentity
    from pcplib.report.release import REVISIONS_POLICY, format_release_notes

    slots = [
        Slot("2027-01", "2026/27", ("a",), "2026-09"),
        Slot("2027-05", "2027/28", ("b",), "2027-03"),
        Slot("2027-03", "2026/27", ("c",), "2026-12"),
    ]
    found = find_next_release(slots, "2026-09")
    assert found is not None and found.slot == "2027-03"
    assert find_next_release(slots, "2027-03") is None
    westshire = PlanIdentity(
        board_name="Westshire Scrutiny Board",
        statistics_contact="Westshire Insight Team",
        statistics_email="stats@west.example",
    )
    html = format_release_notes(westshire, found, "2026-11-23T06:00:00Z")
    assert "Next release: the 2026/27 Q3 figures, March 2027." in html
    assert "Contact: Westshire Insight Team (stats@west.example)." in html
    assert REVISIONS_POLICY.replace("'", "&#x27;") in html
    # No forward plan, no contact, or a meeting already past: that line is left out, never
    # invented; the revisions policy always stands.
    bare = format_release_notes(PlanIdentity(), None)
    assert "Next release" not in bare and "Contact" not in bare and "Revisions:" in bare
    late = format_release_notes(westshire, found, "2027-04-02T06:00:00Z")
    assert "Next release" not in late


def test_the_annual_evaluation_says_when_the_next_one_can_come() -> None:
    # Issue 26, F21: the annual evaluation gave no next release; the forward plan dates
    # meetings, not evaluations, so it names the first meeting to report the next year's
    # figures to March, or says that no date is set.
    from pcplib.data.forward_plan import Slot
    from pcplib.data.identity import PlanIdentity
    from pcplib.report.release import describe_next_evaluation, format_release_notes

    slots = [
        Slot("2027-03", "2026/27", ("c",), "2026-12"),
        Slot("2027-05", "2027/28", ("b",), "2027-03"),
        Slot("2027-07", "2027/28", ("a",), "2027-03"),
    ]
    words = describe_next_evaluation(slots, "2025/26")
    assert words == (
        "Next release: the 2026/27 evaluation, once the figures to March 2027 are in; the "
        "forward plan's first meeting to report them is in May 2027."
    )
    assert describe_next_evaluation(slots[:1], "2025/26").endswith(
        "once the figures to March 2027 are in; the forward plan sets no date for it yet."
    )
    html = format_release_notes(PlanIdentity(), next_words=words)
    assert "Next release: the 2026/27 evaluation" in html and "Revisions:" in html


def test_each_public_chart_names_its_sources(sample) -> None:
    from pcplib import assessment
    from pcplib.report.public import format_public_mission
    from pcplib.report.release import name_sources

    assert name_sources(["Police recorded crime (Force system)", "Police recorded crime", None,
                         "Police recorded crime; households from ONS mid-year estimates"]) == (
        "Police recorded crime; households from ONS mid-year estimates"
    )  # fmt: skip
    public = assessment.summarise_public_quarter(sample, "2026/27 Q2")
    for mission in sample.missions["mission_id"]:
        html = format_public_mission(public, mission)
        caption = html.split("<figcaption>", 1)[1].split("</figcaption>", 1)[0]
        headline = public.measures[
            (public.measures["mission_id"] == mission) & (public.measures["tier"] == "headline")
        ]
        assert caption.endswith(f" Source: {name_sources(headline['source'])}."), mission
