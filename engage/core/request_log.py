"""One line in the server log for each refused request, never a traceback.

Django logs a request it answers with 4xx on `django.request` (a `SuspiciousOperation`
on `django.security.<name>`), and when an exception caused it (`PermissionDenied`,
`BadRequest`, `DisallowedHost`) it attaches the exception, so every 403 printed a full
traceback. A refusal is expected behaviour, not a fault in the code: an operator needs
who was refused, where and why, on one line. `ClientErrorsOnOneLine` rewrites those
records; a 5xx keeps its traceback, because that is a fault.

`refusal_note` lets the code that turned a refusal into a response (the API's error
handler, the domain-error middleware) say why, where no exception reaches the log.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest

from engage.core.errors import DomainError

REQUEST_LOGGERS = ("django.request", "django.security")
_NOTE = "engage_refusal"


def refusal_note(request: HttpRequest, reason: str) -> None:
    """Remember why `request` was refused, for its line in the log."""
    setattr(request, _NOTE, reason)


def domain_error_reason(error: DomainError) -> str:
    """What the log may say of a domain error: a refusal's message, which states a rule;
    of any other only its kind, since its message may repeat what a person entered."""
    return error.message if error.status == 403 else type(error).__name__


class ClientErrorsOnOneLine(logging.Filter):
    """Rewrites a 4xx record from Django's request loggers as one line naming the user,
    the path and the reason, and drops its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if not isinstance(status, int) or not 400 <= status < 500:
            return True
        if not record.name.startswith(REQUEST_LOGGERS) or getattr(record, "engage_one_line", False):
            return True
        request = getattr(record, "request", None)
        said = record.getMessage()
        record.msg = "%s [%s, user %s]: %s"
        record.args = (said, status, _user(request), _reason(record, request))
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        record.engage_one_line = True
        return True


def _user(request: object) -> str:
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    return str(user.pk)


def _reason(record: logging.LogRecord, request: object) -> str:
    exception = record.exc_info[1] if record.exc_info else None
    said = str(exception) if exception is not None else ""
    if not said:
        said = str(getattr(request, _NOTE, ""))
    if not said and exception is not None:
        said = type(exception).__name__
    # One line, whatever a message holds.
    return " ".join(said.split()) or "no reason given"
