"""Personal access tokens: a script reads or writes through the API as its owner, for
one organisation, until the token expires or is revoked; every use is audited."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from engage.accounts.models import Membership
from engage.accounts.tests.factories import member_of
from engage.accounts.tokens import services
from engage.accounts.tokens.models import AccessToken, TokenAccess
from engage.core.errors import InvalidInput
from engage.core.models import AuditAction, AuditEvent
from engage.core.roles import Role
from engage.partners.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def healthwatch() -> Any:
    return OrganisationFactory(name="Healthwatch")


@pytest.fixture
def officer(healthwatch) -> Any:
    return member_of(healthwatch, Role.ENGAGEMENT_OFFICER)


def make(user: Any, organisation: Any, access: str = TokenAccess.READ, days: int = 30) -> str:
    return services.token_create(
        actor=user, organisation=organisation, name="Script", access=access, days=days
    ).key


def test_a_token_is_made_on_the_page_shown_once_and_kept_only_as_a_hash(
    client_for, officer, healthwatch
) -> None:
    client = client_for(officer, healthwatch)
    response = client.post("/accounts/tokens/", {"name": "Monthly report", "access": "read", "days": "90"})
    key = re.search(r"<code>([A-Za-z0-9]{8}\.[A-Za-z0-9]{32})</code>", response.content.decode()).group(1)
    assert "no-store" in response["Cache-Control"]
    token = AccessToken.objects.get()
    assert key not in f"{token.pk}{token.hashed_key}"
    assert token.hashed_key.startswith("sha512$$")
    listing = client.get("/accounts/tokens/").content.decode()
    assert "Monthly report" in listing
    assert key not in listing


def test_a_token_reads_its_organisations_people_and_every_use_is_audited(officer, healthwatch) -> None:
    PersonFactory(organisation=healthwatch, family_name="Ours")
    PersonFactory(organisation=OrganisationFactory(), family_name="Theirs")
    key = make(officer, healthwatch)
    response = Client().get("/api/v1/people/", **bearer(key))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ours" in body
    assert "Theirs" not in body
    used = AuditEvent.objects.get(action=AuditAction.TOKEN_USED)
    assert used.organisation == healthwatch
    assert used.summary == "GET /api/v1/people/"
    assert AccessToken.objects.get().last_used_at is not None


def test_a_read_only_token_cannot_write_and_a_read_write_one_can_without_csrf(officer, healthwatch) -> None:
    body = {"title": "A decision", "summary": "Done.", "decided_by": "organisation", "decided_by_name": "Us"}
    read_only = Client(enforce_csrf_checks=True).post(
        "/api/v1/decisions/", body, content_type="application/json", **bearer(make(officer, healthwatch))
    )
    assert read_only.status_code == 403
    writer = Client(enforce_csrf_checks=True).post(
        "/api/v1/decisions/",
        body,
        content_type="application/json",
        **bearer(make(officer, healthwatch, TokenAccess.READ_WRITE)),
    )
    assert writer.status_code == 201


def test_a_signed_in_session_still_needs_its_csrf_token_to_write(client_for, officer, healthwatch) -> None:
    client = client_for(officer, healthwatch)
    client.handler.enforce_csrf_checks = True
    response = client.post("/api/v1/decisions/", {}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()


@pytest.mark.parametrize("spoil", ["expired", "revoked", "left", "inactive", "wrong"])
def test_a_token_stops_working(officer, healthwatch, spoil: str) -> None:
    key = make(officer, healthwatch)
    token = AccessToken.objects.get()
    if spoil == "expired":
        AccessToken.objects.filter(pk=token.pk).update(expiry_date=timezone.now() - dt.timedelta(seconds=1))
    elif spoil == "revoked":
        services.token_revoke(actor=officer, actor_organisation=healthwatch, prefix=token.prefix)
    elif spoil == "left":
        Membership.objects.filter(user=officer).delete()
    elif spoil == "inactive":
        officer.is_active = False
        officer.save()
    else:
        key = key[:-1] + ("A" if key[-1] != "A" else "B")
    response = Client().get("/api/v1/people/", **bearer(key))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_never_has_more_power_than_its_owners_roles_now(healthwatch) -> None:
    user = member_of(healthwatch, Role.ENGAGEMENT_OFFICER, Role.BOARD_MEMBER)
    key = make(user, healthwatch)
    assert Client().get("/api/v1/people/", **bearer(key)).status_code == 200
    Membership.objects.filter(user=user, role=Role.ENGAGEMENT_OFFICER).delete()
    assert Client().get("/api/v1/people/", **bearer(key)).status_code == 403


def test_a_token_acts_for_one_organisation_only(healthwatch) -> None:
    council = OrganisationFactory(name="Council")
    user = member_of(healthwatch, Role.ENGAGEMENT_OFFICER)
    Membership.objects.create(user=user, organisation=council, role=Role.ENGAGEMENT_OFFICER)
    PersonFactory(organisation=council, family_name="Councilperson")
    key = make(user, healthwatch)
    assert "Councilperson" not in Client().get("/api/v1/people/", **bearer(key)).content.decode()


def test_administrators_list_and_revoke_tokens_of_users_they_manage(client_for, officer, healthwatch) -> None:
    make(officer, healthwatch)
    token = AccessToken.objects.get()
    admin = client_for(member_of(healthwatch, Role.ORGANISATION_ADMIN), healthwatch)
    assert token.prefix in admin.get(f"/staff/users/{officer.pk}/").content.decode()
    stranger_org = OrganisationFactory()
    stranger = client_for(member_of(stranger_org, Role.ORGANISATION_ADMIN), stranger_org)
    assert stranger.post(f"/accounts/tokens/{token.prefix}/revoke/").status_code == 404
    token.refresh_from_db()
    assert not token.revoked
    assert admin.post(f"/accounts/tokens/{token.prefix}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_REVOKED, subject_id=token.prefix).exists()


def test_a_token_must_expire_and_act_for_an_organisation_of_its_owner(officer, healthwatch) -> None:

    with pytest.raises(InvalidInput) as refused:
        services.token_create(
            actor=officer, organisation=OrganisationFactory(), name="", access="admin", days=1000
        )
    assert set(refused.value.errors) == {"name", "access", "days", "organisation"}


def test_the_openapi_document_needs_a_signed_in_user(client_for, officer, healthwatch) -> None:
    assert Client().get("/api/v1/schema/").status_code in {401, 403}
    assert client_for(officer, healthwatch).get("/api/v1/schema/").status_code == 200
    assert Client().get("/api/v1/schema/", **bearer(make(officer, healthwatch))).status_code == 200
