"""Runs are safe: bad output folders refused in one line, one run at a time, nothing left behind.

Each test is one kind of fault a new user meets (docs/error-handling.md lists them):
an output folder that is a file, read-only or full; an unknown strategy or year; two
runs into one folder at once; a run killed with ``kill -9``. In every case the message
is one line, the exit code is the README's, nothing is published and the last good
outputs are intact. The runs execute tiny notebooks against a stand-in data set, as in
test_run.py; the lock and ``kill -9`` tests use real processes.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from rich.console import Console

from pcplib import cli, run
from pcplib.run import judgements as run_judgements
from pcplib.run import lock, publish, runtime

STRATEGY_PARAMETERS = (
    'strategy = "example"\nslot = ""\nmeeting = ""\nperiod_end = ""\ndata_dir = "data"\n'
    'spc_rules = "mdc"\naudience = "board"\nforward_plan = ""\nhistory_dir = ""\nproduced_at = ""\n'
)
OVERVIEW_PARAMETERS = (
    'slot = ""\nmeeting = ""\nperiod_end = ""\ndata_dir = "data"\nproduced_at = ""\n'
)
PUBLIC_PARAMETERS = (
    'quarter = ""\ndata_dir = "data"\nforward_plan = "data/forward_plan.yaml"\nproduced_at = ""\n'
)
AT = "2026-11-23T06:00:00+00:00"
DEAD_PID = 999_999_999  # above any pid_max: no such process


def body(text: str, sleep: float = 0.0, release: Path | None = None) -> str:
    """A report body that waits ``sleep`` seconds, then shows ``text``.

    With ``release``, it waits only until that file exists (``sleep`` seconds at most):
    the test lets it finish as soon as it has seen what it waited for, rather than
    sleeping for a time long enough on the busiest machine.
    """
    if release is None:
        wait = f"time.sleep({sleep})\n"
    else:
        wait = (
            f"end = time.monotonic() + {sleep}\n"
            f"while not os.path.exists({str(release)!r}) and time.monotonic() < end:\n"
            "    time.sleep(0.05)\n"
        )
    return f"import os, time\n{wait}from IPython.display import HTML\nHTML({text!r})"


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A folder with a short path: kernel sockets' paths must stay under ~100 characters."""
    folder = Path(tempfile.mkdtemp(prefix="pcp-t-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_notebook, short_tmp: Path
) -> SimpleNamespace:
    """Tiny notebooks, a stand-in data set and plan, an output folder and a runtime folder."""
    return make_project(tmp_path, monkeypatch, write_notebook, short_tmp)


def make_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_notebook, short_tmp: Path
) -> SimpleNamespace:
    """What ``project`` gives, in ``tmp_path``, its changes made with ``monkeypatch``."""
    monkeypatch.setenv(runtime.RUNTIME_ENV, str(short_tmp))
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    notebooks = {
        "delivery_strategy": write_notebook(
            nbdir / "delivery_strategy.ipynb", STRATEGY_PARAMETERS, body("<h1>report</h1>")
        ),
        "plan_overview": write_notebook(
            nbdir / "plan_overview.ipynb", OVERVIEW_PARAMETERS, 'print("overview")'
        ),
        "public_quarterly": write_notebook(
            nbdir / "public_quarterly.ipynb", PUBLIC_PARAMETERS, 'print("public")'
        ),
        "public_quarterly_about": write_notebook(
            nbdir / "public_quarterly_about.ipynb",
            'quarter = ""\ndata_dir = "data"\nproduced_at = ""\n',
            'print("about")',
        ),
    }
    monkeypatch.setattr(run.jobs, "NOTEBOOKS", notebooks)
    monkeypatch.setattr(
        run_judgements,
        "tabulate_job_judgements",
        lambda ds, job, contexts=None: pd.DataFrame({"report": [job.name]}),
    )
    data = tmp_path / "data"
    data.mkdir()
    plan_file = tmp_path / "forward_plan.yaml"
    plan_file.write_text("slots: []\n", encoding="utf-8")
    dataset = SimpleNamespace(
        # No restricted measures: the public gate (pcplib.run.public_check) reads this.
        measures=pd.DataFrame({"measure_id": [], "measure_name": [], "visibility": []}),
        illustrative=True,
        description="Illustrative sample for tests.",
        files={},
        strategies=pd.DataFrame({"strategy_id": ["vawg"], "strategy_name": ["VAWG"]}),
    )
    monkeypatch.setattr(run.validation, "load_inputs", lambda options: (dataset, []))
    monkeypatch.setattr(run.manifest, "read_git_commit", lambda: {"commit": None, "dirty": None})
    forward_plan = SimpleNamespace(
        slots=[
            SimpleNamespace(
                slot="2026-11", year="2026/27", strategies=["vawg"], period_end="2026-09"
            )
        ]
    )
    monkeypatch.setattr(run.plans, "load_plan", lambda path: forward_plan)
    options = run.RunOptions(
        out_dir=tmp_path / "outputs",
        data_dir=data,
        forward_plan=plan_file,
        jobs=2,
        produced_at=AT,
        reproducible=True,
        screenshots=False,
        lock_wait=0.5,
    )
    return SimpleNamespace(
        tmp=tmp_path,
        options=options,
        out=tmp_path / "outputs",
        data=data,
        plan_file=plan_file,
        notebooks=notebooks,
        runtime_base=short_tmp,
        write_notebook=write_notebook,
    )


