"""What a report covers: parameter checks, the audience's measures, the data period.

Every report starts here, so a wrong parameter fails before any work with one
message naming what was expected (a :class:`pcplib.errors.ParameterError`), and a period past the
data is resolved to the latest quarter available in one place.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import weakref
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from pcplib import periods
from pcplib.errors import ParameterError

if TYPE_CHECKING:
    from pcplib.data import Dataset
from pcplib.labels import month_span, month_words, suggest_name, time_words

_T = TypeVar("_T")


AUDIENCES: tuple[str, ...] = ("board", "public")


SPC_RULE_SETS: tuple[str, ...] = ("mdc", "plotthedots")


def parse_named_param(parse: Callable[[str], _T], value: str, name: str) -> _T:
    """Parse a parameter, prefixing any error with the parameter's name."""
    try:
        return parse(value)
    except ValueError as error:
        raise ParameterError(f"{name}: {error}") from None


def parse_month_param(value: str | pd.Period, name: str) -> pd.Period:
    """Parse a ``YYYY-MM`` parameter, naming the parameter in any error."""
    if isinstance(value, pd.Period):
        return value.asfreq("M")
    return parse_named_param(periods.parse_month, value, name)


_SERIES_CACHE: weakref.WeakKeyDictionary[Any, dict[str, pd.DataFrame]] = weakref.WeakKeyDictionary()


def get_series(dataset: Dataset, measure_id: str) -> pd.DataFrame:
    """Return a measure's force-area observations sorted by period, as ``Dataset.series`` does.

    Every judgement is made on the force area's figures (``Dataset.primary_area``):
    a measure with local-authority rows too is never judged on their mixture. The
    observations are split by measure once per data set: reports ask for every
    measure's series several times, and filtering the whole table each time
    dominates a report's run time.
    """
    try:
        by_measure = _SERIES_CACHE[dataset]
    except (KeyError, TypeError):
        obs = dataset.observations
        area = dataset.primary_area
        if area:
            obs = obs[obs["area"] == area]
        obs = obs.sort_values(["period_start", "area"], kind="stable")
        by_measure = {
            str(key): rows.reset_index(drop=True)
            for key, rows in obs.groupby("measure_id", sort=False)
        }
        try:
            _SERIES_CACHE[dataset] = by_measure
        except TypeError:
            pass
    if measure_id in by_measure:
        return by_measure[measure_id]
    return dataset.series(measure_id)


def check_audience(audience: str) -> None:
    """Raise ParameterError unless ``audience`` is a known audience."""
    if audience not in AUDIENCES:
        raise ParameterError(
            f"unknown audience {audience!r}; expected one of: {', '.join(AUDIENCES)}"
        )


def check_spc_rules(spc_rules: str) -> None:
    """Raise ParameterError unless ``spc_rules`` is a known SPC rule set."""
    if spc_rules not in SPC_RULE_SETS:
        raise ParameterError(
            f"unknown spc_rules {spc_rules!r}; expected one of: {', '.join(SPC_RULE_SETS)}"
        )


def check_strategy(dataset: Dataset, strategy_id: str) -> None:
    """Raise ParameterError unless ``strategy_id`` is in the data set, listing the known ids."""
    known = list(dataset.strategies["strategy_id"])
    if strategy_id not in known:
        raise ParameterError(
            f"unknown strategy {strategy_id!r}{suggest_name(strategy_id, known)}; expected one "
            f"of: {', '.join(known)}"
        )


def months_covered(obs: pd.DataFrame) -> tuple[pd.Period, pd.Period]:
    """The first and last months that observation rows cover."""
    first = pd.Timestamp(obs["period_start"].min()).to_period("M")
    last = pd.Timestamp(obs["period_end"].max()).to_period("M")
    return first, last


