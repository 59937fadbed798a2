"""The partnership's self-assessment, written: its statements, rounds of scoring with
single-use links for each group, the anonymous score sheets those links let in, and
the objectives and actions it tracks against them. The partnership's administrators do
all of it but the scoring (the views check `MANAGE_PARTNERSHIP`).

Anonymity is kept by what is not written: a score sheet records its round and group
only, the link that let it in is marked used without a time, and scoring writes no
audit event (there is no one to name, and a time would match a sheet to a link)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from engage.activities.models import Activity
from engage.core.errors import Conflict, InvalidInput, NotFound
from engage.core.ids import checked_many, checked_one
from engage.core.models import AuditAction
from engage.core.services import audit_record
from engage.core.types import Actor
from engage.evaluation.models import (
    SCORE_MAX,
    SCORE_MIN,
    AssessmentRound,
    Objective,
    ObjectiveAction,
    Principle,
    ProgressStatus,
    Score,
    ScorerGroup,
    ScoreSheet,
    ScoringLink,
    Statement,
)

MOST_LINKS = 200
COMMENT_LONGEST = 2000


def link_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _audit(actor: Actor, subject_type: str, subject_id: object, summary: str) -> None:
    # The partnership's own records: kept in the partnership's trail (no organisation).
    audit_record(
        actor=actor,
        organisation=None,
        action=AuditAction.UPDATED,
        subject_type=subject_type,
        subject_id=subject_id,
        summary=summary,
    )


def _words(value: str, *, field: str, what: str, longest: int) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise InvalidInput({field: f"Enter {what}."})
    if len(text) > longest:
        raise InvalidInput({field: f"{what[0].upper()}{what[1:]} must be {longest} characters or fewer."})
    return text


# --- Statements ----------------------------------------------------------------------------


def statement_save(
    *, actor: Actor, text: str, is_active: bool = True, statement_id: object = None
) -> Statement:
    """Add a statement, or change one. A statement already scored keeps its words (the
    scores were given to them): retire it and add a new one instead."""
    words = _words(text, field="text", what="the statement", longest=300)
    with transaction.atomic():
        if statement_id is None:
            if Statement.objects.filter(text__iexact=words).exists():
                raise InvalidInput({"text": "There is a statement with these words already."})
            last = Statement.objects.order_by("-position").values_list("position", flat=True).first() or 0
            statement = Statement.objects.create(text=words, position=last + 1, is_active=is_active)
            _audit(actor, "self-assessment statement", statement.pk, f"Added the statement “{words}”.")
            return statement
        statement = checked_one(
            Statement.objects.select_for_update(), statement_id, field="statement", what="statement"
        )
        if words != statement.text:
            if statement.scores.exists():
                raise InvalidInput(
                    {
                        "text": "This statement has been scored, so its words stay as they were. Retire it and add a new one."
                    }
                )
            if Statement.objects.filter(text__iexact=words).exclude(pk=statement.pk).exists():
                raise InvalidInput({"text": "There is a statement with these words already."})
        statement.text, statement.is_active = words, is_active
        statement.save()
        _audit(actor, "self-assessment statement", statement.pk, f"Changed the statement “{words}”.")
    return statement


# --- Rounds --------------------------------------------------------------------------------


def round_open(*, actor: Actor, title: str, today: dt.date | None = None) -> AssessmentRound:
    """Open a round on every statement in use; one round is open at a time."""
    name = _words(title, field="title", what="a name for the round, such as “Spring 2027”", longest=120)
    today = today or timezone.localdate()
    with transaction.atomic():
        if AssessmentRound.objects.select_for_update().filter(closed_on__isnull=True).exists():
            raise Conflict("A round is open already: close it before opening another.")
        if AssessmentRound.objects.filter(title__iexact=name).exists():
            raise InvalidInput({"title": "There is a round with this name already."})
        statements = list(Statement.objects.filter(is_active=True))
        if not statements:
            raise InvalidInput({"title": "Add a statement to score before opening a round."})
        scoring = AssessmentRound.objects.create(
            title=name, opened_on=today, opened_by_id=getattr(actor, "pk", None)
        )
        scoring.statements.set(statements)
        _audit(
            actor,
            "self-assessment round",
            scoring.pk,
            f"Opened the round “{name}” on {len(statements)} statements.",
        )
    return scoring


def _open_round(round_id: object) -> AssessmentRound:
    scoring = checked_one(AssessmentRound.objects.select_for_update(), round_id, field="round", what="round")
    if not scoring.is_open:
        raise InvalidInput({"round": "This round is closed."})
    return scoring


def round_close(*, actor: Actor, round_id: object, today: dt.date | None = None) -> AssessmentRound:
    """Close a round: its links stop working and its results are final."""
    with transaction.atomic():
        scoring = _open_round(round_id)
        scoring.closed_on = max(today or timezone.localdate(), scoring.opened_on)
        scoring.save(update_fields=["closed_on"])
        _audit(actor, "self-assessment round", scoring.pk, f"Closed the round “{scoring.title}”.")
    return scoring


@dataclass(frozen=True)
class MadeLinks:
    round: AssessmentRound
    group: str
    tokens: list[str]  # shown once: only their digests are kept


def scoring_links_make(*, actor: Actor, round_id: object, group: object, count: object) -> MadeLinks:
    """Single-use links for members of one group to score an open round. The links are
    returned to be sent or printed; the partnership keeps only their digests, and never
    who each was given to."""
    if group not in ScorerGroup.values:
        raise InvalidInput({"group": "Choose the group the links are for."})
    try:
        how_many = int(str(count))
    except ValueError:
        how_many = 0
    if not 1 <= how_many <= MOST_LINKS:
        raise InvalidInput({"count": f"Enter how many links to make, from 1 to {MOST_LINKS}."})
    tokens = [secrets.token_urlsafe(18) for _ in range(how_many)]
    with transaction.atomic():
        scoring = _open_round(round_id)
        ScoringLink.objects.bulk_create(
            ScoringLink(round=scoring, group=str(group), digest=link_digest(token)) for token in tokens
        )
        _audit(
            actor,
            "self-assessment round",
            scoring.pk,
            f"Made {how_many} scoring link{'s' if how_many != 1 else ''} for {ScorerGroup(str(group)).label}.",
        )
    return MadeLinks(round=scoring, group=str(group), tokens=tokens)


def scoring_link_round(token: str) -> tuple[AssessmentRound, str]:
    """The round and group an unused link of an open round scores; NotFound otherwise
    (a used, unknown or closed link are told apart only by their message)."""
    link = ScoringLink.objects.select_related("round").filter(digest=link_digest(token or "")).first()
    if link is None:
        raise NotFound("There is no scoring link at this address. Check the link you were sent.")
    if link.used:
        raise NotFound("This link has been used: each link scores once. Thank you for taking part.")
    if not link.round.is_open:
        raise NotFound("This round of scoring has closed. Thank you.")
    return link.round, link.group


def score_sheet_record(*, token: str, scores: dict[str, object], comments: dict[str, str]) -> ScoreSheet:
    """One scorer's answers, by their single-use link: a score from 0 to 10 for each
    statement they can judge (a blank is "I can't say"), each with a comment if they
    wish. The link is spent in the same transaction, so it lets in one sheet only."""
    scoring, group = scoring_link_round(token)
    statements = {str(s.pk): s for s in scoring.statements.all()}
    errors: dict[str, str] = {}
    given: dict[Statement, tuple[int, str]] = {}
    for key, statement in statements.items():
        raw = scores.get(key)
        comment = (comments.get(key) or "").strip()
        if len(comment) > COMMENT_LONGEST:
            errors[f"comment_{key}"] = f"A comment must be {COMMENT_LONGEST:,} characters or fewer."
        if raw in (None, ""):
            continue
        try:
            value = int(str(raw))
        except ValueError:
            value = -1
        if not SCORE_MIN <= value <= SCORE_MAX:
            errors[f"score_{key}"] = f"Choose a score from {SCORE_MIN} to {SCORE_MAX}, or “I can't say”."
            continue
        given[statement] = (value, comment)
    unknown = set(scores) - set(statements)
    if unknown:
        errors["scores"] = "Score only the statements of this round."
    if not given and not errors:
        errors[f"score_{next(iter(statements), '')}"] = "Score at least one statement."
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        spent = ScoringLink.objects.filter(
            digest=link_digest(token), used=False, round__closed_on__isnull=True
        ).update(used=True)
        if spent != 1:  # another tab or a double click spent it first
            raise NotFound("This link has been used: each link scores once. Thank you for taking part.")
        sheet = ScoreSheet.objects.create(round=scoring, group=group)
        Score.objects.bulk_create(
            Score(sheet=sheet, statement=statement, score=value, comment=comment)
            for statement, (value, comment) in given.items()
        )
    return sheet


# --- Objectives and actions ----------------------------------------------------------------


def _status(value: object) -> str:
    if value not in ProgressStatus.values:
        raise InvalidInput({"status": "Choose a status: not started, on track, at risk or done."})
    return str(value)


def objective_save(
    *,
    actor: Actor,
    title: str,
    description: str,
    owner: str,
    due_on: dt.date | None,
    status: object,
    statement_ids: list[object],
    activity_ids: list[object],
    objective_id: object = None,
) -> Objective:
    """Add an objective, or change one, with the statements that would show it and the
    activities working towards it."""
    name = _words(title, field="title", what="the objective", longest=200)
    who = _words(owner, field="owner", what="who answers for it", longest=200)
    if due_on is None:
        raise InvalidInput({"due_on": "Enter the date it is due."})
    chosen = _status(status)
    statements = checked_many(Statement.objects.all(), statement_ids, field="statements", what="statement")
    activities = checked_many(Activity.objects.all(), activity_ids, field="activities", what="activity")
    with transaction.atomic():
        if objective_id is None:
            objective = Objective(position=Objective.objects.count() + 1)
        else:
            objective = checked_one(
                Objective.objects.select_for_update(), objective_id, field="objective", what="objective"
            )
        if Objective.objects.filter(title__iexact=name).exclude(pk=objective.pk).exists():
            raise InvalidInput({"title": "There is an objective with this name already."})
        objective.title, objective.description, objective.owner = (
            name,
            (description or "").strip()[:5000],
            who,
        )
        objective.due_on, objective.status = due_on, chosen
        objective.save()
        objective.statements.set(statements)
        objective.activities.set(activities)
        _audit(
            actor,
            "objective",
            objective.pk,
            f"Saved the objective “{name}” ({ProgressStatus(chosen).label}).",
        )
    return objective


def objective_action_save(
    *,
    actor: Actor,
    objective_id: object,
    title: str,
    owner: str,
    due_on: dt.date | None,
    status: object,
    action_id: object = None,
) -> ObjectiveAction:
    name = _words(title, field="title", what="the action", longest=200)
    who = _words(owner, field="owner", what="who will do it", longest=200)
    if due_on is None:
        raise InvalidInput({"due_on": "Enter the date it is due."})
    chosen = _status(status)
    with transaction.atomic():
        objective = checked_one(Objective.objects.all(), objective_id, field="objective", what="objective")
        if action_id is None:
            action = ObjectiveAction(objective=objective)
        else:
            action = checked_one(
                objective.actions.select_for_update(), action_id, field="action", what="action"
            )
        action.title, action.owner, action.due_on, action.status = name, who, due_on, chosen
        action.save()
        _audit(
            actor, "objective", objective.pk, f"Saved the action “{name}” ({ProgressStatus(chosen).label})."
        )
    return action


# --- The pledge ----------------------------------------------------------------------------


def principle_save(
    *, actor: Actor, title: str, description: str, is_active: bool = True, principle_id: object = None
) -> Principle:
    """Add a principle of the partnership's engagement pledge, or change one."""
    name = _words(title, field="title", what="the principle", longest=200)
    with transaction.atomic():
        if principle_id is None:
            principle = Principle(position=Principle.objects.count() + 1)
        else:
            principle = checked_one(
                Principle.objects.select_for_update(), principle_id, field="principle", what="principle"
            )
        if Principle.objects.filter(title__iexact=name).exclude(pk=principle.pk).exists():
            raise InvalidInput({"title": "There is a principle with these words already."})
        principle.title, principle.description, principle.is_active = (
            name,
            (description or "").strip()[:2000],
            is_active,
        )
        principle.save()
        _audit(actor, "engagement principle", principle.pk, f"Saved the principle “{name}”.")
    return principle
