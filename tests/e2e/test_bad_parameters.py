"""End to end: a misspelt parameter stops the real report, whichever way it is run.

Papermill only warns about a parameter the notebook does not declare and runs with the
notebook's default; each report's setup cell refuses it instead, with one line.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from rich.console import Console

from pcplib import run
from pcplib.run import render

pytestmark = pytest.mark.e2e

MISSPELT = (
    'stratgy: "vawg"\nslot: "2026-11"\nperiod_end: "2026-09"\ndata_dir: "data"\nspc_rules: "mdc"\n'
)


def error_outputs(notebook: Path) -> list[dict]:
    nb = nbformat.read(notebook, as_version=4)
    return [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]


def test_plain_papermill_refuses_a_misspelt_parameters_file(
    repo_root: Path, tmp_path: Path
) -> None:
    params = tmp_path / "vawg.yaml"
    params.write_text(MISSPELT, encoding="utf-8")
    output = tmp_path / "out.ipynb"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(repo_root / "notebooks" / "delivery_strategy.ipynb"),
            str(output),
            "-f",
            str(params),
            "-k",
            "pcp",
            "--cwd",
            str(repo_root),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode != 0, completed.stderr[-2000:]
    [error] = error_outputs(output)
    assert error.ename == "ParameterError"
    # One line in the notebook, not a traceback through the library.
    assert len(error.traceback) == 1
    assert error.traceback[0].startswith(
        "ParameterError: unknown parameter 'stratgy' (did you mean 'strategy'?)"
    )
    assert "ParameterError: unknown parameter 'stratgy'" in completed.stderr


def test_pcp_run_refuses_a_misspelt_parameter_before_anything_runs(
    repo_root: Path, tmp_path: Path
) -> None:
    job = run.plan_strategy_job("vawg", "2026-11", "2026-09", "data", "2026-11-23T06:00:00Z")
    job.parameters["stratgy"] = job.parameters.pop("strategy")
    plan = run.RunPlan("2026-11", "CGB", (job,), "2026-11", "2026-09")
    options = run.RunOptions(
        out_dir=tmp_path / "outputs",
        data_dir=repo_root / "data",
        forward_plan=repo_root / "data" / "forward_plan.yaml",
        jobs=1,
        today=dt.date(2026, 11, 23),
        screenshots=False,
    )
    console = Console(record=True, width=300, file=open("/dev/null", "w"))  # noqa: SIM115
    assert run.run_plan(plan, options, console) == run.EXIT_FAILED
    assert "unknown parameter(s) 'stratgy'" in console.export_text()
    assert not (tmp_path / "outputs" / "2026-11").exists()


def test_the_notebook_refuses_it_even_when_the_runner_does_not_check(
    repo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "check_parameters", lambda notebook, parameters: None)
    monkeypatch.setattr(run.validation.render, "check_parameters", lambda n, p: None)
    output = tmp_path / "out.ipynb"
    with pytest.raises(Exception) as caught:
        render.execute_notebook(
            repo_root / "notebooks" / "annual_evaluation.ipynb",
            output,
            {"yaer": "2025/26", "data_dir": "data", "produced_at": ""},
            cwd=repo_root,
        )
    assert run.describe_failure(caught.value)[0].startswith(
        "ParameterError: unknown parameter 'yaer' (did you mean 'year'?)"
    )
