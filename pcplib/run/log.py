"""The run's log: ``run.log`` beside the reports and, off a terminal, standard error.

Every module of the runner logs to the ``pcplib.run`` logger; a run attaches its
handlers for its own duration (a terminal shows a progress bar instead of log lines).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

logger = logging.getLogger("pcplib.run")


def start_log(path: Path, console: Console) -> list[logging.Handler]:
    """Send the run's log to ``path`` and, when not on a terminal, to standard error.

    Parameters
    ----------
    path : Path
        The log file.
    console : rich.console.Console
        The console (a terminal gets a progress bar instead of log lines).

    Returns
    -------
    list of logging.Handler
        The handlers added (pass to :func:`stop_log`).
    """
    file_handler = logging.FileHandler(path, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    handlers: list[logging.Handler] = [file_handler]
    if not console.is_terminal:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter("pcp: %(message)s"))
        handlers.append(stream)
    for handler in handlers:
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return handlers


def stop_log(handlers: Sequence[logging.Handler]) -> None:
    """Detach and close the handlers added by :func:`start_log`.

    Parameters
    ----------
    handlers : sequence of logging.Handler
        The handlers.
    """
    for handler in handlers:
        logger.removeHandler(handler)
        handler.close()
