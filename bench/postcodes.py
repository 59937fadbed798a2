"""Time loading a postcode directory of national size, against saving one row at a time.

Generates a CSV in the shape of the ONS Postcode Directory (23 of its columns, with
terminated postcodes, pseudo-codes and both LSOA codes; about 200 bytes a row, the real
file has more columns) and loads it with `engage.reach.services.postcodes_load`, as
`engage reach load-postcodes` does, into SQLite (a file in a temporary folder) and
PostgreSQL (a database the script creates and drops), each in its own process on a
fresh database. The naive way, in the same run: `csv.DictReader` and one
`Postcode(...).save()` per row (autocommit) for the first `--naive-rows` rows, its rate
extrapolated. The goal (issue 6) is minutes, not hours, for 2.7 million rows.

    .venv/bin/python bench/postcodes.py [--rows 2700000] [--naive-rows 5000]
        [--database both|sqlite|postgres]

The last line printed is JSON: `rows`, and per database `<db>_seconds`,
`<db>_rows_per_second`, `<db>_naive_rows_per_second`, `<db>_ratio`, `<db>_peak_rss_mb`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import string
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _databases import bench_database, run_in_child

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/engage_bench_postcodes"
HEADINGS = [
    "pcd",
    "pcd2",
    "pcds",
    "dointr",
    "doterm",
    "oscty",
    "ced",
    "oslaua",
    "osward",
    "parish",
    "usertype",
    "oseast1m",
    "osnrth1m",
    "osgrdind",
    "ctry",
    "rgn",
    "lsoa11",
    "msoa11",
    "lat",
    "long",
    "imd",
    "lsoa21",
    "msoa21",
]


def write_file(path: Path, rows: int, seed: int) -> None:
    """Unique postcodes: an outward code per 2,000 and the inward codes beneath it."""
    rng = random.Random(seed)
    letters = string.ascii_uppercase
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADINGS)
        for number in range(rows):
            district, within = divmod(number, 2000)
            area = letters[district // 260 % 26] + letters[district // 10 % 26]
            outward = f"{area}{district % 10}"
            inward = f"{within // 676 % 10}{letters[within // 26 % 26]}{letters[within % 26]}"
            pcds = f"{outward} {inward}"
            lsoa = f"E01{rng.randrange(10**6):06d}"
            writer.writerow(
                [
                    f"{outward:<4}{inward}",
                    f"{outward:<4} {inward}",
                    pcds,
                    "198001",
                    "201903" if number % 9 == 0 else "",
                    "E99999999",
                    "E99999999",
                    f"E0800{rng.randrange(100):04d}",
                    f"E0500{rng.randrange(10**4):04d}",
                    "E43000001",
                    "0",
                    "394000",
                    "290000",
                    "1",
                    "E92000001",
                    "E12000005",
                    lsoa,
                    "E02001999",
                    "52.51",
                    "-2.08",
                    str(rng.randrange(1, 33_756)),
                    lsoa if number % 7 else f"E01{rng.randrange(10**6):06d}",
                    "E02001999",
                ]
            )


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django  # noqa: PLC0415 - after django.setup() for the database the run chose

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415 - after django.setup() for the database the run chose

    call_command("migrate", verbosity=0)


def run_load(options: argparse.Namespace) -> dict[str, Any]:
    setup()
    from engage.places.models import Postcode  # noqa: PLC0415 - after django.setup() for the database the run chose
    from engage.places.services import postcodes_load  # noqa: PLC0415 - after django.setup() for the database the run chose

    path = Path(options.csv)
    started = time.perf_counter()
    load = postcodes_load(actor=None, path=path, file_name=path.name)
    seconds = time.perf_counter() - started
    return {
        "rows": load.rows,
        "in_table": Postcode.objects.count(),
        "seconds": round(seconds, 1),
        "rows_per_second": round(load.rows / seconds),
        "peak_rss_mb": peak_rss_mb(),
    }


def run_naive(options: argparse.Namespace) -> dict[str, Any]:
    setup()
    from engage.places.models import Postcode  # noqa: PLC0415 - after django.setup() for the database the run chose

    saved = 0
    started = time.perf_counter()
    with open(options.csv, newline="", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            if saved >= options.naive_rows:
                break
            Postcode(
                postcode=row["pcds"].replace(" ", ""),
                lsoa_2011=row["lsoa11"],
                lsoa_2021=row["lsoa21"],
                ward_code=row["osward"],
                local_authority_code=row["oslaua"],
                terminated=row["doterm"],
            ).save()
            saved += 1
    seconds = time.perf_counter() - started
    return {"rows": saved, "seconds": round(seconds, 2), "rows_per_second": round(saved / seconds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_700_000)
    parser.add_argument("--naive-rows", type=int, default=5000)
    parser.add_argument("--database", choices=["both", "sqlite", "postgres"], default="both")
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--single", choices=["load", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.single:
        if os.environ.get("ENGAGE_BENCH_CHILD") != "1":
            raise SystemExit("--single is for the benchmark's own child processes.")
        print(json.dumps((run_load if options.single == "load" else run_naive)(options)))
        return
    databases = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    if "postgres" in databases:
        bench_database(options.database_url)
    summary: dict[str, Any] = {"rows": options.rows}
    with tempfile.TemporaryDirectory(prefix="engage-bench-postcodes-") as folder:
        path = Path(folder) / "ONSPD_bench.csv"
        began = time.perf_counter()
        write_file(path, options.rows, options.seed)
        print(
            f"file: {options.rows:,} rows, {path.stat().st_size / 1_048_576:,.0f} MB, written in {time.perf_counter() - began:.0f} s"
        )
        for database in databases:
            arguments = ["--csv", str(path), "--naive-rows", str(options.naive_rows)]
            ours = run_in_child(
                __file__, ["load", *arguments], database=database, database_url=options.database_url
            )
            naive = run_in_child(
                __file__, ["naive", *arguments], database=database, database_url=options.database_url
            )
            ratio = ours["rows_per_second"] / naive["rows_per_second"]
            print(
                f"{database:>8}: {ours['rows']:,} postcodes in {ours['seconds']} s ({ours['rows_per_second']:,} a second, "
                f"peak RSS {ours['peak_rss_mb']} MB); naive {naive['rows_per_second']:,} a second "
                f"({options.rows / naive['rows_per_second'] / 60:,.0f} minutes for the file); ours / naive {ratio:.1f}x"
            )
            summary |= {
                f"{database}_seconds": ours["seconds"],
                f"{database}_rows_per_second": ours["rows_per_second"],
                f"{database}_naive_rows_per_second": naive["rows_per_second"],
                f"{database}_ratio": round(ratio, 1),
                f"{database}_peak_rss_mb": ours["peak_rss_mb"],
            }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
