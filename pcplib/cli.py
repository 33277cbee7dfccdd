"""Command-line entry point ``pcp``: the pipeline's table of contents.

Each sub-command parses its options here and hands over to the module that does
the work, so the same functions serve the CLI, the notebooks and the tests.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from pcplib import __version__
from pcplib.file_safety import describe_long_name, describe_write_error

if TYPE_CHECKING:
    from pcplib.data import Dataset

DEFAULT_DATA = Path("data")
DEFAULT_OUT = Path("outputs")
# The forward plan is the data set's own (dataset.yaml's forward_plan, by default
# forward_plan.yaml in the data set); --forward-plan overrides it.
DEFAULT_FORWARD_PLAN = None
FORWARD_PLAN_HELP = (
    "the forward plan (default: the data set's own, dataset.yaml's forward_plan, "
    "normally forward_plan.yaml in the data set)"
)
DATA_HELP = (
    "data set folder (default: $PCP_DATA, else the path in a .pcp-data file in the "
    "checkout, else the shipped sample data/)"
)
DEFAULT_PARAMS = Path("params/strategies")
# The notebook the parameters files are for, relative to the folder above params/.
STRATEGY_NOTEBOOK = Path("notebooks/delivery_strategy.ipynb")


def build_parser() -> argparse.ArgumentParser:
    """Build the ``pcp`` argument parser.

    Returns
    -------
    argparse.ArgumentParser
        The parser with the ``run``, ``public``, ``annual``, ``plan``, ``validate``,
        ``returns`` and ``source`` sub-commands.
    """
    from pcplib.data.identity import find_default_data

    # The data set the project points at: $PCP_DATA, .pcp-data, else the sample.
    data = find_default_data()
    parser = argparse.ArgumentParser(
        prog="pcp",
        description="Monitor delivery of a Police and Crime Plan: validate data, run reports.",
    )
    parser.add_argument("--version", action="version", version=f"pcp {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    _add_data_commands(sub, data)
    _add_report_commands(sub, data)
    from pcplib.data.sources import add_returns_parser

    add_returns_parser(sub, data=data, forward_plan=DEFAULT_FORWARD_PLAN)
    _add_source_command(sub)
    return parser


def _add_data_commands(sub: Any, data: Path) -> None:
    """Add ``pcp validate``, ``pcp init`` and ``pcp plan``: the data set and its forward plan."""
    p_validate = sub.add_parser("validate", help="validate the data set and list every problem")
    p_validate.add_argument("path", nargs="?", type=Path, default=data, help=DATA_HELP)
    p_validate.add_argument(
        "--forward-plan", type=Path, default=DEFAULT_FORWARD_PLAN, help=FORWARD_PLAN_HELP
    )
    p_validate.add_argument(
        "--params",
        type=Path,
        default=None,
        help="a folder of papermill parameters files to check too, wherever it is "
        "(default params/strategies)",
    )
    p_validate.add_argument(
        "--all",
        action="store_true",
        help="list every problem (by default a long run of one problem is counted in one line)",
    )

    p_init = sub.add_parser(
        "init",
        help="write a new, empty plan to fill in (pcp validate DIR lists what is missing)",
        description="Write a new plan: dataset.yaml with every key explained, each table "
        "with its header and a commented example row, an empty forward plan and a README "
        "saying what to fill in and in what order.",
    )
    p_init.add_argument("folder", type=Path, metavar="DIR", help="a new or empty folder")
    p_init.add_argument(
        "--from-police-uk",
        type=Path,
        metavar="ZIP",
        help="a data.police.uk download: fill framework/areas.csv from its local "
        "authorities, with their Census 2021 populations",
    )
    p_init.add_argument("--force", metavar="NAME", help="the force, when the download has several")

    p_plan = sub.add_parser("plan", help="print the board's forward plan")
    p_plan.add_argument("--data", type=Path, default=data, help=DATA_HELP)
    p_plan.add_argument(
        "--forward-plan", type=Path, default=DEFAULT_FORWARD_PLAN, help=FORWARD_PLAN_HELP
    )


def _add_report_commands(sub: Any, data: Path) -> None:
    """Add ``pcp run``, ``pcp public`` and ``pcp annual``: the commands that build reports."""
    p_run = sub.add_parser(
        "run",
        help="run reports: a meeting's agenda, one strategy, every strategy, or the default job",
        description=(
            "Validate the data, execute the reports in parallel and publish "
            "outputs/<folder>/ only when every report succeeded."
        ),
    )
    p_run.add_argument(
        "--slot", help="board meeting: latest, next or YYYY-MM (its agenda plus the plan overview)"
    )
    p_run.add_argument(
        "--strategy",
        nargs="+",
        metavar="ID",
        help="one or more strategy ids, as in framework/strategies.csv",
    )
    p_run.add_argument("--all", action="store_true", help="every strategy in the forward plan")
    p_run.add_argument(
        "--audience",
        choices=["board", "public"],
        default="board",
        help="board (default: restricted measures shown) or public (restricted measures removed; "
        "written to a folder ending -public)",
    )
    p_run.add_argument(
        "--default",
        action="store_true",
        help="what 'make report' runs: the latest slot, the plan overview and the public report",
    )
    p_run.add_argument(
        "--period", help="data period end YYYY-MM (a quarter end) for --strategy or --all"
    )
    add_common_options(p_run, data)

    p_public = sub.add_parser(
        "public",
        help="the quarterly public monitoring report",
        description="Run public_quarterly.ipynb into outputs/public-<quarter>/.",
    )
    p_public.add_argument("--quarter", required=True, help='financial quarter, e.g. "2026/27 Q2"')
    add_common_options(p_public, data)

    p_annual = sub.add_parser(
        "annual",
        help="the annual evaluation of the plan's impact",
        description="Run annual_evaluation.ipynb into outputs/annual-<year>/.",
    )
    p_annual.add_argument("--year", required=True, help='financial year, e.g. "2025/26"')
    add_common_options(p_annual, data)


def _add_source_command(sub: Any) -> None:
    """Add ``pcp source police-uk`` and ``pcp source csv``: figures from a published source."""
    # pcp source police-uk and csv: the handler is pcplib.run.source_command.run_source.
    p_source = sub.add_parser("source", help="bring in figures from a published source")
    sources = p_source.add_subparsers(dest="source", required=True)
    p_police = sources.add_parser(
        "police-uk",
        help="count data.police.uk street-level crime; write counts or update a data set",
        description=(
            "Read data.police.uk street-level crime files (zip downloads, folders of them "
            "unpacked, or single *-street.csv files): write the tidy monthly counts "
            "(--counts) and/or update the observations of every measure with "
            "police_uk_crime_types in a data set (--data)."
        ),
    )
    p_police.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p_police.add_argument("--data", type=Path, metavar="DIR", help="the data set to update")
    p_police.add_argument(
        "--force", metavar="NAME", help="the force, as the files' 'Falls within' column names it"
    )
    p_police.add_argument("--counts", type=Path, metavar="FILE", help="write the counts as CSV")
    p_police.add_argument(
        "--dry-run", action="store_true", help="print what would change; write nothing"
    )
    p_police.add_argument(
        "--replace", action="store_true", help="overwrite observations from another source"
    )
    p_csv = sources.add_parser(
        "csv",
        help="merge a CSV of observations into a data set, checking each new figure",
        description=(
            "Merge a CSV with the columns of observations.csv into a data set: new figures "
            "added, conflicts refused unless --replace, every arriving figure checked "
            "against its series' history (one far outside it is loaded 'to confirm')."
        ),
    )
    p_csv.add_argument("file", type=Path, metavar="FILE")
    p_csv.add_argument("--data", type=Path, default=DEFAULT_DATA, metavar="DIR")
    p_csv.add_argument("--dry-run", action="store_true", help="print what would change only")
    p_csv.add_argument(
        "--replace", action="store_true", help="overwrite figures the data set holds"
    )


def add_common_options(parser: argparse.ArgumentParser, data: Path = DEFAULT_DATA) -> None:
    """Add the options ``pcp run`` and ``pcp public`` share.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The sub-command's parser.
    data : Path, default DEFAULT_DATA
        The default data set (the one the project points at).
    """
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="reports run at once (default: the number of CPUs; one more with PCP_FORK_KERNELS=0)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument(
        "--wait",
        type=float,
        default=None,
        metavar="SECONDS",
        help="how long to wait for another run into the same folder to finish before "
        "refusing (default 10; 0 refuses at once)",
    )
    parser.add_argument("--data", type=Path, default=data, help=DATA_HELP)
    parser.add_argument(
        "--forward-plan", type=Path, default=DEFAULT_FORWARD_PLAN, help=FORWARD_PLAN_HELP
    )
    parser.add_argument("--renderer", choices=["nbconvert", "quarto"], default="nbconvert")
    parser.add_argument("--pdf", action="store_true", help="also print each report to PDF")
    parser.add_argument(
        "--no-screenshots",
        action="store_true",
        help="do not save each report's first screen as <report>.png (saved by default "
        "when Chromium is installed, and shown as thumbnails in index.html)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print where each report's time went (kernel start, imports, data load, "
        "cells, HTML) and the run's own stages; also in run.log and manifest.json",
    )
    parser.add_argument(
        "--timestamp",
        help="fixed production time (ISO-8601) for byte-identical output; "
        "SOURCE_DATE_EPOCH works too",
    )
    # Testing aid: fixes the date 'latest' and 'next' are resolved against.
    parser.add_argument("--today", help=argparse.SUPPRESS)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``pcp`` command line.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when omitted.

    Returns
    -------
    int
        The process exit code: 0 published, 1 failure (invalid data, a failed report,
        outputs that could not be written), 2 nothing was run (a usage error, a missing
        renderer, an output folder that cannot be used or is held by another run),
        130 interrupted (Ctrl-C or SIGTERM).
    """
    command_line = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    for argument in argv:
        # Path.exists() and is_dir() raise on a name too long for the file system rather
        # than answer, so such a path would end in a traceback wherever it is first used.
        long_name = describe_long_name(argument.split("=", 1)[-1])
        if long_name:
            print(f"pcp: {argument[:60]}…: expected {long_name}; nothing was run", file=sys.stderr)
            return 2
    early = argv[:1] in (["run"], ["public"], ["annual"]) and not {"-h", "--help"} & set(argv)
    if early:
        # The reports' kernels are forked from a process that imports what they import:
        # started now, its imports overlap the runner's own (pcplib.forkserver).
        from pcplib.forkserver import start_early

        start_early("pcp")
    try:
        code = _run_command(argv)
    except BrokenPipeError:
        # A reader that stops early (`pcp validate | head -1`) closes the pipe: that is its
        # choice, not a failure to report. Point stdout at /dev/null so the interpreter's
        # own flush at exit cannot raise a second time, and say nothing.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as error:
        if error.errno != errno.ENAMETOOLONG:
            raise
        # A name made too long inside the run (a folder name built from an input).
        print(f"pcp: {describe_write_error(error)}; nothing was written", file=sys.stderr)
        code = 1
    finally:
        if early:
            from pcplib.forkserver import discard_early

            discard_early()
    if command_line and early:
        end_run_process(code)
    return code


