"""Starting an import and the things around it: the uploaded file kept for the worker,
the job queued (once per file, refused by the database a second time), saved templates,
imports whose worker died marked failed, and imports held because their ratings look
upside down: queued again once a person says which end of the scale is best, cancelled,
or failed after a day. The import itself runs in `pipeline.py`, called by the worker's
task (`tasks.py`); see that module's notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from engage.conversations.imports.mapping import (
    BUILT_IN_TEMPLATES,
    Template,
    built_in_template,
    mapping_problems,
    resolve_mapping,
)
from engage.conversations.imports.ratings import BEST_ENDS, RatingScale
from engage.conversations.models import (
    ImportJob,
    ImportStatus,
    ImportTemplate,
)
from engage.conversations.services import activity_check
from engage.core.errors import Conflict, InvalidInput, NotFound
from engage.core.jobs import enqueue_after_commit, stale_jobs_fail, violates
from engage.core.models import AuditAction
from engage.core.services import audit_record, user_or_none
from engage.core.tabular import pending
from engage.core.tabular.readers import (
    estimate_rows,
    open_reader,
)
from engage.core.types import Actor
from engage.core.uploads import StoredUpload, uploads_folder
from engage.partners.models import Organisation

WORKER_STOPPED = (
    "The worker stopped while this was running; nothing of it was kept. "
    "Start it again by uploading the file again."
)
# How long an import held for its ratings to be checked keeps its file (which may hold
# full postcodes) before it is failed; the same day a kept upload waits for its columns.
HELD_MAX_AGE = dt.timedelta(days=1)
HELD_EXPIRED = (
    "Nobody said within a day which end of the rating scale is best, so nothing from the file was "
    "added and the uploaded file was deleted. Import it again."
)
HELD_CANCELLED = (
    "The import was cancelled while its ratings were being checked; nothing from the file was added."
)


def import_dir() -> Path:
    """Where uploads wait for the worker: the web and the worker share it."""
    return uploads_folder()


def _template(*, organisation: Organisation, name: str) -> Template:
    found = built_in_template(name)
    if found is not None:
        return found
    saved = ImportTemplate.objects.filter(organisation=organisation, name=name).first()
    if saved is None:
        names = [t.name for t in BUILT_IN_TEMPLATES] + list(
            ImportTemplate.objects.filter(organisation=organisation).values_list("name", flat=True)
        )
        raise InvalidInput(
            {"template": f"There is no template called {name!r}. The templates are: {', '.join(names)}."}
        )
    return Template(
        name=saved.name,
        description=saved.description,
        mapping=saved.mapping,
        defaults=saved.defaults,
        built_in=False,
    )


def upload_keep(content: IO[bytes], *, file_name: str, folder: Path | None = None) -> StoredUpload:
    """Keep an upload for an import (in the import folder, or `folder`), refusing it once
    it is more than one import can take (engage.core.tabular.pending)."""
    return pending.upload_keep(content, file_name=file_name, folder=folder or import_dir())


def import_job_create(
    *,
    actor: Actor,
    organisation: Organisation,
    content: IO[bytes],
    file_name: str,
    template: str = "",
    mapping: Mapping[str, Any] | None = None,
    defaults: Mapping[str, Any] | None = None,
    activity_id: int | None = None,
    ratings_confirmed: bool = False,
    start: bool = True,
) -> ImportJob:
    """Keep the uploaded file and queue its import (in the background when `start`).

    The mapping is the named template's, or `mapping`/`defaults` as given (which also
    override the template's). The file is checked before a job is made: one that is
    too big, empty, unreadable, of another kind than its name says, or without the
    columns the mapping needs raises ImportFileError and nothing is kept.

    The job records how its ratings are read (the column, range and best end; the
    Friends and Family Test's 1 to 5, 1 the best, where the defaults say nothing).
    `ratings_confirmed` says a person has already seen the comments and ratings
    disagree and said they are right, so the import does not stop to ask.
    """
    chosen = _template(organisation=organisation, name=template) if template else None
    final_mapping = dict(mapping if mapping is not None else (chosen.mapping if chosen else {}))
    final_defaults = dict(chosen.defaults if chosen else {})
    final_defaults.update(defaults or {})
    problems = mapping_problems(final_mapping, final_defaults)
    if problems:
        raise InvalidInput(problems)
    activity_check(activity_id, organisation)
    import_jobs_fail_stale(organisation=organisation)  # a dead import must not hold up the line
    import_jobs_expire_held(organisation=organisation)  # nor one nobody came back to
    name = Path(file_name).name[:255] or "upload"
    stored = upload_keep(content, file_name=name)
    path, sha256 = stored.path, stored.sha256
    scale = RatingScale.from_defaults(final_defaults)
    try:
        with open_reader(path, file_name=name) as reader:
            resolved = resolve_mapping(final_mapping, reader.headings, file_name=name)
            next(iter(reader.rows()))  # a file with headings and no rows is refused now
        rows_estimate = estimate_rows(path, file_name=name)
        with transaction.atomic():
            job = _job_queue(
                organisation=organisation,
                activity_id=activity_id,
                file_name=name,
                stored_path=str(path),
                file_sha256=sha256,
                mapping=final_mapping,
                defaults=final_defaults,
                template_name=chosen.name if chosen else "",
                rows_total=rows_estimate,
                created_by=user_or_none(actor),
                rating_column=resolved.columns.get("rating", "")[:200],
                rating_low=scale.low,
                rating_high=scale.high,
                rating_best=scale.best,
                ratings_confirmed=ratings_confirmed,
            )
            audit_record(
                actor=actor,
                organisation=organisation,
                action=AuditAction.CREATED,
                subject_type="import_job",
                subject_id=job.pk,
                summary=f"Queued the import of {name} ({chosen.name if chosen else 'own mapping'}).",
            )
            if start:
                enqueue_after_commit("engage.conversations.imports.tasks.import_job_task", job_id=job.pk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return job


def _job_queue(**fields: Any) -> ImportJob:
    """Create the queued job; the same file already waiting or being imported for the
    organisation (two clicks on "Import") is refused by the database, not by a look first."""
    try:
        with transaction.atomic():
            return ImportJob.objects.create(**fields)
    except IntegrityError as error:
        if not violates(error, ImportJob, "import_file_once_in_line"):
            raise
        raise Conflict(
            f"{fields['file_name']} is already waiting to be imported, or being imported. "
            "Its page on the list of imports shows how far it has got."
        ) from error


def import_jobs_fail_stale(
    *, organisation: Organisation | None = None, job_id: int | None = None
) -> list[int]:
    """Mark failed the running imports (of the organisation, or the one job) whose worker
    has stopped: no heartbeat on the row nor on the progress file for
    ENGAGE_JOB_STALE_SECONDS. Their transaction never committed, so the bank is as it
    was; their files are deleted. Returns their ids."""
    jobs = ImportJob.objects.select_related("organisation")
    if organisation is not None:
        jobs = jobs.filter(organisation=organisation)
    if job_id is not None:
        jobs = jobs.filter(pk=job_id)

    def audit(job: ImportJob) -> None:
        audit_record(
            actor=None,
            organisation=job.organisation,
            action=AuditAction.UPDATED,
            subject_type="import_job",
            subject_id=job.pk,
            summary=f"Marked the import of {job.file_name} failed: its worker stopped while it ran.",
        )

    return stale_jobs_fail(
        jobs,
        running=ImportStatus.RUNNING,
        failed=ImportStatus.FAILED,
        message=WORKER_STOPPED,
        alive=ImportJob.progress_beat_since,
        on_failed=audit,
        after_commit=ImportJob.files_remove,
    )


def _held(*, organisation: Organisation, job_id: int) -> ImportJob:
    """The organisation's import, locked, that must be held for its ratings."""
    job = ImportJob.objects.for_organisation(organisation).select_for_update().filter(pk=job_id).first()
    if job is None:
        raise NotFound("There is no such import.")
    if job.status != ImportStatus.HELD:
        raise Conflict(
            f"The import of {job.file_name} is no longer waiting for its ratings to be checked: "
            f"it is {job.get_status_display().lower()}."
        )
    return job


def import_job_ratings_decide(
    *, actor: Actor, organisation: Organisation, job_id: int, best: str
) -> ImportJob:
    """A person has seen how a held import's comments and ratings disagree and says which
    end of the scale is best: the import is queued again, read that way, and does not
    stop to ask a second time. Its examples of the disagreement are emptied."""
    if best not in BEST_ENDS:
        raise InvalidInput({"rating_best": "Choose which end of the rating scale is best."})
    with transaction.atomic():
        job = _held(organisation=organisation, job_id=job_id)
        if not Path(job.stored_path).is_file():
            _held_fail(
                job, "The uploaded file is no longer on the server, so nothing was added. Import it again."
            )
            return ImportJob.objects.get(pk=job.pk)
        was = RatingScale(low=job.rating_low, high=job.rating_high, best=job.rating_best)
        now = RatingScale(low=job.rating_low, high=job.rating_high, best=best)
        # Compare-and-set as well as the lock, which SQLite does not take: a second
        # click finds it no longer held.
        queued = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.HELD).update(
            status=ImportStatus.QUEUED,
            rating_best=best,
            defaults={**job.defaults, "rating_best": best},
            ratings_confirmed=True,
            rating_check=None,
            rows_done=0,
            started_at=None,
            heartbeat_at=None,
        )
        if not queued:
            raise _no_longer_held(job)
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="import_job",
            subject_id=job.pk,
            summary=(
                f"Checked the ratings of {job.file_name}: read from {now.describe()}"
                + (" (kept as it was)." if was == now else f" (instead of {was.describe()}).")
                + " Queued again."
            ),
        )
        enqueue_after_commit("engage.conversations.imports.tasks.import_job_task", job_id=job.pk)
    return ImportJob.objects.get(pk=job.pk)


