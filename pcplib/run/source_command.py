"""``pcp source police-uk`` and ``pcp source csv``: the console side of updating a data set.

The work is the data floor's (:mod:`pcplib.data.sources`); this module, on the run
floor with the rest of the command line, says what it read and did.

``pcp source police-uk`` reads the street-level crime files of the archives, folders or files
given, prints what it read and skipped, and then

- with ``--counts FILE``, writes the tidy monthly counts (and reads or writes
  nothing else when ``--data`` is not given);
- with ``--data DIR``, updates the data set's observations of every measure whose
  ``police_uk_crime_types`` is set (:mod:`pcplib.data.sources.update`).

``--dry-run`` prints what would change and writes nothing. Exit codes: 0 done,
1 a malformed input or a refused update (nothing written), 2 a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pcplib.file_safety import describe_long_name, describe_write_error

if TYPE_CHECKING:
    from pcplib.data.sources.police_uk import StreetCounts
    from pcplib.data.sources.update import UpdatePlan

__all__ = ["run_source"]


def _number(value: int) -> str:
    """Return a whole number with thousands separators."""
    return f"{int(value):,}"


def _print_read(result: StreetCounts, files: pd.DataFrame) -> None:
    """Print what was read: files, rows, forces, repeated IDs, rows with no location."""
    months = sorted(files["month"].unique())
    span = f", {months[0]} to {months[-1]}" if months else ""
    paths = files["shown"].nunique()
    print(
        f"Read {_number(paths)} street-level crime file(s){span}: "
        f"{_number(files['rows'].sum())} rows"
    )
    for force, group in files.groupby("force"):
        print(
            f"  {force}: {_number(group['shown'].nunique())} file(s), "
            f"{_number(group['rows'].sum())} rows, {_number(group['no_location'].sum())} "
            "with no location"
        )
    repeated = files[files["repeated_rows"] > 0].groupby("force")[["repeated_rows", "repeated_ids"]]
    if len(repeated):
        print("Repeated Crime IDs (every row is counted as a crime, as police.uk counts them):")
        for force, sums in repeated.sum().iterrows():
            print(
                f"  {force}: {_number(sums['repeated_rows'])} rows share "
                f"{_number(sums['repeated_ids'])} Crime IDs"
            )
    if result.skipped:
        print(f"Skipped {len(result.skipped)} file(s), not read:")
        for skipped in result.skipped:
            print(f"  {skipped.shown}: {skipped.reason}")


def _print_plan(plan: UpdatePlan) -> None:
    """Print an update: how rows were allocated to areas, and what changes per measure."""
    cover = plan.coverage
    areas = (
        f" and {len(cover.local_authorities)} local authorities" if cover.local_authorities else ""
    )
    print(f"Data set {plan.root.as_posix()}: force area {cover.force_area} ({cover.force}){areas}")
    if cover.local_authorities:
        print(
            f"  of {_number(cover.rows)} rows, {_number(cover.no_location)} with no location and "
            f"{_number(cover.outside)} located outside the force area's local authorities count "
            "in the force area's figures only"
        )
    for row in plan.tally.itertuples(index=False):
        print(
            f"  {row.measure_id}: {_number(row.added)} added, {_number(row.changed)} changed, "
            f"{_number(row.unchanged)} unchanged"
        )
    tally = plan.tally
    print(
        f"  in all: {_number(tally['added'].sum())} added, {_number(tally['changed'].sum())} "
        f"changed, {_number(tally['unchanged'].sum())} unchanged"
    )
    if plan.gaps:
        print(
            f"  {_number(len(plan.gaps))} figure(s) not given by the files, written as missing "
            "(never 0):"
        )
        for gap in plan.gaps:
            key = (gap.measure_id, f"{gap.month}-01", gap.area)
            kept = "; the figure already in the data set is kept" if key in plan.kept else ""
            print(f"    {gap.measure_id}, {gap.area}, {gap.month}: {gap.reason}{kept}")
    if plan.provisional is not None:
        print(f"  outcomes: {plan.provisional.describe()}")
    if plan.to_confirm:
        print(
            f"  {_number(len(plan.to_confirm))} figure(s) to confirm: far outside their "
            "series' history, loaded with status 'to confirm' and not judged in reports "
            "until confirmed (set the status to final once checked; docs/methodology.md):"
        )
        for figure in plan.to_confirm:
            print(f"    {figure}")
    if plan.conflicts and plan.replace:
        print(
            f"  {_number(len(plan.conflicts))} observation(s) from another source "
            "replaced (--replace)"
        )


def _select_force(
    counts: pd.DataFrame, files: pd.DataFrame, force: str | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep only the rows falling within ``--force`` (all of them without it)."""
    from pcplib.data.sources.police_uk import match_force

    if not force:
        return counts, files
    keep = counts["force"].map(match_force) == match_force(force)
    if not keep.any():
        found = ", ".join(sorted(counts["force"].unique())) or "no rows"
        raise ValueError(f"--force {force!r}: no rows fall within it (the files hold {found})")
    kept = set(counts.loc[keep, "force"])
    return counts[keep].reset_index(drop=True), files[files["force"].isin(kept)]


