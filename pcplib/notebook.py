"""What a report notebook's kernel checks about how it was run.

A report's first setup cell calls :func:`check_injected_parameters` with
``globals()``. Reading the kernel's input history is about how the notebook was run
(papermill's injected cell), not about the data or the judgement, so it lives here,
beside the runner, rather than in the assessment: the module sits on the run floor
(``tests/test_architecture.py``), though it imports nothing of ``pcplib.run``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pcplib.data.parameter_files import read_parameter_names
from pcplib.errors import ParameterError
from pcplib.labels import suggest_name

__all__ = ["INJECTED_PARAMETERS_COMMENT", "check_injected_parameters", "read_injected_parameters"]

# The first line of the cell papermill inserts after the ``parameters`` cell (tagged
# ``injected-parameters``) with the values it was given.
INJECTED_PARAMETERS_COMMENT = "# Parameters"


def _is_injected(source: Any) -> bool:
    """Return True for the source of a cell papermill injected."""
    return isinstance(source, str) and source.lstrip().splitlines()[:1] == [
        INJECTED_PARAMETERS_COMMENT
    ]


def read_injected_parameters(history: Sequence[Any]) -> tuple[list[str], list[str]]:
    """Return the names papermill injected and the names the parameters cell declared.

    Papermill inserts its cell straight after the cell tagged ``parameters`` and runs
    the two in turn, so in the kernel's input history the declared names are those of
    the input just before the first injected one.

    Parameters
    ----------
    history : sequence
        The kernel's input history (IPython's ``_ih``: the sources run, in order).

    Returns
    -------
    tuple of (list of str, list of str)
        The injected names and the declared names; both empty when nothing was injected.
    """
    injected: dict[str, None] = {}
    declared: list[str] = []
    for index, source in enumerate(history):
        if not _is_injected(source):
            continue
        if not injected and index > 0:
            declared = read_parameter_names(str(history[index - 1]))
        injected.update(dict.fromkeys(read_parameter_names(source)))
    return list(injected), declared


def check_injected_parameters(
    namespace: Mapping[str, Any], declared: Iterable[str] | None = None
) -> None:
    """Refuse a parameter papermill was given that the notebook does not declare.

    Papermill only warns ("Passed unknown parameter") and injects it beside the
    declared ones, so a misspelt key in a parameters file (``stratgy: safer-streets``) would
    build the report of the notebook's default instead. A report's first setup cell
    calls this with ``globals()``: the cell papermill injected is in the kernel's input
    history, starting ``# Parameters``, straight after the parameters cell. Run by hand
    in JupyterLab, where nothing is injected, it checks nothing.

    Parameters
    ----------
    namespace : mapping
        The notebook's ``globals()`` (its ``_ih`` input history is read).
    declared : iterable of str, optional
        The names the notebook declares; by default those its parameters cell assigned,
        read from the history (so a parameter added to that cell needs no change here).

    Raises
    ------
    ParameterError
        Naming the first unknown parameter, a near miss it may be, and every declared
        parameter, in one line.
    """
    injected, found = read_injected_parameters(list(namespace.get("_ih") or ()))
    known = list(declared) if declared is not None else found
    unknown = [n for n in injected if n not in known]
    if unknown:
        others = f" (and {', '.join(repr(u) for u in unknown[1:])})" if unknown[1:] else ""
        expected = ", ".join(known) or "no parameters"
        raise ParameterError(
            f"unknown parameter {unknown[0]!r}{suggest_name(unknown[0], known)}{others}: "
            f"expected only {expected}; nothing was built (papermill would have used the "
            "notebook's default instead)"
        )
