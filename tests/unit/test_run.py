"""Unit tests of pcplib.run: planning, atomic publish, interrupts, manifest, reproducibility.

The runs here execute tiny notebooks written to tmp_path (the real notebooks are
exercised by tests/e2e/test_run.py), with the data set and forward plan replaced
by small stand-ins, so each run takes a few seconds.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest
from rich.console import Console

from pcplib import cli, run
from pcplib.run import judgements as run_judgements
from pcplib.run import render

STRATEGY_PARAMETERS = (
    'strategy = "example"\nslot = ""\nmeeting = ""\nperiod_end = ""\ndata_dir = "data"\n'
    'spc_rules = "mdc"\naudience = "board"\nforward_plan = ""\nhistory_dir = ""\nproduced_at = ""\n'
)
STRATEGY_BODY = (
    'if strategy == "broken":\n'
    '    raise ValueError("deliberate failure in " + strategy)\n'
    "from IPython.display import HTML\n"
    'HTML(f"<h1>{strategy}</h1><p>Slot {slot}, data to {period_end}, produced {produced_at}</p>")'
)
OVERVIEW_PARAMETERS = (
    'slot = ""\nmeeting = ""\nperiod_end = ""\ndata_dir = "data"\nforward_plan = ""\n'
    'produced_at = ""\naudience = "board"\n'
)
SAMPLE_TODAY = date(2026, 11, 23)
PUBLIC_PARAMETERS = (
    'quarter = ""\ndata_dir = "data"\nforward_plan = "data/forward_plan.yaml"\nproduced_at = ""\n'
)
ABOUT_PARAMETERS = 'quarter = ""\ndata_dir = "data"\nproduced_at = ""\n'
BOARD_PARAMETERS = (
    'slot = ""\nmeeting = ""\nperiod_end = ""\ndata_dir = "data"\nforward_plan = ""\n'
    'history_dir = ""\nproduced_at = ""\n'
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_notebook) -> SimpleNamespace:
    """Tiny notebooks, a stand-in data set and forward plan, and an output folder."""
    return make_project(tmp_path, monkeypatch, write_notebook)


def make_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_notebook
) -> SimpleNamespace:
    """What ``project`` gives, in ``tmp_path``, its changes made with ``monkeypatch``."""
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    notebooks = {
        "delivery_strategy": write_notebook(
            nbdir / "delivery_strategy.ipynb", STRATEGY_PARAMETERS, STRATEGY_BODY
        ),
        "plan_overview": write_notebook(
            nbdir / "plan_overview.ipynb", OVERVIEW_PARAMETERS, 'print("overview", slot)'
        ),
        "public_quarterly": write_notebook(
            nbdir / "public_quarterly.ipynb", PUBLIC_PARAMETERS, 'print("public", quarter)'
        ),
        "public_quarterly_about": write_notebook(
            nbdir / "public_quarterly_about.ipynb", ABOUT_PARAMETERS, 'print("about", quarter)'
        ),
        "delivery_board": write_notebook(
            nbdir / "delivery_board.ipynb", BOARD_PARAMETERS, 'print("board", slot)'
        ),
    }
    monkeypatch.setattr(run.jobs, "NOTEBOOKS", notebooks)
    # The stand-in data set cannot be assessed: judgements.csv gets one row per report here,
    # and tests/e2e/test_run.py checks the real rows.
    monkeypatch.setattr(
        run_judgements,
        "tabulate_job_judgements",
        lambda ds, job, contexts=None: pd.DataFrame({"report": [job.name]}),
    )
    data = tmp_path / "data"
    data.mkdir()
    # Meeting lines name the data set's board (dataset.yaml), never a fixed one.
    (data / "dataset.yaml").write_text('board: {name: "Performance Board"}\n', encoding="utf-8")
    plan_file = tmp_path / "forward_plan.yaml"
    plan_file.write_text("slots: []\n", encoding="utf-8")
    dataset = SimpleNamespace(
        # No restricted measures: the public gate (pcplib.run.public_check) reads this.
        measures=pd.DataFrame({"measure_id": [], "measure_name": [], "visibility": []}),
        illustrative=True,
        description="Illustrative sample for tests.",
        files={"framework/measures.csv": "ab" * 32},
        strategies=pd.DataFrame(
            {"strategy_id": ["vawg", "road-safety"], "strategy_name": ["VAWG", "Road Safety"]}
        ),
    )
    state = SimpleNamespace(problems=[], executed=[])
    monkeypatch.setattr(
        run.validation, "load_inputs", lambda options: (dataset, list(state.problems))
    )
    monkeypatch.setattr(
        run.manifest, "read_git_commit", lambda: {"commit": "0" * 40, "dirty": False}
    )
    forward_plan = SimpleNamespace(
        slots=[
            SimpleNamespace(
                slot="2026-09", year="2026/27", strategies=["rural-crime"], period_end="2026-06"
            ),
            SimpleNamespace(
                slot="2026-11",
                year="2026/27",
                strategies=["vawg", "road-safety", "vawg"],
                period_end="2026-09",
            ),
            SimpleNamespace(
                slot="2027-01", year="2026/27", strategies=["resources"], period_end="2026-09"
            ),
        ]
    )
    resolved: list[tuple[str, object]] = []

    def fake_resolve(plan: object, spec: str, today: object) -> SimpleNamespace:
        resolved.append((spec, today))
        lookup = {"latest": "2026-11", "next": "2027-01"}
        wanted = lookup.get(spec, spec)
        for slot in forward_plan.slots:
            if slot.slot == wanted:
                return slot
        raise run.RunError(f"--slot {spec}: not in the plan", run.EXIT_USAGE)

    monkeypatch.setattr(run.plans, "load_plan", lambda path: forward_plan)
    monkeypatch.setattr(run.plans, "resolve_slot_spec", fake_resolve)
    options = run.RunOptions(
        out_dir=tmp_path / "outputs",
        data_dir=data,
        forward_plan=plan_file,
        jobs=2,
        produced_at="2026-11-23T06:00:00+00:00",
        reproducible=True,
        # Screenshots have their own tests below; the others stay browser-free and fast.
        screenshots=False,
    )
    return SimpleNamespace(
        tmp=tmp_path,
        options=options,
        state=state,
        dataset=dataset,
        resolved=resolved,
        out=tmp_path / "outputs",
        data=data,
        plan_file=plan_file,
    )


def make_plan(project: SimpleNamespace, strategies: list[str]) -> run.RunPlan:
    at = project.options.produced_at
    jobs = [run.plan_strategy_job(s, "2026-11", "2026-09", "data", at) for s in strategies]
    jobs.append(run.plan_overview_job("2026-11", "2026-09", "data", at))
    return run.RunPlan("2026-11", "CGB test", tuple(jobs), "2026-11", "2026-09")


@pytest.fixture(scope="module")
def good_outputs(tmp_path_factory: pytest.TempPathFactory, write_notebook) -> Path:
    """An output folder holding one good run of vawg and the overview, published once.

    The tests of what a later run does to the last good outputs copy it (every file, its
    meeting history too) rather than each executing the run first. Kernels start from
    scratch, as the unit tests' ``start_kernels_from_scratch`` has them.
    """
    from pcplib import forkserver

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("PCP_FORK_KERNELS", "0")
        monkeypatch.setattr(forkserver, "_ACTIVE", None)
        good = make_project(tmp_path_factory.mktemp("good-run"), monkeypatch, write_notebook)
        assert run.run_plan(make_plan(good, ["vawg"]), good.options, quiet()) == run.EXIT_OK
    return good.out


def copy_good_run(project: SimpleNamespace, good_outputs: Path) -> None:
    """Give ``project`` the outputs of a good run of vawg and the overview (a copy)."""
    shutil.copytree(good_outputs, project.out, symlinks=True)


def run_args(project: SimpleNamespace, *extra: str) -> list[str]:
    return [
        "run",
        *extra,
        "--out",
        str(project.out),
        "--data",
        str(project.data),
        "--forward-plan",
        str(project.plan_file),
        "--jobs",
        "2",
        "--no-screenshots",
    ]


def parse(project: SimpleNamespace, *extra: str) -> object:
    args = cli.build_parser().parse_args(run_args(project, *extra))
    args.argv = ["pcp", *extra]
    return args


def quiet() -> Console:
    return Console(file=open("/dev/null", "w"), width=200)  # noqa: SIM115


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "run.log"
    }


# --- planning -----------------------------------------------------------------------------------


def test_slot_plan_runs_each_agenda_strategy_once_plus_the_overview(project) -> None:
    args = parse(
        project, "--slot", "latest", "--today", "2026-11-23", "--timestamp", "2026-11-23T06:00Z"
    )
    plan = run.build_run_plan(args, run.make_options(args))
    assert project.resolved == [("latest", date(2026, 11, 23))]
    assert plan.folder == "2026-11" and plan.slot == "2026-11" and plan.period_end == "2026-09"
    assert plan.for_meeting  # the meeting's own run: kept as what the meeting was told
    assert [j.name for j in plan.jobs] == ["vawg", "road-safety", "plan-overview", "delivery-board"]
    vawg = plan.jobs[0]
    assert vawg.notebook == "delivery_strategy"
    assert vawg.parameters == {
        "strategy": "vawg",
        "slot": "2026-11",
        "meeting": "Performance Board, November 2026",
        "period_end": "2026-09",
        "data_dir": str(project.data.resolve()),
        "spc_rules": "mdc",
        "audience": "board",
        # The report compares with the last meeting these name (its "since the last meeting").
        "forward_plan": str(project.plan_file.resolve()),
        "history_dir": str((project.out / "history").resolve()),
        "produced_at": "2026-11-23T06:00:00+00:00",
    }
    overview = plan.jobs[-2].parameters
    # The Table One back test left the overview, and its reference folder with it.
    assert "reference_dir" not in overview
    assert overview["meeting"] == "Performance Board, November 2026"
    # The run's forward plan (--forward-plan overrides the data set's) says whether the
    # meeting has new data, in the overview as in the strategy reports.
    assert overview["forward_plan"] == str(project.plan_file.resolve())
    # The quarterly delivery board's view reads the same plan and history.
    board = plan.jobs[-1]
    assert board.notebook == "delivery_board" and board.parameters["period_end"] == "2026-09"
    assert board.parameters["history_dir"] == vawg.parameters["history_dir"]


def test_reports_built_outside_their_slot_name_their_own_meeting_or_none(project) -> None:
    # --all on the November data: vawg and road-safety are reviewed in November, resources
    # in January on the same data; rural-crime's meeting (September) reports June's data,
    # so its report on September's data was prepared for no meeting.
    plan = run.build_run_plan(parse(project, "--all", "--period", "2026-09"), project.options)
    # Labelled with November's slot, but not November's own run (review 5, N1).
    assert plan.slot == "2026-11" and not plan.for_meeting
    meetings = {job.strategy: job.parameters["meeting"] for job in plan.jobs}
    assert meetings == {
        "rural-crime": f"{run.NO_MEETING}; not on the forward plan again up to its last "
        "meeting, in January 2027",
        "vawg": "Performance Board, November 2026",
        "road-safety": "Performance Board, November 2026",
        "resources": "Performance Board, January 2027",
    }
    june = run.build_run_plan(
        parse(project, "--strategy", "rural-crime", "--period", "2026-06"), project.options
    )
    assert june.jobs[0].parameters["meeting"] == "Performance Board, September 2026"
    assert run.NO_MEETING == "Not prepared for a meeting"


def test_a_report_prepared_for_no_meeting_says_when_its_strategy_is_next_due() -> None:
    # Issue 26: "Not prepared for a meeting" alone read as if the strategy were off the plan.
    from types import SimpleNamespace

    def slot(month: str, strategies: list[str], data_to: str) -> SimpleNamespace:
        return SimpleNamespace(slot=month, strategies=strategies, period_end=data_to)

    plan = SimpleNamespace(
        slots=[
            slot("2026-07", ["vawg"], "2026-03"),
            slot("2026-11", ["road-safety"], "2026-09"),
            slot("2027-07", ["vawg"], "2027-03"),
            slot("2027-09", ["vawg"], "2027-06"),
        ]
    )
    assert run.plans.find_meeting(plan, "vawg", "2026-09", "Board") == (
        "Not prepared for a meeting; next due at the Board in July 2027 (data to March 2027)"
    )
    assert run.plans.find_meeting(plan, "road-safety", "2026-09", "Board") == (
        "Board, November 2026"
    )
    # Review 3 #12: the forward plan file ends, so "no later meeting" overstated what is
    # known; the line says where the plan ends instead.
    assert run.plans.find_meeting(plan, "road-safety", "2026-12", "Board") == (
        "Not prepared for a meeting; not on the forward plan again up to its last meeting, "
        "in September 2027"
    )
    assert run.plans.describe_next_review(SimpleNamespace(slots=[]), "vawg", "2026-09") == (
        "not on the forward plan, which lists no meetings"
    )


def test_public_audience_goes_to_its_own_folder_with_public_reports(project) -> None:
    plan = run.build_run_plan(
        parse(project, "--slot", "latest", "--audience", "public"), project.options
    )
    assert plan.folder == "2026-11-public"
    assert plan.heading.endswith("(public versions)")
    strategies = [job for job in plan.jobs if job.strategy]
    assert strategies and all(job.parameters["audience"] == "public" for job in strategies)
    board = run.build_run_plan(parse(project, "--all"), project.options)
    assert not board.folder.endswith("-public")
    assert {job.parameters["audience"] for job in board.jobs} == {"board"}


def test_overall_rag_is_rolled_up_for_each_reports_audience(project, monkeypatch) -> None:
    seen = []
    monkeypatch.setattr(
        run.index,
        "summarise_overall",
        lambda ds, s, p, audience="board": seen.append((s, audience)) or run.OverallRag("Grey", ""),
    )
    plan = run.build_run_plan(
        parse(project, "--slot", "latest", "--audience", "public"), project.options
    )
    run.summarise_overalls(project.dataset, plan)
    assert seen == [("vawg", "public"), ("road-safety", "public")]


def test_default_plan_adds_the_public_report_for_the_slots_quarter(project) -> None:
    plan = run.build_run_plan(parse(project, "--default"), project.options)
    assert plan.folder == "2026-11"
    names = [j.name for j in plan.jobs][-4:]
    assert names == [
        "plan-overview",
        "delivery-board",
        "public-quarterly",
        "public-quarterly-about",
    ]
    # The "About these figures" page is a job of its own, published beside the report.
    assert plan.jobs[-2].parameters["quarter"] == "2026/27 Q2"
    assert plan.jobs[-1].parameters == {
        "quarter": "2026/27 Q2",
        "data_dir": str(project.data.resolve()),
        "produced_at": project.options.produced_at,
    }
    assert project.resolved[0][0] == "latest"


def test_strategy_plan_derives_the_first_slot_reporting_that_period(project) -> None:
    plan = run.build_run_plan(
        parse(project, "--strategy", "vawg", "--period", "2026-09"), project.options
    )
    assert plan.folder == "vawg-2026-09"
    assert [j.name for j in plan.jobs] == ["vawg"]
    assert plan.jobs[0].parameters["slot"] == "2026-11"
    beyond = run.build_run_plan(
        parse(project, "--strategy", "vawg", "--period", "2027-03"), project.options
    )
    assert beyond.jobs[0].parameters["slot"] == "2027-05"
    pinned = run.build_run_plan(
        parse(project, "--strategy", "vawg", "--slot", "next"), project.options
    )
    assert pinned.jobs[0].parameters["slot"] == "2027-01"
    assert pinned.period_end == "2026-09"


def test_all_plan_covers_every_scheduled_strategy(project) -> None:
    plan = run.build_run_plan(parse(project, "--all", "--period", "2026-06"), project.options)
    assert plan.folder == "all-2026-06"
    assert [j.name for j in plan.jobs] == ["rural-crime", "vawg", "road-safety", "resources"]
    assert {j.parameters["slot"] for j in plan.jobs} == {"2026-09"}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ((), "say what to run"),
        (("--all", "--default"), "choose one of"),
        (("--all", "--period", "2026-08"), "not a quarter end"),
        (("--all", "--period", "Sept"), "not a month"),
        (("--slot", "latest", "--period", "2026-09"), "--period goes with"),
    ],
)
def test_bad_run_options_are_usage_errors(project, extra, message) -> None:
    with pytest.raises(run.RunError, match=message) as caught:
        run.build_run_plan(parse(project, *extra), project.options)
    assert caught.value.exit_code == run.EXIT_USAGE


def test_public_plan_names_its_folder_after_the_quarter(project) -> None:
    args = cli.build_parser().parse_args(["public", "--quarter", "2026/27 Q2"])
    plan = run.build_public_plan(args, project.options)
    assert plan.folder == "public-2026-27-Q2"
    assert plan.period_end == "2026-09"
    assert plan.jobs[0].parameters["quarter"] == "2026/27 Q2"


def test_annual_plan_names_its_folder_after_the_year(project) -> None:
    args = cli.build_parser().parse_args(["annual", "--year", "2025/26"])
    plan = run.build_annual_plan(args, project.options)
    assert plan.folder == "annual-2025-26"
    assert plan.period_end == "2026-03"
    assert [job.notebook for job in plan.jobs] == ["annual_evaluation"]
    assert plan.jobs[0].parameters["year"] == "2025/26"


def test_annual_plan_refuses_a_year_that_is_not_a_financial_year(project) -> None:
    args = cli.build_parser().parse_args(["annual", "--year", "2025-26"])
    with pytest.raises(run.RunError, match="expected a financial year like '2025/26'") as caught:
        run.build_annual_plan(args, project.options)
    assert caught.value.exit_code == run.EXIT_USAGE


def test_produced_at_comes_from_timestamp_or_source_date_epoch() -> None:
    assert run.resolve_produced_at("2026-11-23T06:00:00", {}) == ("2026-11-23T06:00:00+00:00", True)
    assert run.resolve_produced_at(None, {"SOURCE_DATE_EPOCH": "0"}) == (
        "1970-01-01T00:00:00+00:00",
        True,
    )
    _, fixed = run.resolve_produced_at(None, {})
    assert fixed is False
    with pytest.raises(run.RunError, match="not an ISO-8601"):
        run.resolve_produced_at("23/11/2026", {})
    with pytest.raises(run.RunError, match="SOURCE_DATE_EPOCH"):
        run.resolve_produced_at(None, {"SOURCE_DATE_EPOCH": "yesterday"})


def test_quarter_end_of_reads_a_quarter_or_gives_a_usage_error() -> None:
    assert run.quarter_end_of("2026/27 Q2") == "2026-09"
    with pytest.raises(run.RunError, match="not a financial quarter") as caught:
        run.quarter_end_of("Q2 2026")
    assert caught.value.exit_code == run.EXIT_USAGE


# --- running ------------------------------------------------------------------------------------


def test_run_publishes_reports_index_and_manifest(project, monkeypatch) -> None:
    monkeypatch.setattr(
        run.index,
        "summarise_overall",
        lambda ds, s, p, audience="board": run.OverallRag("Amber", f"Worst of {s}."),
    )
    plan = run.name_jobs(make_plan(project, ["vawg", "road-safety"]), project.dataset)
    assert run.run_plan(plan, project.options, quiet()) == run.EXIT_OK
    folder = project.out / "2026-11"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "index.html",
        "judgements.csv",
        "manifest.json",
        "plan-overview.html",
        "plan-overview.ipynb",
        "road-safety.html",
        "road-safety.ipynb",
        "run.log",
        "vawg.html",
        "vawg.ipynb",
    ]
    assert not [p for p in project.out.iterdir() if p.name.startswith(".")]
    report = (folder / "vawg.html").read_text(encoding="utf-8")
    assert "produced 2026-11-23T06:00:00+00:00" in report
    assert "HTML(" not in report  # no code in the reviewer's page
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert index.count('<p class="marking">OFFICIAL</p>') == 2
    assert '<a href="vawg.html">VAWG</a>' in index
    assert '<a href="plan-overview.html">' in index
    assert "Illustrative sample data" in index
    # One line per report: its rating as a word and a colour, and its meeting; the
    # roll-up's sentence stays in the report, and the key is given once.
    assert "background:#ffdd00" in index and ">Amber</span></td>" in index
    assert "Worst of vawg." not in index
    assert index.count("<td>Board, November 2026</td>") == 3
    assert index.count("<h2>Key</h2>") == 1
    assert "September 2026" in index and "2026/27 Q2" in index
    assert "<dt>Produced</dt><dd>23 November 2026 06:00 UTC</dd>" in index
    assert "<img" not in index  # no screenshots asked for, so no thumbnails
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["slot"] == "2026-11" and manifest["period_end"] == "2026-09"
    assert manifest["produced_at"] == "2026-11-23T06:00:00+00:00"
    assert manifest["renderer"] == "nbconvert"
    assert manifest["data"]["files"] == {"framework/measures.csv": "ab" * 32}
    assert manifest["data"]["illustrative"] is True
    assert manifest["git"]["commit"] == "0" * 40
    assert set(manifest["packages"]) >= {"pcplib", "pandas", "numpy", "papermill", "nbconvert"}
    assert set(manifest["packages"]) >= {"matplotlib", "pandera"}
    assert "not installed" not in manifest["packages"].values()
    assert [r["name"] for r in manifest["reports"]] == ["vawg", "road-safety", "plan-overview"]
    assert manifest["reports"][0]["parameters"]["strategy"] == "vawg"
    assert all(r["status"] == "ok" for r in manifest["reports"])
    # Reproducible run: durations vary, so they stay in run.log only.
    assert all("seconds" not in r for r in manifest["reports"])
    assert "vawg: done in" in (folder / "run.log").read_text(encoding="utf-8")
    executed = nbformat.read(folder / "vawg.ipynb", as_version=4)
    assert "start_time" not in executed.metadata["papermill"]
    # The cell that hands the judgements back (pcplib.run.collect) is not in the notebook.
    assert not any("save_strategy_results" in c.source for c in executed.cells)
    assert executed.metadata["papermill"]["output_path"] == "vawg.ipynb"


def test_manifest_keeps_timings_when_not_reproducible(project) -> None:
    options = replace(project.options, reproducible=False)
    results = [run.JobResult(run.plan_overview_job("2026-11", "2026-09", "data", ""), True, 1.234)]
    plan = run.RunPlan("2026-11", "x", (results[0].job,), "2026-11", "2026-09")
    results[0].stages = {"kernel start": 0.456, "html": 0.1}
    manifest = run.build_manifest(
        plan, results, options, project.dataset, {"commit": None}, run_stages={"start-up": 1.004}
    )
    assert manifest["reports"][0]["seconds"] == 1.23
    assert manifest["reports"][0]["stages"] == {"kernel start": 0.46, "html": 0.1}
    assert manifest["run_stages"] == {"start-up": 1.0}
    reproducible = run.build_manifest(plan, results, project.options, project.dataset, {})
    assert "run_stages" not in reproducible and "stages" not in reproducible["reports"][0]


def test_profile_prints_and_records_where_each_report_time_went(project) -> None:
    import io
    import re

    console = Console(record=True, width=250, file=io.StringIO())
    options = replace(project.options, profile=True, reproducible=False)
    assert run.run_plan(make_plan(project, ["vawg"]), options, console) == run.EXIT_OK
    folder = project.out / "2026-11"
    printed = console.export_text()
    assert "pcp run profile" in printed and "kernel start" in printed
    assert "run stages: start-up" in printed
    log = (folder / "run.log").read_text(encoding="utf-8")
    assert re.search(r"vawg: done in [\d.]+ s \(kernel start [\d.]+ s, .*, html [\d.]+ s\)", log)
    assert re.search(r"run stages: start-up [\d.]+ s, execution [\d.]+ s, publishing", log)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    vawg = manifest["reports"][0]
    assert {"kernel start", "kernel stop", "notebook write", "html"} <= set(vawg["stages"])
    assert any(name.startswith("cell ") for name in vawg["stages"])
    # The stages are parts of the report's wall time, not more than it.
    assert sum(vawg["stages"].values()) <= vawg["seconds"] + 0.05
    assert {"start-up", "execution"} <= set(manifest["run_stages"])
    # Nothing the timings needed is left in the published folder.
    assert not list(folder.glob("*.jsonl"))
    assert manifest["forward_plan"]["sha256"] == run.hash_file(project.plan_file)


def test_failed_run_keeps_the_last_good_outputs_and_writes_failed(project, good_outputs) -> None:
    copy_good_run(project, good_outputs)
    folder = project.out / "2026-11"
    before = folder_bytes(folder)
    console = Console(record=True, width=200, file=open("/dev/null", "w"))  # noqa: SIM115
    code = run.run_plan(make_plan(project, ["vawg", "broken"]), project.options, console)
    assert code == run.EXIT_FAILED
    after = folder_bytes(folder)
    assert {k: v for k, v in after.items() if not k.startswith("_failed/")} == before
    failed = folder / "_failed"
    assert sorted(p.name for p in failed.iterdir()) == ["broken.ipynb", "manifest.json", "run.log"]
    executed = nbformat.read(failed / "broken.ipynb", as_version=4)
    errors = [o for c in executed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors and errors[0].evalue == "deliberate failure in broken"
    summary = console.export_text()
    assert "FAILED" in summary and "ValueError: deliberate failure in broken" in summary
    assert "cell 4" in summary  # markdown, parameters, injected parameters, then the failing cell
    assert "broken: FAILED" in (failed / "run.log").read_text(encoding="utf-8")
    assert not [p for p in project.out.iterdir() if p.name.startswith(".")]


def test_failed_first_run_creates_only_failed(project) -> None:
    code = run.run_plan(make_plan(project, ["broken"]), project.options, quiet())
    assert code == run.EXIT_FAILED
    assert [p.name for p in (project.out / "2026-11").iterdir()] == ["_failed"]


def test_interrupt_kills_kernels_and_leaves_no_half_written_outputs(project, monkeypatch) -> None:
    real_execute = run.execute_job

    def interrupted(job, workdir, options):
        if job.name == "plan-overview":
            import time

            time.sleep(1.0)  # let the other report's kernel start
            raise KeyboardInterrupt
        return real_execute(job, workdir, options)

    monkeypatch.setattr(run.execute, "execute_job", interrupted)
    old = project.out / "2026-11"
    old.mkdir(parents=True)
    (old / "index.html").write_text("last good run", encoding="utf-8")
    assert run.run_plan(make_plan(project, ["vawg"]), project.options, quiet()) == 130
    assert sorted(p.name for p in project.out.iterdir()) == ["2026-11"]
    assert [p.name for p in old.iterdir()] == ["index.html"]
    assert (old / "index.html").read_text(encoding="utf-8") == "last good run"
    assert not render._LIVE_KERNELS
    render.reset_kernel_cancel()


def test_invalid_data_stops_the_run_before_anything_executes(project, monkeypatch, capsys) -> None:
    project.state.problems = ["observations.csv row 7, column value: expected a number, got 'n/a'"]

    def must_not_run(*args, **kwargs):
        raise AssertionError("a report was executed despite invalid data")

    monkeypatch.setattr(run.execute, "execute_job", must_not_run)
    code = cli.main(run_args(project, "--slot", "2026-11"))
    assert code == 1
    out = capsys.readouterr().out
    assert "invalid" in out and "row 7, column value" in out
    assert not project.out.exists() or not any(project.out.iterdir())


def test_unknown_parameter_stops_the_run(project, capsys) -> None:
    job = run.Job(
        "vawg", "delivery_strategy", {"strategy": "vawg", "colour": "red"}, "VAWG", "vawg"
    )
    plan = run.RunPlan("2026-11", "x", (job,), "2026-11", "2026-09")
    console = Console(record=True, width=200, file=open("/dev/null", "w"))  # noqa: SIM115
    assert run.run_plan(plan, project.options, console) == run.EXIT_FAILED
    text = console.export_text()
    assert "'colour'" in text and "strategy" in text
    assert not (project.out / "2026-11").exists()


def test_timestamp_makes_two_runs_byte_identical(project, monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    args = ["--slot", "2026-11", "--timestamp", "2026-11-23T06:00:00+00:00"]
    # The first run's kernels are forked from a warm process (pcplib.forkserver), the
    # second's started from scratch: the outputs are the same bytes.
    monkeypatch.setenv("PCP_FORK_KERNELS", "1")
    assert cli.main(run_args(project, *args)) == 0
    first = folder_bytes(project.out / "2026-11")
    assert "kernels forked from a warm process" in (project.out / "2026-11" / "run.log").read_text()
    monkeypatch.setenv("PCP_FORK_KERNELS", "0")
    assert cli.main(run_args(project, *args)) == 0
    second = folder_bytes(project.out / "2026-11")
    assert sorted(first) == [
        "delivery-board.html",
        "delivery-board.ipynb",
        "index.html",
        "judgements.csv",
        "manifest.json",
        "plan-overview.html",
        "plan-overview.ipynb",
        "road-safety.html",
        "road-safety.ipynb",
        "vawg.html",
        "vawg.ipynb",
    ]
    assert first == second
    assert b"23 November 2026 06:00 UTC" in first["index.html"]
    # Each published run is added to the meeting history; the first is not rewritten.
    history = project.out / "history" / "2026-11"
    assert sorted(p.name for p in history.iterdir()) == ["run-001", "run-002"]
    kept = (history / "run-001" / "judgements.csv").read_bytes()
    assert kept == first["judgements.csv"] == second["judgements.csv"]


def test_quarto_renderer_without_quarto_exits_2(project, monkeypatch, capsys) -> None:
    monkeypatch.setattr(render, "find_quarto", lambda: None)
    assert cli.main(run_args(project, "--slot", "latest", "--renderer", "quarto")) == 2
    assert render.QUARTO_MISSING_MESSAGE in capsys.readouterr().out.replace("\n", " ")
    assert not project.out.exists()


def test_stale_temporary_folders_of_dead_runs_are_removed(tmp_path) -> None:
    dead = tmp_path / ".tmp-2026-11-999999999"
    alive = tmp_path / f".tmp-2026-11-{os.getppid()}"
    other = tmp_path / ".tmp-2027-01-999999999"
    for folder in (dead, alive, other):
        folder.mkdir()
    assert run.remove_stale_staging(tmp_path, "2026-11") == [dead]
    assert alive.exists() and other.exists() and not dead.exists()


def test_publish_folder_replaces_the_destination_whole(tmp_path) -> None:
    destination = tmp_path / "2026-11"
    destination.mkdir()
    (destination / "old.html").write_text("old", encoding="utf-8")
    staging = tmp_path / ".tmp-2026-11-1"
    staging.mkdir()
    (staging / "new.html").write_text("new", encoding="utf-8")
    run.publish_folder(staging, destination)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-11"]
    assert [p.name for p in destination.iterdir()] == ["new.html"]


# --- screenshots --------------------------------------------------------------------------------


def test_screenshots_become_thumbnails_in_the_index_and_leave_the_html_alone(project) -> None:
    from pcplib.run.browser import find_chromium

    if find_chromium() is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    plan = run.name_jobs(make_plan(project, ["vawg"]), project.dataset)
    assert run.run_plan(plan, project.options, quiet()) == run.EXIT_OK
    without = folder_bytes(project.out / "2026-11")
    options = replace(project.options, screenshots=True)
    assert run.run_plan(plan, options, quiet()) == run.EXIT_OK
    folder = project.out / "2026-11"
    for name in ("vawg", "plan-overview"):
        assert (folder / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        # Screenshots are taken after the HTML is written and never change it.
        assert (folder / f"{name}.html").read_bytes() == without[f"{name}.html"]
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert (
        '<a class="report" href="vawg.html"><img class="thumb" src="vawg.png" width="640" '
        'height="400" alt="First screen of VAWG">VAWG</a>'
    ) in index
    assert 'alt="First screen of Plan overview: every delivery strategy"' in index
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["screenshots"] is True
    assert [r["screenshot"] for r in manifest["reports"]] == ["vawg.png", "plan-overview.png"]


def test_without_chromium_screenshots_are_skipped_with_a_warning(project, monkeypatch) -> None:
    from pcplib.run import browser

    monkeypatch.setattr(browser, "find_chromium", lambda: None)
    options = replace(project.options, screenshots=True)
    console = Console(record=True, width=200, file=open("/dev/null", "w"))  # noqa: SIM115
    assert run.run_plan(make_plan(project, ["vawg"]), options, console) == run.EXIT_OK
    folder = project.out / "2026-11"
    assert not list(folder.glob("*.png"))
    assert "<img" not in (folder / "index.html").read_text(encoding="utf-8")
    assert run.SCREENSHOTS_SKIPPED in console.export_text()
    assert run.SCREENSHOTS_SKIPPED in (folder / "run.log").read_text(encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["screenshots"] is False
    assert all("screenshot" not in r for r in manifest["reports"])


def test_a_failing_browser_skips_screenshots_but_fails_a_pdf_run(project, monkeypatch) -> None:
    from pcplib.run import browser

    def broken(*args, **kwargs):
        raise RuntimeError("browser crashed")

    monkeypatch.setattr(browser, "find_chromium", lambda: Path("/usr/bin/chromium"))
    monkeypatch.setattr(browser, "open_browser", broken)
    taken, warning = run.picture_reports([project.tmp / "x.html"], screenshots=True, pdf=False)
    assert (taken, warning) == (False, "screenshots skipped: RuntimeError: browser crashed")
    with pytest.raises(RuntimeError, match="PDFs could not be printed"):
        run.picture_reports([project.tmp / "x.html"], screenshots=True, pdf=True)
    options = replace(project.options, pdf=True)
    monkeypatch.setattr(run.validation, "check_renderer", lambda options: None)
    before = sorted(project.out.iterdir()) if project.out.exists() else []
    assert run.run_plan(make_plan(project, ["vawg"]), options, quiet()) == run.EXIT_FAILED
    folder = project.out / "2026-11"
    assert [p.name for p in folder.iterdir()] == ["_failed"]
    assert "PDFs could not be printed" in (folder / "_failed" / "run.log").read_text("utf-8")
    assert before == []


# --- the kernels' environment: data validated once ----------------------------------------------


def test_kernels_are_told_which_data_bytes_were_validated(
    project, monkeypatch, write_notebook
) -> None:
    from pcplib import data

    notebook = write_notebook(
        project.tmp / "notebooks" / "env.ipynb",
        OVERVIEW_PARAMETERS,
        'import os\nprint("digest", os.environ.get("PCP_VALIDATED_SHA256"))',
    )
    monkeypatch.setitem(run.jobs.NOTEBOOKS, "plan_overview", notebook)
    assert run.run_plan(make_plan(project, []), project.options, quiet()) == run.EXIT_OK
    expected = data.digest_validated_files(project.dataset.files, date.today())
    executed = (project.out / "2026-11" / "plan-overview.ipynb").read_text(encoding="utf-8")
    assert f"digest {expected}" in executed
    assert run.describe_validated_data(SimpleNamespace(files={}), None) == {}


def test_kernels_of_a_run_with_today_are_told_its_date(
    project, monkeypatch, write_notebook
) -> None:
    # With --today, the kernels validated the data set again for the machine's date,
    # every one of them, because their snapshot and digest were for the run's date.
    from pcplib import data

    notebook = write_notebook(
        project.tmp / "notebooks" / "env.ipynb",
        OVERVIEW_PARAMETERS,
        "import os\nfrom pcplib.data import read_run_today\n"
        'print("today", os.environ.get("PCP_RUN_TODAY"), read_run_today())',
    )
    monkeypatch.setitem(run.jobs.NOTEBOOKS, "plan_overview", notebook)
    options = replace(project.options, today=SAMPLE_TODAY)
    assert run.run_plan(make_plan(project, []), options, quiet()) == run.EXIT_OK
    executed = (project.out / "2026-11" / "plan-overview.ipynb").read_text(encoding="utf-8")
    assert "today 2026-11-23 2026-11-23" in executed
    described = run.describe_validated_data(project.dataset, SAMPLE_TODAY)
    assert described[data.RUN_TODAY_ENV] == "2026-11-23"
    assert described[data.VALIDATED_DIGEST_ENV] == data.digest_validated_files(
        project.dataset.files, SAMPLE_TODAY
    )


def test_read_run_today_reads_the_runs_date_or_gives_none() -> None:
    from pcplib.data import RUN_TODAY_ENV, read_run_today

    assert read_run_today({RUN_TODAY_ENV: "2026-11-23"}) == SAMPLE_TODAY
    assert read_run_today({RUN_TODAY_ENV: " 2026-11-23\n"}) == SAMPLE_TODAY
    assert read_run_today({}) is None
    assert read_run_today({RUN_TODAY_ENV: ""}) is None
    assert read_run_today({RUN_TODAY_ENV: "23/11/2026"}) is None


@pytest.fixture
def data_copy(tmp_path: Path, data_dir: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    return copy


def spy_on_validation(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from pcplib.data import validate as data

    calls: list[str] = []
    real = data.check_schema

    def spy(name, *args, **kwargs):
        calls.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(data, "check_schema", spy)
    return calls


def break_first_measure(folder: Path) -> None:
    measures = folder / "framework" / "measures.csv"
    frame = pd.read_csv(measures, dtype=str, keep_default_na=False)
    frame.loc[0, "good_direction"] = "sideways"
    frame.to_csv(measures, index=False)


def test_matching_validated_digest_skips_the_second_validation(data_copy, monkeypatch) -> None:
    from pcplib import data

    today = SAMPLE_TODAY
    break_first_measure(data_copy)  # invalid, yet these exact bytes are declared validated
    files = data.load_dataset(data_copy, validate=False, today=today).files
    monkeypatch.setenv(data.VALIDATED_DIGEST_ENV, data.digest_validated_files(files, today))
    calls = spy_on_validation(monkeypatch)
    dataset = data.load_dataset(data_copy, today=today)
    assert calls == []
    assert dataset.files == files
    assert dataset.measures.loc[0, "good_direction"] == "sideways"


def test_mismatching_validated_digest_validates_and_reports_problems(
    data_copy, monkeypatch
) -> None:
    from pcplib import data

    today = SAMPLE_TODAY
    validated = data.load_dataset(data_copy, validate=False, today=today).files
    monkeypatch.setenv(data.VALIDATED_DIGEST_ENV, data.digest_validated_files(validated, today))
    break_first_measure(data_copy)  # changed after the run validated it
    calls = spy_on_validation(monkeypatch)
    with pytest.raises(data.DataValidationError) as caught:
        data.load_dataset(data_copy, today=today)
    assert "measures" in calls
    assert any(
        p.column == "good_direction" and p.file.endswith("measures.csv")
        for p in caught.value.problems
    )
    # The same bytes validated for another day do not count either.
    calls.clear()
    files = data.load_dataset(data_copy, validate=False, today=today).files
    other_day = today.replace(day=today.day - 1)
    monkeypatch.setenv(data.VALIDATED_DIGEST_ENV, data.digest_validated_files(files, other_day))
    with pytest.raises(data.DataValidationError):
        data.load_dataset(data_copy, today=today)
    assert "measures" in calls


def test_a_kernel_of_a_run_with_today_skips_validation_for_the_runs_date(
    data_copy, monkeypatch
) -> None:
    from pcplib import data

    today = SAMPLE_TODAY
    assert today != date.today(), "the test needs a date other than the machine's"
    break_first_measure(data_copy)  # invalid, yet these exact bytes are declared validated
    files = data.load_dataset(data_copy, validate=False, today=today).files
    monkeypatch.setenv(data.VALIDATED_DIGEST_ENV, data.digest_validated_files(files, today))
    calls = spy_on_validation(monkeypatch)
    # Without the run's date, the kernel validates again for the machine's date.
    with pytest.raises(data.DataValidationError):
        data.load_dataset(data_copy)
    assert "measures" in calls
    calls.clear()
    monkeypatch.setenv(data.RUN_TODAY_ENV, today.isoformat())
    dataset = data.load_dataset(data_copy)
    assert calls == []
    assert dataset.measures.loc[0, "good_direction"] == "sideways"


# --- SIGTERM --------------------------------------------------------------------------------------

SIGTERM_DRIVER = """
import json, sys
from pathlib import Path
from types import SimpleNamespace
from pcplib import run

