"""No one gains a power they were not given: a property over generated partnerships.

Hypothesis builds a few organisations and users holding several roles in several of
them, picks an actor (acting for one of their organisations), a target and an action,
and checks that the service allows the action exactly when the rule says so. The rule
is written out again here, independently of `engage.accounts.selectors`, from its
statement in the issue:

- an actor may change a user (password, second factor, name, active, roles) only if the
  actor may manage every one of that user's memberships;
- a partnership administrator's account and roles only by a partnership administrator;
- the last active partnership administrator can be neither switched off nor stripped;
- removing a role needs the same power as granting it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engage.accounts import services
from engage.accounts.models import Membership, User
from engage.accounts.sign_in import services as sign_in_services
from engage.core.errors import DomainError, NotPermitted
from engage.core.models import AuditEvent
from engage.core.roles import Role
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=False)

ORGANISATIONS = 3
USERS = 4
ROLES = list(Role.values)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class Case:
    memberships: frozenset[tuple[int, int, str]]  # (user, organisation, role)
    inactive: frozenset[int]
    actor: int
    acting_for: int
    target: int
    action: str
    organisation: int  # for "grant"
    role: str  # for "grant", and which of the target's roles "revoke" removes


@st.composite
def cases(draw: st.DrawFn) -> Case:
    held = draw(
        st.frozensets(
            st.tuples(st.integers(0, USERS - 1), st.integers(0, ORGANISATIONS - 1), st.sampled_from(ROLES)),
            min_size=1,
            max_size=10,
        )
    )
    actor = draw(st.integers(0, USERS - 1))
    actor_organisations = sorted({o for u, o, _ in held if u == actor}) or [0]
    return Case(
        memberships=held,
        inactive=draw(st.frozensets(st.integers(0, USERS - 1), max_size=2)) - {actor},
        actor=actor,
        acting_for=draw(st.sampled_from(actor_organisations)),
        target=draw(st.integers(0, USERS - 1)),
        action=draw(st.sampled_from(["password", "second-factor", "name", "deactivate", "grant", "revoke"])),
        organisation=draw(st.integers(0, ORGANISATIONS - 1)),
        role=draw(st.sampled_from(ROLES)),
    )


def rule_allows(case: Case) -> bool:
    """The rule, from its statement: is the actor permitted at all?"""
    roles = {r for u, o, r in case.memberships if u == case.actor and o == case.acting_for}
    partnership_admin = Role.PARTNERSHIP_ADMIN in roles
    organisation_admin = Role.ORGANISATION_ADMIN in roles

    def may_manage(organisation: int, role: str) -> bool:
        if partnership_admin:
            return True
        return organisation_admin and organisation == case.acting_for and role != Role.PARTNERSHIP_ADMIN

    targets = [(o, r) for u, o, r in case.memberships if u == case.target]
    every = all(may_manage(o, r) for o, r in targets) if targets else partnership_admin
    if case.action == "grant":
        return every and may_manage(case.organisation, case.role)
    return every


def last_admin_refuses(case: Case) -> bool:
    """Would the action leave no active partnership administrator?"""
    admins = {u for u, _, r in case.memberships if r == Role.PARTNERSHIP_ADMIN and u not in case.inactive}
    if case.action == "deactivate" and case.target not in case.inactive:
        return admins <= {case.target}
    if case.action == "revoke" and case.role == Role.PARTNERSHIP_ADMIN:
        others = {(o, r) for u, o, r in case.memberships if u == case.target and r == Role.PARTNERSHIP_ADMIN}
        removed = _revoked(case)
        if removed is not None and others == {removed}:
            return admins <= {case.target}
    return False


def _revoked(case: Case) -> tuple[int, str] | None:
    """The membership "revoke" removes: the target's first with the chosen role."""
    found = sorted(o for u, o, r in case.memberships if u == case.target and r == case.role)
    return (found[0], case.role) if found else None


def build(case: Case) -> tuple[list[object], list[User]]:
    organisations = [OrganisationFactory(name=f"Organisation {i}") for i in range(ORGANISATIONS)]
    users = [
        User.objects.create(email=f"user{i}@example.org", password="!", is_active=i not in case.inactive)
        for i in range(USERS)
    ]
    for user, organisation, role in case.memberships:
        Membership.objects.create(user=users[user], organisation=organisations[organisation], role=role)
    return organisations, users


