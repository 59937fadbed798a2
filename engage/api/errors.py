"""Turns domain errors into API responses in the same place as DRF's own errors.

Every error body is a JSON object. A 400 for bad input names each field with a list of
messages, as DRF's own validation does (`{"contact_id": ["There is no ..."]}`); any
other error is `{"detail": "..."}`. The OpenAPI document describes both.
"""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from engage.core.errors import DomainError, InvalidInput


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, InvalidInput):
        return Response({field: [message] for field, message in exc.errors.items()}, status=exc.status)
    if isinstance(exc, DomainError):
        return Response({"detail": exc.message}, status=exc.status)
    return drf_exception_handler(exc, context)
