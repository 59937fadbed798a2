"""What the demo partnership holds: the partners, groups, people, consent and staff
accounts a borough's health and care partnership would have."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from itertools import pairwise

import pytest
from django.db.models import F

from engage.accounts.models import Membership, User
from engage.core.models import AuditAction, AuditEvent
from engage.core.roles import Role
from engage.demo.organisations import MARKER_ORGANISATION
from engage.demo.services import DemoSummary
from engage.demo.staff import DEMO_PASSWORD, DEMO_USER_EMAILS
from engage.demo.tests.conftest import REFERENCE_DATE
from engage.partners.models import (
    Consent,
    Group,
    GroupKind,
    GroupMembership,
    Organisation,
    OrganisationKind,
    Person,
    PersonRole,
    PersonRoleKind,
)

pytestmark = pytest.mark.django_db


def _kinds() -> Counter[str]:
    return Counter(Organisation.objects.values_list("kind", flat=True))


def test_demo_has_the_statutory_partners_of_a_borough(demo: DemoSummary) -> None:
    kinds = _kinds()
    assert kinds[OrganisationKind.COUNCIL] == 1
    assert kinds[OrganisationKind.PUBLIC_HEALTH] == 1
    assert kinds[OrganisationKind.ICB] == 1
    assert kinds[OrganisationKind.NHS_TRUST] == 2
    assert kinds[OrganisationKind.HEALTHWATCH] == 1
    assert kinds[OrganisationKind.POLICE] == 1
    assert Organisation.objects.filter(name=MARKER_ORGANISATION, kind=OrganisationKind.ICB).exists()
    trusts = set(Organisation.objects.filter(kind=OrganisationKind.NHS_TRUST).values_list("name", flat=True))
    assert any("Hospitals" in name for name in trusts)
    assert any("Mental Health" in name for name in trusts)


def test_demo_has_a_cvs_about_forty_voluntary_organisations_and_forty_seven_practices(
    demo: DemoSummary,
) -> None:
    assert Organisation.objects.filter(name__contains="Council for Voluntary Service").count() == 1
    kinds = _kinds()
    assert 35 <= kinds[OrganisationKind.VCSE] - 1 <= 45  # less the CVS
    assert kinds[OrganisationKind.GP_PRACTICE] == 47
    assert demo.gp_practices == 47


def test_every_gp_practice_runs_its_own_patient_participation_group(demo: DemoSummary) -> None:
    for practice in Organisation.objects.filter(kind=OrganisationKind.GP_PRACTICE):
        ppgs = Group.objects.filter(kind=GroupKind.PATIENT_PARTICIPATION, gp_practice=practice)
        assert ppgs.count() == 1
        ppg = ppgs.get()
        assert ppg.organisation == practice
        members = GroupMembership.objects.filter(group=ppg)
        assert members.count() >= 6
        # The practice holds exactly its PPG members' details.
        assert set(members.values_list("person_id", flat=True)) == set(
            Person.objects.filter(organisation=practice).values_list("pk", flat=True)
        )


def test_stakeholder_council_is_run_by_the_icb_and_holds_its_council_members(
    demo: DemoSummary,
) -> None:
    council = Group.objects.get(kind=GroupKind.STAKEHOLDER_COUNCIL)
    assert council.organisation.kind == OrganisationKind.ICB
    role_holders = set(
        PersonRole.objects.filter(role=PersonRoleKind.STAKEHOLDER_COUNCIL_MEMBER).values_list(
            "person_id", flat=True
        )
    )
    assert len(role_holders) >= 10
    assert set(council.memberships.values_list("person_id", flat=True)) == role_holders


def test_demo_has_community_faith_carers_and_young_peoples_groups(demo: DemoSummary) -> None:
    kinds = Counter(Group.objects.values_list("kind", flat=True))
    for kind in (GroupKind.COMMUNITY, GroupKind.FAITH, GroupKind.CARERS, GroupKind.YOUNG_PEOPLE):
        assert kinds[kind] >= 2, kind


def test_group_members_are_people_of_the_organisation_that_runs_the_group(
    demo: DemoSummary,
) -> None:
    mismatched = GroupMembership.objects.exclude(person__organisation=F("group__organisation"))
    assert not mismatched.exists()
    assert all(GroupMembership.objects.filter(group=group).exists() for group in Group.objects.all())


def test_demo_holds_thousands_of_people_mostly_at_the_big_partners(demo: DemoSummary) -> None:
    total = Person.objects.count()
    assert 2000 <= total <= 5000
    assert demo.people == total
    held = Counter(Person.objects.values_list("organisation__kind", flat=True))
    big = held[OrganisationKind.ICB] + held[OrganisationKind.HEALTHWATCH] + held[OrganisationKind.COUNCIL]
    assert big > total / 2
    holders = Person.objects.values("organisation").distinct().count()
    assert holders > 47  # every practice and more besides


def test_people_have_realistic_roles(demo: DemoSummary) -> None:
    roles = Counter(PersonRole.objects.values_list("role", flat=True))
    for kind in PersonRoleKind:
        assert roles[kind] >= 10, kind
    assert not PersonRole.objects.filter(since__gt=REFERENCE_DATE).exists()


def test_contact_details_use_reserved_domains_and_drama_phone_numbers(demo: DemoSummary) -> None:
    people = list(Person.objects.values("email", "phone", "postcode"))
    emails = [p["email"] for p in people if p["email"]]
    phones = [p["phone"] for p in people if p["phone"]]
    assert all(re.fullmatch(r"[a-z]+\.[a-z]+\d+@example\.(org|com)", email) for email in emails)
    assert len(set(emails)) == len(emails)
    drama = r"07700 900\d{3}|0121 496 0\d{3}|01632 960\d{3}"
    assert all(re.fullmatch(drama, phone) for phone in phones)
    assert all(re.fullmatch(r"DY\d [1-9][A-Z]{2}", p["postcode"]) for p in people if p["postcode"])
    # Lists are never complete: some people have no email or no phone.
    assert len(emails) < len(people)
    assert len(phones) < len(people)
    assert Organisation.objects.exclude(website__endswith=".example.org/").count() == 0


def test_people_have_varied_consent_some_withdrawn_and_some_never_given(demo: DemoSummary) -> None:
    consents = Consent.objects.all()
    assert consents.count() > Person.objects.count()
    assert consents.filter(withdrawn_on__isnull=False).count() >= 100
    assert Person.objects.filter(consents__isnull=True).count() >= 50
    assert set(consents.values_list("purpose", flat=True)) == {"contact", "quote", "demographics"}
    assert len(set(consents.values_list("method", flat=True))) == 5
    assert len(set(consents.values_list("source", flat=True))) >= 50
    assert consents.filter(source="Big Conversation event, Castlebridge Library").exists()
    assert not consents.filter(withdrawn_on__isnull=False, withdrawal_method="").exists()
    # Some people withdrew and later gave consent again.
    assert _people_who_gave_again() > 0
    assert demo.consents_withdrawn == consents.filter(withdrawn_on__isnull=False).count()


def _people_who_gave_again() -> int:
    grants: Counter[tuple[int, str]] = Counter(Consent.objects.values_list("person_id", "purpose"))
    return sum(1 for count in grants.values() if count > 1)


def test_every_persons_consent_respects_the_rules(demo: DemoSummary) -> None:
    three_years_ago = REFERENCE_DATE - timedelta(days=3 * 365)
    by_person_purpose: dict[tuple[int, str], list[tuple[date, date | None]]] = defaultdict(list)
    for person_id, purpose, given_on, withdrawn_on in Consent.objects.values_list(
        "person_id", "purpose", "given_on", "withdrawn_on"
    ):
        assert three_years_ago <= given_on <= REFERENCE_DATE
        assert withdrawn_on is None or given_on <= withdrawn_on <= REFERENCE_DATE
        by_person_purpose[(person_id, purpose)].append((given_on, withdrawn_on))
    for grants in by_person_purpose.values():
        grants.sort(key=lambda grant: grant[0])
        # At most one grant stands, and it is the latest.
        assert [withdrawn for _, withdrawn in grants].count(None) <= 1
        assert all(withdrawn is not None for _, withdrawn in grants[:-1])
        # A later grant starts only after the earlier one was withdrawn.
        for (_, withdrawn), (next_given, _) in pairwise(grants):
            assert withdrawn is not None
            assert next_given >= withdrawn


def test_every_role_has_a_demo_user_who_can_sign_in_with_the_shared_password(
    demo: DemoSummary,
) -> None:
    memberships = Membership.objects.filter(user__email__in=DEMO_USER_EMAILS)
    assert set(memberships.values_list("role", flat=True)) == set(Role.values)
    icb_roles = set(
        memberships.filter(organisation__kind=OrganisationKind.ICB).values_list("role", flat=True)
    )
    assert icb_roles == set(Role.values)
    healthwatch_roles = set(
        memberships.filter(organisation__kind=OrganisationKind.HEALTHWATCH).values_list("role", flat=True)
    )
    assert {Role.ENGAGEMENT_OFFICER, Role.ORGANISATION_ADMIN} <= healthwatch_roles
    cvs_roles = set(
        memberships.filter(organisation__short_name="Castlebridge CVS").values_list("role", flat=True)
    )
    assert {Role.ENGAGEMENT_OFFICER, Role.ORGANISATION_ADMIN} <= cvs_roles
    users = list(User.objects.filter(email__in=DEMO_USER_EMAILS))
    assert all(user.email.endswith(".example.org") for user in users)
    # They share one hash of the one password, so checking one checks them all.
    assert len({user.password for user in users}) == 1
    assert users[0].check_password(DEMO_PASSWORD)
    assert {account.email for account in demo.accounts} == set(DEMO_USER_EMAILS)


def test_one_demo_user_belongs_to_two_organisations(demo: DemoSummary) -> None:
    pairs = set(
        Membership.objects.filter(user__email__in=DEMO_USER_EMAILS).values_list(
            "user__email", "organisation_id"
        )
    )
    organisations_per_user = Counter(email for email, _ in pairs)
    assert list(organisations_per_user.values()).count(2) == 1
    assert max(organisations_per_user.values()) == 2


def test_loading_records_that_the_demo_was_generated(demo: DemoSummary) -> None:
    events = AuditEvent.objects.filter(subject_type="demo", action=AuditAction.CREATED)
    assert events.count() == 1
    event = events.get()
    assert event.actor is None
    assert "seed 2013" in event.summary
