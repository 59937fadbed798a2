"""The partnership's own areas: taken from the ONS ward lookup, grouped into its
localities, added, renamed, merged and retired by its administrators.

Areas are never deleted. Activities keep the areas they were in: a retired area stays
on them, marked retired, and a merged one is also replaced by the area it went into,
so that what an activity reached is still counted under the area that holds it now.
Each change is audited, for the partnership (areas belong to no one partner).
"""

from __future__ import annotations

import dataclasses

from django.db import transaction
from django.utils import timezone

from engage.activities.models import Activity, Area, AreaKind
from engage.core.errors import Conflict, InvalidInput, NotFound
from engage.core.models import AuditAction
from engage.core.services import audit_record
from engage.core.types import Actor
from engage.places.loaders.wards import WARD_CODE
from engage.places.models import Ward

NAME_LENGTH = 120  # Area.name's max_length


def _audit(actor: Actor, area: Area, action: AuditAction, summary: str) -> None:
    audit_record(
        actor=actor,
        organisation=None,
        action=action,
        subject_type="area",
        subject_id=area.pk,
        summary=summary,
    )


def _area(area_id: int, *, field: str = "area") -> Area:
    area = Area.objects.filter(pk=area_id).first()
    if area is None:
        raise NotFound(f"There is no {field} numbered {area_id}.")
    return area


def _name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidInput({"name": "Enter the area's name."})
    if len(name) > NAME_LENGTH:
        raise InvalidInput(
            {"name": f"The name is {len(name)} characters long; make it at most {NAME_LENGTH}."}
        )
    return name


def _name_free(name: str, kind: str, *, but: int | None = None) -> None:
    taken = Area.objects.filter(kind=kind, name__iexact=name, retired_on__isnull=True)
    if but is not None:
        taken = taken.exclude(pk=but)
    if taken.exists():
        raise InvalidInput({"name": f"There is already a {AreaKind(kind).label.lower()} called {name}."})


def _the_place() -> Area:
    place = Area.objects.filter(kind=AreaKind.PLACE, retired_on__isnull=True).first()
    if place is None:
        raise Conflict("The partnership has no place yet: set it up first (engage setup).")
    return place


def area_create(
    *, actor: Actor, kind: str, name: str, locality_id: int | None = None, code: str = ""
) -> Area:
    """A locality of the place, or a ward made by hand (in a locality, or straight
    under the place). The whole place is made once, by setting the partnership up."""
    if kind not in (AreaKind.LOCALITY, AreaKind.WARD):
        raise InvalidInput({"kind": "Choose a locality or a ward."})
    name = _name(name)
    _name_free(name, kind)
    code = code.strip().upper()
    if code and kind == AreaKind.WARD and not WARD_CODE.fullmatch(code):
        raise InvalidInput({"code": f"{code} is not a ward's ONS code, such as E05001234."})
    if code and Area.objects.filter(code=code, retired_on__isnull=True).exists():
        raise InvalidInput({"code": f"An area already has the code {code}."})
    parent = _the_place()
    if kind == AreaKind.WARD and locality_id is not None:
        parent = _area(locality_id, field="locality")
        if parent.kind != AreaKind.LOCALITY or parent.retired_on:
            raise InvalidInput({"locality_id": "Choose a locality in use."})
    with transaction.atomic():
        area = Area.objects.create(kind=kind, name=name, code=code, parent=parent)
        _audit(actor, area, AuditAction.CREATED, f"Added the {area.get_kind_display().lower()} {name}.")
    return area


def area_rename(*, actor: Actor, area_id: int, name: str) -> Area:
    area = _area(area_id)
    name = _name(name)
    _name_free(name, area.kind, but=area.pk)
    if name == area.name:
        return area
    with transaction.atomic():
        before, area.name = area.name, name
        area.save(update_fields=["name"])
        _audit(
            actor,
            area,
            AuditAction.UPDATED,
            f"Renamed the {area.get_kind_display().lower()} {before} to {name}.",
        )
    return area


