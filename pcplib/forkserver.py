"""Kernels forked from a warm process: each report in a fresh process, without its imports.

Every report runs in its own kernel, and each kernel used to spend most of its time
before the report's first line of work: starting Python and ipykernel, then importing
pandas, scipy, matplotlib and pcplib (about 4 s of the 6-7 s a strategy report took on
2 busy cores, measured). A run now starts one *fork server* (``python -m
pcplib.forkserver``, with the kernel's own interpreter and flags) as soon as it
starts: it imports those modules once, while the runner validates the data, and then
forks one child per report. Each child is a new process with nothing of any other
report in it (the server never runs a notebook); it turns itself into an ordinary
IPython kernel (``ipykernel_launcher -f <connection file>``, as the kernel spec says)
in its own session, with the report's environment and working directory. The
notebook, its HTML and everything else a run writes are the same bytes as with a
kernel started from scratch (checked with fixed ``--timestamp`` runs).

The runner side is :class:`ForkServer` (start, fork, stop) and
:class:`ForkedProvisioner`, the jupyter_client provisioner that asks the server for a
kernel instead of starting one; :func:`pcplib.run.render.execute_notebook` uses it
while a server is running (:func:`serve_kernels`). A kernel spec this server cannot
start (another interpreter, or not ``-m ipykernel_launcher``) is started as before.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

__all__ = [
    "PRELOAD",
    "ForkServer",
    "ForkedProcess",
    "active_server",
    "discard_early",
    "find_kernel_command",
    "read_kernel_command",
    "start_early",
    "serve_kernels",
    "split_kernel_command",
]

PRELOAD = (
    # What starting an IPython kernel imports.
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "IPython.display",
    # What each kernel imported after the fork, every time, before these were here
    # (measured: the modules a strategy report's kernel ends with, less the server's):
    # the kernel's debugger, history, completer and event loop, and image plugins.
    "ipykernel.debugger",
    "IPython.core.debugger",
    "IPython.core.completerlib",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "sqlite3",
    "psutil",
    "tornado.platform.asyncio",
    "tornado.queues",
    "PIL.BmpImagePlugin",
    "PIL.GifImagePlugin",
    "PIL.JpegImagePlugin",
    "PIL.PpmImagePlugin",
    "pandas.io.formats.string",
    # What a report imports, first-use imports included (scipy for the seasonal test,
    # matplotlib for the charts): the list a strategy report's kernel ends with.
    "pandas",
    "scipy.stats",
    # pcplib.stats imports these where it uses them (the runner's own process never does).
    "statsmodels.stats.proportion",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "matplotlib.dates",
    "matplotlib.ticker",
    "matplotlib.font_manager",
    "matplotlib.textpath",
    "pcplib.report",
    "pcplib.assessment",
    "pcplib.spc",
    "pcplib.funnel",
    "pcplib.data",
    "pcplib.data.outcomes",
    "pcplib.notebook",
    "pcplib.data.forward_plan",
    "pcplib.data.history",
    "pcplib.run.render",
    "pcplib.run.manifest",
    "pcplib.run.collect",
)
"""Modules the server imports before forking (one that fails to import is skipped)."""

_ACTIVE: ForkServer | None = None
_EARLY: ForkServer | None = None
_ACTIVE_LOCK = threading.Lock()


def split_kernel_command(argv: Sequence[str]) -> tuple[list[str], str, list[str]] | None:
    """Split a kernel command into interpreter (with its flags), module and arguments.

    Parameters
    ----------
    argv : sequence of str
        The kernel spec's command, such as ``[python, -Xfrozen_modules=off, -m,
        ipykernel_launcher, -f, {connection_file}]``.

    Returns
    -------
    tuple or None
        ``(interpreter and flags, module, arguments)``; None when the command does not
        run ``ipykernel_launcher`` as a module (such a kernel is started as before).
    """
    parts = list(argv)
    if "-m" not in parts:
        return None
    at = parts.index("-m")
    if at + 1 >= len(parts) or parts[at + 1] != "ipykernel_launcher":
        return None
    return parts[:at], parts[at + 1], parts[at + 2 :]


class ForkedProcess:
    """A kernel forked by the server, seen as :class:`subprocess.Popen` sees a child.

    The server (its parent) reaps it, so it is alive while its process id exists.

    Attributes
    ----------
    pid : int
        The kernel's process id (also its process group and session).
    returncode : int or None
        None while alive; then 0 (the server keeps the real exit status).
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """Return None while the kernel is alive, else its return code (0)."""
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
            except PermissionError:  # the id was reused by another user's process
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the kernel to end.

        Parameters
        ----------
        timeout : float, optional
            Seconds to wait at most.

        Returns
        -------
        int
            Its return code.

        Raises
        ------
        subprocess.TimeoutExpired
            When it is still alive after ``timeout``.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.02)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        """Send a signal to the kernel, if it is still alive.

        Parameters
        ----------
        signum : int
            The signal.
        """
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        """Kill the kernel."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """Ask the kernel to end."""
        self.send_signal(signal.SIGTERM)


class ForkServer:
    """The runner's handle on a fork server: start it, ask it for kernels, stop it.

    Parameters
    ----------
    interpreter : sequence of str
        The kernel's interpreter and its flags (from the kernel spec).
    cwd : str or os.PathLike
        The server's working directory (each kernel's own, and the first entry of its
        ``sys.path``, are set per kernel).
    """

    def __init__(self, interpreter: Sequence[str], cwd: str | os.PathLike[str]) -> None:
        self.interpreter = list(interpreter)
        read_end, self._reply_write = os.pipe()
        self._lock = threading.Lock()
        self._process = subprocess.Popen(
            [*self.interpreter, "-m", "pcplib.forkserver", str(self._reply_write)],
            stdin=subprocess.PIPE,
            cwd=str(cwd),
            pass_fds=(self._reply_write,),
            # Its own session: Ctrl-C in the terminal reaches the runner, which stops it.
            start_new_session=True,
        )
        os.close(self._reply_write)
        self._replies = os.fdopen(read_end, "r", encoding="utf-8")

    @property
    def pid(self) -> int:
        """The server's process id (the parent of every kernel it forks)."""
        return self._process.pid

    def can_start(self, argv: Sequence[str]) -> bool:
        """Say whether this server can start a kernel with this command.

        Parameters
        ----------
        argv : sequence of str
            The kernel command.

        Returns
        -------
        bool
            True when it runs ``ipykernel_launcher`` with this server's interpreter and
            flags, and the server is running.
        """
        parts = split_kernel_command(argv)
        return parts is not None and parts[0] == self.interpreter and self.alive()

    def alive(self) -> bool:
        """Return True while the server runs."""
        return self._process.poll() is None

    def fork(self, argv: Sequence[str], env: Mapping[str, str], cwd: str) -> ForkedProcess:
        """Ask the server for one kernel.

        Parameters
        ----------
        argv : sequence of str
            The kernel command (its connection file already written).
        env : mapping
            The kernel's whole environment.
        cwd : str
            Its working directory.

        Returns
        -------
        ForkedProcess
            The kernel.

        Raises
        ------
        RuntimeError
            When the server has stopped or answers with an error.
        """
        parts = split_kernel_command(argv)
        if parts is None:
            raise RuntimeError(f"not a command the fork server can start: {list(argv)}")
        request = {"module": parts[1], "args": parts[2], "env": dict(env), "cwd": str(cwd)}
        with self._lock:
            if self._process.stdin is None or not self.alive():
                raise RuntimeError("the fork server has stopped")
            try:
                self._process.stdin.write((json.dumps(request) + "\n").encode("utf-8"))
                self._process.stdin.flush()
            except (BrokenPipeError, OSError) as exc:
                raise RuntimeError("the fork server has stopped") from exc
            line = self._replies.readline()
        reply = json.loads(line) if line else {"error": "the fork server has stopped"}
        if "pid" not in reply:
            raise RuntimeError(str(reply.get("error", "the fork server did not answer")))
        return ForkedProcess(int(reply["pid"]))

    def stop(self) -> None:
        """Stop the server (its kernels are each in their own session and stop with the run)."""
        if self._process.stdin is not None:
            try:
                self._process.stdin.close()
            except OSError:
                pass
        try:
            # Still importing (a run that stopped early) it would not read stdin yet.
            self._process.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._replies.close()


