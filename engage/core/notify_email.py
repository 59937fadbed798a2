"""Email through GOV.UK Notify, as a Django email backend: whatever sends email with
Django's framework (feedback, password resets, invitations) goes through Notify when
ENGAGE_EMAIL is `notify`, with no change to the code that sends it.

Notify sends only from templates made in its dashboard, so this backend uses one
template whose subject is ((subject)) and whose body is ((body)), and fills them from
each message. It sends the plain-text body: Notify makes its own HTML, in its own
layout, from the text, so a message's HTML alternative is not used. Notify reads the
text as its own kind of markdown, so the body is first made to read as it was written
(see `notify_plain_text`).

Notify takes one address a call, so a message to several people is several calls.
Errors come back as `NotifyEmailError`, whose message is a sentence fit for a failure
record; nothing this module says or logs contains the API key.
"""

from __future__ import annotations

import logging
import re
import textwrap
import threading
import uuid
from collections.abc import Iterable, Sequence
from email.utils import parseaddr
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.views.decorators.debug import sensitive_variables
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

log = logging.getLogger(__name__)

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# A Notify API key is the key's name, the service's id and the secret, joined by
# hyphens. The client slices the last two out by position, so a key cut short when it
# was pasted would fail later with a confusing error; check its shape here instead.
_API_KEY = re.compile(rf"^(?:.+-)?{_UUID}-{_UUID}$", re.IGNORECASE)
_SECRET_LENGTH = 36


