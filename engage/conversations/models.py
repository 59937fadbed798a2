"""The bank of conversations: everything people told any partner, from any channel.

A conversation belongs to the organisation that collected it. Its text and the
respondent's details are personal data of that organisation and are reached only
through `for_organisation(org)`. The place is kept only as a postcode district (never
the full postcode), and demographics only as the categories people chose.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from engage.core.cell_key import RandomRecordKey
from engage.core.models import UploadedFileJob
from engage.core.scoping import OrganisationScopedQuerySet
from engage.partners.models import Organisation


class Channel(models.TextChoices):
    SURVEY = "survey", "Survey"
    EVENT = "event", "Event"
    PHONE = "phone", "Phone call"
    WEB_FORM = "web_form", "Web form"
    SOCIAL_MEDIA = "social_media", "Social media"
    FRIENDS_AND_FAMILY_TEST = "fft", "Friends and Family Test"
    HEALTHWATCH = "healthwatch", "Healthwatch"
    OTHER = "other", "Other"


class ConversationQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class Conversation(models.Model):
    # No index of their own: the composite indexes below begin with these columns, and
    # every index is paid for on each imported row.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="conversations", db_index=False
    )
    activity = models.ForeignKey(
        "activities.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
        db_index=False,
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    text = models.TextField()
    question = models.CharField(max_length=500, blank=True)
    occurred_on = models.DateField()
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    respondent_reference = models.CharField(max_length=100, blank=True)
    postcode_district = models.CharField(
        max_length=8, blank=True, help_text="The outward part of the postcode only, such as DY1."
    )
    # Found from the whole postcode in the postcode lookup when the conversation came in
    # (engage.reach); the whole postcode itself is never kept.
    lsoa_code = models.CharField(max_length=9, blank=True, help_text="The LSOA of the edition in use.")
    ward_code = models.CharField(max_length=9, blank=True)
    imd_decile = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="National decile of deprivation, 1 the most deprived 10%."
    )
    age_band = models.CharField(max_length=20, blank=True)
    sex = models.CharField(max_length=30, blank=True)
    ethnic_group = models.CharField(max_length=80, blank=True)
    disability = models.CharField(max_length=30, blank=True)
    carer = models.CharField(max_length=30, blank=True)
    consent_to_quote = models.BooleanField(default=False)
    consent_to_contact = models.BooleanField(default=False)
    import_job = models.ForeignKey(
        "conversations.ImportJob",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    # Categories the source file gave the row (the pxtextmining format's yes/no
    # columns), by the file's own names: people's labels, which insight learns from.
    imported_labels = models.JSONField(null=True, blank=True)
    # Re-importing the same row finds it by this key and adds nothing: the respondent
    # reference and question where given, else a hash of the row's content.
    dedupe_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    # A fixed random key, drawn by the database, from which the conversation's weight in
    # published counts comes (the cell key method, engage/core/cell_key.py). Never shown.
    record_key = models.PositiveSmallIntegerField(db_default=RandomRecordKey(), editable=False)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "dedupe_key"], name="conversation_once_per_key"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__lte=10), name="conversation_rating_0_to_10"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-occurred_on"], name="conversation_org_date"),
            models.Index(fields=["activity", "-occurred_on"], name="conversation_activity_date"),
            models.Index(fields=["channel"], name="conversation_channel"),
            # A channel filter within one organisation, newest first, without a table walk.
            models.Index(
                fields=["organisation", "channel", "-occurred_on"], name="conversation_org_channel_date"
            ),
            # Reach counts every answer of a set in one GROUP BY over these columns, in
            # this order: SQLite reads them from this index, already in order, instead
            # of sorting the wide rows; the filters' columns follow (ADR 0022). Paid for
            # on each imported row.
            models.Index(
                fields=[
                    "age_band",
                    "sex",
                    "ethnic_group",
                    "disability",
                    "carer",
                    "imd_decile",
                    "organisation",
                    "activity",
                    "occurred_on",
                    "ward_code",
                    "record_key",
                ],
                name="conversation_reach",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}, {self.occurred_on}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed: nothing was imported"


class ImportTemplate(models.Model):
    """A named mapping from a source's columns to conversation fields, kept for the next
    file from the same source. Built-in templates have no organisation."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="import_templates"
    )
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    mapping = models.JSONField(help_text="Conversation field to the source column's heading.")
    defaults = models.JSONField(
        default=dict, help_text="Values for fields the file does not have, such as the channel."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="import_template_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ImportJobQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class ImportJob(UploadedFileJob):
    """One import of one file, run in the background; all its rows land together or none."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="import_jobs")
    activity = models.ForeignKey(
        "activities.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="import_jobs"
    )
    file_sha256 = models.CharField(max_length=64)
    mapping = models.JSONField()
    defaults = models.JSONField(default=dict)
    template_name = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One import at a time for each organisation; the others wait in line, queued.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status=ImportStatus.RUNNING),
                name="import_one_running_per_organisation",
            ),
            # A file waiting or being imported is not queued again (a second click).
            models.UniqueConstraint(
                fields=["organisation", "file_sha256"],
                condition=models.Q(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]),
                name="import_file_once_in_line",
            ),
        ]

    def __str__(self) -> str:
        return self.file_name


class ImportRejection(models.Model):
    """A row that was not imported, with where and why, for the import report."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rejections")
    line = models.PositiveIntegerField()
    column = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=500)

    class Meta:
        ordering = ["line", "id"]

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"
