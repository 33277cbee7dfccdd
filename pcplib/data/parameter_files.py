"""The papermill parameters files in ``params/strategies/``, checked before papermill reads them.

A parameters file works with plain ``papermill -f``, which fails with a traceback of its
own on a file that is not UTF-8 or not a mapping, and only warns about a key the
notebook does not declare. ``pcp validate`` checks every file first and names each
problem in one line: the file, the line, the key, the value and what was expected.
"""

from __future__ import annotations

import ast
import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from pcplib.data.problems import Problem
from pcplib.labels import suggest_name
from pcplib.safe_yaml import compose_yaml_text, load_yaml_text

__all__ = [
    "AST_LOCK",
    "check_parameter_files",
    "read_notebook_parameter_names",
    "read_parameter_names",
]

# The runner checks each report's notebook in its own thread. Python 3.11 (as installed here)
# keeps ast.parse's recursion count in state shared by threads, so two parses at once can fail with
# "SystemError: AST constructor recursion depth mismatch" (CPython gh-106905). Whatever else
# builds Python ASTs in the runner's threads holds it too (Jinja's template lexer reads number
# literals with ast.literal_eval: pcplib.run.render compiles nbconvert's templates under it).
AST_LOCK = threading.Lock()


def read_parameter_names(source: str) -> list[str]:
    """Return the names a parameters cell's top-level assignments set, in order.

    The one answer to "which parameters does this notebook declare?": the runner asks
    it of the notebook file (:func:`read_notebook_parameter_names`), a report's kernel
    of the cell as it ran (:func:`pcplib.notebook.check_injected_parameters`). It
    gives what ``papermill.inspect_notebook`` gives for every notebook here (a test
    checks); papermill itself is not imported, as that alone took seconds in each
    report's kernel.

    Parameters
    ----------
    source : str
        The cell's Python source.

    Returns
    -------
    list of str
        The assigned names, annotated ones included; empty when the source is not Python.
    """
    try:
        with AST_LOCK:
            tree = ast.parse(source)
    except SyntaxError:
        return []
    names: list[str] = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


def read_notebook_parameter_names(notebook: str | os.PathLike[str]) -> list[str]:
    """Return the names assigned in a notebook's cell tagged ``parameters``, in order.

    Parameters
    ----------
    notebook : str or os.PathLike
        The ``.ipynb`` file.

    Returns
    -------
    list of str
        The declared parameters; empty when the notebook has no such cell.

    Raises
    ------
    ValueError
        If the file is not JSON (a merge conflict, a truncated copy); ``OSError`` if it
        cannot be read.
    """
    cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
    for cell in cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell.get("source", "")
            return read_parameter_names("".join(source) if isinstance(source, list) else source)
    return []


def _key_lines(text: str) -> dict[str, int]:
    """Return the line of each top-level key of a YAML mapping."""
    try:
        node = compose_yaml_text(text)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): int(k.start_mark.line) + 1 for k, _ in node.value}


def _check_file(path: Path, declared: Sequence[str], strategies: Sequence[str]) -> list[Problem]:
    """Check one parameters file."""
    file = path.as_posix()
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return [
            Problem(
                file,
                line,
                None,
                None,
                f"UTF-8 text (save the file as UTF-8): byte 0x{data[error.start]:02X} on line "
                f"{line} is not UTF-8",
            )
        ]
    try:
        values: Any = load_yaml_text(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        return [
            Problem(file, mark.line + 1 if mark else None, None, None, f"valid YAML ({reason})")
        ]
    if not isinstance(values, dict):
        shown = None if values is None else type(values).__name__
        return [
            Problem(
                file,
                None,
                None,
                shown,
                "a mapping of parameter names to values, one a line, such as 'strategy: roads'",
            )
        ]
    lines = _key_lines(text)
    problems = []
    for key, value in values.items():
        key_line = lines.get(str(key))
        if key not in declared:
            hint = suggest_name(str(key), declared)
            problems.append(
                Problem(
                    file,
                    key_line,
                    str(key),
                    None,
                    f"only the report's parameters{hint}: {', '.join(declared)}",
                )
            )
        elif not isinstance(value, str):
            problems.append(
                Problem(
                    file,
                    key_line,
                    str(key),
                    str(value),
                    'text in quotes (every parameter is a string, such as "2026-11")',
                )
            )
        elif key == "strategy" and strategies and value not in strategies:
            problems.append(
                Problem(
                    file,
                    key_line,
                    str(key),
                    value,
                    f"a strategy_id from framework/strategies ({', '.join(strategies)})",
                )
            )
    return problems


def check_parameter_files(
    folder: Path, declared: Sequence[str], strategies: Sequence[str] = ()
) -> list[Problem]:
    """Check every ``*.yaml`` parameters file in a folder.

    Parameters
    ----------
    folder : Path
        ``params/strategies``.
    declared : sequence of str
        The parameters the strategy report's notebook declares.
    strategies : sequence of str, optional
        The data set's strategy ids (a ``strategy`` value must be one of them).

    Returns
    -------
    list of Problem
        Rows are lines of the YAML file; empty when every file is usable.
    """
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            problems += _check_file(path, declared, strategies)
        except OSError as error:
            problems.append(
                Problem(path.as_posix(), None, None, None, f"a file that can be read ({error})")
            )
    return problems