def attempt(case: Case, organisations: list[object], users: list[User]) -> None:
    actor, target = users[case.actor], users[case.target]
    acting_for = organisations[case.acting_for]
    common = {"actor": actor, "actor_organisation": acting_for}
    if case.action == "password":
        sign_in_services.password_link_send(**common, user=target)
    elif case.action == "second-factor":
        sign_in_services.second_factor_reset(**common, user=target)
    elif case.action == "name":
        services.user_update(
            **common, user=target, first_name="New", last_name="Name", is_active=target.is_active
        )
    elif case.action == "deactivate":
        services.user_update(**common, user=target, first_name="New", last_name="Name", is_active=False)
    elif case.action == "grant":
        services.membership_grant(
            **common, user=target, organisation=organisations[case.organisation], role=case.role
        )
    else:
        removed = _revoked(case)
        if removed is None:
            return
        membership = Membership.objects.get(
            user=target, organisation=organisations[removed[0]], role=removed[1]
        )
        services.membership_revoke(**common, membership=membership)


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases())
def test_an_action_is_allowed_exactly_when_the_rule_says_so(case: Case) -> None:
    with transaction.atomic():
        organisations, users = build(case)
        if case.action == "revoke" and _revoked(case) is None:
            transaction.set_rollback(True)
            return
        allowed = rule_allows(case)
        refused_as_last = allowed and last_admin_refuses(case)
        refused_as_self = allowed and case.action == "deactivate" and case.actor == case.target
        refusal: DomainError | None = None
        try:
            attempt(case, organisations, users)
        except DomainError as error:
            refusal = error
        if isinstance(refusal, NotPermitted):
            assert not allowed, f"Refused although the rule allows it: {case}"
        elif refusal is not None:
            assert allowed, f"Allowed past the permission check although the rule forbids it: {case}"
            assert refused_as_last or refused_as_self, f"Unexpected refusal {refusal.message!r}: {case}"
        else:
            assert allowed, f"Allowed although the rule forbids it: {case}"
            assert not refused_as_last, f"Left the partnership without an administrator: {case}"
            assert not refused_as_self, f"Switched off their own account: {case}"
        transaction.set_rollback(True)


def test_an_organisation_admin_cannot_take_over_a_colleague_who_is_a_partnership_admin(client_for) -> None:
    """The attack that started it: same organisation, but the colleague is also a
    partnership administrator, so a new password would open every partner's data."""
    icb = OrganisationFactory()
    colleague = User.objects.create_user(email="pa@example.org", password="their-own-long-passphrase")
    Membership.objects.create(user=colleague, organisation=icb, role=Role.ENGAGEMENT_OFFICER)
    Membership.objects.create(user=colleague, organisation=icb, role=Role.PARTNERSHIP_ADMIN)
    admin = User.objects.create_user(email="oa@example.org", password="x")
    Membership.objects.create(user=admin, organisation=icb, role=Role.ORGANISATION_ADMIN)
    client = client_for(admin, icb)
    page = client.get(f"/staff/users/{colleague.pk}/").content.decode()
    assert "only a partnership administrator can change this account" in page
    assert 'value="password"' not in page
    for form in ("password", "second-factor"):
        response = client.post(f"/staff/users/{colleague.pk}/", {"form": form})
        assert "ask a partnership administrator" in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.check_password("their-own-long-passphrase")
    assert not AuditEvent.objects.filter(subject_id=str(colleague.pk), actor=admin).exists()


def test_two_partnership_admins_cannot_leave_the_partnership_without_one() -> None:
    icb = OrganisationFactory()
    first = User.objects.create(email="one@example.org")
    second = User.objects.create(email="two@example.org")
    for user in (first, second):
        Membership.objects.create(user=user, organisation=icb, role=Role.PARTNERSHIP_ADMIN)
    services.user_update(
        actor=first, actor_organisation=icb, user=second, first_name="", last_name="", is_active=False
    )
    membership = Membership.objects.get(user=first)
    with pytest.raises(DomainError, match="at least one active partnership administrator"):
        services.membership_revoke(actor=first, actor_organisation=icb, membership=membership)