config = json.loads(sys.argv[1])
run.jobs.NOTEBOOKS = {key: Path(value) for key, value in config["notebooks"].items()}
import pandas as pd
measures = pd.DataFrame({"measure_id": [], "measure_name": [], "visibility": []})
dataset = SimpleNamespace(
    illustrative=True, description="", files={}, strategies=None, measures=measures
)
run.validation.load_inputs = lambda options: (dataset, [])
run.manifest.read_git_commit = lambda: {"commit": None, "dirty": None}
at = "2026-11-23T06:00:00+00:00"
jobs = (
    run.plan_strategy_job("slow", "2026-11", "2026-09", "data", at),
    run.plan_overview_job("2026-11", "2026-09", "data", at),
)
plan = run.RunPlan("2026-11", "CGB test", jobs, "2026-11", "2026-09")
options = run.RunOptions(
    out_dir=Path(config["out"]), data_dir=Path(config["data"]),
    forward_plan=Path(config["plan"]), jobs=2, produced_at=at, reproducible=True,
    screenshots=False,
)
sys.exit(run.run_plan(plan, options))
"""


def test_sigterm_stops_a_run_cleanly_with_exit_130(project, write_notebook, good_outputs) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    copy_good_run(project, good_outputs)
    folder = project.out / "2026-11"
    before = folder_bytes(folder)
    begun = project.tmp / "slow-cell-begun"
    slow = write_notebook(
        project.tmp / "notebooks" / "slow.ipynb",
        STRATEGY_PARAMETERS,
        f"import pathlib, time\npathlib.Path({str(begun)!r}).touch()\ntime.sleep(120)",
    )
    config = {
        "notebooks": {
            **{k: str(v) for k, v in run.jobs.NOTEBOOKS.items()},
            "delivery_strategy": str(slow),
        },
        "out": str(project.out),
        "data": str(project.data),
        "plan": str(project.plan_file),
    }
    log = project.tmp / "stderr.txt"
    with log.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-c", SIGTERM_DRIVER, json.dumps(config)],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    try:
        deadline = time.monotonic() + 60
        # Stopped while the slow report's cell runs and after the other report is done, as
        # soon as both are so (no fixed wait, which a busy machine can outlast).
        while not (begun.exists() and "plan-overview: done" in log.read_text(encoding="utf-8")):
            assert process.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "the slow report's cell did not begin in 60 s"
            time.sleep(0.1)
        os.kill(process.pid, signal.SIGTERM)
        stdout, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == run.EXIT_INTERRUPTED, log.read_text(encoding="utf-8")
    assert "Interrupted" in stdout
    said = log.read_text(encoding="utf-8") + stdout
    # Said once, as an interruption: not also as a report failing "at cell None".
    assert "at cell None" not in said and said.count("Interrupted") == 1, said
    assert "FAILED" not in said and "Kernel died" not in said, said
    # No temporary folders; the meeting history holds the first run only.
    assert sorted(p.name for p in project.out.iterdir()) == ["2026-11", "history"]
    assert [p.name for p in (project.out / "history" / "2026-11").iterdir()] == ["run-001"]
    assert folder_bytes(folder) == before


def test_start_up_keeps_rfc3987_syntax_out_and_notebooks_still_validate() -> None:
    code = """
