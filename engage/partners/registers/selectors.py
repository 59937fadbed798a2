"""Reading the register loads queued or done."""

from __future__ import annotations

from engage.partners.models import RegisterJob


def register_job_list(limit: int = 10) -> list[RegisterJob]:
    return list(RegisterJob.objects.select_related("created_by")[:limit])


def register_job_get(job_id: int) -> RegisterJob | None:
    found: RegisterJob | None = RegisterJob.objects.filter(pk=job_id).first()
    return found
