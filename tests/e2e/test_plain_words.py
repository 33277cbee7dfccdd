"""No statistical jargon where residents read, nor in the Board's "Why" (issue 26, item 13).

The public quarterly report (its text and its charts' alt text), its About page and the
annual evaluation, each up to its technical annex written for statisticians, use plain
English: no "XmR", "special
cause", "p =", unexplained "pp", rule-set names or test names. The "Why" column of each
strategy report's "Since the last meeting" table gives a rating's reason in plain words;
the rule, test and p-value stay in ``judgements.csv``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

# Case-sensitive where a short word would match ordinary English ("mdc", " pp").
PUBLIC_JARGON = (
    "XmR", "special cause", "special-cause", "common cause", "common-cause", " pp", "p =",
    "p <", "p-value", "SPC", "statistical process control", "Making Data Count", "mdc",
    "quasi", "Poisson", "binomial", "Laney", "z-test", "t-test", "2.66", "sigma",
    "statistically", "checksum", "SHA-256", "rule set", "Western Electric", "dispersion",
    "moving range", "run chart",
)  # fmt: skip
"""Words a resident is never asked to know, outside a technical annex."""

WHY_JARGON = (
    "XmR", "special cause", "special_cause", "common cause", "common_cause", " pp", "p =",
    "p <", "quasi", "z-test", "t-test", "Laney", "Poisson", "binomial", "dispersion", "rule:",
    "mdc", "Making Data Count",
)  # fmt: skip
"""Words the Board's "Why" never uses (its statistics are in ``rag_reason``)."""


def read_main_text(path: Path, *, stop_at: str | None = None) -> str:
    """A page's main text with its images' alt text, up to the element with id ``stop_at``."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main")
    if stop_at is not None:
        annex = main.find(id=stop_at)
        assert annex is not None, f"{path.name}: no element with id {stop_at!r}"
        for later in list(annex.find_all_next()):
            later.decompose()
        annex.decompose()
    for style in main.find_all("style"):
        style.decompose()
    alts = [img.get("alt", "") for img in main.find_all("img")]
    return " ".join(" ".join([main.get_text(" "), *alts]).split())


def find_jargon(text: str, words: tuple[str, ...]) -> dict[str, str]:
    """Each jargon word found, with the words around its first use."""
    found = {}
    for word in words:
        at = text.find(word)
        if at >= 0:
            found[word] = text[max(0, at - 60) : at + 40]
    return found


def test_the_public_report_uses_no_jargon(rendered_reports) -> None:
    text = read_main_text(rendered_reports["public-quarterly"])
    assert "About the crime figures" in text  # the page was read, folded parts too
    assert not find_jargon(text, PUBLIC_JARGON)


def test_the_about_page_keeps_its_jargon_to_the_technical_annex(rendered_reports) -> None:
    from pcplib.report.about import ANNEX_ID

    page = rendered_reports["public-quarterly-about"]
    residents = read_main_text(page, stop_at=ANNEX_ID)
    assert "What the words and colours mean" in residents
    assert not find_jargon(residents, PUBLIC_JARGON)
    # The annex is where the method is given in full.
    assert find_jargon(read_main_text(page), PUBLIC_JARGON)


def test_the_annual_evaluations_body_uses_no_jargon(rendered_reports) -> None:
    # The evaluation is published: its summary, synthesis and limits are read by residents
    # and the Panel; the tests and their terms are in the annex on every public measure.
    from pcplib.report.annual import ANNEX_ID

    page = rendered_reports["annual-evaluation"]
    body = read_main_text(page, stop_at=ANNEX_ID)
    assert "What the evidence cannot say" in body
    assert not find_jargon(body, PUBLIC_JARGON)
    assert find_jargon(read_main_text(page), PUBLIC_JARGON)


def test_a_public_strategy_reports_first_screen_uses_no_jargon(rendered_reports) -> None:
    # The public version of a strategy report (--audience public) opens with the same
    # summary as the Board's, in the public's words. Its body further down (the measures
    # tables' SPC column, the SPC sections, the method) is still the Board's: see the
    # issue 26 notes in CHANGELOG.md.
    from bs4 import BeautifulSoup

    public = {n: p for n, p in rendered_reports.items() if n.endswith("-public")}
    assert public, "no public strategy report in the sample's outputs"
    for name, path in public.items():
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        box = soup.select_one(".board-summary")
        assert box is not None, name
        text = " ".join(box.get_text(" ").split())
        assert "Needs attention" in text, name
        assert not find_jargon(text, PUBLIC_JARGON), (name, find_jargon(text, PUBLIC_JARGON))


def _why_cells(path: Path) -> list[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    cells = []
    for table in soup.find_all("table"):
        caption = table.find("caption")
        if caption is None or "changed since" not in caption.get_text() or not table.thead:
            continue
        heads = [th.get_text(" ", strip=True) for th in table.thead.find_all("th")]
        if "Why" not in heads:
            continue
        column = heads.index("Why")
        for row in table.find("tbody").find_all("tr"):
            cells.append(" ".join(row.find_all(["th", "td"])[column].get_text(" ").split()))
    return cells


def test_the_boards_why_is_in_plain_words(rendered_reports) -> None:
    whys = [
        why
        for name, path in rendered_reports.items()
        if not name.endswith("public") and name not in ("annual-evaluation",)
        for why in _why_cells(path)
    ]
    assert whys, "no Since the last meeting table with a Why column in the sample's reports"
    found = {w: [y for y in whys if w in y][:2] for w in WHY_JARGON}
    assert not any(found.values()), {w: ys for w, ys in found.items() if ys}