def make_plan() -> run.RunPlan:
    job = run.plan_strategy_job("vawg", "2026-11", "2026-09", "data", AT)
    return run.RunPlan("2026-11", "CGB test", (job,), "2026-11", "2026-09")


def recording() -> Console:
    return Console(record=True, width=120, file=open(os.devnull, "w"))  # noqa: SIM115


def run_once(project: SimpleNamespace, **changes) -> tuple[int, list[str]]:
    """Run the one-report plan in this process; return the exit code and the lines printed."""
    from dataclasses import replace

    console = recording()
    code = run.run_plan(make_plan(), replace(project.options, **changes), console)
    return code, [line for line in console.export_text().splitlines() if line.strip()]


def publish_good_run(project: SimpleNamespace) -> dict[str, bytes]:
    """Publish one good run and return its folder's bytes (the last good outputs)."""
    code, lines = run_once(project)
    assert code == run.EXIT_OK, lines
    return folder_bytes(project.out / "2026-11")


@pytest.fixture(scope="module")
def good_outputs(tmp_path_factory: pytest.TempPathFactory, write_notebook) -> Iterator[Path]:
    """An output folder holding one good run, published once for the tests that copy it.

    A run costs a kernel's start; the tests of a fault after a good run need its outputs
    (hidden leftovers included, so they still find any), not a run of their own. Kernels
    start from scratch, as the unit tests' ``start_kernels_from_scratch`` has them.
    """
    from pcplib import forkserver

    runtime_base = Path(tempfile.mkdtemp(prefix="pcp-t-"))
    try:
        with pytest.MonkeyPatch.context() as monkeypatch:
            monkeypatch.setenv("PCP_FORK_KERNELS", "0")
            monkeypatch.setattr(forkserver, "_ACTIVE", None)
            tmp = tmp_path_factory.mktemp("good-run")
            good = make_project(tmp, monkeypatch, write_notebook, runtime_base)
            publish_good_run(good)
        yield good.out
    finally:
        shutil.rmtree(runtime_base, ignore_errors=True)


def copy_good_run(project: SimpleNamespace, good_outputs: Path) -> dict[str, bytes]:
    """Give ``project`` the outputs of a good run (a copy of ``good_outputs``, every file).

    Returns the slot folder's bytes, as :func:`publish_good_run` does.
    """
    shutil.copytree(good_outputs, project.out, symlinks=True)
    return folder_bytes(project.out / "2026-11")


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "run.log"
    }


def hidden(out: Path) -> list[str]:
    """Temporary folders and lock files in the output folder: none may be left."""
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


def must_not_run(*args, **kwargs):
    raise AssertionError("a report was executed")


# --- output folders ----------------------------------------------------------------------------


def test_out_that_is_a_file_is_a_usage_error_in_one_line(project, monkeypatch) -> None:
    monkeypatch.setattr(run.execute, "execute_job", must_not_run)
    project.out.write_text("a file", encoding="utf-8")
    code, lines = run_once(project)
    assert code == run.EXIT_USAGE
    assert lines == [
        f"pcp: --out {project.out}: expected a folder for the reports, but it is not one; "
        "remove the file or choose another --out"
    ]
    assert project.out.read_text(encoding="utf-8") == "a file"