def read_produced_at(produced_at: str | None = "") -> pd.Timestamp:
    """Return when a report was produced, as a time in UTC.

    Parameters
    ----------
    produced_at : str, default ""
        An ISO-8601 timestamp (``"2026-11-23T06:00:00Z"``; a time without a zone is
        read as UTC). Empty means now, the only clock read in report content.

    Returns
    -------
    pandas.Timestamp
        The time, in UTC (zone-aware).

    Raises
    ------
    ParameterError
        If ``produced_at`` is not an ISO-8601 timestamp.
    """
    if produced_at is None or str(produced_at).strip() == "":
        stamp = pd.Timestamp(dt.datetime.now(dt.UTC))
    else:
        try:
            stamp = pd.Timestamp(str(produced_at).strip())
        except (ValueError, TypeError):
            raise ParameterError(
                f"cannot read produced_at {produced_at!r}: expected an ISO-8601 timestamp "
                "such as '2026-11-23T06:00:00Z', or '' for now"
            ) from None
        if pd.isna(stamp):
            raise ParameterError(
                f"cannot read produced_at {produced_at!r}: expected an ISO-8601 timestamp"
            )
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def format_produced_at(produced_at: str = "") -> str:
    """Return when a report was produced, as ``"23 November 2026 06:00 UTC"``.

    Parameters
    ----------
    produced_at : str, default ""
        As :func:`read_produced_at` takes it; empty means now.

    Returns
    -------
    str
        The time in UTC, to the minute.

    Raises
    ------
    ParameterError
        If ``produced_at`` is not an ISO-8601 timestamp.
    """
    return time_words(read_produced_at(produced_at))


def produced_month(produced_at: str | None = "") -> pd.Period:
    """Return the month, in UTC, a report is produced in (now when ``produced_at`` is empty).

    Raises
    ------
    ParameterError
        If ``produced_at`` is not an ISO-8601 timestamp.
    """
    return read_produced_at(produced_at).tz_localize(None).to_period("M")


def last_data_month(dataset: Dataset) -> pd.Period:
    """The last month any observation with a value covers."""
    obs = dataset.observations
    present = obs[obs["value"].notna()]
    if present.empty:
        raise ValueError("the data set has no observations with a value")
    return pd.Timestamp(present["period_end"].max()).to_period("M")


def available_period_end(dataset: Dataset, period_end: str) -> str:
    """Return the last month of data a report can show for a requested period.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    period_end : str
        The requested last month of data, ``YYYY-MM``.

    Returns
    -------
    str
        ``period_end`` itself when the data reach it; otherwise the end of the
        latest financial quarter the data cover (``YYYY-MM``), so a report for a
        period not yet received shows the latest data available instead.
    """
    end = parse_month_param(period_end, "period_end")
    last = last_data_month(dataset)
    if end <= last:
        return str(end)
    return str(periods.quarter_end_on_or_before(last))


def check_parameters(
    dataset: Dataset | None = None,
    *,
    strategy: str | None = None,
    slot: str | None = None,
    period_end: str | None = None,
    quarter: str | None = None,
    year: str | None = None,
    audience: str | None = None,
    spc_rules: str | None = None,
    produced_at: str | None = None,
) -> None:
    """Check a notebook's parameters before any work, naming what was expected.

    Parameters
    ----------
    dataset : Dataset, optional
        The loaded data set; needed to check ``strategy`` and the data's period.
    strategy : str, optional
        A strategy id from ``data/framework/strategies.csv``.
    slot : str, optional
        The board meeting month, ``YYYY-MM``.
    period_end : str, optional
        The last month of data, ``YYYY-MM``, within the data set's months.
    quarter : str, optional
        A financial quarter such as ``"2026/27 Q2"`` ending within the data.
    year : str, optional
        A financial year such as ``"2025/26"`` with data.
    audience : str, optional
        ``"board"`` or ``"public"``.
    spc_rules : str, optional
        ``"mdc"`` or ``"plotthedots"``.
    produced_at : str, optional
        ``""`` or an ISO-8601 timestamp.

    Raises
    ------
    ParameterError
        Naming the first parameter that is wrong and what was expected (a
        :class:`ValueError`, shown in a notebook as that one line).
    """
    try:
        _check_parameters(
            dataset, strategy=strategy, slot=slot, period_end=period_end, quarter=quarter,
            year=year, audience=audience, spc_rules=spc_rules, produced_at=produced_at,
        )  # fmt: skip
    except ParameterError:
        raise
    except ValueError as error:
        # The checks below are shared with the functions that build reports, which raise
        # ValueError; here every such error is about a parameter the analyst gave.
        raise ParameterError(str(error)) from None


