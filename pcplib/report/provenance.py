"""Data-quality notes and provenance: sources, checksums, versions and method.

The facts that need I/O (the git commit) are read by the run and passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pcplib import __version__

if TYPE_CHECKING:
    from pcplib.assessment.multiplicity import ChanceCount
    from pcplib.data import Dataset
from pcplib.assessment.origins import classify_measure_origins, list_attributions
from pcplib.labels import is_missing
from pcplib.report.html import build_table, bullets, esc, meta_list
from pcplib.report.returns import format_returns_log
from pcplib.report.words import format_method_note


def format_data_quality_notes(notes: Sequence[str]) -> str:
    """Return data-quality notes as an HTML list (escaped).

    Parameters
    ----------
    notes : sequence of str
        From :func:`list_data_quality_notes`.

    Returns
    -------
    str
        HTML.
    """
    if not notes:
        return "<p>No data-quality issues affect this report.</p>"
    return bullets(notes)


_ORIGIN_WORDS = {
    "published": "real published data",
    "partly published": "partly real published data",
    "illustrative": "illustrative (generated sample)",
    "own": "the data set's own figures",
    "no data": "no figures",
}


def format_measure_origins(
    dataset: Dataset, measure_ids: Iterable[str], period_end: str | None = None
) -> str:
    """Return, measure by measure, which figures are real published data and which not.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    measure_ids : iterable of str
        The report's measures (only those the audience may see).
    period_end : str, optional
        The report's last month, ``YYYY-MM``.

    Returns
    -------
    str
        HTML: the attribution of each published source and a table of the measures
        with their origin and source; ``""`` when no measure has published figures
        (an illustrative data set's banner already says every figure is illustrative).
    """
    origins = classify_measure_origins(dataset, measure_ids, period_end)
    real = origins[origins["origin"].isin(["published", "partly published"])]
    if real.empty:
        return ""
    rows = []
    for row in origins.itertuples(index=False):
        figures = _ORIGIN_WORDS[row.origin]
        if row.origin == "partly published":
            figures += f" ({row.published_months}; {row.other_months} are not)"
        elif row.origin == "published":
            figures += f" ({row.published_months})"
        source = row.sources or ("illustrative sample" if dataset.illustrative else "")
        rows.append([esc(row.measure_name), esc(figures), esc(source)])
    attributions = "".join(f"<p>{esc(a)}.</p>" for a in list_attributions(real))
    # Only a data set that mixes in illustrative figures speaks of them.
    heading = (
        "Real and illustrative figures, measure by measure:"
        if dataset.illustrative
        else "Where each measure's figures come from:"
    )
    return (
        f"<p><strong>{heading}</strong></p>"
        + attributions
        + build_table(
            ["Measure", "Figures", "Source"], rows, "Where each measure's figures come from"
        )
    )


def build_provenance(
    dataset: Dataset,
    *,
    code_version: str,
    spc_rules: str = "mdc",
    sources: Iterable[str] = (),
    extra_files: Mapping[str, str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    strategy_id: str | None = None,
    measure_ids: Iterable[str] | None = None,
    period_end: str | None = None,
    method_note: str | None = None,
    chance: ChanceCount | None = None,
) -> str:
    """Return the report's sources and method: files with checksums, versions, rules.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set; its ``files`` (path to sha256) are listed.
    code_version : str
        The code's git commit, or why it is not recorded, as the run read it
        (:func:`pcplib.run.manifest.read_code_version`).
    spc_rules : str, default "mdc"
        The SPC rule set used.
    sources : iterable of str
        The measures' sources (the organisation or system each figure comes from).
    extra_files : mapping of str to str, optional
        Other input files read (path to sha256), such as reference tables.
    parameters : mapping, optional
        The parameters the report ran with.
    strategy_id : str, optional
        For a strategy's report: list only that strategy's returns. Every return in the
        returns log is listed when omitted (a report across strategies).
    measure_ids : iterable of str, optional
        The report's measures: with them, the provenance says measure by measure
        which figures are real published data (with the attribution) and which are
        not. Give only measures the report's audience may see.
    period_end : str, optional
        The report's last month of data, ``YYYY-MM``.
    method_note : str, optional
        The method the report's judgements follow, in plain text: the quarterly
        reports' by default (:func:`~pcplib.report.words.format_method_note`); the annual
        evaluation gives its own (:data:`~pcplib.report.annual.ANNUAL_METHOD_NOTE`).
    chance : ChanceCount, optional
        The report's tests of change
        (:func:`~pcplib.assessment.multiplicity.count_chance_comparisons`): the quarterly
        method note then says how many were made and how many chance alone could pass.

    Returns
    -------
    str
        HTML: the method note, a table of input files with their sha256, the
        sources, where each measure's figures come from, the pcplib version, the
        git commit, the parameters, and the owners' returns the figures came from
        (``returns/returns-log.csv``).
    """
    files = dict(dataset.files)
    files.update(extra_files or {})
    file_rows = [[esc(p), f"<code>{esc(h)}</code>"] for p, h in sorted(files.items())]
    source_list = sorted({str(s) for s in sources if not is_missing(s) and str(s)})
    facts = [
        ("Data set", dataset.description),
        ("pcplib version", __version__),
        ("Code version (git commit)", code_version),
        ("SPC rule set", spc_rules),
    ]
    if parameters:
        facts.append(("Parameters", ", ".join(f"{k} = {v!r}" for k, v in parameters.items())))
    if method_note is None:
        method_note = format_method_note(chance)
    parts = [f"<p>{esc(method_note)}</p>", meta_list(facts)]
    if source_list:
        parts.append("<p><strong>Sources of the figures:</strong></p>" + bullets(source_list))
    if measure_ids is not None:
        parts.append(format_measure_origins(dataset, measure_ids, period_end))
    else:
        # Without the report's measures no measure is named, but the attribution a
        # published source asks for is still carried.
        origins = classify_measure_origins(dataset, None, period_end)
        parts += [f"<p>{esc(a)}.</p>" for a in list_attributions(origins)]
    parts.append(build_table(["File", "SHA-256"], file_rows, "Input files and their checksums"))
    parts.append(format_returns_log(dataset, strategy_id))
    return "".join(parts)
