"""Reach by place: participants per 1,000 residents of each ward (and, for the staff
area only, each LSOA), the areas never reached, and a map.

The areas are those of the partnership's local authorities: the wards and LSOAs its
postcodes lie in (the postcode lookup), or the demo's illustrative wards. A ward's
residents are the census's count for it where a ward table is loaded; otherwise each
LSOA's File 7 population is given to the ward most of its postcodes lie in (LSOAs do
not nest in wards, so this is an estimate, and the page says so).

Counts go through disclosure control as one table (the areas, then everyone placed
elsewhere or nowhere, with the total), so a hidden ward cannot be worked out from the
rest; each rate is worked out from its published count.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from engage.conversations.models import Conversation
from engage.core.cell_key import Tally
from engage.core.disclosure import DisclosureRule, Published, publish_table
from engage.places.models import Boundary, BoundaryKind, CensusCount, DeprivationArea, ImdEdition, Postcode
from engage.places.selectors import imd_edition, in_batches
from engage.reach.report import ReachArea, ReachSet, field_counts, reach_conversations
from engage.reach.ward_map import MapDrawing, draw_map

ILLUSTRATIVE_WARD_PREFIX = "DEMO-W"


@dataclass(frozen=True)
class PlaceArea:
    code: str
    name: str
    population: int | None


@dataclass(frozen=True)
class AreaFigure:
    code: str
    name: str
    participants: Published
    population: int | None
    rate: float | None  # per 1,000 residents, from the published count
    # Hidden so that a smaller figure cannot be worked out, not for being small itself.
    hidden_to_protect: bool = False

    @property
    def never_reached(self) -> bool:
        return self.participants.value == 0


@dataclass(frozen=True)
class PlaceReport:
    kind: str  # BoundaryKind
    areas: list[AreaFigure]
    elsewhere: Published  # outside these areas, or with no place known
    total: Published
    drawing: MapDrawing | None
    estimated_population: bool
    withheld: bool

    @property
    def never_reached(self) -> list[AreaFigure]:
        return [area for area in self.areas if area.never_reached]

    @property
    def hidden_to_protect(self) -> list[AreaFigure]:
        """The areas whose "*" hides a figure to protect a smaller one: a page names
        them, so none is taken for one with too few people."""
        return [area for area in self.areas if area.hidden_to_protect]


def _names(kind: str, codes: list[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for batch in in_batches(codes):
        names.update(Boundary.objects.filter(kind=kind, code__in=batch).values_list("code", "name"))
    return names


def _census_totals(codes: list[str]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for batch in in_batches(codes):
        totals.update(
            CensusCount.objects.filter(dimension="sex", category="Total", area_code__in=batch).values_list(
                "area_code", "count"
            )
        )
    return totals


def area_wards(area: ReachArea) -> tuple[list[PlaceArea], bool]:
    """The area's wards with their residents, and whether those are estimated."""
    if area.illustrative:
        rows = CensusCount.objects.filter(
            dimension="sex", category="Total", area_code__startswith=ILLUSTRATIVE_WARD_PREFIX
        ).values_list("area_code", "count")
        people = dict(rows)
        names = _names(BoundaryKind.WARD, list(people))
        return [
            PlaceArea(code, names.get(code, code), count) for code, count in sorted(people.items())
        ], False
    lsoa_field = "lsoa_2021" if imd_edition() == ImdEdition.IOD_2025 else "lsoa_2011"
    postcodes_in = (
        Postcode.objects.filter(local_authority_code__in=area.codes)
        .exclude(ward_code="")
        .order_by()
        .values_list("ward_code", lsoa_field)
        .annotate(postcodes=Count("*"))
    )
    wards: set[str] = set()
    ward_of_lsoa: dict[str, tuple[int, str]] = {}
    for ward, lsoa, postcodes in postcodes_in:
        wards.add(ward)
        if lsoa and postcodes > ward_of_lsoa.get(lsoa, (0, ""))[0]:
            ward_of_lsoa[lsoa] = (postcodes, ward)
    census = _census_totals(sorted(wards))
    estimated = len(census) < len(wards)
    estimate: Counter[str] = Counter()
    if estimated:
        lsoa_people = DeprivationArea.objects.filter(
            edition=imd_edition(), local_authority_code__in=area.codes
        )
        for lsoa, population in lsoa_people.values_list("lsoa_code", "population"):
            if lsoa in ward_of_lsoa:
                estimate[ward_of_lsoa[lsoa][1]] += population
    names = _names(BoundaryKind.WARD, sorted(wards))
    return [
        PlaceArea(code, names.get(code, code), census.get(code) or estimate.get(code) or None)
        for code in sorted(wards)
    ], estimated


def area_lsoas(area: ReachArea) -> list[PlaceArea]:
    rows = DeprivationArea.objects.filter(edition=imd_edition(), local_authority_code__in=area.codes)
    return [
        PlaceArea(code, name, population)
        for code, name, population in rows.values_list("lsoa_code", "lsoa_name", "population").order_by(
            "lsoa_code"
        )
    ]


def place_report(
    reach_set: ReachSet,
    *,
    area: ReachArea | None,
    kind: str = BoundaryKind.WARD,
    rule: DisclosureRule,
    conversations: QuerySet[Conversation] | None = None,
) -> PlaceReport | None:
    """Participants per 1,000 residents in each area of a kind; None without an area."""
    if area is None:
        return None
    field = "ward_code" if kind == BoundaryKind.WARD else "lsoa_code"
    if kind == BoundaryKind.WARD:
        places, estimated = area_wards(area)
    else:
        places, estimated = area_lsoas(area), False
    if not places:
        return None
    counted = field_counts(
        conversations if conversations is not None else reach_conversations(reach_set), (field,)
    )
    by_code = counted[field]
    inside = [by_code.get(place.code, Tally()) for place in places]
    everywhere = sum(by_code.values(), Tally())
    inside_total = sum(inside, Tally())
    elsewhere = Tally(everywhere.count - inside_total.count, everywhere.weighted - inside_total.weighted)
    tallies = [*inside, elsewhere]
    table = publish_table([[t.count for t in tallies]], rule, weighted=[[t.weighted for t in tallies]])
    cells = table.cells[0]
    figures = []
    for column, (place, shown) in enumerate(zip(places, cells, strict=False)):
        rate = 1000 * shown.value / place.population if shown.value is not None and place.population else None
        protecting = (0, column) in table.hidden_second
        figures.append(AreaFigure(place.code, place.name, shown, place.population, rate, protecting))
    return PlaceReport(
        kind=kind,
        areas=figures,
        elsewhere=cells[-1],
        total=table.row_totals[0],
        drawing=_drawing(kind, figures),
        estimated_population=estimated,
        withheld=table.withheld,
    )


def _drawing(kind: str, figures: list[AreaFigure]) -> MapDrawing | None:
    """The map, where the areas' boundaries are loaded."""
    shapes: dict[str, list[list[tuple[float, float]]]] = {}
    projected = False
    for batch in in_batches([figure.code for figure in figures]):
        for code, rings, is_projected in Boundary.objects.filter(kind=kind, code__in=batch).values_list(
            "code", "rings", "projected"
        ):
            shapes[code] = [[(float(x), float(y)) for x, y in ring] for ring in rings]
            projected = is_projected
    if not shapes:
        return None
    return draw_map(
        shapes,
        names={figure.code: figure.name for figure in figures},
        values={figure.code: figure.rate for figure in figures if figure.code in shapes},
        projected=projected,
    )
