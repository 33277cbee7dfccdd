"""Restricted means restricted: public outputs never name a restricted measure.

Owners' free text that names a restricted measure, in any spelling, is withheld from the
public report by construction; anything else that would put one in a public output stops
the run before it publishes (``pcplib.run.public_check``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pcplib import cli
from pcplib.assessment.scope import normalise_for_matching
from pcplib.run.public_check import read_searchable_text

QUARTER = "2026/27 Q2"
STAMP = "2026-11-23T06:00:00+00:00"


def spellings(measure_id: str, name: str) -> list[str]:
    """Ways an insider might write a restricted measure so an exact match misses it."""
    words = name.split()
    return [
        measure_id,
        measure_id.upper(),
        measure_id.replace("-", " "),
        measure_id.replace("-", "_"),
        "  ".join(words),
        name.upper(),
        "-".join(words).lower(),
        name.replace(" ", "\u200b "),
        name.replace(" ", "\n"),
    ]


OWNERS_TEXT = {
    "narrative/narrative.csv": ("text",),
    "commitments/commitments.csv": ("commitment", "owner", "activity_to_date", "next_steps"),
    "returns/risks.csv": ("description", "mitigation", "owner"),
    "returns/actions.csv": ("action", "owner"),
}
"""Every free-text field the owners write, by file."""


def poison(path: Path, columns: tuple[str, ...], variants: list[str], offset: int) -> None:
    """Append a restricted measure's spelling to every cell of ``columns``."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    for k, column in enumerate(columns):
        table[column] = [
            f"{text} Also {variants[(i + offset + k) % len(variants)]} rose to 5,555."
            for i, text in enumerate(table[column])
        ]
    table.to_csv(path, index=False, lineterminator="\n")


@pytest.fixture
def poisoned(tmp_path: Path, data_dir: Path) -> tuple[Path, list[str]]:
    """A copy of the sample whose owners' free text names restricted measures everywhere."""
    data = Path(shutil.copytree(data_dir, tmp_path / "data"))
    measures = pd.read_csv(data / "framework" / "measures.csv", dtype=str, keep_default_na=False)
    restricted = measures[measures["visibility"] == "restricted"]
    variants = [
        v
        for row in restricted.itertuples()
        for v in spellings(str(row.measure_id), str(row.measure_name))
    ]
    for offset, (relative, columns) in enumerate(OWNERS_TEXT.items()):
        poison(data / relative, columns, variants, offset * 3)
    # And entries that say they speak of a restricted measure without naming it.
    narrative_path = data / "narrative" / "narrative.csv"
    narrative = pd.read_csv(narrative_path, dtype=str, keep_default_na=False)
    narrative.loc[::2, "measures"] = ";".join(restricted["measure_id"])
    narrative.to_csv(narrative_path, index=False, lineterminator="\n")
    return data, variants


def run_public(data: Path, out: Path, repo_root: Path) -> int:
    return cli.main(
        [
            "public",
            "--quarter",
            QUARTER,
            "--data",
            str(data),
            "--forward-plan",
            str(forward_plan_of(data, repo_root)),
            "--out",
            str(out),
            "--no-screenshots",
            "--timestamp",
            STAMP,
        ]
    )


def forward_plan_of(data: Path, repo_root: Path) -> Path:
    inside = data / "forward_plan.yaml"
    return inside if inside.is_file() else repo_root / "data" / "forward_plan.yaml"


def test_owners_text_naming_restricted_measures_never_reaches_public_outputs(
    poisoned: tuple[Path, list[str]], tmp_path: Path, repo_root: Path
) -> None:
    data, variants = poisoned
    out = tmp_path / "out"
    assert run_public(data, out, repo_root) == 0
    # The public version of a strategy report, which shows the owners' narrative and
    # commitments: of the strategy with a restricted measure and the most owners' text.
    common = ["--data", str(data), "--forward-plan", str(forward_plan_of(data, repo_root)),
              "--out", str(out), "--no-screenshots", "--timestamp", STAMP]  # fmt: skip
    assert (
        cli.main(
            [
                "run",
                "--strategy",
                "neighbourhood-policing",
                "--period",
                "2026-09",
                "--audience",
                "public",
                *common,
            ]
        )  # fmt: skip
        == 0
    )
    strategy_html = next(out.rglob("neighbourhood-policing*.html")).read_text(encoding="utf-8")
    assert "withheld" in strategy_html, "the owners' text was withheld, not missing"
    folded = {normalise_for_matching(v) for v in variants}
    # Every file published: reports, executed notebooks, index, judgements.csv,
    # manifest, run log, pictures' text.
    published = [p for p in out.rglob("*") if p.is_file()]
    suffixes = {p.suffix for p in published}
    assert {".html", ".ipynb", ".csv", ".json"} <= suffixes, suffixes
    for path in published:
        text = normalise_for_matching(read_searchable_text(path))
        found = [v.strip() for v in folded if v in text]
        assert not found, f"{path.name} names {found}"


def test_a_public_output_naming_a_restricted_measure_is_not_published(
    tmp_path: Path, data_dir: Path, repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = Path(shutil.copytree(data_dir, tmp_path / "data"))
    path = data / "framework" / "measures.csv"
    measures = pd.read_csv(path, dtype=str, keep_default_na=False)
    secret = measures.loc[measures["visibility"] == "restricted", "measure_name"].iloc[0]
    public = measures.index[measures["visibility"] == "public"][0]
    # A public measure whose own name quotes a restricted one: nothing filters a public
    # measure's name, so only the last gate can stop it.
    measures.loc[public, "measure_name"] = (
        f"{measures.loc[public, 'measure_name']} ({secret.upper()})"
    )
    # And the framework's other free text a public report may quote.
    measures.loc[public, "definition"] = f"Counted as {secret.lower()} is."
    measures.to_csv(path, index=False, lineterminator="\n")
    for relative, column in (
        ("framework/missions.csv", "description"),
        ("framework/strategies.csv", "strategic_objective"),
    ):
        table = pd.read_csv(data / relative, dtype=str, keep_default_na=False)
        table[column] = [f"{text} ({'  '.join(secret.split())})" for text in table[column]]
        table.to_csv(data / relative, index=False, lineterminator="\n")
    out = tmp_path / "out"
    assert run_public(data, out, repo_root) == 1
    said = capsys.readouterr().out
    assert "Not published" in said and normalise_for_matching(secret).strip() in said
    assert not (out / "public-2026-27-Q2" / "public-quarterly.html").exists()