def end_run_process(code: int) -> NoReturn:
    """End ``pcp run``'s process at once, once everything is written and closed.

    By then the outputs are published, the log closed, the kernels and the fork server
    stopped and the temporary folders removed; tearing down the interpreter (pandas,
    jupyter_client, nbconvert and their caches) only took another 0.8-1.2 s of every
    run on 2 busy cores, measured. Only the real command line ends this way
    (:func:`main` called without arguments), never a caller in Python.

    Parameters
    ----------
    code : int
        The exit code.
    """
    import logging

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def find_strategy_notebook(params: Path) -> Path:
    """The strategy notebook parameters files are checked against.

    Parameters
    ----------
    params : Path
        The parameters folder (used only when the running code has no checkout).

    Returns
    -------
    Path
        The running checkout's ``notebooks/delivery_strategy.ipynb``, else the one two
        folders above ``params``.
    """
    from pcplib.run.render import find_repo_root

    try:
        return find_repo_root() / STRATEGY_NOTEBOOK
    except FileNotFoundError:
        return params.resolve().parent.parent / STRATEGY_NOTEBOOK


LARGE_DATA_BYTES = 32 * 1_048_576
"""A data set whose files hold at least this much gets progress lines from ``pcp validate``."""


def make_validation_progress(path: Path | str) -> Callable[[str], None] | None:
    """Return what prints ``pcp validate``'s progress on stderr, for a large data set only.

    Parameters
    ----------
    path : path-like
        The data set's folder.

    Returns
    -------
    callable or None
        For a data set of at least :data:`LARGE_DATA_BYTES`, a function printing
        ``pcp validate: <stage> (<seconds> s)`` on stderr (so ``pcp validate > out.txt``
        still shows it, and the result on stdout stays as it was); None otherwise.
    """
    folder = Path(path)
    try:
        size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    except OSError:
        return None  # validation names the folder's problem
    if size < LARGE_DATA_BYTES:
        return None
    started = time.perf_counter()

    def tell(stage: str) -> None:
        print(
            f"pcp validate: {stage} ({time.perf_counter() - started:.0f} s)",
            file=sys.stderr,
            flush=True,
        )

    tell(f"{folder.as_posix()} holds {size / 1_048_576:,.0f} MiB")
    return tell


