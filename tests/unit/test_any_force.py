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
