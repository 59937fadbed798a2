"""What the ratings check (engage/conversations/imports/ratings.py, ADR 0040) adds to an import.

As an import reads its rows it compares the words of at most CHECK_ROWS rated comments,
spread over the file, with their ratings. This times the import's reading and checking
of rows (`pipeline._checked_batches`, which runs in the read-ahead thread beside the
inserts) over the file `bench/import.py` writes, with the check and without it, in
turns (each after the other as often as before it), as CPU time of this process, so
other work on the machine moves the figures less. No database is touched.

    .venv/bin/python bench/ratings_check.py [--rows 200000] [--repeats 6]

The last line printed is JSON: `rows`, `without_s` and `with_s` (medians),
`extra_us_per_row`, `extra_percent`, `rows_read_for_words`, `upside_down`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=6)
    options = parser.parse_args()

    import django  # noqa: PLC0415 - after the settings are chosen

    django.setup()
    from django.utils import timezone  # noqa: PLC0415 - after django.setup()

    from engage.conversations.imports import pipeline  # noqa: PLC0415 - after django.setup()
    from engage.conversations.imports.mapping import GENERIC, built_in_template  # noqa: PLC0415
    from engage.conversations.imports.ratings import RatingCheck  # noqa: PLC0415
    from engage.conversations.models import ImportJob  # noqa: PLC0415

    write_csv = importlib.import_module("import").write_csv  # bench/import.py's file
    folder = Path(tempfile.mkdtemp(prefix="engage-bench-ratings-"))
    path = folder / "survey-export.csv"
    write_csv(path, folder / "quarter.csv", options.rows, 1)
    template = built_in_template(GENERIC)
    if template is None:
        raise SystemExit(f"The built-in template {GENERIC!r} is missing.")
    job = ImportJob(
        pk=1,
        organisation_id=1,
        file_name=path.name,
        stored_path=str(path),
        mapping=template.mapping,
        defaults=template.defaults,
        rows_total=options.rows,
        created_at=timezone.now(),
    )

    def seconds(check: RatingCheck | None) -> float:
        started = time.process_time()
        for _ in pipeline._checked_batches(job, fixed=(1, None, 1, "now"), check=check):
            pass
        return time.process_time() - started

    without: list[float] = []
    with_check: list[float] = []
    check = RatingCheck()
    for turn in range(options.repeats):
        check = RatingCheck()
        if turn % 2:
            with_check.append(seconds(check))
            without.append(seconds(None))
        else:
            without.append(seconds(None))
            with_check.append(seconds(check))
    plain, checked = statistics.median(without), statistics.median(with_check)
    print(
        f"without the check: {[round(s, 2) for s in without]} s; with it: {[round(s, 2) for s in with_check]} s"
    )
    for file in folder.iterdir():
        file.unlink()
    folder.rmdir()
    print(
        json.dumps(
            {
                "rows": options.rows,
                "without_s": round(plain, 2),
                "with_s": round(checked, 2),
                "extra_us_per_row": round((checked - plain) / options.rows * 1e6, 2),
                "extra_percent": round((checked / plain - 1) * 100, 1),
                "rows_read_for_words": check.rows_read,
                "upside_down": check.upside_down,
            }
        )
    )


if __name__ == "__main__":
    main()