import sys
from pcplib import run
first = run.skip_unused_imports()
again = run.skip_unused_imports()
import nbformat
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
nbformat.validate(nb)
nb.cells[0]["cell_type"] = "no-such-type"
try:
    nbformat.validate(nb)
    invalid_caught = False
except nbformat.ValidationError:
    invalid_caught = True
print(first, again, sys.modules.get("rfc3987_syntax", "absent"), invalid_caught)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False", "None", "True"]


def test_the_index_names_each_reports_meeting() -> None:
    at = "2026-11-23T06:00:00+00:00"
    strategy = run.plan_strategy_job("vawg", "2026-11", "2026-09", "data", at)
    assert run.describe_job_meeting(strategy) == "Board, November 2026"
    assert run.describe_job_meeting(strategy, "Performance Board") == "Board, November 2026"
    slot_only = run.Job("x", "delivery_strategy", {"slot": "2026-11"}, "X")
    assert run.describe_job_meeting(slot_only, "PB") == "PB, November 2026"
    outside = run.plan_strategy_job(
        "vawg", "2026-11", "2026-09", "data", at, meeting=run.NO_MEETING
    )
    assert run.describe_job_meeting(outside) == "Not prepared for a meeting"
    public = run.plan_public_job("2026/27 Q2", "data", "data/forward_plan.yaml", at)
    assert run.describe_job_meeting(public).startswith("None: published for the public")
    about = run.plan_public_about_job("2026/27 Q2", "data", at)
    assert about.name == "public-quarterly-about" and about.notebook == "public_quarterly_about"
    assert run.describe_meeting(None) == run.NO_MEETING


