"""Administrators manage users and roles; organisation administrators only their own."""

from __future__ import annotations

import pytest

from engage.accounts.models import Membership, User
from engage.accounts.services import membership_revoke
from engage.accounts.tests.factories import member_of
from engage.core.errors import DomainError
from engage.core.models import AuditAction, AuditEvent
from engage.core.roles import Role
from engage.core.tests.factories import AuditEventFactory
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

NEW_USER = {
    "first_name": "Noor",
    "last_name": "Hussain",
    "email": "noor@partner.example.org",
}


def test_partnership_admin_creates_a_user_in_any_organisation(client_for) -> None:
    icb, healthwatch = OrganisationFactory(), OrganisationFactory()
    admin = client_for(member_of(icb, Role.PARTNERSHIP_ADMIN), icb)
    response = admin.post(
        "/staff/users/new/",
        NEW_USER
        | {
            "organisation": str(healthwatch.pk),
            "role": Role.ENGAGEMENT_OFFICER,
        },
    )
    user = User.objects.get(email="noor@partner.example.org")
    assert response.status_code == 302
    assert list(user.memberships.values_list("organisation", "role")) == [
        (healthwatch.pk, Role.ENGAGEMENT_OFFICER)
    ]
    assert AuditEvent.objects.filter(action=AuditAction.ROLE_GRANTED, subject_id=str(user.pk)).exists()


def test_organisation_admin_cannot_add_users_to_another_organisation(client_for) -> None:
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    admin = client_for(member_of(mine, Role.ORGANISATION_ADMIN), mine)
    response = admin.post(
        "/staff/users/new/",
        NEW_USER
        | {
            "organisation": str(theirs.pk),
            "role": Role.ENGAGEMENT_OFFICER,
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email=NEW_USER["email"]).exists()


def test_organisation_admin_cannot_make_a_partnership_admin(client_for) -> None:
    mine = OrganisationFactory()
    colleague = member_of(mine, Role.ANALYST)
    admin = client_for(member_of(mine, Role.ORGANISATION_ADMIN), mine)
    admin.post(
        f"/staff/users/{colleague.pk}/",
        {
            "form": "grant",
            "organisation": str(mine.pk),
            "role": Role.PARTNERSHIP_ADMIN,
        },
    )
    assert not colleague.memberships.filter(role=Role.PARTNERSHIP_ADMIN).exists()


def test_organisation_admin_sees_only_their_organisations_users(client_for) -> None:
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    stranger = member_of(theirs, Role.ANALYST, email="stranger@other.example.org")
    admin = client_for(member_of(mine, Role.ORGANISATION_ADMIN), mine)
    assert "stranger@other.example.org" not in admin.get("/staff/users/").content.decode()
    assert admin.get(f"/staff/users/{stranger.pk}/").status_code == 404


def test_organisation_admin_gives_and_removes_a_role(client_for) -> None:
    mine = OrganisationFactory()
    colleague = member_of(mine, Role.ANALYST)
    admin = client_for(member_of(mine, Role.ORGANISATION_ADMIN), mine)
    admin.post(
        f"/staff/users/{colleague.pk}/",
        {
            "form": "grant",
            "organisation": str(mine.pk),
            "role": Role.ENGAGEMENT_OFFICER,
        },
    )
    granted = colleague.memberships.get(role=Role.ENGAGEMENT_OFFICER)
    admin.post(f"/staff/users/{colleague.pk}/roles/{granted.pk}/remove/")
    assert set(colleague.memberships.values_list("role", flat=True)) == {Role.ANALYST}


def test_the_last_partnership_admin_cannot_be_removed() -> None:
    icb = OrganisationFactory()
    admin = member_of(icb, Role.PARTNERSHIP_ADMIN)
    membership = Membership.objects.get(user=admin)
    with pytest.raises(DomainError, match="at least one active partnership administrator"):
        membership_revoke(actor=admin, actor_organisation=icb, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_administrator_cannot_switch_off_their_own_account(client_for) -> None:
    icb = OrganisationFactory()
    user = member_of(icb, Role.PARTNERSHIP_ADMIN)
    admin = client_for(user, icb)
    response = admin.post(
        f"/staff/users/{user.pk}/",
        {
            "form": "update",
            "first_name": "A",
            "last_name": "B",
            "is_active": "",
        },
    )
    user.refresh_from_db()
    assert user.is_active
    assert "cannot switch off your own account" in response.content.decode()


def test_partnership_admin_adds_an_organisation_and_names_must_be_unique(client_for) -> None:
    icb = OrganisationFactory(name="Castlebridge ICB")
    admin = client_for(member_of(icb, Role.PARTNERSHIP_ADMIN), icb)
    admin.post("/staff/organisations/new/", {"name": "Castlebridge Carers Centre", "kind": "vcse"})
    duplicate = admin.post(
        "/staff/organisations/new/", {"name": "castlebridge carers centre", "kind": "vcse"}
    )
    assert "There is already an organisation called" in duplicate.content.decode()


def test_audit_trail_is_scoped_to_the_organisation_unless_partnership_wide(client_for) -> None:
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    AuditEventFactory(
        organisation=theirs, action=AuditAction.VIEWED, subject_type="person", summary="Theirs only"
    )
    org_admin = client_for(member_of(mine, Role.ORGANISATION_ADMIN), mine)
    assert "Theirs only" not in org_admin.get("/staff/audit/").content.decode()
    assert "Theirs only" not in org_admin.get("/staff/audit/?scope=all").content.decode()
    partnership_admin = client_for(member_of(mine, Role.PARTNERSHIP_ADMIN), mine)
    assert "Theirs only" in partnership_admin.get("/staff/audit/?scope=all").content.decode()


def test_organisation_admin_cannot_set_another_organisations_password(client_for) -> None:
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    stranger = member_of(theirs, Role.ANALYST)
    admin = client_for(member_of(mine, Role.ORGANISATION_ADMIN), mine)
    response = admin.post(
        f"/staff/users/{stranger.pk}/", {"form": "password", "password": "a-brand-new-passphrase"}
    )
    stranger.refresh_from_db()
    assert response.status_code == 404
    assert not stranger.check_password("a-brand-new-passphrase")
