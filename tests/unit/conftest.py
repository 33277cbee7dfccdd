"""Fixtures for the unit tests: small data.police.uk downloads written on the fly."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from pcplib.data.sources.police_uk import STREET_COLUMNS

LEICS = "Leicestershire Police"


@pytest.fixture(autouse=True)
def start_kernels_from_scratch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs here execute tiny notebooks: a fork server's imports would cost more than it saves.

    Tests that want it (``pcplib.forkserver``) set ``PCP_FORK_KERNELS`` themselves. The
    fork server the end-to-end and browser tests share (``fork_server``) is hidden here,
    so no unit test finds one already serving.
    """
    from pcplib import forkserver

    monkeypatch.setenv("PCP_FORK_KERNELS", "0")
    monkeypatch.setattr(forkserver, "_ACTIVE", None)


def street_row(
    month: str,
    crime_type: str = "Burglary",
    lsoa: str = "Charnwood 001A",
    crime_id: str | None = None,
    force: str = LEICS,
    location: str = "On or near High Street",
) -> list[str]:
    """One row of a street-level file, as data.police.uk writes it."""
    if crime_id is None:
        crime_id = "" if crime_type == "Anti-social behaviour" else f"id-{month}-{lsoa}"
    code, lon, lat = ("", "", "") if not lsoa else ("E01000001", "-1.2", "52.7")
    where = "No Location" if not lsoa else location
    return [crime_id, month, force, force, lon, lat, where, code, lsoa, crime_type, "", ""]


def street_csv(rows: list[list[str]], header: tuple[str, ...] = STREET_COLUMNS) -> str:
    """A street-level file's text: the header, then the rows (fields quoted as needed)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def make_archive(path: Path, members: dict[str, str]) -> Path:
    """Write a zip archive with the given members (name -> text), month folders first."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for folder in sorted({name.split("/")[0] for name in members if "/" in name}):
            archive.writestr(f"{folder}/", "")
        for name, text in members.items():
            archive.writestr(name, text)
    return path


@pytest.fixture(scope="session")
def police_uk() -> SimpleNamespace:
    """Writers of data.police.uk street-level files: ``row``, ``csv`` and ``archive``."""
    return SimpleNamespace(row=street_row, csv=street_csv, archive=make_archive, force=LEICS)


OBSERVATIONS = "observations/observations.csv"


@pytest.fixture()
def police_uk_data(tmp_path: Path, data_dir: Path) -> Callable[..., Path]:
    """A maker of a copy of the sample without the figures police.uk will give.

    ``police_uk_data()`` copies the sample (not its reference tables or README) and
    removes the observations of every measure with ``police_uk_crime_types``, so every
    such row read back is the update's; ``police_uk_data(prepare)`` first lets
    ``prepare(root)`` change the copy (map another measure to police.uk, say).
    """

    def make(prepare: Callable[[Path], None] | None = None) -> Path:
        root = tmp_path / "data"
        shutil.copytree(data_dir, root, ignore=shutil.ignore_patterns("reference", "README.md"))
        if prepare is not None:
            prepare(root)
        measures = pd.read_csv(
            root / "framework" / "measures.csv", dtype=str, keep_default_na=False
        )
        mapped = set(measures.loc[measures["police_uk_crime_types"] != "", "measure_id"])
        obs = pd.read_csv(root / OBSERVATIONS, dtype=str, keep_default_na=False)
        obs[~obs["measure_id"].isin(mapped)].to_csv(
            root / OBSERVATIONS, index=False, lineterminator="\n"
        )
        return root

    return make
