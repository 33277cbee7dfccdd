"""JupyterLab for analysts: ``make lab`` on a free loopback port, as root or as a user.

``make lab`` runs ``python -m pcplib.run.lab notebooks/``. JupyterLab refuses to start
as root (the usual case in a container) unless told ``--allow-root``, and with
``--port=0`` it does not pick a free port, so both are decided here; the URL with its
token is printed before JupyterLab starts, so it is the first thing the analyst sees
and not lost in the server's log. The browser test of the notebooks
(``tests/browser/test_jupyterlab.py``) starts JupyterLab with the same command.
"""

from __future__ import annotations

import os
import secrets
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["LOOPBACK", "build_lab_command", "find_free_port", "format_lab_url", "main"]

LOOPBACK = "127.0.0.1"


def find_free_port(host: str = LOOPBACK) -> int:
    """Return a TCP port nothing listens on, chosen by the operating system.

    Parameters
    ----------
    host : str, default "127.0.0.1"
        The address the port is free on.

    Returns
    -------
    int
        The port. Another program could take it before JupyterLab binds it; JupyterLab
        is started with ``port_retries=0`` so that it then fails rather than silently
        move to a port other than the URL printed.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def build_lab_command(
    root_dir: str | os.PathLike[str],
    port: int,
    token: str,
    *,
    open_browser: bool = True,
    is_root: bool | None = None,
    extra: Sequence[str] = (),
) -> list[str]:
    """Return the command that starts JupyterLab on loopback with a token.

    Parameters
    ----------
    root_dir : str or os.PathLike
        The folder JupyterLab shows (``notebooks/`` for ``make lab``).
    port : int
        The port, from :func:`find_free_port`.
    token : str
        The token a browser needs to connect.
    open_browser : bool, default True
        Whether JupyterLab opens a browser (tests start it with False).
    is_root : bool, optional
        Whether this process runs as root; read from :func:`os.geteuid` when omitted.
        ``--allow-root`` is added only then, as JupyterLab refuses it for no reason
        otherwise and warns when it is given needlessly.
    extra : sequence of str, optional
        More JupyterLab options, appended as given.

    Returns
    -------
    list of str
        Arguments for :func:`subprocess.Popen` or :func:`os.execv`, running JupyterLab
        with this Python so the venv's ``pcp`` kernel is the one found.

    Raises
    ------
    ValueError
        If ``port`` is not a port number or ``token`` is empty.
    """
    if not 0 < port < 65536:
        raise ValueError(f"port must be between 1 and 65535, got {port}")
    if not token:
        raise ValueError("a token is needed: JupyterLab on a shared machine must not be open")
    if is_root is None:
        is_root = os.geteuid() == 0
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={Path(root_dir).resolve()}",
        f"--ServerApp.ip={LOOPBACK}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
    ]
    if not open_browser:
        command.append("--no-browser")
    if is_root:
        command.append("--allow-root")
    return [*command, *extra]


def format_lab_url(port: int, token: str, path: str = "lab") -> str:
    """Return the URL that opens JupyterLab (or ``path`` in it) with its token.

    Parameters
    ----------
    port : int
        The server's port.
    token : str
        The server's token.
    path : str, default "lab"
        The page, such as ``"lab/tree/delivery_strategy.ipynb"``.

    Returns
    -------
    str
        Such as ``"http://127.0.0.1:8890/lab?token=..."``.
    """
    return f"http://{LOOPBACK}:{port}/{path.lstrip('/')}?token={token}"


def main(argv: Sequence[str] | None = None) -> None:
    """Start JupyterLab on the folder given (``notebooks`` by default), replacing this process.

    Parameters
    ----------
    argv : sequence of str, optional
        The folder, then any JupyterLab options; ``sys.argv[1:]`` when omitted.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    root = args.pop(0) if args and not args[0].startswith("-") else "notebooks"
    port, token = find_free_port(), secrets.token_urlsafe(24)
    command = build_lab_command(root, port, token, extra=args)
    print(f"JupyterLab: {format_lab_url(port, token)}", flush=True)
    # exec, so Ctrl-C and the terminal belong to JupyterLab as if it were started directly.
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
