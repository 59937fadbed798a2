"""The worker's entry point for rebuilding the partnership's picture (services.py)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from engage.partnership.services import picture_refresh_asked


@task()
def picture_refresh_task(*, organisation_id: int | None, asked_at: str) -> int:
    return picture_refresh_asked(
        organisation_id=organisation_id, asked_at=dt.datetime.fromisoformat(asked_at)
    )
