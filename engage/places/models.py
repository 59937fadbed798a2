"""Reference data about the places people live, loaded once from the files the
statistics bodies publish (no download by the software), against which the reach of
engagement is measured.

None of it is personal data: it describes small areas (LSOAs, about 1,500 people each)
and is published openly, so it is shared by every partner and needs no scoping.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from engage.core.models import UploadedFileJob


class ImdEdition(models.TextChoices):
    """The English Indices of Deprivation editions, on the LSOAs of their census."""

    IOD_2025 = "2025", "Indices of Deprivation 2025 (2021 LSOAs)"
    IOD_2019 = "2019", "Indices of Deprivation 2019 (2011 LSOAs)"


class DeprivationArea(models.Model):
    """One LSOA's Index of Multiple Deprivation, from the edition's "File 7"."""

    edition = models.CharField(max_length=4, choices=ImdEdition.choices)
    lsoa_code = models.CharField(max_length=9)
    lsoa_name = models.CharField(max_length=100)
    local_authority_code = models.CharField(max_length=9)
    local_authority_name = models.CharField(max_length=100)
    imd_score = models.FloatField()
    imd_rank = models.PositiveIntegerField(help_text="1 is the most deprived LSOA in England.")
    imd_decile = models.PositiveSmallIntegerField(help_text="1 is the most deprived 10% nationally.")
    population = models.PositiveIntegerField(
        help_text="The file's population denominator (mid-year, without prisoners)."
    )

    class Meta:
        db_table = "reach_deprivationarea"  # kept from when these lived in reach (ADR 0031)
        ordering = ["edition", "lsoa_code"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "lsoa_code"], name="deprivation_once_per_lsoa"),
            models.CheckConstraint(
                condition=models.Q(imd_decile__gte=1, imd_decile__lte=10), name="deprivation_decile_1_to_10"
            ),
        ]
        indexes = [models.Index(fields=["edition", "local_authority_code"], name="deprivation_by_authority")]

    def __str__(self) -> str:
        return f"{self.lsoa_code} ({self.edition}): decile {self.imd_decile}"

    @property
    def core20(self) -> bool:
        """Among the most deprived 20% of LSOAs in England ("Core20"): national deciles
        1 and 2, never re-ranked within the area."""
        return self.imd_decile <= 2


class ReferenceKind(models.TextChoices):
    IMD = "imd", "Index of Multiple Deprivation (File 7)"
    POSTCODES = "postcodes", "Postcode lookup"
    CENSUS = "census", "Census 2021 table"
    BOUNDARIES = "boundaries", "Boundaries (GeoJSON)"
    WARDS = "wards", "Ward to local authority lookup"
    # The demo's made-up population, used only where no real file is loaded.
    ILLUSTRATIVE = "illustrative", "Illustrative population (not real figures)"


class ReferenceLoad(models.Model):
    """A reference file that was loaded: what, from which file, how many rows, by whom."""

    kind = models.CharField(max_length=12, choices=ReferenceKind.choices)
    edition = models.CharField(max_length=20, blank=True)
    file_name = models.CharField(max_length=255)
    rows = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "reach_referenceload"  # kept from when these lived in reach (ADR 0031)
        ordering = ["-loaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.edition} from {self.file_name}"


class Postcode(models.Model):
    """A postcode and the areas it lies in, from the ONS postcode directory (or the
    National Statistics Postcode Lookup, or the ONS postcode to OA, LSOA, MSOA and LAD
    lookup). Terminated postcodes are kept: people still write them."""

    postcode = models.CharField(max_length=7, unique=True, help_text="Upper case, without spaces: DY11HF.")
    lsoa_2011 = models.CharField(max_length=9, blank=True)
    lsoa_2021 = models.CharField(max_length=9, blank=True)
    ward_code = models.CharField(max_length=9, blank=True)
    local_authority_code = models.CharField(max_length=9, blank=True)
    terminated = models.CharField(
        max_length=6, blank=True, help_text="Year and month it was withdrawn (YYYYMM)."
    )

    class Meta:
        db_table = "reach_postcode"  # kept from when these lived in reach (ADR 0031)
        ordering = ["postcode"]
        # The wards and LSOAs of the partnership's local authorities, read from the
        # index alone.
        indexes = [
            models.Index(
                fields=["local_authority_code", "ward_code", "lsoa_2021", "lsoa_2011"],
                name="postcode_by_authority",
            )
        ]

    def __str__(self) -> str:
        return self.postcode


class CensusDimension(models.TextChoices):
    """The sides of a population reach is measured on, from the Census 2021 tables."""

    SEX = "sex", "Sex (TS009)"
    AGE = "age", "Age (TS009)"
    ETHNIC_GROUP = "ethnic_group", "Ethnic group (TS021, TS022)"
    DISABILITY = "disability", "Disability (TS038)"
    UNPAID_CARE = "unpaid_care", "Unpaid care (TS039)"


class CensusCount(models.Model):
    """How many usual residents of an area (an LSOA or a local authority) are in one
    category of one dimension, as a Census 2021 table gives it."""

    dimension = models.CharField(max_length=16, choices=CensusDimension.choices)
    category = models.CharField(
        max_length=200, help_text="The census's own wording, such as 'Aged 20 to 24 years'."
    )
    area_code = models.CharField(max_length=9)
    count = models.PositiveIntegerField()
    source = models.CharField(max_length=10, help_text="The census table, such as TS009.")

    class Meta:
        db_table = "reach_censuscount"  # kept from when these lived in reach (ADR 0031)
        ordering = ["dimension", "area_code", "category"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "area_code", "category"], name="census_count_once"),
        ]
        indexes = [models.Index(fields=["dimension", "category"], name="census_by_category")]

    def __str__(self) -> str:
        return f"{self.area_code} {self.dimension} {self.category}: {self.count}"


class BoundaryKind(models.TextChoices):
    WARD = "ward", "Ward"
    LSOA = "lsoa", "LSOA"


class Boundary(models.Model):
    """An area's outline for the reach map, from a GeoJSON file of the ONS geography
    portal, simplified when loaded so a borough's wards draw quickly."""

    kind = models.CharField(max_length=4, choices=BoundaryKind.choices)
    code = models.CharField(max_length=9)
    name = models.CharField(max_length=120)
    # [[x, y], ...] rings: longitude and latitude, or eastings and northings.
    rings = models.JSONField()
    projected = models.BooleanField(
        default=False, help_text="British National Grid, not longitude and latitude."
    )

    class Meta:
        db_table = "reach_boundary"  # kept from when these lived in reach (ADR 0031)
        ordering = ["kind", "code"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="boundary_once_per_area")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code} {self.name}"


