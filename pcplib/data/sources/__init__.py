"""Sources that bring data in.

Each module here turns one outside source into the tables of the data set
(``data/``, see ``data/README.md``) so that :func:`pcplib.data.load_dataset` can
read them:

- the owners' quarterly returns (seed 002, para 15): the workbook's layout
  (:mod:`~pcplib.data.sources.returns_layout`), the template
  (:mod:`~pcplib.data.sources.returns_template`, ``pcp returns template``), reading and
  checking a return (:mod:`~pcplib.data.sources.returns_load`) and merging it into the
  data set atomically (:mod:`~pcplib.data.sources.returns_merge`, ``pcp returns load``).
- :mod:`~pcplib.data.sources.police_uk`: data.police.uk street-level crime,
  read with DuckDB into tidy monthly counts (zip members handed over by
  :mod:`~pcplib.data.sources.archives`);
- :mod:`~pcplib.data.sources.update`: those counts merged into a data set's
  observations, validated and written atomically;
- :mod:`~pcplib.data.sources.published`: how rows from a real published source
  are named, so reports can attribute them.

The commands' console side (``pcp source``) is :mod:`pcplib.run.source_command`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

__all__ = ["add_returns_parser", "run_returns"]


def add_returns_parser(sub: Any, *, data: Path, forward_plan: Path | None) -> None:
    """Add ``pcp returns template`` and ``pcp returns load`` to the ``pcp`` parser.

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The ``pcp`` parser's sub-commands.
    data : Path
        The default data set folder (the one the project points at).
    forward_plan : Path or None
        The default forward plan (None: the data set's own, filled in by
        :func:`pcplib.cli.resolve_plan_places`).
    """
    p_returns = sub.add_parser(
        "returns",
        help="quarterly returns from the strategy owners: Excel templates out, returns in",
        description="Make the owners' quarterly return workbooks, and load them back.",
    )
    returns_sub = p_returns.add_subparsers(dest="returns_command", required=True)
    p_template = returns_sub.add_parser(
        "template",
        help="write a return workbook for each strategy's owners",
        description="Write one return workbook per strategy (never over an existing file).",
    )
    who = p_template.add_mutually_exclusive_group(required=True)
    who.add_argument("--strategy", nargs="+", metavar="ID", help="one or more strategy ids")
    who.add_argument("--all", action="store_true", help="every strategy on the next slot")
    p_template.add_argument(
        "--quarter", help='quarter the return covers, e.g. "2026/27 Q3" (--all: the slot\'s)'
    )
    p_template.add_argument("--slot", help="with --all: the slot, next (default) or YYYY-MM")
    p_template.add_argument(
        "--out",
        type=Path,
        help="FILE.xlsx for one strategy, or a folder (default outputs/returns/<quarter>/)",
    )
    p_template.add_argument("--data", type=Path, default=data, help="data set folder")
    p_template.add_argument(
        "--forward-plan",
        type=Path,
        default=forward_plan,
        help="the forward plan (default: the data set's own)",
    )
    # Testing aid: fixes the date 'next' is resolved against.
    p_template.add_argument("--today", help=argparse.SUPPRESS)
    p_load = returns_sub.add_parser(
        "load",
        help="validate returns and merge them into the data set",
        description="Check each return, show what would change and merge atomically; a "
        "figure that differs from the data set's is refused unless --replace.",
    )
    p_load.add_argument("files", nargs="+", type=Path, metavar="FILE.xlsx")
    p_load.add_argument("--data", type=Path, default=data, help="data set folder")
    p_load.add_argument("--dry-run", action="store_true", help="show what would change only")
    p_load.add_argument(
        "--replace", action="store_true", help="replace figures that differ from the data set's"
    )
    # Testing aid: the date quarters must have ended by and figures are extracted on.
    p_load.add_argument("--today", help=argparse.SUPPRESS)


def run_returns(args: argparse.Namespace) -> int:
    """Dispatch ``pcp returns template`` and ``pcp returns load`` to their handlers.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed command line; ``returns_command`` is ``template`` or ``load``.

    Returns
    -------
    int
        The handler's exit code: 0 done, 1 invalid return or refused load, 2 usage.
    """
    if args.returns_command == "template":
        from pcplib.data.sources.returns_template import run_returns_template

        return run_returns_template(args)
    from pcplib.data.sources.returns_merge import run_returns_load

    return run_returns_load(args)
