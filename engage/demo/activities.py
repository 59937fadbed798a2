"""Two years of the Castlebridge partners' engagement activities, as templates.

The templates are data, in data/activities.toml as keyword specs (a key only where it
differs from the default); this module reads them once, checks them and hands the
generator typed specs. So an activity is added or reworded in the file, not in code.

Every partner engages: the ICB on its commissioning plans, the council on social care
and its budget, public health on prevention, both trusts on their services, Healthwatch
on people's experience, the CVS with the voluntary sector, the police on community
safety, and the voluntary groups with the communities they serve. Titles and purposes
are written as a partner would write them for the public.

Three kinds of template:

- `ONE_OFF`: placed at random over the two years before the reference date and the
  three months after it; a `yearly` one runs once in each of the two years, at about
  the same time of year, with the year in its title.
- `SERIES`: repeat engagement ("one meeting doesn't constitute engagement"): a meeting,
  stall or forum held every so often, its theme or locality changing each time.
- `OVERLAPS`: pairs placed on fixed days before (or after) the reference date, led by
  different partners, in the same or nested areas, within a fortnight of each other, on
  the same topic with the same people: the overlaps the register must warn about.

The gaps are deliberate too: nothing engages on the uncovered priority (priorities.py),
and children and young people are asked about mental health only once (`THIN_COVERAGE`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, fields
from typing import Any, Literal, get_args

from engage.activities.models import InvolvementType, Level, Method, Stage, TargetGroup
from engage.demo.datafiles import DemoDataError, Table, data_file

Reach = Literal["place", "locality", "localities", "ward"]
REACHES: tuple[Reach, ...] = get_args(Reach)


@dataclass(frozen=True)
class ActivitySpec:
    lead: str  # an organisation key (organisations.py), or "practice:<name>" for a GP practice
    title: str  # may hold {year}, and in a series {month}, {theme}, {locality} and {venue}
    topic: str
    purpose: str
    priorities: tuple[str, ...]  # priority keys (priorities.py)
    stage: Stage
    involvement: InvolvementType
    level: Level
    methods: tuple[Method, ...]
    groups: tuple[TargetGroup, ...]
    reach: Reach = "place"
    days: tuple[int, int] = (1, 1)  # how many days it runs, fewest and most
    partners: tuple[str, ...] = ()  # organisation keys
    practices: int = 0  # how many GP practices of its area take part
    locality: str = ""  # a town (places.py); empty: the lead's home town, or any
    ward: str = ""  # a ward (areas.py), for a fixed one
    yearly: bool = False
    starts: int | None = None  # days after the reference date (negative: before); None: at random
    promises_feedback: bool = True


@dataclass(frozen=True)
class Theme:
    """What one meeting of a series is about."""

    name: str
    priorities: tuple[str, ...]
    groups: tuple[TargetGroup, ...] = ()  # empty: the series' own


@dataclass(frozen=True)
class SeriesSpec:
    title: str
    description: str
    every: int  # days between meetings
    activity: ActivitySpec
    themes: tuple[Theme, ...] = ()
    rotate_localities: bool = False


# --- Reading the file ----------------------------------------------------------------


def _reach(table: Table, key: str) -> Reach:
    reach = table.text(key)
    for known in REACHES:
        if reach == known:
            return known
    raise DemoDataError(f"{table.path(key)} must be one of {', '.join(REACHES)}, not {reach!r}.")


def _days(table: Table, key: str) -> tuple[int, int]:
    days = table.integers(key)
    if len(days) != 2 or not 0 < days[0] <= days[1]:
        raise DemoDataError(f"{table.path(key)} must be [fewest, most], as in [1, 3].")
    return days[0], days[1]


# How each key of an activity is read; a key the file leaves out takes ActivitySpec's default.
_READERS: dict[str, Callable[[Table, str], Any]] = {
    "lead": Table.text,
    "title": Table.text,
    "topic": Table.text,
    "purpose": Table.text,
    "priorities": Table.texts,
    "stage": lambda table, key: table.choice(key, Stage),
    "involvement": lambda table, key: table.choice(key, InvolvementType),
    "level": lambda table, key: table.choice(key, Level),
    "methods": lambda table, key: table.choices(key, Method),
    "groups": lambda table, key: table.choices(key, TargetGroup),
    "reach": _reach,
    "days": _days,
    "partners": Table.texts,
    "practices": Table.integer,
    "locality": Table.text,
    "ward": Table.text,
    "yearly": Table.boolean,
    "starts": Table.integer,
    "promises_feedback": Table.boolean,
}
if set(_READERS) != {field.name for field in fields(ActivitySpec)}:
    raise RuntimeError("Every field of ActivitySpec needs a reader in _READERS.")


def _activity(table: Table) -> ActivitySpec:
    table.refuse_others(_READERS, "activity")
    missing = [
        field.name
        for field in fields(ActivitySpec)
        if field.default is MISSING and field.default_factory is MISSING and not table.has(field.name)
    ]
    if missing:
        raise DemoDataError(f"{table.where} is missing {', '.join(missing)}.")
    return ActivitySpec(**{key: _READERS[key](table, key) for key in table.names()})


def _theme(table: Table) -> Theme:
    table.refuse_others(("name", "priorities", "groups"), "theme")
    groups = table.choices("groups", TargetGroup) if table.has("groups") else ()
    return Theme(table.text("name"), table.texts("priorities"), groups)


def _series(table: Table) -> SeriesSpec:
    table.refuse_others(
        ("title", "description", "every", "activity", "themes", "rotate_localities"), "series"
    )
    return SeriesSpec(
        table.text("title"),
        table.text("description"),
        every=table.integer("every"),
        activity=_activity(table.table("activity")),
        themes=tuple(_theme(theme) for theme in table.tables("themes")) if table.has("themes") else (),
        rotate_localities=table.boolean("rotate_localities") if table.has("rotate_localities") else False,
    )


def _pair(table: Table) -> tuple[ActivitySpec, ActivitySpec]:
    pair = table.tables("activities")
    if len(pair) != 2:
        raise DemoDataError(f"{table.where} must hold two activities ([[overlaps.activities]]).")
    return _activity(pair[0]), _activity(pair[1])


def _names(table: Table) -> dict[str, str]:
    return {key: table.text(key) for key in table.names()}


_FILE = data_file("activities")

# Where a voluntary group works, when an activity of its is in a locality or ward.
HOME_TOWN: dict[str, str] = _names(_FILE.table("home_towns"))

# The venue in each town where Healthwatch holds its listening stall.
STALL_VENUES: dict[str, str] = _names(_FILE.table("stall_venues"))

# Children and young people are asked about mental health just once in two years: the
# thin spot the coverage matrix must show.
THIN_COVERAGE = (TargetGroup.CHILDREN_YOUNG_PEOPLE, "mental_health")

# Overlaps the warnings must find.
OVERLAPS: tuple[tuple[ActivitySpec, ActivitySpec], ...] = tuple(
    _pair(pair) for pair in _FILE.tables("overlaps")
)

DELIBERATE_OVERLAPS: tuple[tuple[str, str], ...] = tuple(
    (first.title, second.title) for first, second in OVERLAPS
)

ONE_OFF: tuple[ActivitySpec, ...] = tuple(_activity(table) for table in _FILE.tables("one_off"))

# Series: repeat engagement.
SERIES: tuple[SeriesSpec, ...] = tuple(_series(table) for table in _FILE.tables("series"))