class Ward(models.Model):
    """A ward and its local authority district, as the ONS ward lookup lists them: the
    list a partnership picks its place from and takes its wards from. Reference data
    like postcodes; the partnership's own areas (which it names, groups and retires)
    are engage.activities' Area, made from these by their codes."""

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=120)
    local_authority_code = models.CharField(max_length=9)
    local_authority_name = models.CharField(max_length=100)
    edition = models.CharField(max_length=8, help_text="The lookup's ward column, such as WD24CD.")

    class Meta:
        ordering = ["local_authority_name", "name"]
        indexes = [models.Index(fields=["local_authority_code", "name"], name="ward_by_district")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code}), {self.local_authority_name}"


class ReferenceJobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Loading"
    SUCCEEDED = "succeeded", "Loaded"
    FAILED = "failed", "Failed: nothing was changed"


class ReferenceJob(UploadedFileJob):
    """A reference file uploaded on the administrator's page, loaded by the worker."""

    kind = models.CharField(max_length=12, choices=ReferenceKind.choices)
    size_bytes = models.PositiveBigIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=ReferenceJobStatus.choices, default=ReferenceJobStatus.QUEUED
    )
    load = models.ForeignKey(ReferenceLoad, null=True, blank=True, on_delete=models.SET_NULL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        db_table = "reach_referencejob"  # kept from when these lived in reach (ADR 0031)
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.file_name}: {self.get_status_display()}"
