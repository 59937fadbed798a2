"""Writes to the engagement register. Only the lead organisation changes an activity."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from engage.accounts.models import User
from engage.activities.models import (
    Activity,
    ActivitySeries,
    Area,
    InvolvementType,
    Level,
    Method,
    OverlapDecision,
    OverlapReview,
    PartnershipPriority,
    Stage,
    Status,
    TargetGroup,
)
from engage.activities.overlap import ActivityProbe, Overlap, overlap_list
from engage.activities.screening.services import screening_attach_activity
from engage.core.errors import Conflict, InvalidInput, NotFound
from engage.core.ids import IdCheck
from engage.core.models import AuditAction
from engage.core.services import audit_record, user_or_none
from engage.core.types import Actor
from engage.partners.models import Organisation
from textkit.keywords import keyword_text


@dataclass
class ActivityInput:
    """Everything a person enters about an activity, checked as a whole by `validate`."""

    title: str
    purpose: str
    topic: str
    stage: str
    involvement_type: str
    level: str
    starts_on: date
    ends_on: date
    priority_ids: list[int] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    area_ids: list[int] = field(default_factory=list)
    partner_organisation_ids: list[int] = field(default_factory=list)
    contact_id: int | None = None
    status: str = Status.PLANNED
    feedback_promised_on: date | None = None
    feedback_given_on: date | None = None
    series_id: int | None = None
    new_series_title: str = ""


def _unknown(values: Iterable[str], allowed: Iterable[str]) -> list[str]:
    allowed_set = set(allowed)
    return [v for v in values if v not in allowed_set]


def validate(data: ActivityInput, *, organisation: Organisation | None) -> dict[str, Any]:  # noqa: PLR0912
    """Check every rule, collect every problem, and return the related records, each of
    which `organisation` (the lead) may use.

    Raises InvalidInput naming each field that is wrong, so nothing is saved half-right.
    """
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = "Enter a title."
    if not data.purpose.strip():
        errors["purpose"] = "Say, in plain English, what the activity is for."
    if not data.topic.strip():
        errors["topic"] = "Enter the topic."
    for name, value, choices in (
        ("stage", data.stage, Stage.values),
        ("involvement_type", data.involvement_type, InvolvementType.values),
        ("level", data.level, Level.values),
        ("status", data.status, Status.values),
    ):
        if value not in choices:
            errors[name] = f"{value!r} is not one of the choices."
    if bad := _unknown(data.methods, Method.values):
        errors["methods"] = f"Unknown method: {', '.join(bad)}."
    if not data.target_groups:
        errors["target_groups"] = "Choose at least one group of people the activity is for."
    elif bad := _unknown(data.target_groups, TargetGroup.values):
        errors["target_groups"] = f"Unknown group: {', '.join(bad)}."
    if data.ends_on < data.starts_on:
        errors["ends_on"] = "The end date must be on or after the start date."
    if data.feedback_promised_on and data.feedback_promised_on < data.ends_on:
        errors["feedback_promised_on"] = (
            "Feedback cannot be promised before the activity closes: choose a date on or after the end date."
        )
    if data.feedback_given_on and data.feedback_given_on < data.starts_on:
        errors["feedback_given_on"] = "Feedback cannot have been given before the activity started."
    # Every id the client sent, checked against what this organisation may use.
    ids = IdCheck()
    priorities = ids.many(
        PartnershipPriority.objects.filter(is_active=True),
        data.priority_ids,
        field="priority_ids",
        what="current partnership priority",
    )
    areas = ids.many(Area.objects.all(), data.area_ids, field="area_ids", what="area")
    if not data.area_ids and "area_ids" not in ids.errors:
        errors["area_ids"] = "Choose the area: the whole place, a locality or a ward."
    partners = ids.many(
        Organisation.objects.filter(is_active=True),
        data.partner_organisation_ids,
        field="partner_organisation_ids",
        what="partner organisation",
    )
    # The contact is one of the lead organisation's own staff; a series is the lead
    # organisation's own repeat engagement.
    contact = ids.one(
        User.objects.filter(memberships__organisation=organisation, is_active=True).distinct(),
        data.contact_id,
        field="contact_id",
        what="member of your organisation's staff",
    )
    series = ids.one(
        ActivitySeries.objects.filter(lead_organisation=organisation),
        data.series_id,
        field="series_id",
        what="series of your organisation's activities",
    )
    if data.series_id and data.new_series_title.strip():
        errors["new_series_title"] = "Choose an existing series or start a new one, not both."
    errors.update(ids.errors)
    if errors:
        raise InvalidInput(errors)
    return {
        "priorities": priorities,
        "areas": areas,
        "partners": partners,
        "series": series,
        "contact": contact,
    }


def _apply(activity: Activity, data: ActivityInput, related: dict[str, Any]) -> None:
    for name in (
        "title",
        "purpose",
        "topic",
        "stage",
        "involvement_type",
        "level",
        "starts_on",
        "ends_on",
        "status",
        "feedback_promised_on",
        "feedback_given_on",
    ):
        setattr(activity, name, getattr(data, name))
    activity.title, activity.topic = activity.title.strip(), activity.topic.strip()
    activity.methods = sorted(set(data.methods))
    activity.target_groups = sorted(set(data.target_groups))
    activity.contact = related["contact"]
    activity.series = related["series"]
    if data.new_series_title.strip():
        # Repeat engagement starts here: the series belongs to the lead organisation.
        activity.series = ActivitySeries.objects.create(
            title=data.new_series_title.strip()[:200], lead_organisation=activity.lead_organisation
        )
    activity.topic_terms = keyword_text(f"{activity.title} {activity.topic} {activity.purpose}")


class OverlapsToConfirm(Conflict):
    """Nothing was saved: the activity may reach the same people as others the person
    has not looked at yet. The page, the API and the command show `overlaps` and save
    when asked again with `overlaps_seen`."""

    def __init__(self, overlaps: list[Overlap]) -> None:
        super().__init__(
            "Nothing was saved: other activities may reach the same people. "
            "Look at them, then save again to confirm you have seen them."
        )
        self.overlaps = overlaps


def _overlaps_seen_or_none(data: ActivityInput, *, activity_id: int | None, overlaps_seen: bool) -> None:
    """Overlaps marked "not related" before are not raised again."""
    if overlaps_seen:
        return
    found = overlap_list(
        probe=ActivityProbe.from_input(data, exclude_activity_id=activity_id), include_reviewed=False
    )
    if found:
        raise OverlapsToConfirm(found)


def activity_create(
    *,
    actor: Actor,
    organisation: Organisation,
    data: ActivityInput,
    screening_id: int | None = None,
    overlaps_seen: bool = False,
) -> Activity:
    """Register an activity led by the organisation in scope; with `screening_id`, the
    screening it came from is kept with it, in the same transaction. Unless
    `overlaps_seen`, an activity that overlaps others raises OverlapsToConfirm and
    nothing is saved."""
    related = validate(data, organisation=organisation)
    _overlaps_seen_or_none(data, activity_id=None, overlaps_seen=overlaps_seen)
    with transaction.atomic():
        activity = Activity(lead_organisation=organisation, created_by=user_or_none(actor))
        _apply(activity, data, related)
        activity.save()
        activity.priorities.set(related["priorities"])
        activity.areas.set(related["areas"])
        activity.partner_organisations.set([p for p in related["partners"] if p.pk != organisation.pk])
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CREATED,
            subject_type="activity",
            subject_id=activity.pk,
            summary="Registered an engagement activity.",
        )
        if screening_id is not None:
            screening_attach_activity(
                actor=actor, organisation=organisation, screening_id=screening_id, activity_id=activity.pk
            )
    return activity


def _led_by(organisation: Organisation | None, activity_id: int) -> Activity:
    activity = Activity.objects.filter(pk=activity_id, lead_organisation=organisation).first()
    if activity is None:
        raise NotFound("Only the lead organisation can change an activity, and yours does not lead this one.")
    return activity


def activity_update(
    *,
    actor: Actor,
    organisation: Organisation | None,
    activity_id: int,
    data: ActivityInput,
    overlaps_seen: bool = False,
) -> Activity:
    """Change an activity the organisation leads; overlaps as for activity_create."""
    related = validate(data, organisation=organisation)
    activity = _led_by(organisation, activity_id)  # before the probe: a stranger's is not probed
    _overlaps_seen_or_none(data, activity_id=activity_id, overlaps_seen=overlaps_seen)
    with transaction.atomic():
        _apply(activity, data, related)
        activity.save()
        activity.priorities.set(related["priorities"])
        activity.areas.set(related["areas"])
        activity.partner_organisations.set(
            [p for p in related["partners"] if p.pk != activity.lead_organisation_id]
        )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="activity",
            subject_id=activity.pk,
            summary="Changed the activity.",
        )
    return activity


def overlap_review_record(
    *,
    actor: Actor,
    organisation: Organisation | None,
    activity_id: int,
    other_id: int,
    decision: str,
    note: str = "",
) -> OverlapReview:
    """Record that the lead organisation joined up with the other activity, or judged it
    not related, so the warning is not raised again."""
    if decision not in OverlapDecision.values:
        raise InvalidInput({"decision": "Choose joined up or not related."})
    with transaction.atomic():
        activity = _led_by(organisation, activity_id)
        other = Activity.objects.filter(pk=other_id).exclude(pk=activity.pk).first()
        if other is None:
            raise NotFound("There is no such other activity.")
        review, _ = OverlapReview.objects.update_or_create(
            activity=activity,
            other=other,
            defaults={
                "decision": decision,
                "note": note[:500],
                "decided_by": user_or_none(actor),
            },
        )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="activity",
            subject_id=activity.pk,
            summary=f"Marked activity {other.pk} as {OverlapDecision(decision).label.lower()}.",
        )
    return review


def priority_create(
    *, actor: Actor, title: str, description: str = "", position: int = 0
) -> PartnershipPriority:
    if PartnershipPriority.objects.filter(title__iexact=title.strip()).exists():
        raise InvalidInput({"title": f"There is already a priority called {title.strip()}."})
    with transaction.atomic():
        priority = PartnershipPriority.objects.create(
            title=title.strip(), description=description, position=position
        )
        audit_record(
            actor=actor,
            organisation=None,
            action=AuditAction.CREATED,
            subject_type="priority",
            subject_id=priority.pk,
            summary="Added a partnership priority.",
        )
    return priority


def priority_update(
    *,
    actor: Actor,
    priority_id: int,
    title: str,
    description: str = "",
    position: int = 0,
    is_active: bool = True,
) -> PartnershipPriority:
    priority = PartnershipPriority.objects.filter(pk=priority_id).first()
    if priority is None:
        raise NotFound("There is no such priority.")
    if PartnershipPriority.objects.filter(title__iexact=title.strip()).exclude(pk=priority_id).exists():
        raise InvalidInput({"title": f"There is already a priority called {title.strip()}."})
    with transaction.atomic():
        priority.title, priority.description = title.strip(), description
        priority.position, priority.is_active = position, is_active
        priority.save()
        audit_record(
            actor=actor,
            organisation=None,
            action=AuditAction.UPDATED,
            subject_type="priority",
            subject_id=priority.pk,
            summary="Changed a partnership priority.",
        )
    return priority
