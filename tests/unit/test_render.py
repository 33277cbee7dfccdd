"""Unit tests of pcplib.run.render: repository paths, papermill execution, HTML export, Quarto."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from papermill.exceptions import PapermillExecutionError

from pcplib.run import render

PARAMETERS = 'strategy = "example"\nperiod_end = ""\n'
BODY = (
    "import base64\n"
    "from IPython.display import HTML, Image, display\n"
    "secret_code_marker = 1\n"
    'display(HTML(f"<p>Report for {strategy} to {period_end}</p>"))\n'
    "PNG = base64.b64decode("
    '"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="'
    ")\n"
    "display(Image(PNG))\n"
    'if strategy == "broken":\n'
    '    raise RuntimeError("deliberate failure")\n'
)


@pytest.fixture(scope="module")
def executed(
    tmp_path_factory: pytest.TempPathFactory, write_notebook
) -> tuple[Path, nbformat.NotebookNode]:
    folder = tmp_path_factory.mktemp("render")
    source = write_notebook(folder / "report.ipynb", PARAMETERS, BODY)
    nb = render.execute_notebook(
        source, folder / "out.ipynb", {"strategy": "vawg", "period_end": "2026-09"}
    )
    return folder, nb


def test_resolve_repo_path_is_relative_to_the_repository_root(
    repo_root, tmp_path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)  # as from JupyterLab in notebooks/, or anywhere else
    assert render.resolve_repo_path("data") == repo_root / "data"
    assert render.resolve_repo_path("params/strategies/vawg.yaml") == (
        repo_root / "params" / "strategies" / "vawg.yaml"
    )
    assert render.resolve_repo_path(tmp_path / "x") == tmp_path / "x"
    assert render.find_repo_root(repo_root / "pcplib") == repo_root


def test_find_repo_root_says_what_it_looked_for(tmp_path) -> None:
    with pytest.raises(FileNotFoundError, match="pyproject.toml and notebooks/"):
        render.find_repo_root(tmp_path)


def test_execute_notebook_injects_parameters_with_the_named_kernel(executed) -> None:
    folder, nb = executed
    assert nb.metadata["kernelspec"]["name"] == "pcp"
    assert nb.metadata["papermill"]["parameters"] == {"strategy": "vawg", "period_end": "2026-09"}
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert any(
        "Report for vawg to 2026-09" in o.get("data", {}).get("text/html", "") for o in outputs
    )
    assert (folder / "out.ipynb").is_file()
    assert not render._LIVE_KERNELS  # the kernel was shut down and forgotten


def test_unknown_parameter_is_an_error_before_anything_runs(tmp_path, write_notebook) -> None:
    source = write_notebook(tmp_path / "report.ipynb", PARAMETERS, BODY)
    with pytest.raises(ValueError, match=r"'strategi'.*declares: strategy, period_end"):
        render.execute_notebook(source, tmp_path / "out.ipynb", {"strategi": "vawg"})
    assert not (tmp_path / "out.ipynb").exists()


def test_failing_notebook_keeps_papermills_error_cells(tmp_path, write_notebook) -> None:
    source = write_notebook(tmp_path / "report.ipynb", PARAMETERS, BODY)
    epilogue = f"open({str(tmp_path / 'ran')!r}, 'w').close()\n"
    with pytest.raises(PapermillExecutionError) as caught:
        render.execute_notebook(
            source, tmp_path / "out.ipynb", {"strategy": "broken"}, epilogue=epilogue
        )
    assert caught.value.ename == "RuntimeError"
    nb = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert any("papermill-error-cell-tag" in c.metadata.get("tags", []) for c in nb.cells)
    # The runner's appended cell neither ran nor stays in the failed notebook.
    assert not (tmp_path / "ran").exists()
    assert not any("ran" in c.source for c in nb.cells if c.cell_type == "code")


def test_an_epilogue_runs_in_the_kernel_and_leaves_the_notebook_as_without(
    executed, write_notebook
) -> None:
    folder, plain = executed
    source = folder / "report.ipynb"
    marker = folder / "epilogue-ran"
    nb = render.execute_notebook(
        source,
        folder / "with-epilogue.ipynb",
        {"strategy": "vawg", "period_end": "2026-09"},
        epilogue=f"open({str(marker)!r}, 'w').write(str(secret_code_marker))\n",
    )
    assert marker.read_text() == "1"  # ran after the notebook, in its kernel

    def scrubbed(node: nbformat.NotebookNode) -> str:
        copy = nbformat.from_dict(node)
        return nbformat.writes(render.scrub_notebook(copy, input_path="x", output_path="y"))

    assert scrubbed(nb) == scrubbed(plain)
    written = nbformat.read(folder / "with-epilogue.ipynb", as_version=4)
    assert len(written.cells) == len(plain.cells)


def test_export_html_hides_code_embeds_images_and_is_deterministic(executed) -> None:
    folder, nb = executed
    first = render.export_html(nb)
    second = render.export_html(nbformat.read(folder / "out.ipynb", as_version=4))
    assert "Report for vawg to 2026-09" in first
    assert "secret_code_marker" not in first
    assert "In&nbsp;[" not in first and "Out[" not in first
    assert "data:image/png;base64,iVBORw0KGgo" in first
    assert first == render.export_html(nb)
    assert first.replace("out", "") == second.replace("out", "")


def test_render_html_writes_the_page(executed, tmp_path) -> None:
    _, nb = executed
    written = render.render_html(nb, tmp_path / "vawg.html")
    assert written == tmp_path / "vawg.html"
    assert written.read_text(encoding="utf-8") == render.export_html(nb, name="vawg")


def test_the_project_template_is_used_and_a_missing_one_is_announced(tmp_path, monkeypatch) -> None:
    if (render.TEMPLATE_DIR / "pcp").is_dir():
        assert render._template_settings("pcp") == ("pcp", [str(render.TEMPLATE_DIR)])
    monkeypatch.setattr(render, "TEMPLATE_DIR", tmp_path)
    with pytest.warns(RuntimeWarning, match="template 'pcp' not found"):
        assert render._template_settings("pcp") == ("lab", [])


def test_scrub_notebook_removes_run_dependent_metadata(executed) -> None:
    _, nb = executed
    clean = render.scrub_notebook(
        nbformat.from_dict(nb), input_path="notebooks/x.ipynb", output_path="x.ipynb"
    )
    assert not {"start_time", "end_time", "duration"} & set(clean.metadata["papermill"])
    assert clean.metadata["papermill"]["output_path"] == "x.ipynb"
    for cell in clean.cells:
        assert "execution" not in cell.metadata
        assert not {"start_time", "end_time", "duration"} & set(cell.metadata.get("papermill", {}))
    injected = [c for c in clean.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert [c.id for c in injected] == ["injected-parameters"]
    # Only the parameters used show: the notebook's own defaults cell says where they are.
    defaults = [c for c in clean.cells if "parameters" in c.metadata.get("tags", [])]
    assert [c.source for c in defaults] == [render.PARAMETERS_REPLACED]


def test_scrub_notebook_keeps_the_defaults_when_nothing_was_injected() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('x = ""', metadata={"tags": ["parameters"]})]
    assert render.scrub_notebook(nb).cells[0].source == 'x = ""'


def test_quarto_is_optional_and_its_absence_is_explained(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert render.find_quarto() is None
    with pytest.raises(render.QuartoNotInstalledError, match="conda install -c conda-forge quarto"):
        render.render_with_quarto(tmp_path / "x.ipynb", tmp_path / "x.html")
    fake = tmp_path / "quarto"
    fake.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    fake.chmod(0o755)
    assert render.find_quarto() == fake


def test_kill_live_kernels_with_none_running() -> None:
    assert render.kill_live_kernels() == 0


def test_env_reaches_the_kernel_only(tmp_path, monkeypatch) -> None:
    import os

    monkeypatch.delenv("PCP_TEST_MARKER", raising=False)
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('marker = ""')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [
        cell,
        nbformat.v4.new_code_cell('import os\nprint("marker", os.environ.get("PCP_TEST_MARKER"))'),
    ]
    nb.metadata["kernelspec"] = {
        "name": "pcp",
        "display_name": "Python (pcp)",
        "language": "python",
    }
    nbformat.write(nb, tmp_path / "env.ipynb")
    executed = render.execute_notebook(
        tmp_path / "env.ipynb",
        tmp_path / "out.ipynb",
        {},
        env={"PCP_TEST_MARKER": "set-for-kernel"},
    )
    assert executed.cells[-1].outputs[0].text.strip() == "marker set-for-kernel"
    assert "PCP_TEST_MARKER" not in os.environ


def test_importing_resolve_repo_path_stays_light() -> None:
    # Every report notebook imports it; nbformat and jupyter_client would add over a
    # second to each report's kernel.
    import subprocess
    import sys

    code = (
        "import sys\nfrom pcplib.run.render import resolve_repo_path\n"
        "print(sorted(m for m in ('nbformat', 'jupyter_client', 'jsonschema') if m in sys.modules))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "[]"
    assert render.TrackedKernelManager is render.get_kernel_manager_class()


def test_export_html_reuses_its_exporter_and_stays_identical(executed, monkeypatch) -> None:
    _, nb = executed
    monkeypatch.setattr(render, "_IDLE_EXPORTERS", {})
    fresh = render.export_html(nb, name="report")
    monkeypatch.setattr(render, "_IDLE_EXPORTERS", {})
    assert render.warm_exporter() is True
    assert render.warm_exporter() is False
    warmed = list(render._IDLE_EXPORTERS[render.TEMPLATE_NAME])
    assert len(warmed) == 1
    # The warmed exporter is lent, not a new one made, and its page is the same bytes.
    assert render.export_html(nb, name="report") == fresh
    assert render.export_html(nb, name="report") == fresh
    assert render._IDLE_EXPORTERS[render.TEMPLATE_NAME] == warmed


def test_exporters_are_lent_to_one_thread_at_a_time(monkeypatch) -> None:
    monkeypatch.setattr(render, "_IDLE_EXPORTERS", {})
    first, first_new = render._borrow_exporter(render.TEMPLATE_NAME)
    second, second_new = render._borrow_exporter(render.TEMPLATE_NAME)
    assert first is not second and first_new and second_new
    render._return_exporter(render.TEMPLATE_NAME, first)
    assert render._borrow_exporter(render.TEMPLATE_NAME) == (first, False)


def test_a_new_exporter_compiles_its_templates_under_the_ast_lock(monkeypatch) -> None:
    # Jinja's lexer calls ast.literal_eval, which Python 3.11 cannot run beside another
    # thread's ast.parse: a new exporter's first page is made holding the runner's lock.
    import nbformat

    from pcplib.data import parameter_files

    held = []

    class SpyLock:
        def __enter__(self):
            held.append(True)

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(parameter_files, "AST_LOCK", SpyLock())
    monkeypatch.setattr(render, "_IDLE_EXPORTERS", {})
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Page")]
    render.export_html(nb, name="page")
    assert held == [True]
    render.export_html(nb, name="page")  # the same exporter, lent again: compiled already
    assert held == [True]


def test_kernels_forked_from_a_warm_process_are_fresh_and_give_the_same_notebook(
    executed, repo_root, write_notebook
) -> None:
    from pcplib import forkserver

    folder, plain = executed
    probe = write_notebook(
        folder / "probe.ipynb",
        'strategy = ""\n',
        "import gc, os, sys\n"
        "print(os.getppid(), 'scipy.stats' in sys.modules, 'leaked' in globals(),\n"
        "      gc.get_freeze_count() > 0)\n"
        "leaked = 1\n",
    )
    with forkserver.serve_kernels("pcp", repo_root) as server:
        assert server is not None and forkserver.active_server() is server
        nb = render.execute_notebook(
            folder / "report.ipynb",
            folder / "forked.ipynb",
            {"strategy": "vawg", "period_end": "2026-09"},
        )
        probes = [render.execute_notebook(probe, folder / f"probe-{i}.ipynb", {}) for i in range(2)]
    # Each kernel is a child of the server, with its imports (frozen, out of the
    # collector's full passes), and nothing of the last one.
    for executed_probe in probes:
        assert executed_probe.cells[-1].outputs[0]["text"] == f"{server.pid} True False True\n"
    assert not server.alive() and forkserver.active_server() is None

    def scrubbed(node: nbformat.NotebookNode) -> str:
        copy = nbformat.from_dict(node)
        return nbformat.writes(render.scrub_notebook(copy, input_path="x", output_path="y"))

    assert scrubbed(nb) == scrubbed(plain)