def test_the_index_template_escapes_what_the_plan_and_data_set_say() -> None:
    job = SimpleNamespace(
        name="a&b",
        title="<script>x</script>",
        strategy="vawg",
        parameters={},
        notebook="strategy_report",
    )
    plan = SimpleNamespace(heading="Board <b>", period_end="2026-09")
    dataset = SimpleNamespace(illustrative=True, description="made & <i>up</i>")
    page = run.build_index(
        plan,
        [SimpleNamespace(job=job)],
        produced_at="2026-11-23T06:00:00Z",
        dataset=dataset,
        rags={"vawg": run.OverallRag("Red", "why")},
        pdf=True,
    )
    assert "<script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<title>Board &lt;b&gt;</title>" in page
    assert '<a href="a&amp;b.html">' in page and '(<a href="a&amp;b.pdf">PDF</a>)' in page
    assert "Data set: made &amp; &lt;i&gt;up&lt;/i&gt;</p>" in page
    assert '<td><span class="rag" style="background:#d4351c;color:#ffffff">Red</span></td>' in page
    assert "<dt>Data period</dt><dd>to the end of September 2026 (2026/27 Q2)</dd>" in page
    assert page.startswith("<!DOCTYPE html>\n") and page.endswith("</html>\n")
    assert "{{" not in page and "{%" not in page
    assert run.load_index_template() is run.load_index_template()  # compiled once


