"""End-to-end: every rendered report carries its fragments' layout once, and no analyst notes.

Each piece of report HTML a notebook displays is a fragment (``<div class="pcp-report">``)
with its own scoped ``<style>``, for JupyterLab; the rendered page holds those rules once
in its ``<head>`` instead (pcplib/report/fragments.py).
"""

from __future__ import annotations

import re

import pytest

from pcplib.report.fragments import FRAGMENT_CSS

pytestmark = pytest.mark.e2e


def test_each_report_holds_the_fragment_styles_once_in_its_head(rendered_reports, parse_page):
    for name, path in rendered_reports.items():
        head, body = path.read_text(encoding="utf-8").split("</head>", 1)
        assert head.count(FRAGMENT_CSS) == 1, name
        assert "<style" not in body, f"{name}: a fragment's style copy was left in the page"
        fragments = [a for a in parse_page(path).all("div") if a.get("class") == "pcp-report"]
        # Every report shows a header and at least two sections (the About page three).
        assert len(fragments) >= 3, name
        # The header's facts are inside a fragment, so they take its two-column layout;
        # the organisation whose plan it is comes first, then the title.
        assert '<div class="pcp-report"><p class="organisation">' in body, name
        header = r'<div class="pcp-report"><p class="organisation">[^<]*</p><h1>'
        assert re.search(header, body), name


def test_the_analysts_notes_stay_out_of_the_reports(rendered_reports, parse_page):
    for name, path in rendered_reports.items():
        text = parse_page(path).text
        assert "For analysts" not in text and "summary.table" not in text, name
