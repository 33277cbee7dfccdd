"""Unit tests of the runner's stage timings and the kernels' data-set snapshot."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import nbformat
import pytest

from pcplib import stage_times
from pcplib.data import load_dataset
from pcplib.data import snapshot as snap
from pcplib.run import timing

T0 = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC).timestamp()


def at(seconds: float) -> str:
    """Papermill's form of a time ``seconds`` after T0."""
    moment = dt.datetime.fromtimestamp(T0 + seconds, dt.UTC).replace(tzinfo=None)
    return moment.isoformat() + "Z"


def executed_notebook(spans: list[tuple[float, float]]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# Title"))
    for begin, end in spans:
        cell = nbformat.v4.new_code_cell("x = 1")
        cell.metadata["papermill"] = {"start_time": at(begin), "end_time": at(end)}
        nb.cells.append(cell)
    return nb


def test_parse_papermill_time_reads_z_and_offsets_and_refuses_junk() -> None:
    assert timing.parse_papermill_time(at(1.5)) == pytest.approx(T0 + 1.5)
    assert timing.parse_papermill_time("2026-11-23T06:00:00+00:00") == pytest.approx(T0)
    assert timing.parse_papermill_time("2026-11-23T06:00:00") == pytest.approx(T0)
    assert timing.parse_papermill_time("yesterday") is None
    assert timing.parse_papermill_time(None) is None


def test_split_execution_names_kernel_start_imports_data_load_cells_and_stop() -> None:
    nb = executed_notebook([(1.0, 1.1), (1.1, 3.1), (3.1, 3.6)])
    kernel = [{"stage": "data load", "started": T0 + 2.5, "seconds": 0.5}]
    stages = timing.split_execution(nb, T0, T0 + 4.0, kernel)
    assert list(stages) == [
        "kernel start",
        "cell 2",
        "imports",
        "data load",
        "cell 4",
        "kernel stop",
    ]
    assert stages["kernel start"] == pytest.approx(1.0)
    assert stages["imports"] == pytest.approx(1.5)  # the loading cell less the load
    assert stages["data load"] == pytest.approx(0.5)
    assert stages["cell 4"] == pytest.approx(0.5)
    assert stages["kernel stop"] == pytest.approx(0.4)
    assert sum(stages.values()) == pytest.approx(4.0)


def test_split_execution_without_cell_times_is_empty() -> None:
    assert timing.split_execution(nbformat.v4.new_notebook(), T0, T0 + 1) == {}


def test_summarise_format_and_round_stages() -> None:
    stages = {"kernel start": 1.0, "imports": 2.0, "cell 3": 0.25, "cell 4": 0.5, "html": 0.125}
    summary = timing.summarise_stages(stages)
    assert summary["cells"] == pytest.approx(0.75)
    assert summary["data load"] == 0.0
    assert summary["total"] == pytest.approx(3.875)
    assert timing.format_stages({"kernel start": 1.0, "html": 0.125}) == (
        "kernel start 1.00 s, html 0.12 s"
    )
    assert timing.round_stages({"html": 0.126}) == {"html": 0.13}


def test_time_stage_records_only_when_asked(tmp_path, monkeypatch) -> None:
    target = tmp_path / "stages.jsonl"
    monkeypatch.delenv(stage_times.STAGE_TIMES_ENV, raising=False)
    with stage_times.time_stage("data load"):
        pass
    assert not target.exists()
    monkeypatch.setenv(stage_times.STAGE_TIMES_ENV, str(target))
    with stage_times.time_stage("data load"):
        pass
    target.write_text(target.read_text() + "not json\n")
    recorded = stage_times.read_stage_times(target)
    assert [r["stage"] for r in recorded] == ["data load"]
    assert recorded[0]["seconds"] >= 0
    assert stage_times.read_stage_times(tmp_path / "missing.jsonl") == []
    # A file that cannot be written never fails the work it times.
    monkeypatch.setenv(stage_times.STAGE_TIMES_ENV, str(tmp_path / "no" / "such" / "file"))
    with stage_times.time_stage("data load"):
        pass


@dataclasses.dataclass(frozen=True)
class Loaded:
    root: Path
    rows: int


@pytest.fixture
def data_folder(tmp_path) -> Path:
    folder = tmp_path / "data"
    (folder / "framework").mkdir(parents=True)
    (folder / "dataset.yaml").write_text("illustrative: true\n")
    (folder / "framework" / "measures.csv").write_text("measure_id\nm1\n")
    return folder


def test_digest_data_folder_changes_with_any_file(data_folder) -> None:
    first = snap.digest_data_folder(data_folder)
    assert snap.digest_data_folder(data_folder) == first
    (data_folder / "framework" / "measures.csv").write_text("measure_id\nm2\n")
    changed = snap.digest_data_folder(data_folder)
    assert changed != first
    (data_folder / "extra.xlsx").write_bytes(b"x")
    assert snap.digest_data_folder(data_folder) not in (first, changed)
    assert snap.digest_data_folder(data_folder / "missing") == snap.digest_data_folder(
        data_folder / "also-missing"
    )


def test_snapshot_is_used_only_for_the_same_bytes_and_date(
    data_folder, tmp_path, monkeypatch
) -> None:
    today = dt.date(2026, 11, 23)
    path = tmp_path / "snapshot.pickle"
    digest = snap.digest_data_folder(data_folder)
    snap.write_snapshot(Loaded(Path("elsewhere"), 3), digest, today, path)
    monkeypatch.delenv(snap.SNAPSHOT_ENV, raising=False)
    assert snap.read_snapshot(data_folder, today) is None
    monkeypatch.setenv(snap.SNAPSHOT_ENV, str(path))
    assert snap.read_snapshot(data_folder, today) == Loaded(data_folder, 3)
    assert snap.read_snapshot(data_folder, dt.date(2026, 11, 24)) is None
    (data_folder / "dataset.yaml").write_text("illustrative: false\n")
    assert snap.read_snapshot(data_folder, today) is None
    path.write_bytes(b"not a pickle")
    assert snap.read_snapshot(data_folder, today) is None
    monkeypatch.setenv(snap.SNAPSHOT_ENV, str(tmp_path / "missing.pickle"))
    assert snap.read_snapshot(data_folder, today) is None


def test_load_dataset_returns_the_snapshot_and_times_the_load(
    data_folder, tmp_path, monkeypatch
) -> None:
    today = dt.date(2026, 11, 23)
    path = snap.write_snapshot(
        Loaded(Path("x"), 7), snap.digest_data_folder(data_folder), today, tmp_path / "s.pickle"
    )
    stages = tmp_path / "stages.jsonl"
    monkeypatch.setenv(snap.SNAPSHOT_ENV, str(path))
    monkeypatch.setenv(stage_times.STAGE_TIMES_ENV, str(stages))
    assert load_dataset(data_folder, today=today) == Loaded(data_folder, 7)
    assert [json.loads(line)["stage"] for line in stages.read_text().splitlines()] == ["data load"]
