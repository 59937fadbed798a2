"""Email through GOV.UK Notify: what reaches Notify's API for a Django message, what a
refusal says, and the one setting that chooses how email goes.

Notify is faked at the HTTP boundary (requests' Session.request), so the real client
builds every request, and nothing here reaches the network.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import jwt
import pytest
import requests
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.test import override_settings

from config.email import EMAIL_BACKENDS, email_backend_for
from engage.core.notify_email import NotifyEmailBackend, NotifyEmailError, notify_plain_text

SERVICE_ID = "6b3c1e2a-54d1-4c9e-9a0f-2f1d7c3b8e41"
SECRET = "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f"
API_KEY = f"engage_live-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "9d751e0e-f929-4891-82a1-a3e1c3c18ee3"
REPLY_TO_ID = "ca4fdde7-2a67-4a6c-8393-62aa7245751f"
NOTIFY_EMAIL_URL = "https://api.notifications.service.gov.uk/v2/notifications/email"
BACKEND = "engage.core.notify_email.NotifyEmailBackend"

STOP = "https://engage.example/you-said-we-did/stop-emails/12:Xb9aQ/"
TEXT = (
    "Dear Amala,\n\n"
    'You took part in "Walk and talk". Thank you. This is what happened next.\n\n'
    "To stop emails like this, open this link:\n"
    f"{STOP}\n"
)


@dataclass
class FakeNotify:
    """Stands in for Notify's API: records each request and answers from `answers`
    in turn (an exception is raised, as requests would), then 201 for the rest."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    answers: list[requests.Response | Exception] = field(default_factory=list)

    def __call__(self, session: requests.Session, method: str, url: str, **kwargs: Any) -> requests.Response:
        self.requests.append({"method": method, "url": url, **kwargs, "json": json.loads(kwargs["data"])})
        if self.answers:
            answer = self.answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        return notify_answer(201, {"id": f"notification-{len(self.requests)}", "reference": None})

    @property
    def sent(self) -> list[dict[str, Any]]:
        return [request["json"] for request in self.requests]


def notify_answer(status: int, payload: dict[str, Any]) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(payload).encode()
    response.headers["Content-Type"] = "application/json"
    response.url = NOTIFY_EMAIL_URL
    return response


def notify_error(status: int, error: str, message: str) -> requests.Response:
    """An error as Notify's API writes it."""
    return notify_answer(status, {"status_code": status, "errors": [{"error": error, "message": message}]})


@pytest.fixture(autouse=True)
def notify() -> Iterator[FakeNotify]:
    fake = FakeNotify()
    with (
        override_settings(
            ENGAGE_NOTIFY_API_KEY=API_KEY,
            ENGAGE_NOTIFY_TEMPLATE_ID=TEMPLATE_ID,
            ENGAGE_NOTIFY_REPLY_TO_ID=REPLY_TO_ID,
            ENGAGE_NOTIFY_BASE_URL="",
        ),
        mock.patch.object(requests.Session, "request", autospec=True, side_effect=fake),
    ):
        yield fake


def feedback_message(**changes: Any) -> EmailMultiAlternatives:
    """A message shaped like the "You said, we did" feedback email."""
    options: dict[str, Any] = {
        "subject": "What happened after you told us: Walk and talk",
        "body": TEXT,
        "to": ["Amala Okafor <amala@example.com>"],
        "headers": {
            "List-Unsubscribe": f"<{STOP}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Message-ID": "<174601.77.1203@engage.example>",
        },
    }
    options.update(changes)
    message = EmailMultiAlternatives(**options)
    message.attach_alternative("<p>Dear Amala,</p><p>You took part in ...</p>", "text/html")
    return message


# --- What reaches Notify -----------------------------------------------------------


def test_a_message_becomes_one_notify_call_with_its_text_subject_and_one_click_address(notify):
    sent = feedback_message(connection=get_connection(BACKEND)).send()

    assert sent == 1
    [request] = notify.requests
    assert (request["method"], request["url"]) == ("POST", NOTIFY_EMAIL_URL)
    assert request["json"] == {
        "email_address": "amala@example.com",
        "template_id": TEMPLATE_ID,
        "personalisation": {"subject": "What happened after you told us: Walk and talk", "body": TEXT},
        "reference": "174601.77.1203@engage.example",
        "email_reply_to_id": REPLY_TO_ID,
        "one_click_unsubscribe_url": STOP,
    }


