"""Writing an activity's evaluation: opening it when the activity ends, the team's
account of cost and effort, closing the participants' part, why no decision yet, the
principles kept; and the participants' own answers, online by the shared link or typed
in from paper. Only staff of the lead organisation write an evaluation; answers come
from anyone with the link, and keep nothing that says who gave them."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from engage.activities.models import Activity
from engage.core.errors import InvalidInput, NotFound
from engage.core.ids import checked_one
from engage.core.models import AuditAction
from engage.core.services import audit_record, user_or_none
from engage.core.types import Actor
from engage.evaluation.models import (
    QUESTIONS,
    RATING_MAX,
    RATING_MIN,
    AnswerSource,
    Evaluation,
    Met,
    ParticipantAnswer,
    Principle,
    PrincipleAssessment,
)
from engage.partners.models import Organisation

COMMENT_LONGEST = 2000
TEXT_LONGEST = 5000
HOURS_MOST = Decimal("100000")
COST_MOST = Decimal("10000000")


def _new_token() -> str:
    return secrets.token_urlsafe(16)


def evaluation_open(*, activity: Activity, today: dt.date | None = None) -> Evaluation:
    """The activity's evaluation, opened if it was not yet; only once the activity has
    ended. Opening twice at once (two tabs, the daily run) opens it once."""
    today = today or timezone.localdate()
    if activity.ends_on >= today:
        raise InvalidInput({"activity": "An activity is evaluated once it has ended."})
    existing = Evaluation.objects.filter(activity=activity).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Evaluation.objects.create(activity=activity, public_token=_new_token())
    except IntegrityError:
        return Evaluation.objects.get(activity=activity)


def evaluations_open_ended(*, today: dt.date | None = None) -> int:
    """Open the evaluation of every activity that has ended without one (the daily run);
    answers how many were opened."""
    today = today or timezone.localdate()
    waiting = Activity.objects.filter(ends_on__lt=today, evaluation__isnull=True).values_list("pk", flat=True)
    opened = [Evaluation(activity_id=pk, public_token=_new_token()) for pk in waiting.iterator()]
    Evaluation.objects.bulk_create(opened, batch_size=500, ignore_conflicts=True)
    return len(opened)


def _led_activity(organisation: Organisation | None, activity_id: object) -> Activity:
    """An ended activity the organisation leads: only its team evaluates it."""
    if organisation is None:
        raise InvalidInput({"activity": "Choose the organisation you work for first."})
    return checked_one(
        Activity.objects.filter(lead_organisation=organisation),
        activity_id,
        field="activity",
        what="activity your organisation leads",
    )


def _opened(organisation: Organisation | None, activity_id: object) -> Evaluation:
    evaluation = evaluation_open(activity=_led_activity(organisation, activity_id))
    # Writes to one evaluation take turns.
    return Evaluation.objects.select_for_update().get(pk=evaluation.pk)


def _amount(value: object, *, field: str, most: Decimal, what: str) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").replace("£", "").strip())
    except InvalidOperation:
        raise InvalidInput({field: f"Enter {what} as a number, such as 12.5."}) from None
    if not amount.is_finite() or amount < 0 or amount >= most:
        raise InvalidInput({field: f"Enter {what} as a number from 0 up to {most:,}."})
    return amount


def _text(value: str, *, field: str, what: str, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput({field: f"Enter {what}."})
    if len(text) > TEXT_LONGEST:
        raise InvalidInput(
            {field: f"{what[0].upper()}{what[1:]} must be {TEXT_LONGEST:,} characters or fewer."}
        )
    return text


def evaluation_cost_record(
    *,
    actor: Actor,
    organisation: Organisation | None,
    activity_id: object,
    staff_hours: object,
    volunteer_hours: object,
    cost_pounds: object,
    what_worked: str,
    what_did_not: str,
) -> Evaluation:
    """The team's account of the cost and effort and of what worked and what did not
    (the good-practice library is built from these words)."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    for field, raw, most, what in (
        ("staff_hours", staff_hours, HOURS_MOST, "the staff hours"),
        ("volunteer_hours", volunteer_hours, HOURS_MOST, "the volunteers' hours"),
        ("cost_pounds", cost_pounds, COST_MOST, "the money spent, in pounds"),
    ):
        try:
            values[field] = _amount(raw, field=field, most=most, what=what)
        except InvalidInput as error:
            errors.update(error.errors)
    for field, raw, what in (
        ("what_worked", what_worked, "what worked"),
        ("what_did_not", what_did_not, "what did not work, or what you would do differently"),
    ):
        try:
            values[field] = _text(raw, field=field, what=what)
        except InvalidInput as error:
            errors.update(error.errors)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        evaluation = _opened(organisation, activity_id)
        for field, value in values.items():
            setattr(evaluation, field, value)
        evaluation.cost_recorded_by = user_or_none(actor)
        evaluation.cost_recorded_at = timezone.now()
        evaluation.save()
        _audit(actor, evaluation, "Recorded the cost and effort of the activity, and what worked.")
    return evaluation


def evaluation_participants_close(
    *, actor: Actor, organisation: Organisation | None, activity_id: object, not_asked: str = ""
) -> Evaluation:
    """Close the participants' part: no more answers come in by the link. With no
    answers, the team says why the people who took part were not asked."""
    reason = _text(not_asked, field="not_asked", what="why participants were not asked", required=False)
    with transaction.atomic():
        evaluation = _opened(organisation, activity_id)
        if evaluation.participants_closed_at is not None:
            raise InvalidInput({"not_asked": "The participants' part is closed already."})
        if not evaluation.answers.exists() and not reason:
            raise InvalidInput(
                {
                    "not_asked": "No one has answered yet. Say why the people who took part were not asked, "
                    "or wait for their answers."
                }
            )
        evaluation.participants_closed_at = timezone.now()
        evaluation.participants_not_asked = reason
        evaluation.save(update_fields=["participants_closed_at", "participants_not_asked", "updated_at"])
        _audit(actor, evaluation, "Closed the participants' part of the evaluation.")
    return evaluation


