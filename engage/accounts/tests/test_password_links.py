"""Passwords are chosen through emailed links: an invitation for a new user, a reset for
a forgotten password. Nobody types a password for someone else, and nobody can learn
from the reset page who has an account."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from engage.accounts.models import User
from engage.accounts.tests.factories import PASSWORD, member_of
from engage.core.models import AuditEvent
from engage.core.roles import Role
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase"


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def link_in(message: Any) -> str:
    found = re.search(r"http://[^\s]+/accounts/(?:invitation|password/reset)/[^\s]+/", message.body)
    assert found, message.body
    return found.group(0).replace("http://127.0.0.1:8000", "")


def not_yet_signed_in(user: User) -> User:
    user.set_unusable_password()
    user.save()
    return user


def sign_in(client: Client, email: str, password: str) -> Any:
    return client.post("/accounts/sign-in/", {"username": email, "password": password})


def choose_password(client: Client, link: str, password: str) -> Any:
    """Open the link (Django moves the token out of the address), then send the form."""
    landed = client.get(link, follow=True)
    return client.post(landed.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def test_a_new_user_is_invited_and_chooses_their_own_password(client_for, django_capture_on_commit_callbacks):
    icb = OrganisationFactory()
    admin = client_for(member_of(icb, Role.ORGANISATION_ADMIN), icb)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/staff/users/new/",
            {
                "first_name": "Noor",
                "last_name": "Hussain",
                "email": "noor@partner.example.org",
                "organisation": str(icb.pk),
                "role": Role.ANALYST,
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="noor@partner.example.org")
    assert not user.has_usable_password()
    [invitation] = mail.outbox
    assert invitation.to == ["noor@partner.example.org"]
    assert "7 days" in invitation.body
    visitor = Client()
    weak = choose_password(visitor, link_in(invitation), "short")
    assert "too short" in weak.content.decode()
    done = choose_password(Client(), link_in(invitation), NEW_PASSWORD)
    assert done.status_code == 302
    assert sign_in(Client(), user.email, NEW_PASSWORD).status_code == 302
    # Used once: the same link no longer works.
    again = Client().get(link_in(invitation), follow=True)
    assert "This link no longer works" in again.content.decode()


def test_an_invitation_can_be_sent_again_but_not_once_a_password_is_chosen(
    client_for, django_capture_on_commit_callbacks
):
    icb = OrganisationFactory()
    admin = client_for(member_of(icb, Role.ORGANISATION_ADMIN), icb)
    invited = not_yet_signed_in(member_of(icb, Role.ANALYST))
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/staff/users/{invited.pk}/", {"form": "invitation"})
    assert len(mail.outbox) == 1
    settled = member_of(icb, Role.ANALYST)
    refused = admin.post(f"/staff/users/{settled.pk}/", {"form": "invitation"})
    assert "has chosen a password already" in refused.content.decode()


def test_a_forgotten_password_is_reset_by_email_and_the_lockout_lifted(django_capture_on_commit_callbacks):
    user = member_of(OrganisationFactory(), Role.ENGAGEMENT_OFFICER)
    for _ in range(5):
        sign_in(Client(), user.email, "wrong")
    assert sign_in(Client(), user.email, PASSWORD).status_code == 429
    with django_capture_on_commit_callbacks(execute=True):
        asked = Client().post("/accounts/password/reset/", {"email": user.email.upper()})
    assert asked.status_code == 302
    [message] = mail.outbox
    assert "60 minutes" in message.body
    assert choose_password(Client(), link_in(message), NEW_PASSWORD).status_code == 302
    assert sign_in(Client(), user.email, NEW_PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(
        subject_id=str(user.pk), summary="Set a new password through an emailed link."
    ).exists()


def test_the_reset_page_says_the_same_whether_or_not_an_account_exists(django_capture_on_commit_callbacks):
    user = member_of(OrganisationFactory(), Role.ANALYST)
    answers = []
    for email in (user.email, "nobody@nowhere.example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post("/accounts/password/reset/", {"email": email}, follow=True)
        # The page differs only by its per-request nonce.
        answers.append((response.status_code, re.sub(r"nonce[-=]\S+", "", response.content.decode())))
    assert answers[0] == answers[1]
    assert len(mail.outbox) == 1  # only the real account got an email


def test_asking_for_reset_links_is_rate_limited_per_address_asked_about():
    user = member_of(OrganisationFactory(), Role.ANALYST)
    statuses = [
        Client(REMOTE_ADDR=f"198.51.100.{n}")
        .post("/accounts/password/reset/", {"email": user.email})
        .status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    # The same limit for an address no account uses: nothing to tell them apart.
    statuses = [
        Client(REMOTE_ADDR=f"198.51.100.{n}")
        .post("/accounts/password/reset/", {"email": "x@y.org"})
        .status_code
        for n in range(10, 14)
    ]
    assert statuses == [302, 302, 302, 429]


def test_an_administrator_sends_a_link_and_never_sees_the_password(
    client_for, django_capture_on_commit_callbacks
):
    icb = OrganisationFactory()
    colleague = member_of(icb, Role.ENGAGEMENT_OFFICER)
    admin_user = member_of(icb, Role.ORGANISATION_ADMIN)
    admin = client_for(admin_user, icb)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/staff/users/{colleague.pk}/", {"form": "password"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [colleague.email]
    colleague.refresh_from_db()
    assert colleague.check_password(PASSWORD)  # unchanged until they use the link
    assert AuditEvent.objects.filter(actor=admin_user, subject_id=str(colleague.pk)).exists()


def test_a_link_for_one_purpose_does_not_work_for_the_other(client_for, django_capture_on_commit_callbacks):
    icb = OrganisationFactory()
    admin = client_for(member_of(icb, Role.ORGANISATION_ADMIN), icb)
    invited = not_yet_signed_in(member_of(icb, Role.ANALYST))
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/staff/users/{invited.pk}/", {"form": "invitation"})
    invitation_link = link_in(mail.outbox[0])
    as_reset = invitation_link.replace("/accounts/invitation/", "/accounts/password/reset/")
    assert "This link no longer works" in Client().get(as_reset, follow=True).content.decode()