def import_job_cancel(*, actor: Actor, organisation: Organisation, job_id: int) -> ImportJob:
    """Cancel an import held for its ratings: nothing is added and its file is deleted."""
    with transaction.atomic():
        job = _held(organisation=organisation, job_id=job_id)
        if not _held_fail(job, HELD_CANCELLED):  # answered meanwhile (SQLite takes no lock)
            raise _no_longer_held(job)
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="import_job",
            subject_id=job.pk,
            summary=f"Cancelled the import of {job.file_name} while its ratings were being checked.",
        )
    return ImportJob.objects.get(pk=job.pk)


def _no_longer_held(job: ImportJob) -> Conflict:
    """A second answer (another tab, a double click) finds the import answered already."""
    return Conflict(f"The import of {job.file_name} is no longer waiting for its ratings to be checked.")


def _held_fail(job: ImportJob, message: str) -> bool:
    """Fail the held job, its file deleted once that commits; whether it was still held."""
    failed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.HELD).update(
        status=ImportStatus.FAILED, error=message, rating_check=None, finished_at=timezone.now()
    )
    if failed:
        transaction.on_commit(job.files_remove)
    return bool(failed)


def import_jobs_expire_held(*, organisation: Organisation | None = None) -> list[int]:
    """Fail the imports held for their ratings for longer than HELD_MAX_AGE (nobody
    answered), deleting their files; returns their ids."""
    jobs = ImportJob.objects.select_related("organisation").filter(
        status=ImportStatus.HELD, started_at__lt=timezone.now() - HELD_MAX_AGE
    )
    if organisation is not None:
        jobs = jobs.filter(organisation=organisation)
    expired = []
    for job in jobs:
        with transaction.atomic():
            if not ImportJob.objects.filter(pk=job.pk, status=ImportStatus.HELD).update(
                status=ImportStatus.FAILED, error=HELD_EXPIRED, rating_check=None, finished_at=timezone.now()
            ):
                continue  # answered meanwhile
            audit_record(
                actor=None,
                organisation=job.organisation,
                action=AuditAction.UPDATED,
                subject_type="import_job",
                subject_id=job.pk,
                summary=f"Failed the import of {job.file_name}: its ratings waited a day for a check.",
            )
            transaction.on_commit(job.files_remove)
        expired.append(job.pk)
    return expired


