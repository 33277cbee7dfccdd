"""Notebook execution (papermill) and HTML rendering (nbconvert with the project template).

Everything that turns a parameterised notebook into a reviewer's HTML page goes
through this module, so the command line, the tests and analysts get the same
result: an explicitly named kernel, unknown parameters refused, no code and no
prompts in the HTML, images embedded, and the same bytes for the same notebook.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import uuid
import warnings
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pcplib.data.parameter_files import read_notebook_parameter_names

# nbformat and jupyter_client are imported where used: every report notebook imports
# ``resolve_repo_path`` from here (``pcplib.run.render``), and nbformat's import (jsonschema
# and its format checkers) alone took 1.4 s of each report's kernel, measured.
if TYPE_CHECKING:
    import nbformat
    from jupyter_client.manager import AsyncKernelManager

# The templates stay at the package's top (pcplib/templates), where pyproject.toml ships them.
TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE_NAME = "pcp"
DEFAULT_KERNEL = "pcp"
EPILOGUE_TAG = "pcp-epilogue"
"""The tag of the cell :func:`append_epilogue` adds, which is removed after execution."""
QUARTO_MISSING_MESSAGE = (
    "Quarto is not installed; install it (conda install -c conda-forge quarto) "
    "or use --renderer nbconvert"
)

# Kernels started by execute_notebook that are still alive, so an interrupted run can kill them.
_LIVE_KERNELS: set[AsyncKernelManager] = set()
_LIVE_KERNELS_LOCK = threading.Lock()
# Set when a run is interrupted: kernels that start afterwards are killed at once.
_CANCELLED = threading.Event()


class QuartoNotInstalledError(RuntimeError):
    """Raised when the Quarto renderer is asked for but no ``quarto`` executable is found."""


@cache
def get_kernel_manager_class() -> type[AsyncKernelManager]:
    """Return the kernel manager :func:`execute_notebook` uses (built on first use).

    Returns
    -------
    type
        ``TrackedKernelManager``, an :class:`jupyter_client.manager.AsyncKernelManager`
        that registers its kernel while alive, so an interrupted run can kill it.
    """
    from jupyter_client.manager import AsyncKernelManager

    class TrackedKernelManager(AsyncKernelManager):
        """A kernel manager that registers its kernel while alive, so it can be killed on interrupt.

        It is asynchronous, as nbclient expects: with a blocking kernel client, waiting
        for output blocks nbclient's event loop, so a kernel that dies (or is killed on
        interrupt) in the middle of a cell is never noticed and the run hangs.

        Kernels talk over local IPC sockets rather than TCP: they never leave the
        machine, and ipykernel does not warn about unencrypted TCP on every start.
        Their socket and connection files go in this runner process's own runtime
        folder (:mod:`pcplib.run.runtime`), so that what a killed run leaves behind
        can be found and removed by the next run.

        Attributes
        ----------
        extra_env : dict
            Environment variables added to the kernel's (see :func:`execute_notebook`).
        """

        extra_env: dict[str, str] = {}

        def __init__(self, **kwargs: Any) -> None:
            from pcplib.run.runtime import process_runtime_dir

            folder = process_runtime_dir()
            name = f"kernel-{uuid.uuid4().hex[:16]}"
            kwargs.setdefault("transport", "ipc")
            if kwargs["transport"] == "ipc":
                # IPC sockets are files named after ``ip``; the default ("kernel-ipc" in the
                # working directory) would be shared by kernels running side by side.
                kwargs.setdefault("ip", str(folder / name))
            kwargs.setdefault("connection_file", str(folder / f"{name}.json"))
            super().__init__(**kwargs)

        # jupyter_client declares the synchronous signature; the async manager awaits this.
        async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]
            """Start the kernel and remember it.

            Parameters
            ----------
            **kw : Any
                Passed to :meth:`jupyter_client.manager.AsyncKernelManager.start_kernel`.
            """
            if self.extra_env:
                kw["env"] = {**os.environ, **kw.get("env", {}), **self.extra_env}
            from pcplib import forkserver

            if self.provisioner is None and forkserver.active_server() is not None:
                # Forked from the run's warm process (pcplib.forkserver).
                self.kernel_id = self.kernel_id or str(uuid.uuid4())
                self.provisioner = forkserver.get_provisioner_class()(
                    kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
                )
            await super().start_kernel(**kw)
            with _LIVE_KERNELS_LOCK:
                _LIVE_KERNELS.add(self)
            if _CANCELLED.is_set():
                kill_live_kernels()
                raise RuntimeError("the run was interrupted; kernel stopped")

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            """Release the kernel's resources and forget it.

            Parameters
            ----------
            restart : bool, default False
                Whether the kernel is being restarted.
            """
            with _LIVE_KERNELS_LOCK:
                _LIVE_KERNELS.discard(self)
            await super()._async_cleanup_resources(restart=restart)

        cleanup_resources = _async_cleanup_resources

    return TrackedKernelManager


def __getattr__(name: str) -> Any:
    """Build ``TrackedKernelManager`` when first asked for (see :func:`get_kernel_manager_class`).

    Parameters
    ----------
    name : str
        The attribute.

    Returns
    -------
    Any
        The kernel manager class.

    Raises
    ------
    AttributeError
        For any other name.
    """
    if name == "TrackedKernelManager":
        return get_kernel_manager_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def kill_live_kernels() -> int:
    """Kill every kernel started by :func:`execute_notebook` that is still running.

    Returns
    -------
    int
        How many kernels were signalled.
    """
    with _LIVE_KERNELS_LOCK:
        managers = list(_LIVE_KERNELS)
    killed = 0
    for manager in managers:
        provisioner = getattr(manager, "provisioner", None)
        process = getattr(provisioner, "process", None)
        if process is None:
            continue
        try:
            process.kill()
            killed += 1
        except (ProcessLookupError, OSError):
            pass
    return killed


def cancel_kernels() -> int:
    """Kill every running kernel and refuse to keep any kernel started from now on.

    Called when a run is interrupted, so worker threads waiting on a kernel fail
    quickly instead of finishing their notebooks.

    Returns
    -------
    int
        How many kernels were signalled.
    """
    _CANCELLED.set()
    return kill_live_kernels()


def kernels_cancelled() -> bool:
    """True once a run was interrupted (:func:`cancel_kernels`), until it is reset.

    Returns
    -------
    bool
        Whether a report failing now failed because the run was stopped, which the run
        reports once, as an interruption.
    """
    return _CANCELLED.is_set()


def reset_kernel_cancel() -> None:
    """Allow kernels to start again after :func:`cancel_kernels` (at the start of a run)."""
    _CANCELLED.clear()


def find_repo_root(start: Path | None = None) -> Path:
    """Find the repository root: the folder holding ``pyproject.toml`` and ``notebooks/``.

    Parameters
    ----------
    start : Path, optional
        Where to start looking upwards. By default this module's folder, then the
        current working directory.

    Returns
    -------
    Path
        The repository root.

    Raises
    ------
    FileNotFoundError
        If no folder upwards holds both ``pyproject.toml`` and ``notebooks/``.
    """
    starts = [start] if start is not None else [Path(__file__).resolve().parent, Path.cwd()]
    for origin in starts:
        origin = origin.resolve()
        for folder in [origin, *origin.parents]:
            if (folder / "pyproject.toml").is_file() and (folder / "notebooks").is_dir():
                return folder
    raise FileNotFoundError(
        f"cannot find the repository root (a folder with pyproject.toml and notebooks/) "
        f"above {', '.join(str(s) for s in starts)}"
    )


def resolve_repo_path(path: str | os.PathLike[str]) -> Path:
    """Resolve a path given relative to the repository root.

    Notebook parameters name paths relative to the repository root, so a notebook
    finds ``data/`` whether it runs from JupyterLab (working directory
    ``notebooks/``), from ``pcp run`` or from plain ``papermill -f params/...``.

    Parameters
    ----------
    path : str or os.PathLike
        An absolute path (returned unchanged) or a path relative to the repository root.

    Returns
    -------
    Path
        The absolute path.
    """
    candidate = Path(path).expanduser()
    if candidate.is_absolute():
        return candidate
    return find_repo_root() / candidate


def check_parameters(notebook: str | os.PathLike[str], parameters: Mapping[str, Any]) -> None:
    """Refuse parameters the notebook does not declare.

    Papermill only warns ("Passed unknown parameter") and runs with the notebook's
    default instead, which would silently produce the wrong report.

    Parameters
    ----------
    notebook : str or os.PathLike
        The notebook's path.
    parameters : mapping
        The parameters that would be passed.

    Raises
    ------
    ValueError
        If a parameter is not declared, naming it and the declared ones.
    """
    declared = read_notebook_parameter_names(notebook)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ValueError(
            f"unknown parameter(s) {', '.join(repr(u) for u in unknown)} for notebook "
            f"{Path(notebook).name}; it declares: {', '.join(declared) or 'no parameters'} "
            "(in the cell tagged 'parameters')"
        )


def execute_notebook(
    notebook: str | os.PathLike[str],
    output: str | os.PathLike[str],
    parameters: Mapping[str, Any],
    *,
    kernel_name: str = DEFAULT_KERNEL,
    cwd: str | os.PathLike[str] | None = None,
    timeout: int = 600,
    env: Mapping[str, str] | None = None,
    epilogue: str | None = None,
) -> nbformat.NotebookNode:
    """Execute a parameterised notebook with papermill and write the executed copy.

    Parameters
    ----------
    notebook : str or os.PathLike
        The template notebook (with a cell tagged ``parameters``).
    output : str or os.PathLike
        Where the executed notebook is written. On failure it is still written, with
        papermill's error cells, before the error propagates.
    parameters : mapping
        Parameter values; every name must be declared by the notebook.
    kernel_name : str, default "pcp"
        The Jupyter kernel, named explicitly so a run never depends on the default kernel.
    cwd : str or os.PathLike, optional
        The kernel's working directory; the repository root when omitted.
    timeout : int, default 600
        Seconds one cell may run before the execution fails.
    env : mapping, optional
        Environment variables to add to the kernel's environment (this process's
        environment is left alone, so parallel executions do not interfere).
    epilogue : str, optional
        Code run in the same kernel after the notebook's last cell (the runner's
        :func:`pcplib.run.collect.build_collect_code`). Its cell is removed from the
        executed notebook, returned and written, also on failure, so the notebook is
        the same as without it.

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook.

    Raises
    ------
    ValueError
        If a parameter is not declared by the notebook.
    papermill.exceptions.PapermillExecutionError
        If a cell raised; the output notebook holds the error.
    """
    import papermill

    check_parameters(notebook, parameters)
    if cwd is None:
        cwd = find_repo_root()
    manager_class = get_kernel_manager_class()
    if env:
        manager_class = type(
            "TrackedKernelManagerWithEnv", (manager_class,), {"extra_env": dict(env)}
        )
    source: Any = str(notebook)
    if epilogue is not None:
        source = append_epilogue(notebook, epilogue)
    try:
        executed = run_papermill(
            source, output, parameters, kernel_name, cwd, timeout, manager_class
        )
    except papermill.PapermillExecutionError:
        if epilogue is not None:
            remove_epilogue_from_file(output)
        raise
    if epilogue is None:
        return executed
    import nbformat

    # Papermill wrote the notebook with the appended cell: write it again without.
    nbformat.write(remove_epilogue(executed), output)
    return executed


def run_papermill(
    source: Any,
    output: str | os.PathLike[str],
    parameters: Mapping[str, Any],
    kernel_name: str,
    cwd: str | os.PathLike[str],
    timeout: int,
    manager_class: type,
) -> nbformat.NotebookNode:
    """Call papermill as :func:`execute_notebook` does (see there for the parameters).

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook.
    """
    import papermill

    return papermill.execute_notebook(
        source,
        str(output),
        parameters=dict(parameters),
        kernel_name=kernel_name,
        cwd=str(cwd),
        progress_bar=False,
        log_output=False,
        # Written once at the end (and on failure, with the error cells), not after every
        # cell: rewriting notebooks with embedded charts per cell costs CPU the kernels need.
        request_save_on_cell_execute=False,
        execution_timeout=timeout,
        kernel_manager_class=manager_class,
        # Every output has arrived when the last cell finishes: a graceful shutdown only
        # waits (about 3 s per report, measured) while the kernel tidies up for nothing.
        shutdown_kernel="immediate",
    )


def append_epilogue(notebook: str | os.PathLike[str], code: str) -> nbformat.NotebookNode:
    """Return a notebook with one code cell appended, tagged so it can be removed again.

    Parameters
    ----------
    notebook : str or os.PathLike
        The template notebook.
    code : str
        The cell's code.

    Returns
    -------
    nbformat.NotebookNode
        The notebook (read afresh; the file is unchanged).
    """
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    cell = nbformat.v4.new_code_cell(code, metadata={"tags": [EPILOGUE_TAG]})
    # A fixed id: nbformat would draw a random one, and the cell is removed anyway.
    cell["id"] = EPILOGUE_TAG
    nb.cells.append(cell)
    return nb


def remove_epilogue(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove the cells :func:`append_epilogue` added from an executed notebook.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook; modified in place.

    Returns
    -------
    nbformat.NotebookNode
        The same notebook.
    """
    nb.cells = [c for c in nb.cells if EPILOGUE_TAG not in c.get("metadata", {}).get("tags", [])]
    return nb