def active_server() -> ForkServer | None:
    """Return the fork server kernels are asked of now, if one is running."""
    with _ACTIVE_LOCK:
        return _ACTIVE


def read_kernel_command(kernel_name: str) -> list[str]:
    """Return a kernel spec's command, or an empty list when there is no such kernel.

    Parameters
    ----------
    kernel_name : str
        The Jupyter kernel.

    Returns
    -------
    list of str
        Its ``argv``.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        return list(KernelSpecManager().get_kernel_spec(kernel_name).argv)
    except NoSuchKernel:
        return []


def find_kernel_command(kernel_name: str) -> list[str]:
    """Return a kernel spec's command without importing jupyter_client, for :func:`start_early`.

    The spec is looked for where jupyter_client looks, in the same order (the folders
    of ``jupyter_core.paths.jupyter_path("kernels")``); importing jupyter_client only to
    read one small file took 0.5 s before the fork server could start, measured on
    busy cores. A spec found elsewhere (or none) is read by jupyter_client; the server
    started from this command is checked against jupyter_client's reading of the spec
    (:func:`serve_kernels`) before any kernel is forked from it.

    Parameters
    ----------
    kernel_name : str
        The Jupyter kernel.

    Returns
    -------
    list of str
        Its ``argv``; empty when there is no such kernel.
    """
    from pathlib import Path

    from jupyter_core.paths import jupyter_path

    for folder in jupyter_path("kernels"):
        spec = Path(folder) / kernel_name / "kernel.json"
        if spec.is_file():
            try:
                argv = json.loads(spec.read_text(encoding="utf-8"))["argv"]
            except (OSError, ValueError, KeyError, TypeError):
                break
            if isinstance(argv, list) and all(isinstance(part, str) for part in argv):
                return list(argv)
            break
    return read_kernel_command(kernel_name)


def start_early(kernel_name: str, environ: Mapping[str, str] | None = None) -> ForkServer | None:
    """Start a run's fork server before the run has even read its options.

    ``pcp run`` calls this first thing, so the server's imports overlap the runner's own
    (pandas, the plan, validating the data); :func:`serve_kernels` then adopts it.

    Parameters
    ----------
    kernel_name : str
        The Jupyter kernel the reports use.
    environ : mapping, optional
        Where ``PCP_FORK_KERNELS`` is read (``os.environ`` by default): ``0`` starts none.

    Returns
    -------
    ForkServer or None
        The server, kept for :func:`serve_kernels`; None when none was started.
    """
    global _EARLY
    env = os.environ if environ is None else environ
    if env.get("PCP_FORK_KERNELS", "1").strip() == "0":
        return None
    current = active_server()
    if current is not None and current.alive():
        return None  # one already serves this process's runs (see serve_kernels)
    parts = split_kernel_command(find_kernel_command(kernel_name))
    if parts is None:
        return None
    server = ForkServer(parts[0], os.getcwd())
    with _ACTIVE_LOCK:
        _EARLY = server
    return server


def discard_early() -> None:
    """Stop the server :func:`start_early` started if no run adopted it (a usage error)."""
    global _EARLY
    with _ACTIVE_LOCK:
        server, _EARLY = _EARLY, None
    if server is not None:
        server.stop()


@contextmanager
def serve_kernels(kernel_name: str, cwd: str | os.PathLike[str]) -> Iterator[ForkServer | None]:
    """Run a fork server for the kernel ``kernel_name`` while the block runs.

    Parameters
    ----------
    kernel_name : str
        The Jupyter kernel the reports use.
    cwd : str or os.PathLike
        The server's working directory, when one is started here.

    Yields
    ------
    ForkServer or None
        The server (the one :func:`start_early` started, when it is for this kernel, or
        one already serving this kernel, which is then left running: a caller that
        runs several runs in one process, such as the test session, starts one for
        them all); None when the kernel spec is not one it can start (kernels are then
        started as before).
    """
    global _ACTIVE, _EARLY
    parts = split_kernel_command(read_kernel_command(kernel_name))
    with _ACTIVE_LOCK:
        early, _EARLY = _EARLY, None
        serving = _ACTIVE
    if early is not None and (parts is None or early.interpreter != parts[0] or not early.alive()):
        early.stop()
        early = None
    if parts is None:
        yield None
        return
    if serving is not None and serving.interpreter == parts[0] and serving.alive():
        if early is not None:
            early.stop()
        yield serving
        return
    server = early or ForkServer(parts[0], cwd)
    with _ACTIVE_LOCK:
        _ACTIVE = server
    try:
        yield server
    finally:
        with _ACTIVE_LOCK:
            _ACTIVE = None
        server.stop()


def get_provisioner_class() -> type:
    """Return :class:`ForkedProvisioner` (built on first use: jupyter_client is heavy).

    Returns
    -------
    type
        A :class:`jupyter_client.provisioning.LocalProvisioner` that asks the running
        fork server for its kernel.
    """
    global _PROVISIONER
    if _PROVISIONER is not None:
        return _PROVISIONER
    from jupyter_client.provisioning import LocalProvisioner

    class ForkedProvisioner(LocalProvisioner):
        """Start the kernel by asking the fork server for it; otherwise as the local one."""

        async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
            """Fork the kernel from the server (or start it as before when it cannot).

            Parameters
            ----------
            cmd : list of str
                The kernel command.
            **kwargs : Any
                ``env`` and ``cwd`` among them.

            Returns
            -------
            dict
                The connection information.
            """
            server = active_server()
            if server is None or not server.can_start(cmd):
                return await super().launch_kernel(cmd, **kwargs)
            env = dict(kwargs.get("env") or os.environ)
            cwd = str(kwargs.get("cwd") or os.getcwd())
            kernel = server.fork(cmd, env, cwd)
            # Popen's interface, as far as the local provisioner uses it.
            self.process = kernel  # type: ignore[assignment]
            self.pid = kernel.pid
            self.pgid = kernel.pid  # the kernel starts its own session
            self.cwd = cwd
            return self.connection_info

    _PROVISIONER = ForkedProvisioner
    return ForkedProvisioner


_PROVISIONER: type | None = None


# --- the server process ----------------------------------------------------------------------


def preload(modules: Sequence[str]) -> list[str]:
    """Import what every kernel would import (in the server, before any fork).

    Parameters
    ----------
    modules : sequence of str
        Module names.

    Returns
    -------
    list of str
        Those that could not be imported (each kernel imports them itself, or fails
        as it would have).
    """
    import importlib

    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:
            failed.append(name)
    return failed


def become_kernel(request: Mapping[str, Any]) -> None:
    """In a freshly forked child: become the kernel the request describes; never return.

    Parameters
    ----------
    request : mapping
        ``module``, ``args``, ``env`` and ``cwd``.
    """
    import runpy

    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        # The server's requests arrive on its stdin: the kernel reads nothing there.
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        if devnull != 0:
            os.close(devnull)
        # Python puts its starting folder first on sys.path (``-m``): a kernel started
        # from scratch would have its own working directory there.
        if sys.path and sys.path[0] == os.getcwd():
            sys.path[0] = str(request["cwd"])
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = [str(request["module"]), *request["args"]]
        runpy.run_module(str(request["module"]), run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve(reply_fd: int) -> int:
    """Run the fork server: import, then fork one kernel per request on stdin until EOF.

    Parameters
    ----------
    reply_fd : int
        The file descriptor replies (``{"pid": ...}`` or ``{"error": ...}``, a JSON line
        each) are written to.

    Returns
    -------
    int
        Never returns: the server exits (0) once the runner closes its stdin.
    """
    # ipykernel reads JPY_PARENT_PID when it is imported, and watches that process: the
    # kernels' parent is this server (which ends when the runner does).
    os.environ["JPY_PARENT_PID"] = str(os.getpid())
    # What ipykernel sets before a report could import matplotlib.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    preload(PRELOAD)
    # What the server holds now, every kernel holds for its whole life: frozen, the
    # collector's full passes in a kernel leave it out instead of walking it again (one
    # such pass took about 0.1 s of a strategy report's 0.7 s of cells, issue #25), and
    # no pass writes to its pages, so the kernels go on sharing them with the server.
    gc.collect()
    gc.freeze()
    # Children are reaped by the system; each kernel resets this for its own children.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    replies = os.fdopen(reply_fd, "w", encoding="utf-8")
    for line in sys.stdin:
        try:
            request = json.loads(line)
        except ValueError:
            replies.write(json.dumps({"error": "unreadable request"}) + "\n")
            replies.flush()
            continue
        pid = os.fork()
        if pid == 0:
            replies.close()
            become_kernel(request)
        replies.write(json.dumps({"pid": pid}) + "\n")
        replies.flush()
    # The runner is done with it: nothing to tidy, so no interpreter shutdown to wait for.
    replies.close()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(serve(int(sys.argv[1])))