def is_sample_data(path: Path) -> bool:
    """Whether ``path`` is the shipped sample (``data/`` beside ``params/strategies``).

    Parameters
    ----------
    path : Path
        The data set being validated.

    Returns
    -------
    bool
        True when it is the working folder's ``data``, whose parameters files are
        ``params/strategies``.
    """
    try:
        return path.resolve() == DEFAULT_DATA.resolve()
    except OSError:
        return False


def resolve_plan_places(args: argparse.Namespace) -> None:
    """Fill in the forward plan a command left to its default: the data set's own.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed command line; ``forward_plan`` left as None becomes the data set's
        (``path`` for ``pcp validate``, else ``data``) own forward plan
        (:func:`pcplib.data.identity.locate_forward_plan`).
    """
    from pcplib.data.identity import find_default_data, locate_forward_plan

    if hasattr(args, "forward_plan"):
        data = getattr(args, "path" if args.command == "validate" else "data", None)
        args.forward_plan = locate_forward_plan(data or find_default_data(), args.forward_plan)


def print_narrative_warnings(path: Path, dataset: Dataset | None = None) -> int:
    """Print a warning for each number in the narrative that the data set contradicts.

    Run by ``pcp validate`` once the data set is valid: the narrative is the owners'
    text, so a figure in it that the data contradict is flagged to its author before
    it is published, without making the data set invalid. So is a commitment due later
    than the undated target it names (:mod:`pcplib.assessment.commitment_dates`).

    Parameters
    ----------
    path : Path
        The data set's folder.
    dataset : Dataset, optional
        The data set already loaded from ``path``, so `pcp validate` reads it once.

    Returns
    -------
    int
        How many warnings were printed.
    """
    from pcplib.assessment.commitment_dates import (
        check_commitment_target_dates,
        format_target_date_warnings,
    )
    from pcplib.assessment.narrative_checks import (
        check_narrative_numbers,
        format_narrative_warnings,
    )
    from pcplib.data import load_dataset

    dataset = load_dataset(path) if dataset is None else dataset
    warnings = format_narrative_warnings(check_narrative_numbers(dataset))
    # A commitment due later than the undated target it names: a warning, as the data
    # set is valid; the OPCC decides which date holds.
    warnings += format_target_date_warnings(check_commitment_target_dates(dataset))
    for warning in warnings:
        print(f"Warning: {warning}")
    return len(warnings)