def check_destinations(counts: Path | None, data: Path | None) -> str:
    """Say what is wrong with ``--counts`` and ``--data``, before any file is read.

    Parameters
    ----------
    counts : Path or None
        Where the counts are to be written.
    data : Path or None
        The data set to update.

    Returns
    -------
    str
        One line naming the option and what was expected; empty when both can be used.
    """
    for option, path in (("--counts", counts), ("--data", data)):
        long_name = describe_long_name(path) if path is not None else ""
        if long_name:
            return f"{option} {str(path)[:60]}…: expected {long_name}"
    if counts is not None:
        if counts.is_dir():
            return (
                f"--counts {counts}: a folder; expected a file to write the counts to "
                "(such as counts.csv)"
            )
        for above in counts.parents:
            if above.exists() and not above.is_dir():
                return f"--counts {counts}: {above} is a file; expected a folder to write into"
            if above.is_dir():
                break
    if data is not None and not data.is_dir():
        state = "it is a file" if data.exists() else "it does not exist"
        return f"--data {data}: expected a data set folder ({state})"
    return ""


def _say_refused(problems: list, message: str) -> int:
    """Print each problem on a line and why nothing was written; return exit code 1."""
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    print(f"Refused: {message}", file=sys.stderr)
    return 1


def _say_unwritable(error: OSError) -> int:
    """Print, in one line, what could not be written and why; return exit code 1."""
    print(f"error: {describe_write_error(error)}; nothing was written", file=sys.stderr)
    return 1


