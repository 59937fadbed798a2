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
