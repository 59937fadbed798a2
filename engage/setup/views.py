"""The first-run page: the partnership set up in the browser, as `engage setup` does on
the command line. Nobody can sign in yet, so it opens only with the one-time code that
`engage serve` prints on the console; tries are limited, and once the partnership is set
up the page is gone (404). Afterwards its administrators can rename the partnership."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from engage.core.access import require_permission
from engage.core.errors import Conflict, DomainError, InvalidInput, NotPermitted
from engage.core.forms import show_on_form
from engage.core.http import ScopedRequest
from engage.core.ratelimit import client_key, rate_limit_check, rate_limit_hit
from engage.core.roles import Permission
from engage.core.selectors import partnership_get
from engage.core.tabular.errors import ImportFileError
from engage.core.uploads import upload_store, uploads_folder
from engage.places.selectors import district_list
from engage.places.services import wards_load
from engage.setup import services
from engage.setup.forms import CodeForm, PartnershipForm, PartnershipNameForm, WardLookupForm

SESSION_CODE = "engage.first_run_code"
TRIES = 10
WINDOW = dt.timedelta(hours=1)
SCOPE = "first-run"


def _not_set_up() -> None:
    if partnership_get() is not None:
        raise Http404("The partnership is set up.")


def _too_many_tries(request: HttpRequest) -> bool:
    return not rate_limit_check(
        scope=SCOPE, key=client_key(request, scope=SCOPE), limit=TRIES, window=WINDOW
    ).allowed


def _good_code(request: HttpRequest, code: str) -> bool:
    """Whether the code is good; a wrong one posted (on either page) counts as a try."""
    if services.first_run_code_valid(code):
        return True
    if request.method == "POST":
        rate_limit_hit(scope=SCOPE, key=client_key(request, scope=SCOPE), window=WINDOW)
    return False


@require_http_methods(["GET", "POST"])
def first_run(request: HttpRequest) -> HttpResponse:
    """The code: from the link the console printed (?code=) or typed in."""
    _not_set_up()
    form = CodeForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        if _too_many_tries(request):
            form.add_error("code", "Too many wrong codes from here. Try again in an hour.")
        elif _good_code(request, form.cleaned_data["code"]):
            request.session.cycle_key()
            request.session[SESSION_CODE] = form.cleaned_data["code"]
            return redirect("setup:first-run-partnership")
        else:
            form.add_error(
                "code", "That is not the code, or it has expired. Restart engage serve for a new one."
            )
    return render(request, "setup/first_run.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def first_run_partnership(request: HttpRequest) -> HttpResponse:
    """The ward lookup (when none is loaded), then the partnership and its first administrator."""
    _not_set_up()
    # The code travels with each form (a hidden field), as a token does; the first page
    # put it in the session for this page to show it.
    code = str(
        request.POST.get("code", "") if request.method == "POST" else request.session.get(SESSION_CODE, "")
    )
    if (request.method == "POST" and _too_many_tries(request)) or not _good_code(request, code):
        return redirect("setup:first-run")
    districts = [(d.code, f"{d.name} ({d.code})") for d in district_list()]
    if not districts:
        return _ward_lookup_step(request, code)
    form = PartnershipForm(request.POST or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        details = {name: value for name, value in form.cleaned_data.items() if name != "admin_password_again"}
        try:
            done = services.partnership_set_up_on_the_web(code=code, **details)
        except InvalidInput as error:
            show_on_form(form, error)
        except NotPermitted:
            return redirect("setup:first-run")
        except DomainError as error:  # the administrator: a weak password, an address in use
            form.add_error(None, error.message)
        else:
            request.session.pop(SESSION_CODE, None)
            return render(request, "setup/first_run_done.html", {"done": done})
    return render(
        request,
        "setup/first_run_partnership.html",
        {"form": form, "code": code},
        status=400 if form.errors else 200,
    )


def _ward_lookup_step(request: HttpRequest, code: str) -> HttpResponse:
    form = WardLookupForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = Path(upload.name or "lookup.csv").name
        stored = upload_store(
            upload.chunks(), folder=uploads_folder("first-run"), suffix=Path(name).suffix.lower()
        )
        try:
            load = wards_load(actor=None, path=stored.path, file_name=name)
        except ImportFileError as error:
            form.add_error("file", error.message)
        finally:
            stored.path.unlink(missing_ok=True)
        if not form.errors:
            messages.success(request, f"Loaded the ward lookup: {load.note}")
            return redirect("setup:first-run-partnership")
    return render(
        request,
        "setup/first_run_lookup.html",
        {"form": form, "code": code},
        status=400 if form.errors else 200,
    )


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_http_methods(["GET", "POST"])
def partnership_edit(request: ScopedRequest) -> HttpResponse:
    """The partnership's name, for its administrators."""
    partnership = partnership_get()
    form = PartnershipNameForm(
        request.POST or None, initial={"name": partnership.name if partnership else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_rename(actor=request.user, name=form.cleaned_data["name"])
        except InvalidInput as error:
            show_on_form(form, error)
        except Conflict as error:  # not set up yet
            form.add_error(None, error.message)
        else:
            messages.success(request, "The partnership's name has been saved.")
            return redirect("setup:partnership-edit")
    return render(request, "setup/partnership_edit.html", {"form": form, "partnership": partnership})