class NotifyEmailError(Exception):
    """GOV.UK Notify did not send an email. The message is a plain sentence, safe to
    store and to show staff; `status_code` is Notify's HTTP status, None when Notify
    was not reached or the email was not sent to it."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class _Session(Protocol):
    def close(self) -> None: ...


class _NotifyClient(Protocol):
    """The part of `NotificationsAPIClient` used here, typed: the package has none."""

    @property
    def request_session(self) -> _Session: ...

    def send_email_notification(
        self,
        *,
        email_address: str,
        template_id: str,
        personalisation: dict[str, str] | None = None,
        reference: str | None = None,
        email_reply_to_id: str | None = None,
        one_click_unsubscribe_url: str | None = None,
    ) -> Any: ...


class NotifyEmailBackend(BaseEmailBackend):
    """Sends each message through GOV.UK Notify. Settings: ENGAGE_NOTIFY_API_KEY,
    ENGAGE_NOTIFY_TEMPLATE_ID, and optionally ENGAGE_NOTIFY_REPLY_TO_ID and
    ENGAGE_NOTIFY_BASE_URL; each may be given as a keyword instead, as Django's own
    backends allow. EMAIL_TIMEOUT, when set, limits how long a call may wait."""

    # Keeps the key off Django's error pages, which show each frame's variables.
    @sensitive_variables("api_key")
    def __init__(
        self,
        fail_silently: bool = False,
        *,
        api_key: str | None = None,
        template_id: str | None = None,
        reply_to_id: str | None = None,
        base_url: str | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self._api_key = _api_key(api_key if api_key is not None else _setting("ENGAGE_NOTIFY_API_KEY"))
        self.template_id = _notify_id(
            "ENGAGE_NOTIFY_TEMPLATE_ID",
            template_id if template_id is not None else _setting("ENGAGE_NOTIFY_TEMPLATE_ID"),
            missing="Set ENGAGE_NOTIFY_TEMPLATE_ID to the ID of the GOV.UK Notify template whose "
            "subject is ((subject)) and whose body is ((body)).",
        )
        reply_to_id = reply_to_id if reply_to_id is not None else _setting("ENGAGE_NOTIFY_REPLY_TO_ID")
        self.reply_to_id = _notify_id("ENGAGE_NOTIFY_REPLY_TO_ID", reply_to_id) if reply_to_id else None
        self.base_url = base_url if base_url is not None else _setting("ENGAGE_NOTIFY_BASE_URL")
        if self.base_url and not self.base_url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("ENGAGE_NOTIFY_BASE_URL must be an address starting https://.")
        self.timeout = timeout if timeout is not None else getattr(settings, "EMAIL_TIMEOUT", None) or 30
        self._client: _NotifyClient | None = None
        # The Notify client and its HTTP session are not thread-safe; Django's SMTP
        # backend guards its connection the same way.
        self._lock = threading.RLock()

    def open(self) -> bool:
        """Make the client (no network: each call authenticates itself). True when
        this call made it, so whoever opened it also closes it."""
        return self._connect()[1]

    def _connect(self) -> tuple[_NotifyClient, bool]:
        if self._client is not None:
            return self._client, False
        options: dict[str, Any] = {"timeout": self.timeout}
        if self.base_url:
            options["base_url"] = self.base_url
        client: _NotifyClient = NotificationsAPIClient(self._api_key, **options)  # type: ignore[no-untyped-call]
        self._client = client
        return client, True

    def close(self) -> None:
        if self._client is not None:
            self._client.request_session.close()
            self._client = None

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not email_messages:
            return 0
        with self._lock:
            client, opened = self._connect()
            try:
                return sum(self._send_or_note(client, message) for message in email_messages)
            finally:
                if opened:
                    self.close()

    def _send_or_note(self, client: _NotifyClient, message: EmailMessage) -> bool:
        try:
            return self._send(client, message)
        except NotifyEmailError as error:
            if not self.fail_silently:
                raise
            # Failing silently must not mean failing unseen.
            log.warning("An email was not sent: %s", error)
            return False

    def _send(self, client: _NotifyClient, message: EmailMessage) -> bool:
        addresses = _addresses(message.recipients())
        if not addresses:
            return False
        personalisation = {"subject": str(message.subject), "body": notify_plain_text(_plain_body(message))}
        unsubscribe = one_click_unsubscribe_url(message.extra_headers)
        reference = _reference(message.extra_headers)
        sent = 0
        failure: NotifyEmailError | None = None
        for address in addresses:
            try:
                answer = client.send_email_notification(
                    email_address=address,
                    template_id=self.template_id,
                    personalisation=personalisation,
                    reference=reference,
                    email_reply_to_id=self.reply_to_id,
                    one_click_unsubscribe_url=unsubscribe,
                )
            except APIError as error:
                this_failure = self._error(error)
                failure = failure or this_failure
                # A 400 is about this address (not valid, or not on a trial service's
                # list), so the others may still go; anything else (a bad key, a
                # limit reached, Notify down) would fail for them all.
                if this_failure.status_code != 400:
                    break
                continue
            sent += 1
            notification_id = answer.get("id") if isinstance(answer, dict) else None
            log.debug("GOV.UK Notify took email %s as notification %s.", reference, notification_id)
        if failure is not None:
            if len(addresses) > 1:
                raise NotifyEmailError(
                    f"{failure} It went to {sent} of its {len(addresses)} recipients.",
                    status_code=failure.status_code,
                )
            raise failure
        return True

    def _error(self, error: APIError) -> NotifyEmailError:
        response = error.response
        if response is None:
            # The client turns a failure to connect into an error with no response;
            # what requests said (a timeout, an unknown host) is its cause.
            cause = error.__cause__
            why = f": {_sentence(textwrap.shorten(str(cause), 200, placeholder=' …'))}" if cause else "."
            message = f"GOV.UK Notify could not be reached{why}"
            return NotifyEmailError(self._without_key(message))
        status = int(response.status_code)
        detail = _notify_messages(response)
        if 200 <= status < 300:
            # Only InvalidResponse: Notify (or a proxy before it) said yes in words
            # that could not be read, so the email may have gone.
            message = "GOV.UK Notify's answer could not be read, so the email may or may not have gone."
        elif status == 403:
            message = f"GOV.UK Notify refused ENGAGE_NOTIFY_API_KEY: {detail or 'the key was not accepted.'}"
        elif status == 429:
            message = f"GOV.UK Notify refused the email because too many were sent: {detail or 'try later.'}"
        elif status >= 500:
            message = (
                f"GOV.UK Notify could not take the email just now (error {status}): {detail or 'try later.'}"
            )
        else:
            message = f"GOV.UK Notify refused the email: {detail or f'it answered with error {status}.'}"
        return NotifyEmailError(self._without_key(message), status_code=status)

    def _without_key(self, text: str) -> str:
        # Notify never echoes the key, but a message that reaches a failure record or
        # a log must not be the one place it leaks from.
        return text.replace(self._api_key, "[API key]").replace(self._api_key[-_SECRET_LENGTH:], "[API key]")


def _setting(name: str) -> str:
    return str(getattr(settings, name) or "").strip()


@sensitive_variables("value")
def _api_key(value: str) -> str:
    value = value.strip()
    if not value:
        raise ImproperlyConfigured(
            "Set ENGAGE_NOTIFY_API_KEY to an API key from GOV.UK Notify: email is sent through Notify."
        )
    if not _API_KEY.match(value):
        # Never repeat the key: this message reaches logs and error pages.
        raise ImproperlyConfigured(
            "ENGAGE_NOTIFY_API_KEY is not a whole GOV.UK Notify API key: copy all of it, "
            "name and both long ids, from the page Notify showed when the key was made."
        )
    return value


def _notify_id(setting: str, value: str, *, missing: str = "") -> str:
    value = value.strip()
    if not value:
        raise ImproperlyConfigured(missing or f"Set {setting}.")
    if not re.fullmatch(_UUID, value, re.IGNORECASE):
        raise ImproperlyConfigured(
            f"{setting} must be an ID copied from GOV.UK Notify, like "
            f"9d751e0e-f929-4891-82a1-a3e1c3c18ee3, not {value!r}."
        )
    return value


def _addresses(recipients: Iterable[str]) -> list[str]:
    """Bare addresses, each once: Notify wants `amala@example.com`, not
    `Amala <amala@example.com>`, and one person in both To and Cc gets one copy."""
    seen: set[str] = set()
    addresses = []
    for recipient in recipients:
        address = parseaddr(recipient)[1] or recipient.strip()
        if address and address.lower() not in seen:
            seen.add(address.lower())
            addresses.append(address)
    return addresses


def _plain_body(message: EmailMessage) -> str:
    if message.attachments:
        raise NotifyEmailError(
            "This email has an attachment, and GOV.UK Notify sends none: link to the file instead."
        )
    if message.content_subtype != "plain":
        raise NotifyEmailError(
            "This email has only an HTML body, and GOV.UK Notify sends plain text: give it a "
            "plain-text body, with the HTML as an alternative."
        )
    return str(message.body)


def _header(headers: dict[Any, Any], name: str) -> str:
    for key, value in headers.items():
        if str(key).lower() == name.lower():
            return str(value)
    return ""


def one_click_unsubscribe_url(headers: dict[Any, Any]) -> str | None:
    """The web address in a List-Unsubscribe header, when the message offers
    one-click unsubscribing (RFC 8058: List-Unsubscribe-Post says One-Click).

    Notify tells mail programs to post to this address with no confirmation, so an
    address that only shows a page (no -Post header) is not passed: unsubscribing
    there would seem to work and not.
    """
    if "list-unsubscribe=one-click" not in _header(headers, "List-Unsubscribe-Post").lower():
        return None
    urls = re.findall(r"<(https?://[^>\s]+)>", _header(headers, "List-Unsubscribe"))
    # Mail programs post only to https; prefer it, but pass what there is and let
    # Notify say if it will not take it.
    return next((url for url in urls if url.startswith("https://")), urls[0] if urls else None)


def _reference(headers: dict[Any, Any]) -> str:
    """Notify's reference for the message: its Message-ID when it has one, otherwise a
    new random id. The same for all the message's recipients (Notify's "batch"), and
    never personal data, as Notify requires."""
    message_id = _header(headers, "Message-ID").strip().strip("<>")
    return message_id or uuid.uuid4().hex


def _notify_messages(response: Any) -> str:
    """Notify's own words from an error response: `{"errors": [{"message": ...}]}`."""
    try:
        answer = response.json()
    except ValueError:
        return ""
    errors = answer.get("errors") if isinstance(answer, dict) else None
    if isinstance(errors, list):
        words = [str(e.get("message", "")) for e in errors if isinstance(e, dict)]
    elif isinstance(answer, dict) and answer.get("message"):
        words = [str(answer["message"])]
    else:
        words = []
    return " ".join(_sentence(word) for word in words if word.strip())


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else f"{text}."


