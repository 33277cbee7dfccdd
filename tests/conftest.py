"""Fixtures shared by every test: where the repository is, and the sample reports built once.

``sample_outputs`` runs the real runner on the shipped sample data once per test
session, the way users run it, and every end-to-end and browser test reads the
reports it published; no test folder builds reports of its own.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"
SEEDS_DIR = SHARED_DIR / "seeds"
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

SAMPLE_TODAY = "2026-11-23"
SAMPLE_TIMESTAMP = "2026-11-23T06:00:00Z"
SAMPLE_SLOT = "2026-11"
SAMPLE_PERIOD_END = "2026-09"
SAMPLE_YEAR = "2025/26"
# The slot's strategy with a restricted measure, so the public version has one to leave out.
PUBLIC_STRATEGY = "neighbourhood-policing"

# The session fixtures worth building once per process: a test that uses either runs in the
# one pytest-xdist worker that holds them (see pytest_collection_modifyitems).
SHARED_SESSION_FIXTURES = ("sample_outputs", "fork_server")
SHARED_GROUP = "sample-reports"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tell pytest-xdist (``-n 2 --dist loadgroup``) which tests must share a worker.

    Every test that reads the session's sample reports or forks from the session's fork
    server (all the end-to-end and browser tests) goes to one worker, so the reports are
    built and the server started once, not once per worker; every other file is a group
    of its own, so a module-scoped fixture (a report run shared by a file's tests) is
    built once, as it is without xdist. Without pytest-xdist this does nothing.
    """
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if any(name in fixtures for name in SHARED_SESSION_FIXTURES):
            group = SHARED_GROUP
        else:
            group = item.path.relative_to(REPO_ROOT).as_posix()
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's root folder."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """``tests/reference``: the R packages' results the back tests check against."""
    return REFERENCE_DIR


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """``../shared/seeds``: the published board papers (source documents, not copied here).

    Tests that need a paper's whole text are skipped, saying where to put it, without it.
    """
    if not SEEDS_DIR.is_dir():
        pytest.skip(
            f"{SEEDS_DIR} is missing: the seed papers are source documents kept outside the "
            "repository; put them in ../shared/seeds/ (tests/reference/README.md)"
        )
    return SEEDS_DIR


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The shipped illustrative sample data set."""
    return REPO_ROOT / "data"


@pytest.fixture(scope="module")
def sample(data_dir: Path) -> Any:
    """The shipped sample data set, loaded once per test module (tests must not change it)."""
    from pcplib.data import load_dataset

    return load_dataset(data_dir)


# The date `pcp source` takes as today in tests: its extraction date and validation date.
SOURCE_TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="session")
def pcp_source() -> SimpleNamespace:
    """`pcp source` as the command line runs it, dated :data:`SOURCE_TODAY`.

    ``pcp_source.police_uk(*argv)`` runs ``pcp source police-uk ARGV`` and
    ``pcp_source.csv(*argv)`` runs ``pcp source csv ARGV``; each returns the exit code.
    """
    from pcplib import cli
    from pcplib.run.source_command import run_source

    def run(kind: str, argv: tuple[str, ...]) -> int:
        return run_source(
            cli.build_parser().parse_args(["source", kind, *argv]), today=SOURCE_TODAY
        )

    return SimpleNamespace(
        police_uk=lambda *argv: run("police-uk", argv), csv=lambda *argv: run("csv", argv)
    )


@pytest.fixture(scope="session")
def write_notebook() -> Callable[[Path, str, str], Path]:
    """A writer of tiny notebooks: a title, a tagged parameters cell and a body cell.

    The writer takes the notebook's path, the parameters cell's source and the body
    cell's source, writes the notebook for the project's ``pcp`` kernel and returns the path.
    """
    import nbformat

    def write(path: Path, parameters: str, body: str) -> Path:
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell(parameters)
        cell.metadata["tags"] = ["parameters"]
        nb.cells = [
            nbformat.v4.new_markdown_cell("# Tiny report"),
            cell,
            nbformat.v4.new_code_cell(body),
        ]
        nb.metadata["kernelspec"] = {
            "name": "pcp",
            "display_name": "Python (pcp)",
            "language": "python",
        }
        nbformat.write(nb, path)
        return path

    return write


@dataclass(frozen=True)
class SampleOutputs:
    """The reports the runner published for the sample data, built once per session.

    Attributes
    ----------
    out_dir : Path
        The ``--out`` folder both runs published into.
    slot_dir : Path
        ``<out>/2026-11``: what ``pcp run --default`` published (the slot's two
        strategy reports, the plan overview, the delivery board's view, the public
        quarterly report, the index).
    all_dir : Path
        ``<out>/all-2026-09``: every strategy's CGB report (``pcp run --all``), with
        the annual evaluation and the public version of one strategy report.
    reports : dict of str to Path
        Every report's HTML (indexes excluded), by name: the 13 strategy ids (the
        slot's two from ``slot_dir``), ``<id>-public``, ``plan-overview`` (the Board's),
        ``public-quarterly`` and ``annual-evaluation``.
    public_reports : tuple of str
        Names in ``reports`` meant for the public: they must hold no restricted measure.
    strategies : tuple of str
        Every strategy id, in forward-plan order.
    produced_at : str
        The fixed production time every report states.
    """

    out_dir: Path
    slot_dir: Path
    all_dir: Path
    reports: dict[str, Path]
    public_reports: tuple[str, ...]
    strategies: tuple[str, ...]
    produced_at: str

    @property
    def slot_pages(self) -> dict[str, Path]:
        """Every HTML page of the slot run and every public report, by name.

        The index (``index``), the slot's reports and the public ones: what a
        reader opens, so what the browser checks.
        """
        pages = {path.stem: path for path in sorted(self.slot_dir.glob("*.html")) if path.is_file()}
        pages.update({name: self.reports[name] for name in self.public_reports})
        return pages