def locality_wards_set(*, actor: Actor, locality_id: int, ward_ids: list[int]) -> Area:
    """The locality holds exactly these wards: each is moved into it (from another
    locality or from none), and its wards not among them go back straight under the
    place, to be put in another locality."""
    locality = _area(locality_id, field="locality")
    if locality.kind != AreaKind.LOCALITY or locality.retired_on:
        raise InvalidInput({"locality_id": "Choose a locality in use."})
    wards = list(Area.objects.filter(pk__in=ward_ids, kind=AreaKind.WARD, retired_on__isnull=True))
    if len(wards) != len(set(ward_ids)):
        raise InvalidInput({"ward_ids": "Choose wards in use."})
    place = _the_place()
    with transaction.atomic():
        left = Area.objects.filter(parent=locality, kind=AreaKind.WARD).exclude(pk__in=ward_ids)
        out = left.update(parent=place)
        moved = Area.objects.filter(pk__in=ward_ids).exclude(parent=locality).update(parent=locality)
        _audit(
            actor,
            locality,
            AuditAction.UPDATED,
            f"Set the wards of {locality.name}: {len(wards)} in all, {moved} moved in, {out} moved out.",
        )
    return locality


def area_retire(*, actor: Actor, area_id: int) -> Area:
    """Retire an area: no longer offered for new activities; the activities in it keep
    it. A locality must hold no wards in use first, so that no ward is left behind."""
    area = _area(area_id)
    if area.kind == AreaKind.PLACE:
        raise Conflict("The whole place cannot be retired.")
    if area.retired_on:
        return area
    if area.children.filter(retired_on__isnull=True).exists():
        raise Conflict(f"{area.name} still holds wards: move them to another locality, or merge it into one.")
    with transaction.atomic():
        area.retired_on = timezone.localdate()
        area.save(update_fields=["retired_on"])
        used = Activity.objects.filter(areas=area).count()
        _audit(
            actor,
            area,
            AuditAction.UPDATED,
            f"Retired the {area.get_kind_display().lower()} {area.name}; {used} activities keep it.",
        )
    return area


def area_restore(*, actor: Actor, area_id: int) -> Area:
    """Bring a retired area back into use (not one merged away: its activities have moved)."""
    area = _area(area_id)
    if not area.retired_on:
        return area
    if area.merged_into_id is not None:
        raise Conflict(f"{area.name} was merged into {area.merged_into}; it cannot come back on its own.")
    _name_free(area.name, area.kind, but=area.pk)
    with transaction.atomic():
        area.retired_on = None
        area.save(update_fields=["retired_on"])
        _audit(
            actor,
            area,
            AuditAction.UPDATED,
            f"Brought the {area.get_kind_display().lower()} {area.name} back.",
        )
    return area


def area_merge(*, actor: Actor, area_id: int, into_id: int) -> Area:
    """Merge one area into another of the same kind: its wards move into the other, its
    activities are also in the other from now on (and still show the merged one, marked
    retired), and it is retired. Returns the area merged into."""
    area, into = _area(area_id), _area(into_id, field="area to merge into")
    if area.kind == AreaKind.PLACE:
        raise Conflict("The whole place cannot be merged.")
    if area.pk == into.pk or area.kind != into.kind or into.retired_on or area.retired_on:
        raise InvalidInput(
            {"into_id": f"Choose another {area.get_kind_display().lower()} in use to merge {area.name} into."}
        )
    with transaction.atomic():
        wards = Area.objects.filter(parent=area).update(parent=into)
        through = Activity.areas.through
        activity_ids = set(through.objects.filter(area_id=area.pk).values_list("activity_id", flat=True))
        already = set(through.objects.filter(area_id=into.pk).values_list("activity_id", flat=True))
        through.objects.bulk_create(
            [
                through(activity_id=activity_id, area_id=into.pk)
                for activity_id in sorted(activity_ids - already)
            ]
        )
        area.retired_on, area.merged_into = timezone.localdate(), into
        area.save(update_fields=["retired_on", "merged_into"])
        _audit(
            actor,
            into,
            AuditAction.UPDATED,
            f"Merged {area.name} into {into.name}: {wards} wards and {len(activity_ids)} activities.",
        )
    return into


