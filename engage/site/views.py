"""The public site: open to everyone, never shows personal data."""

from __future__ import annotations

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from engage.partners.selectors import organisation_list, partnership_summary


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html", {"summary": partnership_summary()})


@require_GET
def partners(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    organisations = organisation_list(search=search, active_only=True)
    return render(request, "site/partners.html", {"organisations": organisations, "search": search})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "site/accessibility.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "site/privacy.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 once the database answers and is migrated, 503 before."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM django_migrations LIMIT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "site/error.html",
        {"status": 400, "title": "Sorry, there is a problem with your request"},
        status=400,
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "site/error.html",
        {"status": 403, "title": "You do not have access to this page"},
        status=403,
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "site/error.html", {"status": 404, "title": "Page not found"}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "site/error.html",
        {"status": 500, "title": "Sorry, there is a problem with the service"},
        status=500,
    )
