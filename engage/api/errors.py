"""Turns domain errors into API responses in the same place as DRF's own errors.

Every error body is a JSON object. A 400 for bad input names each field with a list of
messages, as DRF's own validation does (`{"contact_id": ["There is no ..."]}`); any
other error is `{"detail": "..."}`. The OpenAPI document describes both
(`engage.api.schema.errors`).

DRF nests the messages about a list's entries or a dictionary's values
(`{"area_ids": {"1": ["..."]}}`); they are flattened here into the field's own list,
each saying which entry it is about, so a client reads every 400 the same way.
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from engage.core.errors import DomainError, InvalidInput
from engage.core.request_log import domain_error_reason, refusal_note


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = _response(exc, context)
    if response is not None and "request" in context:
        # Its one line in the server log says why (engage/core/request_log.py).
        refusal_note(context["request"]._request, _reason(exc, response))
    return response


def _response(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, InvalidInput):
        return Response({field: [message] for field, message in exc.errors.items()}, status=exc.status)
    if isinstance(exc, DomainError):
        return Response({"detail": exc.message}, status=exc.status)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, ValidationError):
        response.data = field_errors(response.data)
    return response


def _reason(exc: Exception, response: Response) -> str:
    """Why, for the log: the fields at fault for bad input (their messages may repeat what
    was sent), else the message the client was given."""
    if isinstance(exc, InvalidInput | ValidationError):
        return "Invalid input in " + ", ".join(sorted(map(str, response.data))) + "."
    if isinstance(exc, DomainError):
        return domain_error_reason(exc)
    detail = response.data.get("detail") if isinstance(response.data, dict) else None
    return str(detail) if detail else type(exc).__name__


def field_errors(detail: Any) -> dict[str, list[str]]:
    """DRF's validation errors as `{"field": ["message", ...]}`."""
    if not isinstance(detail, dict):
        return {api_settings.NON_FIELD_ERRORS_KEY: _messages(detail)}
    return {str(field): _messages(value) for field, value in detail.items()}


def _messages(detail: Any, about: str = "") -> list[str]:
    if isinstance(detail, dict):
        return [
            message
            for key, value in detail.items()
            for message in _messages(value, _entry(key) if about == "" else f"{about}, {_entry(key)}")
        ]
    if isinstance(detail, list):
        if all(not isinstance(item, list | dict) for item in detail):
            return [f"{about}: {item}" if about else str(item) for item in detail]
        # A nested serializer with many=True: one entry of messages per item, empty where it was right.
        return [
            message
            for index, item in enumerate(detail)
            for message in _messages(item, f"{about}, entry {index + 1}" if about else f"Entry {index + 1}")
        ]
    return [f"{about}: {detail}" if about else str(detail)]


def _entry(key: object) -> str:
    """How a message names what it is about: 'Entry 2' for a list's second entry (DRF
    keys those by number), else the dictionary's key or the nested field's name."""
    if isinstance(key, int):
        return f"Entry {key + 1}"
    return f"“{key}”"
