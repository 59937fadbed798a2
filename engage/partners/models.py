"""Organisations, groups and people, and the consent people gave.

Organisations and groups are not personal data: every partner may see them.
People, their roles, group memberships and consent are personal data and belong to
the organisation that recorded them; they are reached only through
`for_organisation(org)` (see engage.core.scoping).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from engage.core.cell_key import RandomRecordKey
from engage.core.models import UploadedFileJob
from engage.core.scoping import OrganisationScopedQuerySet


class OrganisationKind(models.TextChoices):
    ICB = "icb", "Integrated care board or other NHS commissioner"
    NHS_TRUST = "nhs_trust", "NHS trust"
    GP_PRACTICE = "gp_practice", "GP practice"
    COUNCIL = "council", "Council"
    PUBLIC_HEALTH = "public_health", "Public health"
    HEALTHWATCH = "healthwatch", "Healthwatch"
    POLICE = "police", "Police"
    VCSE = "vcse", "Voluntary, community or social enterprise organisation"
    OTHER = "other", "Other"


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    short_name = models.CharField(max_length=60, blank=True)
    website = models.URLField(blank=True)
    contact_email = models.EmailField(
        blank=True, help_text="A shared address other partners can use, such as engagement@…"
    )
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The codes of the registers partnerships load organisations from, so that loading
    # a register again updates rather than copies (engage.partners.registers).
    # db_default too: rows written by code that predates these columns (an older
    # release's migrations, a test of them) still go in.
    ods_code = models.CharField(
        max_length=10,
        blank=True,
        default="",
        db_default="",
        help_text="The NHS Organisation Data Service code, such as M87001.",
    )
    charity_number = models.CharField(
        max_length=12,
        blank=True,
        default="",
        db_default="",
        help_text="The registered charity number, such as 1012345.",
    )
    postcode = models.CharField(max_length=8, blank=True, default="", db_default="")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ods_code"], condition=~Q(ods_code=""), name="organisation_ods_code_once"
            ),
            models.UniqueConstraint(
                fields=["charity_number"], condition=~Q(charity_number=""), name="organisation_charity_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class GroupKind(models.TextChoices):
    PATIENT_PARTICIPATION = "ppg", "Patient participation group"
    COMMUNITY = "community", "Community group"
    FAITH = "faith", "Faith group"
    CARERS = "carers", "Carers' group"
    YOUNG_PEOPLE = "young_people", "Young people's group"
    STAKEHOLDER_COUNCIL = "stakeholder_council", "Stakeholder council"


class Group(models.Model):
    """A standing group of local people. Its name and purpose are visible to every
    partner; who belongs to it is personal data of the organisation that runs it."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="groups",
        help_text="The organisation that runs the group and holds its members' details.",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=GroupKind.choices)
    gp_practice = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="patient_participation_groups",
        limit_choices_to={"kind": OrganisationKind.GP_PRACTICE},
    )
    description = models.TextField(blank=True)
    area = models.CharField(max_length=120, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="group_unique_name_per_org"),
            models.CheckConstraint(
                condition=Q(kind="ppg", gp_practice__isnull=False) | ~Q(kind="ppg"),
                name="group_ppg_has_practice",
                violation_error_message="A patient participation group must name its GP practice.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"

    def with_consent(self, purpose: str) -> PersonQuerySet:
        """People whose consent for `purpose` stands now (given and not withdrawn)."""
        return self.filter(consents__purpose=purpose, consents__withdrawn_on__isnull=True).distinct()

    def search(self, text: str) -> PersonQuerySet:
        query = Q()
        for word in text.split():
            query &= (
                Q(given_name__icontains=word)
                | Q(family_name__icontains=word)
                | Q(email__icontains=word)
                | Q(postcode__icontains=word)
            )
        return self.filter(query)


class Person(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    notes = models.TextField(blank=True)
    # The organisation's own reference for the person (their number in the list or system
    # it keeps), by which a contact list imported again updates rather than copies them.
    reference = models.CharField(
        max_length=60,
        blank=True,
        default="",
        db_default="",
        help_text="Your organisation's own reference for them, such as their number in another system.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The person's weight in counts published about people (who can be told, emails by
    # status): the cell key method, engage/core/cell_key.py. Drawn by the database; never shown.
    record_key = models.PositiveSmallIntegerField(db_default=RandomRecordKey(), editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["organisation", "family_name", "given_name"], name="person_org_name")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"],
                condition=~Q(reference=""),
                name="person_reference_once_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class PersonRoleKind(models.TextChoices):
    PATIENT_AMBASSADOR = "patient_ambassador", "Patient ambassador"
    CARER = "carer", "Carer"
    VOLUNTEER = "volunteer", "Volunteer"
    STAKEHOLDER_COUNCIL_MEMBER = "stakeholder_council_member", "Stakeholder council member"


class PersonRoleQuerySet(OrganisationScopedQuerySet):
    organisation_path = "person__organisation"


class PersonRole(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=32, choices=PersonRoleKind.choices)
    since = models.DateField(null=True, blank=True)

    objects = PersonRoleQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "role"], name="person_role_unique")]

    def __str__(self) -> str:
        return self.get_role_display()


class GroupMembershipQuerySet(OrganisationScopedQuerySet):
    organisation_path = "person__organisation"


class GroupMembership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="group_memberships")
    joined_on = models.DateField(null=True, blank=True)

    objects = GroupMembershipQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "person"], name="group_membership_unique")]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.group_id}"


