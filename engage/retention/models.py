"""How long each kind of data is kept, and the record of each run that deleted what was
past its time (docs/adr/0036).

A rule gives a kind of data a period, in days or months, counted back from the day of
a run: whatever is dated before the cut-off day (the run's day less the period) is
deleted on that run. Audit trail entries alone may be kept for ever (the trail holds no
values of personal data; it is the partnership's proof of what was done, ADR 0008);
everything else holds personal data, or a copy of it, and UK GDPR's storage limitation
principle says it must go once it is no longer needed, so it has a period. A kind with
no rule of its own follows its default, ENGAGE_RETENTION_<KIND> in config/settings.py.

These records hold counts and dates only, never anything about a person.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q

from engage.core.models import BackgroundJob, JobStatus


class RetentionKind(models.TextChoices):
    """The kinds of data a rule covers, in the order a run deletes them. Conversations
    come before unanswered feedback-form comments, so a comment past both periods is
    counted once, as a conversation."""

    CONVERSATIONS = "conversations", "Conversations"
    FEEDBACK_FORMS = "feedback_forms", "Unanswered feedback-form comments"
    IMPORT_FILES = "import_files", "Uploaded import files"
    IMPORT_REJECTIONS = "import_rejections", "Rows an import rejected"
    AUDIT_EVENTS = "audit_events", "Audit trail entries"
    SIGN_IN_RECORDS = "sign_in_records", "Sign-in records"
    SESSIONS = "sessions", "Sign-in sessions"
    TASK_RESULTS = "task_results", "Results of background jobs"
    EMAIL_FILES = "email_files", "Sent-email files"
    SUBJECT_ACCESS_FILES = "subject_access_files", "Subject access downloads"


class PeriodUnit(models.TextChoices):
    DAYS = "days", "Days"
    MONTHS = "months", "Months"


# The longest period a rule may give, in each unit: a hundred years. Longer would be
# "for ever" in all but name, and a date that far back is where Python's dates end.
MOST = {PeriodUnit.DAYS: 36_500, PeriodUnit.MONTHS: 1_200}


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier; the last day of that month where
    it is shorter (31 March less one month is 28 or 29 February)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    """How long something is kept: `amount` days or months, or for ever (amount None)."""

    amount: int | None
    unit: str = PeriodUnit.MONTHS

    @property
    def forever(self) -> bool:
        return self.amount is None

    def in_days(self) -> float:
        """About how many days, to compare periods of different units."""
        if self.amount is None:
            return float("inf")
        return self.amount * (30.44 if self.unit == PeriodUnit.MONTHS else 1.0)

    def cutoff(self, run_on: dt.date) -> dt.date | None:
        """The first day kept on a run on `run_on`: what is dated before it is deleted.
        None where nothing is deleted (kept for ever)."""
        if self.amount is None:
            return None
        if self.unit == PeriodUnit.MONTHS:
            return months_before(run_on, self.amount)
        return run_on - dt.timedelta(days=self.amount)

    def __str__(self) -> str:
        if self.amount is None:
            return "for ever"
        unit = str(self.unit)
        return f"{self.amount:,} {unit[:-1] if self.amount == 1 else unit}"


FOREVER_WORDS = {"forever", "for ever", "keep", "never"}
_PERIOD = re.compile(r"(\d{1,6})\s*(day|days|month|months)")


def period_parse(text: str) -> Period:
    """A period as an operator writes it in the environment: "72 months", "30 days",
    "1 day" or "for ever". Anything else is a ValueError with a sentence."""
    words = " ".join(text.strip().lower().split())
    if words in FOREVER_WORDS:
        return Period(None)
    found = _PERIOD.fullmatch(words)
    if found is None:
        raise ValueError(f"{text!r} is not a period: write a number of days or months, such as 72 months.")
    unit = PeriodUnit.DAYS if found.group(2).startswith("day") else PeriodUnit.MONTHS
    return Period(int(found.group(1)), unit)


@dataclass(frozen=True)
class KindPolicy:
    """What a rule for one kind may say, and how a page names what it deletes.

    `least` is the shortest period allowed: long enough for the data to be used for
    what it was kept for, so a slip of the finger ("1 day" for "1 year") cannot empty
    the bank overnight; `least_because` finishes the sentence that refuses a shorter
    one. `one`/`many` name a record, `dated` says which date counts."""

    setting: str
    least: Period
    forever_allowed: bool
    one: str
    many: str
    dated: str
    why: str
    least_because: str = "so there is time to use them"


POLICIES: dict[str, KindPolicy] = {
    RetentionKind.CONVERSATIONS: KindPolicy(
        setting="ENGAGE_RETENTION_CONVERSATIONS",
        least=Period(1, PeriodUnit.MONTHS),
        forever_allowed=False,
        one="conversation",
        many="conversations",
        dated="heard before",
        why="What people told partners, counted from the day it was heard. A conversation that is "
        "evidence for a decision still open (proposed, agreed or in progress) is kept until the "
        "decision is done or not taken; its themes, quotes and consent records go with it.",
    ),
    RetentionKind.FEEDBACK_FORMS: KindPolicy(
        setting="ENGAGE_RETENTION_FEEDBACK_FORMS",
        least=Period(1, PeriodUnit.MONTHS),
        forever_allowed=False,
        one="feedback-form comment",
        many="feedback-form comments",
        dated="sent before",
        why="Comments sent through the public feedback form (web form, not imported, no activity) "
        "that no partner has used as evidence for any decision.",
    ),
    RetentionKind.IMPORT_FILES: KindPolicy(
        setting="ENGAGE_RETENTION_IMPORT_FILES",
        # An upload waits up to a day for its columns to be chosen (imports/views.py).
        least=Period(2, PeriodUnit.DAYS),
        forever_allowed=False,
        one="uploaded file",
        many="uploaded files",
        dated="last changed before",
        why="Files left in the upload folder (they may hold full postcodes and names). An import "
        "deletes its file when it ends; these are the ones left by uploads never imported or a "
        "worker that stopped. A file of an import waiting or running is never deleted.",
    ),
    RetentionKind.IMPORT_REJECTIONS: KindPolicy(
        setting="ENGAGE_RETENTION_IMPORT_REJECTIONS",
        least=Period(7, PeriodUnit.DAYS),
        forever_allowed=False,
        one="rejected row",
        many="rejected rows",
        dated="of imports that ended before",
        why="The rows an import turned away, with the reason (they may quote what the cell said). "
        "The import's own record, with its counts, is kept.",
    ),
    RetentionKind.AUDIT_EVENTS: KindPolicy(
        setting="ENGAGE_RETENTION_AUDIT_EVENTS",
        least=Period(12, PeriodUnit.MONTHS),
        forever_allowed=True,
        one="audit trail entry",
        many="audit trail entries",
        dated="made before",
        why="Who viewed, changed, exported or erased what, and when (never the values). "
        "Sign-in entries follow their own rule below.",
    ),
    RetentionKind.SIGN_IN_RECORDS: KindPolicy(
        setting="ENGAGE_RETENTION_SIGN_IN_RECORDS",
        least=Period(1, PeriodUnit.MONTHS),
        forever_allowed=False,
        one="sign-in record",
        many="sign-in records",
        dated="made before",
        why="The audit trail's entries for signing in, refusals after too many wrong tries, "
        "recovery codes and access tokens used, and the counted wrong tries.",
    ),
    RetentionKind.SESSIONS: KindPolicy(
        setting="ENGAGE_RETENTION_SESSIONS",
        least=Period(1, PeriodUnit.DAYS),
        forever_allowed=False,
        one="session",
        many="sessions",
        dated="that ended before",
        why="Staff members' signed-in sessions, counted from when they ended.",
    ),
    RetentionKind.TASK_RESULTS: KindPolicy(
        setting="ENGAGE_RETENTION_TASK_RESULTS",
        least=Period(1, PeriodUnit.DAYS),
        forever_allowed=False,
        one="result of a background job",
        many="results of background jobs",
        dated="that finished before",
        why="The worker's record of each finished job (imports, analyses, emails). Jobs waiting or "
        "running are never deleted.",
    ),
    RetentionKind.EMAIL_FILES: KindPolicy(
        setting="ENGAGE_RETENTION_EMAIL_FILES",
        least=Period(1, PeriodUnit.DAYS),
        forever_allowed=False,
        one="sent-email file",
        many="sent-email files",
        dated="written before",
        why="Copies of emails written to the var/sent-mail folder where email is not yet sent to "
        "people (ENGAGE_EMAIL=file). There are none once email goes through Notify or a mail server.",
    ),
    RetentionKind.SUBJECT_ACCESS_FILES: KindPolicy(
        setting="ENGAGE_RETENTION_SUBJECT_ACCESS_FILES",
        # UK GDPR gives a month to answer a subject access request, and the ZIP is
        # gathered while answering it: it is needed only until it has been sent. A week
        # leaves time to download it and send it securely, even over a bank holiday;
        # a person who asks again later is sent a fresh one, gathered again.
        least=Period(7, PeriodUnit.DAYS),
        forever_allowed=False,
        one="subject access download",
        many="subject access downloads",
        dated="gathered before",
        why="The ZIP of everything an organisation holds about one person, gathered for a subject "
        "access request, counted from when it was ready. It is needed only until it is sent, and the "
        "law gives a month to answer the person, so it is kept at least 7 days. The request (who "
        "asked, and when) is kept; its page says when the download was deleted. A request still "
        "being gathered is never touched.",
        least_because="so there is time to download them and send them to the person securely",
    ),
}


def policy_of(kind: str) -> KindPolicy:
    return POLICIES[RetentionKind(kind)]


def default_period(kind: str) -> Period:
    """The kind's default, from its ENGAGE_RETENTION_* setting (checked at start-up by
    engage/retention/checks.py)."""
    return period_parse(str(getattr(settings, policy_of(kind).setting)))


def period_problem(kind: str, period: Period) -> str | None:
    """Why the kind may not be kept for `period`, as a sentence; None where it may."""
    policy = policy_of(kind)
    label = RetentionKind(kind).label
    amount = period.amount
    if amount is None:
        if policy.forever_allowed:
            return None
        return (
            f"{label} cannot be kept for ever: they hold personal data, which the law says must "
            "not be kept for longer than it is needed. Choose days or months."
        )
    if period.unit not in PeriodUnit.values:
        return "Choose days or months."
    most = MOST[PeriodUnit(period.unit)]
    if amount > most:
        return f"{label} can be kept for at most {most:,} {period.unit} (100 years)."
    if amount < 1 or period.in_days() < policy.least.in_days():
        return f"{label} must be kept for at least {policy.least}, {policy.least_because}."
    return None


class RetentionRule(models.Model):
    """The partnership's own period for one kind, set by a partnership administrator.
    A kind with no row follows its default (its ENGAGE_RETENTION_* setting)."""

    kind = models.CharField(max_length=20, choices=RetentionKind.choices, unique=True)
    # None: kept for ever (only where the kind's policy allows it).
    amount = models.PositiveIntegerField(null=True, blank=True)
    unit = models.CharField(max_length=6, choices=PeriodUnit.choices, default=PeriodUnit.MONTHS)
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=1), name="retention_rule_amount_at_least_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.period}"

    @property
    def period(self) -> Period:
        return Period(self.amount, self.unit)


class RunTrigger(models.TextChoices):
    SCHEDULE = "schedule", "The daily run"
    COMMAND = "command", "Run from the command line"


class RetentionRun(BackgroundJob):
    """One run of the rules: each kind's records past their time deleted in chunks, each
    chunk committed on its own (engage/retention/runner.py). Its results, one a kind,
    are the report of what it did."""

    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    trigger = models.CharField(max_length=10, choices=RunTrigger.choices, default=RunTrigger.SCHEDULE)
    # The day whose cut-offs the run applies: each kind's period is counted back from it.
    run_on = models.DateField()
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One run waiting or running in the whole partnership: every such row has the
            # same value (1) in this index, so the database refuses a second.
            models.UniqueConstraint(
                models.Value(1),
                condition=Q(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]),
                name="retention_one_run_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"retention run {self.pk} on {self.run_on}"


class ResultStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    RUNNING = "running", "Deleting"
    DONE = "done", "Done"
    FAILED = "failed", "Stopped by a problem"
    KEPT = "kept", "Kept for ever: nothing deleted"


class RetentionResult(models.Model):
    """What one run did with one kind: the rule it applied, how many records were past
    their time when it began, how many it deleted, and (conversations) how many it kept
    because they are evidence for a decision still open."""

    run = models.ForeignKey(RetentionRun, on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(max_length=20, choices=RetentionKind.choices)
    period = models.CharField(max_length=40, help_text="The rule as it was on the run, such as 72 months.")
    cutoff = models.DateField(null=True, blank=True, help_text="What was dated before this day was deleted.")
    expected = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)
    kept_as_evidence = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=ResultStatus.choices, default=ResultStatus.WAITING)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["run", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "kind"], name="retention_result_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind} in run {self.run_id}: {self.deleted} deleted"
