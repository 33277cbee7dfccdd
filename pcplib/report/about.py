"""The public report's "About these figures" page, written for residents.

What residents need to read the figures (how a change is judged, what the words and
colours mean, what a promise is, the caveats that come with crime, survey and rate
figures, where the figures come from) in plain English, with no statistical terms.
The method in full (the SPC rules and their constants, the rule set, the input files'
checksums) is in a technical annex at the end of the page
(:func:`format_technical_annex`), which the residents' part links to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pcplib.assessment.caveats import (
    ACTION_FRAUD_WORDS,
    is_reported_to_action_fraud,
    list_caveats,
)
from pcplib.assessment.scope import measures_for_audience
from pcplib.labels import is_missing
from pcplib.report.html import bullets, esc
from pcplib.report.public import GROUP_MEANINGS, RECORDED_CRIME_WORDS
from pcplib.report.words import (
    PUBLIC_CAUSE_WORDS,
    describe_chance_count,
    describe_roll_up,
    format_rag_legend,
)

if TYPE_CHECKING:
    from pcplib.assessment.multiplicity import ChanceCount
    from pcplib.data import Dataset

__all__ = ["ANNEX_ID", "format_public_method", "format_technical_annex"]

ANNEX_ID = "technical-annex"
"""The id of the technical annex's heading, which the residents' part links to."""

_COMPARING = "How we compare the figures"
"""The section that says how a change is checked, and so how many checks chance could pass."""
# Each section: its heading, its paragraphs, and (for the words) a list read before them.
_SECTIONS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "What this report shows",
        (
            "{organisation} publishes this report every quarter. It shows how the "
            "{plan} is going. For each mission it says what has been achieved and what "
            "still needs attention.",
        ),
        (),
    ),
    (
        _COMPARING,
        (
            "We compare each figure for the quarter with the same quarter a year before, "
            "so the seasons match: summer with summer, winter with winter.",
            "Figures go up and down a little all the time. So before we call a change "
            "real, we check it. It must be bigger than the figure's usual ups and downs "
            "(for a figure that rises and falls with the seasons, leaving out that seasonal "
            "swing, since we compare like seasons). We "
            "say what we compared it with: a year ago, the plan's baseline year (the year "
            "before the plan began), or its usual level over a settled stretch of earlier "
            "months. It must be too big to be down to chance, and "
            "big enough to matter. A very small change is not called real, and nor is a "
            "change in a handful of cases.",
            # The per cent is the unrounded figures' (docs/methodology.md), so a reader's
            # sum on the printed figures can be a digit out (review 13).
            "We work out a change in per cent from the figures before they are rounded, so "
            "it may differ in its last digit from one worked out from the figures shown.",
        ),
        (),
    ),
    # The annual evaluation's caveat on cause, for the quarter's readers too: a change
    # since the plan began is no evidence that the plan caused it (Magenta Book).
    ("What the figures cannot show", (PUBLIC_CAUSE_WORDS,), ()),
    (
        "What the words and colours mean",
        (
            "Each strategy has a rating in words and in colour. "
            + format_rag_legend("public")
            + f" {describe_roll_up('public')}",
        ),
        tuple(f"{group.capitalize()}: {meaning}." for group, meaning in GROUP_MEANINGS.items()),
    ),
    (
        "Promises",
        (
            "The plan's commitments are called promises. A promise is kept when the work "
            "is done. It is overdue when its date has passed and it is not done. It is at "
            "risk of being late when it is behind but its date has not yet passed, and not "
            "expected on time when those doing the work say it will miss its date. We "
            "count every promise in the plan, even those not due yet.",
        ),
        (),
    ),
)


def _caveat_paragraphs(dataset: Dataset) -> list[str]:
    """The caveats of the public measures: crime, survey and rate figures, by name."""
    public = measures_for_audience(dataset, audience="public")
    caveats = list_caveats(public)
    parts = []
    recorded = list(caveats.loc[caveats["kind"] == "recorded crime", "measure_name"])
    # Reports to Action Fraud are listed apart, with the main page's words, on the same
    # flag: they are not crimes recorded by the police (review 15, R15-5).
    reports = {
        str(m["measure_name"]) for m in public.to_dict("records") if is_reported_to_action_fraud(m)
    }
    crime = [str(name) for name in recorded if str(name) not in reports]
    fraud = [str(name) for name in recorded if str(name) in reports]
    if crime or fraud:
        words = []
        if crime:
            which = "This figure is" if len(crime) == 1 else "These figures are"
            words.append(
                f"{which} crimes recorded by the police: {'; '.join(crime)}. "
                f"{RECORDED_CRIME_WORDS} The Office for National Statistics gives the same "
                "warning about police figures across England and Wales."
            )
        if fraud:
            words.append(
                f"{'; '.join(fraud)}: {ACTION_FRAUD_WORDS} Action Fraud is the police's "
                "national centre for reports of fraud and cyber crime."
            )
        parts.append(f"<h3>Crime figures</h3><p>{esc(' '.join(words))}</p>")
    survey = list(caveats.loc[caveats["kind"] == "survey", "measure_name"])
    if survey:
        parts.append(
            "<h3>Survey figures</h3>"
            f"<p>These figures come from surveys: {esc('; '.join(survey))}. A survey asks "
            "some people, not everyone, so its figure is an estimate. The report gives the "
            "range the true figure is likely to be in. A change smaller than that range "
            "may be down to who happened to answer.</p>"
        )
    for r in caveats[caveats["kind"] == "rate"].to_dict("records"):
        population, period = str(r["population"]), str(r["period"])
        every = f"every 1,000 {population}" if population else "every 1,000"
        parts.append(
            "<h3>Rates</h3>"
            f"<p>{esc(r['measure_name'])} is a rate: the number in {esc(period)} for "
            f"{esc(every)}. A rate lets places of different sizes be compared fairly.</p>"
        )
    return parts


def _fill_words(dataset: Dataset) -> dict[str, str]:
    """The data set's own words for the sections' ``{placeholders}`` (none of another plan).

    The organisation and the plan's name come from ``dataset.yaml``.
    """
    identity = dataset.identity
    organisation = identity.organisation
    if not organisation.lower().startswith("the "):
        organisation = f"The {organisation}"
    return {"organisation": organisation, "plan": identity.plan_name}


def _put_words(text: str, words: dict[str, str]) -> str:
    """Put the data set's words in place of ``{name}`` (other braces are left alone)."""
    for name, value in words.items():
        text = text.replace("{" + name + "}", value)
    return text


