"""Reports (capability 9): the partnership's annual Local Account, a board assurance paper,
and an activity's report for the people who took part, each as a page, a PDF, a Word
document and, for the public ones, an Easy Read version.

A report keeps its figures (`Report.figures`) as they were worked out, so the same figure
is the same number on the page, in the PDF, in Word and in Easy Read, and a published
report does not change under its readers. Every figure kept has already been through
disclosure control (the apps it comes from publish nothing finer). Quotes are kept only
as the conversation they come from: their words are read each time the report is shown,
through the approved quotes whose consent stands, so a person who withdraws consent is
gone from every report at once. Nothing here is personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from engage.activities.models import Activity, PartnershipPriority
from engage.partners.models import Organisation


class ReportKind(models.TextChoices):
    LOCAL_ACCOUNT = "local_account", "Local Account"
    BOARD_PAPER = "board_paper", "Board assurance paper"
    ACTIVITY = "activity", "Activity report"


# Reports for the public: these have an Easy Read version and aim at a reading age of 11.
PUBLIC_KINDS = frozenset({ReportKind.LOCAL_ACCOUNT, ReportKind.ACTIVITY})


class ReportState(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Report(models.Model):
    """One report: its kind, period and choices, the narrative its writers edit (in
    `ReportSection`), and the figures as they were last worked out."""

    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    title = models.CharField(max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="reports")
    # An activity's report goes with its activity.
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    # Whole months: the first day of the first month and of the last month counted.
    month_from = models.DateField()
    month_to = models.DateField()
    priorities = models.ManyToManyField(PartnershipPriority, blank=True, related_name="reports")
    # The section keys chosen, in order (sections.py lists each kind's).
    sections = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    figures = models.JSONField(default=dict, blank=True)
    figures_built_at = models.DateTimeField(null=True, blank=True)
    building = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month_to", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month_from__lte=models.F("month_to")), name="report_months_in_order"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="activity") | models.Q(activity__isnull=False),
                name="report_activity_has_its_activity",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public_kind(self) -> bool:
        return self.kind in PUBLIC_KINDS

    @property
    def is_published(self) -> bool:
        return self.state == ReportState.PUBLISHED


class ReportSection(models.Model):
    """The narrative of one section, as its writers left it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="narratives")
    key = models.CharField(max_length=40)
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="report_section_once")]

    def __str__(self) -> str:
        return f"{self.report}: {self.key}"


class Pictogram(models.Model):
    """A picture a partnership uploaded for Easy Read (PNG or JPEG, checked on upload),
    beside the shipped set (pictograms.py)."""

    name = models.CharField(max_length=80, unique=True)
    description = models.CharField(
        max_length=200, help_text="What the picture shows, read out to blind readers."
    )
    content_type = models.CharField(max_length=20)
    data = models.BinaryField()
    licence = models.CharField(max_length=200, blank=True)
    # Who uploaded it; every partner may use it in their reports.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="pictograms")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EasyReadPoint(models.Model):
    """One point of a report's Easy Read version: a short sentence or two, key words in
    **bold**, and its picture (a shipped one by name, or an uploaded one)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="easy_read_points")
    section_key = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    picture = models.CharField(max_length=40, blank=True)  # a shipped pictogram's name
    uploaded_picture = models.ForeignKey(
        Pictogram, null=True, blank=True, on_delete=models.SET_NULL, related_name="points"
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class JargonTerm(models.Model):
    """A word or phrase the partnership would rather not use in reports, with a plainer
    one: marked while editing, and swapped when Easy Read is drafted."""

    term = models.CharField(max_length=80, unique=True)
    plain = models.CharField(max_length=200)

    class Meta:
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term
