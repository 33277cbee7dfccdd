"""`pcp validate --params DIR` checks a parameters folder wherever it is."""

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
