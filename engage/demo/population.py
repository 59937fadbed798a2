"""Castlebridge's illustrative population, so the demo shows reach before anyone has
loaded the official files. Made up, and labelled so wherever it is used.

About 320,000 residents, shaped like a Black Country borough: a town's share of them
follows its weight in places.py, split between the wards of its locality (areas.py);
each ward has four small areas standing in for LSOAs, with a national deprivation
decile (1 or 2 in the wards areas.py marks as deprived, 3 to 10 elsewhere). The census
counts for the whole borough are in the census's own categories, so reach treats them
exactly as it would the real tables.

The demo's conversations are placed in these wards and small areas (`place_for`), the
deprived ones answering less often, as the partnership's own documents say they do;
with the young answering less often too (conversations.py), the demo's reach has real
gaps to find.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from engage.demo import places
from engage.demo.areas import LOCALITIES, ward_code
from engage.reach.report import ILLUSTRATIVE_AREA

# The borough, standing for its local authority: the code reach looks for.
AREA_CODE = ILLUSTRATIVE_AREA
RESIDENTS = 320_000
SMALL_AREAS_PER_WARD = 4
# Residents of deprived wards answer this much less often than others, within a district
# (on top of the district's own lower rate in conversations.py).
DEPRIVED_WARD_RESPONSE = 0.5


@dataclass(frozen=True)
class DemoWard:
    code: str
    name: str
    town: str
    deprived: bool
    residents: int


@dataclass(frozen=True)
class DemoSmallArea:
    code: str  # the ward's code and a letter: DEMO-W11A
    name: str
    ward_code: str
    decile: int
    residents: int


def _wards() -> tuple[DemoWard, ...]:
    weights = {town.name: town.weight for town in places.TOWNS}
    total = sum(weights[locality.town] for locality in LOCALITIES)
    wards = []
    for locality_index, locality in enumerate(LOCALITIES):
        town_residents = RESIDENTS * weights[locality.town] / total
        for ward_index, name in enumerate(locality.wards):
            wards.append(
                DemoWard(
                    code=ward_code(locality_index, ward_index),
                    name=name,
                    town=locality.town,
                    deprived=name in locality.deprived,
                    residents=round(town_residents / len(locality.wards)),
                )
            )
    return tuple(wards)


WARDS: tuple[DemoWard, ...] = _wards()


def _small_areas() -> tuple[DemoSmallArea, ...]:
    areas = []
    for number, ward in enumerate(WARDS):
        for index in range(SMALL_AREAS_PER_WARD):
            # Deprived wards: deciles 1 and 2; elsewhere spread over 3 to 10 so every
            # quintile has residents.
            decile = 1 + (index % 2) if ward.deprived else 3 + (number * SMALL_AREAS_PER_WARD + index) % 8
            areas.append(
                DemoSmallArea(
                    code=f"{ward.code}{'ABCD'[index]}",
                    name=f"{ward.name} {'ABCD'[index]}",
                    ward_code=ward.code,
                    decile=decile,
                    residents=ward.residents // SMALL_AREAS_PER_WARD,
                )
            )
    return tuple(areas)


SMALL_AREAS: tuple[DemoSmallArea, ...] = _small_areas()


def _share(total: int, shares: dict[str, float]) -> dict[str, int]:
    whole = sum(shares.values())
    return {category: round(total * share / whole) for category, share in shares.items()}


def census_counts() -> dict[str, dict[str, int]]:
    """The borough's residents by dimension, in Census 2021's categories."""
    return {
        "age": _share(
            RESIDENTS,
            {
                "Aged 4 years and under": 6.0,
                "Aged 5 to 9 years": 6.2,
                "Aged 10 to 15 years": 7.4,
                "Aged 16 to 19 years": 4.6,
                "Aged 20 to 24 years": 5.6,
                "Aged 25 to 34 years": 13.0,
                "Aged 35 to 49 years": 18.8,
                "Aged 50 to 64 years": 19.4,
                "Aged 65 to 74 years": 10.0,
                "Aged 75 to 84 years": 6.6,
                "Aged 85 years and over": 2.4,
            },
        ),
        "sex": {"Total": RESIDENTS, **_share(RESIDENTS, {"Female": 50.8, "Male": 49.2})},
        "ethnic_group": _share(
            RESIDENTS,
            {
                "White": 78.0,
                "Asian, Asian British or Asian Welsh": 12.5,
                "Black, Black British, Black Welsh, Caribbean or African": 4.0,
                "Mixed or Multiple ethnic groups": 3.5,
                "Other ethnic group": 2.0,
            },
        ),
        "disability": _share(
            RESIDENTS, {"Disabled under the Equality Act": 20.5, "Not disabled under the Equality Act": 79.5}
        ),
        "unpaid_care": _share(
            RESIDENTS - 38_400,  # residents aged 5 and over
            {
                "Provides no unpaid care": 90.0,
                "Provides 19 hours or less unpaid care a week": 5.0,
                "Provides 20 to 49 hours unpaid care a week": 2.0,
                "Provides 50 or more hours unpaid care a week": 3.0,
            },
        ),
    }


@dataclass(frozen=True)
class DemoPlace:
    ward_code: str
    lsoa_code: str
    imd_decile: int


_WARDS_OF_DISTRICT: dict[str, list[DemoWard]] = {}
for _ward in WARDS:
    for _town in places.TOWNS:
        if _town.name == _ward.town:
            for _district in _town.postcode_districts:
                _WARDS_OF_DISTRICT.setdefault(_district, []).append(_ward)
_AREAS_OF_WARD: dict[str, list[DemoSmallArea]] = {}
for _area in SMALL_AREAS:
    _AREAS_OF_WARD.setdefault(_area.ward_code, []).append(_area)


def place_for(district: str, key: int) -> DemoPlace | None:
    """Where someone from a postcode district lives: a ward of a town with that district
    (deprived ones less often) and one of its small areas. Chosen from `key` (the
    conversation's number) alone, so the demo's other random choices stay as they were."""
    wards = _WARDS_OF_DISTRICT.get(district)
    if not wards:
        return None
    rng = random.Random(key)
    weights = [ward.residents * (DEPRIVED_WARD_RESPONSE if ward.deprived else 1.0) for ward in wards]
    ward = rng.choices(wards, weights=weights)[0]
    area = rng.choice(_AREAS_OF_WARD[ward.code])
    return DemoPlace(ward_code=ward.code, lsoa_code=area.code, imd_decile=area.decile)
