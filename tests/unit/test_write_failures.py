"""Nothing half-written: a full disk, a read-only folder or a name too long gives one line
naming the path, and leaves no temporary file, empty folder or half a record behind.

Each test is one kind from docs/error-handling.md ("Hostile input").
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from pcplib import cli
from pcplib.file_safety import (
    describe_long_name,
    describe_write_error,
    make_folders,
    name_os_error,
    remove_made_folders,
)

FULL = (errno.ENOSPC, "No space left on device")


def test_folders_made_for_a_failed_write_are_removed_again(tmp_path: Path) -> None:
    made = make_folders(tmp_path / "a" / "b" / "c")
    assert made == [tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"]
    assert make_folders(tmp_path / "a") == [], "a folder already there is not 'made'"
    (tmp_path / "a" / "keep.txt").write_text("x", encoding="utf-8")
    remove_made_folders(made)
    assert (tmp_path / "a" / "keep.txt").exists() and not (tmp_path / "a" / "b").exists()


def test_a_write_error_with_no_file_name_is_given_one() -> None:
    named = name_os_error(OSError(*FULL), Path("out/counts.csv"))
    assert (named.errno, named.filename) == (errno.ENOSPC, "out/counts.csv")
    already = OSError(errno.EROFS, "Read-only file system", "x")
    assert name_os_error(already, "y") is already


@pytest.mark.parametrize(
    ("code", "reason", "hint"),
    [
        (errno.ENOSPC, "No space left on device", "the disk is full"),
        (errno.EROFS, "Read-only file system", "read-only file system"),
        (errno.EACCES, "Permission denied", "may not write there"),
        (errno.ENAMETOOLONG, "File name too long", "too long for the file system"),
    ],
)
def test_each_write_error_is_one_line_naming_the_path(code: int, reason: str, hint: str) -> None:
    line = describe_write_error(OSError(code, reason, "out/x.csv"))
    assert line.startswith(f"cannot write out/x.csv: {reason} (") and hint in line
    assert "\n" not in line


def test_a_name_too_long_is_found_before_the_file_system_is_asked() -> None:
    assert describe_long_name("data/observations.csv") == ""
    said = describe_long_name("out/" + "x" * 300 + ".csv")
    assert said.startswith("a name of at most 255 bytes ('xxxxxxxxxxxxxxxxxxxx…' has 304)")
    assert describe_long_name("/a" * 2100).startswith("a path of at most 4,096 bytes")


def test_a_path_argument_too_long_is_one_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    too_long = str(tmp_path / ("y" * 300))
    for argv in (["validate", too_long], ["run", "--strategy", "vawg", f"--out={too_long}"]):
        assert cli.main(argv) == 2
        out = capsys.readouterr()
        lines = (out.out + out.err).strip().splitlines()
        assert len(lines) == 1 and "expected a name of at most 255 bytes" in lines[0], lines
        assert "nothing was run" in lines[0]


def test_a_full_disk_writing_police_uk_counts_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcplib.data.sources import police_uk

    def full(row: object) -> list[object]:
        raise OSError(*FULL)  # as a flush fails: no file name

    monkeypatch.setattr(police_uk, "neutralise_row", full)
    counts = pd.DataFrame([{c: "x" for c in police_uk.COUNT_COLUMNS} | {"crimes": 1}])
    target = tmp_path / "new" / "sub" / "counts.csv"
    with pytest.raises(OSError) as raised:
        police_uk.write_counts(counts, target)
    assert raised.value.filename == str(target) and raised.value.errno == errno.ENOSPC
    assert list(tmp_path.iterdir()) == [], "no temporary file, no folder made for it"


def test_a_return_whose_second_file_cannot_be_moved_in_leaves_the_first_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcplib.data.sources import returns_merge

    root = tmp_path / "data"
    staging = root / ".returns-staging-1"
    for relative, old, new in (("a/one.csv", "old one", "new one"), ("b/two.csv", "old", "new")):
        (root / relative).parent.mkdir(parents=True)
        (root / relative).write_text(old, encoding="utf-8")
        (staging / relative).parent.mkdir(parents=True, exist_ok=True)
        (staging / relative).write_text(new, encoding="utf-8")
    (staging / "c").mkdir()
    (staging / "c" / "three.csv").write_text("a new table", encoding="utf-8")
    real_replace = os.replace

    def failing(source: object, target: object) -> None:
        if str(target).endswith("two.csv") and ".returns-staging" in str(source):
            raise OSError(*FULL, str(target))
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(returns_merge.os, "replace", failing)
    with pytest.raises(OSError):
        returns_merge._replace_all(root, staging, ["c/three.csv", "a/one.csv", "b/two.csv"])
    assert (root / "a" / "one.csv").read_text(encoding="utf-8") == "old one"
    assert (root / "b" / "two.csv").read_text(encoding="utf-8") == "old"
    assert not (root / "c" / "three.csv").exists(), "a table new to the data set is taken out"


def test_a_meeting_record_that_cannot_be_finished_is_not_left_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcplib.run import history
    from pcplib.run.jobs import Job, RunPlan

    def full(frame: pd.DataFrame, path: Path) -> None:
        if path.name == "judgements.csv":
            raise OSError(*FULL, str(path))
        path.write_text("written", encoding="utf-8")

    monkeypatch.setattr(history, "_write_csv", full)
    job = Job("vawg", "delivery_strategy", {}, "VAWG", strategy="vawg")
    plan = RunPlan("2026-07", "heading", (job,), "2026-07", "2026-09")
    dataset = SimpleNamespace(commitments=pd.DataFrame(), actions=pd.DataFrame())
    with pytest.raises(OSError):
        history.record_meeting(tmp_path, plan, pd.DataFrame(), dataset, "t1")
    assert list((tmp_path / "history" / "2026-07").iterdir()) == []


def test_a_report_that_cannot_be_written_names_the_place_and_no_cell() -> None:
    from pcplib.run.execute import describe_failure

    line, cell, count = describe_failure(OSError(*FULL, "out/.tmp-2026-11-7"))
    assert line == (
        "cannot write out/.tmp-2026-11-7: No space left on device (the disk is full: free "
        "some space and run again)"
    )
    assert cell is None and count is None