def build_sample_outputs(out: Path, data: Path) -> SampleOutputs:
    """Run ``pcp run --default`` and ``pcp run --all`` (plus two reports) on ``data``.

    The second run is ``--all``'s own plan with the annual evaluation and the
    public strategy report added to it, so both cores stay busy to the end. Both
    runs use the same fixed timestamp, so the slot's two strategy reports are
    built twice with the same parameters: that is the determinism check.
    """
    from pcplib import cli, run

    common = ["--today", SAMPLE_TODAY, "--timestamp", SAMPLE_TIMESTAMP, "--jobs", "2"]
    common += ["--out", str(out), "--data", str(data)]
    common += ["--forward-plan", str(REPO_ROOT / "data" / "forward_plan.yaml")]
    code = cli.main(["run", "--default", *common])
    if code != 0:
        pytest.fail(f"`pcp run --default` on the sample data failed (exit {code}); see above")

    argv = ["run", "--all", *common]
    args = cli.build_parser().parse_args(argv)
    args.argv = ["pcp", *argv]
    options = run.make_options(args)
    plan = run.build_run_plan(args, options)
    strategies = tuple(job.strategy for job in plan.jobs if job.strategy)
    data_param = run.repo_parameter(options.data_dir)
    public = run.plan_strategy_job(
        PUBLIC_STRATEGY, SAMPLE_SLOT, SAMPLE_PERIOD_END, data_param, options.produced_at
    )
    public = replace(
        public,
        name=f"{PUBLIC_STRATEGY}-public",
        parameters={**public.parameters, "audience": "public"},
    )
    annual = run.Job(
        name="annual-evaluation",
        notebook="annual_evaluation",
        parameters={
            "year": SAMPLE_YEAR,
            "data_dir": data_param,
            "produced_at": options.produced_at,
        },
        title=f"Annual evaluation {SAMPLE_YEAR}",
    )
    # The longest reports first, so the last one to finish is a short one.
    plan = replace(plan, jobs=(annual, public, *plan.jobs))
    code = run.run_plan(plan, options)
    if code != 0:
        pytest.fail(f"`pcp run --all` (with the extra reports) failed (exit {code}); see above")

    slot_dir = out / SAMPLE_SLOT
    all_dir = out / plan.folder
    reports = {s: all_dir / f"{s}.html" for s in strategies}
    for name in ("annual-evaluation", f"{PUBLIC_STRATEGY}-public"):
        reports[name] = all_dir / f"{name}.html"
    for path in slot_dir.glob("*.html"):
        if path.stem != "index":
            reports[path.stem] = path
    missing = sorted(name for name, path in reports.items() if not path.is_file())
    if missing:
        pytest.fail(f"the runner reported success but wrote no HTML for: {', '.join(missing)}")
    return SampleOutputs(
        out_dir=out,
        slot_dir=slot_dir,
        all_dir=all_dir,
        reports=reports,
        # The slot run's plan overview is the Board's (it may show restricted measures,
        # and its header says so); the public one comes from a run with --audience public.
        public_reports=(
            f"{PUBLIC_STRATEGY}-public",
            "public-quarterly",
            "public-quarterly-about",
            "annual-evaluation",
        ),
        strategies=strategies,
        produced_at=SAMPLE_TIMESTAMP,
    )


@pytest.fixture(scope="session")
def fork_server() -> Iterator[object]:
    """One fork server (``pcplib.forkserver``) every run and notebook of the session forks from.

    Each ``pcp run`` started its own, and with the data set's validation cached its
    imports were what a run waited for first; shared, they are paid once. Each report
    still runs in a fresh kernel of its own, forked from a process that never runs a
    notebook. The end-to-end and browser folders use it (their conftests); the unit
    tests hide it.
    """
    from pcplib import forkserver

    with forkserver.serve_kernels("pcp", REPO_ROOT) as server:
        yield server


@pytest.fixture(scope="session")
def sample_outputs(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> SampleOutputs:
    """Every sample report, built once per session by the real runner (about a minute).

    ``pcp run --default --today 2026-11-23 --timestamp 2026-11-23T06:00:00Z --jobs 2``
    publishes slot 2026-11; ``pcp run --all`` with the annual evaluation and the
    public version of the neighbourhood-policing report publishes ``all-2026-09``.
    """
    out = tmp_path_factory.mktemp("outputs")
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return build_sample_outputs(out, data_dir)
    # A live Playwright session (the browser tests') keeps an asyncio loop running in
    # this thread, where Playwright cannot start the runner's own Chromium for its
    # screenshots: build in a thread of its own, as a fresh process would.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sample-outputs") as pool:
        return pool.submit(build_sample_outputs, out, data_dir).result()


POLICE_UK_DIR = SHARED_DIR / "open-data" / "police-uk"


@pytest.fixture(scope="session")
def police_uk_archive() -> Path:
    """The real data.police.uk download in ``../shared`` (read in place, never copied).

    Leicestershire and Nottinghamshire street-level crime, January 2023 to December
    2024; tests that need it are skipped, saying why, where ``../shared`` lacks it.
    """
    archives = sorted(POLICE_UK_DIR.glob("*.zip")) if POLICE_UK_DIR.is_dir() else []
    if not archives:
        pytest.skip(
            f"no data.police.uk archive in {POLICE_UK_DIR}: download Leicestershire and "
            "Nottinghamshire street-level crime, 2023-01 to 2024-12, from "
            "https://data.police.uk/data/ and put the zip there (tests/reference/README.md)"
        )
    return archives[0]
