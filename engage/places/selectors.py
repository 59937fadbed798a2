"""Reading the reference data: which editions are loaded, an area's deprivation, the
places of postcodes, census counts, the ward lookup's districts and wards, and the
reference loads queued or done."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count

from engage.places.models import (
    Boundary,
    CensusCount,
    CensusDimension,
    DeprivationArea,
    ImdEdition,
    Postcode,
    ReferenceJob,
    ReferenceKind,
    ReferenceLoad,
    Ward,
)


def imd_edition() -> ImdEdition:
    """The Indices of Deprivation edition reach uses (ENGAGE_IMD_EDITION, 2025 by default)."""
    return ImdEdition(settings.ENGAGE_IMD_EDITION)


def reference_load_list(limit: int = 20) -> list[ReferenceLoad]:
    return list(ReferenceLoad.objects.select_related("loaded_by")[:limit])


def deprivation_area_counts() -> dict[str, int]:
    """LSOAs loaded, by edition."""
    return {
        row["edition"]: row["areas"]
        for row in DeprivationArea.objects.values("edition").annotate(areas=Count("id")).order_by("edition")
    }


def deprivation_area_get(*, lsoa_code: str, edition: ImdEdition | None = None) -> DeprivationArea | None:
    found: DeprivationArea | None = DeprivationArea.objects.filter(
        edition=edition or imd_edition(), lsoa_code=lsoa_code.strip().upper()
    ).first()
    return found


# Values per `__in` look-up, within SQLite's limit on a statement's parameters.
IN_BATCH = 900


def in_batches(values: Iterable[str]) -> Iterator[list[str]]:
    """The values, sorted and cut into lists short enough for one `__in` look-up."""
    ordered = sorted(values)
    for start in range(0, len(ordered), IN_BATCH):
        yield ordered[start : start + IN_BATCH]


def postcode_count() -> int:
    return Postcode.objects.count()


def postcodes_get(postcodes: set[str]) -> dict[str, Postcode]:
    """The loaded postcodes among these (normalised: upper case, no spaces), by postcode."""
    found: dict[str, Postcode] = {}
    for batch in in_batches(postcodes):
        for postcode in Postcode.objects.filter(postcode__in=batch):
            found[postcode.postcode] = postcode
    return found


@dataclass(frozen=True)
class Place:
    """Where a postcode lies, for a conversation: its LSOA (of the edition in use), ward
    and national deprivation decile (None where the deprivation file is not loaded)."""

    lsoa_code: str
    ward_code: str
    imd_decile: int | None


NO_PLACE = Place(lsoa_code="", ward_code="", imd_decile=None)


def places_for_postcodes(postcodes: set[str]) -> dict[str, Place]:
    """The places of these whole postcodes (upper case, no spaces); postcodes not in the
    lookup are left out. Two queries for every IN_BATCH postcodes."""
    if not postcodes:
        return {}
    edition = imd_edition()
    found = postcodes_get(postcodes)
    lsoa_of = {
        postcode: (row.lsoa_2021 if edition == ImdEdition.IOD_2025 else row.lsoa_2011)
        for postcode, row in found.items()
    }
    deciles: dict[str, int] = {}
    for batch in in_batches({code for code in lsoa_of.values() if code}):
        deciles.update(
            DeprivationArea.objects.filter(edition=edition, lsoa_code__in=batch).values_list(
                "lsoa_code", "imd_decile"
            )
        )
    return {
        postcode: Place(
            lsoa_code=lsoa_of[postcode], ward_code=row.ward_code, imd_decile=deciles.get(lsoa_of[postcode])
        )
        for postcode, row in found.items()
    }


def postcode_lookup_loaded() -> bool:
    return Postcode.objects.exists()


def census_area_counts() -> dict[str, int]:
    """Areas with census counts, by dimension (its label)."""
    rows = (
        CensusCount.objects.values("dimension")
        .annotate(areas=Count("area_code", distinct=True))
        .order_by("dimension")
    )
    return {str(CensusDimension(row["dimension"]).label): row["areas"] for row in rows}


def census_counts(*, dimension: str, area_codes: list[str]) -> dict[str, int]:
    """A dimension's population by category, over these areas together."""
    totals: dict[str, int] = {}
    for batch in in_batches(area_codes):
        rows = CensusCount.objects.filter(dimension=dimension, area_code__in=batch).values_list(
            "category", "count"
        )
        for category, count in rows:
            totals[category] = totals.get(category, 0) + count
    return totals


@dataclass(frozen=True)
class ReferenceStatus:
    """What reference data is loaded, for the pages and `engage reach status`."""

    deprivation_areas: dict[str, int]  # edition -> LSOAs
    postcodes: int
    census_areas: dict[str, int]  # dimension label -> areas
    boundaries: dict[str, int]  # kind -> areas
    illustrative: bool
    wards: int = 0


def reference_status() -> ReferenceStatus:
    return ReferenceStatus(
        deprivation_areas=deprivation_area_counts(),
        postcodes=postcode_count(),
        census_areas=census_area_counts(),
        boundaries={
            row["kind"]: row["areas"]
            for row in Boundary.objects.values("kind").annotate(areas=Count("id")).order_by("kind")
        },
        illustrative=ReferenceLoad.objects.filter(kind=ReferenceKind.ILLUSTRATIVE).exists(),
        wards=Ward.objects.count(),
    )


def reference_job_list(limit: int = 10) -> list[ReferenceJob]:
    return list(ReferenceJob.objects.select_related("created_by", "load")[:limit])


def reference_job_get(job_id: int) -> ReferenceJob | None:
    found: ReferenceJob | None = ReferenceJob.objects.select_related("load").filter(pk=job_id).first()
    return found


@dataclass(frozen=True)
class District:
    """A local authority district, as the loaded ward lookup names it."""

    code: str
    name: str
    wards: int


def district_list() -> list[District]:
    """Every district of the loaded ward lookup, by name."""
    rows = (
        Ward.objects.values("local_authority_code", "local_authority_name")
        .annotate(wards=Count("id"))
        .order_by("local_authority_name", "local_authority_code")
    )
    return [District(row["local_authority_code"], row["local_authority_name"], row["wards"]) for row in rows]


def district_find(text: str) -> tuple[District | None, list[District]]:
    """The district `text` names, by its code or its whole name (any case); else none
    and up to five whose names are like it, to suggest."""
    wanted = " ".join(text.split()).casefold()
    districts = district_list()
    for district in districts:
        if wanted in (district.code.casefold(), district.name.casefold()):
            return district, []
    by_name = {district.name.casefold(): district for district in districts}
    alike = difflib.get_close_matches(wanted, list(by_name), n=5, cutoff=0.6)
    starting = [d for d in districts if wanted and d.name.casefold().startswith(wanted)]
    suggested = list(dict.fromkeys([*starting, *(by_name[name] for name in alike)]))[:5]
    return None, suggested


def ward_list(*, local_authority_code: str) -> list[Ward]:
    """The loaded lookup's wards of one district, by name."""
    return list(Ward.objects.filter(local_authority_code=local_authority_code).order_by("name"))
