"""A public output never publishes an owners' sentence that its own figures disprove.

The sample's commitments file says "Neighbourhood crime met the target in July 2026 for
the first time"; July 2026 was 1,165 against 1,150 (review 7, F1). The public report
withholds that sentence and says so on the page; the run log keeps the warning.
"""

from __future__ import annotations

import html as html_text
from pathlib import Path

from pcplib import cli

STAMP = "2026-11-23T06:00:00+00:00"


def test_the_public_run_withholds_the_false_sentence_and_says_so(
    tmp_path: Path, data_dir: Path, repo_root: Path
) -> None:
    out = tmp_path / "out"
    args = ["run", "--strategy", "neighbourhood-crime", "--period", "2026-09",
            "--audience", "public", "--data", str(data_dir),
            "--forward-plan", str(repo_root / "data" / "forward_plan.yaml"),
            "--out", str(out), "--no-screenshots", "--timestamp", STAMP]  # fmt: skip
    assert cli.main(args) == 0
    page = next(out.rglob("neighbourhood-crime*.html")).read_text(encoding="utf-8")
    html = html_text.unescape(page)
    assert "met the target in July 2026" not in html
    assert (
        "One sentence of the owners' text was withheld: it disagreed with the published "
        "figures." in html
    )
    assert "Correction" not in html and "Check before publication" not in html
    log = next(out.rglob("run.log")).read_text(encoding="utf-8")
    assert "1 number(s) in the owners' text disagree with the data set" in log
    assert "the public reports withhold the sentences that hold them" in log
