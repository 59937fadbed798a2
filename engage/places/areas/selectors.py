"""Reading the partnership's areas as its administrators arrange them: the place, its
localities with their wards, the wards in no locality, and the retired areas."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from engage.activities.models import Area, AreaKind
from engage.places.models import Ward


@dataclass
class Locality:
    area: Area
    wards: list[Area] = field(default_factory=list)


@dataclass(frozen=True)
class AreaTree:
    place: Area | None
    localities: list[Locality]
    unplaced: list[Area]  # wards straight under the place
    retired: list[Area]
    lookup_wards: int  # the loaded lookup's wards of the place's district

    @property
    def ward_count(self) -> int:
        return len(self.unplaced) + sum(len(locality.wards) for locality in self.localities)


def area_tree() -> AreaTree:
    """Every area, arranged; each carries `activity_count`, the activities in it."""
    areas = list(
        Area.objects.select_related("merged_into")
        .annotate(activity_count=Count("activities"))
        .order_by("name")
    )
    live = [area for area in areas if area.retired_on is None]
    place = next((area for area in live if area.kind == AreaKind.PLACE), None)
    localities = {area.pk: Locality(area) for area in live if area.kind == AreaKind.LOCALITY}
    unplaced: list[Area] = []
    for ward in (area for area in live if area.kind == AreaKind.WARD):
        if ward.parent_id in localities:
            localities[ward.parent_id].wards.append(ward)
        else:
            unplaced.append(ward)
    lookup = Ward.objects.filter(local_authority_code=place.code).count() if place and place.code else 0
    return AreaTree(
        place=place,
        localities=list(localities.values()),
        unplaced=unplaced,
        retired=[area for area in areas if area.retired_on is not None],
        lookup_wards=lookup,
    )


def area_get(area_id: int) -> Area | None:
    found: Area | None = Area.objects.select_related("parent", "merged_into").filter(pk=area_id).first()
    return found


def ward_choices() -> list[tuple[str, str]]:
    """Every ward in use, named with the locality it is in now."""
    wards = Area.objects.filter(kind=AreaKind.WARD, retired_on__isnull=True).select_related("parent")
    return [
        (
            str(ward.pk),
            f"{ward.name} (now in {ward.parent.name})"
            if ward.parent and ward.parent.kind == AreaKind.LOCALITY
            else ward.name,
        )
        for ward in wards.order_by("name")
    ]


def merge_choices(area: Area) -> list[tuple[str, str]]:
    """The areas `area` may be merged into: the others of its kind in use."""
    others = Area.objects.filter(kind=area.kind, retired_on__isnull=True).exclude(pk=area.pk).order_by("name")
    return [(str(other.pk), other.name) for other in others]