def remove_epilogue_from_file(path: str | os.PathLike[str]) -> None:
    """Remove the appended cell from the notebook papermill wrote for a failed report.

    Parameters
    ----------
    path : str or os.PathLike
        The executed notebook; left alone when it is missing or unreadable.
    """
    import nbformat

    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return
    nbformat.write(remove_epilogue(nb), path)


PARAMETERS_REPLACED = "# The parameters used are in the next cell, as the run passed them."


def scrub_notebook(
    nb: nbformat.NotebookNode, *, input_path: str | None = None, output_path: str | None = None
) -> nbformat.NotebookNode:
    """Remove what varies between runs from an executed notebook's metadata.

    Papermill records start and end times, durations and the paths it read and
    wrote (which include the run's temporary folder); nbclient records message
    timestamps and gives the parameters cell it inserts a random id. None of it
    is content; dropping it makes the executed notebook reproducible. When papermill
    injected parameters, the notebook's own defaults cell is replaced by a line saying
    so, so the executed notebook shows only the parameters used.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook; modified in place.
    input_path, output_path : str, optional
        Stable values to record instead of papermill's paths.

    Returns
    -------
    nbformat.NotebookNode
        The same notebook.
    """
    meta = nb.metadata.get("papermill")
    if meta is not None:
        for key in ("start_time", "end_time", "duration"):
            meta.pop(key, None)
        if input_path is not None:
            meta["input_path"] = input_path
        if output_path is not None:
            meta["output_path"] = output_path
    tags = [cell.metadata.get("tags", []) for cell in nb.cells]
    if any("injected-parameters" in t for t in tags):
        # The executed notebook shows only the parameters used (papermill's cell): the
        # notebook's own defaults, all empty or overridden, would only mislead.
        for cell, cell_tags in zip(nb.cells, tags, strict=True):
            if "parameters" in cell_tags:
                cell.source = PARAMETERS_REPLACED
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []) and "id" in cell:
            # Papermill gives the cell it inserts a random id.
            cell["id"] = "injected-parameters"
        cell_meta = cell.metadata.get("papermill")
        if cell_meta is not None:
            for key in ("start_time", "end_time", "duration"):
                cell_meta.pop(key, None)
    return nb