def test_the_index_shows_the_reports_but_note_beside_its_rating() -> None:
    job = SimpleNamespace(
        name="resources", title="Resources", strategy="resources", parameters={},
        notebook="delivery_strategy",
    )  # fmt: skip
    plan = SimpleNamespace(heading="Board", period_end="2026-09")
    note = "But: 1 commitment overdue & <1> more."
    page = run.build_index(
        plan,
        [SimpleNamespace(job=job)],
        produced_at="2026-11-23T06:00:00Z",
        dataset=SimpleNamespace(),
        rags={"resources": run.OverallRag("Green", "why", note)},
    )
    assert (
        'Green</span> <span class="but">But: 1 commitment overdue &amp; &lt;1&gt; more.</span></td>'
        in page
    )
    # Nothing hidden: the rating stands alone, with no empty note.
    plain = run.build_index(
        plan,
        [SimpleNamespace(job=job)],
        produced_at="2026-11-23T06:00:00Z",
        dataset=SimpleNamespace(),
        rags={"resources": run.OverallRag("Green", "why")},
    )
    assert 'class="but"' not in plain


def test_the_index_note_is_the_reports_own_in_the_audiences_form(sample) -> None:
    from pcplib import assessment

    for audience in ("board", "public"):
        summary = assessment.summarise_strategy(
            sample, "violence-and-vulnerability", "2026-09", audience
        )
        overall = run.summarise_overall(sample, "violence-and-vulnerability", "2026-09", audience)
        assert overall.note == summary.rating_note
    board = run.summarise_overall(sample, "violence-and-vulnerability", "2026-09", "board")
    public = run.summarise_overall(sample, "violence-and-vulnerability", "2026-09", "public")
    # The Board's names its high risk; the public one never names risks or actions.
    assert "high risk" in board.note
    assert "risk" not in public.note and "Board action" not in public.note


