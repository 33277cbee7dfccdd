"""Unit tests of the pcp command line: parsing and dispatch (no notebook is executed here)."""

from __future__ import annotations

import sys
from types import ModuleType

import pytest

from pcplib import cli, run
from pcplib.run import render


def test_run_options_parse_with_documented_defaults() -> None:
    args = cli.build_parser().parse_args(["run", "--slot", "latest"])
    assert args.slot == "latest"
    assert str(args.out) == "outputs" and str(args.data) == "data"
    assert args.renderer == "nbconvert" and args.pdf is False
    assert args.jobs is None and args.timestamp is None and args.today is None


def test_screenshots_are_on_by_default_and_no_screenshots_turns_them_off() -> None:
    parser = cli.build_parser()
    for command in (["run", "--slot", "latest"], ["public", "--quarter", "2026/27 Q2"]):
        default = run.make_options(parser.parse_args(command))
        assert default.screenshots is True
        off = run.make_options(parser.parse_args([*command, "--no-screenshots"]))
        assert off.screenshots is False


def test_strategy_takes_one_or_more_ids() -> None:
    args = cli.build_parser().parse_args(
        ["run", "--strategy", "vawg", "road-safety", "--period", "2026-09"]
    )
    assert args.strategy == ["vawg", "road-safety"] and args.period == "2026-09"


def test_today_is_hidden_from_help(capsys) -> None:
    with pytest.raises(SystemExit):
        cli.main(["run", "--help"])
    text = capsys.readouterr().out
    assert "--timestamp" in text and "--jobs" in text and "--today" not in text


def test_public_needs_a_quarter(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["public"])
    assert caught.value.code == 2
    assert "--quarter" in capsys.readouterr().err


def test_annual_needs_a_year(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["annual"])
    assert caught.value.code == 2
    assert "--year" in capsys.readouterr().err


def test_unknown_renderer_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["run", "--slot", "latest", "--renderer", "word"])
    assert caught.value.code == 2


def test_quarto_missing_prints_how_to_install_and_exits_2(monkeypatch, capsys) -> None:
    monkeypatch.setattr(render, "find_quarto", lambda: None)
    assert cli.main(["run", "--slot", "latest", "--renderer", "quarto"]) == 2
    out = capsys.readouterr().out
    assert (
        "Quarto is not installed; install it (conda install -c conda-forge quarto) "
        "or use --renderer nbconvert"
    ) in out


def test_pdf_without_chromium_exits_2(monkeypatch, capsys) -> None:
    import pcplib.run.browser

    monkeypatch.setattr(pcplib.run.browser, "find_chromium", lambda: None)
    assert cli.main(["run", "--slot", "latest", "--pdf"]) == 2
    assert "--pdf needs Chromium" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--slot", "latest", "--timestamp", "soon"],
        ["run", "--slot", "latest", "--jobs", "0"],
    ],
)
def test_bad_option_values_exit_2(argv, capsys) -> None:
    assert cli.main(argv) == 2
    assert "pcp:" in capsys.readouterr().out


def test_run_and_public_dispatch_to_the_runner(monkeypatch) -> None:
    seen = []
    monkeypatch.setattr(run, "dispatch", lambda args: seen.append((args.command, args.argv)) or 7)
    assert cli.main(["run", "--all"]) == 7
    assert cli.main(["public", "--quarter", "2026/27 Q2"]) == 7
    assert cli.main(["annual", "--year", "2025/26"]) == 7
    assert seen == [
        ("run", ["pcp", "run", "--all"]),
        ("public", ["pcp", "public", "--quarter", "2026/27 Q2"]),
        ("annual", ["pcp", "annual", "--year", "2025/26"]),
    ]


def test_validate_and_plan_dispatch_to_their_modules(monkeypatch) -> None:
    calls = []
    data = ModuleType("pcplib.data")
    data.summarise_validation = lambda path, forward_plan, **checks: (
        calls.append(("validate", str(path))) or (False, ["1 problem(s) found"])
    )
    data.read_notebook_parameter_names = lambda notebook: []
    plan = ModuleType("pcplib.run.plan_table")
    plan.print_plan = lambda path, board: calls.append(("plan", str(path), board)) or 0
    monkeypatch.setitem(sys.modules, "pcplib.data", data)
    monkeypatch.setitem(sys.modules, "pcplib.run.plan_table", plan)
    assert cli.main(["validate", "elsewhere"]) == 1
    assert cli.main(["plan"]) == 0
    assert calls == [
        ("validate", "elsewhere"),
        ("plan", "data/forward_plan.yaml", "Corporate Governance Board"),
    ]
