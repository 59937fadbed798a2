"""Staff pages for people, consent, groups and organisations.

Thin: each view parses input, calls one service or selector with the organisation in
scope, and renders. People are only ever reached through `request.organisation`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from engage.conversations.selectors import conversations_said_by
from engage.core.access import require_permission
from engage.core.errors import DomainError, InvalidInput, NotFound
from engage.core.forms import show_on_form
from engage.core.http import ScopedRequest, int_param
from engage.core.pagination import paginate
from engage.core.roles import Permission
from engage.partners import selectors, services
from engage.partners.forms import (
    ConsentGrantForm,
    ConsentWithdrawForm,
    EraseForm,
    GroupForm,
    GroupMembershipAddForm,
    OrganisationForm,
    PersonForm,
)
from engage.partners.models import ConsentPurpose, GroupKind, OrganisationKind, PersonRoleKind
from engage.subject_access.selectors import subject_access_requests_of


def _org(request: ScopedRequest) -> Any:
    return request.organisation


# People -------------------------------------------------------------------------------


@require_permission(Permission.VIEW_PEOPLE)
def person_list(request: ScopedRequest) -> HttpResponse:
    filters = {
        "search": request.GET.get("q", "").strip()[:100],
        "role": request.GET.get("role", "") if request.GET.get("role") in PersonRoleKind.values else "",
        "consent": request.GET.get("consent", "")
        if request.GET.get("consent") in ConsentPurpose.values
        else "",
        "group_id": int_param(request.GET.get("group"), field="group"),
    }
    page = selectors.person_page(
        actor=request.user,
        organisation=_org(request),
        page=request.GET.get("page"),
        search=str(filters["search"]),
        role=str(filters["role"]),
        consent=str(filters["consent"]),
        group_id=int_param(request.GET.get("group"), field="group"),
    )
    groups = selectors.group_list(organisation_id=_org(request).pk)
    return render(
        request,
        "partners/person_list.html",
        {
            "page": page,
            "filters": filters,
            "group_choices": [(g.pk, g.name) for g in groups],
            "roles": PersonRoleKind.choices,
            "purposes": ConsentPurpose.choices,
        },
    )


@require_permission(Permission.EDIT_PEOPLE)
@require_http_methods(["GET", "POST"])
def person_create(request: ScopedRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = services.person_create(actor=request.user, organisation=_org(request), **form.cleaned_data)
        messages.success(request, f"{person.full_name} has been added.")
        return redirect("partners:person-detail", person_id=person.pk)
    return render(request, "partners/person_form.html", {"form": form, "person": None})


@require_permission(Permission.VIEW_PEOPLE)
def person_detail(request: ScopedRequest, person_id: int) -> HttpResponse:
    organisation = _org(request)
    person = selectors.person_get(organisation=organisation, person_id=person_id, actor=request.user)
    consents = list(selectors.person_consent_list(organisation=organisation, person=person))
    memberships = selectors.person_group_list(organisation=organisation, person=person)
    joined = {m.group_id for m in memberships}
    available = [g for g in selectors.group_list(organisation_id=organisation.pk) if g.pk not in joined]
    standing = {c.purpose: c for c in consents if c.is_standing}
    return render(
        request,
        "partners/person_detail.html",
        {
            "person": person,
            "roles": selectors.person_role_list(organisation=organisation, person=person),
            "consents": consents,
            "standing": standing,
            "purposes": ConsentPurpose.choices,
            "memberships": memberships,
            "group_form": GroupMembershipAddForm(groups=available),
            "access_requests": list(
                subject_access_requests_of(organisation=organisation, person_id=person.pk)[:5]
            )
            if Permission.PRODUCE_SUBJECT_ACCESS in request.permissions
            else [],
        },
    )


@require_permission(Permission.EDIT_PEOPLE)
@require_http_methods(["GET", "POST"])
def person_edit(request: ScopedRequest, person_id: int) -> HttpResponse:
    organisation = _org(request)
    person = selectors.person_get(organisation=organisation, person_id=person_id, actor=request.user)
    roles = [r.role for r in selectors.person_role_list(organisation=organisation, person=person)]
    initial = {f: getattr(person, f) for f in services.PERSON_FIELDS} | {"roles": roles}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        new_roles = data.pop("roles")
        services.person_update(actor=request.user, organisation=organisation, person_id=person.pk, **data)
        services.person_roles_set(
            actor=request.user, organisation=organisation, person_id=person.pk, roles=new_roles
        )
        messages.success(request, "The record has been saved.")
        return redirect("partners:person-detail", person_id=person.pk)
    return render(request, "partners/person_form.html", {"form": form, "person": person})


@require_permission(Permission.EDIT_PEOPLE)
@require_http_methods(["GET", "POST"])
def person_erase(request: ScopedRequest, person_id: int) -> HttpResponse:
    organisation = _org(request)
    person = selectors.person_get(organisation=organisation, person_id=person_id, actor=request.user)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.person_erase(
            actor=request.user,
            organisation=organisation,
            person_id=person.pk,
            reason=form.cleaned_data["reason"],
            words=form.cleaned_data["words"],
        )
        messages.success(request, "The record and everything held about the person have been erased.")
        return redirect("partners:person-list")
    return render(
        request,
        "partners/person_erase.html",
        {
            "form": form,
            "person": person,
            "said": conversations_said_by(organisation=organisation, person_id=person.pk),
        },
    )


@require_permission(Permission.RECORD_CONSENT)
@require_http_methods(["GET", "POST"])
def consent_grant(request: ScopedRequest, person_id: int) -> HttpResponse:
    organisation = _org(request)
    person = selectors.person_get(organisation=organisation, person_id=person_id, actor=request.user)
    purpose = request.GET.get("purpose") if request.GET.get("purpose") in ConsentPurpose.values else None
    form = ConsentGrantForm(
        request.POST or None, initial={"purpose": purpose, "given_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_grant(
                actor=request.user, organisation=organisation, person_id=person.pk, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The consent has been recorded.")
            return redirect("partners:person-detail", person_id=person.pk)
    return render(request, "partners/consent_grant.html", {"form": form, "person": person})


@require_permission(Permission.RECORD_CONSENT)
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: ScopedRequest, person_id: int, purpose: str) -> HttpResponse:
    if purpose not in ConsentPurpose.values:
        raise NotFound("There is no such purpose of consent.")
    organisation = _org(request)
    person = selectors.person_get(organisation=organisation, person_id=person_id, actor=request.user)
    form = ConsentWithdrawForm(request.POST or None, initial={"withdrawn_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(
                actor=request.user,
                organisation=organisation,
                person_id=person.pk,
                purpose=purpose,
                **form.cleaned_data,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The withdrawal has been recorded. It takes effect at once.")
            return redirect("partners:person-detail", person_id=person.pk)
    return render(
        request,
        "partners/consent_withdraw.html",
        {
            "form": form,
            "person": person,
            "purpose_label": ConsentPurpose(purpose).label,
        },
    )


@require_permission(Permission.MANAGE_GROUPS)
@require_POST
def person_group_add(request: ScopedRequest, person_id: int) -> HttpResponse:
    membership = services.group_membership_add(
        actor=request.user,
        organisation=_org(request),
        person_id=person_id,
        group_id=int_param(request.POST.get("group"), field="group"),
        joined_on=timezone.localdate(),
    )
    messages.success(request, f"Added to {membership.group.name}.")
    return redirect("partners:person-detail", person_id=person_id)


@require_permission(Permission.MANAGE_GROUPS)
@require_POST
def person_group_remove(request: ScopedRequest, person_id: int, group_id: int) -> HttpResponse:
    group = services.group_membership_remove(
        actor=request.user, organisation=_org(request), person_id=person_id, group_id=group_id
    )
    messages.success(request, f"Removed from {group.name}.")
    return redirect("partners:person-detail", person_id=person_id)


@require_permission(Permission.EXPORT_CONTACTS)
def contact_list(request: ScopedRequest) -> HttpResponse:
    page = selectors.contact_page(
        actor=request.user, organisation=_org(request), page=request.GET.get("page")
    )
    return render(request, "partners/contact_list.html", {"page": page})


@require_permission(Permission.EXPORT_CONTACTS)
def contact_list_export(request: ScopedRequest) -> HttpResponse:
    text = services.contact_list_export(
        actor=request.user, organisation=_org(request), reason="Downloaded from the contact list page."
    )
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="contact-list-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


# Groups -------------------------------------------------------------------------------


@require_permission(Permission.VIEW_GROUPS)
def group_list(request: ScopedRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "") if request.GET.get("kind") in GroupKind.values else ""
    groups = selectors.group_list(search=search, kind=kind)
    return render(
        request,
        "partners/group_list.html",
        {
            "page": paginate(request, groups),
            "search": search,
            "kind": kind,
            "kinds": GroupKind.choices,
        },
    )


@require_permission(Permission.VIEW_GROUPS)
def group_detail(request: ScopedRequest, group_id: int) -> HttpResponse:
    group = selectors.group_get(group_id=group_id)
    may_see_members = (
        group.organisation_id == getattr(_org(request), "pk", None)
        and Permission.VIEW_PEOPLE in request.permissions
    )
    members = None
    if may_see_members:
        members = selectors.group_members_shown(actor=request.user, organisation=_org(request), group=group)
    return render(request, "partners/group_detail.html", {"group": group, "members": members})


@require_permission(Permission.MANAGE_GROUPS)
@require_http_methods(["GET", "POST"])
def group_edit(request: ScopedRequest, group_id: int | None = None) -> HttpResponse:
    """Add a group, or change one your organisation runs."""
    group = selectors.group_get(group_id=group_id) if group_id else None
    if group is not None and group.organisation_id != _org(request).pk:
        raise NotFound("Your organisation does not run that group.")
    practices = selectors.organisation_list(kind=OrganisationKind.GP_PRACTICE, active_only=True)
    initial: dict[str, Any] = {}
    if group is not None:
        initial = {f: getattr(group, f) for f in ("name", "kind", "area", "description", "is_active")}
        initial["gp_practice"] = str(group.gp_practice_id or "")
    form = GroupForm(request.POST or None, practices=practices, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        practice_id = data.pop("gp_practice") or None
        try:
            if group is None:
                data.pop("is_active")
                group = services.group_create(
                    actor=request.user, organisation=_org(request), gp_practice_id=practice_id, **data
                )
            else:
                group = services.group_update(
                    actor=request.user,
                    organisation=_org(request),
                    group_id=group.pk,
                    gp_practice_id=practice_id,
                    **data,
                )
        except InvalidInput as error:
            show_on_form(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{group.name} has been saved.")
            return redirect("partners:group-detail", group_id=group.pk)
    return render(request, "partners/group_form.html", {"form": form, "group": group})


# Organisations (partnership administrators) -------------------------------------------


@require_permission(Permission.MANAGE_PARTNERSHIP)
def organisation_list(request: ScopedRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "") if request.GET.get("kind") in OrganisationKind.values else ""
    organisations = selectors.organisation_list(search=search, kind=kind)
    return render(
        request,
        "partners/organisation_list.html",
        {
            "page": paginate(request, organisations),
            "search": search,
            "kind": kind,
            "kinds": OrganisationKind.choices,
        },
    )


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_http_methods(["GET", "POST"])
def organisation_edit(request: ScopedRequest, organisation_id: int | None = None) -> HttpResponse:
    organisation = selectors.organisation_get(organisation_id=organisation_id) if organisation_id else None
    initial = {f: getattr(organisation, f) for f in OrganisationForm.base_fields} if organisation else {}
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if organisation is None:
                data = dict(form.cleaned_data)
                data.pop("is_active")
                organisation = services.organisation_create(actor=request.user, **data)
            else:
                services.organisation_update(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{organisation.name} has been saved.")
            return redirect("partners:organisation-list")
    return render(request, "partners/organisation_form.html", {"form": form, "organisation": organisation})
