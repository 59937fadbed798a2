"""Time a year's Local Account over 250,000 conversations: its figures, its page and its
PDF, with peak memory, against drawing each format from figures worked out afresh.

Each database (SQLite in a temporary folder, PostgreSQL in a database the script creates
and drops) gets, in its own process, the partnership of bench/partnership.py with
`--rows` analysed conversations over 24 months (so the last twelve whole months hold
about half of them: 250,000 by default), the census counts of bench/reach.py, the shared
picture built, and evaluation's records of bench/board.py (answers, decisions, feedback,
rounds of the self-assessment).

Measured, in the same run, for a Local Account of the last twelve whole months:

- its figures worked out (`report_build`, the worker's step: reach, the shared picture,
  the board's questions for the period, decisions), once after one not timed;
- the page: `GET /reports/<id>/` as the public, `--repeats` times; its 95th percentile;
- the PDF (WeasyPrint, tagged PDF/UA) and the Word document, made afresh (the cache
  emptied before each); and the Easy Read PDF;
- peak memory: the Python heap's peak (tracemalloc) while the figures are worked out,
  and while the PDF is made; and the process's peak resident size;
- the baseline: a page, a PDF and a Word document each drawn from figures worked out
  for it (as a report kept no figures would), against ours (figures once, three
  drawings); the ratio.

The goals (issue 21): the report as HTML in 5 s or less (its figures worked out and
the page drawn) and as PDF in 20 s or less (figures and PDF), on this machine.

    .venv/bin/python bench/reports.py [--rows 500000] [--database both|sqlite|postgres]

The last line printed is JSON: per database each figure above, and `goal_met`.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from _databases import bench_database, run_in_child  # noqa: E402 - the bench's own helpers, beside it

HTML_GOAL_SECONDS = 5.0
PDF_GOAL_SECONDS = 20.0
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/engage_bench_reports"


def _peak(action: Any) -> tuple[Any, float, float]:
    """(the result, seconds, the Python heap's peak in MB while it ran)."""
    tracemalloc.start()
    began = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peak / 2**20


def _loaded(options: argparse.Namespace) -> float:
    """The partnership, its bank, census counts, picture and evaluation's records: the
    seconds it took."""
    import board  # noqa: PLC0415 - bench/board.py, beside this one: evaluation's records
    import partnership  # noqa: PLC0415 - bench/partnership.py, beside this one: its partnership and bank
    import reach  # noqa: PLC0415 - bench/reach.py, beside this one: its census counts
    from django.db import connection  # noqa: PLC0415 - after setup

    from engage.partnership.services import picture_refresh_all  # noqa: PLC0415 - after setup

    rng = random.Random(options.seed)
    made = partnership._partnership(options, rng)
    began = time.perf_counter()
    partnership._conversations(options, rng, made)
    reach._reference_data(rng)
    picture_refresh_all()
    board._evaluations(options, rng)
    loaded = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return loaded


def run(options: argparse.Namespace) -> dict[str, Any]:
    import partnership  # noqa: PLC0415 - bench/partnership.py, beside this one: its partnership and bank

    partnership.setup()
    from django.core.cache import cache  # noqa: PLC0415 - after setup
    from django.test import Client  # noqa: PLC0415 - after setup
    from django.utils import timezone  # noqa: PLC0415 - after setup
    from pypdf import PdfReader  # noqa: PLC0415 - only to count the pages

    from engage.conversations.models import Conversation  # noqa: PLC0415 - after setup
    from engage.partners.models import Organisation  # noqa: PLC0415 - after setup
    from engage.partnership.filters import last_whole_month, months_back  # noqa: PLC0415 - after setup
    from engage.reports import services  # noqa: PLC0415 - after setup
    from engage.reports.document import report_document  # noqa: PLC0415 - after setup
    from engage.reports.figures import report_figures  # noqa: PLC0415 - after setup
    from engage.reports.files import report_file  # noqa: PLC0415 - after setup
    from engage.reports.models import Report  # noqa: PLC0415 - after setup
    from engage.reports.rendering import docx_bytes, pdf_bytes  # noqa: PLC0415 - after setup

    loaded = _loaded(options)
    month_to = last_whole_month(timezone.localdate())
    month_from = months_back(month_to, 11)
    in_year = Conversation.objects.filter(
        occurred_on__gte=month_from, occurred_on__lt=months_back(month_to, -1)
    ).count()
    host = Organisation.objects.order_by("pk").first()
    report = services.report_create(
        actor=None, organisation=host, kind="local_account", title="Our Local Account",
        month_from=f"{month_from:%Y-%m}", month_to=f"{month_to:%Y-%m}",
    )  # fmt: skip
    services.report_build(report_id=report.pk)  # not timed: caches warmed, as a worker that ran before
    _, figures_seconds = partnership._timed(lambda: services.report_build(report_id=report.pk))
    # Memory apart from time: tracing every allocation slows what it traces.
    _, _, figures_peak = _peak(lambda: services.report_build(report_id=report.pk))
    services.easy_read_draft(actor=None, organisation=host, report_id=report.pk)
    services.report_publish(actor=None, organisation=host, report_id=report.pk, manages_partnership=True)
    report = Report.objects.get(pk=report.pk)
    client = Client()
    client.get(f"/reports/{report.pk}/")  # a page visited before
    page_seconds = []
    for _ in range(options.repeats):
        response, seconds = partnership._timed(lambda: client.get(f"/reports/{report.pk}/"))
        if response.status_code != 200 or b"What people told us" not in response.content:
            raise SystemExit(f"The report's page answered {response.status_code} without its sections.")
        page_seconds.append(seconds)

    def made_afresh(version: str, extension: str) -> bytes:
        cache.clear()
        return report_file(report, version=version, extension=extension)[0]

    # The first PDF of a process also loads WeasyPrint and the fonts; a server's later ones do not.
    pdf, pdf_first_seconds = partnership._timed(lambda: made_afresh("report", "pdf"))
    _, pdf_seconds = partnership._timed(lambda: made_afresh("report", "pdf"))
    _, _, pdf_peak = _peak(lambda: made_afresh("report", "pdf"))
    _, docx_seconds = partnership._timed(lambda: made_afresh("report", "docx"))
    _, easy_pdf_seconds = partnership._timed(lambda: made_afresh("easy-read", "pdf"))

    def naive() -> None:
        """Each format drawn from figures worked out for it."""
        for draw in (
            lambda document: client.get(f"/reports/{report.pk}/"),
            pdf_bytes,
            docx_bytes,
        ):
            report.figures = report_figures(report)
            draw(report_document(report))

    naive_seconds = [partnership._timed(naive)[1] for _ in range(options.naive_repeats)]
    ours = figures_seconds + statistics.median(page_seconds) + pdf_seconds + docx_seconds
    return {
        "conversations": options.rows,
        "in_the_year": in_year,
        "loaded_seconds": round(loaded, 1),
        "figures_seconds": round(figures_seconds, 2),
        "figures_peak_mb": round(figures_peak, 1),
        "page_p95": round(partnership._p95(page_seconds), 3),
        "html_total_seconds": round(figures_seconds + partnership._p95(page_seconds), 2),
        "pdf_first_seconds": round(pdf_first_seconds, 2),
        "pdf_seconds": round(pdf_seconds, 2),
        "pdf_total_seconds": round(figures_seconds + pdf_first_seconds, 2),
        "pdf_peak_mb": round(pdf_peak, 1),
        "pdf_pages": len(PdfReader(io.BytesIO(pdf)).pages),
        "pdf_kb": len(pdf) // 1024,
        "docx_seconds": round(docx_seconds, 2),
        "easy_read_pdf_seconds": round(easy_pdf_seconds, 2),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "ours_all_formats_seconds": round(ours, 2),
        "naive_all_formats_median": round(statistics.median(naive_seconds), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000, help="conversations over 24 months")
    parser.add_argument("--activities", type=int, default=2_500)
    parser.add_argument("--answers", type=int, default=10, help="participants' answers to each evaluation")
    parser.add_argument("--repeats", type=int, default=10, help="requests of the page")
    parser.add_argument("--naive-repeats", type=int, default=1)
    parser.add_argument("--database", choices=["both", "sqlite", "postgres"], default="both")
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--single", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.single:
        if os.environ.get("ENGAGE_BENCH_CHILD") != "1":
            raise SystemExit("--single is for the benchmark's own child processes.")
        print(json.dumps(run(options)))
        return
    databases = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    if "postgres" in databases:
        bench_database(options.database_url)
    summary: dict[str, Any] = {"conversations": options.rows}
    arguments = [
        "--rows", str(options.rows), "--activities", str(options.activities), "--answers", str(options.answers),
        "--repeats", str(options.repeats), "--naive-repeats", str(options.naive_repeats), "--seed", str(options.seed),
    ]  # fmt: skip
    met = True
    for database in databases:
        f = run_in_child(__file__, arguments, database=database, database_url=options.database_url)
        met &= f["html_total_seconds"] <= HTML_GOAL_SECONDS and f["pdf_total_seconds"] <= PDF_GOAL_SECONDS
        print(
            f"{database:>8}: {f['conversations']:,} conversations, {f['in_the_year']:,} in the report's year, "
            f"loaded in {f['loaded_seconds']} s\n"
            f"  figures worked out: {f['figures_seconds']} s (Python heap peak {f['figures_peak_mb']} MB)\n"
            f"  the page: p95 {f['page_p95']} s; as HTML in all {f['html_total_seconds']} s "
            f"(goal {HTML_GOAL_SECONDS:.0f} s)\n"
            f"  the PDF: {f['pdf_first_seconds']} s the first in a process, {f['pdf_seconds']} s after; "
            f"{f['pdf_pages']} pages, {f['pdf_kb']:,} KB (heap peak {f['pdf_peak_mb']} MB); "
            f"as PDF in all {f['pdf_total_seconds']} s (goal {PDF_GOAL_SECONDS:.0f} s)\n"
            f"  Word {f['docx_seconds']} s; Easy Read PDF {f['easy_read_pdf_seconds']} s; "
            f"process peak {f['max_rss_mb']} MB\n"
            f"  every format, figures worked out once: {f['ours_all_formats_seconds']} s; worked out for each "
            f"instead: {f['naive_all_formats_median']} s "
            f"({f['naive_all_formats_median'] / max(f['ours_all_formats_seconds'], 1e-6):.1f}x)",
            flush=True,
        )
        summary |= {f"{database}_{k}": v for k, v in f.items() if k != "conversations"}
    summary["goal_met"] = met
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