def _template_settings(template: str) -> tuple[str, list[str]]:
    """Return the template name and extra template folders nbconvert should use."""
    if (TEMPLATE_DIR / template).is_dir():
        return template, [str(TEMPLATE_DIR)]
    warnings.warn(
        f"nbconvert template {template!r} not found in {TEMPLATE_DIR}; "
        "falling back to nbconvert's 'lab' template (no security marking, no print styles)",
        RuntimeWarning,
        stacklevel=4,
    )
    return "lab", []


def export_html(
    nb_or_path: nbformat.NotebookNode | str | os.PathLike[str],
    *,
    template: str = TEMPLATE_NAME,
    name: str | None = None,
) -> str:
    """Convert an executed notebook to a self-contained HTML page with no code.

    Parameters
    ----------
    nb_or_path : nbformat.NotebookNode or path
        The executed notebook, or its path.
    template : str, default "pcp"
        The nbconvert template in ``pcplib/templates``.
    name : str, optional
        The document name nbconvert uses for the page title when the notebook
        sets none; the file stem when a path is given.

    Returns
    -------
    str
        The HTML, identical for identical notebooks.
    """
    import nbformat

    if isinstance(nb_or_path, nbformat.NotebookNode):
        nb = nb_or_path
    else:
        path = Path(nb_or_path)
        nb = nbformat.read(path, as_version=4)
        name = name or path.stem
    from pcplib.report.fragments import FRAGMENT_CSS, FRAGMENT_STYLE

    # The report fragments' styles, for the template to hold once in the page's <head>
    # instead of once per output (each fragment carries them for JupyterLab).
    resources = {
        "metadata": {"name": name or "report"},
        "pcp_fragment_css": FRAGMENT_CSS,
        "pcp_fragment_style": FRAGMENT_STYLE,
    }
    exporter, fresh = _borrow_exporter(template)
    try:
        if fresh:
            from pcplib.data.parameter_files import AST_LOCK

            # A new exporter compiles its Jinja templates on its first page, and Jinja's
            # lexer reads number literals with ast.literal_eval: not safe beside another
            # runner thread's ast.parse on Python 3.11 (see pcplib.data.parameter_files).
            with AST_LOCK:
                body, _ = exporter.from_notebook_node(nb, resources=resources)
        else:
            body, _ = exporter.from_notebook_node(nb, resources=resources)
    finally:
        _return_exporter(template, exporter)
    return body


