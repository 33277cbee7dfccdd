"""What an analyst meets in a notebook: report fragments with their own layout, one-line
parameter errors, tidy frames with readable names, and the snippets the notebooks show."""

from __future__ import annotations

import re

import nbformat
import pandas as pd
import pytest
from matplotlib.figure import Figure

from pcplib import assessment, report
from pcplib.assessment import judgements
from pcplib.data.reference import load_table_one
from pcplib.errors import ParameterError
from pcplib.report import fragments, measures, overview
from pcplib.run import render

STRATEGY = "neighbourhood-crime"
PERIOD_END = "2026-09"


@pytest.fixture(scope="module")
def summary(sample):
    return assessment.summarise_strategy(sample, STRATEGY, PERIOD_END)


# --- report fragments ---------------------------------------------------------------


def list_selectors(css: str) -> list[str]:
    """Every selector of a stylesheet, at-rule blocks opened up."""
    selectors = []
    for head in re.findall(r"([^{}]+)\{", css):
        head = head.strip()
        if head.startswith("@"):
            continue
        selectors += [part.strip() for part in head.split(",")]
    return selectors


def test_every_fragment_rule_is_scoped_to_the_report_container():
    selectors = list_selectors(fragments.FRAGMENT_CSS)
    assert len(selectors) > 20
    for selector in selectors:
        scope = selector.removeprefix('[data-jp-theme-light="false"] ')
        assert scope.startswith(".pcp-report"), f"{selector!r} would reach JupyterLab itself"


def test_fragment_layout_pairs_the_header_and_aligns_tables():
    css = fragments.FRAGMENT_CSS
    assert ".pcp-report dl.meta { display: grid;" in css
    assert "float: none" in css  # JupyterLab floats dt and dd
    assert "text-align: left" in css and "td.num" in css
    assert "overflow-x: auto; max-width: 100%" in css
    assert "@media print" in css and "break-inside: avoid" in css


def test_wrap_fragment_carries_the_style_and_leaves_empty_html_empty():
    wrapped = fragments.wrap_fragment("<p>x</p>")
    assert wrapped == f'<div class="pcp-report">{fragments.FRAGMENT_STYLE}<p>x</p></div>'
    assert fragments.wrap_fragment("") == ""


def test_the_report_package_exports_builders_as_fragments(sample, summary):
    header = report.build_header(sample, STRATEGY, "2026-11", PERIOD_END, "2026-11-23T06:00:00Z")
    assert header.startswith('<div class="pcp-report"><style>')
    assert header.count('class="pcp-report"') == 1
    # The module's own function stays unwrapped, so builders calling each other do not nest.
    assert not measures.format_overall_rag(summary).startswith("<div")
    assert report.format_overall_rag.__doc__ == measures.format_overall_rag.__doc__
    reference = load_table_one(sample.root / "reference")
    section = report.format_table_one_section(reference)
    assert section.count('class="pcp-report"') == 1
    assert overview.format_table_one_section(reference).count("pcp-report") == 0
    # Plain text stays plain text; a banner that does not apply stays empty.
    assert "<" not in report.format_plan_overview_caption(PERIOD_END)
    assert report.format_data_availability(sample, PERIOD_END) == ""


def test_the_rendered_page_holds_the_fragment_styles_once_in_its_head(summary):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/html": report.format_overall_rag(summary)}
        )
        for _ in range(3)
    ]
    nb.cells = [cell]
    page = render.export_html(nb, name="x")
    head, body = page.split("</head>", 1)
    assert head.count(fragments.FRAGMENT_CSS) == 1
    assert "<style" not in body
    assert body.count('class="pcp-report"') == 3
    # The page's own stylesheet keeps the marking and the printed page.
    assert "@page" in head and "OFFICIAL" in head


# --- parameter errors ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"strategy": "no-such"}, "unknown strategy 'no-such'; expected one of: "),
        ({"slot": "November"}, "slot: "),
        ({"quarter": "2026 Q2"}, "quarter: "),
        ({"year": "2099/00"}, "year '2099/00' is not covered by the data"),
        ({"audience": "press"}, "unknown audience 'press'"),
        ({"produced_at": "next tuesday"}, "cannot read produced_at"),
    ],
)
def test_check_parameters_raises_parameter_error(sample, parameters, message):
    with pytest.raises(ParameterError, match=re.escape(message)) as caught:
        assessment.check_parameters(sample, **parameters)
    assert isinstance(caught.value, ValueError)  # callers catching ValueError still do
    assert caught.value._render_traceback_() == [f"ParameterError: {caught.value}"]


def test_a_bad_parameter_is_one_line_in_the_notebook_and_in_pcp_run(tmp_path, repo_root):
    from papermill.exceptions import PapermillExecutionError

    from pcplib.run.execute import describe_failure

    output = tmp_path / "out.ipynb"
    parameters = {"strategy": "no-such", "data_dir": "data", "produced_at": "2026-11-23T06:00Z"}
    with pytest.raises(PapermillExecutionError) as caught:
        render.execute_notebook(
            repo_root / "notebooks" / "delivery_strategy.ipynb", output, parameters, timeout=300
        )
    line, cell, _ = describe_failure(caught.value)
    assert line.startswith("ParameterError: unknown strategy 'no-such'; expected one of: ")
    assert cell is not None
    errors = [
        out
        for c in nbformat.read(output, as_version=4).cells
        for out in c.get("outputs", [])
        if out.output_type == "error"
    ]
    assert len(errors) == 1
    # What the analyst sees: the one line pcp run reports, no traceback through pcplib.
    assert errors[0].traceback == [line]
    assert errors[0].ename == "ParameterError"


# --- tidy frames --------------------------------------------------------------------


