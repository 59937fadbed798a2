"""Sign-in, choosing the organisation to act for, and managing users and their roles."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from engage.accounts import selectors, services
from engage.accounts.forms import (
    MembershipGrantForm,
    SignInForm,
    SwitchOrganisationForm,
    UserCreateForm,
    UserUpdateForm,
)
from engage.accounts.middleware import SESSION_KEY
from engage.core.access import require_permission, require_sign_in
from engage.core.errors import DomainError, NotFound
from engage.core.http import ScopedRequest
from engage.core.pagination import paginate
from engage.core.roles import Permission
from engage.partners.selectors import organisation_list


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.sign_in_record(actor=form.get_user())
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = "/staff/"

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, "Your password has been changed.")
        return super().form_valid(form)


@require_http_methods(["GET", "POST"])
def sign_out(request: ScopedRequest) -> HttpResponse:
    if request.method == "POST":
        logout(request)
        return redirect("site:home")
    return render(request, "accounts/sign_out.html")


@require_sign_in
@require_http_methods(["GET", "POST"])
def switch_organisation(request: ScopedRequest) -> HttpResponse:
    choices = request.organisation_choices
    form = SwitchOrganisationForm(
        request.POST or None,
        organisations=choices,
        initial={"organisation": getattr(request.organisation, "pk", None)},
    )
    if request.method == "POST" and form.is_valid():
        chosen = next(o for o in choices if str(o.pk) == form.cleaned_data["organisation"])
        request.session[SESSION_KEY] = chosen.pk
        services.organisation_switch_record(actor=request.user, organisation=chosen)
        messages.success(request, f"You are now acting for {chosen.name}.")
        return redirect("staff:home")
    return render(request, "accounts/switch_organisation.html", {"form": form, "choices": choices})


def _partnership_wide(request: ScopedRequest) -> bool:
    return Permission.MANAGE_PARTNERSHIP in request.permissions


def _manageable_organisations(request: ScopedRequest) -> Any:
    if _partnership_wide(request):
        return organisation_list(active_only=True)
    return organisation_list().filter(pk=request.organisation.pk)


@require_permission(Permission.MANAGE_ORGANISATION_USERS)
def user_list(request: ScopedRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    scope = None if _partnership_wide(request) else request.organisation
    page = paginate(request, selectors.user_list(search=search, organisation=scope))
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "search": search, "partnership_wide": scope is None},
    )


@require_permission(Permission.MANAGE_ORGANISATION_USERS)
@require_http_methods(["GET", "POST"])
def user_create(request: ScopedRequest) -> HttpResponse:
    form = UserCreateForm(
        request.POST or None,
        organisations=_manageable_organisations(request),
        partnership_wide=_partnership_wide(request),
        initial={"organisation": request.organisation},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                actor=request.user,
                actor_organisation=request.organisation,
                **form.cleaned_data,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{user.email} can now sign in.")
            return redirect("accounts:user-detail", user_id=user.pk)
    return render(request, "accounts/user_create.html", {"form": form})


def _user_or_404(request: ScopedRequest, user_id: int) -> Any:
    scope = None if _partnership_wide(request) else request.organisation
    user = selectors.user_get(user_id=user_id, organisation=scope)
    if user is None:
        raise NotFound("There is no such user in your organisation.")
    return user, scope


@require_permission(Permission.MANAGE_ORGANISATION_USERS)
@require_http_methods(["GET", "POST"])
def user_detail(request: ScopedRequest, user_id: int) -> HttpResponse:
    user, scope = _user_or_404(request, user_id)
    update_form = UserUpdateForm(
        request.POST if request.POST.get("form") == "update" else None,
        initial={"first_name": user.first_name, "last_name": user.last_name, "is_active": user.is_active},
    )
    grant_form = MembershipGrantForm(
        request.POST if request.POST.get("form") == "grant" else None,
        organisations=_manageable_organisations(request),
        partnership_wide=_partnership_wide(request),
        initial={"organisation": request.organisation},
    )
    if request.method == "POST":
        form = update_form if request.POST.get("form") == "update" else grant_form
        if form.is_valid():
            try:
                if form is update_form:
                    services.user_update(
                        actor=request.user,
                        actor_organisation=request.organisation,
                        user=user,
                        **form.cleaned_data,
                    )
                    messages.success(request, "The user's details have been saved.")
                else:
                    services.membership_grant(
                        actor=request.user,
                        actor_organisation=request.organisation,
                        user=user,
                        **form.cleaned_data,
                    )
                    messages.success(request, "The role has been given.")
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return redirect("accounts:user-detail", user_id=user.pk)
    memberships = selectors.membership_list(user=user, organisation=scope)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "memberships": memberships,
            "update_form": update_form,
            "grant_form": grant_form,
        },
    )


@require_permission(Permission.MANAGE_ORGANISATION_USERS)
@require_POST
def membership_revoke(request: ScopedRequest, user_id: int, membership_id: int) -> HttpResponse:
    user, scope = _user_or_404(request, user_id)
    membership = selectors.membership_list(user=user, organisation=scope).filter(pk=membership_id).first()
    if membership is None:
        raise NotFound("There is no such role to remove.")
    services.membership_revoke(
        actor=request.user,
        actor_organisation=request.organisation,
        membership=membership,
    )
    messages.success(request, "The role has been removed.")
    return redirect("accounts:user-detail", user_id=user.pk)