def test_out_below_a_file_is_a_usage_error(project) -> None:
    project.out.write_text("a file", encoding="utf-8")
    code, lines = run_once(project, out_dir=project.out / "reports")
    assert code == run.EXIT_USAGE
    assert lines == [
        f"pcp: --out {project.out / 'reports'}: expected a folder for the reports, but it is "
        f"not one ({project.out} is a file); remove the file or choose another --out"
    ]


def test_a_file_where_the_report_folder_goes_publishes_nothing(project, monkeypatch) -> None:
    monkeypatch.setattr(run.execute, "execute_job", must_not_run)
    project.out.mkdir()
    (project.out / "2026-11").write_text("notes", encoding="utf-8")
    code, lines = run_once(project)
    assert code == run.EXIT_USAGE
    assert len(lines) == 1 and "2026-11 is a file: expected the reports' folder there" in lines[0]
    assert (project.out / "2026-11").read_text(encoding="utf-8") == "notes"
    assert hidden(project.out) == []


def test_a_link_where_the_report_folder_goes(project) -> None:
    elsewhere = project.tmp / "elsewhere"
    elsewhere.mkdir()
    project.out.mkdir()
    (project.out / "2026-11").symlink_to(elsewhere)
    code, lines = run_once(project)
    assert code == run.EXIT_USAGE
    assert len(lines) == 1 and "is a link (to " in lines[0]
    assert (project.out / "2026-11").is_symlink()


def test_a_file_where_failed_notebooks_go(project, good_outputs) -> None:
    before = copy_good_run(project, good_outputs)
    (project.out / "2026-11" / "_failed").write_text("x", encoding="utf-8")
    code, lines = run_once(project)
    assert code == run.EXIT_USAGE
    assert len(lines) == 1 and "_failed is a file" in lines[0]
    assert {k: v for k, v in folder_bytes(project.out / "2026-11").items() if k != "_failed"} == (
        before
    )


def test_out_inside_the_data_set_is_refused(project) -> None:
    code, lines = run_once(project, out_dir=project.data / "outputs")
    assert code == run.EXIT_USAGE
    assert len(lines) == 1 and "whose files are only ever read" in lines[0]
    assert not (project.data / "outputs").exists()


def test_a_read_only_output_folder_is_one_line(project, monkeypatch, good_outputs) -> None:
    before = copy_good_run(project, good_outputs)
    real_open = os.open

    # Tests may run as root, who can write anywhere: refuse as a read-only folder does.
    def read_only(path, flags, *args, **kwargs):
        if Path(path).parent == project.out and flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(lock.os, "open", read_only)
    monkeypatch.setattr(run.execute, "execute_job", must_not_run)
    code, lines = run_once(project)
    assert code == run.EXIT_USAGE
    assert lines == [
        f"pcp: cannot write {project.out / '.2026-11.lock'}: Permission denied; expected an "
        "output folder this user can write to; nothing was run"
    ]
    assert folder_bytes(project.out / "2026-11") == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_for_real(project, good_outputs) -> None:
    before = copy_good_run(project, good_outputs)
    project.out.chmod(0o555)
    try:
        code, lines = run_once(project)
    finally:
        project.out.chmod(0o755)
    assert code == run.EXIT_USAGE and len(lines) == 1 and "Permission denied" in lines[0]
    assert folder_bytes(project.out / "2026-11") == before


def test_a_full_disk_publishes_nothing_and_leaves_nothing(
    project, monkeypatch, good_outputs
) -> None:
    before = copy_good_run(project, good_outputs)
    real_write = Path.write_text

    def full(self: Path, *args, **kwargs):
        if self.name == "index.html":
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    code, lines = run_once(project)
    assert code == run.EXIT_FAILED
    [message] = [line for line in lines if line.startswith("pcp:")]
    assert message.endswith(
        f"index.html: No space left on device; nothing was published; {project.out / '2026-11'} "
        "is unchanged"
    )
    assert folder_bytes(project.out / "2026-11") == before
    assert hidden(project.out) == []


def test_a_failed_rename_while_publishing_puts_the_last_outputs_back(tmp_path, monkeypatch) -> None:
    destination = tmp_path / "2026-11"
    destination.mkdir()
    (destination / "index.html").write_text("last good", encoding="utf-8")
    staging = tmp_path / ".tmp-2026-11-1"
    staging.mkdir()
    (staging / "index.html").write_text("new", encoding="utf-8")
    real_replace = os.replace

    def failing(source, target):
        if Path(source) == staging:
            raise OSError(errno.EXDEV, "Invalid cross-device link", str(source))
        return real_replace(source, target)

    monkeypatch.setattr(publish.os, "replace", failing)
    with pytest.raises(OSError):
        publish.publish_folder(staging, destination)
    assert (destination / "index.html").read_text(encoding="utf-8") == "last good"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tmp-2026-11-1", "2026-11"]


