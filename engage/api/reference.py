"""The API's front door: its index at /api/v1/, and its reference page.

The index is read from the routes themselves (`engage/api/urls.py`), so an endpoint
joins it by being routed: every address, with the methods it answers, a link where the
address needs no id and a template (`{person_id}`) where it does. It needs sign-in, as
the OpenAPI document does, and is left out of the document: it describes no data.

The reference page shows the OpenAPI document through Swagger UI, vendored from npm
(`swagger-ui-dist`, copied by `make assets` as NHS.UK frontend is), started by a script
file under the site's Content-Security-Policy: no inline script or style, nothing from
another host. It is a page, so it asks a visitor who is not signed in to sign in. Its
"Try it out" sends GET requests only: a write from a documentation page would be made
by whoever happened to be signed in.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, reverse
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engage.core.access import require_sign_in

# Routes of the front door itself, not resources.
FRONT_DOOR = {"index", "reference", "schema"}
METHODS = ("get", "post", "put", "patch", "delete")
_PARAMETER = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


def resources(request: HttpRequest) -> list[dict[str, Any]]:
    """Every endpoint of the API: its name, its address (or the template of one), and
    the methods it answers."""
    from engage.api import urls  # noqa: PLC0415 - the routes import this module

    # Built by hand after the prefix, so a template's braces are not percent-encoded.
    prefix = request.build_absolute_uri(reverse("api:index"))
    found: list[dict[str, Any]] = []
    for entry in urls.urlpatterns:
        if not isinstance(entry, URLPattern) or entry.name in FRONT_DOOR:
            continue
        view_class = getattr(entry.callback, "view_class", None)
        route = str(entry.pattern)
        resource: dict[str, Any] = {"name": entry.name}
        address = prefix + _PARAMETER.sub(r"{\1}", route)
        resource["url_template" if "<" in route else "url"] = address
        resource["methods"] = [
            m.upper() for m in METHODS if view_class is not None and hasattr(view_class, m)
        ]
        found.append(resource)
    return found


@extend_schema(exclude=True)
class ApiIndex(APIView):
    """What the API offers, and where to read about it."""

    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        return Response(
            {
                "title": settings.SPECTACULAR_SETTINGS["TITLE"],
                "version": settings.SPECTACULAR_SETTINGS["VERSION"],
                "reference": request.build_absolute_uri(reverse("api:reference")),
                "schema": request.build_absolute_uri(reverse("api:schema")),
                "authentication": "Send a personal access token as the header 'Authorization: Bearer <token>'. "
                "Make one on the page 'Access tokens for scripts': "
                + request.build_absolute_uri(reverse("accounts:token-list")),
                "resources": resources(request),
            }
        )


@require_GET
@require_sign_in
def reference(request: HttpRequest) -> HttpResponse:
    return render(request, "api/reference.html", {"schema_url": reverse("api:schema")})