def evaluation_participants_reopen(
    *, actor: Actor, organisation: Organisation | None, activity_id: object
) -> Evaluation:
    """Take answers again (a form was closed by mistake, or paper forms came late)."""
    with transaction.atomic():
        evaluation = _opened(organisation, activity_id)
        evaluation.participants_closed_at = None
        evaluation.save(update_fields=["participants_closed_at", "updated_at"])
        _audit(actor, evaluation, "Opened the participants' part of the evaluation again.")
    return evaluation


def evaluation_influence_note(
    *, actor: Actor, organisation: Organisation | None, activity_id: object, note: str
) -> Evaluation:
    """Where the activity informed no decision yet: why, or what is still to decide."""
    text = _text(note, field="influence_note", what="why no decision is recorded yet", required=False)
    with transaction.atomic():
        evaluation = _opened(organisation, activity_id)
        evaluation.influence_note = text
        evaluation.save(update_fields=["influence_note", "updated_at"])
        _audit(actor, evaluation, "Said what the activity influenced so far.")
    return evaluation


def principles_assess(
    *, actor: Actor, organisation: Organisation | None, activity_id: object, assessed: dict[str, object]
) -> Evaluation:
    """How far the activity kept each principle of the pledge: `assessed` maps a
    principle's id to "met", "partly", "not_met", or "" to leave it unassessed."""
    principles = {str(p.pk): p for p in Principle.objects.filter(is_active=True)}
    errors = {}
    chosen: dict[Principle, str] = {}
    for key, value in assessed.items():
        if key not in principles:
            errors[f"principle_{key}"] = "Choose principles of the partnership's pledge."
        elif value not in ("", None):
            if value not in Met.values:
                errors[f"principle_{key}"] = "Choose met, partly met or not met."
            else:
                chosen[principles[key]] = str(value)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        evaluation = _opened(organisation, activity_id)
        PrincipleAssessment.objects.filter(evaluation=evaluation).exclude(principle__in=chosen).delete()
        for principle, met in chosen.items():
            PrincipleAssessment.objects.update_or_create(
                evaluation=evaluation, principle=principle, defaults={"met": met}
            )
        _audit(actor, evaluation, f"Assessed the activity against {len(chosen)} principles of the pledge.")
    return evaluation


def _audit(actor: Actor, evaluation: Evaluation, summary: str) -> None:
    audit_record(
        actor=actor,
        organisation=evaluation.activity.lead_organisation,
        action=AuditAction.UPDATED,
        subject_type="evaluation",
        subject_id=evaluation.activity_id,
        summary=summary,
    )


def _ratings(ratings: dict[str, object]) -> dict[str, int | None]:
    cleaned: dict[str, int | None] = {}
    errors = {}
    for field, question in QUESTIONS:
        value = ratings.get(field)
        if value in (None, ""):
            cleaned[field] = None
            continue
        try:
            number = int(str(value))
        except ValueError:
            number = 0
        if not RATING_MIN <= number <= RATING_MAX:
            errors[field] = f"Choose from {RATING_MIN} to {RATING_MAX} for “{question}”, or leave it out."
        cleaned[field] = number
    if errors:
        raise InvalidInput(errors)
    return cleaned


def _answer_create(
    evaluation: Evaluation, ratings: dict[str, object], comment: str, source: AnswerSource, today: dt.date
) -> ParticipantAnswer:
    cleaned = _ratings(ratings)
    text = (comment or "").strip()
    if len(text) > COMMENT_LONGEST:
        raise InvalidInput({"comment": f"The comment must be {COMMENT_LONGEST:,} characters or fewer."})
    if all(value is None for value in cleaned.values()) and not text:
        raise InvalidInput({"listened": "Answer at least one question, or write a comment."})
    return ParticipantAnswer.objects.create(
        evaluation=evaluation, comment=text, source=source, answered_on=today, **cleaned
    )


def participant_answer_record(
    *, token: str, ratings: dict[str, object], comment: str, today: dt.date | None = None
) -> ParticipantAnswer:
    """A participant's answer by the shared link: anonymous, while the part is open."""
    evaluation = Evaluation.objects.filter(public_token=token).first() if token else None
    if evaluation is None:
        raise NotFound("There is no evaluation form at this address.")
    if evaluation.participants_closed_at is not None:
        raise InvalidInput(
            {"listened": "This evaluation has closed, so it takes no more answers. Thank you."}
        )
    return _answer_create(evaluation, ratings, comment, AnswerSource.ONLINE, today or timezone.localdate())


def participant_answer_enter(
    *,
    actor: Actor,
    organisation: Organisation | None,
    activity_id: object,
    ratings: dict[str, object],
    comment: str,
    answered_on: dt.date | None = None,
) -> ParticipantAnswer:
    """A participant's answer on paper, typed in by the lead organisation's staff."""
    today = timezone.localdate()
    if answered_on is not None and answered_on > today:
        raise InvalidInput({"answered_on": "The date it was answered must be today or in the past."})
    with transaction.atomic():
        evaluation = _opened(organisation, activity_id)
        if evaluation.participants_closed_at is not None:
            raise InvalidInput(
                {"listened": "The participants' part is closed: open it again to add answers."}
            )
        answer = _answer_create(evaluation, ratings, comment, AnswerSource.PAPER, answered_on or today)
        _audit(actor, evaluation, "Typed in a participant's answer from paper.")
    return answer
