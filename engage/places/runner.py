"""The worker's side of a reference load: claim the queued job, load its file with its
progress noted and its heartbeat kept, and finish it, SUCCEEDED or FAILED with a
sentence saying why (engage.places.services has the loads themselves)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from engage.core.uploaded_jobs import uploaded_job_run
from engage.places import services
from engage.places.models import ReferenceJob, ReferenceKind, ReferenceLoad


def reference_job_run(*, job_id: int) -> ReferenceJob:
    """Load the queued job's file (engage.core.uploaded_jobs.uploaded_job_run): the job
    SUCCEEDED with its load, or FAILED saying what is wrong and where."""

    def load(job: ReferenceJob, note: Callable[[int, int], None]) -> dict[str, Any]:
        return {"load": _load(job, Path(job.stored_path), note)}

    return uploaded_job_run(
        ReferenceJob, job_id=job_id, subject_type="reference_job", load=load, every=services.PROGRESS_EVERY
    )


def _load(job: ReferenceJob, path: Path, note: Callable[[int, int], None]) -> ReferenceLoad:
    actor = job.created_by
    if job.kind == ReferenceKind.IMD:
        return services.imd_load(actor=actor, path=path, file_name=job.file_name, on_progress=note)
    if job.kind == ReferenceKind.POSTCODES:
        return services.postcodes_load(actor=actor, path=path, file_name=job.file_name, on_progress=note)
    if job.kind == ReferenceKind.WARDS:
        return services.wards_load(actor=actor, path=path, file_name=job.file_name, on_progress=note)
    if job.kind == ReferenceKind.CENSUS:
        return services.census_load(actor=actor, path=path, file_name=job.file_name)
    return services.boundaries_load(actor=actor, path=path, file_name=job.file_name)