# Exporters are kept and lent to one thread at a time: compiling the Jinja templates took
# about half of each export (0.2 s of 0.35 s, measured), and an exporter is not safe to
# share between threads while it converts.
_IDLE_EXPORTERS: dict[str, list[Any]] = {}
_EXPORTERS_LOCK = threading.Lock()


def _borrow_exporter(template: str) -> tuple[Any, bool]:
    """Return an idle HTML exporter for ``template``, and whether it is a new one.

    A new one is created when none is idle; its templates are compiled on its first page.
    """
    with _EXPORTERS_LOCK:
        idle = _IDLE_EXPORTERS.setdefault(template, [])
        if idle:
            return idle.pop(), False
    from nbconvert import HTMLExporter

    template_name, basedirs = _template_settings(template)
    exporter = HTMLExporter(
        template_name=template_name,
        extra_template_basedirs=basedirs,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        embed_images=True,
    )
    return exporter, True


def _return_exporter(template: str, exporter: Any) -> None:
    """Put an exporter back for the next conversion."""
    with _EXPORTERS_LOCK:
        _IDLE_EXPORTERS.setdefault(template, []).append(exporter)


def warm_exporter(template: str = TEMPLATE_NAME) -> bool:
    """Make an HTML exporter ready (imports, templates compiled) before the first report ends.

    The runner calls it while the first kernels run: the first report's HTML then costs
    a conversion only, not nbconvert's imports and the templates' compiling (0.3-0.8 s
    of a one-report run, measured). The HTML is the same bytes either way: an exporter
    keeps no state from one page to the next.

    Parameters
    ----------
    template : str, default "pcp"
        The nbconvert template in ``pcplib/templates``.

    Returns
    -------
    bool
        True when an exporter was made ready; False when an idle one was there already.
    """
    import nbformat

    with _EXPORTERS_LOCK:
        if _IDLE_EXPORTERS.get(template):
            return False
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("ready")]
    export_html(nb, template=template, name="warm-up")
    return True