def test_the_call_is_signed_with_the_key_and_never_carries_it(notify):
    feedback_message(connection=get_connection(BACKEND)).send()

    [request] = notify.requests
    token = request["headers"]["Authorization"].removeprefix("Bearer ")
    assert jwt.decode(token, SECRET, algorithms=["HS256"])["iss"] == SERVICE_ID
    assert SECRET not in request["data"]
    assert SECRET not in json.dumps(request["headers"])


def test_the_chosen_backend_for_notify_is_this_one(notify):
    connection = get_connection(email_backend_for("notify"))

    assert isinstance(connection, NotifyEmailBackend)
    assert connection.send_messages([feedback_message()]) == 1


def test_each_recipient_is_a_call_of_their_own_and_one_person_gets_one_copy(notify):
    message = feedback_message(
        to=["amala@example.com", "Ben Ward <ben@example.com>"],
        cc=["chidi@example.com", "AMALA@example.com"],
        bcc=["dee@example.com"],
    )

    assert get_connection(BACKEND).send_messages([message]) == 1
    assert [call["email_address"] for call in notify.sent] == [
        "amala@example.com",
        "ben@example.com",
        "chidi@example.com",
        "dee@example.com",
    ]
    # One message, one reference: Notify's "batch".
    assert {call["reference"] for call in notify.sent} == {"174601.77.1203@engage.example"}


def test_a_message_without_a_message_id_gets_a_random_reference_shared_by_its_recipients(notify):
    message = feedback_message(to=["amala@example.com", "ben@example.com"], headers={})

    get_connection(BACKEND).send_messages([message])

    first, second = (call["reference"] for call in notify.sent)
    assert first == second
    assert len(first) == 32
    assert "amala" not in first


def test_a_plain_unsubscribe_link_is_not_offered_as_one_click(notify):
    # Notify would have mail programs post to it; a page that only asks must not be.
    message = feedback_message(headers={"List-Unsubscribe": f"<{STOP}>"})

    get_connection(BACKEND).send_messages([message])

    assert "one_click_unsubscribe_url" not in notify.sent[0]


def test_the_https_address_is_chosen_when_the_header_also_offers_mailto(notify):
    headers = {
        "list-unsubscribe": f"<mailto:stop@engage.example>, <{STOP}>",
        "list-unsubscribe-post": "List-Unsubscribe=One-Click",
    }

    get_connection(BACKEND).send_messages([feedback_message(headers=headers)])

    assert notify.sent[0]["one_click_unsubscribe_url"] == STOP


def test_a_message_with_no_reply_to_setting_leaves_notify_to_use_its_default(notify):
    with override_settings(ENGAGE_NOTIFY_REPLY_TO_ID=""):
        get_connection(BACKEND).send_messages([feedback_message()])

    assert "email_reply_to_id" not in notify.sent[0]


def test_the_base_url_and_timeout_come_from_the_settings(notify):
    with override_settings(ENGAGE_NOTIFY_BASE_URL="https://notify-proxy.example", EMAIL_TIMEOUT=7):
        get_connection(BACKEND).send_messages([feedback_message()])

    assert notify.requests[0]["url"] == "https://notify-proxy.example/v2/notifications/email"
    assert notify.requests[0]["timeout"] == 7


def test_nothing_to_send_calls_nobody(notify):
    assert get_connection(BACKEND).send_messages([]) == 0
    assert get_connection(BACKEND).send_messages([EmailMessage("Hello", "Hi", to=[])]) == 0
    assert notify.requests == []


# --- What a refusal says -----------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "sentence"),
    [
        (
            notify_error(400, "BadRequestError", "Can't send to this recipient using a team-only API key"),
            "GOV.UK Notify refused the email: Can't send to this recipient using a team-only API key.",
        ),
        (
            notify_error(403, "AuthError", "Invalid token: API key not found"),
            "GOV.UK Notify refused ENGAGE_NOTIFY_API_KEY: Invalid token: API key not found.",
        ),
        (
            notify_error(
                429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"
            ),
            (
                "GOV.UK Notify refused the email because too many were sent: "
                "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds."
            ),
        ),
        (
            notify_error(500, "Exception", "Internal server error"),
            "GOV.UK Notify could not take the email just now (error 500): Internal server error.",
        ),
        (
            notify_answer(502, {}),
            "GOV.UK Notify could not take the email just now (error 502): try later.",
        ),
    ],
    ids=["400", "403", "429", "500", "502-unreadable"],
)
def test_a_refusal_raises_a_plain_sentence_without_the_key(notify, caplog, answer, sentence):
    notify.answers = [answer]
    caplog.set_level(logging.DEBUG)

    with pytest.raises(NotifyEmailError) as raised:
        get_connection(BACKEND).send_messages([feedback_message()])

    assert str(raised.value) == sentence
    assert raised.value.status_code == answer.status_code
    for text in (str(raised.value), caplog.text):
        assert API_KEY not in text
        assert SECRET not in text


