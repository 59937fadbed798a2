"""Recording what an organisation shares with the partnership: its own level with the
agreement it rests on, and its choice for one activity or import. Each is audited, and
rebuilds the organisation's part of the picture: a narrower choice in the same
transaction, so its figures are out by the time the page that made it returns; a wider
one in the worker, so the page returns at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from engage.conversations.models import ImportJob
from engage.core.errors import InvalidInput
from engage.core.ids import checked_one
from engage.core.models import AuditAction
from engage.core.services import audit_record, user_or_none
from engage.core.types import Actor
from engage.partners.models import Organisation
from engage.partnership.models import LEVEL_RANK, OrganisationSharing, SharingChoice, SharingLevel
from engage.partnership.services import picture_refresh, picture_refresh_later
from engage.partnership.sharing.selectors import activities_for_sharing, own_level

LEVEL_WORDS = {
    SharingLevel.NOTHING: "nothing",
    SharingLevel.COUNTS: "counts only",
    SharingLevel.QUOTES: "counts and approved quotes",
}


def _level(value: object, *, field: str = "level") -> SharingLevel:
    if value not in SharingLevel.values:
        raise InvalidInput(
            {field: "Choose what to share: nothing, counts only, or counts and approved quotes."}
        )
    return SharingLevel(str(value))


def organisation_sharing_set(
    *,
    actor: Actor,
    organisation: Organisation,
    level: object,
    agreement_name: str,
    agreement_dated: dt.date | None,
    today: dt.date | None = None,
) -> OrganisationSharing:
    """Set what the organisation shares for everything it has not chosen otherwise.
    Sharing anything needs the data-sharing agreement it rests on, named and dated."""
    chosen = _level(level)
    name = " ".join((agreement_name or "").split())[:200]
    today = today or timezone.localdate()
    errors = {}
    if chosen != SharingLevel.NOTHING and not name:
        errors["agreement_name"] = (
            "Enter the name of the data-sharing agreement that lets your organisation share."
        )
    if chosen != SharingLevel.NOTHING and agreement_dated is None:
        errors["agreement_dated"] = "Enter the date the data-sharing agreement was signed."
    if agreement_dated is not None and agreement_dated > today:
        errors["agreement_dated"] = "The date the agreement was signed must be today or in the past."
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        before = own_level(organisation)
        sharing, _ = OrganisationSharing.objects.update_or_create(
            organisation=organisation,
            defaults={
                "level": chosen,
                "agreement_name": name,
                "agreement_dated": agreement_dated,
                "set_by": user_or_none(actor),
                "set_at": timezone.now(),
            },
        )
        agreement = f" under {name}, signed {agreement_dated:%-d %B %Y}" if name and agreement_dated else ""
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="partnership sharing",
            subject_id=organisation.pk,
            summary=f"Set what the organisation shares with the partnership: {LEVEL_WORDS[chosen]}{agreement}.",
        )
        _picture_follows(organisation, narrower=LEVEL_RANK[chosen] < LEVEL_RANK[before])
    return sharing


def _picture_follows(organisation: Organisation, *, narrower: bool) -> None:
    """Less shared: the picture is rebuilt now, in this transaction, so nothing no longer
    shared is counted once it commits. More shared: in the worker, so the page that chose
    it returns at once (the figures join within a minute). Between counts and quotes the
    counts do not change, and quotes are read as they stand."""
    if narrower:
        picture_refresh(organisation_id=organisation.pk)
    else:
        picture_refresh_later(organisation_id=organisation.pk)


def sharing_choice_set(
    *,
    actor: Actor,
    organisation: Organisation,
    level: object,
    activity_id: object = None,
    import_job_id: object = None,
) -> SharingChoice | None:
    """Choose what the organisation shares of its conversations of one activity, or of
    one import (exactly one of the two); a blank level takes the choice away, so the
    organisation's own level applies again."""
    chosen = None if level in ("", None) else _level(level)
    if (activity_id is None) == (import_job_id is None):
        raise InvalidInput({"activity": "Choose one activity or one import."})
    with transaction.atomic():
        if activity_id is not None:
            activity = checked_one(
                activities_for_sharing(organisation=organisation),
                activity_id,
                field="activity",
                what="activity your organisation heard conversations in or works on",
            )
            thing: dict[str, Any] = {"activity": activity}
            what = f"activity {activity.pk} ({activity.title})"
        else:
            job = checked_one(
                ImportJob.objects.for_organisation(organisation),
                import_job_id,
                field="import_job",
                what="import of your organisation",
            )
            thing, what = {"import_job": job}, f"import {job.pk} ({job.file_name})"
        previous = (
            SharingChoice.objects.filter(organisation=organisation, **thing)
            .values_list("level", flat=True)
            .first()
        )
        own = own_level(organisation)
        before = SharingLevel(previous) if previous else own
        choice: SharingChoice | None = None
        if chosen is None:
            SharingChoice.objects.filter(organisation=organisation, **thing).delete()
            summary = f"Took away the sharing choice for {what}: the organisation's own level applies."
        else:
            choice, _ = SharingChoice.objects.update_or_create(
                organisation=organisation,
                **thing,
                defaults={"level": chosen, "set_by": user_or_none(actor), "set_at": timezone.now()},
            )
            summary = f"Chose what to share with the partnership of {what}: {LEVEL_WORDS[chosen]}."
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="partnership sharing",
            subject_id=organisation.pk,
            summary=summary,
        )
        after = chosen if chosen is not None else own
        # A choice narrower than the organisation's level, or than the other thing's
        # choice, can only take conversations out: rebuilt now whenever it is no wider.
        _picture_follows(organisation, narrower=LEVEL_RANK[after] <= LEVEL_RANK[before])
    return choice
