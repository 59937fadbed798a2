"""The worker's side of a people import: claim the queued job, read its file into the
organisation's people with its progress noted and its heartbeat kept, and finish it,
SUCCEEDED with what it did or FAILED with a sentence saying why (engage.core.uploaded_jobs;
the people change only on success)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engage.core.uploaded_jobs import uploaded_job_run
from engage.partners.models import PeopleImportJob
from engage.partners.people_imports import services


def people_import_run(
    *, job_id: int, on_progress: Callable[[int, int], None] | None = None
) -> PeopleImportJob:
    """`on_progress(rows done, rows expected)` too, for a progress bar on the command line."""

    def load(job: PeopleImportJob, note: Callable[[int, int], None]) -> dict[str, Any]:
        job = PeopleImportJob.objects.select_related("organisation", "created_by").get(pk=job.pk)

        def noted(done: int, total: int) -> None:
            note(done, total)
            if on_progress is not None:
                on_progress(done, total)

        return services.people_load(job=job, actor=job.created_by, on_progress=noted).fields()

    return uploaded_job_run(
        PeopleImportJob,
        job_id=job_id,
        subject_type=services.SUBJECT_TYPE,
        load=load,
        every=services.PROGRESS_EVERY,
    )