def _sources(dataset: Dataset) -> list[str]:
    sources = measures_for_audience(dataset, audience="public")["source"]
    return sorted({str(s) for s in sources if not is_missing(s) and str(s)})


def format_public_method(dataset: Dataset, chance: ChanceCount | None = None) -> str:
    """Return the residents' part of the "About these figures" page.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set (its public measures name the caveats and sources).
    chance : ChanceCount, optional
        The quarter's tests of change
        (:func:`pcplib.assessment.multiplicity.count_chance_comparisons`): "How we
        compare the figures" then says how many were made and how many chance alone
        could pass, as the report's key does
        (:func:`pcplib.report.words.describe_chance_count`).

    Returns
    -------
    str
        HTML: what the report shows, how figures are compared, what the words and
        colours mean, promises, how to read crime, survey and rate figures (naming the
        measures each applies to), where the figures come from, and a link to the
        technical annex. No statistical terms, constants or checksums.
    """
    words = _fill_words(dataset)
    parts = []
    many = describe_chance_count(chance) if chance is not None else ""
    for heading, paragraphs, items in _SECTIONS:
        listed = bullets(list(items)) if items else ""
        if heading == _COMPARING and many:
            paragraphs = (*paragraphs, many)
        body = "".join(f"<p>{esc(_put_words(p, words))}</p>" for p in paragraphs)
        parts.append(f"<h2>{esc(heading)}</h2>{listed}{body}")
    caveats = _caveat_paragraphs(dataset)
    if caveats:
        parts.append("<h2>Reading the figures</h2>" + "".join(caveats))
    sources = _sources(dataset)
    parts.append(
        "<h2>Where the figures come from</h2>"
        + (f"<p>The figures come from {len(sources)} sources:</p>" + bullets(sources))
        + "<p>The latest figures are often provisional, and may change a little when "
        "they are checked. Only figures cleared for publication are included.</p>"
        f'<p>The <a href="#{ANNEX_ID}">technical annex</a> at the end of '
        "this page, written for statisticians, gives the statistical method, its rules "
        "and the checks that let anyone reproduce the figures.</p>"
    )
    return "".join(parts)


def format_technical_annex() -> str:
    """Return the technical annex's heading and lead, which the residents' part links to.

    The annex's body is the method and sources in full
    (:func:`pcplib.report.provenance.build_provenance`: the SPC rules and constants, the
    rule set, versions and the input files' checksums), displayed after it.

    Returns
    -------
    str
        HTML: the heading "Technical annex: method and checks" (id :data:`ANNEX_ID`)
        and a sentence saying who it is for.
    """
    return (
        f'<h2 id="{ANNEX_ID}">Technical annex: method and checks</h2>'
        "<p>The method in full, for statisticians and reviewers, with its statistical terms, "
        "and the versions and checksums that let anyone reproduce the figures.</p>"
    )
