"""The made-up borough of Castlebridge: its towns, postcodes, phone numbers and venues.

Castlebridge is fictional so that nobody mistakes demo records for real people or
real services. Its postcodes borrow the shape of the Black Country's "DY" districts so
they look right on a screen; its phone numbers come only from the ranges Ofcom keeps
for drama, which are never given to a real line.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

BOROUGH = "Castlebridge"


@dataclass(frozen=True)
class Town:
    name: str
    weight: int
    postcode_districts: tuple[str, ...]


TOWNS: tuple[Town, ...] = (
    Town("Castlebridge", 24, ("DY1", "DY2")),
    Town("Harrowmere", 14, ("DY3",)),
    Town("Ambley Cross", 12, ("DY4", "DY2")),
    Town("Wyrebrook", 12, ("DY5",)),
    Town("Stonehale", 10, ("DY6",)),
    Town("Coldwell Heath", 9, ("DY8",)),
    Town("Pennock", 7, ("DY9",)),
    Town("Lyefold", 6, ("DY9", "DY8")),
    Town("Brindley Vale", 6, ("DY5", "DY6")),
)

TOWN_NAMES: tuple[str, ...] = tuple(town.name for town in TOWNS)

# The inward code's last two letters never use C, I, K, M, O or V.
_POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def pick_town(rng: random.Random) -> Town:
    return rng.choices(TOWNS, weights=[town.weight for town in TOWNS])[0]


def postcode_in(town: Town, rng: random.Random) -> str:
    district = rng.choice(town.postcode_districts)
    sector = rng.randint(1, 9)
    unit = rng.choice(_POSTCODE_UNIT_LETTERS) + rng.choice(_POSTCODE_UNIT_LETTERS)
    return f"{district} {sector}{unit}"


def phone_number(rng: random.Random) -> str:
    """A number from Ofcom's drama ranges: mostly mobiles, some landlines."""
    kind = rng.random()
    if kind < 0.65:
        return f"07700 900{rng.randint(0, 999):03d}"
    if kind < 0.9:
        return f"0121 496 0{rng.randint(0, 999):03d}"
    return f"01632 960{rng.randint(0, 999):03d}"


# Where people met the partners and said yes (or no) to being contacted again.
VENUES: tuple[str, ...] = (
    "Castlebridge Library",
    "Castlebridge Town Hall",
    "Harrowmere Community Centre",
    "Ambley Cross Leisure Centre",
    "Wyrebrook Market",
    "Stonehale Family Hub",
    "Coldwell Heath Methodist Church Hall",
    "Pennock Miners' Welfare",
    "Lyefold Health Centre",
    "Brindley Vale Children's Centre",
    "Castlebridge College",
    "The Foundry Shopping Centre",
)

EVENTS: tuple[str, ...] = (
    "Big Conversation event",
    "Health and wellbeing roadshow",
    "Carers' Week drop-in",
    "Mental health listening event",
    "Young people's question time",
    "Primary care open day",
    "Community health check",
    "Patient ambassadors' open meeting",
)