def test_the_key_is_taken_out_of_whatever_notify_says(notify):
    notify.answers = [notify_error(400, "BadRequestError", f"Unexpected value {SECRET}")]

    with pytest.raises(NotifyEmailError) as raised:
        get_connection(BACKEND).send_messages([feedback_message()])

    assert str(raised.value) == "GOV.UK Notify refused the email: Unexpected value [API key]."


def test_notify_out_of_reach_says_so(notify):
    notify.answers = [requests.ConnectionError("Max retries exceeded with url: /v2/notifications/email")]

    with pytest.raises(NotifyEmailError) as raised:
        get_connection(BACKEND).send_messages([feedback_message()])

    assert str(raised.value) == (
        "GOV.UK Notify could not be reached: Max retries exceeded with url: /v2/notifications/email."
    )
    assert raised.value.status_code is None


def test_a_refused_address_does_not_stop_the_others_but_the_message_still_fails(notify):
    notify.answers = [notify_error(400, "ValidationError", "email_address Not a valid email address")]
    message = feedback_message(to=["amala@example", "ben@example.com"])

    with pytest.raises(NotifyEmailError) as raised:
        get_connection(BACKEND).send_messages([message])

    assert [call["email_address"] for call in notify.sent] == ["amala@example", "ben@example.com"]
    assert str(raised.value) == (
        "GOV.UK Notify refused the email: email_address Not a valid email address. "
        "It went to 1 of its 2 recipients."
    )


def test_a_failure_that_would_fail_for_everyone_stops_at_once(notify):
    notify.answers = [notify_error(500, "Exception", "Internal server error")]
    message = feedback_message(to=["amala@example.com", "ben@example.com"])

    with pytest.raises(NotifyEmailError, match="It went to 0 of its 2 recipients"):
        get_connection(BACKEND).send_messages([message])

    assert len(notify.requests) == 1


def test_failing_silently_sends_the_rest_counts_what_went_and_logs_what_did_not(notify, caplog):
    notify.answers = [
        notify_answer(201, {"id": "first"}),
        notify_error(400, "BadRequestError", "Can't send to this recipient when service is in trial mode"),
    ]
    messages = [feedback_message(to=[f"person{n}@example.com"]) for n in range(3)]

    sent = get_connection(BACKEND, fail_silently=True).send_messages(messages)

    assert sent == 2
    assert len(notify.requests) == 3
    assert "trial mode" in caplog.text
    assert "person1@example.com" not in caplog.text
    assert SECRET not in caplog.text


def test_a_message_notify_cannot_carry_is_refused_before_any_call(notify):
    html_only = EmailMessage("Hello", "<p>Hello</p>", to=["amala@example.com"])
    html_only.content_subtype = "html"
    with_file = feedback_message()
    with_file.attach("minutes.pdf", b"%PDF-1.7", "application/pdf")

    for message, words in [(html_only, "only an HTML body"), (with_file, "has an attachment")]:
        with pytest.raises(NotifyEmailError, match=words):
            get_connection(BACKEND).send_messages([message])
    assert notify.requests == []


# --- Settings ----------------------------------------------------------------------


@pytest.mark.parametrize("setting", ["ENGAGE_NOTIFY_API_KEY", "ENGAGE_NOTIFY_TEMPLATE_ID"])
def test_a_missing_setting_is_named(settings, setting):
    setattr(settings, setting, "")
    with pytest.raises(ImproperlyConfigured, match=f"Set {setting} "):
        get_connection(BACKEND)

    setattr(settings, setting, "  ")
    with pytest.raises(ImproperlyConfigured, match=f"Set {setting} "):
        get_connection(BACKEND)


def test_a_key_cut_short_is_refused_without_repeating_it():
    cut_short = API_KEY[:-5]
    with override_settings(ENGAGE_NOTIFY_API_KEY=cut_short), pytest.raises(ImproperlyConfigured) as raised:
        get_connection(BACKEND)

    assert "ENGAGE_NOTIFY_API_KEY is not a whole GOV.UK Notify API key" in str(raised.value)
    assert SECRET[:-5] not in str(raised.value)


