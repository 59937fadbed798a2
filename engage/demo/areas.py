"""The areas of Castlebridge the partners engage in: the whole place, its localities and
their wards.

The localities are the borough's towns (places.py). The one that shares the borough's
name is called Castlebridge Central, so that nobody confuses the town with the whole
place in a list. Every ward is invented, and so are the codes: real ward codes from the
Office for National Statistics start E05, and these start DEMO so they never pass for one.
"""

from __future__ import annotations

from dataclasses import dataclass

from engage.demo.places import BOROUGH

PLACE = BOROUGH
PLACE_CODE = "DEMO-P"


@dataclass(frozen=True)
class LocalitySpec:
    town: str  # the town in places.py
    name: str
    wards: tuple[str, ...]
    # Wards among the most deprived tenth of neighbourhoods in England, where the
    # partnership's health inequalities work goes.
    deprived: tuple[str, ...] = ()


LOCALITIES: tuple[LocalitySpec, ...] = (
    LocalitySpec(
        "Castlebridge",
        "Castlebridge Central",
        ("Castle and Priory", "St James's", "Foundry", "Tanhouse", "Market Fields"),
        deprived=("Foundry", "Tanhouse"),
    ),
    LocalitySpec(
        "Harrowmere",
        "Harrowmere",
        ("Harrowmere North", "Harrowmere South", "Kingsmead", "Cedars"),
        deprived=("Harrowmere South",),
    ),
    LocalitySpec(
        "Ambley Cross",
        "Ambley Cross",
        ("Ambley Cross East", "Ambley Cross West", "Canal Side", "Malthouse"),
        deprived=("Ambley Cross East", "Canal Side"),
    ),
    LocalitySpec(
        "Wyrebrook",
        "Wyrebrook",
        ("Wyrebrook Central", "High Oak", "Netherwood", "Glassworks"),
        deprived=("Glassworks",),
    ),
    LocalitySpec(
        "Stonehale",
        "Stonehale",
        ("Stonehale East", "Stonehale West", "Greenacres", "Lime Kiln"),
        deprived=("Stonehale East",),
    ),
    LocalitySpec("Coldwell Heath", "Coldwell Heath", ("Coldwell Heath Village", "Moorfields", "Church View")),
    LocalitySpec("Pennock", "Pennock", ("Pennock Village", "Oakham", "Chapel Row")),
    LocalitySpec(
        "Lyefold", "Lyefold", ("Lyefold Central", "Holly Bank", "The Ridge"), deprived=("Lyefold Central",)
    ),
    LocalitySpec(
        "Brindley Vale",
        "Brindley Vale",
        ("Brindley Vale North", "Woodside", "Elm Tree", "Abbey Fields"),
        deprived=("Brindley Vale North",),
    ),
)

LOCALITY_BY_TOWN: dict[str, str] = {locality.town: locality.name for locality in LOCALITIES}


def locality_code(index: int) -> str:
    return f"DEMO-L{index + 1}"


def ward_code(locality_index: int, ward_index: int) -> str:
    return f"DEMO-W{locality_index + 1}{ward_index + 1}"


def demo_area_names() -> tuple[tuple[str, str], ...]:
    """Every (kind, name) the demo creates, so that a reset removes exactly those."""
    return (
        ("place", PLACE),
        *(("locality", locality.name) for locality in LOCALITIES),
        *(("ward", ward) for locality in LOCALITIES for ward in locality.wards),
    )
