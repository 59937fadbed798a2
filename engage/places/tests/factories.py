"""Reference data made quickly for tests: areas with their deprivation, census counts,
reference jobs, and ward lookups in the ONS layout."""

from __future__ import annotations

import csv
from pathlib import Path

import factory

from engage.places.models import CensusCount, DeprivationArea, ReferenceJob, ReferenceKind


class ReferenceJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferenceJob

    kind = ReferenceKind.POSTCODES
    file_name = factory.Sequence(lambda n: f"lookup-{n}.csv")
    stored_path = factory.LazyAttribute(lambda job: f"/nowhere/{job.file_name}")


def census_add(area_code: str, dimension: str, counts: dict[str, int], source: str = "TS009") -> None:
    CensusCount.objects.bulk_create(
        CensusCount(dimension=dimension, category=category, area_code=area_code, count=count, source=source)
        for category, count in counts.items()
    )


def lsoa_add(
    code: str, *, decile: int, population: int, authority: str = "E08000027", edition: str = "2025"
) -> None:
    DeprivationArea.objects.create(
        edition=edition,
        lsoa_code=code,
        lsoa_name=f"Area {code}",
        local_authority_code=authority,
        local_authority_name="Dudley",
        imd_score=50.0 - decile,
        imd_rank=decile * 3000,
        imd_decile=decile,
        population=population,
    )


# The ONS Ward to Local Authority District Lookup's columns, as the Open Geography Portal
# publishes them (the year changes with each edition), and a few rows of two districts.
WARD_LOOKUP_HEADINGS = ["WD24CD", "WD24NM", "WD24NMW", "LAD24CD", "LAD24NM", "LAD24NMW", "ObjectId"]
WARD_LOOKUP_ROWS = [
    ["E05014780", "Amblecote", "", "E08000027", "Dudley", "", "1"],
    ["E05014781", "Belle Vale", "", "E08000027", "Dudley", "", "2"],
    ["E05014782", "Brierley Hill", "", "E08000027", "Dudley", "", "3"],
    ["E05014783", "Brockmoor and Pensnett", "", "E08000027", "Dudley", "", "4"],
    ["E05011294", "Abbey", "", "E08000028", "Sandwell", "", "5"],
    ["E05011295", "Blackheath", "", "E08000028", "Sandwell", "", "6"],
    ["W05001024", "Aberdaron", "Aberdaron", "W06000002", "Gwynedd", "Gwynedd", "7"],
]


def ward_lookup_write(
    path: Path,
    rows: list[list[str]] | None = None,
    headings: list[str] | None = None,
    encoding: str = "utf-8-sig",
) -> Path:
    """A ward lookup in the ONS layout (UTF-8 with a byte order mark, as the portal's are)."""
    with path.open("w", newline="", encoding=encoding) as out:
        writer = csv.writer(out)
        writer.writerow(headings or WARD_LOOKUP_HEADINGS)
        writer.writerows(WARD_LOOKUP_ROWS if rows is None else rows)
    return path
