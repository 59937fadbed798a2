"""Recording a screening. Screenings are not personal data: every partner may read them,
but each is recorded, and changed, only by the organisation that screened the issue."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from engage.activities.models import Activity, Level, Screening
from engage.activities.screening.engine import AnswerValue, evaluate, normalise_answers
from engage.activities.screening.rules import current_rules
from engage.core.errors import InvalidInput
from engage.core.ids import IdCheck
from engage.core.models import AuditAction
from engage.core.services import audit_record, user_or_none
from engage.core.types import Actor
from engage.partners.models import Organisation

TITLE_MAX_LENGTH = 200


def screening_record(
    *,
    actor: Actor,
    organisation: Organisation,
    title: str,
    answers: Mapping[str, AnswerValue],
    activity_id: int | None = None,
) -> Screening:
    """Evaluate the answers with the rules in use and keep the answers, the
    recommendation and the rules version together, for audit.

    Raises RulesError when the rules file cannot be used, and InvalidInput naming each
    field that is wrong (nothing is saved then).
    """
    rules = current_rules()
    errors: dict[str, str] = {}
    title = title.strip()
    if not title:
        errors["title"] = "Enter the issue being screened."
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = f"The issue must be {TITLE_MAX_LENGTH} characters or fewer."
    try:
        clean = normalise_answers(rules, answers)
    except InvalidInput as error:
        errors.update(error.errors)
        clean = {}
    ids = IdCheck()
    activity = ids.one(
        Activity.objects.filter(lead_organisation=organisation),
        activity_id,
        field="activity_id",
        what="activity led by your organisation",
    )
    errors.update(ids.errors)
    if errors:
        raise InvalidInput(errors)
    recommendation = evaluate(rules, clean)
    with transaction.atomic():
        screening = Screening.objects.create(
            title=title,
            organisation=organisation,
            activity=activity,
            answers=clean,
            recommendation=recommendation.to_dict(),
            rules_version=rules.version,
            created_by=user_or_none(actor),
        )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CREATED,
            subject_type="screening",
            subject_id=screening.pk,
            summary=(
                f"Screened '{title}': {Level(recommendation.level).label.lower()}, "
                f"rules version {rules.version}."
            ),
        )
    return screening


def screening_attach_activity(
    *, actor: Actor, organisation: Organisation, screening_id: int, activity_id: int
) -> Screening:
    """Keep a screening with the activity registered from it (for audit)."""
    ids = IdCheck()
    screening = ids.one(
        Screening.objects.filter(organisation=organisation),
        screening_id,
        field="screening_id",
        what="screening by your organisation",
        required=True,
    )
    activity = ids.one(
        Activity.objects.filter(lead_organisation=organisation),
        activity_id,
        field="activity_id",
        what="activity led by your organisation",
        required=True,
    )
    ids.raise_if_any()
    if screening is None or activity is None:  # for the type checker: raise_if_any raised
        raise InvalidInput(ids.errors)
    with transaction.atomic():
        screening.activity = activity
        screening.save(update_fields=["activity"])
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="screening",
            subject_id=screening.pk,
            summary=f"Linked the screening to the activity '{activity.title}'.",
        )
    return screening
