"""Command-line entry point ``pcp``: the pipeline's table of contents.

Each sub-command parses its options here and hands over to the module that does
the work, so the same functions serve the CLI, the notebooks and the tests.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pcplib import __version__

DEFAULT_DATA = Path("data")
DEFAULT_OUT = Path("outputs")
DEFAULT_FORWARD_PLAN = Path("params/forward_plan.yaml")


def build_parser() -> argparse.ArgumentParser:
    """Build the ``pcp`` argument parser.

    Returns
    -------
    argparse.ArgumentParser
        The parser with the ``run``, ``public``, ``plan`` and ``validate`` sub-commands.
    """
    parser = argparse.ArgumentParser(
        prog="pcp",
        description="Monitor delivery of the Police and Crime Plan: validate data, run reports.",
    )
    parser.add_argument("--version", action="version", version=f"pcp {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p_validate = sub.add_parser("validate", help="validate the data set and list every problem")
    p_validate.add_argument("path", nargs="?", type=Path, default=DEFAULT_DATA)
    p_validate.add_argument("--forward-plan", type=Path, default=DEFAULT_FORWARD_PLAN)

    p_plan = sub.add_parser("plan", help="print the CGB forward plan")
    p_plan.add_argument("--forward-plan", type=Path, default=DEFAULT_FORWARD_PLAN)

    from pcplib import run as run_module

    run_module.add_run_arguments(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``pcp`` command line.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when omitted.

    Returns
    -------
    int
        The process exit code: 0 success, 1 failure (invalid data, a failed report),
        2 usage error.
    """
    args = build_parser().parse_args(argv)
    if args.command == "validate":
        from pcplib.data import run_validate

        return run_validate(args.path, forward_plan=args.forward_plan)
    if args.command == "plan":
        from pcplib.forward_plan import print_plan

        return print_plan(args.forward_plan)
    from pcplib import run as run_module

    return run_module.dispatch(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
