"""A refused request leaves one line in the server log, naming the user, the path and
the reason; never a traceback (engage/core/request_log.py)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils.log import log_response

from engage.accounts.tests.factories import member_of
from engage.core.errors import NotFound, NotPermitted
from engage.core.middleware import DomainErrorMiddleware
from engage.core.request_log import ClientErrorsOnOneLine
from engage.core.roles import Role
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _lines(caplog: pytest.LogCaptureFixture, logger: str = "django.request") -> list[str]:
    """What the server log prints for each of `logger`'s records, through the
    console handler as settings configure it."""
    console = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, ClientErrorsOnOneLine) for f in h.filters)
    )
    lines = []
    for record in caplog.records:
        if record.name.startswith(logger):
            assert console.filter(record)
            lines.append(console.format(record))
    return lines


def _one_line(caplog: pytest.LogCaptureFixture, logger: str = "django.request") -> str:
    lines = _lines(caplog, logger)
    assert len(lines) == 1, lines
    assert "\n" not in lines[0]
    assert "Traceback" not in lines[0]
    return lines[0]


def test_page_refused_for_want_of_a_permission_logs_one_line_with_user_path_and_reason(
    client_for: Callable[..., Client], caplog: pytest.LogCaptureFixture
) -> None:
    organisation = OrganisationFactory()
    user = member_of(organisation, Role.BOARD_MEMBER)
    caplog.set_level(logging.WARNING)

    response = client_for(user, organisation).get("/staff/retention/rules/conversations/")

    assert response.status_code == 403
    assert b"Lacks the permission" not in response.content  # the reason is for the log, not the page
    line = _one_line(caplog)
    assert "/staff/retention/rules/conversations/" in line
    assert f"user {user.pk}" in line
    assert "Lacks the permission manage_partnership." in line
    # The record itself carries no traceback, so no handler prints one.
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.exc_info is None


def test_api_refusal_logs_one_line_with_the_reason_given_to_the_client(
    client_for: Callable[..., Client], caplog: pytest.LogCaptureFixture
) -> None:
    organisation = OrganisationFactory()
    user = member_of(organisation, Role.BOARD_MEMBER)
    caplog.set_level(logging.WARNING)

    response = client_for(user, organisation).get("/api/v1/people/")

    assert response.status_code == 403
    line = _one_line(caplog)
    assert "/api/v1/people/" in line
    assert f"user {user.pk}" in line
    assert "Your role in the organisation you act for does not allow this." in line


def test_anonymous_api_refusal_names_no_user(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)

    response = Client().get("/api/v1/people/")

    assert response.status_code in {401, 403}
    line = _one_line(caplog)
    assert "user anonymous" in line
    assert "/api/v1/people/" in line


def test_api_bad_input_logs_the_fields_at_fault_not_what_was_sent(
    client_for: Callable[..., Client], caplog: pytest.LogCaptureFixture
) -> None:
    organisation = OrganisationFactory()
    user = member_of(organisation, Role.ENGAGEMENT_OFFICER)
    caplog.set_level(logging.WARNING)

    response = client_for(user, organisation).post(
        "/api/v1/activities/",
        {"title": "", "lead_organisation_id": "secret-words"},
        content_type="application/json",
    )

    assert response.status_code == 400
    line = _one_line(caplog)
    assert "Invalid input in " in line
    assert "secret-words" not in line


def _log_domain_error(request: Any, error: Exception) -> None:
    """What happens to a domain error raised below a page: the middleware answers, and
    Django logs the answer."""
    response = DomainErrorMiddleware(lambda r: HttpResponse()).process_exception(request, error)
    assert response is not None
    log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)


def test_refusal_by_a_domain_error_logs_its_rule(caplog: pytest.LogCaptureFixture) -> None:
    request = RequestFactory().post("/staff/somewhere/")
    request.user = member_of(OrganisationFactory(), Role.ENGAGEMENT_OFFICER)
    caplog.set_level(logging.WARNING)

    _log_domain_error(request, NotPermitted("Only a partnership administrator may do this."))

    line = _one_line(caplog)
    assert f"[403, user {request.user.pk}]: Only a partnership administrator may do this." in line


def test_other_domain_errors_log_only_their_kind(caplog: pytest.LogCaptureFixture) -> None:
    """Their messages may repeat what a person entered, so the log keeps only the kind."""
    caplog.set_level(logging.WARNING)

    _log_domain_error(
        RequestFactory().get("/staff/somewhere/"),
        NotFound("There is no template called 'Jo Bloggs, 1 High Street'."),
    )

    assert _one_line(caplog).endswith("[404, user anonymous]: NotFound")


def test_a_request_from_a_host_not_allowed_logs_one_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)

    response = Client().get("/", HTTP_HOST="attacker.example\n.invalid")

    assert response.status_code == 400
    line = _one_line(caplog, "django.security")
    assert "Invalid HTTP_HOST header" in line
    assert "user anonymous" in line


def _record(status: int, level: int, message: str, exception: Exception) -> logging.LogRecord:
    """A record as Django's log_response makes one for a response caused by `exception`."""
    try:
        raise exception
    except type(exception):
        record = logging.LogRecord("django.request", level, __file__, 1, message, ("/x/",), sys.exc_info())
    record.status_code = status
    record.request = None
    return record


def test_a_server_error_keeps_its_traceback() -> None:
    record = _record(500, logging.ERROR, "Internal Server Error: %s", RuntimeError("a fault in the code"))

    assert ClientErrorsOnOneLine().filter(record)

    assert record.exc_info is not None
    assert "Traceback" in logging.Formatter().format(record)


@pytest.mark.parametrize("status", [400, 403, 404, 405])
def test_every_client_error_record_loses_its_traceback(status: int) -> None:
    record = _record(status, logging.WARNING, "Refused: %s", ValueError("refused"))

    assert ClientErrorsOnOneLine().filter(record)
    # Applied twice (the logger's filter, then the handler's), it stays one line.
    assert ClientErrorsOnOneLine().filter(record)

    assert logging.Formatter().format(record) == f"Refused: /x/ [{status}, user anonymous]: refused"
