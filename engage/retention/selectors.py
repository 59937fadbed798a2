"""Reads for retention: the rules in effect, what each rule would delete on a given day
(the dry run), and the report of past runs.

What a run deletes and what the dry run counts are the same querysets and file lists
(`expired_records`, `expired_files`), so the figures a page shows are the figures the
next run acts on. Counts only: nothing here returns anything about a person.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from engage.conversations.models import Channel, Conversation, ImportJob, ImportRejection, ImportStatus
from engage.core.errors import NotFound
from engage.core.models import AuditAction, AuditEvent, JobStatus, RateLimitHit
from engage.decisions.models import DecisionEvidence, DecisionStatus
from engage.partners.models import PeopleImportJob, PeopleImportRejection, RegisterJob
from engage.places.models import ReferenceJob
from engage.retention.models import (
    KindPolicy,
    Period,
    RetentionKind,
    RetentionResult,
    RetentionRule,
    RetentionRun,
    default_period,
    policy_of,
)
from engage.subject_access.models import ZIP_NAME, RequestStatus, SubjectAccessRequest, zips_folder

# The audit trail's entries that say someone (or a script) signed in: kept by the
# sign-in records' rule, every other entry by the audit events' rule.
SIGN_IN_ACTIONS = (
    AuditAction.SIGNED_IN,
    AuditAction.SIGN_IN_REFUSED,
    AuditAction.RECOVERY_CODE_USED,
    AuditAction.TOKEN_USED,
)
SIGN_IN_SCOPES = "sign-in:"  # the counted wrong tries (engage/accounts/sign_in/selectors.py)
# A decision still being worked on keeps the conversations that are its evidence.
OPEN_DECISIONS = (DecisionStatus.PROPOSED, DecisionStatus.AGREED, DecisionStatus.IN_PROGRESS)
# Names the upload store gives files (engage/core/uploads.py: 32 hex digits and the
# upload's ending; its progress notes beside it), and Django's file email backend
# ("20261206-021500-140234.log"). Only such files are ever deleted, so a folder set to
# somewhere shared by mistake loses nothing else.
UPLOAD_NAME = re.compile(r"[0-9a-f]{32}(\.[A-Za-z0-9-]{1,16})?")
EMAIL_NAME = re.compile(r"[0-9]{8}-[0-9]{6}-[0-9]+\.log")

Cutoffs = Mapping[str, dt.date | None]


# --- The rules --------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleInEffect:
    kind: str
    label: str
    period: Period
    default: Period
    own_rule: bool  # the partnership set its own; else the default applies
    changed_at: dt.datetime | None
    policy: KindPolicy


def retention_rule_list() -> list[RuleInEffect]:
    """Every kind's rule, in the order a run applies them."""
    rows = {rule.kind: rule for rule in RetentionRule.objects.all()}
    found = []
    for kind in RetentionKind:
        row = rows.get(kind.value)
        default = default_period(kind)
        found.append(
            RuleInEffect(
                kind=kind.value,
                label=str(kind.label),
                period=row.period if row is not None else default,
                default=default,
                own_rule=row is not None,
                changed_at=row.changed_at if row is not None else None,
                policy=policy_of(kind),
            )
        )
    return found


def retention_rule_get(kind: str) -> RuleInEffect:
    for rule in retention_rule_list():
        if rule.kind == kind:
            return rule
    raise NotFound("There is no such kind of data.")


def periods_in_effect() -> dict[str, Period]:
    return {rule.kind: rule.period for rule in retention_rule_list()}


def cutoffs_on(run_on: dt.date, periods: Mapping[str, Period] | None = None) -> dict[str, dt.date | None]:
    """Each kind's cut-off for a run on `run_on`: what is dated before it goes."""
    periods = periods if periods is not None else periods_in_effect()
    return {kind: periods[kind].cutoff(run_on) for kind in RetentionKind.values}