@pytest.mark.parametrize("setting", ["ENGAGE_NOTIFY_TEMPLATE_ID", "ENGAGE_NOTIFY_REPLY_TO_ID"])
def test_an_id_that_is_not_notifys_is_named(setting):
    with override_settings(**{setting: "feedback-template"}), pytest.raises(ImproperlyConfigured) as raised:
        get_connection(BACKEND)

    assert str(raised.value).startswith(f"{setting} must be an ID copied from GOV.UK Notify")


# --- Notify's formatting -----------------------------------------------------------

ZW = "\u200b"


@pytest.mark.parametrize(
    ("written", "sent"),
    [
        ("Nothing here is formatting.", "Nothing here is formatting."),
        ("# Not a heading", f"{ZW}# Not a heading"),
        ("^ Not inset text", f"{ZW}^ Not inset text"),
        ("- Not a bullet\n* Nor this\n• Nor this", f"{ZW}- Not a bullet\n{ZW}* Nor this\n{ZW}• Nor this"),
        ("2025. A year, not a numbered item", f"{ZW}2025. A year, not a numbered item"),
        ("Not a heading\n=============", f"Not a heading\n{ZW}============="),
        ("---", f"{ZW}---"),
        ("a | b\n--|--\n1 | 2", f"a | b\n{ZW}--|--\n1 | 2"),
        ("    not code", f"{ZW}    not code"),
        ("[Your account](https://elsewhere.example)", "\\[Your account](https://elsewhere.example)"),
        ("![picture](https://elsewhere.example/p.png)", "!\\[picture](https://elsewhere.example/p.png)"),
        ("A backslash before \\# stays", "A backslash before \\\\# stays"),
        ("C:\\Users stays as it is", "C:\\Users stays as it is"),
        (f"Web addresses are left alone: {STOP}?a[0]=1", f"Web addresses are left alone: {STOP}?a[0]=1"),
        ("Blank lines\n\n   \nstay blank", "Blank lines\n\n   \nstay blank"),
        ("Windows\r\nline ends", "Windows\nline ends"),
    ],
)
def test_text_is_kept_from_being_read_as_notify_formatting(written, sent):
    assert notify_plain_text(written) == sent


def test_the_body_sent_is_the_text_made_safe(notify):
    message = feedback_message(body="Dear Amala,\n\n# What we did\n[Read more](https://elsewhere.example)\n")

    get_connection(BACKEND).send_messages([message])

    assert notify.sent[0]["personalisation"]["body"] == (
        f"Dear Amala,\n\n{ZW}# What we did\n\\[Read more](https://elsewhere.example)\n"
    )


# --- Choosing how email goes -------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "backend"),
    [
        ("file", "django.core.mail.backends.filebased.EmailBackend"),
        ("smtp", "django.core.mail.backends.smtp.EmailBackend"),
        ("notify", BACKEND),
        ("console", "django.core.mail.backends.console.EmailBackend"),
        ("", "django.core.mail.backends.filebased.EmailBackend"),
        (" Notify ", BACKEND),
    ],
)
def test_each_word_chooses_its_backend(word, backend):
    assert email_backend_for(word) == backend


@pytest.mark.parametrize("backend", EMAIL_BACKENDS.values())
def test_every_backend_named_can_be_loaded(backend):
    assert get_connection(backend) is not None


@pytest.mark.parametrize("word", ["mailgun", "sendgrid", "notfy", "locmem"])
def test_any_other_word_is_refused_with_the_choices(word):
    with pytest.raises(ImproperlyConfigured) as raised:
        email_backend_for(word)

    assert str(raised.value) == f"ENGAGE_EMAIL must be file, smtp, notify or console, not {word!r}."


def test_a_backend_named_directly_is_used_when_no_word_is_given():
    assert email_backend_for("", named_backend="anymail.backends.amazon_ses.EmailBackend") == (
        "anymail.backends.amazon_ses.EmailBackend"
    )
    assert email_backend_for("smtp", named_backend="django.core.mail.backends.smtp.EmailBackend") == (
        "django.core.mail.backends.smtp.EmailBackend"
    )


def test_a_word_and_a_different_backend_together_are_refused():
    with pytest.raises(ImproperlyConfigured, match="set only one of them"):
        email_backend_for("notify", named_backend="django.core.mail.backends.smtp.EmailBackend")
