"""The steps that build the demo partnership, in the order they run.

Each step is a small function that takes what earlier steps built and returns what
later steps need, so the features still to come (activities, conversations, decisions)
add steps of their own after these. Steps write with bulk_create in batches: the product
promises a realistic partnership within a minute of install, and one query a row would
take far longer, above all on PostgreSQL.

Every random choice comes from the one random.Random passed in, drawn in a fixed order
and never from database ids or a set's order, so one seed and one reference date
always build the same partnership.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password

from engage.accounts.models import Membership, User
from engage.demo import names, places
from engage.demo.groups import GROUPS, STAKEHOLDER_COUNCIL, GroupSpec
from engage.demo.organisations import GP_PRACTICES, PPG_SIZE, STATUTORY, VCSE, GPPracticeSpec
from engage.demo.staff import DEMO_PASSWORD, STAFF
from engage.partners.models import (
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Group,
    GroupKind,
    GroupMembership,
    Organisation,
    OrganisationKind,
    Person,
    PersonRole,
    PersonRoleKind,
)

BATCH_SIZE = 1000
YEAR = 365


# --- Organisations -----------------------------------------------------------------


@dataclass(frozen=True)
class DemoOrganisations:
    by_key: dict[str, Organisation]
    gp_practices: tuple[tuple[GPPracticeSpec, Organisation], ...]

    def __getitem__(self, key: str) -> Organisation:
        return self.by_key[key]

    @property
    def all(self) -> list[Organisation]:
        return [*self.by_key.values(), *(practice for _, practice in self.gp_practices)]


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def build_organisations() -> DemoOrganisations:
    keyed_specs = [*STATUTORY, *VCSE]
    keyed = [
        Organisation(
            name=spec.name,
            kind=spec.kind,
            short_name=spec.short_name,
            description=spec.description,
            website=f"https://{_slug(spec.name)}.example.org/",
        )
        for spec in keyed_specs
    ]
    practices = [
        Organisation(
            name=spec.name,
            kind=OrganisationKind.GP_PRACTICE,
            description=f"A GP practice in {spec.town}.",
            website=f"https://{_slug(spec.name)}.example.org/",
        )
        for spec in GP_PRACTICES
    ]
    Organisation.objects.bulk_create([*keyed, *practices], batch_size=BATCH_SIZE)
    return DemoOrganisations(
        by_key={spec.key: organisation for spec, organisation in zip(keyed_specs, keyed, strict=True)},
        gp_practices=tuple(zip(GP_PRACTICES, practices, strict=True)),
    )


# --- Groups -------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoGroups:
    stakeholder_council: Group
    # The patient participation group of each practice, by the practice's id.
    ppgs: dict[int, Group]
    others: tuple[tuple[GroupSpec, Group], ...]

    @property
    def count(self) -> int:
        return 1 + len(self.ppgs) + len(self.others)


def _group(spec: GroupSpec, organisations: DemoOrganisations) -> Group:
    return Group(
        organisation=organisations[spec.runner],
        name=spec.name,
        kind=spec.kind,
        area=spec.area,
        description=spec.description,
    )


def build_groups(organisations: DemoOrganisations) -> DemoGroups:
    council = _group(STAKEHOLDER_COUNCIL, organisations)
    # Each practice runs its own PPG and holds its members' details, as practices do.
    ppgs = [
        Group(
            organisation=practice,
            gp_practice=practice,
            kind=GroupKind.PATIENT_PARTICIPATION,
            name=f"{practice.name} Patient Participation Group",
            area=spec.town,
            description="Patients who meet the practice team to talk about its services.",
        )
        for spec, practice in organisations.gp_practices
    ]
    others = [_group(spec, organisations) for spec in GROUPS]
    Group.objects.bulk_create([council, *ppgs, *others], batch_size=BATCH_SIZE)
    return DemoGroups(
        stakeholder_council=council,
        ppgs={group.gp_practice_id: group for group in ppgs if group.gp_practice_id is not None},
        others=tuple(zip(GROUPS, others, strict=True)),
    )


# --- People -------------------------------------------------------------------------

# Shares of people with no email, no phone or no postcode: contact lists are never
# complete, and screens and exports must cope with the gaps.
NO_EMAIL = 0.12
NO_PHONE = 0.22
NO_POSTCODE = 0.05
WITH_NOTE = 0.08

NOTES: tuple[str, ...] = (
    "Prefers large print.",
    "Prefers a phone call to an email.",
    "Needs a BSL interpreter at events.",
    "Needs step-free access at venues.",
    "Would like information in their first language.",
    "Can only come to evening or weekend events.",
    "Happy to help run a stall at future events.",
    "Asked for letters rather than emails.",
)

EMAIL_DOMAINS = ("example.org", "example.com")


@dataclass(frozen=True)
class DemoPeople:
    all: tuple[Person, ...]
    # Each organisation's people, by the organisation's id, in the order they were made.
    by_organisation: dict[int, list[Person]]


class _EmailMaker:
    """firstname.lastnameN@example.org, N counting up so no two people share one."""

    def __init__(self) -> None:
        self._used: dict[str, int] = defaultdict(int)

    def __call__(self, given: str, family: str, rng: random.Random) -> str:
        local = f"{_slug(given).replace('-', '')}.{_slug(family).replace('-', '')}"
        self._used[local] += 1
        return f"{local}{self._used[local]}@{rng.choice(EMAIL_DOMAINS)}"


def _person(
    rng: random.Random, organisation: Organisation, town: places.Town, make_email: _EmailMaker
) -> Person:
    given, family = names.pick_name(rng)
    return Person(
        organisation=organisation,
        given_name=given,
        family_name=family,
        email="" if rng.random() < NO_EMAIL else make_email(given, family, rng),
        phone="" if rng.random() < NO_PHONE else places.phone_number(rng),
        postcode="" if rng.random() < NO_POSTCODE else places.postcode_in(town, rng),
        notes=rng.choice(NOTES) if rng.random() < WITH_NOTE else "",
    )


def build_people(rng: random.Random, organisations: DemoOrganisations) -> DemoPeople:
    make_email = _EmailMaker()
    towns = {town.name: town for town in places.TOWNS}
    people: list[Person] = []
    for spec in [*STATUTORY, *VCSE]:
        organisation = organisations[spec.key]
        people.extend(
            _person(rng, organisation, places.pick_town(rng), make_email) for _ in range(spec.people)
        )
    # A practice's PPG members live near the practice.
    for practice_spec, practice in organisations.gp_practices:
        size = rng.randint(*PPG_SIZE)
        people.extend(_person(rng, practice, towns[practice_spec.town], make_email) for _ in range(size))
    Person.objects.bulk_create(people, batch_size=BATCH_SIZE)
    by_organisation: dict[int, list[Person]] = defaultdict(list)
    for person in people:
        by_organisation[person.organisation_id].append(person)
    return DemoPeople(all=tuple(people), by_organisation=dict(by_organisation))


# --- Roles people hold ----------------------------------------------------------------

RoleShares = tuple[tuple[PersonRoleKind, float], ...]

# The share of each organisation's people holding each role. The ICB runs the patient
# ambassadors and the stakeholder council; the CVS runs the volunteer centre; the
# carers' centre holds carers.
ROLE_SHARES: dict[str, RoleShares] = {
    "icb": (
        (PersonRoleKind.STAKEHOLDER_COUNCIL_MEMBER, 0.04),
        (PersonRoleKind.PATIENT_AMBASSADOR, 0.08),
        (PersonRoleKind.CARER, 0.10),
    ),
    "healthwatch": ((PersonRoleKind.VOLUNTEER, 0.12), (PersonRoleKind.CARER, 0.10)),
    "cvs": ((PersonRoleKind.VOLUNTEER, 0.55), (PersonRoleKind.CARER, 0.06)),
    "council": ((PersonRoleKind.CARER, 0.08),),
    "acute_trust": ((PersonRoleKind.VOLUNTEER, 0.30),),
    "community_trust": ((PersonRoleKind.VOLUNTEER, 0.25), (PersonRoleKind.CARER, 0.15)),
    "carers": ((PersonRoleKind.CARER, 0.85), (PersonRoleKind.VOLUNTEER, 0.08)),
}
OTHER_VCSE_ROLE_SHARES: RoleShares = (
    (PersonRoleKind.VOLUNTEER, 0.15),
    (PersonRoleKind.CARER, 0.10),
)
GP_PRACTICE_ROLE_SHARES: RoleShares = ((PersonRoleKind.CARER, 0.12),)


def _days_before(today: date, rng: random.Random, most: int, least: int = 0) -> date:
    return today - timedelta(days=rng.randint(least, most))


def build_person_roles(
    rng: random.Random, today: date, organisations: DemoOrganisations, people: DemoPeople
) -> list[PersonRole]:
    shares_by_org: list[tuple[Organisation, RoleShares]] = [
        (organisations[key], ROLE_SHARES.get(key, OTHER_VCSE_ROLE_SHARES)) for key in organisations.by_key
    ]
    shares_by_org += [(practice, GP_PRACTICE_ROLE_SHARES) for _, practice in organisations.gp_practices]
    roles: list[PersonRole] = []
    for organisation, shares in shares_by_org:
        for person in people.by_organisation.get(organisation.pk, []):
            roles.extend(
                PersonRole(person=person, role=role, since=_days_before(today, rng, 6 * YEAR, 30))
                for role, share in shares
                if rng.random() < share
            )
    PersonRole.objects.bulk_create(roles, batch_size=BATCH_SIZE)
    return roles


# --- Group membership -----------------------------------------------------------------


def build_group_memberships(
    rng: random.Random,
    today: date,
    groups: DemoGroups,
    people: DemoPeople,
    roles: list[PersonRole],
) -> list[GroupMembership]:
    def joined(group: Group, person: Person) -> GroupMembership:
        return GroupMembership(group=group, person=person, joined_on=_days_before(today, rng, 5 * YEAR))

    memberships: list[GroupMembership] = []
    # Practices hold exactly their PPG members.
    for practice_id, ppg in groups.ppgs.items():
        memberships.extend(joined(ppg, person) for person in people.by_organisation.get(practice_id, []))
    # Stakeholder council members joined the council when they took the role.
    memberships.extend(
        GroupMembership(group=groups.stakeholder_council, person=role.person, joined_on=role.since)
        for role in roles
        if role.role == PersonRoleKind.STAKEHOLDER_COUNCIL_MEMBER
    )
    carers = {role.person_id for role in roles if role.role == PersonRoleKind.CARER}
    for spec, group in groups.others:
        pool = people.by_organisation.get(group.organisation_id, [])
        if spec.kind == GroupKind.CARERS:
            # Carers' groups are mostly carers; fall back to everyone if too few.
            carer_pool = [person for person in pool if person.pk in carers]
            pool = carer_pool if len(carer_pool) >= spec.members[1] else pool
        size = min(rng.randint(*spec.members), len(pool))
        memberships.extend(joined(group, person) for person in rng.sample(pool, size))
    GroupMembership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    return memberships


# --- Consent --------------------------------------------------------------------------

# Some people never said yes to anything: they are on a list because they came along.
NEVER_CONSENTED = 0.07
# (purpose, share who gave it, share of those who later withdrew it)
CONSENT_RATES: tuple[tuple[ConsentPurpose, float, float], ...] = (
    (ConsentPurpose.CONTACT, 0.88, 0.10),
    (ConsentPurpose.QUOTE, 0.45, 0.12),
    (ConsentPurpose.DEMOGRAPHICS, 0.62, 0.08),
)
# Of those who withdrew, the share who later gave consent again (a new grant).
GAVE_AGAIN = 0.3
CONSENT_WINDOW_DAYS = 3 * YEAR

GIVEN_BY: tuple[tuple[ConsentMethod, int], ...] = (
    (ConsentMethod.PAPER_FORM, 35),
    (ConsentMethod.ONLINE_FORM, 25),
    (ConsentMethod.VERBAL, 20),
    (ConsentMethod.EMAIL, 12),
    (ConsentMethod.PHONE, 8),
)
WITHDRAWN_BY: tuple[tuple[ConsentMethod, int], ...] = (
    (ConsentMethod.EMAIL, 35),
    (ConsentMethod.PHONE, 30),
    (ConsentMethod.ONLINE_FORM, 15),
    (ConsentMethod.VERBAL, 15),
    (ConsentMethod.PAPER_FORM, 5),
)


def _method(rng: random.Random, weighted: tuple[tuple[ConsentMethod, int], ...]) -> ConsentMethod:
    return rng.choices([method for method, _ in weighted], weights=[w for _, w in weighted])[0]


def _consent_source(rng: random.Random, method: ConsentMethod, holder: Organisation) -> str:
    """Where consent was given, as a member of staff would write it down."""
    if holder.kind == OrganisationKind.GP_PRACTICE and method in (
        ConsentMethod.PAPER_FORM,
        ConsentMethod.VERBAL,
    ):
        return f"Patient participation group meeting, {holder.name}"
    if method == ConsentMethod.PAPER_FORM:
        return f"{rng.choice(places.EVENTS)}, {rng.choice(places.VENUES)}"
    if method == ConsentMethod.VERBAL:
        return f"Conversation at a stall, {rng.choice(places.VENUES)}"
    if method == ConsentMethod.ONLINE_FORM:
        form = rng.choice(("Online sign-up form", "Online survey", "Get involved web page"))
        return f"{form}, {holder.display_name}"
    if method == ConsentMethod.EMAIL:
        return f"Email to {holder.display_name}"
    return f"Phone call with {holder.display_name}"


def _grants(
    rng: random.Random, today: date, person: Person, purpose: ConsentPurpose, withdrawal_rate: float
) -> list[Consent]:
    """One purpose's grants: at most one standing, any earlier ones withdrawn."""

    def grant(given_on: date) -> Consent:
        method = _method(rng, GIVEN_BY)
        return Consent(
            person=person,
            purpose=purpose,
            given_on=given_on,
            method=method,
            source=_consent_source(rng, method, person.organisation),
        )

    first = grant(_days_before(today, rng, CONSENT_WINDOW_DAYS))
    if rng.random() >= withdrawal_rate:
        return [first]
    first.withdrawn_on = first.given_on + timedelta(days=rng.randint(0, (today - first.given_on).days))
    first.withdrawal_method = _method(rng, WITHDRAWN_BY)
    if first.withdrawn_on < today and rng.random() < GAVE_AGAIN:
        again = grant(first.withdrawn_on + timedelta(days=rng.randint(1, (today - first.withdrawn_on).days)))
        return [first, again]
    return [first]