def cutoff_moment(day: dt.date) -> dt.datetime:
    """The start of `day` in London: records with a time are compared with this, so a
    rule means the same whole days for a date and a time."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


# --- When the daily run happens ---------------------------------------------------------


def next_run_at(now: dt.datetime | None = None) -> dt.datetime:
    """The next daily run: ENGAGE_RETENTION_HOUR o'clock, London time, after `now`."""
    local = timezone.localtime(now or timezone.now(), ZoneInfo(settings.TIME_ZONE))
    candidate = local.replace(hour=settings.ENGAGE_RETENTION_HOUR, minute=0, second=0, microsecond=0)
    if candidate <= local:
        # The same hour on the next day: adding a day to a London time keeps the time of
        # day, so a day on which the clocks change (23 or 25 hours) still runs at the hour.
        candidate += dt.timedelta(days=1)
    return candidate


def today() -> dt.date:
    return timezone.localdate(timezone.now(), ZoneInfo(settings.TIME_ZONE))


# --- What is past its time ----------------------------------------------------------------


def _open_evidence() -> Exists:
    return Exists(
        DecisionEvidence.objects.filter(conversation=OuterRef("pk"), decision__status__in=OPEN_DECISIONS)
    )


def conversations_past_their_time(cutoff: dt.date) -> QuerySet[Conversation]:
    """Heard before the cut-off, whether or not they are kept as evidence."""
    return Conversation.objects.filter(occurred_on__lt=cutoff)


def conversations_kept_as_evidence(cutoff: dt.date) -> QuerySet[Conversation]:
    """Past their time, but evidence for a decision still open: kept until it is closed."""
    return conversations_past_their_time(cutoff).filter(_open_evidence())


def expired_records(kind: str, cutoffs: Cutoffs) -> list[QuerySet[Any]]:
    """The records of `kind` a run with these cut-offs deletes (none for a kind kept for
    ever, or kept in files), as querysets the run deletes from in chunks."""
    cutoff = cutoffs[kind]
    if cutoff is None:
        return []
    moment = cutoff_moment(cutoff)
    if kind == RetentionKind.CONVERSATIONS:
        return [conversations_past_their_time(cutoff).exclude(_open_evidence())]
    if kind == RetentionKind.FEEDBACK_FORMS:
        return [_feedback_forms_expired(cutoff, cutoffs[RetentionKind.CONVERSATIONS])]
    if kind == RetentionKind.IMPORT_REJECTIONS:
        return [
            model.objects.filter(job__status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED])
            .alias(ended=Coalesce("job__finished_at", "job__created_at"))
            .filter(ended__lt=moment)
            for model in (ImportRejection, PeopleImportRejection)
        ]
    if kind == RetentionKind.AUDIT_EVENTS:
        return [AuditEvent.objects.filter(at__lt=moment).exclude(action__in=SIGN_IN_ACTIONS)]
    if kind == RetentionKind.SIGN_IN_RECORDS:
        return [
            AuditEvent.objects.filter(at__lt=moment, action__in=SIGN_IN_ACTIONS),
            RateLimitHit.objects.filter(scope__startswith=SIGN_IN_SCOPES, at__lt=moment),
        ]
    if kind == RetentionKind.SESSIONS:
        return [Session.objects.filter(expire_date__lt=moment)]
    if kind == RetentionKind.TASK_RESULTS:
        return [
            DBTaskResult.objects.filter(
                status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED], finished_at__lt=moment
            )
        ]
    return []


def _feedback_forms_expired(cutoff: dt.date, conversations_cutoff: dt.date | None) -> QuerySet[Conversation]:
    """Unanswered feedback-form comments sent before the cut-off: from the public form
    (a web-form conversation that was not imported and is of no activity) and never
    evidence for any decision. Those also past the conversations' own cut-off are that
    rule's, which runs first, so nothing is counted twice."""
    expired = Conversation.objects.filter(
        channel=Channel.WEB_FORM,
        import_job__isnull=True,
        activity__isnull=True,
        occurred_on__lt=cutoff,
    ).exclude(Exists(DecisionEvidence.objects.filter(conversation=OuterRef("pk"))))
    if conversations_cutoff is not None:
        expired = expired.filter(occurred_on__gte=conversations_cutoff)
    return expired


