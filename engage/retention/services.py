"""Writes for retention: a partnership administrator's rule for a kind of data, and
queueing a run. The run itself, which deletes, is engage/retention/runner.py."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from engage.accounts.selectors import actor_permissions
from engage.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from engage.core.jobs import stale_jobs_fail, violates
from engage.core.models import AuditAction, JobStatus
from engage.core.roles import Permission
from engage.core.services import audit_record, user_or_none
from engage.core.types import Actor
from engage.partners.models import Organisation
from engage.retention.models import (
    Period,
    PeriodUnit,
    RetentionKind,
    RetentionRule,
    RetentionRun,
    RunTrigger,
    default_period,
    period_problem,
)
from engage.retention.selectors import retention_rule_get, today

# What a rule form may choose besides days and months.
FOREVER = "forever"
DEFAULT = "default"
ALREADY = "A retention run is already waiting or running. Wait for it to finish, then try again."
WORKER_STOPPED = (
    "The worker stopped while this run was deleting. What it deleted before then stays deleted; "
    "the next run deletes the rest."
)


def _check_may_manage(actor: Actor, actor_organisation: Organisation | None) -> None:
    """Only a partnership administrator changes a rule; the software itself (a command,
    the demo, a test with no user) may too."""
    if getattr(actor, "pk", None) is None:
        return
    if Permission.MANAGE_PARTNERSHIP not in actor_permissions(
        actor=actor, actor_organisation=actor_organisation
    ):
        raise NotPermitted("Only a partnership administrator may change how long data is kept.")


def _period_chosen(kind: str, *, amount: int | None, unit: str) -> Period | None:
    """The period a form asks for (None: go back to the default); InvalidInput naming
    the field otherwise."""
    label = RetentionKind(kind).label
    if unit == DEFAULT:
        return None
    if unit == FOREVER:
        period = Period(None)
    elif unit in PeriodUnit.values:
        if amount is None:
            raise InvalidInput(
                {
                    "amount": f"Enter how many {unit} to keep {label.lower()} for, as a whole number, such as 72."
                }
            )
        period = Period(amount, unit)
    else:
        raise InvalidInput({"unit": "Choose days, months, or to use the default."})
    problem = period_problem(kind, period)
    if problem:
        raise InvalidInput({"unit" if period.forever else "amount": problem})
    return period


def retention_rule_set(
    *, actor: Actor, actor_organisation: Organisation | None, kind: str, amount: int | None, unit: str
) -> Period:
    """Set how long `kind` is kept: `amount` days or months, for ever (unit "forever",
    where the kind allows it) or back to the default (unit "default"). Nothing changes
    unless every part is right; the change is audited with the periods before and after
    (they are about the partnership's data as a whole, never a person). Returns the
    period now in effect."""
    if kind not in RetentionKind.values:
        raise NotFound("There is no such kind of data.")
    _check_may_manage(actor, actor_organisation)
    chosen = _period_chosen(kind, amount=amount, unit=unit)
    before = retention_rule_get(kind)
    label = RetentionKind(kind).label
    with transaction.atomic():
        if chosen is None:
            if not before.own_rule:
                return before.period
            RetentionRule.objects.filter(kind=kind).delete()
            after = default_period(kind)
            summary = f"{label} now follow the default: kept for {after} (were kept for {before.period})."
        else:
            if before.own_rule and before.period == chosen:
                return chosen
            RetentionRule.objects.update_or_create(
                kind=kind,
                defaults={"amount": chosen.amount, "unit": chosen.unit, "changed_by": user_or_none(actor)},
            )
            after = chosen
            summary = f"Changed how long {label.lower()} are kept: from {before.period} to {after}."
        audit_record(
            actor=actor,
            organisation=None,
            action=AuditAction.UPDATED,
            subject_type="retention_rule",
            subject_id=kind,
            summary=summary,
        )
    return after


def retention_runs_fail_stale() -> list[int]:
    """Mark failed a run whose worker stopped (no heartbeat for ENGAGE_JOB_STALE_SECONDS,
    engage/core/jobs.py), so the next can start. What it deleted stays deleted: each
    chunk was committed."""

    def audit(run: RetentionRun) -> None:
        audit_record(
            actor=None,
            organisation=None,
            action=AuditAction.UPDATED,
            subject_type="retention_run",
            subject_id=run.pk,
            summary="Marked the retention run failed: its worker stopped while it ran.",
        )

    return stale_jobs_fail(
        RetentionRun.objects.all(),
        running=JobStatus.RUNNING,
        failed=JobStatus.FAILED,
        message=WORKER_STOPPED,
        on_failed=audit,
    )


def retention_run_create(*, actor: Actor, trigger: str, run_on: dt.date | None = None) -> RetentionRun:
    """A run waiting to start, for the rules as they are when it starts, counted back
    from `run_on` (today by default). One waits or runs at a time: the database refuses
    a second, and that is a Conflict. One whose worker died is marked failed first."""
    if trigger not in RunTrigger.values:
        raise InvalidInput({"trigger": "Choose how the run was started."})
    retention_runs_fail_stale()
    try:
        with transaction.atomic():
            return RetentionRun.objects.create(
                trigger=trigger, run_on=run_on or today(), started_by=user_or_none(actor)
            )
    except IntegrityError as error:
        if not violates(error, RetentionRun, "retention_one_run_at_a_time"):
            raise
        raise Conflict(ALREADY) from error