def build_consent(rng: random.Random, today: date, people: DemoPeople) -> list[Consent]:
    consents: list[Consent] = []
    for person in people.all:
        if rng.random() < NEVER_CONSENTED:
            continue
        for purpose, given, withdrawn in CONSENT_RATES:
            if rng.random() < given:
                consents.extend(_grants(rng, today, person, purpose, withdrawn))
    Consent.objects.bulk_create(consents, batch_size=BATCH_SIZE)
    return consents


# --- Staff accounts -------------------------------------------------------------------


def build_staff(organisations: DemoOrganisations) -> list[Membership]:
    # Argon2 costs about a tenth of a second a hash by design; every demo account has
    # the same published password, so one hash serves them all and keeps the load fast.
    password_hash = make_password(DEMO_PASSWORD)
    users: list[User] = []
    for spec in STAFF:
        user = User.objects.create_user(
            spec.email, password=None, first_name=spec.first_name, last_name=spec.last_name
        )
        user.password = password_hash
        users.append(user)
    User.objects.bulk_update(users, ["password"])
    memberships = [
        Membership(user=user, organisation=organisations[key], role=role)
        for spec, user in zip(STAFF, users, strict=True)
        for key, role in spec.memberships
    ]
    Membership.objects.bulk_create(memberships)
    return memberships