# --- usage errors before anything runs ------------------------------------------------------


def run_args(project: SimpleNamespace, *extra: str) -> list[str]:
    return [
        "run",
        *extra,
        "--out",
        str(project.out),
        "--data",
        str(project.data),
        "--forward-plan",
        str(project.plan_file),
        "--no-screenshots",
    ]


def test_an_unknown_strategy_is_a_usage_error_before_any_kernel_or_folder(
    project, monkeypatch, capsys
) -> None:
    monkeypatch.setattr(run.execute, "execute_job", must_not_run)
    code = cli.main(run_args(project, "--strategy", "vawgg", "--period", "2026-09"))
    assert code == run.EXIT_USAGE
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "pcp: --strategy vawgg: unknown strategy (did you mean 'vawg'?); expected one of: vawg"
    ]
    assert not project.out.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--slot", "2026-11", "--jobs", "-1"), "--jobs must be 1 or more, got -1"),
        (("--slot", "2026-11", "--wait", "-5"), "--wait must be 0 or more seconds, got -5"),
        (("--slot", "2026-11", "--timestamp", "Tuesday"), "--timestamp 'Tuesday' is not"),
        (("--slot", "2026-11", "--today", "23/11/2026"), "--today '23/11/2026' is not a date"),
        (("--all", "--period", "2026-13"), "--period '2026-13' is not a month YYYY-MM"),
    ],
    ids=["negative jobs", "negative wait", "timestamp", "today", "period"],
)
def test_bad_option_values_are_one_line_usage_errors(project, capsys, extra, message) -> None:
    assert cli.main(run_args(project, *extra)) == run.EXIT_USAGE
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and message in out[0]
    assert not project.out.exists()


def test_an_unknown_slot_lists_the_plans_slots(repo_root: Path) -> None:
    plan = run.plans.load_plan(repo_root / "data" / "forward_plan.yaml")
    with pytest.raises(run.RunError) as caught:
        run.plans.resolve_slot_spec(plan, "2026-12", None)
    assert caught.value.exit_code == run.EXIT_USAGE
    assert "expected 'latest', 'next' or one of 2025-05, 2025-07" in str(caught.value)


@pytest.mark.parametrize(
    ("job", "message"),
    [
        (
            run.plan_annual_job("2030/31", "data", ""),
            "report annual-evaluation: year '2030/31' is not covered by the data",
        ),
        (
            run.plan_public_job("2019/20 Q1", "data", "data/forward_plan.yaml", ""),
            "report public-quarterly: quarter '2019/20 Q1' is before the data",
        ),
        (
            run.plan_strategy_job("vawgg", "2026-11", "2026-09", "data", ""),
            "report vawgg: unknown strategy 'vawgg' (did you mean 'vawg'?)",
        ),
    ],
    ids=["year", "quarter", "strategy"],
)
def test_parameters_the_data_cannot_serve_are_usage_errors(data_dir, job, message) -> None:
    from pcplib.data import load_dataset

    dataset = load_dataset(data_dir, today=pd.Timestamp("2026-11-23").date())
    with pytest.raises(run.RunError) as caught:
        run.validation.check_job_parameters([job], dataset)
    assert caught.value.exit_code == run.EXIT_USAGE
    assert str(caught.value).startswith(message)


# --- the lock: two real processes --------------------------------------------------------------

DRIVER = """
import json, sys
from pathlib import Path
from types import SimpleNamespace
import pandas as pd
from pcplib import run

config = json.loads(sys.argv[1])
run.jobs.NOTEBOOKS = {key: Path(value) for key, value in config["notebooks"].items()}
dataset = SimpleNamespace(
    illustrative=True, description="", files={},
    strategies=pd.DataFrame({"strategy_id": ["vawg"], "strategy_name": ["VAWG"]}),
    measures=pd.DataFrame({"measure_id": [], "measure_name": [], "visibility": []}),
)
run.validation.load_inputs = lambda options: (dataset, [])
run.manifest.read_git_commit = lambda: {"commit": None, "dirty": None}
run.judgements.tabulate_job_judgements = (
    lambda ds, job, contexts=None: pd.DataFrame({"report": [job.name]})
)
at = "2026-11-23T06:00:00+00:00"
job = run.plan_strategy_job("vawg", "2026-11", "2026-09", "data", at)
plan = run.RunPlan("2026-11", "CGB test", (job,), "2026-11", "2026-09")
options = run.RunOptions(
    out_dir=Path(config["out"]), data_dir=Path(config["data"]),
    forward_plan=Path(config["plan"]), jobs=1, produced_at=at, reproducible=True,
    screenshots=False, lock_wait=config["wait"], command=("pcp", "run", config["name"]),
)
sys.exit(run.run_plan(plan, options))
"""


