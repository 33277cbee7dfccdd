"""End to end: ``pcp run`` on the shipped sample data with the real notebooks.

Each real report costs seconds, so the good run is the session's own ``pcp run
--default`` of slot 2026-11 (``sample_outputs``, built once for every end-to-end
test), copied; then the same slot is run with one strategy's notebook deliberately
broken, which must leave the good run's outputs untouched.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from pcplib import cli, run

pytestmark = pytest.mark.e2e

TIMESTAMP = "2026-11-23T06:00:00+00:00"
SLOT_ARGS = ["--slot", "2026-11", "--today", "2026-11-23", "--timestamp", TIMESTAMP, "--jobs", "2"]


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "_failed" not in p.parts
    }


@pytest.fixture(scope="module")
def slot_run(tmp_path_factory: pytest.TempPathFactory, sample_outputs) -> Path:
    """Slot 2026-11 as ``pcp run --default`` published it, in an output folder of its own."""
    out = tmp_path_factory.mktemp("outputs")
    shutil.copytree(sample_outputs.slot_dir, out / "2026-11")
    return out / "2026-11"


def test_slot_run_publishes_both_strategies_the_overview_and_the_index(slot_run: Path) -> None:
    for name in [
        "neighbourhood-crime",
        "neighbourhood-policing",
        "plan-overview",
        "delivery-board",
    ]:
        html = (slot_run / f"{name}.html").read_text(encoding="utf-8")
        assert "OFFICIAL" in html and "<html" in html
        assert (slot_run / f"{name}.ipynb").is_file()
    index = (slot_run / "index.html").read_text(encoding="utf-8")
    assert 'href="neighbourhood-crime.html"' in index
    assert 'href="neighbourhood-policing.html"' in index
    assert 'href="plan-overview.html"' in index
    assert 'href="delivery-board.html"' in index
    assert index.count('<p class="marking">OFFICIAL</p>') == 2
    assert "Illustrative sample data" in index
    assert "<dd>23 November 2026 06:00 UTC</dd>" in index and "September 2026" in index
    assert any(f">{rag}</span>" in index for rag in run.RAG_COLOURS)
    manifest = json.loads((slot_run / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["slot"] == "2026-11" and manifest["period_end"] == "2026-09"
    assert manifest["data"]["illustrative"] is True and manifest["data"]["files"]
    assert [r["name"] for r in manifest["reports"]] == [
        "neighbourhood-crime",
        "neighbourhood-policing",
        "plan-overview",
        "delivery-board",
        "public-quarterly",
        "public-quarterly-about",
    ]
    assert (slot_run / "run.log").is_file()


def test_slot_run_shows_each_reports_first_screen_when_chromium_is_installed(
    slot_run: Path,
) -> None:
    from pcplib.run.browser import find_chromium

    if find_chromium() is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium): no screenshots")
    index = (slot_run / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((slot_run / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["screenshots"] is True
    for report in manifest["reports"]:
        name = report["name"]
        assert report["screenshot"] == f"{name}.png"
        assert (slot_run / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f'<img class="thumb" src="{name}.png"' in index
    assert 'alt="First screen of Plan overview: every delivery strategy"' in index


def test_broken_strategy_fails_the_run_and_keeps_the_last_good_outputs(
    slot_run: Path, repo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    before = folder_bytes(slot_run)
    broken = nbformat.read(repo_root / "notebooks" / "delivery_strategy.ipynb", as_version=4)
    # Broken in its first cell after the parameters: the run fails the same way, without
    # the report's work first (the other reports still run in full).
    broken.cells.insert(
        1,
        nbformat.v4.new_code_cell(
            'if strategy == "neighbourhood-policing":\n'
            '    raise RuntimeError("deliberately broken for the test")'
        ),
    )
    nbformat.write(broken, tmp_path / "delivery_strategy.ipynb")
    monkeypatch.setitem(
        run.jobs.NOTEBOOKS, "delivery_strategy", tmp_path / "delivery_strategy.ipynb"
    )
    out = slot_run.parent
    code = cli.main(["run", *SLOT_ARGS, "--out", str(out), "--data", str(repo_root / "data")])
    assert code == 1
    assert folder_bytes(slot_run) == before
    failed = slot_run / "_failed"
    assert (failed / "neighbourhood-policing.ipynb").is_file()
    assert not (failed / "neighbourhood-crime.ipynb").exists()
    summary = capsys.readouterr().out
    assert "RuntimeError: deliberately broken for the test" in summary
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
