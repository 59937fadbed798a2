"""Reads of an organisation's people imports: each reached through the organisation."""

from __future__ import annotations

from django.db.models import QuerySet

from engage.core.errors import NotFound
from engage.partners.models import Organisation, PeopleImportJob, PeopleImportRejection


def people_import_list(*, organisation: Organisation) -> QuerySet[PeopleImportJob]:
    return PeopleImportJob.objects.for_organisation(organisation).select_related("created_by")


def people_import_get(*, organisation: Organisation, job_id: int) -> PeopleImportJob:
    job = people_import_list(organisation=organisation).filter(pk=job_id).first()
    if job is None:
        raise NotFound("There is no such import in your organisation's records.")
    return job


def people_import_rejection_list(
    *, organisation: Organisation, job_id: int
) -> QuerySet[PeopleImportRejection]:
    return PeopleImportRejection.objects.for_organisation(organisation).filter(job_id=job_id)
