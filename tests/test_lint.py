"""Style is part of the contract: ruff is clean on the library, tests, benchmarks, notebooks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TARGETS = ["pcplib", "tests", "benchmarks", "notebooks"]


def find_ruff() -> str:
    beside_python = Path(sys.executable).with_name("ruff")
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("ruff")
    if found is None:
        pytest.fail("ruff is not installed: it is a dev dependency (pip install -e '.[dev]')")
    return found


@pytest.mark.parametrize(
    "args",
    [["check", *TARGETS], ["format", "--check", *TARGETS]],
    ids=["ruff check", "ruff format --check"],
)
def test_ruff_is_clean(repo_root: Path, args: list[str]) -> None:
    result = subprocess.run(
        [find_ruff(), *args], cwd=repo_root, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
