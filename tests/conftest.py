"""Fixtures shared by every test: where the repository and the shared reference material are."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's root folder."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repository: seeds, spec and SPC reference results."""
    if not SHARED_DIR.is_dir():
        pytest.fail(f"{SHARED_DIR} is missing: back tests need ../shared beside the repository")
    return SHARED_DIR


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The shipped illustrative sample data set."""
    return REPO_ROOT / "data"
