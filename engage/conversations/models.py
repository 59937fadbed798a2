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
from engage.partners.models import ConsentMethod, Organisation, Person


class Channel(models.TextChoices):
    SURVEY = "survey", "Survey"
    EVENT = "event", "Event"
    PHONE = "phone", "Phone call"
    WEB_FORM = "web_form", "Web form"
    SOCIAL_MEDIA = "social_media", "Social media"
    FRIENDS_AND_FAMILY_TEST = "fft", "Friends and Family Test"
    HEALTHWATCH = "healthwatch", "Healthwatch"
    OTHER = "other", "Other"


# The bank's one rating scale, the Friends and Family Test's: every rating is kept on it,
# whatever scale the file gave it on (imports/ratings.py, ADR 0040).
RATING_WORDS = {1: "very good", 2: "good", 3: "neither good nor poor", 4: "poor", 5: "very poor"}


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
    # Whether a grant of consent to quote stands now (QuoteConsent keeps each grant, its
    # date, method and source, and its withdrawal); written only with those records, by
    # engage/conversations/quotes/services.py and the import, so a filter needs no join.
    consent_to_quote = models.BooleanField(default=False)
    consent_to_contact = models.BooleanField(default=False)
    # The person who said it, where the organisation holds them: linked by hand, or at
    # import where the respondent reference is the email of exactly one of its people.
    # Withdrawing their consent to be quoted withdraws it for all they said.
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
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

    @property
    def rating_text(self) -> str:
        """The rating as a person reads it, such as "1 (very good)"; "" for none."""
        if self.rating is None:
            return ""
        words = RATING_WORDS.get(self.rating)
        return f"{self.rating} ({words})" if words else str(self.rating)


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed: nothing was imported"
    # Read whole, but not landed: its comments and ratings disagree so much that they
    # look upside down. The file is kept until a person says which end of the scale is
    # best (it is then queued again) or cancels, or for a day (ADR 0040).
    HELD = "held", "Waiting for you to check the ratings"


class RatingBest(models.TextChoices):
    LOWEST = "lowest", "The lowest number"
    HIGHEST = "highest", "The highest number"


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
    # Conversations linked to one of the organisation's people by their respondent
    # reference (an email on exactly one person's record).
    linked = models.PositiveIntegerField(default=0)
    # Rows whose demographics were dropped: neither a column nor the import said the
    # person agreed to them being held.
    demographics_dropped = models.PositiveIntegerField(default=0)
    # How the file's ratings were read, for the report: the column (blank where the file
    # had none), its range and which end is best. Each rating was converted from these
    # to the bank's one scale, 1 very good to 5 very poor (imports/ratings.py, ADR 0040).
    rating_column = models.CharField(max_length=200, blank=True)
    rating_low = models.PositiveSmallIntegerField(default=1)
    rating_high = models.PositiveSmallIntegerField(default=5)
    rating_best = models.CharField(max_length=8, choices=RatingBest.choices, default=RatingBest.LOWEST)
    # Whether ratings were converted as they came in; imports made before ratings were put
    # on one scale kept them as the file gave them.
    ratings_converted = models.BooleanField(default=True)
    # A person looked at how the comments and ratings disagree and said the ratings are
    # read the right way round: the import does not stop to ask again.
    ratings_confirmed = models.BooleanField(default=False)
    # While HELD: the counts and a few examples of the disagreement (imports/ratings.py),
    # comments' words included, so it is emptied when the job leaves HELD.
    rating_check = models.JSONField(null=True, blank=True)
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
            # A file waiting, being imported or held for a check is not queued again (a
            # second click, or the same file uploaded again while its ratings wait).
            models.UniqueConstraint(
                fields=["organisation", "file_sha256"],
                condition=models.Q(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.HELD]),
                name="import_file_once_in_line",
            ),
            models.CheckConstraint(
                condition=models.Q(rating_low__lt=models.F("rating_high"), rating_high__lte=10),
                name="import_rating_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.file_name


class ImportRejection(models.Model):
    """A row that was not imported, with where and why, and what it held, for the import
    report and its download: `cells` is the row as the file had it, `[[heading, value],
    ...]` in the file's order (a list, which keeps its order in PostgreSQL's jsonb too),
    except that a postcode keeps only its district, as the bank does. Kept as long as the
    retention rule for import rejections says (engage/retention)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rejections")
    line = models.PositiveIntegerField()
    column = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=500)
    cells = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["line", "id"]

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class QuoteConsentSource(models.TextChoices):
    IMPORT = "import", "An imported file"
    FORM = "form", "The public feedback form"
    STAFF = "staff", "Recorded by staff"


class QuoteConsentQuerySet(OrganisationScopedQuerySet):
    organisation_path = "conversation__organisation"

    def standing(self) -> QuoteConsentQuerySet:
        return self.filter(withdrawn_on__isnull=True)


class QuoteConsent(models.Model):
    """One grant of consent to quote one conversation in public: when, how and where it
    was given, and when it was withdrawn. Withdrawing closes the grant (the row stays as
    the record); giving it again opens a new one. At most one stands at a time."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="quote_consents")
    given_on = models.DateField()
    method = models.CharField(max_length=20, choices=ConsentMethod.choices, blank=True)
    source = models.CharField(max_length=10, choices=QuoteConsentSource.choices)
    source_detail = models.CharField(max_length=200, blank=True, help_text="Such as the file's name.")
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_method = models.CharField(max_length=20, choices=ConsentMethod.choices, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = QuoteConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation"],
                condition=Q(withdrawn_on__isnull=True),
                name="quote_consent_one_standing_grant",
            ),
        ]

    def __str__(self) -> str:
        return f"consent to quote {self.conversation_id} ({'withdrawn' if self.withdrawn_on else 'given'})"


class QuoteStatus(models.TextChoices):
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class QuoteQuerySet(OrganisationScopedQuerySet):
    organisation_path = "conversation__organisation"

    def published(self) -> QuoteQuerySet:
        """What may be shown to partners and the public: approved, and consent stands."""
        return self.filter(status=QuoteStatus.APPROVED, conversation__consent_to_quote=True)


class Quote(models.Model):
    """A member of staff of the organisation that heard a conversation decided whether
    its words may be quoted outside it, and in what words: its redacted text, with more
    taken out by hand where they chose. A conversation with consent and no Quote waits
    for that decision; withdrawing consent deletes the Quote."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="quote")
    status = models.CharField(max_length=10, choices=QuoteStatus.choices)
    text = models.TextField(blank=True, help_text="What is quoted; empty where rejected.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()
    # Public pages are cached by what they show (engage/decisions/public.py): a change
    # here moves the time, and a deletion the count, of the activity's quotes.
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuoteQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["status", "conversation"], name="quote_status")]

    def __str__(self) -> str:
        return f"quote of {self.conversation_id} ({self.status})"