def _count_street_files(paths: list[Path]) -> StreetCounts | int:
    """Find and count the street-level files among ``paths``.

    Returns the counts, or exit code 1 (said on stderr) when there is no street file
    or one cannot be read.
    """
    from pcplib.data.sources.police_uk import (
        PoliceUkError,
        count_street_crimes,
        list_street_files,
    )

    try:
        street, skipped = list_street_files(paths)
        if not street:
            print(
                "error: no data.police.uk street-level crime file (YYYY-MM-<force>-street.csv) "
                f"in {', '.join(Path(p).as_posix() for p in paths)}; nothing was written",
                file=sys.stderr,
            )
            for file in skipped:
                print(f"  skipped {file.shown}: {file.reason}", file=sys.stderr)
            return 1
        return count_street_crimes(street, skipped)
    except PoliceUkError as error:
        print(f"error: {error}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 1


def _write_outputs(args: argparse.Namespace, counts: pd.DataFrame, plan: UpdatePlan | None) -> int:
    """Write the counts (``--counts``) and the checked update (``--data``), or say a dry run.

    Returns the exit code: 0 written (or nothing to write), 1 refused or unwritable.
    """
    from pcplib.data.sources.police_uk import write_counts
    from pcplib.data.sources.update import UpdateRefusedError, write_update

    if args.dry_run:
        if args.counts is not None:
            print(f"Would write {_number(len(counts))} rows of counts to {args.counts.as_posix()}")
        if plan is not None:
            print("The update is valid.")
        print("Dry run: nothing was written.")
        return 0
    if args.counts is not None:
        try:
            write_counts(counts, args.counts)
        except OSError as error:
            return _say_unwritable(error)
        print(f"Wrote {_number(len(counts))} rows of counts to {args.counts.as_posix()}")
    if plan is not None:
        try:
            written = write_update(plan)
        except UpdateRefusedError as error:
            return _say_refused(error.problems, str(error))
        except OSError as error:
            return _say_unwritable(error)
        target = (plan.root / "observations" / "observations.csv").as_posix()
        print(
            f"Updated {target}" if written else f"No change: {target} already holds these figures"
        )
    return 0


def run_source(args: argparse.Namespace, today: dt.date | None = None) -> int:
    """Run ``pcp source police-uk`` from parsed arguments.

    Parameters
    ----------
    args : argparse.Namespace
        ``paths``, ``data``, ``force``, ``counts``, ``dry_run`` and ``replace``.
    today : datetime.date, optional
        The extraction date and validation date (default today; for tests).

    Returns
    -------
    int
        0 done, 1 a malformed input or a refused update (nothing written), 2 neither
        ``--counts`` nor ``--data`` given.
    """
    if getattr(args, "source", "police-uk") == "csv":
        return _run_csv_update(args, today)
    from pcplib.data import DataValidationError
    from pcplib.data.sources.update import (
        UpdateRefusedError,
        check_update,
        plan_police_uk_update,
    )

    if args.counts is None and args.data is None:
        print("pcp source police-uk: give --counts FILE, --data DIR or both", file=sys.stderr)
        return 2
    wrong = check_destinations(args.counts, args.data)
    if wrong:
        # Said before the archives are read: reading a large download takes a while.
        print(f"pcp source police-uk: {wrong}; nothing was read or written", file=sys.stderr)
        return 2
    result = _count_street_files(args.paths)
    if isinstance(result, int):
        return result
    _print_read(result, result.files)
    try:
        counts, files = _select_force(result.counts, result.files, args.force)
    except ValueError as error:
        print(f"error: {error}; nothing was written", file=sys.stderr)
        return 1
    plan = None
    if args.data is not None:
        try:
            plan = plan_police_uk_update(
                args.data, counts, files, args.force, args.replace, today=today,
                outcomes=result.outcomes,
            )  # fmt: skip
            _print_plan(plan)
            # Checked before anything is written, so a refused update writes no counts either.
            check_update(plan, today=today)
        except UpdateRefusedError as error:
            return _say_refused(error.problems, str(error))
        except DataValidationError as error:
            # The data set itself cannot be read: its problems, not a traceback.
            return _say_refused(
                error.problems, f"the data set {args.data} cannot be read; nothing was written"
            )
    return _write_outputs(args, counts, plan)


def _run_csv_update(args: argparse.Namespace, today: dt.date | None) -> int:
    """Run ``pcp source csv``: ``file``, ``data``, ``dry_run``, ``replace``.

    Returns
    -------
    int
        0 done (or nothing to change), 1 a malformed CSV or a refused update (nothing
        written), 2 a file or folder that does not exist.
    """
    from pcplib.data.sources.csv_update import plan_csv_update
    from pcplib.data.sources.update import UpdateRefusedError, check_update, write_update

    if not Path(args.file).is_file() or not Path(args.data).is_dir():
        print(
            f"pcp source csv: expected a CSV file and a data set folder ({args.file}, "
            f"{args.data}); nothing was read or written",
            file=sys.stderr,
        )
        return 2
    try:
        plan = plan_csv_update(args.data, args.file, args.replace)
        for row in plan.tally.itertuples(index=False):
            print(
                f"  {row.measure_id}: {row.added} added, {row.changed} changed, "
                f"{row.unchanged} unchanged"
            )
        if plan.to_confirm:
            print(
                f"  {len(plan.to_confirm)} figure(s) to confirm: far outside their series' "
                "history, loaded with status 'to confirm' and not judged in reports until "
                "confirmed (set the status to final once checked; docs/methodology.md):"
            )
            for figure in plan.to_confirm:
                print(f"    {figure}")
        check_update(plan, today=today)
        if args.dry_run:
            print("Dry run: nothing was written.")
            return 0
        written = write_update(plan)
    except UpdateRefusedError as error:
        return _say_refused(error.problems, str(error))
    target = (Path(args.data) / "observations" / "observations.csv").as_posix()
    print(f"Updated {target}" if written else f"No change: {target} already holds these figures")
    return 0
