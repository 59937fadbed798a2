"""Wrong tries at signing in are counted per account and per address, behind the
configured proxies: nobody locks another user out from elsewhere, and nobody gets
unlimited guesses from many addresses (ADR 0025)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from engage.accounts.sign_in.selectors import DEVICE_COOKIE
from engage.accounts.tests.factories import PASSWORD, member_of
from engage.core.models import RateLimitHit
from engage.core.roles import Role
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def sign_in(client: Client, email: str, password: str) -> Any:
    return client.post("/accounts/sign-in/", {"username": email, "password": password})


def from_address(address: str, **extra: Any) -> Client:
    return Client(REMOTE_ADDR=address, **extra)


@pytest.fixture
def user() -> Any:
    return member_of(OrganisationFactory(), Role.ENGAGEMENT_OFFICER)


def test_five_wrong_tries_lock_the_account_from_that_address_only(user) -> None:
    attacker = from_address("203.0.113.9")
    for _ in range(5):
        assert sign_in(attacker, user.email, "wrong").status_code == 200
    assert sign_in(attacker, user.email, PASSWORD).status_code == 429
    # The owner, elsewhere, still signs in.
    assert sign_in(from_address("198.51.100.7"), user.email, PASSWORD).status_code == 302


def test_many_addresses_get_ten_guesses_an_hour_not_unlimited(user) -> None:
    for n in range(10):
        assert sign_in(from_address(f"203.0.113.{n}"), user.email, "wrong").status_code == 200
    # An eleventh address, even with the right password, is refused: the account is locked
    # to browsers it has never signed in from.
    assert sign_in(from_address("203.0.113.200"), user.email, PASSWORD).status_code == 429


def test_the_owners_known_browser_still_signs_in_while_attackers_are_locked_out(user) -> None:
    owner = from_address("198.51.100.7")
    assert sign_in(owner, user.email, PASSWORD).status_code == 302
    assert DEVICE_COOKIE in owner.cookies
    owner.post("/accounts/sign-out/")
    for n in range(12):
        sign_in(from_address(f"203.0.113.{n}"), user.email, "wrong")
    assert sign_in(from_address("203.0.113.250"), user.email, PASSWORD).status_code == 429
    assert sign_in(owner, user.email, PASSWORD).status_code == 302


def test_a_stolen_known_device_cookie_does_not_open_another_account(user) -> None:
    other = member_of(OrganisationFactory(), Role.ANALYST)
    owner = Client()
    sign_in(owner, user.email, PASSWORD)
    cookie = owner.cookies[DEVICE_COOKIE].value
    for n in range(10):
        sign_in(from_address(f"203.0.113.{n}"), other.email, "wrong")
    thief = from_address("203.0.113.99")
    thief.cookies[DEVICE_COOKIE] = cookie
    assert sign_in(thief, other.email, PASSWORD).status_code == 429


def test_one_address_spraying_many_accounts_is_stopped(settings) -> None:
    settings.ENGAGE_SIGN_IN_ADDRESS_TRIES = 6
    organisation = OrganisationFactory()
    users = [member_of(organisation, Role.ANALYST) for _ in range(7)]
    sprayer = from_address("203.0.113.5")
    statuses = [sign_in(sprayer, u.email, "Summer2026!!").status_code for u in users]
    assert statuses == [200] * 6 + [429]


def test_behind_a_proxy_the_visitors_address_is_counted_not_the_proxys(settings, user) -> None:
    settings.ENGAGE_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    attacker = from_address(proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(5):
        sign_in(attacker, user.email, "wrong")
    assert sign_in(attacker, user.email, PASSWORD).status_code == 429
    owner = from_address(proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert sign_in(owner, user.email, PASSWORD).status_code == 302
    # A forged header from the visitor is not believed: the proxy's entry is.
    forger = from_address(proxy, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9")
    assert sign_in(forger, user.email, PASSWORD).status_code == 429


def test_tries_sent_at_once_are_each_counted_before_any_is_answered(user) -> None:
    """The try is counted before the password is checked, so a burst cannot slip past."""
    attacker = from_address("203.0.113.9")
    for _ in range(5):
        sign_in(attacker, user.email, "wrong")
    assert RateLimitHit.objects.filter(scope="sign-in:account-and-address").count() == 5


def test_nothing_stored_names_an_address_or_email(user) -> None:
    sign_in(from_address("203.0.113.9"), user.email, "wrong")
    for hit in RateLimitHit.objects.all():
        assert "203.0.113.9" not in f"{hit.key}{hit.subject}"
        assert user.email not in f"{hit.key}{hit.subject}"


def test_a_success_forgets_this_browsers_tries_but_not_the_accounts(user) -> None:
    owner = from_address("198.51.100.7")
    for _ in range(4):
        sign_in(owner, user.email, "wrong")
    for n in range(5):
        sign_in(from_address(f"203.0.113.{n}"), user.email, "wrong")
    assert sign_in(owner, user.email, PASSWORD).status_code == 302
    # The owner's own five tries are forgotten; the other five addresses' are not.
    assert RateLimitHit.objects.filter(scope="sign-in:account-and-address").count() == 5
    # The account's count from unknown browsers keeps the nine wrong tries (the owner's
    # right one never counted): one more wrong try anywhere, and others are refused.
    sign_in(from_address("203.0.113.76"), user.email, "wrong")
    assert sign_in(from_address("203.0.113.77"), user.email, PASSWORD).status_code == 429


def test_right_tries_never_count_against_a_busy_offices_address(settings) -> None:
    """Forty colleagues behind one address sign in: none is refused, since only wrong
    tries count."""
    settings.ENGAGE_SIGN_IN_ADDRESS_TRIES = 30
    organisation = OrganisationFactory()
    office = [member_of(organisation, Role.ANALYST) for _ in range(40)]
    statuses = [sign_in(from_address("10.1.1.1"), u.email, PASSWORD).status_code for u in office]
    assert statuses == [302] * 40
