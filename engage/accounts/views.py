"""Sign-in, choosing the organisation to act for, and managing users and their roles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from engage.accounts import selectors, services
from engage.accounts.forms import (
    ButtonForm,
    MembershipGrantForm,
    SwitchOrganisationForm,
    UserCreateForm,
    UserUpdateForm,
)
from engage.accounts.middleware import SESSION_KEY
from engage.accounts.sign_in import selectors as sign_in_selectors
from engage.accounts.sign_in import services as sign_in_services
from engage.accounts.sign_in.selectors import has_second_factor
from engage.accounts.tokens.selectors import token_list, token_usable
from engage.core.access import require_permission, require_sign_in
from engage.core.errors import DomainError, NotFound
from engage.core.http import ScopedRequest
from engage.core.pagination import paginate
from engage.core.roles import Permission
from engage.partners.selectors import organisation_list


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = "/staff/"

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, "Your password has been changed.")
        return super().form_valid(form)


@require_sign_in
@require_GET
def your_account(request: ScopedRequest) -> HttpResponse:
    """One place to reach everything about your own account: password, two-step
    sign-in, access tokens and the organisations you act for."""
    return render(
        request,
        "accounts/your_account.html",
        {
            "memberships": selectors.membership_list(user=request.user).order_by(
                "organisation__name", "role"
            ),
            "has_second_factor": has_second_factor(request.user),
            "second_factor_required": sign_in_selectors.second_factor_required(request.user),
            "usable_tokens": sum(1 for token in token_list(user=request.user) if token_usable(token)),
        },
    )


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
            messages.success(request, f"We have emailed {user.email} an invitation to choose a password.")
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
    """One page, several small forms (details, roles, and buttons that send a password
    link, send the invitation again or reset the second factor); the hidden field `form`
    says which was sent, so only that one is bound and validated."""
    user, scope = _user_or_404(request, user_id)
    sent = request.POST.get("form") if request.method == "POST" else None

    def bound(name: str) -> Any:
        return request.POST if sent == name else None

    forms: dict[str, Any] = {
        "update": UserUpdateForm(
            bound("update"),
            initial={"first_name": user.first_name, "last_name": user.last_name, "is_active": user.is_active},
        ),
        "grant": MembershipGrantForm(
            bound("grant"),
            organisations=_manageable_organisations(request),
            partnership_wide=_partnership_wide(request),
            initial={"organisation": request.organisation},
        ),
        # Buttons with nothing to fill in.
        "password": ButtonForm(bound("password")),
        "invitation": ButtonForm(bound("invitation")),
        "second-factor": ButtonForm(bound("second-factor")),
    }
    actions: dict[str, tuple[Callable[..., object], str]] = {
        "update": (services.user_update, "The user's details have been saved."),
        "grant": (services.membership_grant, "The role has been given."),
        "password": (
            sign_in_services.password_link_send,
            f"We have emailed {user.email} a link to set a new password. Any lockout has been lifted.",
        ),
        "invitation": (services.invitation_resend, f"We have emailed {user.email} their invitation again."),
        "second-factor": (
            sign_in_services.second_factor_reset,
            "Two-step sign-in is reset: they will set it up again when they next sign in.",
        ),
    }
    if sent in actions and forms[sent].is_valid():
        action, done = actions[sent]
        try:
            action(
                actor=request.user,
                actor_organisation=request.organisation,
                user=user,
                **forms[sent].cleaned_data,
            )
        except DomainError as error:
            forms[sent].add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect("accounts:user-detail", user_id=user.pk)
    memberships = selectors.membership_list(user=user, organisation=scope)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "memberships": memberships,
            # The forms are offered only where the services would accept them (the rule
            # is in accounts.selectors); the services check again whatever is sent.
            "may_change": selectors.user_manageable(
                actor=request.user, actor_organisation=request.organisation, user=user
            ),
            "has_second_factor": has_second_factor(user),
            "tokens": token_list(user=user),
            "token_usable": token_usable,
            "invited": not user.has_usable_password(),
            **{f"{name.replace('-', '_')}_form": form for name, form in forms.items()},
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