def print_coherence_warnings(path: Path, dataset: Dataset | None = None) -> int:
    """Print a warning for each pair of series in the data set that cannot both be right.

    Run by ``pcp validate`` once the data set is valid: a share's base larger than the
    population it is part of, or one extract's rows disagreeing on which periods are
    provisional (:mod:`pcplib.data.coherence`). The data set stays valid: it is reported
    on as its source gives it while the source is asked.

    Parameters
    ----------
    path : Path
        The data set's folder.
    dataset : Dataset, optional
        The data set already loaded from ``path``, so `pcp validate` reads it once.

    Returns
    -------
    int
        How many warnings were printed.
    """
    from pcplib.data import load_dataset
    from pcplib.data.coherence import list_coherence_warnings

    dataset = load_dataset(path) if dataset is None else dataset
    warnings = list_coherence_warnings(dataset.measures, dataset.observations)
    for warning in warnings:
        print(f"Warning: {warning}")
    return len(warnings)


def _run_command(argv: list[str]) -> int:
    """Parse ``argv`` and run its command (:func:`main` without the broken-pipe guard)."""
    args = build_parser().parse_args(argv)
    args.argv = ["pcp", *argv]
    resolve_plan_places(args)
    if args.command == "validate":
        from pcplib.data import read_notebook_parameter_names, summarise_validation

        # Passed only when used, so the plain call stays summarise_validation(path, forward_plan).
        extra: dict[str, Any] = {"every": True} if args.all else {}
        params = args.params if args.params is not None else DEFAULT_PARAMS
        # params/strategies holds the sample's parameters files: another force's data set
        # is checked against parameters files only when --params names them.
        check_params = args.params is not None or is_sample_data(args.path)
        if args.params is not None and not args.params.is_dir():
            print(
                f"pcp validate: --params {args.params}: no such folder; expected a folder of "
                "parameters files (*.yaml)",
                file=sys.stderr,
            )
            return 2
        if check_params and params.is_dir():
            # The parameters are checked against the notebook of the code that runs them,
            # so a folder outside any checkout is checked too.
            extra["parameter_files"] = params
            extra["declared"] = read_notebook_parameter_names(find_strategy_notebook(params))
        progress = make_validation_progress(args.path)
        if progress is not None:
            extra["progress"] = progress
        valid, lines = summarise_validation(args.path, forward_plan=args.forward_plan, **extra)
        print("\n".join(lines))
        if not valid:
            return 1
        if progress is not None:
            progress("checking the narrative's figures against the data")
        from pcplib.data import load_dataset

        dataset = load_dataset(args.path)
        print_narrative_warnings(args.path, dataset)
        if progress is not None:
            progress("checking related series against each other")
        print_coherence_warnings(args.path, dataset)
        return 0
    if args.command == "init":
        from pcplib.data.new_plan import write_new_plan

        try:
            written = write_new_plan(args.folder, args.from_police_uk, args.force)
        except ValueError as error:
            print(f"pcp init: {error}", file=sys.stderr)
            return 2
        print(
            f"wrote {len(written)} files into {args.folder.as_posix()}; read its README.md, "
            f"then check each step with: pcp validate {args.folder.as_posix()}"
        )
        return 0
    if args.command == "plan":
        from pcplib.data.identity import read_identity
        from pcplib.run.plan_table import print_plan

        return print_plan(args.forward_plan, board=read_identity(args.data).board_name)
    if args.command == "returns":
        from pcplib.data.sources import run_returns

        return run_returns(args)
    if args.command == "source":
        from pcplib.run.source_command import run_source

        return run_source(args)
    from pcplib import run as run_module

    return run_module.dispatch(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
