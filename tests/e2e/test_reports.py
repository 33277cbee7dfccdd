"""End-to-end: every report notebook executed on the sample data and rendered to HTML.

The reports come from ``sample_outputs`` (tests/conftest.py): the runner's one
build of the sample data per session.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.e2e

RAG_WORDS = ("Green", "Amber", "Red", "Grey")
PRODUCED = "23 November 2026 06:00 UTC"


def test_every_notebook_ran_for_every_strategy(sample_outputs, rendered_reports):
    assert len(sample_outputs.strategies) == 13
    # The 13 strategies, the slot's public reports, the Board's plan overview and the
    # delivery board's view.
    expected = {
        *sample_outputs.strategies,
        *sample_outputs.public_reports,
        "plan-overview",
        "delivery-board",
    }
    assert set(rendered_reports) == expected and len(rendered_reports) == 19
    notebooks = set()
    for name, path in rendered_reports.items():
        assert path.is_file() and path.stat().st_size > 5_000, name
        executed = nbformat.read(path.with_suffix(".ipynb"), as_version=4)
        notebooks.add(executed.metadata["papermill"]["input_path"])
        errors = [
            output
            for cell in executed.cells
            for output in cell.get("outputs", [])
            if output.get("output_type") == "error"
        ]
        assert not errors, name
    assert notebooks == {
        "notebooks/delivery_strategy.ipynb",
        "notebooks/plan_overview.ipynb",
        "notebooks/public_quarterly.ipynb",
        "notebooks/public_quarterly_about.ipynb",
        "notebooks/annual_evaluation.ipynb",
        "notebooks/delivery_board.ipynb",
    }


def test_no_code_reaches_the_reader(rendered_reports, parse_page):
    for name, path in rendered_reports.items():
        raw = path.read_text(encoding="utf-8")
        page = parse_page(path)
        assert page.pre_blocks == 0, name
        assert "In [" not in raw and "In&nbsp;[" not in raw, name
        assert "import " not in page.text, name
        assert "display(HTML" not in raw, name
        assert "Traceback" not in raw, name
        assert not [a for a in page.all("div") if "input_prompt" in a.get("class", "")], name


def test_document_structure_marking_and_produced_time(rendered_reports, parse_page):
    for name, path in rendered_reports.items():
        raw = path.read_text(encoding="utf-8")
        page = parse_page(path)
        assert raw.startswith("<!DOCTYPE html>"), name
        assert page.all("html")[0].get("lang") == "en-GB", name
        assert any(m.get("name") == "viewport" for m in page.all("meta")), name
        assert len(page.all("main")) == 1, name
        assert page.all("a")[0].get("href") == "#main-content", name
        text = page.text
        assert text.count("OFFICIAL") >= 2, name
        body = raw[raw.index("<body>") :]
        first = body.index("OFFICIAL")
        assert first < body.index("<main"), f"{name}: marking not at the top"
        assert body.rindex("OFFICIAL") > body.rindex("</main>"), f"{name}: marking not at the end"
        assert '@top-center { content: "OFFICIAL"' in raw, name
        assert PRODUCED in text, name
        assert "Illustrative data." in text, name
        title = re.search(r"<title>(.*?)</title>", raw).group(1)
        assert title and title != "report", name


def test_rag_is_shown_as_words(rendered_reports, parse_page):
    for name, path in rendered_reports.items():
        if name in ("annual-evaluation", "public-quarterly-about"):
            continue  # tests of change over a year; the method page rates nothing
        spans = [a for a in parse_page(path).all("span") if "rag" in a.get("class", "").split()]
        assert spans, f"{name}: no RAG badge"
        raw = path.read_text(encoding="utf-8")
        words = re.findall(r'class="rag rag-[a-z-]+"[^>]*>([^<]+)</span>', raw)
        assert words and all(w in RAG_WORDS + ("Amber/Green", "Amber/Red") for w in words), name


def test_figures_have_alt_text_and_captions(rendered_reports, parse_page):
    charts_seen = 0
    for name, path in rendered_reports.items():
        page = parse_page(path)
        images = page.all("img")
        assert all(img.get("alt", "").strip() for img in images), name
        assert all(img.get("src", "").startswith("data:image/png;base64,") for img in images)
        assert len(page.all("figure")) == len(page.all("figcaption")), name
        charts_seen += len(images)
    assert charts_seen >= 20


def test_nothing_is_loaded_from_the_internet(rendered_reports, parse_page):
    for name, path in rendered_reports.items():
        page = parse_page(path)
        assert not [s for s in page.all("script") if s.get("src")], name
        assert not page.all("script"), name
        assert not [ln for ln in page.all("link") if ln.get("href")], name
        for tag in ("img", "iframe", "source", "video", "audio"):
            assert not [t for t in page.all(tag) if t.get("src", "").startswith("http")], name
        raw = path.read_text(encoding="utf-8")
        assert "@import" not in raw and "url(http" not in raw, name


def test_tables_are_accessible(rendered_reports, parse_page):
    for name, path in rendered_reports.items():
        page = parse_page(path)
        tables = page.all("table")
        assert len(page.all("caption")) == len(tables), name
        wrappers = [d for d in page.all("div") if "table-wrap" in d.get("class", "")]
        assert len(wrappers) == len(tables), name
        assert all(w.get("tabindex") == "0" and w.get("aria-label") for w in wrappers), name
        assert all(th.get("scope") for th in page.all("th")), name


def test_no_restricted_measure_in_public_output(
    rendered_reports, parse_page, public_report_names, restricted_measure_names
):
    assert restricted_measure_names
    for name in public_report_names:
        text = parse_page(rendered_reports[name]).text.lower()
        for measure in restricted_measure_names:
            assert measure.lower() not in text, f"{measure!r} in public report {name}"


def test_cgb_report_may_show_restricted_measures(rendered_reports, parse_page):
    text = parse_page(rendered_reports["neighbourhood-policing"]).text
    assert "Neighbourhood officer hours abstracted to other duties" in text


def test_narrative_text_is_escaped(rendered_reports):
    raw = rendered_reports["business-crime"].read_text(encoding="utf-8")
    assert "(&lt;25%) &amp; staff" in raw
    assert "(<25%)" not in raw


def test_delivery_report_sections(rendered_reports, parse_page):
    text = parse_page(rendered_reports["vawg"]).text
    for heading in (
        "Overall RAG",
        "Headline measures",
        "Sub-measures",
        "Commitments and projected delivery",
        "Progress and actions",
        "Successes",
        "Challenges",
        "Risks to delivery",
        "Data quality",
        "Method and provenance",
        "SHA-256",
    ):
        assert heading in text
    knife = parse_page(rendered_reports["violence-and-vulnerability"]).text
    assert "definition changed on 1 April 2025: earlier figures are shown separately" in knife


def test_plan_overview_is_a_section_per_mission_without_the_back_test(rendered_reports, parse_page):
    page = parse_page(rendered_reports["plan-overview"])
    text = page.text
    # The Table One back test is a test, not a report: it lives in docs/ and tests/backtests.
    assert "recomputed trends match" not in text and "Table One of the 2021-24" not in text
    for mission in ("Safer communities", "Protecting people from harm"):
        assert mission in text
    assert "Projected delivery" in text


def test_public_quarterly_and_annual_content(rendered_reports, parse_page):
    public = parse_page(rendered_reports["public-quarterly"])
    text = public.text
    assert "What has been achieved" in text and "What still needs attention" in text
    assert "Trends (not rated)" in text and "meets next" in text and "January 2027" in text
    # Method, checksums and provenance are on the About page, linked from the report.
    assert "SHA-256" not in text and "git commit" not in text.lower()
    assert any(a.get("href") == "public-quarterly-about.html" for a in public.all("a"))
    about = parse_page(rendered_reports["public-quarterly-about"])
    assert "SHA-256" in about.text and "Data quality" in about.text
    assert any(a.get("href") == "public-quarterly.html" for a in about.all("a"))
    # One chart per mission, each with its alt text and caption.
    charts = [i for i in public.all("img") if i.get("alt", "").startswith("Bar chart of how")]
    assert len(charts) == 3
    annual = parse_page(rendered_reports["annual-evaluation"]).text
    assert "confidence interval" in annual
    assert "statistically significant" in annual
    for heading in (
        "By mission and strategy",
        "What the evidence cannot say",
        "theory of change",
        "Annex: every public measure",
    ):
        assert heading in annual, heading
    assert annual.index("Better by more than chance") < annual.index("Annex: every public measure")
    # Its method note is its own: no quarter-on-quarter comparison, rating or projected
    # delivery it does not make (review 9, R9-13).
    assert "compares each public measure's financial year with the plan's baseline" in annual
    assert "compared with the same quarter a year earlier" not in annual
    assert "Projected delivery is" not in annual


def test_reports_say_which_meeting_they_are_for(sample_outputs, parse_page):
    # --all on September's data: vawg was reviewed in July on March's data, so its report
    # on September's data was prepared for no meeting; neighbourhood crime's is November's.
    vawg = parse_page(sample_outputs.all_dir / "vawg.html").text
    assert "Not prepared for a meeting" in vawg and "November 2026" not in vawg.split("Summary")[0]
    crime = parse_page(sample_outputs.all_dir / "neighbourhood-crime.html").text
    assert "Corporate Governance Board, November 2026" in crime
    roads = parse_page(sample_outputs.all_dir / "road-safety.html").text
    assert "Corporate Governance Board, January 2027" in roads


def test_rendering_is_deterministic(sample_outputs):
    # `pcp run --default` and `pcp run --all` both build the slot's strategy reports,
    # in separate kernels at different times, with the same parameters and timestamp.
    slot_strategies = [p for p in sample_outputs.slot_dir.glob("*.html") if p.stem != "index"]
    slot_strategies = [p for p in slot_strategies if p.stem in sample_outputs.strategies]
    assert len(slot_strategies) == 2
    for first in slot_strategies:
        second = sample_outputs.all_dir / first.name
        assert first != second and second.is_file()
        assert first.read_bytes() == second.read_bytes(), f"{first.name} differs between runs"


def test_plain_papermill_with_a_parameters_file(repo_root, tmp_path):
    papermill = Path(sys.executable).parent / "papermill"
    out = tmp_path / "vawg.ipynb"
    completed = subprocess.run(
        [
            str(papermill),
            "notebooks/delivery_strategy.ipynb",
            str(out),
            "-f",
            "params/strategies/vawg.yaml",
            "-k",
            "pcp",
            "--no-progress-bar",
        ],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "Violence Against Women and Girls" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        (
            {"strategy": "vawgx"},
            "unknown strategy 'vawgx' (did you mean 'vawg'?); expected one of: police-estate",
        ),
        ({"period_end": "2026-13"}, "period_end: cannot read month '2026-13'"),
    ],
)
def test_bad_parameters_fail_saying_what_was_expected(repo_root, tmp_path, parameters, message):
    from papermill.exceptions import PapermillExecutionError

    from pcplib.run.render import execute_notebook

    with pytest.raises(PapermillExecutionError) as caught:
        execute_notebook(
            repo_root / "notebooks" / "delivery_strategy.ipynb",
            tmp_path / "bad.ipynb",
            parameters,
            cwd=repo_root,
        )
    assert message in str(caught.value)


def test_unknown_parameter_name_is_refused(repo_root, tmp_path):
    from pcplib.run.render import execute_notebook

    with pytest.raises(ValueError, match="unknown parameter.*'strategyy'.*it declares: strategy"):
        execute_notebook(
            repo_root / "notebooks" / "delivery_strategy.ipynb",
            tmp_path / "bad.ipynb",
            {"strategyy": "vawg"},
            cwd=repo_root,
        )


def test_each_run_index_links_every_report_and_loads_nothing_external(sample_outputs, parse_page):
    for folder in (sample_outputs.slot_dir, sample_outputs.all_dir):
        reports = sorted(p.name for p in folder.glob("*.html") if p.stem != "index")
        page = parse_page(folder / "index.html")
        assert {a.get("href") for a in page.all("a")} >= set(reports), folder.name
        assert page.text.count("OFFICIAL") >= 2, folder.name
        assert not page.all("script") and not [ln for ln in page.all("link") if ln.get("href")]
        for img in page.all("img"):
            assert img.get("alt", "").strip(), f"{folder.name}: thumbnail without alt text"
            assert (folder / img.get("src", "")).is_file(), f"{folder.name}: {img.get('src')}"
