"""Benchmark: ``pcp source police-uk --counts`` against a plain pandas loop, at national size.

Run with ``.venv/bin/python benchmarks/bench_ingest.py`` (add ``--check`` to exit 1
on a missed target). It builds, in a temporary folder, a data.police.uk-style
archive of at least 5 million rows by copying the real street-level files of
``../shared/open-data/police-uk/`` (read in place) under other forces' names, then
measures in fresh subprocesses, alternating, the fastest of ``--repeats`` runs each
(default 2):

- ``pcp source police-uk ARCHIVE --counts FILE`` (DuckDB);
- a plain pandas loop over the same archive: read every street CSV with
  ``pandas.read_csv`` (as text, every column), concatenate, derive the local
  authority, group by and write the counts.

It prints both times (wall clock, and CPU time, which a busy machine disturbs
less), the ratio, both processes' peak memory (resident set size) and pcp's rows
per second, and checks the two give the same counts. Targets: pcp
at least 2x faster than pandas, and pcp's peak memory at most 1 GiB.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import tempfile
import textwrap
import time
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_ARCHIVES = REPO_ROOT.parent / "shared" / "open-data" / "police-uk"
TARGET_ROWS = 5_000_000
TARGET_RATIO = 2.0
TARGET_MEMORY_BYTES = 1024**3
# Forces of England and Wales whose names the copies take (real names, copied rows).
FORCES = [
    "Avon and Somerset Constabulary",
    "Bedfordshire Police",
    "Cambridgeshire Constabulary",
    "Cheshire Constabulary",
    "Cleveland Police",
    "Cumbria Constabulary",
    "Derbyshire Constabulary",
    "Devon & Cornwall Police",
    "Dorset Police",
    "Durham Constabulary",
    "Dyfed-Powys Police",
    "Essex Police",
    "Gloucestershire Constabulary",
    "Greater Manchester Police",
    "Gwent Police",
    "Hampshire Constabulary",
    "Hertfordshire Constabulary",
    "Humberside Police",
    "Kent Police",
    "Lancashire Constabulary",
    "Lincolnshire Police",
    "Merseyside Police",
    "Metropolitan Police Service",
    "Norfolk Constabulary",
    "North Wales Police",
    "North Yorkshire Police",
    "Northamptonshire Police",
    "Northumbria Police",
    "South Wales Police",
    "South Yorkshire Police",
    "Staffordshire Police",
    "Suffolk Constabulary",
    "Surrey Police",
    "Sussex Police",
    "Thames Valley Police",
    "Warwickshire Police",
    "West Mercia Police",
    "West Midlands Police",
    "West Yorkshire Police",
    "Wiltshire Police",
]
STREET = re.compile(r"^(\d{4}-\d{2})/\1-(?P<force>[a-z0-9-]+)-street\.csv$")


def slug(force: str) -> str:
    """A force's name as data.police.uk file names write it."""
    from pcplib.data.sources.police_uk import match_force

    return match_force(force)


def build_archive(source: Path, target: Path, min_rows: int) -> tuple[int, int]:
    """Copy the source archive's street files under other forces' names to ``min_rows`` rows.

    Returns the rows and the number of files written.
    """
    with zipfile.ZipFile(source) as handle:
        members = {
            info.filename: handle.read(info.filename)
            for info in handle.infolist()
            if STREET.match(info.filename)
        }
    by_force: dict[str, str] = {}
    for name, data in members.items():
        first = data.split(b"\n", 2)[1].decode("utf-8")
        by_force.setdefault(STREET.match(name)["force"], first.split(",")[3])
    per_copy = sum(data.count(b"\n") - 1 for data in members.values())
    copies = math.ceil(min_rows / per_copy)
    originals = sorted(by_force)
    needed = copies * len(originals)
    if needed > len(FORCES):
        raise SystemExit(f"{min_rows:,} rows need {needed} force names; the list has {len(FORCES)}")
    names = iter(FORCES)
    files = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for _ in range(copies):
            renamed = {original: next(names) for original in originals}
            for name, data in sorted(members.items()):
                month, original = STREET.match(name)[1], STREET.match(name)["force"]
                force = renamed[original]
                text = data.replace(by_force[original].encode(), force.encode())
                out.writestr(f"{month}/{month}-{slug(force)}-street.csv", text)
                files += 1
    return copies * per_copy, files


PCP_CHILD = """
import json, resource, sys, time
start = time.perf_counter()
from pcplib import cli
code = cli.main(["source", "police-uk", sys.argv[1], "--counts", sys.argv[2]])
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
peak, cpu = usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime
print(json.dumps({"code": code, "seconds": seconds, "cpu": cpu, "peak": peak}))
"""

