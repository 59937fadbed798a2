"""Reference data made quickly for tests: areas with their deprivation, census counts,
and reference jobs."""

from __future__ import annotations

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
