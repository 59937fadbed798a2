"""The worker's side of a register load: claim the queued job, load its file with its
progress noted and its heartbeat kept, and finish it, SUCCEEDED with what it did or
FAILED with a sentence saying why (the organisations change only on success)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from engage.core.uploaded_jobs import uploaded_job_run
from engage.partners.models import RegisterJob
from engage.partners.registers import services


def register_job_run(*, job_id: int) -> RegisterJob:
    """Load the queued job's file (engage.core.uploaded_jobs.uploaded_job_run): the job
    SUCCEEDED with what it did, or FAILED saying what is wrong and where."""

    def load(job: RegisterJob, note: Callable[[int, int], None]) -> dict[str, Any]:
        done = services.organisations_load(
            actor=job.created_by,
            path=Path(job.stored_path),
            file_name=job.file_name,
            register=job.register,
            postcode_prefixes=job.postcode_prefixes,
            commissioners=job.commissioners,
            on_progress=note,
        )
        return {"result": done.sentence(), "rows": done.created + done.updated + done.unchanged}

    return uploaded_job_run(
        RegisterJob, job_id=job_id, subject_type="register_job", load=load, every=services.PROGRESS_EVERY
    )
