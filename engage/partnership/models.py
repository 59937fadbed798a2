"""What each organisation shares with the partnership, and the partnership's picture of
it (ADR 0050).

Personal data stays with the organisation that collected it. What leaves it for the
partnership is what it chose here, at one of three levels: nothing; counts only
(themes, sentiment and trends, every figure through disclosure control); or counts and
the quotes its own staff approved (step 9). An organisation sets its level once, for
everything (`OrganisationSharing`, with the data-sharing agreement it rests on), and
may set another for one activity or one import (`SharingChoice`). Where a conversation
has both an activity's and an import's choice, the narrower wins: a file someone chose
to keep in is never let out by the activity it belongs to, nor the other way round.

The picture itself is a summary table (`PictureCount`): for every organisation, month,
group of people and theme, how many conversations, their weighted sum for the cell key
method (engage/core/cell_key.py) and their sentiment. Only conversations shared at
"counts" or more are in it; it is rebuilt for one organisation whenever what it shares
changes, and in the worker after every analysis and review (services.py says when).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from engage.core.scoping import OrganisationScopedQuerySet


class SharingLevel(models.TextChoices):
    NOTHING = "nothing", "Nothing"
    COUNTS = "counts", "Counts only"
    QUOTES = "quotes", "Counts and approved quotes"


# The order of the levels, narrowest first: the narrower of two choices wins.
LEVEL_RANK = {SharingLevel.NOTHING: 0, SharingLevel.COUNTS: 1, SharingLevel.QUOTES: 2}


class OrganisationSharing(models.Model):
    """An organisation's level for everything it has not chosen otherwise, and the
    data-sharing agreement that lets it share. An organisation with no row shares
    nothing."""

    organisation = models.OneToOneField(
        "partners.Organisation", on_delete=models.CASCADE, related_name="partnership_sharing"
    )
    level = models.CharField(max_length=8, choices=SharingLevel.choices, default=SharingLevel.NOTHING)
    agreement_name = models.CharField(
        max_length=200, blank=True, help_text="The data-sharing agreement the sharing rests on."
    )
    agreement_dated = models.DateField(null=True, blank=True, help_text="When the agreement was signed.")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField()

    objects = OrganisationScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.level}"


class SharingChoice(models.Model):
    """An organisation's level for one of its activities, or for one of its imports,
    in place of its own level."""

    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="sharing_choices"
    )
    activity = models.ForeignKey(
        "activities.Activity", null=True, blank=True, on_delete=models.CASCADE, related_name="sharing_choices"
    )
    import_job = models.ForeignKey(
        "conversations.ImportJob",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sharing_choices",
    )
    level = models.CharField(max_length=8, choices=SharingLevel.choices)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(activity__isnull=True, import_job__isnull=False)
                | Q(activity__isnull=False, import_job__isnull=True),
                name="sharing_choice_of_one_thing",
            ),
            models.UniqueConstraint(
                fields=["organisation", "activity"],
                condition=Q(activity__isnull=False),
                name="sharing_choice_once_per_activity",
            ),
            models.UniqueConstraint(
                fields=["import_job"],
                condition=Q(import_job__isnull=False),
                name="sharing_choice_once_per_import",
            ),
        ]

    def __str__(self) -> str:
        thing = f"activity {self.activity_id}" if self.activity_id else f"import {self.import_job_id}"
        return f"{self.organisation_id}, {thing}: {self.level}"


class Facet(models.TextChoices):
    """What the picture can be narrowed to, or cross-tabulated by. ALL is everyone."""

    ALL = "all", "Everyone"
    PRIORITY = "priority", "Partnership priority"
    AREA = "area", "Area"
    AGE = "age", "Age"
    SEX = "sex", "Sex"
    ETHNIC_GROUP = "ethnic_group", "Ethnic group"
    DISABILITY = "disability", "Disability"
    CARER = "carer", "Carers"
    DEPRIVATION = "deprivation", "Deprivation quintile"
    CORE20 = "core20", "Core20"


class Topic(models.TextChoices):
    ALL = "all", "Every conversation"
    RELATIONAL = "relational", "Relational care"
    THEME = "theme", "A theme or sub-theme"


class PictureCount(models.Model):
    """One cell of the partnership's picture: the shared conversations of one
    organisation, in one month, of one group of people (`facet` and `value`), about
    one topic. Counts and weighted sums, never a conversation."""

    organisation = models.ForeignKey("partners.Organisation", on_delete=models.CASCADE, related_name="+")
    organisation_kind = models.CharField(max_length=20)
    month = models.DateField(help_text="The first day of the month.")
    facet = models.CharField(max_length=16, choices=Facet.choices)
    value = models.CharField(max_length=80, blank=True)
    topic = models.CharField(max_length=10, choices=Topic.choices)
    category = models.ForeignKey(
        "insight.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    conversations = models.PositiveIntegerField(default=0)
    weighted = models.PositiveIntegerField(default=0)
    positive = models.PositiveIntegerField(default=0)
    positive_weighted = models.PositiveIntegerField(default=0)
    neutral = models.PositiveIntegerField(default=0)
    neutral_weighted = models.PositiveIntegerField(default=0)
    negative = models.PositiveIntegerField(default=0)
    negative_weighted = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["facet", "value", "month"], name="picture_facet_month"),
            models.Index(fields=["organisation"], name="picture_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.month:%Y-%m} {self.facet}={self.value} {self.topic}"


class ActivityThemeCount(models.Model):
    """How many of an activity's conversations one organisation shares are about a
    sub-theme: what "before you ask" ranks the themes already heard by. Rebuilt with
    the organisation's part of the picture; counts only, and never shown as they are."""

    organisation = models.ForeignKey("partners.Organisation", on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey("activities.Activity", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("insight.Category", on_delete=models.CASCADE, related_name="+")
    conversations = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["activity"], name="activity_theme_activity")]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.category_id} ({self.conversations})"


class PictureState(models.Model):
    """When one organisation's part of the picture was last rebuilt, and from which
    framework: the page says how fresh its figures are."""

    organisation = models.OneToOneField("partners.Organisation", on_delete=models.CASCADE, related_name="+")
    refreshed_at = models.DateTimeField()
    conversations = models.PositiveIntegerField(default=0, help_text="Shared conversations counted.")

    def __str__(self) -> str:
        return f"{self.organisation_id} at {self.refreshed_at:%Y-%m-%d %H:%M}"