def _in_use_uploads() -> set[Path]:
    """The uploads of imports and loads waiting or running (or, for a conversation
    import, held for its ratings to be checked), with their notes."""
    waiting = [JobStatus.QUEUED, JobStatus.RUNNING]
    paths = [
        *ImportJob.objects.filter(status__in=[*waiting, ImportStatus.HELD]).values_list(
            "stored_path", flat=True
        ),
        *ReferenceJob.objects.filter(status__in=waiting).values_list("stored_path", flat=True),
        *RegisterJob.objects.filter(status__in=waiting).values_list("stored_path", flat=True),
        *PeopleImportJob.objects.filter(status__in=waiting).values_list("stored_path", flat=True),
    ]
    in_use: set[Path] = set()
    for stored in filter(None, paths):
        path = Path(stored)
        in_use |= {path, path.with_suffix(".progress"), path.with_suffix(".progress-new")}
    return in_use


def _old_files(folder: Path, moment: dt.datetime, name: re.Pattern[str], *, below: bool) -> Iterator[Path]:
    """Plain files in `folder` (and the folders below it, where `below`) whose names
    match `name` and that were last changed before `moment`. Links are never followed
    nor deleted."""
    if not folder.is_dir():
        return
    limit = moment.timestamp()
    for top, folders, files in os.walk(folder, followlinks=False):
        if not below:
            folders.clear()
        for file_name in files:
            if not name.fullmatch(file_name):
                continue
            path = Path(top, file_name)
            try:
                found = path.lstat()
            except OSError:  # gone meanwhile
                continue
            if stat.S_ISREG(found.st_mode) and found.st_mtime < limit:
                yield path


def expired_files(kind: str, cutoffs: Cutoffs) -> list[Path]:
    """The files of `kind` a run with these cut-offs deletes (none for other kinds)."""
    cutoff = cutoffs[kind]
    if cutoff is None:
        return []
    moment = cutoff_moment(cutoff)
    if kind == RetentionKind.IMPORT_FILES:
        in_use = _in_use_uploads()
        found = _old_files(Path(settings.ENGAGE_IMPORT_DIR), moment, UPLOAD_NAME, below=True)
        return sorted(path for path in found if path not in in_use)
    if kind == RetentionKind.EMAIL_FILES:
        folder = getattr(settings, "EMAIL_FILE_PATH", None)
        return sorted(_old_files(Path(folder), moment, EMAIL_NAME, below=False)) if folder else []
    if kind == RetentionKind.SUBJECT_ACCESS_FILES:
        return _subject_access_left_behind(moment)
    return []


def expired_downloads(kind: str, cutoffs: Cutoffs) -> QuerySet[SubjectAccessRequest]:
    """The subject access requests whose ZIP a run with these cut-offs deletes (none for
    other kinds): gathered before the cut-off and still held. The request itself stays,
    marked with when its download was deleted. A request waiting or gathering has no
    ZIP yet (the name is kept only once it is ready), so it is never among them."""
    cutoff = cutoffs[kind]
    if kind != RetentionKind.SUBJECT_ACCESS_FILES or cutoff is None:
        return SubjectAccessRequest.objects.none()
    return SubjectAccessRequest.objects.filter(
        status=RequestStatus.SUCCEEDED, finished_at__lt=cutoff_moment(cutoff)
    ).exclude(file_path="")


def _subject_access_left_behind(moment: dt.datetime) -> list[Path]:
    """ZIPs in the subject access folder that no request points at (a worker that
    stopped, a file whose removal failed), last changed before `moment`; never one of
    a request waiting or gathering, whose number begins its name."""
    held = {
        Path(stored).name
        for stored in SubjectAccessRequest.objects.exclude(file_path="").values_list("file_path", flat=True)
    }
    busy = {
        str(pk)
        for pk in SubjectAccessRequest.objects.filter(
            status__in=[RequestStatus.QUEUED, RequestStatus.RUNNING]
        ).values_list("pk", flat=True)
    }
    return sorted(
        path
        for path in _old_files(zips_folder(), moment, ZIP_NAME, below=False)
        if path.name not in held and path.name.split("-", 1)[0] not in busy
    )