PANDAS_CHILD = """
import json, re, resource, sys, time, zipfile
start = time.perf_counter()
import pandas as pd
street = re.compile(r"^(\\d{4}-\\d{2})/\\1-[a-z0-9-]+-street\\.csv$")
frames = []
with zipfile.ZipFile(sys.argv[1]) as archive:
    for name in archive.namelist():
        if street.match(name):
            with archive.open(name) as handle:
                frame = pd.read_csv(handle, dtype=str, keep_default_na=False)
                frames.append(frame)
rows = pd.concat(frames, ignore_index=True)
lsoa = rows["LSOA name"].str.strip()
rows["local_authority"] = lsoa.str.rsplit(" ", n=1).str[0].where(lsoa.str.contains(" "), "unknown")
counts = (
    rows.groupby(["Month", "Falls within", "local_authority", "Crime type"]).size()
    .rename("crimes").reset_index()
    .rename(columns={"Month": "month", "Falls within": "force", "Crime type": "crime_type"})
)
counts.to_csv(sys.argv[2], index=False)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
peak, cpu = usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime
print(json.dumps({"code": 0, "seconds": seconds, "cpu": cpu, "peak": peak, "rows": len(rows)}))
"""


def measure(child: str, archive: Path, out: Path) -> dict:
    """Run one measured child process; return its exit code, seconds and peak memory."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(child), str(archive), str(out)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
    )
    if done.returncode != 0:
        raise SystemExit(f"measured run failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def same_counts(ours: Path, theirs: Path) -> bool:
    """Whether both runs wrote the same counts."""
    import pandas as pd

    keys = ["month", "force", "local_authority", "crime_type"]
    a = pd.read_csv(ours, dtype=str, keep_default_na=False).sort_values(keys)
    b = pd.read_csv(theirs, dtype=str, keep_default_na=False).sort_values(keys)
    return a.reset_index(drop=True).equals(b[a.columns].reset_index(drop=True))


def main() -> int:
    """Build the archive, measure both ways, print the figures and check the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=TARGET_ROWS, help="at least this many rows")
    parser.add_argument("--check", action="store_true", help="exit 1 on a missed target")
    parser.add_argument(
        "--repeats", type=int, default=2, help="runs of each, alternating; the fastest counts"
    )
    args = parser.parse_args()
    sources = sorted(SHARED_ARCHIVES.glob("*.zip"))
    if not sources:
        print(f"skipped: no data.police.uk archive in {SHARED_ARCHIVES}")
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as temp:
        folder = Path(temp)
        archive = folder / "national.zip"
        start = time.perf_counter()
        rows, files = build_archive(sources[0], archive, args.rows)
        built = time.perf_counter() - start
        size = archive.stat().st_size / 1024**2
        print(f"archive: {files:,} street files, {rows:,} rows, {size:,.0f} MiB ({built:.1f} s)")
        # Alternate the two, best of each: a machine busy with other work slows single
        # runs unevenly.
        runs: dict[str, list[dict]] = {"pcp": [], "pandas": []}
        for _ in range(max(1, args.repeats)):
            runs["pcp"].append(measure(PCP_CHILD, archive, folder / "pcp.csv"))
            runs["pandas"].append(measure(PANDAS_CHILD, archive, folder / "pandas.csv"))
        pcp, pandas = (min(runs[k], key=lambda r: r["seconds"]) for k in ("pcp", "pandas"))
        agree = same_counts(folder / "pcp.csv", folder / "pandas.csv")
    ratio = pandas["seconds"] / pcp["seconds"]
    for label, run in (("pcp source police-uk --counts", pcp), ("pandas loop", pandas)):
        print(
            f"{label:30} {run['seconds']:6.1f} s ({run['cpu']:.1f} s of CPU), "
            f"peak memory {run['peak'] / 1024**2:,.0f} MiB"
        )
    rate = rows / pcp["seconds"]
    cpu_ratio = pandas["cpu"] / pcp["cpu"]
    print(
        f"pcp is {ratio:.1f}x faster (target {TARGET_RATIO:.0f}x; {cpu_ratio:.1f}x less CPU); "
        f"{rate:,.0f} rows/s"
    )
    print(f"same counts: {'yes' if agree else 'NO'}")
    missed = []
    if not agree:
        missed.append("the two counts differ")
    if ratio < TARGET_RATIO:
        missed.append(f"{ratio:.1f}x is under {TARGET_RATIO:.0f}x")
    if pcp["peak"] > TARGET_MEMORY_BYTES:
        missed.append(f"peak memory {pcp['peak'] / 1024**2:,.0f} MiB is over 1 GiB")
    for problem in missed:
        print(f"MISSED: {problem}")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
