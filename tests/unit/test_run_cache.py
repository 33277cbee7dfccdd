"""Unit tests of the validated data set kept across runs (``pcplib.data.snapshot``'s cache)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import pickle
import subprocess
from pathlib import Path

import pytest

from pcplib.data import snapshot as snap
from pcplib.run import manifest, validation
from pcplib.run.options import RunOptions

TODAY = dt.date(2026, 11, 23)


@dataclasses.dataclass(frozen=True)
class Loaded:
    """A stand-in for a data set: what the cache keeps and hands back."""

    root: Path
    n: int


@pytest.fixture
def inputs(tmp_path, monkeypatch) -> RunOptions:
    data = tmp_path / "data"
    (data / "framework").mkdir(parents=True)
    (data / "dataset.yaml").write_text("illustrative: true\n")
    (data / "framework" / "measures.csv").write_text("measure_id\nm1\n")
    plan = tmp_path / "forward_plan.yaml"
    plan.write_text("slots: []\n")
    monkeypatch.setenv(snap.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(snap.CACHE_OFF_ENV, raising=False)
    return RunOptions(
        out_dir=tmp_path / "out", data_dir=data, forward_plan=plan, jobs=1, today=TODAY
    )


@pytest.fixture
def loads(monkeypatch) -> list[Path]:
    """Every full read and validation, by data folder (the cache's misses)."""
    calls: list[Path] = []

    def load(options: RunOptions) -> tuple[Loaded, list[str]]:
        calls.append(options.data_dir)
        return Loaded(Path("read"), 5), []

    monkeypatch.setattr(validation, "load_inputs", load)
    monkeypatch.setattr(validation, "is_dataset", lambda dataset: True)
    return calls


def test_find_cache_dir_follows_the_environment(tmp_path) -> None:
    assert snap.find_cache_dir({"PCP_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert snap.find_cache_dir({"PCP_DATA_CACHE": "0", "PCP_CACHE_DIR": str(tmp_path)}) is None
    assert snap.find_cache_dir({"XDG_CACHE_HOME": "/c"}) == Path("/c/pcp-monitor/datasets")
    assert snap.find_cache_dir({"HOME": "/h"}) == Path("/h/.cache/pcp-monitor/datasets")


def test_cache_key_changes_with_every_input(inputs, monkeypatch) -> None:
    digest = snap.digest_data_folder(inputs.data_dir)
    key = snap.make_cache_key(digest, inputs.forward_plan, TODAY)
    assert snap.make_cache_key(digest, inputs.forward_plan, TODAY) == key
    assert snap.make_cache_key("0" * 64, inputs.forward_plan, TODAY) != key
    assert snap.make_cache_key(digest, inputs.forward_plan, dt.date(2026, 11, 24)) != key
    assert snap.make_cache_key(digest, None, TODAY) != key
    inputs.forward_plan.write_text("slots: [] # changed\n")
    assert snap.make_cache_key(digest, inputs.forward_plan, TODAY) != key
    inputs.forward_plan.write_text("slots: []\n")
    monkeypatch.setattr(snap, "digest_code", lambda: "other code")
    assert snap.make_cache_key(digest, inputs.forward_plan, TODAY) != key


def test_digest_code_covers_the_package_but_not_compiled_files(tmp_path, monkeypatch) -> None:
    package = tmp_path / "pcplib"
    (package / "__pycache__").mkdir(parents=True)
    (package / "a.py").write_text("x = 1\n")
    monkeypatch.setattr(snap, "_PACKAGE", package)
    first = snap.digest_code()
    (package / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"compiled")
    assert snap.digest_code() == first
    (package / "a.py").write_text("x = 2\n")
    assert snap.digest_code() != first


def test_a_validated_data_set_is_kept_and_loaded_again_without_validating(inputs, loads) -> None:
    digest = snap.digest_data_folder(inputs.data_dir)
    dataset, problems, path = validation.load_validated_inputs(inputs, digest)
    assert (dataset, problems, len(loads)) == (Loaded(Path("read"), 5), [], 1)
    assert path is not None and path.is_file()
    again, problems, same = validation.load_validated_inputs(inputs, digest)
    assert (again, problems, same, len(loads)) == (Loaded(inputs.data_dir, 5), [], path, 1)
    # The cache's file is a snapshot the kernels read for the same folder and date.
    os.environ[snap.SNAPSHOT_ENV] = str(path)
    try:
        assert snap.read_snapshot(inputs.data_dir, TODAY) == Loaded(inputs.data_dir, 5)
    finally:
        del os.environ[snap.SNAPSHOT_ENV]


def test_a_changed_file_or_plan_is_validated_again(inputs, loads) -> None:
    validation.load_validated_inputs(inputs, snap.digest_data_folder(inputs.data_dir))
    (inputs.data_dir / "framework" / "measures.csv").write_text("measure_id\nm2\n")
    validation.load_validated_inputs(inputs, snap.digest_data_folder(inputs.data_dir))
    assert len(loads) == 2
    inputs.forward_plan.write_text("slots: [] # changed\n")
    validation.load_validated_inputs(inputs, snap.digest_data_folder(inputs.data_dir))
    assert len(loads) == 3


def test_an_invalid_data_set_is_never_kept(inputs, monkeypatch) -> None:
    calls = []

    def invalid(options: RunOptions) -> tuple[None, list[str]]:
        calls.append(1)
        return None, ["data/framework/measures.csv: row 2: expected a measure id"]

    monkeypatch.setattr(validation, "load_inputs", invalid)
    digest = snap.digest_data_folder(inputs.data_dir)
    for _ in range(2):
        dataset, problems, path = validation.load_validated_inputs(inputs, digest)
        assert (dataset, path) == (None, None) and problems
    assert len(calls) == 2
    assert not list((inputs.out_dir.parent / "cache").glob("*"))


def test_a_folder_changed_during_validation_is_not_kept(inputs, loads) -> None:
    digest = snap.digest_data_folder(inputs.data_dir)
    (inputs.data_dir / "dataset.yaml").write_text("illustrative: false\n")
    dataset, _, path = validation.load_validated_inputs(inputs, digest)
    assert dataset == Loaded(Path("read"), 5) and path is None


def test_the_cache_off_or_unwritable_only_costs_time(inputs, loads, monkeypatch) -> None:
    digest = snap.digest_data_folder(inputs.data_dir)
    monkeypatch.setenv(snap.CACHE_OFF_ENV, "0")
    assert validation.load_validated_inputs(inputs, digest)[2] is None
    monkeypatch.delenv(snap.CACHE_OFF_ENV)
    blocked = inputs.out_dir.parent / "blocked"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv(snap.CACHE_DIR_ENV, str(blocked / "cache"))
    dataset, problems, path = validation.load_validated_inputs(inputs, digest)
    assert (dataset, problems, path) == (Loaded(Path("read"), 5), [], None)
    assert len(loads) == 2


def test_a_cache_file_for_another_key_or_unreadable_is_not_used(inputs, tmp_path) -> None:
    path = tmp_path / "dataset-k.pickle"
    snap.write_cached_dataset(Loaded(Path("x"), 1), "d", TODAY, "k", path)
    assert snap.read_cached_dataset(path, "k", tmp_path) == Loaded(tmp_path, 1)
    assert snap.read_cached_dataset(path, "other", tmp_path) is None
    path.write_bytes(b"not a pickle")
    assert snap.read_cached_dataset(path, "k", tmp_path) is None
    path.write_bytes(pickle.dumps(["not", "a", "snapshot"]))
    assert snap.read_cached_dataset(path, "k", tmp_path) is None
    assert snap.read_cached_dataset(tmp_path / "missing.pickle", "k", tmp_path) is None
    assert snap.cache_path(tmp_path, "k") == path


def test_prune_cache_keeps_the_most_recently_used(tmp_path) -> None:
    for number in range(5):
        path = tmp_path / f"dataset-{number}.pickle"
        path.write_bytes(b"x")
        os.utime(path, (1_000_000 + number, 1_000_000 + number))
    (tmp_path / "other.txt").write_text("not the cache's")
    removed = snap.prune_cache(tmp_path, keep=2)
    assert sorted(p.name for p in removed) == [f"dataset-{n}.pickle" for n in range(3)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "dataset-3.pickle",
        "dataset-4.pickle",
        "other.txt",
    ]


def test_read_code_version_is_the_commit_or_says_why_not(monkeypatch) -> None:
    expected = manifest.read_git_commit()["commit"]
    if expected:
        assert manifest.read_code_version() == expected

    def no_git(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError("git")

    monkeypatch.setattr(subprocess, "run", no_git)
    assert manifest.read_code_version().startswith("not recorded")


def test_is_dataset_tells_a_real_data_set_from_a_stand_in() -> None:
    from pcplib.data import Dataset

    assert validation.is_dataset(Loaded(Path("x"), 1)) is False
    fields = {f.name: None for f in dataclasses.fields(Dataset)}
    assert validation.is_dataset(Dataset(**fields)) is True


def test_narrative_warnings_are_kept_beside_the_cached_data_set(tmp_path) -> None:
    path = snap.cache_path(tmp_path, "k")
    assert snap.read_cached_warnings(path) is None
    snap.write_cached_warnings(path, ["narrative.csv row 3: 12% is 15% in the data"])
    assert snap.read_cached_warnings(path) == ["narrative.csv row 3: 12% is 15% in the data"]
    assert snap.warnings_path(path) == tmp_path / "dataset-k.warnings.json"
    snap.write_cached_warnings(path, [])
    assert snap.read_cached_warnings(path) == []
    snap.warnings_path(path).write_text('{"not": "a list"}')
    assert snap.read_cached_warnings(path) is None
    snap.write_cached_warnings(tmp_path / "missing" / "dataset-x.pickle", ["never raises"])
    # Pruned with their data set.
    path.write_bytes(b"x")
    os.utime(path, (1, 1))
    newer = snap.cache_path(tmp_path, "n")
    newer.write_bytes(b"x")
    snap.write_cached_warnings(path, [])
    snap.prune_cache(tmp_path, keep=1)
    assert not snap.warnings_path(path).exists() and newer.exists()


def test_the_run_uses_the_kept_warnings_and_keeps_new_ones(tmp_path, monkeypatch) -> None:
    from types import SimpleNamespace

    from pcplib.assessment import narrative_checks
    from pcplib.run import build

    calls = []
    monkeypatch.setattr(narrative_checks, "check_narrative_numbers", lambda ds: calls.append(1))
    monkeypatch.setattr(narrative_checks, "format_narrative_warnings", lambda found: ["w"])
    dataset = SimpleNamespace(narrative="present")
    path = snap.cache_path(tmp_path, "k")
    assert build.list_narrative_warnings(dataset, path) == ["w"]
    assert build.list_narrative_warnings(dataset, path) == ["w"]
    assert len(calls) == 1
    assert build.list_narrative_warnings(dataset) == ["w"] and len(calls) == 2
