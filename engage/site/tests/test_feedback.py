"""The public feedback form: a person can tell a partner what they think without an
account; bots and floods are turned away without tracking anyone."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from engage.conversations.models import Channel, Conversation
from engage.core.models import AuditEvent, RateLimitHit
from engage.core.ratelimit import client_key
from engage.partners.tests.factories import OrganisationFactory
from engage.site import feedback

pytestmark = pytest.mark.django_db

URL = reverse("site:give-feedback")
THANKS = reverse("site:feedback-thanks")
ADDRESS = "203.0.113.42"


@pytest.fixture(autouse=True)
def _quick(settings: Any) -> None:
    """No waiting before sending, unless a test asks for it."""
    settings.ENGAGE_FEEDBACK_MIN_SECONDS = 0


@pytest.fixture
def client() -> Client:
    return Client(REMOTE_ADDR=ADDRESS)


def served_token(client: Client) -> str:
    page = client.get(URL).content.decode()
    match = re.search(r'name="served" value="([^"]+)"', page)
    assert match, "the form carries its time stamp"
    return match[1]


def send(client: Client, to: Any, **overrides: Any) -> Any:
    data = {
        "organisation": to.pk,
        "text": "The reception staff were kind, but I waited two hours.",
        "postcode": "DY1 1HF",
        "consent_to_quote": "on",
        "website": "",
        "served": served_token(client),
    }
    data.update(overrides)
    return client.post(URL, {k: v for k, v in data.items() if v is not None})


def test_a_person_finds_the_form_from_the_home_page(client: Client) -> None:
    home = client.get(reverse("site:home")).content.decode()
    assert f'href="{URL}"' in home
    page = client.get(URL).content.decode()
    assert "<title>Tell us what you think" in page
    assert "<h1>Tell us what you think</h1>" in page
    assert "What would you like to tell us?" in page
    assert "We keep only the first part, such as DY1" in page
    assert 'href="/privacy/"' in page


def test_a_person_sends_feedback_and_the_organisation_has_it(client: Client) -> None:
    organisation = OrganisationFactory()
    response = send(client, organisation)

    assert response.status_code == 302
    assert response["Location"] == THANKS
    conversation = Conversation.objects.get()
    assert conversation.organisation == organisation
    assert conversation.channel == Channel.WEB_FORM
    assert conversation.text == "The reception staff were kind, but I waited two hours."
    assert conversation.question == "What would you like to tell us?"
    assert conversation.occurred_on == timezone.localdate()
    assert conversation.postcode_district == "DY1"
    assert conversation.consent_to_quote is True
    assert conversation.consent_to_contact is False
    assert AuditEvent.objects.filter(subject_type="conversation", subject_id=str(conversation.pk)).exists()
    thanks = client.get(THANKS).content.decode()
    assert "reads every comment" in thanks
    assert "You said, we did" in thanks


def test_the_full_postcode_and_the_address_are_stored_nowhere(client: Client) -> None:
    organisation = OrganisationFactory()
    send(client, organisation)

    conversation = Conversation.objects.values().get()
    for value in conversation.values():
        assert ADDRESS not in str(value)
        assert "1HF" not in str(value)
    hit = RateLimitHit.objects.get()
    assert ADDRESS not in hit.key
    assert ADDRESS not in hit.scope
    assert re.fullmatch(r"[0-9a-f]{64}", hit.key)
    for event in AuditEvent.objects.values():
        assert ADDRESS not in " ".join(str(v) for v in event.values())


def test_the_form_sets_no_cookie_but_the_csrf_one(client: Client) -> None:
    organisation = OrganisationFactory()
    page = client.get(URL)
    sent = send(client, organisation)
    thanks = client.get(THANKS)
    for response in (page, sent, thanks):
        assert set(response.cookies) <= {"csrftoken"}


def test_a_filled_in_honeypot_saves_nothing_and_looks_like_success(client: Client) -> None:
    organisation = OrganisationFactory()
    response = send(client, organisation, website="http://spam.example")

    assert response.status_code == 302
    assert response["Location"] == THANKS
    assert not Conversation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_form_sent_too_quickly_is_refused(client: Client, settings: Any) -> None:
    settings.ENGAGE_FEEDBACK_MIN_SECONDS = 30
    organisation = OrganisationFactory()
    response = send(client, organisation)

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "sent too quickly" in page
    assert "I waited two hours" in page, "what the person wrote is kept in the form"
    assert not Conversation.objects.exists()


def test_a_form_sent_after_waiting_a_moment_is_accepted(client: Client, settings: Any) -> None:
    settings.ENGAGE_FEEDBACK_MIN_SECONDS = 3
    organisation = OrganisationFactory()
    token = feedback.issue_token(now=time.time() - 10)
    response = send(client, organisation, served=token)
    assert response.status_code == 302
    assert Conversation.objects.count() == 1


def test_a_form_left_open_too_long_is_refused(client: Client) -> None:
    organisation = OrganisationFactory()
    old = feedback.issue_token(now=time.time() - feedback.max_age_seconds() - 60)
    response = send(client, organisation, served=old)

    page = response.content.decode()
    assert "open for too long" in page
    assert "I waited two hours" in page
    assert not Conversation.objects.exists()
    # The form shown again carries a new stamp, so it can be sent straight away.
    fresh = re.search(r'name="served" value="([^"]+)"', page)
    assert fresh
    assert fresh[1] != old
    assert feedback.check_token(fresh[1]) is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "",
        lambda token: "not a token",
        lambda token: feedback.signing.dumps({"served": time.time() - 60}, salt="another purpose"),
    ],
    ids=["altered", "missing", "made-up", "signed-for-something-else"],
)
def test_a_form_with_an_altered_time_stamp_is_refused(client: Client, tamper: Any) -> None:
    organisation = OrganisationFactory()
    response = send(client, organisation, served=tamper(served_token(client)))

    assert "could not check the form" in response.content.decode()
    assert not Conversation.objects.exists()


def test_over_the_rate_limit_a_person_is_told_when_to_try_again(client: Client, settings: Any) -> None:
    settings.ENGAGE_FEEDBACK_RATE_LIMIT = 2
    organisation = OrganisationFactory()
    assert send(client, organisation).status_code == 302
    assert send(client, organisation).status_code == 302

    response = send(client, organisation)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Try again after" in page
    assert "Nothing from your last attempt has been saved" in page
    assert 3000 < int(response["Retry-After"]) <= 3601
    assert Conversation.objects.count() == 2
    # Someone else, from another address, is not held up.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert send(other, organisation).status_code == 302
    assert Conversation.objects.count() == 3


def test_bots_count_against_the_rate_limit_but_a_persons_mistakes_do_not(
    client: Client, settings: Any
) -> None:
    settings.ENGAGE_FEEDBACK_RATE_LIMIT = 2
    organisation = OrganisationFactory()
    for _ in range(3):
        assert send(client, organisation, text="").status_code == 200
    assert send(client, organisation, website="spam").status_code == 302
    assert send(client, organisation, served="forged").status_code == 200
    assert send(client, organisation).status_code == 429
    assert not Conversation.objects.exists()


def test_the_rate_limit_forgets_hits_once_the_hour_is_over(client: Client, settings: Any) -> None:
    settings.ENGAGE_FEEDBACK_RATE_LIMIT = 1
    organisation = OrganisationFactory()
    send(client, organisation)
    RateLimitHit.objects.update(at=timezone.now() - dt.timedelta(minutes=61))

    assert send(client, organisation).status_code == 302
    assert RateLimitHit.objects.count() == 1, "the hit from over an hour ago was deleted"


def test_rate_limit_keys_change_every_day(rf: Any) -> None:
    request = rf.get("/", REMOTE_ADDR=ADDRESS)

    today = client_key(request, scope="s", today=dt.date(2026, 3, 1))
    assert today == client_key(request, scope="s", today=dt.date(2026, 3, 1))
    assert today != client_key(request, scope="s", today=dt.date(2026, 3, 2))
    assert today != client_key(rf.get("/", REMOTE_ADDR="203.0.113.43"), scope="s", today=dt.date(2026, 3, 1))


def test_missing_text_is_shown_in_the_error_summary(client: Client) -> None:
    organisation = OrganisationFactory()
    response = send(client, organisation, text="   ", postcode="DY1 1HF")

    page = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in page
    assert 'href="#id_text"' in page
    assert "Enter what you would like to tell us." in page
    assert "<title>Error: Tell us what you think" in page
    assert 'value="DY1 1HF"' in page
    assert not Conversation.objects.exists()


def test_a_postcode_that_is_not_one_is_refused_without_saving(client: Client) -> None:
    organisation = OrganisationFactory()
    response = send(client, organisation, postcode="ZZZZ")

    page = response.content.decode()
    assert 'href="#id_postcode"' in page
    assert "not a UK postcode" in page
    assert "I waited two hours" in page
    assert not Conversation.objects.exists()


def test_an_inactive_organisation_cannot_be_chosen(client: Client) -> None:
    active = OrganisationFactory(name="Active partner")
    closed = OrganisationFactory(name="Closed partner", is_active=False)
    page = client.get(URL).content.decode()
    assert "Active partner" in page
    assert "Closed partner" not in page

    response = send(client, active, organisation=closed.pk)

    assert 'href="#id_organisation"' in response.content.decode()
    assert not Conversation.objects.exists()


def test_the_honeypot_is_hidden_from_people(client: Client) -> None:
    page = client.get(URL).content.decode()
    honeypot = re.search(r'<div class="engage-honeypot" aria-hidden="true">(.*?)</div>', page, re.S)
    assert honeypot
    assert "Leave this empty" in honeypot[1]
    assert 'tabindex="-1"' in honeypot[1]
    assert 'autocomplete="off"' in honeypot[1]
