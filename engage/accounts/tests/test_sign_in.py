"""Sign-in, lockout, and choosing the organisation to act for."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client

from engage.accounts.middleware import SESSION_KEY
from engage.accounts.tests.factories import PASSWORD, member_of
from engage.core.models import AuditAction, AuditEvent
from engage.core.roles import Role
from engage.partners.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def sign_in(client: Client, email: str, password: str):
    return client.post("/accounts/sign-in/", {"username": email, "password": password})


def test_staff_sign_in_with_email_and_land_on_the_dashboard() -> None:
    user = member_of(OrganisationFactory(), Role.ENGAGEMENT_OFFICER)
    response = sign_in(Client(), user.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert AuditEvent.objects.filter(action=AuditAction.SIGNED_IN, subject_id=str(user.pk)).exists()


def test_passwords_are_hashed_with_argon2() -> None:
    user = member_of(OrganisationFactory(), Role.ANALYST)
    assert identify_hasher(user.password).algorithm == "argon2"


def test_the_products_settings_hash_passwords_with_argon2_at_its_full_cost() -> None:
    """The tests hash at Argon2's least cost (engage/core/tests/quick_hashing.py); the
    product's own settings must not."""
    from config import settings as product  # noqa: PLC0415 - the module, not the tests' overridden settings

    assert product.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_a_wrong_password_explains_itself() -> None:
    user = member_of(OrganisationFactory(), Role.ANALYST)
    response = sign_in(Client(), user.email, "wrong")
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one() -> None:
    user = member_of(OrganisationFactory(), Role.ANALYST)
    client = Client()
    for _ in range(5):
        sign_in(client, user.email, "wrong")
    locked = sign_in(client, user.email, PASSWORD)
    assert locked.status_code == 429
    assert "Signing in is paused" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_pages_send_visitors_to_sign_in() -> None:
    response = Client().get("/staff/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/?next=/staff/people/")


def test_a_user_of_two_organisations_switches_and_sees_only_the_chosen_ones_people(client_for) -> None:
    first, second = OrganisationFactory(name="Alpha Trust"), OrganisationFactory(name="Beta Healthwatch")
    user = member_of(first, Role.ENGAGEMENT_OFFICER)
    member_of_second = user.memberships.create(organisation=second, role=Role.ENGAGEMENT_OFFICER)
    assert member_of_second.pk
    PersonFactory(organisation=first, family_name="Firstperson")
    PersonFactory(organisation=second, family_name="Secondperson")
    client = client_for(user, first)
    assert "Firstperson" in client.get("/staff/people/").content.decode()
    response = client.post("/accounts/organisation/", {"organisation": str(second.pk)})
    assert response.status_code == 302
    page = client.get("/staff/people/").content.decode()
    assert "Secondperson" in page
    assert "Firstperson" not in page
    assert AuditEvent.objects.filter(action=AuditAction.SWITCHED_ORGANISATION, organisation=second).exists()


def test_switching_to_an_organisation_you_do_not_belong_to_is_refused(client_for) -> None:
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    PersonFactory(organisation=theirs, family_name="Notyours")
    client = client_for(member_of(mine, Role.ENGAGEMENT_OFFICER), mine)
    response = client.post("/accounts/organisation/", {"organisation": str(theirs.pk)})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert client.session[SESSION_KEY] == mine.pk


def test_a_tampered_session_falls_back_to_the_users_own_organisation(client_for) -> None:
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    PersonFactory(organisation=theirs, family_name="Notyours")
    PersonFactory(organisation=mine, family_name="Mine")
    client = client_for(member_of(mine, Role.ENGAGEMENT_OFFICER), theirs)
    page = client.get("/staff/people/").content.decode()
    assert "Notyours" not in page
    assert "Mine" in page


def test_security_headers_and_content_security_policy_are_sent() -> None:
    response = Client().get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_healthz_answers_ok_once_the_database_is_ready() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_sign_out_needs_a_post() -> None:
    user = member_of(OrganisationFactory(), Role.ANALYST)
    client = Client()
    client.force_login(user)
    assert client.get("/accounts/sign-out/").status_code == 200
    assert "_auth_user_id" in client.session
    client.post("/accounts/sign-out/")
    assert "_auth_user_id" not in client.session


def test_the_headers_sign_out_button_signs_out_with_csrf_checks_on() -> None:
    """The header's form must carry its CSRF token: without it the POST is refused
    (403) and the user stays signed in."""

    user = member_of(OrganisationFactory(), Role.ANALYST)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get("/staff/").content.decode()
    form = re.search(r"<form[^>]*nhsuk-header__account-form[^>]*>(.*?)</form>", page, re.S)
    assert form is not None, "The header has no sign-out form"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(1))
    assert token is not None, "The header's sign-out form has no CSRF token"
    response = client.post("/accounts/sign-out/", {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
