"""Unit tests of pcplib.run.collect: a strategy report's kernel hands its judgements back."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

from pcplib import assessment, run
from pcplib.assessment.continuity import compare_with_previous_meeting
from pcplib.assessment.continuity_columns import add_continuity_columns
from pcplib.assessment.judgements import tabulate_judgements
from pcplib.run import collect

STRATEGY = "neighbourhood-crime"
PERIOD_END = "2026-09"


@pytest.fixture(scope="module")
def summary(sample):
    return assessment.summarise_strategy(sample, STRATEGY, PERIOD_END)


def test_saved_results_are_the_rows_and_rating_the_runner_would_work_out(sample, summary, tmp_path):
    path = collect.results_path(tmp_path, STRATEGY)
    continuity = compare_with_previous_meeting(sample, summary, None)
    names = {
        "summary": summary,
        "continuity": continuity,
        "data_end": PERIOD_END,
        "spc_rules": "mdc",
    }
    assert collect.save_strategy_results(path, STRATEGY, names)
    saved = collect.read_strategy_results(path)
    assert saved is not None
    expected = add_continuity_columns(tabulate_judgements([summary], STRATEGY), continuity)
    pd.testing.assert_frame_equal(saved.judgements, expected)
    assert saved.overall_rag == summary.overall_rag
    assert saved.overall_explanation == summary.overall_explanation
    assert saved.rating_note == summary.rating_note  # the index shows it beside the rating
    assert (saved.period_end, saved.spc_rules) == (PERIOD_END, "mdc")
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no partial file left


def test_a_notebook_without_a_summary_saves_nothing_and_does_not_fail(tmp_path):
    path = tmp_path / "results.pickle"
    assert not collect.save_strategy_results(path, "x", {"data_end": PERIOD_END})
    assert not collect.save_strategy_results(tmp_path / "no" / "folder", "x", {})
    assert list(tmp_path.iterdir()) == []
    assert collect.read_strategy_results(path) is None
    path.write_bytes(pickle.dumps({"not": "results"}))
    assert collect.read_strategy_results(path) is None
    path.write_bytes(b"truncated")
    assert collect.read_strategy_results(path) is None


def test_collect_code_names_the_file_and_report(tmp_path):
    code = collect.build_collect_code(tmp_path / "results-vawg.pickle", "vawg")
    assert "save_strategy_results(" in code and repr(str(tmp_path / "results-vawg.pickle")) in code
    assert "'vawg', globals())" in code
    compile(code, "collect", "exec")
    assert collect.collects_results("delivery_strategy")
    assert not collect.collects_results("annual_evaluation")


def test_gather_uses_saved_results_and_works_out_only_the_rest(tmp_path, monkeypatch):
    monkeypatch.setattr(run.runtime, "process_runtime_dir", lambda: tmp_path)
    worked_out = []
    monkeypatch.setattr(
        run.index,
        "summarise_overall",
        lambda ds, s, p, audience="board": worked_out.append(s) or run.OverallRag("Red", "Worked."),
    )
    jobs = tuple(
        run.plan_strategy_job(s, "2026-11", "2026-09", "data", "")
        for s in ("vawg", "road-safety", "resources")
    )
    plan = run.RunPlan("2026-11", "x", jobs, "2026-11", "2026-09")
    rows = pd.DataFrame({"report": ["vawg"]})
    for name, period in (("vawg", "2026-09"), ("resources", "2026-06")):
        results = collect.StrategyResults(rows, "Amber", "Worst.", period, "mdc", "But: x.")
        collect.results_path(tmp_path, name).write_bytes(pickle.dumps(results))
    known: dict[str, object] = {}
    rags = collect.gather_kernel_results(plan, None, known)
    assert rags["vawg"] == run.OverallRag("Amber", "Worst.", "But: x.")
    # No file, or a summary for another period than the index's: worked out as before.
    assert rags["road-safety"] == rags["resources"] == run.OverallRag("Red", "Worked.")
    assert worked_out == ["road-safety", "resources"]
    assert set(known) == {"vawg", "resources"}
    assert list(tmp_path.iterdir()) == []  # read once, then removed


def test_the_delivery_boards_kernel_hands_back_its_rows(tmp_path, monkeypatch):
    # The board's view is worked out once, in its kernel: its rows (each strategy's overall
    # rating and the rating a quarter before) come back to the runner like a strategy's.
    from dataclasses import replace as replace_view

    from pcplib.assessment.board import BoardView, tabulate_board_judgements

    assert collect.collects_results("delivery_board")
    rows = tabulate_judgements([], "")
    view = BoardView("2026/27 Q2", "2026-09", "2026-06", pd.Timestamp("2026-11-01"),
                     pd.DataFrame(), pd.DataFrame(), pd.DataFrame())  # fmt: skip
    view = replace_view(view, judgements=rows)
    path = collect.results_path(tmp_path, "delivery-board")
    assert collect.save_strategy_results(path, "delivery-board", {"view": view})
    monkeypatch.setattr(run.runtime, "process_runtime_dir", lambda: tmp_path)
    job = run.jobs.plan_board_job("2026-11", "2026-09", "data", "", "", "outputs/history", "B")
    plan = run.RunPlan("2026-11", "x", (job,), "2026-11", "2026-09")
    known: dict[str, object] = {}
    assert collect.gather_kernel_results(plan, None, known) == {}
    pd.testing.assert_frame_equal(
        known["delivery-board"], tabulate_board_judgements(view, "delivery-board")
    )
    assert list(tmp_path.iterdir()) == []


def test_the_overview_and_public_kernels_hand_back_the_rows_the_runner_would_work_out(
    sample, tmp_path, monkeypatch
):
    # Each kernel judged every strategy for its own table: the runner reads those rows
    # rather than judging them all again (two strategies keep the test quick).
    import dataclasses
    from types import SimpleNamespace

    small = dataclasses.replace(sample, strategies=sample.strategies.head(2))
    overview_job = run.plan_overview_job("2026-11", PERIOD_END, "data", "")
    public_job = run.jobs.plan_public_job("2026/27 Q2", "data", "", "")
    assert collect.collects_results(overview_job.notebook)
    assert collect.collects_results(public_job.notebook)
    summaries = assessment.summarise_plan(small, PERIOD_END, slot="2026-11")
    public = SimpleNamespace(
        summaries=tuple(assessment.summarise_plan(small, PERIOD_END, audience="public"))
    )
    kernels = {
        overview_job.name: {"dataset": small, "data_end": PERIOD_END, "summaries": summaries},
        public_job.name: {"dataset": small, "data_end": PERIOD_END, "quarter": "2026/27 Q2",
                          "public": public},
    }  # fmt: skip
    for name, names in kernels.items():
        assert collect.save_strategy_results(collect.results_path(tmp_path, name), name, names)
    monkeypatch.setattr(run.runtime, "process_runtime_dir", lambda: tmp_path)
    plan = run.RunPlan("2026-11", "x", (overview_job, public_job), "2026-11", PERIOD_END)
    known: dict[str, object] = {}
    assert collect.gather_kernel_results(plan, small, known) == {}
    for job in (overview_job, public_job):
        # The rows the runner works out when a kernel hands nothing back.
        worked_out = run.judgements.tabulate_job_judgements(small, job)
        assert worked_out is not None and len(worked_out) > 2
        pd.testing.assert_frame_equal(known[job.name], worked_out)
    assert list(tmp_path.iterdir()) == []


def test_run_judgements_use_known_rows_and_keep_the_runs_order(monkeypatch):
    monkeypatch.setattr(
        run.judgements,
        "tabulate_job_judgements",
        lambda ds, job, contexts=None: pd.DataFrame({"report": [job.name], "worked_out": [True]}),
    )
    jobs = (
        run.plan_strategy_job("vawg", "2026-11", "2026-09", "data", ""),
        run.plan_overview_job("2026-11", "2026-09", "data", ""),
        run.plan_strategy_job("road-safety", "2026-11", "2026-09", "data", ""),
    )
    plan = run.RunPlan("2026-11", "x", jobs, "2026-11", "2026-09")
    known = {"road-safety": pd.DataFrame({"report": ["road-safety"], "worked_out": [False]})}
    frame = run.judgements.tabulate_run_judgements(None, plan, {**known, "plan-overview": None})
    assert frame["report"].tolist() == ["vawg", "road-safety"]
    assert frame["worked_out"].tolist() == [True, False]


def test_narrative_warnings_are_listed_for_the_run_log(sample):
    import dataclasses
    from types import SimpleNamespace

    from pcplib.run import build

    entry = {
        "strategy_id": STRATEGY,
        "quarter": "2026/27 Q2",
        "section": "successes",
        "text": "Neighbourhood crime fell to 1,215 in August 2026.",
    }
    narrative = pd.concat([sample.narrative, pd.DataFrame([entry])], ignore_index=True)
    warnings = build.list_narrative_warnings(dataclasses.replace(sample, narrative=narrative))
    assert any("says 1,215 for August 2026; the data set has 1,119" in w for w in warnings)
    assert build.list_narrative_warnings(SimpleNamespace()) == []