def start_run(
    project: SimpleNamespace,
    name: str,
    text: str,
    sleep: float,
    wait: float,
    release: Path | None = None,
) -> subprocess.Popen[str]:
    """Start a real run in its own process; its report shows ``text`` after ``sleep`` s.

    With ``release``, the report finishes as soon as that file exists (see :func:`body`).
    """
    notebook = project.write_notebook(
        project.tmp / "notebooks" / f"{name}.ipynb",
        STRATEGY_PARAMETERS,
        body(text, sleep, release),
    )
    config = {
        "notebooks": {**{k: str(v) for k, v in project.notebooks.items()}},
        "out": str(project.out),
        "data": str(project.data),
        "plan": str(project.plan_file),
        "wait": wait,
        "name": name,
    }
    config["notebooks"]["delivery_strategy"] = str(notebook)
    return subprocess.Popen(
        [sys.executable, "-c", DRIVER, json.dumps(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # Unbuffered, so a test can read what the run says while it runs.
        env={**os.environ, runtime.RUNTIME_ENV: str(project.runtime_base), "PYTHONUNBUFFERED": "1"},
    )


def read_until(process: subprocess.Popen[str], text: str) -> str:
    """Read a run's output up to the first line holding ``text`` (or to its end)."""
    seen = []
    assert process.stdout is not None
    for line in process.stdout:
        seen.append(line)
        if text in line:
            break
    return "".join(seen)


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} within {seconds} s"
        time.sleep(0.1)


def lock_holder_pid(project: SimpleNamespace) -> int | None:
    return lock.read_lock_holder(lock.lock_path(project.out, "2026-11")).pid


def finish(process: subprocess.Popen[str], timeout: float = 120) -> tuple[int, str]:
    try:
        out, _ = process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, out


def test_a_second_run_into_the_same_folder_refuses_saying_which_run_holds_it(project) -> None:
    # The first run's report holds the lock until the second has been refused.
    release = project.tmp / "release"
    first = start_run(project, "first", "<p>ALPHA-RUN</p>", sleep=120, wait=0, release=release)
    try:
        wait_for(lambda: lock_holder_pid(project) == first.pid, 60, "the first run took the lock")
        code, out = finish(start_run(project, "second", "<p>BRAVO-RUN</p>", sleep=0, wait=1))
        assert code == run.EXIT_USAGE, out
        refusal = [line for line in out.splitlines() if "did nothing" in line]
        assert len(refusal) == 1
        assert f"is being written by another run (pid {first.pid}, started " in refusal[0]
        assert ": pcp run first)" in refusal[0]
        assert first.poll() is None, "the first run still held the lock"
    finally:
        release.touch()
        first_code, first_out = finish(first)
    assert first_code == run.EXIT_OK, first_out
    assert "ALPHA-RUN" in (project.out / "2026-11" / "vawg.html").read_text(encoding="utf-8")
    assert hidden(project.out) == []


def test_a_second_run_that_waits_runs_after_the_first_and_publishes_its_own(project) -> None:
    # The first run's report holds the lock until the second says it is waiting for it.
    release = project.tmp / "release"
    first = start_run(project, "first", "<p>ALPHA-RUN</p>", sleep=120, wait=0, release=release)
    second = None
    try:
        wait_for(lambda: lock_holder_pid(project) == first.pid, 60, "the first run took the lock")
        second = start_run(project, "second", "<p>BRAVO-RUN</p>", sleep=0, wait=120)
        said = read_until(second, "waiting up to")
        assert first.poll() is None, "the first run still held the lock"
        release.touch()
        # Read on through the same buffered reader (communicate() would skip what it holds).
        second_code = second.wait(timeout=180)
        second_out = said + (second.stdout.read() if second.stdout else "")
    finally:
        release.touch()
        if second is not None and second.poll() is None:
            second.kill()
            second.wait()
        first_code, first_out = finish(first)
    assert (first_code, second_code) == (run.EXIT_OK, run.EXIT_OK), first_out + second_out
    assert f"(pid {first.pid}, started " in second_out and "waiting up to 120 s" in second_out
    html = (project.out / "2026-11" / "vawg.html").read_text(encoding="utf-8")
    assert "BRAVO-RUN" in html and "ALPHA-RUN" not in html
    assert hidden(project.out) == []


def test_a_lock_file_left_by_a_killed_run_does_not_block(project) -> None:
    project.out.mkdir()
    stale = lock.lock_path(project.out, "2026-11")
    stale.write_text(json.dumps({"pid": DEAD_PID, "started": "", "command": "pcp"}), "utf-8")
    code, lines = run_once(project, lock_wait=0)
    assert code == run.EXIT_OK, lines
    assert hidden(project.out) == []


# --- kill -9 -----------------------------------------------------------------------------------


def kernel_processes(runtime_dir: Path) -> list[int]:
    """Pids of kernels started with a connection file in ``runtime_dir``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if str(runtime_dir) in command:
            found.append(int(entry.name))
    return found


def test_kill_9_leaves_nothing_the_next_run_does_not_remove(project) -> None:
    before = publish_good_run(project)
    killed = start_run(project, "slow", "<p>slow</p>", sleep=120, wait=0)
    folder = project.runtime_base / f"pcp-runtime-{os.getuid()}" / str(killed.pid)
    try:
        wait_for(lambda: list(folder.glob("kernel-*.json")), 60, "the kernel started")
        time.sleep(1.0)  # let the kernel begin its cell
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait(timeout=30)
    finally:
        if killed.poll() is None:
            killed.kill()
            killed.wait()
    # What a killed run leaves: its temporary folder, its lock file, its kernel files.
    assert hidden(project.out) == [".2026-11.lock", f".tmp-2026-11-{killed.pid}"]
    assert list(folder.glob("kernel-*.json"))
    # Its kernel stops by itself once its parent is gone (ipykernel watches for that).
    wait_for(lambda: not kernel_processes(folder), 30, "the orphaned kernel stopped")
    assert folder_bytes(project.out / "2026-11") == before
    code, lines = run_once(project)
    assert code == run.EXIT_OK, lines
    staging = project.out / f".tmp-2026-11-{killed.pid}"
    assert f"pcp: tidied {staging}, left by a run that was killed" in lines
    assert "pcp: removed the kernel files of 1 killed run(s)" in lines
    assert hidden(project.out) == []
    assert not folder.exists()
    assert list(folder.parent.iterdir()) == []


# --- tidying up after killed runs ----------------------------------------------------------


def test_a_run_killed_between_the_two_renames_gets_its_last_outputs_back(tmp_path) -> None:
    old = tmp_path / f".old-2026-11-{DEAD_PID}"
    old.mkdir()
    (old / "index.html").write_text("last good", encoding="utf-8")
    staging = tmp_path / f".tmp-2026-11-{DEAD_PID}"
    staging.mkdir()
    (staging / "index.html").write_text("never published", encoding="utf-8")
    assert sorted(publish.remove_stale_staging(tmp_path, "2026-11")) == [old, staging]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-11"]
    assert (tmp_path / "2026-11" / "index.html").read_text(encoding="utf-8") == "last good"


def test_leftovers_of_other_folders_are_tidied_unless_their_run_is_alive(tmp_path) -> None:
    dead = tmp_path / f".tmp-all-2026-09-{DEAD_PID}"
    alive = tmp_path / f".tmp-2027-01-{os.getppid()}"
    public = tmp_path / f".tmp-2026-11-public-{DEAD_PID}"
    for folder in (dead, alive, public):
        folder.mkdir()
    (tmp_path / ".all-2026-09.lock").write_text(json.dumps({"pid": DEAD_PID}), "utf-8")
    (tmp_path / ".notes.lock").write_text("a user's own file", encoding="utf-8")
    handled = publish.tidy_output_folder(tmp_path, "2026-11")
    assert sorted(p.name for p in handled) == sorted([dead.name, public.name, ".all-2026-09.lock"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [".notes.lock", alive.name]


def test_dead_runners_kernel_files_are_removed_and_live_ones_kept(short_tmp, monkeypatch) -> None:
    monkeypatch.setenv(runtime.RUNTIME_ENV, str(short_tmp))
    root = runtime.runtime_root()
    dead, alive = root / str(DEAD_PID), root / str(os.getppid())
    for folder in (dead, alive):
        folder.mkdir()
        (folder / "kernel-0.json").write_text("{}", encoding="utf-8")
    assert runtime.remove_dead_runtime_dirs() == [dead]
    assert alive.exists() and not dead.exists()
    assert oct(root.stat().st_mode & 0o777) == "0o700"


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a folder to another user")
def test_a_runtime_folder_owned_by_someone_else_is_not_used(short_tmp, monkeypatch) -> None:
    monkeypatch.setenv(runtime.RUNTIME_ENV, str(short_tmp))
    root = short_tmp / f"pcp-runtime-{os.getuid()}"
    root.mkdir()
    os.chown(root, 12345, -1)
    with pytest.raises(OSError, match="not a folder owned by this user"):
        runtime.runtime_root()
    assert runtime.remove_dead_runtime_dirs() == []


def test_kernels_keep_their_files_in_the_runners_own_folder(short_tmp, monkeypatch) -> None:
    from pcplib.run import render

    monkeypatch.setenv(runtime.RUNTIME_ENV, str(short_tmp))
    manager = render.get_kernel_manager_class()(kernel_name="pcp")
    mine = runtime.process_runtime_dir()
    assert Path(manager.connection_file).parent == mine
    assert Path(manager.ip).parent == mine
    assert len(f"{manager.ip}-5") < 100  # a socket's path has to fit in about 107 bytes


# --- a Chromium that crashes -------------------------------------------------------------------


@pytest.fixture
def crashing_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A 'Chromium' that dies of a segmentation fault as soon as it starts."""
    crash = tmp_path / "chromium"
    crash.write_text("#!/bin/sh\nkill -SEGV $$\n", encoding="utf-8")
    crash.chmod(0o755)
    monkeypatch.setenv("PCP_CHROMIUM", str(crash))
    return crash


def test_a_crashing_chromium_skips_screenshots_with_one_line(project, crashing_chromium) -> None:
    code, lines = run_once(project, screenshots=True)
    assert code == run.EXIT_OK, lines
    [warning] = [line for line in lines if line.startswith("Warning:")]
    assert warning.startswith("Warning: screenshots skipped: ")
    assert (project.out / "2026-11" / "vawg.html").is_file()


def test_a_crashing_chromium_fails_a_pdf_run_with_one_line(
    project, crashing_chromium, good_outputs
) -> None:
    before = copy_good_run(project, good_outputs)
    code, lines = run_once(project, pdf=True)
    assert code == run.EXIT_FAILED
    [message] = [line for line in lines if "PDFs could not be printed" in line]
    assert message.endswith(
        f"Nothing was published; {project.out / '2026-11'} is unchanged; "
        f"the log is in {project.out / '2026-11' / '_failed'}"
    )
    assert not [line for line in lines if "--disable-" in line]  # no browser command line
    assert {
        k: v
        for k, v in folder_bytes(project.out / "2026-11").items()
        if not k.startswith("_failed/")
    } == before


def test_a_missing_notebook_is_one_line_before_anything_runs(project, monkeypatch) -> None:
    monkeypatch.setitem(run.jobs.NOTEBOOKS, "delivery_strategy", project.tmp / "gone.ipynb")
    code, lines = run_once(project)
    assert code == run.EXIT_FAILED
    assert lines == [
        f"pcp: notebook {project.tmp / 'gone.ipynb'} not found (needed for report 'vawg')"
    ]
    assert not project.out.exists()


def press_ctrl_c(seconds: float) -> None:
    raise KeyboardInterrupt


def test_ctrl_c_while_waiting_for_the_lock_leaves_nothing(project, monkeypatch) -> None:
    project.out.mkdir()
    holder = lock.hold_folder_lock(project.out, "2026-11", wait=0)
    holder.__enter__()
    try:
        monkeypatch.setattr(lock.time, "sleep", press_ctrl_c)
        code, lines = run_once(project, lock_wait=30)
    finally:
        holder.__exit__(None, None, None)
    assert code == run.EXIT_INTERRUPTED
    assert any(line.startswith("Interrupted: nothing was published") for line in lines)
    assert hidden(project.out) == []


def test_a_link_that_loops_as_out_is_a_usage_error(project, capsys) -> None:
    loop = project.tmp / "loop"
    loop.symlink_to(loop)
    argv = ["run", "--slot", "2026-11", "--out", str(loop), "--data", str(project.data)]
    assert cli.main([*argv, "--forward-plan", str(project.plan_file)]) == run.EXIT_USAGE
    assert capsys.readouterr().out.splitlines() == [
        f"pcp: --out {loop}: a link that loops (it points, in the end, to itself); expected a "
        "real folder or file"
    ]


def test_a_corrupt_notebook_is_one_line(project, monkeypatch) -> None:
    broken = project.tmp / "notebooks" / "broken.ipynb"
    broken.write_text('{"cells": [\n<<<<<<< HEAD\n' + "x" * 5000, encoding="utf-8")
    monkeypatch.setitem(run.jobs.NOTEBOOKS, "delivery_strategy", broken)
    code, lines = run_once(project)
    assert code == run.EXIT_FAILED
    assert len(lines) == 1 and lines[0].startswith(f"pcp: notebook {broken} cannot be read (")
    assert len(lines[0]) < 400
    assert not project.out.exists()


def test_a_kernel_that_is_not_installed_is_a_usage_error(project, monkeypatch) -> None:
    monkeypatch.setattr(run.execute, "execute_job", must_not_run)
    code, lines = run_once(project, kernel_name="no-such-kernel")
    assert code == run.EXIT_USAGE
    assert lines == [
        "pcp: the Jupyter kernel 'no-such-kernel' is not installed; install it with make setup "
        "(or: .venv/bin/python -m ipykernel install --sys-prefix --name pcp)"
    ]


def test_a_runtime_folder_that_cannot_be_made_is_one_line(project, monkeypatch) -> None:
    blocker = project.runtime_base / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(runtime.RUNTIME_ENV, str(blocker))
    monkeypatch.setattr(run.execute, "execute_job", must_not_run)
    code, lines = run_once(project)
    assert code == run.EXIT_USAGE
    assert len(lines) == 1 and lines[0].startswith("pcp: cannot write ")
    assert lines[0].endswith("; nothing was run")
    assert not project.out.exists(), "nothing left, not even the output folder it made"


def test_a_run_log_that_cannot_be_started_leaves_no_temporary_folder(project, monkeypatch) -> None:
    from pcplib.run import build

    def full(staging, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")  # no file name, as a flush

    monkeypatch.setattr(build, "start_staging_log", full)
    code, lines = run_once(project)
    assert code == run.EXIT_FAILED
    [message] = [line for line in lines if line.startswith("pcp:")]
    assert message.startswith(f"pcp: cannot write {project.out}: No space left on device;")
    # The output folder was made by this run: nothing is left of it, not even empty.
    assert not project.out.exists(), "no empty .tmp- folder, nor an empty output folder"


def test_a_killed_kernel_is_reported_once_without_a_cell(project, capfd) -> None:
    project.write_notebook(
        project.notebooks["delivery_strategy"],
        STRATEGY_PARAMETERS,
        "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
    )
    code, lines = run_once(project)
    assert code == run.EXIT_FAILED
    said = capfd.readouterr().err
    assert "at cell None" not in said + "\n".join(lines)
    assert said.count("FAILED") == 1 and "FAILED after" in said and "Kernel died" in said


def test_a_first_run_that_fails_leaves_no_empty_output_folder(project, monkeypatch) -> None:
    real_write = Path.write_text

    def full(self: Path, *args, **kwargs):
        if self.name == "index.html":
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_write(self, *args, **kwargs)

    out = project.out / "new" / "outputs"
    monkeypatch.setattr(Path, "write_text", full)
    code, lines = run_once(project, out_dir=out)
    assert code == run.EXIT_FAILED, lines
    assert not (project.out / "new").exists(), "no empty folder of the run's own making"


def test_list_missing_folders_names_what_a_run_would_make(tmp_path) -> None:
    from pcplib.file_safety import list_missing_folders, remove_made_folders

    made = list_missing_folders(tmp_path / "a" / "b")
    assert made == [tmp_path / "a", tmp_path / "a" / "b"]
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "kept.txt").write_text("x", encoding="utf-8")
    remove_made_folders(made)
    assert not (tmp_path / "a" / "b").exists() and (tmp_path / "a" / "kept.txt").exists()
    assert list_missing_folders(tmp_path) == []
