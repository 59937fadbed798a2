"""Keeps a signed-in user who owes a second factor out of everything but the pages that
settle it.

Two cases: the user has an authenticator but this session was not verified with it (a
session from before it was set up), so they are asked for a code; or the user must have
one (an administrator, `selectors.second_factor_required`) and has none yet, so they
are sent to set it up. Public pages stay open; the staff area, the accounts pages and
the API do not. A script using a personal access token has no session and is not
affected: tokens are made in a session that was verified.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from engage.accounts.sign_in.selectors import has_second_factor, second_factor_required

GUARDED = ("/staff/", "/api/", "/accounts/")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        user: Any = request.user  # django-otp's middleware adds is_verified()
        if not user.is_authenticated or user.is_verified():
            return None
        path = request.path
        open_paths = {
            reverse("accounts:sign-out"),
            reverse("accounts:sign-in-code"),
            reverse("accounts:authenticator-set-up"),
        }
        if path in open_paths or not path.startswith(GUARDED):
            return None
        if has_second_factor(user):
            where, message = "accounts:sign-in-code", "Enter the code from your authenticator app."
        elif second_factor_required(user):
            where, message = "accounts:authenticator-set-up", "Set up two-step sign-in before you go on."
        else:
            return None
        if path.startswith("/api/"):
            return JsonResponse({"detail": f"Finish signing in first: {message}"}, status=403)
        return redirect(f"{reverse(where)}?{urlencode({'next': request.get_full_path()})}")
