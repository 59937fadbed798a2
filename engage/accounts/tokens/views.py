"""The owner's page of personal access tokens: make one (its key shown once), see when
each was last used, revoke any."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from engage.accounts.tokens import selectors, services
from engage.accounts.tokens.forms import TokenCreateForm
from engage.core.access import require_sign_in
from engage.core.errors import InvalidInput
from engage.core.forms import show_on_form
from engage.core.http import ScopedRequest


@require_sign_in
@require_http_methods(["GET", "POST"])
def token_list(request: ScopedRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.token_create(
                actor=request.user,
                organisation=request.organisation,
                name=form.cleaned_data["name"],
                access=form.cleaned_data["access"],
                days=int(form.cleaned_data["days"]),
            )
        except InvalidInput as error:
            show_on_form(form, error)
        else:
            response = render(request, "accounts/token_made.html", {"made": made})
            add_never_cache_headers(response)  # the key is on this page, once
            return response
    return render(
        request,
        "accounts/token_list.html",
        {"form": form, "tokens": selectors.token_list(user=request.user), "usable": selectors.token_usable},
    )


@require_sign_in
@require_POST
def token_revoke(request: ScopedRequest, prefix: str) -> HttpResponse:
    token = services.token_revoke(actor=request.user, actor_organisation=request.organisation, prefix=prefix)
    messages.success(request, f"The token {token.name} no longer works.")
    if token.user_id != request.user.pk:
        return redirect("accounts:user-detail", user_id=token.user_id)
    return redirect("accounts:token-list")