def render_html(
    executed_notebook: nbformat.NotebookNode | str | os.PathLike[str],
    html_path: str | os.PathLike[str],
    *,
    template: str = TEMPLATE_NAME,
) -> Path:
    """Write the HTML page of an executed notebook.

    Parameters
    ----------
    executed_notebook : nbformat.NotebookNode or path
        The executed notebook, or its path.
    html_path : str or os.PathLike
        Where to write the HTML.
    template : str, default "pcp"
        The nbconvert template in ``pcplib/templates``.

    Returns
    -------
    Path
        The HTML file written.
    """
    html_path = Path(html_path)
    body = export_html(executed_notebook, template=template, name=html_path.stem)
    html_path.write_text(body, encoding="utf-8")
    return html_path


def find_quarto() -> Path | None:
    """Return the ``quarto`` executable, or None when Quarto is not installed.

    Returns
    -------
    Path or None
        The executable found on ``PATH``.
    """
    found = shutil.which("quarto")
    return Path(found) if found else None


def require_quarto() -> Path:
    """Return the ``quarto`` executable or raise a clear error.

    Returns
    -------
    Path
        The executable.

    Raises
    ------
    QuartoNotInstalledError
        When Quarto is not installed, saying how to install it or what to use instead.
    """
    quarto = find_quarto()
    if quarto is None:
        raise QuartoNotInstalledError(QUARTO_MISSING_MESSAGE)
    return quarto