def test_the_annual_evaluations_index_says_it_has_no_judgements_rows_and_no_rag() -> None:
    # Review 6 F10: the annual's index said "Every judgement these reports show ... is in
    # judgements.csv" (the file held none of its rows) and printed a RAG key for a report
    # with no RAG.
    annual = SimpleNamespace(
        name="annual-evaluation", title="Annual evaluation", strategy="",
        parameters={"year": "2025/26"}, notebook="annual_evaluation",
    )  # fmt: skip
    plan = SimpleNamespace(heading="Annual evaluation 2025/26", period_end="2026-03")
    page = run.build_index(
        plan,
        [SimpleNamespace(job=annual)],
        produced_at="2026-11-23T06:00:00Z",
        dataset=SimpleNamespace(),
        rags={},
    )
    assert "Every judgement these reports show" not in page
    assert "holds no rows for the annual evaluation" in page
    assert 'class="key"' not in page and "overall rating" not in page.lower()
    # Beside a rated report, the key stays and the sentence names the exception.
    strategy = SimpleNamespace(
        name="resources", title="Resources", strategy="resources", parameters={},
        notebook="delivery_strategy",
    )  # fmt: skip
    both = run.build_index(
        plan,
        [SimpleNamespace(job=strategy), SimpleNamespace(job=annual)],
        produced_at="2026-11-23T06:00:00Z",
        dataset=SimpleNamespace(),
        rags={"resources": run.OverallRag("Green", "why")},
    )
    assert 'class="key"' in both and "except the annual evaluation" in both
