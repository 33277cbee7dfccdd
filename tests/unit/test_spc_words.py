"""The one table of SPC phrases covers every code, and every place reads its column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pcplib.assessment import sentences, spc_verdict
from pcplib.assessment.spc_words import ASSURANCE_PHRASES, VARIATION_PHRASES
from pcplib.report import chart_text, charts, spc_summary, words
from pcplib.spc import ASSURANCE_TYPES, POINT_TYPES, xmr


def test_every_variation_and_assurance_code_has_a_row() -> None:
    assert list(VARIATION_PHRASES) == list(POINT_TYPES)
    assert list(ASSURANCE_PHRASES) == list(ASSURANCE_TYPES)


def test_every_phrase_is_written_except_where_a_code_has_none() -> None:
    for code, phrases in VARIATION_PHRASES.items():
        for name, text in vars(phrases).items():
            # Common cause is no signal: no "signal in the period" nor "recent signal".
            if code == "common_cause" and name in ("period", "recent"):
                assert text == "", (code, name)
            else:
                assert text.strip(), (code, name)
        assert "{period}" in phrases.clause, code
    for code, phrases in ASSURANCE_PHRASES.items():
        for name, text in vars(phrases).items():
            # A one-sided record is never "inconsistent", nor is "inconsistent" a side a
            # sign test shows (review 10, R10-15).
            if code == "inconsistent" and (name.startswith(("record_", "sign_"))):
                assert text == ""
            else:
                assert text.strip(), (code, name)
        if code != "inconsistent":
            assert "{count}" in phrases.sign_meaning, code
            assert "chance" not in phrases.sign_tail.split("chance would give")[1], code


@pytest.mark.parametrize(
    "table",
    [
        spc_verdict._LATEST_WORDS,
        sentences._SPC_CLAUSES,
        chart_text._VARIATION_WORDS,
        words.VARIATION_WORDS,
        spc_summary.VARIATION_MEANINGS,
        charts.POINT_LABELS,
    ],
)
def test_each_place_tells_every_variation_code(table: dict) -> None:
    assert set(POINT_TYPES) <= set(table)


@pytest.mark.parametrize(
    "table",
    [
        sentences._ASSURANCE_TAILS,
        chart_text._ASSURANCE_WORDS,
        words.ASSURANCE_WORDS,
        spc_summary.ASSURANCE_MEANINGS,
    ],
)
def test_each_place_tells_every_assurance_code(table: dict) -> None:
    assert set(ASSURANCE_TYPES) == set(table)


def test_the_signals_are_every_code_but_common_cause() -> None:
    signals = set(POINT_TYPES) - {"common_cause"}
    assert set(spc_verdict._PERIOD_WORDS) == signals == set(spc_verdict._RECENT_WORDS)
    # Concern is looked for first among the signals before the period.
    assert next(iter(spc_verdict._RECENT_WORDS)) == "special_cause_concern"


def test_the_assurance_codes_are_those_an_xmr_chart_gives() -> None:
    rng = np.random.default_rng(7)
    values = pd.Series(
        50 + rng.normal(0, 2, 30), index=pd.date_range("2023-01-01", periods=30, freq="MS")
    )
    given = {xmr(values, target=t).assurance for t in (10.0, 50.0, 90.0)}
    assert given == set(ASSURANCE_TYPES)