def render_with_quarto(
    executed_notebook: str | os.PathLike[str],
    html_path: str | os.PathLike[str],
    *,
    timeout: int = 600,
) -> Path:
    """Render an executed notebook to HTML with Quarto (optional renderer).

    Quarto does not re-execute a notebook; code is hidden and resources embedded
    so the page is self-contained, as with the nbconvert path.

    Parameters
    ----------
    executed_notebook : str or os.PathLike
        The executed notebook.
    html_path : str or os.PathLike
        Where to write the HTML.
    timeout : int, default 600
        Seconds Quarto may take.

    Returns
    -------
    Path
        The HTML file written.

    Raises
    ------
    QuartoNotInstalledError
        When Quarto is not installed.
    RuntimeError
        When Quarto fails, with its error output.
    """
    quarto = require_quarto()
    source = Path(executed_notebook).resolve()
    html_path = Path(html_path).resolve()
    # Quarto writes beside its input; render a copy in a scratch folder and move the page.
    with tempfile.TemporaryDirectory(prefix="pcp-quarto-") as scratch:
        copy = Path(scratch) / source.name
        shutil.copyfile(source, copy)
        command = [
            str(quarto),
            "render",
            str(copy),
            "--to",
            "html",
            "--no-execute",
            "-M",
            "echo:false",
            "-M",
            "embed-resources:true",
        ]
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
        produced = copy.with_suffix(".html")
        if completed.returncode != 0 or not produced.is_file():
            raise RuntimeError(
                f"quarto render failed for {source.name} (exit {completed.returncode}): "
                f"{completed.stderr.strip()[-2000:]}"
            )
        shutil.move(produced, html_path)
    return html_path
