"""The organisation's sharing page: what it shares with the partnership and the
agreement that lets it, and its choice for each activity and import. Thin: each view
parses, calls one service or selector with the organisation in scope, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from engage.core.access import require_permission
from engage.core.errors import InvalidInput
from engage.core.forms import show_on_form
from engage.core.http import ScopedRequest, same_site
from engage.core.pagination import page_of
from engage.core.roles import Permission
from engage.partnership.sharing import selectors, services
from engage.partnership.sharing.forms import LEVEL_HINTS, OrganisationSharingForm, SharingChoiceForm


@require_permission(Permission.VIEW_AGGREGATES)
@require_http_methods(["GET", "POST"])
def sharing(request: ScopedRequest) -> HttpResponse:
    """What the organisation shares; its administrators change it here."""
    organisation = request.organisation
    current = selectors.organisation_sharing_get(organisation=organisation)
    initial = {
        "level": current.level if current else "nothing",
        "agreement_name": current.agreement_name if current else "",
        "agreement_dated": current.agreement_dated if current else None,
    }
    form = OrganisationSharingForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if Permission.MANAGE_SHARING not in request.permissions:
            raise PermissionDenied("Lacks the permission manage_sharing.")
        if form.is_valid():
            try:
                services.organisation_sharing_set(
                    actor=request.user,
                    organisation=organisation,
                    level=form.cleaned_data["level"],
                    agreement_name=form.cleaned_data["agreement_name"],
                    agreement_dated=form.cleaned_data["agreement_dated"],
                )
            except InvalidInput as error:
                show_on_form(form, error)
            else:
                messages.success(request, "Saved. The partnership's picture now counts what you chose.")
                return redirect("sharing:sharing")
    search = request.GET.get("q", "").strip()[:100]
    activities = page_of(
        selectors.activities_for_sharing(organisation=organisation, search=search),
        request.GET.get("activities"),
        20,
    )
    imports = page_of(
        selectors.imports_for_sharing(organisation=organisation), request.GET.get("imports"), 20
    )
    return render(
        request,
        "partnership/sharing.html",
        {
            "form": form,
            "current": current,
            "hints": LEVEL_HINTS,
            "activities": activities,
            "activity_choices": selectors.activity_choices(
                organisation=organisation, activity_ids=[a.pk for a in activities.object_list]
            ),
            "imports": imports,
            "import_choices": selectors.import_choices(
                organisation=organisation, import_job_ids=[j.pk for j in imports.object_list]
            ),
            "choice_form": SharingChoiceForm(),
            "search": search,
        },
        status=400 if form.errors else 200,
    )


def _choose(request: ScopedRequest, **thing: int) -> HttpResponse:
    form = SharingChoiceForm(request.POST)
    level = form.data.get("level", "")
    try:
        services.sharing_choice_set(
            actor=request.user, organisation=request.organisation, level=level, **thing
        )
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Saved. The partnership's picture now counts what you chose.")
    # Back to the page the choice was made on (the sharing page, an activity, an import).
    return redirect(same_site(request, request.POST.get("back")) or reverse("sharing:sharing"))


@require_permission(Permission.CHOOSE_SHARING)
@require_POST
def sharing_activity(request: ScopedRequest, activity_id: int) -> HttpResponse:
    if (
        not selectors.activities_for_sharing(organisation=request.organisation)
        .filter(pk=activity_id)
        .exists()
    ):
        raise Http404("No such activity of the organisation.")
    return _choose(request, activity_id=activity_id)


@require_permission(Permission.CHOOSE_SHARING)
@require_POST
def sharing_import(request: ScopedRequest, job_id: int) -> HttpResponse:
    if not selectors.imports_for_sharing(organisation=request.organisation).filter(pk=job_id).exists():
        raise Http404("No such import of the organisation.")
    return _choose(request, import_job_id=job_id)