def expired_count(kind: str, cutoffs: Cutoffs) -> int:
    """How many records of `kind` a run with these cut-offs deletes: a COUNT query for
    each table, or the files found."""
    return (
        sum(queryset.count() for queryset in expired_records(kind, cutoffs))
        + expired_downloads(kind, cutoffs).count()
        + len(expired_files(kind, cutoffs))
    )


def kept_as_evidence_count(cutoffs: Cutoffs) -> int:
    cutoff = cutoffs[RetentionKind.CONVERSATIONS]
    return conversations_kept_as_evidence(cutoff).count() if cutoff is not None else 0


# --- The dry run ------------------------------------------------------------------------


def day_text(day: dt.date) -> str:
    """A date as people write it: 1 March 2024."""
    return f"{day.day} {day:%B %Y}"


def forecast_sentence(
    *, kind: str, count: int, cutoff: dt.date | None, when: str, kept_as_evidence: int = 0
) -> str:
    """What a run does with one kind, in plain words: "3,214 conversations heard before
    1 March 2024 will be deleted on 7 December 2026." `when` finishes the sentence
    ("will be deleted on 7 December 2026", "would be deleted today")."""
    policy = policy_of(kind)
    if cutoff is None:
        return f"{RetentionKind(kind).label} are kept for ever: none will be deleted."
    dated = f"{policy.dated} {day_text(cutoff)}"
    one = kept_as_evidence == 1
    kept = f"because {'it is' if one else 'they are'} evidence for a decision still open"
    if count == 0 and kept_as_evidence:
        return (
            f"None will be deleted: the {kept_as_evidence:,} {policy.one if one else policy.many} {dated} "
            f"{'is' if one else 'are'} kept, {kept}."
        )
    if count == 0:
        return f"No {policy.many} {dated} are held: there is nothing to delete."
    text = f"{count:,} {policy.one if count == 1 else policy.many} {dated} {when}."
    if kept_as_evidence:
        text += f" {kept_as_evidence:,} more {'is' if one else 'are'} past {'its' if one else 'their'} time but kept, {kept}."
    return text


@dataclass(frozen=True)
class Forecast:
    rule: RuleInEffect
    run_on: dt.date
    cutoff: dt.date | None
    count: int
    kept_as_evidence: int
    sentence: str


def retention_forecast(*, run_on: dt.date | None = None, when: str | None = None) -> list[Forecast]:
    """What a run on `run_on` (by default the next daily run's day) will delete, kind by
    kind, counted now."""
    run_on = run_on or next_run_at().date()
    when = when or f"will be deleted on {day_text(run_on)}"
    rules = retention_rule_list()
    cutoffs = cutoffs_on(run_on, {rule.kind: rule.period for rule in rules})
    forecasts = []
    for rule in rules:
        count = expired_count(rule.kind, cutoffs)
        kept = kept_as_evidence_count(cutoffs) if rule.kind == RetentionKind.CONVERSATIONS else 0
        forecasts.append(
            Forecast(
                rule=rule,
                run_on=run_on,
                cutoff=cutoffs[rule.kind],
                count=count,
                kept_as_evidence=kept,
                sentence=forecast_sentence(
                    kind=rule.kind, count=count, cutoff=cutoffs[rule.kind], when=when, kept_as_evidence=kept
                ),
            )
        )
    return forecasts


# --- Past runs --------------------------------------------------------------------------


def retention_run_list() -> QuerySet[RetentionRun]:
    """Every run, newest first, with its results."""
    return RetentionRun.objects.prefetch_related("results").order_by("-created_at", "-id")


def retention_run_last() -> RetentionRun | None:
    return retention_run_list().first()


def result_sentence(result: RetentionResult) -> str:
    """One kind's line of a run's report, in plain words."""
    policy = policy_of(result.kind)
    if result.cutoff is None:
        return f"{RetentionKind(result.kind).label} are kept for ever: nothing was deleted."
    deleted = f"{result.deleted:,} {policy.one if result.deleted == 1 else policy.many}"
    text = f"Deleted {deleted} {policy.dated} {day_text(result.cutoff)} (kept for {result.period})."
    if result.kept_as_evidence:
        text += f" Kept {result.kept_as_evidence:,} that are evidence for a decision still open."
    return text
