"""The exit codes of ``pcp run``, ``pcp public`` and ``pcp annual``, and the error that stops a run.

A :class:`RunError` is raised before anything executes (bad options, a missing
renderer, an unreadable forward plan) and carries the exit code the command returns.
"""

from __future__ import annotations

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class RunError(Exception):
    """A run cannot start: bad options or inputs. Carries the exit code to return."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code
