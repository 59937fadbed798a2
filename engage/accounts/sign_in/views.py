"""Signing in, step by step: email and password, then (for those who have one) the
second factor; setting up an authenticator app; choosing a password through an
emailed link. The rules are in `services` and `selectors`; these pages only ask."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from engage.accounts.sign_in import selectors, services
from engage.accounts.sign_in.forms import (
    WRONG_PASSWORD,
    AuthenticatorConfirmForm,
    PasswordResetRequestForm,
    SecondFactorForm,
    SignInForm,
)
from engage.accounts.sign_in.invitation import invitation_tokens
from engage.core.access import require_sign_in
from engage.core.errors import DomainError, InvalidInput
from engage.core.http import ScopedRequest, same_site
from engage.core.ratelimit import RateLimit, client_key, rate_limit_check, rate_limit_hit, value_key

PENDING = "engage_sign_in_pending"  # the session key of a sign-in waiting for its second factor
PENDING_SECONDS = 10 * 60
SET_UP_DEVICE = "engage_authenticator_pending"


def _next(request: HttpRequest) -> str:
    return same_site(request, request.POST.get("next") or request.GET.get("next")) or reverse("staff:home")


def _locked(request: HttpRequest, refusal: RateLimit) -> HttpResponse:
    minutes = max(1, -(-refusal.retry_after_seconds // 60))
    response = render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(refusal.retry_after_seconds)
    return response


def _finish(
    request: HttpRequest, user: Any, client: selectors.SignInClient, device: Any = None, how: str = ""
) -> HttpResponse:
    """Both factors are right (or only a password is needed): sign the user in."""
    next_url = request.session.get(PENDING, {}).get("next") or _next(request)
    request.session.pop(PENDING, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if device is not None:
        otp_login(request, device)
    services.sign_in_success_record(client)
    services.sign_in_record(actor=user, second_factor=how)
    response = HttpResponseRedirect(same_site(request, next_url) or reverse("staff:home"))
    if selectors.known_device_id(request, user_id=user.pk) is None:
        response.set_cookie(
            selectors.DEVICE_COOKIE,
            services.known_device_cookie(user),
            max_age=selectors.DEVICE_COOKIE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and getattr(request.user, "is_verified", lambda: True)():
        return HttpResponseRedirect(_next(request))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["username"].strip().lower()
        user_id = selectors.account_id_for(email)
        client = selectors.sign_in_client(request, email=email, user_id=user_id)
        refusal = selectors.sign_in_refusal(client)
        if refusal is not None:
            return _locked(request, refusal)
        hits = services.sign_in_try_record(client)
        user = authenticate(request, username=email, password=form.cleaned_data["password"])
        if user is None:
            form.add_error(None, WRONG_PASSWORD)
        else:
            services.sign_in_try_right(hits)
            if not selectors.has_second_factor(user):
                return _finish(request, user, client)
            request.session.cycle_key()
            request.session[PENDING] = {"user": user.pk, "at": time.time(), "next": _next(request)}
            return redirect("accounts:sign-in-code")
    return render(request, "accounts/sign_in.html", {"form": form, "next": _next(request)})


def _waiting_user(request: HttpRequest) -> Any:
    """The user whose sign-in waits for a second factor: signed in but not yet verified
    (an old session), or part way through signing in (within PENDING_SECONDS)."""
    if request.user.is_authenticated:
        return request.user
    pending = request.session.get(PENDING) or {}
    if not pending or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    return selectors.active_account(int(pending.get("user") or 0))


@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """The second step: the code from the authenticator app, or a recovery code. Wrong
    codes count as wrong tries, as wrong passwords do."""
    user = _waiting_user(request)
    if user is None:
        messages.info(request, "Sign in again: the time to enter your code ran out.")
        return redirect("accounts:sign-in")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = selectors.sign_in_client(request, email=user.email, user_id=user.pk)
        refusal = selectors.sign_in_refusal(client)
        if refusal is not None:
            return _locked(request, refusal)
        hits = services.sign_in_try_record(client)
        try:
            verified = services.second_factor_verify(user=user, code=form.cleaned_data["code"])
        except InvalidInput as wait:  # sent during django-otp's wait after wrong codes
            form.add_error("code", wait.errors.get("code", wait.message))
            verified = None
        else:
            if verified is None:
                form.add_error(
                    "code", "The code is not right. Enter the 6 digits the app shows now, or a recovery code."
                )
        if verified is not None:
            services.sign_in_try_right(hits)
            if verified.used_recovery_code:
                messages.warning(
                    request,
                    "You signed in with a recovery code, which now no longer works. "
                    "Make new recovery codes if you are running low.",
                )
            if request.user.is_authenticated:  # an old session, now verified
                otp_login(request, verified.device)
                services.sign_in_success_record(client)
                return HttpResponseRedirect(_next(request))
            how = "a recovery code" if verified.used_recovery_code else "an authenticator app"
            return _finish(request, user, client, verified.device, how)
    return render(request, "accounts/sign_in_code.html", {"form": form, "next": request.GET.get("next", "")})


# --- Setting up an authenticator ------------------------------------------------------------


@require_sign_in
def two_factor(request: ScopedRequest) -> HttpResponse:
    """What second factor the user has, and the ways to change it."""
    return render(
        request,
        "accounts/two_factor.html",
        {
            "authenticator": selectors.authenticator_of(request.user),
            "required": selectors.second_factor_required(request.user),
        },
    )


def _never_cached(response: HttpResponse) -> HttpResponse:
    """Pages showing a secret (the app's key, recovery codes) are kept out of caches and
    the browser's history."""
    add_never_cache_headers(response)
    return response


@require_sign_in
@require_http_methods(["GET", "POST"])
def authenticator_set_up(request: ScopedRequest) -> HttpResponse:
    form = AuthenticatorConfirmForm(request.POST or None)
    device = None
    if request.method == "POST":
        device = selectors.authenticator_waiting(
            user=request.user, device_id=request.session.get(SET_UP_DEVICE)
        )
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            done = services.authenticator_confirm(
                user=request.user, device_id=device.pk, code=form.cleaned_data["code"]
            )
        except InvalidInput as error:
            form.add_error("code", error.errors.get("code", error.message))
        else:
            request.session.pop(SET_UP_DEVICE, None)
            otp_login(request, done.device)
            return _never_cached(
                render(request, "accounts/recovery_codes.html", {"codes": done.recovery_codes, "first": True})
            )
    if device is None:
        device = services.authenticator_begin(user=request.user)
        request.session[SET_UP_DEVICE] = device.pk
    return _never_cached(
        render(
            request,
            "accounts/authenticator_set_up.html",
            {
                "form": form,
                "qr_svg": selectors.qr_code_svg(device.config_url),
                "key": selectors.readable_key(device),
            },
        )
    )


@require_sign_in
@require_POST
def recovery_codes_new(request: ScopedRequest) -> HttpResponse:
    try:
        codes = services.recovery_codes_replace(user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("accounts:two-factor")
    return _never_cached(render(request, "accounts/recovery_codes.html", {"codes": codes, "first": False}))


# --- Passwords through an emailed link ------------------------------------------------------


def _reset_limits(request: HttpRequest, email: str) -> list[tuple[str, str, int]]:
    """(scope, key, limit) of the two limits on asking for links: per address, and per
    email address asked about, whether or not an account uses it."""
    return [
        ("password-reset:address", client_key(request, scope="password-reset:address"), 10),
        ("password-reset:email", value_key(email, scope="password-reset:email"), 3),
    ]


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        window = dt.timedelta(hours=1)
        for scope, key, limit in _reset_limits(request, email):
            verdict = rate_limit_check(scope=scope, key=key, limit=limit, window=window)
            if not verdict.allowed:
                return _locked(request, verdict)
        for scope, key, _limit in _reset_limits(request, email):
            rate_limit_hit(scope=scope, key=key, window=window)
        services.password_reset_request(request=request, email=email)
        return redirect("accounts:password-reset-sent")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/password_reset_sent.html", {"minutes": settings.PASSWORD_RESET_TIMEOUT // 60}
    )


class PasswordFromLinkView(auth_views.PasswordResetConfirmView):
    """Choose a password from a link in an email (Django's own view: the token leaves
    the address bar before the form is shown, and is used up once the password is set)."""

    kind = "reset"
    template_name = "accounts/password_from_link.html"
    success_url = reverse_lazy("accounts:password-set")
    token_generator = default_token_generator

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["kind"] = self.kind
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_set_by_link_record(user=form.user, kind=self.kind)
        return response


class InvitationAcceptView(PasswordFromLinkView):
    kind = "invitation"
    token_generator = invitation_tokens
    reset_url_token = "choose-password"  # noqa: S105 - the URL word Django puts in place of the token


def password_set(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_set.html")
