"""Invented people's names for the demo partnership.

Castlebridge is a made-up borough modelled on the Black Country and south Birmingham,
where the source documents come from, so its people come from many communities. Each
community has its own given and family names, so that a person's two names belong
together ("Gurpreet Sandhu", not "Gurpreet Kowalski"). The weights are a rough,
invented picture of such a borough, not census figures.

These are lists of common names, not real people; we keep our own lists rather than
use a fake-data package, so the demo needs nothing beyond the project's dependencies
and its names do not change when that package changes.

The names are data, in data/names.toml; this module reads them once and picks from them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from engage.demo.datafiles import data_file


@dataclass(frozen=True)
class Community:
    name: str
    weight: int
    given_names: tuple[str, ...]
    family_names: tuple[str, ...]


COMMUNITIES: tuple[Community, ...] = tuple(
    Community(
        table.text("name"),
        table.integer("weight"),
        given_names=table.texts("given_names"),
        family_names=table.texts("family_names"),
    )
    for table in data_file("names").tables("communities")
)


def pick_name(rng: random.Random) -> tuple[str, str]:
    """A given and family name from one community, chosen by the communities' weights."""
    community = rng.choices(COMMUNITIES, weights=[c.weight for c in COMMUNITIES])[0]
    return rng.choice(community.given_names), rng.choice(community.family_names)
