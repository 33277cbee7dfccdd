"""Hygiene of the report notebooks: no outputs, one parameters cell, the pcp kernel."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import papermill
import pytest

from pcplib.data.parameter_files import read_notebook_parameter_names

# Every default names no force's strategy, meeting or quarter: empty takes the data set's
# own (pcplib.assessment.defaults).
NOTEBOOKS = {
    "delivery_strategy": {
        "strategy": "",
        "slot": "",
        "meeting": "",
        "period_end": "",
        "data_dir": "",
        "spc_rules": "mdc",
        "audience": "board",
        "forward_plan": "",
        "history_dir": "outputs/history",
        "produced_at": "",
    },
    "plan_overview": {
        "slot": "",
        "meeting": "",
        "period_end": "",
        "data_dir": "",
        "forward_plan": "",
        "produced_at": "",
        "audience": "board",
    },
    "public_quarterly": {
        "quarter": "",
        "data_dir": "",
        "forward_plan": "",
        "produced_at": "",
    },
    "public_quarterly_about": {"quarter": "", "data_dir": "", "produced_at": ""},
    "annual_evaluation": {"year": "", "data_dir": "", "produced_at": ""},
    "delivery_board": {
        "slot": "",
        "meeting": "",
        "period_end": "",
        "data_dir": "",
        "forward_plan": "",
        "history_dir": "outputs/history",
        "produced_at": "",
    },
}
KERNELSPEC = {"name": "pcp", "display_name": "Python (pcp)", "language": "python"}


def _path(repo_root: Path, name: str) -> Path:
    return repo_root / "notebooks" / f"{name}.ipynb"


def test_only_the_expected_notebooks(repo_root):
    found = {p.stem for p in (repo_root / "notebooks").glob("*.ipynb")}
    assert found == set(NOTEBOOKS)


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_notebook_is_valid_and_clean(repo_root, name):
    nb = nbformat.read(_path(repo_root, name), as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"] == KERNELSPEC
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{name}: a code cell has outputs; clear them"
            assert cell.execution_count is None, f"{name}: a code cell has an execution count"
            ast.parse(cell.source)


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_exactly_one_parameters_cell_with_working_defaults(repo_root, name):
    nb = nbformat.read(_path(repo_root, name), as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{name}: expected exactly one cell tagged 'parameters'"
    assert tagged[0].cell_type == "code"
    declared = papermill.inspect_notebook(str(_path(repo_root, name)))
    assert set(declared) == set(NOTEBOOKS[name])
    # The project's one reader of a parameters cell gives what papermill gives.
    assert read_notebook_parameter_names(_path(repo_root, name)) == list(declared)
    # The defaults are plain string literals that run as they are.
    namespace: dict[str, object] = {}
    exec(compile(tagged[0].source, f"{name}:parameters", "exec"), namespace)  # noqa: S102
    for key, expected in NOTEBOOKS[name].items():
        assert namespace[key] == expected, f"{name}: default of {key}"


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_notebooks_stay_thin(repo_root, name):
    nb = nbformat.read(_path(repo_root, name), as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    tree = ast.parse(code)
    # Loops, function and class definitions belong in pcplib, with tests.
    banned = (ast.For, ast.While, ast.FunctionDef, ast.ClassDef, ast.Lambda)
    assert not [n for n in ast.walk(tree) if isinstance(n, banned)]
    assert "resolve_repo_path" in code
    assert "check_parameters" in code


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_first_setup_cell_refuses_parameters_the_notebook_does_not_declare(repo_root, name):
    nb = nbformat.read(_path(repo_root, name), as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    setup = ast.parse(nb.cells[index + 1].source)
    calls = [
        node
        for node in ast.walk(setup)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "check_injected_parameters"
    ]
    assert len(calls) == 1, f"{name}: the setup cell must call check_injected_parameters"
    assert "from pcplib.notebook import check_injected_parameters" in nb.cells[index + 1].source
    # With globals() alone: the declared names are read from the parameters cell as run.
    [namespace] = calls[0].args
    assert isinstance(namespace, ast.Call) and ast.unparse(namespace) == "globals()"
    assert not calls[0].keywords
