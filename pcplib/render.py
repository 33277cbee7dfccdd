"""Notebook execution and HTML rendering, now :mod:`pcplib.run.render`; this module re-exports it.

Every report notebook imports ``resolve_repo_path`` from here, so the old path stays.
Patch :mod:`pcplib.run.render` in tests: names set on this module are not the ones
the runner looks up.
"""

from __future__ import annotations

from typing import Any

from pcplib.run import render as _render
from pcplib.run.render import (
    DEFAULT_KERNEL,
    QUARTO_MISSING_MESSAGE,
    TEMPLATE_DIR,
    TEMPLATE_NAME,
    QuartoNotInstalledError,
    cancel_kernels,
    check_parameters,
    execute_notebook,
    export_html,
    find_quarto,
    find_repo_root,
    get_kernel_manager_class,
    kill_live_kernels,
    read_notebook_parameters,
    render_html,
    render_with_quarto,
    require_quarto,
    reset_kernel_cancel,
    resolve_repo_path,
    scrub_notebook,
)

__all__ = [
    "DEFAULT_KERNEL",
    "QUARTO_MISSING_MESSAGE",
    "TEMPLATE_DIR",
    "TEMPLATE_NAME",
    "QuartoNotInstalledError",
    "cancel_kernels",
    "check_parameters",
    "execute_notebook",
    "export_html",
    "find_quarto",
    "find_repo_root",
    "get_kernel_manager_class",
    "kill_live_kernels",
    "read_notebook_parameters",
    "render_html",
    "render_with_quarto",
    "require_quarto",
    "reset_kernel_cancel",
    "resolve_repo_path",
    "scrub_notebook",
]


def __getattr__(name: str) -> Any:
    """Look up any other name in :mod:`pcplib.run.render`, such as ``TrackedKernelManager``.

    Parameters
    ----------
    name : str
        The attribute.

    Returns
    -------
    Any
        The attribute of :mod:`pcplib.run.render`.

    Raises
    ------
    AttributeError
        When :mod:`pcplib.run.render` has no such attribute either.
    """
    return getattr(_render, name)