class WordsOnErasure(models.TextChoices):
    """What happens to what a person said when their record is erased."""

    DELETE = "delete", "Delete everything they said"
    KEEP_REDACTED = (
        "keep_redacted",
        (
            "Keep what they said, unlinked from them, with personal details taken out "
            "(for example, where it is evidence for a decision)"
        ),
    )


class ConsentPurpose(models.TextChoices):
    CONTACT = "contact", "Contact them again"
    QUOTE = "quote", "Quote what they said in public"
    DEMOGRAPHICS = "demographics", "Hold their demographic data"


class ConsentMethod(models.TextChoices):
    PAPER_FORM = "paper_form", "Paper form"
    ONLINE_FORM = "online_form", "Online form"
    VERBAL = "verbal", "Spoken, recorded by staff"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone call"


class ConsentQuerySet(OrganisationScopedQuerySet):
    organisation_path = "person__organisation"

    def standing(self) -> ConsentQuerySet:
        return self.filter(withdrawn_on__isnull=True)


class Consent(models.Model):
    """One grant of consent for one purpose. Withdrawing closes the grant (the row stays
    as the record that consent was once given); giving it again opens a new one. At most
    one grant per person and purpose stands at a time."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=20, choices=ConsentPurpose.choices)
    given_on = models.DateField()
    method = models.CharField(max_length=20, choices=ConsentMethod.choices)
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where it was given, such as the event or form.",
    )
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_method = models.CharField(max_length=20, choices=ConsentMethod.choices, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["purpose", "-given_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose"],
                condition=Q(withdrawn_on__isnull=True),
                name="consent_one_standing_grant_per_purpose",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]
        indexes = [models.Index(fields=["purpose", "withdrawn_on"], name="consent_purpose_standing")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({'withdrawn' if self.withdrawn_on else 'given'})"

    @property
    def is_standing(self) -> bool:
        return self.withdrawn_on is None


class Register(models.TextChoices):
    """The registers organisations are loaded from (engage.partners.registers)."""

    ODS_GP_PRACTICES = "ods_gp", "NHS ODS: GP practices (epraccur.csv)"
    ODS_TRUSTS = "ods_trusts", "NHS ODS: NHS trusts (etr.csv)"
    ODS_ICBS = "ods_icbs", "NHS ODS: integrated care boards and sub-ICB locations (eccg.csv)"
    CHARITIES = "charities", "Charity Commission register extract (publicextract.charity.txt)"
    TEMPLATE = "template", "Our organisations template (CSV)"


class RegisterJobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Loading"
    SUCCEEDED = "succeeded", "Loaded"
    FAILED = "failed", "Failed: nothing was changed"


class RegisterJob(UploadedFileJob):
    """A register's file uploaded on the organisations page, loaded by the worker (a
    national file is hundreds of thousands of rows), with the areas it was limited to."""

    register = models.CharField(max_length=12, choices=Register.choices)
    postcode_prefixes = models.JSONField(default=list, blank=True)
    commissioners = models.JSONField(default=list, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=RegisterJobStatus.choices, default=RegisterJobStatus.QUEUED
    )
    result = models.TextField(blank=True, help_text="What the load did, in a sentence.")
    rows = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_register_display()} from {self.file_name}: {self.get_status_display()}"


class PeopleImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed: nothing was imported"


class PeopleImportTemplate(models.Model):
    """A mapping of a contact list's columns to people's fields, saved by an organisation
    for the next file from the same source (engage.partners.people_imports)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="people_import_templates"
    )
    name = models.CharField(max_length=120)
    mapping = models.JSONField(help_text="Person field to the heading of the column that holds it.")
    defaults = models.JSONField(default=dict, help_text="What to use where the file does not say.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="people_import_template_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PeopleImportJobQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class PeopleImportJob(UploadedFileJob):
    """One contact list imported into an organisation's people, groups and memberships,
    in the background and in one transaction: all its good rows land, or nothing does."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people_imports")
    mapping = models.JSONField()
    defaults = models.JSONField(default=dict)
    template_name = models.CharField(max_length=120, blank=True)
    status = models.CharField(
        max_length=10, choices=PeopleImportStatus.choices, default=PeopleImportStatus.QUEUED
    )
    rows = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    groups_added = models.PositiveIntegerField(default=0)
    memberships_added = models.PositiveIntegerField(default=0)
    consents_recorded = models.PositiveIntegerField(default=0)
    consents_withdrawn = models.PositiveIntegerField(default=0)
    # Consent the file says was given, not recorded because the person withdrew it later
    # than that: an old list must not bring back what someone took away.
    consents_not_restored = models.PositiveIntegerField(default=0)
    result = models.TextField(blank=True, help_text="What the import did, in a sentence.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PeopleImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class PeopleImportRejectionQuerySet(OrganisationScopedQuerySet):
    organisation_path = "job__organisation"


class PeopleImportRejection(models.Model):
    """A row of a contact list that was not imported: where and why, and the row as the
    file had it (`[[heading, value], ...]`, as conversation imports keep theirs), so it can
    be corrected and imported again. Kept as long as the retention rule says."""

    job = models.ForeignKey(PeopleImportJob, on_delete=models.CASCADE, related_name="rejections")
    line = models.PositiveIntegerField()
    column = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=500)
    cells = models.JSONField(default=list, blank=True)

    objects = PeopleImportRejectionQuerySet.as_manager()

    class Meta:
        ordering = ["line", "id"]

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"
