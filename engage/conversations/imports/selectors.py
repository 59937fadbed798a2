"""Reading imports: the jobs, their rejected rows, their progress, and the templates."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from engage.conversations.imports.mapping import BUILT_IN_TEMPLATES, Template, built_in_template
from engage.conversations.imports.ratings import RatingCheck
from engage.conversations.imports.services import import_jobs_expire_held, import_jobs_fail_stale
from engage.conversations.models import ImportJob, ImportRejection, ImportStatus, ImportTemplate
from engage.core.errors import NotFound
from engage.core.pagination import Shortlist, no_shortlist, shortlist
from engage.core.progress import JobProgress, job_progress, time_left_text
from engage.partners.models import Organisation


def import_job_list(*, organisation: Organisation | None) -> QuerySet[ImportJob]:
    return ImportJob.objects.for_organisation(organisation).select_related("activity", "created_by")


def import_job_get(*, organisation: Organisation | None, job_id: int) -> ImportJob:
    """One import. A running one whose worker has stopped is marked failed as it is
    read, so its page says so instead of "running" for ever; so is one held for its
    ratings for more than a day."""
    job = import_job_list(organisation=organisation).filter(pk=job_id).first()
    if job is None:
        raise NotFound("There is no such import.")
    if job.status == ImportStatus.RUNNING and import_jobs_fail_stale(job_id=job.pk):
        job.refresh_from_db()
    if job.status == ImportStatus.HELD and job.pk in import_jobs_expire_held(organisation=job.organisation):
        job.refresh_from_db()
    return job


def import_job_list_unfinished(*, organisation: Organisation | None, limit: int = 5) -> Shortlist[ImportJob]:
    """The organisation's imports waiting, running, or held until a person checks their
    ratings, the oldest first. As when one is read, a running one whose worker has
    stopped, and one held for more than a day, are marked failed first, so neither is
    listed as under way for ever."""
    if organisation is None:
        return no_shortlist()
    import_jobs_fail_stale(organisation=organisation)
    import_jobs_expire_held(organisation=organisation)
    return shortlist(
        import_job_list(organisation=organisation)
        .filter(status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.HELD))
        .order_by("created_at", "id"),
        limit,
    )


def import_job_rating_check(*, job: ImportJob) -> RatingCheck | None:
    """How a held import's comments and ratings disagree, with examples; None unless held."""
    if job.status != ImportStatus.HELD:
        return None
    return RatingCheck.from_json(job.rating_check)


def import_rejection_list(*, organisation: Organisation | None, job_id: int) -> QuerySet[ImportRejection]:
    """The rows of one import that were not added, in file order."""
    return ImportRejection.objects.filter(
        job__in=import_job_list(organisation=organisation).filter(pk=job_id)
    ).order_by("line", "id")


def _saved(template: ImportTemplate) -> Template:
    return Template(
        name=template.name,
        description=template.description,
        mapping=template.mapping,
        defaults=template.defaults,
        built_in=False,
    )


def import_template_list(*, organisation: Organisation | None) -> list[Template]:
    """The built-in templates, then the organisation's own, by name."""
    saved = ImportTemplate.objects.filter(organisation=organisation) if organisation is not None else []
    return [*BUILT_IN_TEMPLATES, *(_saved(t) for t in saved)]


def import_template_get(*, organisation: Organisation | None, name: str) -> Template:
    found = built_in_template(name)
    if found is not None:
        return found
    saved = (
        ImportTemplate.objects.filter(organisation=organisation, name=name).first() if organisation else None
    )
    if saved is None:
        raise NotFound(f"There is no template called {name!r}.")
    return _saved(saved)


ImportProgress = JobProgress


def import_job_progress(*, job: ImportJob, now: dt.datetime | None = None) -> ImportProgress:
    """How far an import has gone, its speed, and about how long it has left.

    While running, `rows_total` is an estimate made before the file was read; once
    finished it is exact.
    """
    rows_done = job.rows_done
    if job.status == ImportStatus.RUNNING:  # noted beside the upload while it runs
        rows_done = max(rows_done, (job.progress_read() or (0, 0))[0])
    return job_progress(
        rows_done=rows_done,
        rows_total=job.rows_total,
        started_at=job.started_at,
        finished_at=job.finished_at,
        # Held is not finished, but the page must load again to ask about the ratings.
        finished=job.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED, ImportStatus.HELD),
        succeeded=job.status == ImportStatus.SUCCEEDED,
        now=now,
    )


def import_job_summary(job: ImportJob, progress: ImportProgress) -> str:
    """One line a person reads while the import runs."""
    if job.status == ImportStatus.QUEUED:
        return "Waiting for the background worker to start the import."
    if job.status == ImportStatus.HELD:
        return "Nothing has been added: the ratings need checking first."
    if progress.finished:
        return f"{progress.rows_done:,} rows checked."
    done = f"{progress.rows_done:,} of about {progress.rows_total:,} rows checked"
    if not progress.rows_per_second:
        return f"{done}, {time_left_text(None)}."
    return f"{done}, {progress.rows_per_second:,.0f} rows a second, {time_left_text(progress.seconds_left)}."