def import_template_save(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    mapping: Mapping[str, Any],
    defaults: Mapping[str, Any] | None = None,
    description: str = "",
) -> ImportTemplate:
    """Save (or replace) an organisation's named mapping for the next file from the same source."""
    name = " ".join(name.split())
    problems = mapping_problems(dict(mapping), dict(defaults or {}))
    if not name:
        problems["name"] = "Give the template a name."
    elif len(name) > 120:
        problems["name"] = "The name must be 120 characters or fewer."
    elif built_in_template(name) is not None:
        problems["name"] = f"{name!r} is the name of a built-in template. Choose another name."
    if len(description) > 300:
        problems["description"] = "The description must be 300 characters or fewer."
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        template, created = ImportTemplate.objects.update_or_create(
            organisation=organisation,
            name=name,
            defaults={"mapping": dict(mapping), "defaults": dict(defaults or {}), "description": description},
        )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CREATED if created else AuditAction.UPDATED,
            subject_type="import_template",
            subject_id=template.pk,
            summary=f"{'Saved' if created else 'Changed'} the import template {name!r}.",
        )
    return template


def import_rejections_exported(*, actor: Actor, organisation: Organisation | None, job: ImportJob) -> None:
    """The rejected rows, with what each row held, were downloaded: personal data leaving
    the product, so the audit trail says who took it and when."""
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.EXPORTED,
        subject_type="import_job",
        subject_id=job.pk,
        summary=f"Downloaded the rows of {job.file_name} that were not imported, with what each held.",
    )