@dataclasses.dataclass(frozen=True)
class AreasFromLookup:
    """What taking a district's wards from the lookup did to the partnership's areas."""

    place: Area
    created: int
    renamed: int
    unchanged: int
    not_in_lookup: list[str]  # names of the place's coded wards the lookup no longer lists


def areas_from_ward_lookup(*, actor: Actor, local_authority_code: str) -> AreasFromLookup:
    """Make the partnership's place (the district) and its wards from the loaded ward
    lookup, matched by their ONS codes, so that taking them again after a new edition
    renames what was renamed and adds what is new, never a second copy. A ward the
    partnership made by hand under the same name is given its code rather than copied.
    Wards go straight under the place; the partnership groups them into its own
    localities afterwards. Wards the lookup no longer lists are reported, not deleted:
    activities keep their areas."""
    wards = list(Ward.objects.filter(local_authority_code=local_authority_code).order_by("name"))
    if not wards:
        raise InvalidInput(
            {
                "place": f"The loaded ward lookup has no district {local_authority_code!r}. Load the lookup first."
            }
        )
    district_name = wards[0].local_authority_name
    with transaction.atomic():
        place = _place_area(code=local_authority_code, name=district_name)
        existing = {area.code: area for area in Area.objects.filter(kind=AreaKind.WARD).exclude(code="")}
        uncoded = {
            area.name.casefold(): area
            for area in Area.objects.filter(kind=AreaKind.WARD, code="", retired_on__isnull=True)
        }
        created = renamed = unchanged = 0
        for ward in wards:
            area = existing.get(ward.code) or uncoded.pop(ward.name.casefold(), None)
            if area is None:
                Area.objects.create(kind=AreaKind.WARD, name=ward.name, code=ward.code, parent=place)
                created += 1
            elif area.name != ward.name or area.code != ward.code:
                area.name, area.code = ward.name, ward.code
                area.save(update_fields=["name", "code"])
                renamed += 1
            else:
                unchanged += 1
        listed = {ward.code for ward in wards}
        gone = sorted(
            area.name for area in existing.values() if area.code not in listed and _within(area, place)
        )
        audit_record(
            actor=actor,
            organisation=None,
            action=AuditAction.UPDATED,
            subject_type="area",
            subject_id=place.pk,
            summary=f"Took the wards of {district_name} ({local_authority_code}) from the ward lookup: "
            f"{created} added, {renamed} renamed, {unchanged} as they were.",
        )
    return AreasFromLookup(place, created, renamed, unchanged, gone)


def _place_area(*, code: str, name: str) -> Area:
    """The whole place's area: the one with the district's code, or the partnership's
    only place without a code (given the code now); refused if the partnership already
    has another place, since it has one."""
    place = Area.objects.filter(kind=AreaKind.PLACE, code=code).first()
    if place is not None:
        return place
    others = list(Area.objects.filter(kind=AreaKind.PLACE))
    if len(others) == 1 and not others[0].code:
        others[0].code = code
        others[0].save(update_fields=["code"])
        return others[0]
    if others:
        raise Conflict(
            f"The partnership's place is already {others[0].name} ({others[0].code or 'no code'}); "
            f"it cannot take the wards of another district ({name}, {code})."
        )
    return Area.objects.create(kind=AreaKind.PLACE, name=name, code=code)


def _within(area: Area, place: Area) -> bool:
    """Whether `area` lies under `place` (directly or through a locality)."""
    parent_id = area.parent_id
    seen: set[int] = set()
    while parent_id is not None and parent_id not in seen:
        if parent_id == place.pk:
            return True
        seen.add(parent_id)
        parent_id = Area.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    return False