# Notify's formatting, applied to the whole body after ((body)) is filled in: a line
# starting with # is a heading, ^ inset text, •, * or - a bullet, "1." a numbered item;
# ---, *** or ___ alone is a rule, and ===/--- under a line makes it a heading; a line
# of pipes over a line of dashes is a table (which Notify leaves out); four spaces
# start code; [text](address) is a link showing other words than where it goes.
# A + or > line and ``` or ~~~ fences do nothing in Notify today but do in most
# markdown, so they are covered too. Its tables and link definitions drop text.
_FORMATTING_START = re.compile(r"^(?:[ \t]|[#^•*+\-_=|:`~>\[]|\d+[.)])")
# Put before such a line, a zero-width space stops it being read as formatting and
# cannot be seen. Notify itself uses one to stop GOV.UK being made a link.
_ZERO_WIDTH_SPACE = "\u200b"
# Inside a line, only [ starts formatting Notify still reads (links, images and
# footnotes); emphasis and code are off in Notify. A backslash escapes it, and a
# backslash that would itself escape the next character is doubled to stay visible.
_INLINE_FORMATTING = re.compile(r"\\(?=[\\`*{}\[\]()#+\-.!_>~|])|\[")
_WEB_ADDRESS = re.compile(r"https?://\S+")


def notify_plain_text(text: str) -> str:
    """Plain text that Notify will show as written: nothing in it turned into a
    heading, a list, inset text, a table or a link with other words.

    The body is plain text written for a mail program, including words staff and the
    public typed, so formatting would be an accident at best and, at worst, a
    convincing link to somewhere else in an email from the partnership. Web addresses
    are left alone: Notify makes them links, as mail programs do.
    """
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        escaped = _escape_inline(line)
        if escaped.strip() and _FORMATTING_START.match(escaped):
            escaped = _ZERO_WIDTH_SPACE + escaped
        lines.append(escaped)
    return "\n".join(lines)


def _escape_inline(line: str) -> str:
    pieces = []
    start = 0
    for address in _WEB_ADDRESS.finditer(line):
        pieces.append(_INLINE_FORMATTING.sub(_backslashed, line[start : address.start()]))
        pieces.append(address.group())
        start = address.end()
    pieces.append(_INLINE_FORMATTING.sub(_backslashed, line[start:]))
    return "".join(pieces)


def _backslashed(match: re.Match[str]) -> str:
    return "\\" + match.group()