def _check_parameters(
    dataset: Dataset | None,
    *,
    strategy: str | None,
    slot: str | None,
    period_end: str | None,
    quarter: str | None,
    year: str | None,
    audience: str | None,
    spc_rules: str | None,
    produced_at: str | None,
) -> None:
    """The checks of :func:`check_parameters`, raising ValueError."""
    if audience is not None:
        check_audience(audience)
    if spc_rules is not None:
        check_spc_rules(spc_rules)
    if produced_at is not None:
        format_produced_at(produced_at)
    if slot is not None:
        parse_month_param(slot, "slot")
    if strategy is not None:
        if dataset is None:
            raise ParameterError("checking a strategy id needs the data set")
        check_strategy(dataset, strategy)
    if dataset is not None and dataset.observations.empty:
        # A new plan is valid before its first figures, but a report would have none.
        raise ParameterError(
            f"the data set {dataset.root.as_posix()} holds no figures yet; expected "
            "observations, loaded with `pcp source police-uk`, `pcp returns load` or into "
            "observations/observations.csv"
        )
    data_span = months_covered(dataset.observations) if dataset is not None else None
    if period_end is not None:
        month = parse_month_param(period_end, "period_end")
        # A period beyond the data is allowed: the report says so and shows the latest data.
        if data_span is not None and month < data_span[0]:
            raise ParameterError(
                f"period_end {period_end!r} is before the data; expected a month from "
                f"{data_span[0]} onwards"
            )
    if quarter is not None:
        start, end = parse_named_param(periods.parse_quarter, quarter, "quarter")
        if data_span is not None and end.to_period("M") < data_span[0]:
            raise ParameterError(
                f"quarter {quarter!r} is before the data; expected a quarter ending "
                f"in {data_span[0]} or later"
            )
    if year is not None:
        start, end = parse_named_param(periods.parse_financial_year, year, "year")
        if data_span is not None and not (
            data_span[0] <= start.to_period("M") and end.to_period("M") <= data_span[1]
        ):
            # Naming the years the data do cover saves a guess (two years of police.uk
            # data cover one financial year, not the latest one).
            first = periods.financial_year_start(data_span[0].to_timestamp())
            covered = [
                periods.label_financial_year(pd.Timestamp(y, 4, 1))
                for y in range(first, data_span[1].year + 1)
                if data_span[0] <= pd.Period(f"{y}-04", "M")
                and pd.Period(f"{y + 1}-03", "M") <= data_span[1]
            ]
            raise ParameterError(
                f"year {year!r} is not covered by the data; expected a financial year "
                f"within {data_span[0]} to {data_span[1]}"
                + (f" ({', '.join(covered)})" if covered else " (none is covered in full)")
            )


def measures_for_audience(
    dataset: Dataset,
    strategy_id: str | None = None,
    tier: str | None = None,
    audience: str = "board",
) -> pd.DataFrame:
    """Return the measures an audience may see, for one strategy or all.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str, optional
        One strategy; every strategy when omitted.
    tier : {"headline", "sub"}, optional
        One tier; both when omitted.
    audience : {"board", "public"}, default "board"
        ``"public"`` removes restricted measures.

    Returns
    -------
    pandas.DataFrame
        Rows of ``dataset.measures`` in catalogue order.

    Raises
    ------
    ValueError
        For an unknown audience, strategy or tier.
    """
    check_audience(audience)
    if tier is not None and tier not in ("headline", "sub"):
        raise ParameterError(f"unknown tier {tier!r}; expected one of: headline, sub")
    if strategy_id is not None:
        check_strategy(dataset, strategy_id)
        return dataset.measures_for(strategy_id, tier=tier, public_only=audience == "public")
    measures = dataset.measures
    if tier is not None:
        measures = measures[measures["tier"] == tier]
    if audience == "public":
        measures = measures[measures["visibility"] == "public"]
    return measures


def describe_data_period(dataset: Dataset, measure_ids: Iterable[str], end: pd.Period) -> str:
    """The months the measures' data cover up to ``end``, in words."""
    obs = dataset.observations
    obs = obs[obs["measure_id"].isin(list(measure_ids))]
    obs = obs[(obs["period_end"] <= end.end_time) & obs["value"].notna()]
    if obs.empty:
        return f"no data up to {month_words(end)}"
    return month_span(*months_covered(obs))


def strategy_commitments(dataset: Dataset, strategy_id: str) -> pd.DataFrame:
    """The commitments of one strategy."""
    return dataset.commitments[dataset.commitments["strategy_id"] == strategy_id]


# Letters of other alphabets drawn like Latin ones (from Unicode's confusables list, the
# Cyrillic, Greek and other letters a keyboard or a copy and paste gives): "np-аbstraction"
# with a Cyrillic "а" reads as the restricted id, so it is folded to it.
_CONFUSABLES = str.maketrans(
    "АВЕЅІЈКМНОРСТХУҮԀԚԜаеѕіјкорсхуүԁԛԝһӏΑΒΕΖΗΙΚΜΝΟΡΤΥΧαικνορτυχϲϳɡıȷօս",
    "ABESIJKMHOPCTXYYDQWaesijkopcxyydqwhlABEZHIKMNOPTYXaikvoptuxcjgijou",
)
# Letters that draw only a blank (Hangul fillers): read as the space they look like.
_INVISIBLE = dict.fromkeys(map(ord, "\u115f\u1160\u3164\uffa0"), " ")


