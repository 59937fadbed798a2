"""The "Your account" page: every setting about yourself, reached from the header."""

from __future__ import annotations

import pytest
from django.test import Client

from engage.accounts.tests.factories import MembershipFactory, member_of
from engage.accounts.tokens import services as token_services
from engage.accounts.tokens.models import TokenAccess
from engage.core.roles import Role
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_header_leads_to_your_account_and_it_leads_to_every_setting(client_for) -> None:
    council = OrganisationFactory(name="Riverside Council")
    trust = OrganisationFactory(name="Riverside Trust")
    user = member_of(council, Role.ANALYST)
    MembershipFactory(user=user, organisation=trust, role=Role.ENGAGEMENT_OFFICER)
    token_services.token_create(
        actor=user, organisation=council, name="Report", access=TokenAccess.READ, days=5
    )
    client = client_for(user, council)

    dashboard = client.get("/staff/").content.decode()
    assert 'href="/accounts/"' in dashboard

    page = client.get("/accounts/").content.decode()
    for setting in (
        "/accounts/password/",
        "/accounts/two-step/",
        "/accounts/tokens/",
        "/accounts/organisation/",
    ):
        assert f'href="{setting}"' in page, setting
    assert user.email in page
    assert "1 in use" in page
    assert "Analyst, Riverside Council <strong>(acting for now)</strong>" in page
    assert "Engagement officer, Riverside Trust" in page
    assert client.post("/accounts/").status_code == 405  # it only shows; nothing is changed here


def test_your_account_is_for_signed_in_users_only() -> None:
    response = Client().get("/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")
