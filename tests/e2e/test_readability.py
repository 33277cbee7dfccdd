"""The public report reads easily: its prose is scored with the Flesch formulas (textstat).

GOV.UK writes for a reading age of 9. The prose measured is what a resident reads on the
main page: paragraphs, list items and captions, not tables, the header's facts or the
illustrative-data banner (which names the generator). The thresholds and why are in
docs/accessibility.md: a Flesch-Kincaid grade of at most 6 (a reading age of about 11)
and a Flesch reading ease of at least 70 ("fairly easy"); the page scored grade 4.4 and
ease 76 when they were set, and the old page (strategy by strategy, with the Board's
sentences) 6.8 and 65.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

MAX_GRADE = 6.0
MIN_READING_EASE = 70.0


def read_prose(path: Path) -> str:
    """The prose of a report's main content, one sentence-ended chunk per block."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main")
    for selector in ("table", "dl", ".illustrative", "img"):
        for element in main.select(selector):
            element.decompose()
    chunks = []
    for element in main.find_all(["p", "li", "figcaption", "h2", "h3"]):
        if element.name == "p" and element.find_parent("li") is not None:
            continue
        text = " ".join(element.get_text(" ").split())
        if text:
            # Headings and list items often end without a full stop; the formulas count
            # sentences by their ends, so each block is closed as one.
            chunks.append(text if text.endswith((".", "?", "!")) else f"{text}.")
    return " ".join(chunks)


def test_the_public_report_reads_easily(rendered_reports) -> None:
    import textstat

    prose = read_prose(rendered_reports["public-quarterly"])
    assert len(prose.split()) > 500, "too little prose found to score"
    grade = textstat.flesch_kincaid_grade(prose)
    ease = textstat.flesch_reading_ease(prose)
    assert grade <= MAX_GRADE, f"Flesch-Kincaid grade {grade:.1f} > {MAX_GRADE}"
    assert ease >= MIN_READING_EASE, f"Flesch reading ease {ease:.1f} < {MIN_READING_EASE}"


def test_textstat_scores_offline_with_the_dictionaries_it_ships() -> None:
    # The pinned textstat counts syllables without fetching anything (no nltk download).
    import textstat

    assert textstat.syllable_count("neighbourhood") >= 3
    assert textstat.flesch_reading_ease("The cat sat on the mat.") > 90
