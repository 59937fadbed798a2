"""Turns domain errors raised anywhere below a view into one consistent response."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from engage.core.errors import DomainError
from engage.core.request_log import domain_error_reason, refusal_note


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        refusal_note(request, domain_error_reason(exception))
        return render(
            request,
            "core/domain_error.html",
            {"message": exception.message, "status": exception.status},
            status=exception.status,
        )
