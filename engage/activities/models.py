"""The joined-up engagement register: every partner's engagement activity in one place.

Activities are not personal data: every partner sees every activity. The contact
person is a member of staff of the lead organisation; their own details are shown only
to that organisation, and other partners reach them through the organisation's
contact address (see `contact_route` in selectors).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from engage.partners.models import Organisation


class AreaKind(models.TextChoices):
    PLACE = "place", "Whole place"
    LOCALITY = "locality", "Locality"
    WARD = "ward", "Ward"


class Area(models.Model):
    """A place the partnership works in: the whole place, its localities and their wards.
    An activity in a ward is also in its locality and in the whole place.

    Areas are retired, never deleted: an activity keeps the areas it was in, and its
    page says which are retired. A retired area is not offered for new activities, and
    its name may be used again."""

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=AreaKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField(
        max_length=12, blank=True, help_text="The ONS code, such as E05001234 for a ward."
    )
    retired_on = models.DateField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        help_text="The area it was merged into, when it was retired by a merge.",
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name"],
                condition=models.Q(retired_on__isnull=True),
                name="area_unique_name_per_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """Its name, and that it is retired where it is."""
        return f"{self.name} (retired)" if self.retired_on else self.name


class PartnershipPriority(models.Model):
    """A priority of the Joint Health and Wellbeing Strategy, which engagement serves."""

    title = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]
        verbose_name_plural = "partnership priorities"

    def __str__(self) -> str:
        return self.title


class Stage(models.TextChoices):
    """The stage of the commissioning cycle the activity informs."""

    ANALYSE = "analyse", "Analyse"
    PLAN = "plan", "Plan"
    DO = "do", "Do"
    REVIEW = "review", "Review"


class InvolvementType(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    COLLECTIVE = "collective", "Collective"
    CO_PRODUCTION = "co_production", "Co-production"


class Level(models.TextChoices):
    """Levels of engagement, after the IAP2 spectrum; their order matters."""

    INFORM = "inform", "Inform"
    CONSULT = "consult", "Consult"
    INVOLVE = "involve", "Involve"
    COLLABORATE = "collaborate", "Collaborate"
    EMPOWER = "empower", "Empower"


class Method(models.TextChoices):
    SURVEY = "survey", "Survey"
    FOCUS_GROUP = "focus_group", "Focus group"
    EVENT = "event", "Public event"
    OUTREACH = "outreach", "Outreach at a community venue"
    ONLINE = "online", "Online discussion"
    SOCIAL_MEDIA = "social_media", "Social media"
    CITIZENS_PANEL = "citizens_panel", "Citizens' panel"
    INTERVIEWS = "interviews", "Interviews"
    WORKSHOP = "workshop", "Co-design workshop"
    PUBLIC_MEETING = "public_meeting", "Public meeting"
    STORIES = "stories", "Patient stories"


class TargetGroup(models.TextChoices):
    GENERAL_PUBLIC = "general_public", "The general public"
    SELDOM_HEARD = "seldom_heard", "Seldom-heard groups"
    CHILDREN_YOUNG_PEOPLE = "children_young_people", "Children and young people"
    CARERS = "carers", "Carers"
    OLDER_PEOPLE = "older_people", "Older people"
    DISABLED_PEOPLE = "disabled_people", "Disabled people"
    ETHNIC_MINORITIES = "ethnic_minorities", "Ethnic minority communities"
    MOST_DEPRIVED = "most_deprived", "People in the most deprived areas"
    PATIENTS = "patients", "Patients of a service"
    LGBTQ = "lgbtq", "LGBTQ+ people"
    PEOPLE_WITH_LEARNING_DISABILITIES = "learning_disabilities", "People with learning disabilities"
    STAFF = "staff", "Staff and professionals"


class Status(models.TextChoices):
    PLANNED = "planned", "Planned"
    OPEN = "open", "Open"
    ANALYSING = "analysing", "Analysing"
    FEEDBACK_DUE = "feedback_due", "Feedback due"
    CLOSED = "closed", "Closed"


class ActivitySeries(models.Model):
    """Repeat engagement: "one meeting doesn't constitute engagement"."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="activity_series"
    )

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "activity series"

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    title = models.CharField(max_length=200)
    purpose = models.TextField(help_text="In plain English: what you want to find out, and why.")
    topic = models.CharField(max_length=200)
    priorities = models.ManyToManyField(PartnershipPriority, blank=True, related_name="activities")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    involvement_type = models.CharField(max_length=16, choices=InvolvementType.choices)
    level = models.CharField(max_length=12, choices=Level.choices)
    # Lists of choices as JSON: queried by containment in Python after a date-bounded
    # database filter, which keeps both databases on the same code path.
    methods = models.JSONField(default=list)
    target_groups = models.JSONField(default=list)
    areas = models.ManyToManyField(Area, related_name="activities")
    starts_on = models.DateField()
    ends_on = models.DateField()
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_activities"
    )
    partner_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="partnered_activities"
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.PLANNED)
    feedback_promised_on = models.DateField(null=True, blank=True)
    feedback_given_on = models.DateField(null=True, blank=True)
    series = models.ForeignKey(
        ActivitySeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    # Normalised keywords of title, topic and purpose, kept for overlap detection.
    topic_terms = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "title", "id"]
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["starts_on", "ends_on"], name="activity_dates"),
            models.Index(fields=["status"], name="activity_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="activity_ends_after_it_starts",
                violation_error_message="The end date must be on or after the start date.",
            ),
            models.CheckConstraint(
                condition=Q(feedback_promised_on__isnull=True) | Q(feedback_promised_on__gte=F("ends_on")),
                name="activity_feedback_promised_after_close",
                violation_error_message="Feedback can be promised only for after the activity closes.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class OverlapDecision(models.TextChoices):
    JOINED_UP = "joined_up", "Joined up with"
    NOT_RELATED = "not_related", "Not related"


class OverlapReview(models.Model):
    """What a person decided about a warning that two activities overlap."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="overlap_reviews")
    other = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=12, choices=OverlapDecision.choices)
    note = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "other"], name="overlap_review_once_per_pair"),
            models.CheckConstraint(condition=~Q(activity=F("other")), name="overlap_review_not_with_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.decision} {self.other_id}"


class Screening(models.Model):
    """A completed screening questionnaire, its recommendation and the reasons, kept for
    audit with the version of the rules that produced it."""

    title = models.CharField(max_length=200, help_text="The issue being screened.")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="screenings")
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="screenings"
    )
    answers = models.JSONField()
    recommendation = models.JSONField()
    rules_version = models.CharField(max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