def fold_lookalikes(text: str) -> str:
    """Fold what a reader cannot tell apart: compatibility forms, invisible and look-alike letters.

    Unicode compatibility forms (full-width letters, ligatures) become their plain
    letters (NFKC); format characters (zero-width spaces and joiners, soft hyphens,
    direction marks) are removed and letters that draw only a blank (Hangul fillers)
    become spaces; accents and other combining marks are dropped; and letters of other
    alphabets drawn like Latin ones (a Cyrillic "а", a Greek "Ο") become those Latin letters.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The text as a reader would read it, such as ``"np-abstraction"`` for
        ``"np-\u0430bstr\u200baction"``.
    """
    if text.isascii():
        return text
    folded = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_CONFUSABLES)
    decomposed = unicodedata.normalize("NFKD", folded)
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) not in ("Cf", "Mn", "Me"))
    return unicodedata.normalize("NFC", kept)


def normalise_for_matching(text: str) -> str:
    """Fold text so that spellings of one name compare equal.

    Case, look-alike letters (:func:`fold_lookalikes`: Unicode compatibility forms,
    zero-width and other invisible characters, accents, Cyrillic or Greek letters
    drawn like Latin ones) and every run of punctuation or white space (hyphens,
    underscores, doubled spaces, line breaks, HTML tags' brackets) are folded, and the
    result is padded with one space each side so a term is matched as whole words.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        Such as ``" np abstraction hours rose to 5 555 "``.
    """
    # Tags are dropped first, so markup between two words of a name does not hide it.
    folded = re.sub(r"<[^<>]*>", " ", fold_lookalikes(str(text))).casefold()
    # Folding again after casefold: a few letters' lower case is a look-alike too.
    return " " + " ".join(re.findall(r"[^\W_]+", fold_lookalikes(folded))) + " "


def restricted_terms(dataset: Dataset) -> list[str]:
    """Every restricted measure's id and name, folded by :func:`normalise_for_matching`.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.

    Returns
    -------
    list of str
        The folded terms, longest first, without duplicates or empty terms.
    """
    restricted = dataset.measures[dataset.measures["visibility"] == "restricted"]
    terms = {
        normalise_for_matching(str(value))
        for column in ("measure_id", "measure_name")
        for value in restricted[column]
    }
    return sorted((t for t in terms if t.strip()), key=lambda t: (-len(t), t))


def find_restricted_mentions(text: str, terms: list[str]) -> list[str]:
    """The restricted terms a text mentions, in any spelling :func:`normalise_for_matching` folds.

    Parameters
    ----------
    text : str
        Free text, HTML or JSON.
    terms : list of str
        From :func:`restricted_terms`.

    Returns
    -------
    list of str
        The terms found, stripped of their padding.
    """
    folded = normalise_for_matching(text)
    # An id or name of several words run together ("NPAbstractionHours") is found too,
    # as a word of its own: run together across the text's own words, "measures over
    # time" would hold "resovertime".
    return [
        term.strip()
        for term in terms
        if term in folded or (term.count(" ") > 2 and f" {term.replace(' ', '')} " in folded)
    ]


def mentions_restricted(dataset: Dataset, text: str) -> bool:
    """True when free text names a restricted measure by its id or name, in any spelling.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    text : str
        Owners' narrative or activity text.

    Returns
    -------
    bool
        Whether the text must be withheld from anything public.
    """
    return bool(find_restricted_mentions(str(text), restricted_terms(dataset)))


WITHHELD_TEXT = "Withheld from this public report (it names a restricted measure)."
"""What a public report shows in place of free text that names a restricted measure."""


def withhold_restricted_text(dataset: Dataset, text: str, audience: str) -> str:
    """Return free text, or for the public a note in its place when it names a restricted measure.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    text : str
        Owners' or the plan's free text (a commitment, its owner, activity to date).
    audience : {"board", "public"}
        Who reads it.

    Returns
    -------
    str
        ``text``, or :data:`WITHHELD_TEXT`.
    """
    if audience == "public" and mentions_restricted(dataset, text):
        return WITHHELD_TEXT
    return text
