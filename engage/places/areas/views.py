"""The areas pages: the partnership's administrators arrange its place into its own
localities, add, rename, merge and retire areas, and take the wards from the ONS lookup
again after a new edition. Areas belong to no one partner: these pages are the
partnership's (MANAGE_PARTNERSHIP)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from engage.activities.models import Area, AreaKind
from engage.core.access import require_permission
from engage.core.errors import Conflict, DomainError, InvalidInput, NotFound
from engage.core.forms import show_on_form
from engage.core.http import ScopedRequest
from engage.core.roles import Permission
from engage.places.areas import selectors, services
from engage.places.areas.forms import AreaForm, LocalityWardsForm, MergeForm, NewAreaForm


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_GET
def area_list(request: ScopedRequest) -> HttpResponse:
    return render(request, "areas/area_list.html", {"tree": selectors.area_tree()})


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_http_methods(["GET", "POST"])
def area_new(request: ScopedRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    form = NewAreaForm(request.POST or None, initial={"kind": kind if kind in AreaKind.values else ""})
    if request.method == "POST" and form.is_valid():
        try:
            area = services.area_create(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                code=form.cleaned_data["code"],
            )
        except InvalidInput as error:
            show_on_form(form, error)
        else:
            messages.success(request, f"{area.name} has been added.")
            return redirect("areas:area-edit", area_id=area.pk)
    return render(request, "areas/area_new.html", {"form": form})


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_http_methods(["GET", "POST"])
def area_edit(request: ScopedRequest, area_id: int) -> HttpResponse:
    """Rename an area and, for a locality, choose its wards: one form, one save."""
    area = selectors.area_get(area_id)
    if area is None:
        raise NotFound("There is no such area.")
    is_locality = area.kind == AreaKind.LOCALITY and not area.retired_on
    data = request.POST if request.method == "POST" else None
    form = AreaForm(data, initial={"name": area.name})
    wards = _wards_form(area, data)
    if request.method == "POST" and form.is_valid() and (not is_locality or wards.is_valid()):
        try:
            services.area_rename(actor=request.user, area_id=area.pk, name=form.cleaned_data["name"])
            if is_locality:
                services.locality_wards_set(
                    actor=request.user,
                    locality_id=area.pk,
                    ward_ids=[int(pk) for pk in wards.cleaned_data["ward_ids"]],
                )
        except InvalidInput as error:
            show_on_form(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['name']} has been saved.")
            return redirect("areas:area-list")
    return _edit_page(request, area, form=form, wards=wards if is_locality else None)


def _edit_page(
    request: ScopedRequest,
    area: Area,
    *,
    form: AreaForm | None = None,
    wards: LocalityWardsForm | None = None,
    merge: MergeForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "areas/area_edit.html",
        {
            "area": area,
            "form": form or AreaForm(initial={"name": area.name}),
            "wards": wards,
            "merge": merge or MergeForm(choices=selectors.merge_choices(area)),
        },
        status=400 if merge is not None and merge.errors else 200,
    )


def _wards_form(area: Area, data: object = None) -> LocalityWardsForm:
    chosen = area.children.filter(kind=AreaKind.WARD, retired_on__isnull=True).values_list("pk", flat=True)
    return LocalityWardsForm(
        data, wards=selectors.ward_choices(), initial={"ward_ids": [str(pk) for pk in chosen]}
    )


def _after(request: ScopedRequest, done: str) -> HttpResponse:
    messages.success(request, done)
    return redirect("areas:area-list")


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_POST
def area_merge(request: ScopedRequest, area_id: int) -> HttpResponse:
    area = selectors.area_get(area_id)
    if area is None:
        raise NotFound("There is no such area.")
    # A locality's page also holds its wards' form: shown as it stands.
    wards = _wards_form(area) if area.kind == AreaKind.LOCALITY and not area.retired_on else None
    form = MergeForm(request.POST, choices=selectors.merge_choices(area))
    if not form.is_valid():
        return _edit_page(request, area, wards=wards, merge=form)
    try:
        into = services.area_merge(
            actor=request.user, area_id=area.pk, into_id=int(form.cleaned_data["into_id"])
        )
    except InvalidInput as error:
        form.add_error("into_id", error.errors.get("into_id", error.message))
        return _edit_page(request, area, wards=wards, merge=form)
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("areas:area-edit", area_id=area.pk)
    return _after(request, f"{area.name} has been merged into {into.name}.")


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_POST
def area_retire(request: ScopedRequest, area_id: int) -> HttpResponse:
    restore = request.POST.get("restore") == "yes"
    try:
        if restore:
            area = services.area_restore(actor=request.user, area_id=area_id)
        else:
            area = services.area_retire(actor=request.user, area_id=area_id)
    except (Conflict, InvalidInput) as error:
        messages.error(request, error.message)
        return redirect("areas:area-edit", area_id=area_id)
    return _after(request, f"{area.name} is {'in use again' if restore else 'retired'}.")


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_POST
def areas_from_lookup(request: ScopedRequest) -> HttpResponse:
    tree = selectors.area_tree()
    if tree.place is None or not tree.place.code:
        raise NotFound("The partnership's place has no ONS code to take wards by.")
    try:
        taken = services.areas_from_ward_lookup(actor=request.user, local_authority_code=tree.place.code)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("areas:area-list")
    gone = (
        f" The lookup no longer lists {', '.join(taken.not_in_lookup)}: retire or merge them."
        if taken.not_in_lookup
        else ""
    )
    return _after(
        request,
        f"Wards taken from the lookup: {taken.created} added, {taken.renamed} renamed, "
        f"{taken.unchanged} as they were.{gone}",
    )
