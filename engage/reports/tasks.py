"""Background entry point of reports: working a report's figures out (a year's Local
Account reads every conversation of the year through reach and the shared picture)."""

from __future__ import annotations

from django_tasks import task

from engage.reports.services import drafts_rebuild, report_build


@task()
def report_build_task(report_id: int) -> dict[str, object]:
    report = report_build(report_id=report_id)
    return {"report": report_id, "built": report is not None}


@task()
def drafts_rebuild_task() -> dict[str, int]:
    return {"drafts": drafts_rebuild()}