def test_summary_table_is_the_judgements_with_readable_names(summary):
    table = summary.table
    assert list(table.columns) == [judgements.label_column(c) for c in judgements.TABLE_COLUMNS]
    assert len(table.columns) <= 20  # pandas' max_columns in a notebook: shown in full
    assert {"Measure", "RAG", "SPC variation", "Target for the period"} <= set(table.columns)
    assert table.iloc[0]["Measure ID"] == "overall"
    assert all(table[c].dtype != object or table[c].map(judgements._is_plain).all() for c in table)
    # The rows of judgements.csv, as pcp run writes them for this report.
    every = summary.to_frame(assessment.JUDGEMENT_COLUMNS, readable=False)
    expected = assessment.tabulate_judgements([summary], STRATEGY)
    pd.testing.assert_frame_equal(every, expected)
    assert set(every["report"]) == {STRATEGY}


def test_a_public_summary_names_its_report_as_pcp_run_does(sample):
    public = assessment.summarise_strategy(sample, STRATEGY, PERIOD_END, "public")
    assert public.report_name == f"{STRATEGY}-public"
    assert set(public.to_frame(["report"], readable=False)["report"]) == {f"{STRATEGY}-public"}


def test_plan_overview_and_public_tables_are_the_rows_pcp_run_writes(sample, summary):
    from pcplib.run.jobs import RunPlan, plan_overview_job, plan_public_job
    from pcplib.run.judgements import tabulate_run_judgements

    jobs = (
        plan_overview_job("2026-11", PERIOD_END, "data", ""),
        plan_public_job("2026/27 Q2", "data", "data/forward_plan.yaml", ""),
    )
    written = tabulate_run_judgements(sample, RunPlan("x", "x", jobs, None, None))
    every = {"columns": assessment.JUDGEMENT_COLUMNS, "readable": False}
    for frame, name in (
        # The run's overview is the Board's for its meeting: overdue actions by the slot.
        (assessment.tabulate_plan_overview(sample, PERIOD_END, slot="2026-11", **every), "plan"),
        (assessment.tabulate_public_quarter(sample, "2026/27 Q2", **every), "pub"),
    ):
        rows = written[written["report"] == frame["report"].iloc[0]].reset_index(drop=True)
        pd.testing.assert_frame_equal(frame, rows, obj=name)
    # Readable names by default: the names do not depend on which summaries are tabled,
    # so the module's summary serves (not the whole plan a fourth time).
    readable = assessment.tabulate_plan_overview(sample, PERIOD_END, summaries=[summary])
    assert "RAG" in readable.columns and "rag" not in readable.columns


def test_label_columns_names_columns_and_leaves_out_objects(summary):
    labelled = assessment.label_columns(summary.measures)
    assert "spc" not in labelled.columns and "Measure" in labelled.columns
    assert judgements.label_column("baseline_year") == "Baseline year"
    assert judgements.label_column("spc_status") == "SPC status"
    assert judgements.label_column("rag") == "RAG"
    with pytest.raises(ValueError, match="unknown judgement column"):
        summary.to_frame(["nope"])


def test_plot_measure_draws_the_reports_chart_and_names_the_measures(summary):
    assert isinstance(report.plot_measure(summary, "nc-total-crime"), Figure)
    with pytest.raises(ValueError, match="nc-total-crime"):
        report.plot_measure(summary, "no-such")


def test_a_chart_is_a_picture_in_a_fresh_kernel(tmp_path, write_notebook):
    body = (
        "from pcplib import assessment, report\n"
        "from pcplib.data import load_dataset\n"
        "from pcplib.run.render import resolve_repo_path\n"
        f"summary = assessment.summarise_strategy(load_dataset(resolve_repo_path('data')), "
        f"{STRATEGY!r}, {PERIOD_END!r})\n"
        "report.plot_measure(summary, 'nc-total-crime')"
    )
    notebook = write_notebook(tmp_path / "chart.ipynb", "x = ''", body)
    executed = render.execute_notebook(notebook, tmp_path / "out.ipynb", {}, timeout=300)
    (result,) = executed.cells[-1].outputs
    assert "image/png" in result.data, "shown as a picture, not as <Figure size ...>"


# --- the notebooks' analyst cells ---------------------------------------------------


NOTEBOOKS = ("delivery_strategy", "plan_overview", "public_quarterly", "annual_evaluation")


def run_line(line: str, namespace: dict[str, object]) -> object:
    """Run one line of a snippet as a cell would: its value, or None for a statement."""
    code = line.split("  #")[0].strip()
    try:
        compiled = compile(code, "snippet", "eval")
    except SyntaxError:
        exec(compile(code, "snippet", "exec"), namespace)  # noqa: S102
        return None
    return eval(compiled, namespace)  # noqa: S307


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_analyst_cell_shows_code_that_works(repo_root, name, capsys):
    nb = nbformat.read(repo_root / "notebooks" / f"{name}.ipynb", as_version=4)
    analyst = [c for c in nb.cells if "For analysts" in c.source]
    assert len(analyst) == 1 and analyst[0].cell_type == "markdown"
    assert "remove_cell" in analyst[0].metadata.get("tags", []), "kept out of the report"
    snippets = re.findall(r"```python\n(.*?)```", analyst[0].source, flags=re.S)
    assert snippets
    # Setup only (parameters and the cell that loads and checks); then each line of the snippet.
    namespace: dict[str, object] = {}
    for cell in [c for c in nb.cells if c.cell_type == "code"][:2]:
        exec(compile(cell.source, name, "exec"), namespace)  # noqa: S102
    results = [run_line(line, namespace) for line in snippets[0].splitlines()]
    assert any(isinstance(r, pd.DataFrame) and "Measure" in r.columns for r in results)
    assert isinstance(results[-1], Figure)
    capsys.readouterr()
