"""You said, we did: what the partnership decided or did, and the voices behind it.

A decision is not personal data: every partner sees it, as they see the register. Its
evidence is: the conversations that informed it belong to the organisation that heard
them, so a link to one is made, seen and counted in full only by that organisation
(`DecisionEvidence.objects.for_organisation`); everyone else sees how many people, and
the themes, never whose words.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from engage.core.scoping import OrganisationScopedQuerySet
from engage.partners.models import Organisation


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_TAKEN = "not_taken", "Not taken"


class DecisionMaker(models.TextChoices):
    BOARD = "board", "A board"
    COMMITTEE = "committee", "A committee"
    ORGANISATION = "organisation", "An organisation"


class Decision(models.Model):
    """What was decided or done, by whom and when, and what informed it."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="decisions",
        help_text="The partner that recorded it, and keeps it up to date.",
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="In plain English: what was decided or done, and why.")
    decided_by = models.CharField(max_length=12, choices=DecisionMaker.choices)
    decided_by_name = models.CharField(
        max_length=200,
        help_text="Which board, committee or organisation: 'Castlebridge Health and Wellbeing Board'.",
    )
    decided_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED)
    reason_not_taken = models.TextField(blank=True)
    activity = models.ForeignKey(
        "activities.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    priorities = models.ManyToManyField(
        "activities.PartnershipPriority", blank=True, related_name="decisions"
    )
    themes = models.ManyToManyField("insight.Category", blank=True, related_name="decisions")
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=DecisionStatus.NOT_TAKEN) | ~Q(reason_not_taken=""),
                name="decision_not_taken_says_why",
            )
        ]
        indexes = [models.Index(fields=["activity", "status"], name="decision_by_activity")]

    def __str__(self) -> str:
        return self.title


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the decision's owner"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class ThemeProposal(models.Model):
    """A partner suggests a theme as evidence for another organisation's decision. Only
    the decision's owner changes it, so the theme joins it when the owner accepts."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="theme_proposals")
    category = models.ForeignKey("insight.Category", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="+", help_text="Who proposed it."
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "category", "organisation"], name="theme_proposal_once_per_partner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_id} for decision {self.decision_id}"


class EvidenceQuerySet(OrganisationScopedQuerySet):
    organisation_path = "conversation__organisation"


class DecisionEvidence(models.Model):
    """One conversation that informed a decision. Personal data of the conversation's
    organisation: reached only through `for_organisation`."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="evidence")
    conversation = models.ForeignKey(
        "conversations.Conversation", on_delete=models.CASCADE, related_name="evidence_for"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    added_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["-added_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "conversation"], name="evidence_once_per_decision")
        ]

    def __str__(self) -> str:
        return f"Conversation {self.conversation_id} for decision {self.decision_id}"


class DecisionAmendment(models.Model):
    """A change to a decision, kept so its public page can show its history: the fields
    that changed, from what to what, and why."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="amendments")
    changes = models.JSONField(help_text="Field name to [before, after].")
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.decision_id} at {self.changed_at:%Y-%m-%d}"


class ActivityPublication(models.Model):
    """An activity's public "You said, we did" page, published by its lead organisation,
    with an Easy Read summary where its staff wrote one. Only decisions with
    `published_at` set appear on it."""

    activity = models.OneToOneField(
        "activities.Activity", on_delete=models.CASCADE, related_name="publication"
    )
    easy_read = models.TextField(
        blank=True, help_text="Short sentences, one idea each, for an Easy Read version."
    )
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"Public page of activity {self.activity_id}"


# --- Telling people what was done ------------------------------------------------------


class ParticipationQuerySet(OrganisationScopedQuerySet):
    organisation_path = "person__organisation"


class Participation(models.Model):
    """A person who took part in an activity, recorded by the organisation that holds
    their details so they can be told what was done. Personal data of that
    organisation: a partner sees only its own people, wherever the activity is led."""

    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.CASCADE, related_name="participations"
    )
    person = models.ForeignKey("partners.Person", on_delete=models.CASCADE, related_name="participations")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    added_at = models.DateTimeField(auto_now_add=True)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["person__family_name", "person__given_name", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "person"], name="participation_once")]

    def __str__(self) -> str:
        return f"Person {self.person_id} in activity {self.activity_id}"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    RETRYING = "retrying", "Failed, will try again"
    FAILED = "failed", "Failed, gave up"
    SKIPPED = "skipped", "Not sent"


class FeedbackMessageQuerySet(OrganisationScopedQuerySet):
    organisation_path = "person__organisation"


class FeedbackMessage(models.Model):
    """The email telling one person about one published decision: at most one per
    decision and person (the unique constraint is what makes a retry or a second click
    send nothing twice), with what became of it."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="messages")
    person = models.ForeignKey("partners.Person", on_delete=models.CASCADE, related_name="feedback_messages")
    status = models.CharField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    # The address it went to, kept as the record of what was sent to whom.
    sent_to = models.EmailField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FeedbackMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "person"], name="feedback_message_once_per_decision")
        ]
        indexes = [models.Index(fields=["decision", "status"], name="feedback_message_by_status")]

    def __str__(self) -> str:
        return f"Decision {self.decision_id} to person {self.person_id}: {self.status}"


class OptOutMethod(models.TextChoices):
    EMAIL_LINK = "email_link", "The link in an email"
    MAIL_CLIENT = "mail_client", "Their email program's unsubscribe button"
    STAFF = "staff", "Told a member of staff"


class FeedbackOptOutQuerySet(OrganisationScopedQuerySet):
    organisation_path = "person__organisation"


class FeedbackOptOut(models.Model):
    """A person who asked not to be sent "You said, we did" emails. Narrower than
    withdrawing consent to contact: the organisation may still ring them about what
    they agreed to."""

    person = models.OneToOneField(
        "partners.Person", on_delete=models.CASCADE, related_name="feedback_opt_out"
    )
    method = models.CharField(max_length=12, choices=OptOutMethod.choices)
    stopped_at = models.DateTimeField(auto_now_add=True)

    objects = FeedbackOptOutQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Person {self.person_id} stopped feedback emails"


class OverdueReminder(models.Model):
    """The weekly email to a member of staff listing the activities whose promised
    feedback is overdue: one per person and week, so a second run sends nothing."""

    recipient = models.EmailField()
    week = models.CharField(max_length=8, help_text="ISO week, such as 2026-W49.")
    activity_ids = models.JSONField(default=list)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "week"], name="overdue_reminder_once_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.week} to {self.recipient}"
