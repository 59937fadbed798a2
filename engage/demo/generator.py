"""The steps that build the demo partnership, in the order they run.

Each step is a small function that takes what earlier steps built and returns what
later steps need, so the features still to come (conversations, decisions) add steps of
their own after these. Steps write with bulk_create in batches: the product
promises a realistic partnership within a minute of install, and one query a row would
take far longer, above all on PostgreSQL.

Every random choice comes from the one random.Random passed in, drawn in a fixed order
and never from database ids or a set's order, so one seed and one reference date
always build the same partnership.
"""

from __future__ import annotations

import hashlib
import random
import re
import secrets
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from engage.accounts.models import Membership, User
from engage.activities.models import (
    Activity,
    ActivitySeries,
    Area,
    AreaKind,
    Method,
    PartnershipPriority,
    Status,
    TargetGroup,
)
from engage.conversations.models import Channel, Conversation, QuoteConsentSource
from engage.conversations.quotes.services import quote_consents_record
from engage.core.bulk import rows_insert
from engage.core.cell_key import RECORD_KEYS
from engage.core.roles import Role
from engage.demo import activities as templates
from engage.demo import areas as area_specs
from engage.demo import conversations as conversation_text
from engage.demo import labels, names, places, population
from engage.demo.groups import GROUPS, STAKEHOLDER_COUNCIL, GroupSpec
from engage.demo.organisations import GP_PRACTICES, PPG_SIZE, STATUTORY, VCSE, GPPracticeSpec
from engage.demo.priorities import PRIORITIES
from engage.demo.staff import DEMO_AUTHENTICATOR_KEY, DEMO_PASSWORD, STAFF
from engage.insight.framework.services import framework_built_in
from engage.insight.models import Category, PersonLabel, Review
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
from textkit.keywords import keyword_text

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
            # The shared address other partners see for an activity's contact.
            contact_email=f"{'hello' if spec.kind == OrganisationKind.VCSE else 'engagement'}"
            f"@{_slug(spec.name)}.example.org",
        )
        for spec in keyed_specs
    ]
    practices = [
        Organisation(
            name=spec.name,
            kind=OrganisationKind.GP_PRACTICE,
            description=f"A GP practice in {spec.town}.",
            website=f"https://{_slug(spec.name)}.example.org/",
            contact_email=f"enquiries@{_slug(spec.name)}.example.org",
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
        # Drawn here, as the database would draw it (RandomRecordKey): a row that brings
        # its key lets Django's bulk insert on PostgreSQL take its quick path (UNNEST,
        # one array a column), which a database default in every row rules out; the
        # demo's people were a quarter of its load.
        record_key=secrets.randbelow(RECORD_KEYS),
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
    # Administrators must use two-step sign-in: theirs is set up with the published key.
    key = DEMO_AUTHENTICATOR_KEY.hex()
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=user, name="Demo authenticator (published key)", key=key, confirmed=True)
        for user in {
            m.user for m in memberships if m.role in (Role.PARTNERSHIP_ADMIN, Role.ORGANISATION_ADMIN)
        }
    )
    return memberships


def demo_analyst(staff: list[Membership]) -> User | None:
    """The demo's analyst, who has labelled some of the bank; None if there is none."""
    return next((membership.user for membership in staff if membership.role == Role.ANALYST), None)


# --- Areas ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAreas:
    place: Area
    # By town (places.py): each town's locality, its wards and the most deprived of them.
    localities: dict[str, Area]
    wards: dict[str, list[Area]]
    deprived: dict[str, list[Area]]

    @property
    def all(self) -> list[Area]:
        return [self.place, *self.localities.values(), *(w for wards in self.wards.values() for w in wards)]

    def ward(self, name: str) -> Area:
        return next(ward for wards in self.wards.values() for ward in wards if ward.name == name)


def build_areas() -> DemoAreas:
    place = Area(name=area_specs.PLACE, kind=AreaKind.PLACE, code=area_specs.PLACE_CODE)
    Area.objects.bulk_create([place])
    localities = {
        spec.town: Area(
            name=spec.name, kind=AreaKind.LOCALITY, parent=place, code=area_specs.locality_code(i)
        )
        for i, spec in enumerate(area_specs.LOCALITIES)
    }
    Area.objects.bulk_create(localities.values())
    wards = {
        spec.town: [
            Area(name=name, kind=AreaKind.WARD, parent=localities[spec.town], code=area_specs.ward_code(i, j))
            for j, name in enumerate(spec.wards)
        ]
        for i, spec in enumerate(area_specs.LOCALITIES)
    }
    Area.objects.bulk_create([ward for town_wards in wards.values() for ward in town_wards])
    deprived = {
        spec.town: [ward for ward in wards[spec.town] if ward.name in spec.deprived]
        for spec in area_specs.LOCALITIES
    }
    return DemoAreas(place=place, localities=localities, wards=wards, deprived=deprived)


# --- Partnership priorities -------------------------------------------------------------


def build_priorities() -> dict[str, PartnershipPriority]:
    priorities = {
        spec.key: PartnershipPriority(title=spec.title, description=spec.description, position=position)
        for position, spec in enumerate(PRIORITIES, start=1)
    }
    PartnershipPriority.objects.bulk_create(priorities.values())
    return priorities


# --- Engagement activities ----------------------------------------------------------------

# The register covers the two years before the reference date and the three months after.
ACTIVITIES_PAST_DAYS = 2 * YEAR
ACTIVITIES_FUTURE_DAYS = 91
# The share of one-off activities placed in the weeks around the reference date rather
# than anywhere in the two years: the register fills up as partners take to it, and a
# newcomer should find plenty open now and planned soon.
RECENT_SHARE = 0.2
RECENT_DAYS = 45
# The share of a series' meetings that promise feedback (minutes, "you said, we did").
SERIES_PROMISE_FEEDBACK = 0.5
# The share of finished activities whose feedback reached the people who took part, and
# the share of those where it came after the date promised.
FEEDBACK_GIVEN = 0.66
FEEDBACK_LATE = 0.25
# Of activities whose promised feedback is overdue, the share still marked feedback due,
# lower once it is half a year late; the rest were closed without it, as happens.
OVERDUE_STILL_DUE = 0.6
LONG_OVERDUE_STILL_DUE = 0.3
LONG_OVERDUE_DAYS = 182
# For this long after an activity ends, its findings are still being analysed.
ANALYSING_DAYS = 42
# The contact's roles, most likely first: a board member is never the contact.
CONTACT_ROLES = (Role.ENGAGEMENT_OFFICER, Role.ORGANISATION_ADMIN, Role.PARTNERSHIP_ADMIN, Role.ANALYST)


@dataclass(frozen=True)
class DemoActivities:
    series: tuple[ActivitySeries, ...]
    activities: tuple[Activity, ...]


@dataclass
class _Draft:
    """An activity with the related rows that are saved once it has an id."""

    activity: Activity
    priorities: list[PartnershipPriority]
    areas: list[Area]
    partners: list[Organisation]


class _ActivityMaker:
    def __init__(
        self,
        rng: random.Random,
        today: date,
        *,
        organisations: DemoOrganisations,
        areas: DemoAreas,
        priorities: dict[str, PartnershipPriority],
        staff: list[Membership],
    ) -> None:
        self.rng = rng
        self.today = today
        self.organisations = organisations
        self.areas = areas
        self.priorities = priorities
        self.practices_by_name = {spec.name: practice for spec, practice in organisations.gp_practices}
        self.practice_towns = {spec.name: spec.town for spec in GP_PRACTICES}
        self.practices_by_town: dict[str, list[Organisation]] = defaultdict(list)
        for spec, practice in organisations.gp_practices:
            self.practices_by_town[spec.town].append(practice)
        # Each organisation's possible contacts, the likeliest first.
        contacts: dict[int, list[tuple[int, User]]] = defaultdict(list)
        for membership in staff:
            if membership.role in CONTACT_ROLES:
                rank = CONTACT_ROLES.index(Role(membership.role))
                contacts[membership.organisation.pk].append((rank, membership.user))
        self.contacts = {
            org: [user for _, user in sorted(pairs, key=lambda p: p[0])] for org, pairs in contacts.items()
        }

    # Who and where

    def lead(self, key: str) -> Organisation:
        if key.startswith("practice:"):
            return self.practices_by_name[key.removeprefix("practice:")]
        return self.organisations[key]

    def town(self, spec: templates.ActivitySpec) -> str:
        if spec.locality:
            return spec.locality
        if spec.lead.startswith("practice:"):
            return self.practice_towns[spec.lead.removeprefix("practice:")]
        if spec.lead in templates.HOME_TOWN:
            return templates.HOME_TOWN[spec.lead]
        return places.pick_town(self.rng).name

    def where(self, spec: templates.ActivitySpec, town: str, groups: tuple[TargetGroup, ...]) -> list[Area]:
        if spec.ward:
            return [self.areas.ward(spec.ward)]
        if spec.reach == "locality":
            return [self.areas.localities[town]]
        if spec.reach == "localities":
            other = self.rng.choice([name for name in places.TOWN_NAMES if name != town])
            return [self.areas.localities[town], self.areas.localities[other]]
        if spec.reach == "ward":
            pool = self.areas.wards[town]
            if TargetGroup.MOST_DEPRIVED in groups and self.areas.deprived[town]:
                pool = self.areas.deprived[town]
            count = 1 if self.rng.random() < 0.75 else 2
            return self.rng.sample(pool, min(count, len(pool)))
        return [self.areas.place]

    def partners(
        self, spec: templates.ActivitySpec, lead: Organisation, towns: list[str]
    ) -> list[Organisation]:
        partners = [self.organisations[key] for key in spec.partners]
        if spec.practices:
            pool = [p for town in towns for p in self.practices_by_town[town]] if towns else []
            pool = pool or [practice for _, practice in self.organisations.gp_practices]
            partners += self.rng.sample(pool, min(spec.practices, len(pool)))
        return [partner for partner in partners if partner.pk != lead.pk]

    def contact(self, lead: Organisation) -> User | None:
        users = self.contacts.get(lead.pk)
        if not users:
            return None
        return users[0] if self.rng.random() < 0.75 else self.rng.choice(users)

    # When, and how it went

    def outcome(self, starts: date, ends: date, promised: date | None) -> tuple[Status, date | None]:
        """The status the dates imply, and when feedback was given, if it was."""
        today, rng = self.today, self.rng
        if starts > today:
            return Status.PLANNED, None
        if ends >= today:
            return Status.OPEN, None
        if rng.random() < FEEDBACK_GIVEN:
            if promised is None:
                given = ends + timedelta(days=rng.randint(14, 90))
            elif rng.random() < FEEDBACK_LATE:
                given = promised + timedelta(days=rng.randint(7, 60))
            else:
                given = ends + timedelta(days=rng.randint(7, (promised - ends).days))
            if given <= today:
                return Status.CLOSED, given
        if promised is not None and promised < today:
            long_overdue = (today - promised).days > LONG_OVERDUE_DAYS
            still_due = LONG_OVERDUE_STILL_DUE if long_overdue else OVERDUE_STILL_DUE
            return (Status.FEEDBACK_DUE if rng.random() < still_due else Status.CLOSED), None
        if (today - ends).days <= ANALYSING_DAYS:
            return Status.ANALYSING, None
        return (Status.FEEDBACK_DUE if promised is not None else Status.CLOSED), None

    def draft(
        self,
        spec: templates.ActivitySpec,
        starts: date,
        *,
        town: str | None = None,
        theme: templates.Theme | None = None,
        series: ActivitySeries | None = None,
    ) -> _Draft:
        rng = self.rng
        lead = self.lead(spec.lead)
        town = town or self.town(spec)
        groups = (theme.groups if theme and theme.groups else None) or spec.groups
        area_list = self.where(spec, town, groups)
        towns = [t for t, locality in self.areas.localities.items() if locality in area_list]
        towns += [t for t, wards in self.areas.wards.items() if any(ward in wards for ward in area_list)]
        ends = starts + timedelta(days=rng.randint(*spec.days) - 1)
        promised = None
        if series is not None and spec.promises_feedback and rng.random() < SERIES_PROMISE_FEEDBACK:
            promised = ends + timedelta(days=rng.randint(14, 42))
        elif series is None and spec.promises_feedback:
            promised = ends + timedelta(days=rng.randint(28, 84))
        status, given = self.outcome(starts, ends, promised)
        title = spec.title.format(
            year=starts.year,
            month=starts.strftime("%B %Y"),
            theme=theme.name if theme else "",
            locality=self.areas.localities[town].name,
            venue=templates.STALL_VENUES[town],
        )
        topic = spec.topic or (theme.name[:1].upper() + theme.name[1:] if theme else title)
        contact = self.contact(lead)
        activity = Activity(
            title=title,
            purpose=spec.purpose,
            topic=topic,
            stage=spec.stage,
            involvement_type=spec.involvement,
            level=spec.level,
            methods=sorted(method.value for method in spec.methods),
            target_groups=sorted(group.value for group in groups),
            starts_on=starts,
            ends_on=ends,
            lead_organisation=lead,
            contact=contact,
            status=status,
            feedback_promised_on=promised,
            feedback_given_on=given,
            series=series,
            topic_terms=keyword_text(f"{title} {topic} {spec.purpose}"),
            created_by=contact,
        )
        keys = theme.priorities if theme else spec.priorities
        return _Draft(
            activity=activity,
            priorities=[self.priorities[key] for key in keys],
            areas=area_list,
            partners=self.partners(spec, lead, sorted(set(towns))),
        )

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)


def _a_year_later(rng: random.Random, day: date) -> date:
    """About the same time the next year, and always in the next calendar year."""
    base = day.replace(year=day.year + 1, day=min(day.day, 28))
    moved = base + timedelta(days=rng.randint(-10, 10))
    return moved if moved.year == base.year else base


def _series_drafts(
    maker: _ActivityMaker, specs: tuple[templates.SeriesSpec, ...]
) -> tuple[list[ActivitySeries], list[_Draft]]:
    rng = maker.rng
    series_rows = [
        ActivitySeries(
            title=spec.title, description=spec.description, lead_organisation=maker.lead(spec.activity.lead)
        )
        for spec in specs
    ]
    ActivitySeries.objects.bulk_create(series_rows)
    drafts: list[_Draft] = []
    last = maker.day(ACTIVITIES_FUTURE_DAYS)
    for spec, series in zip(specs, series_rows, strict=True):
        first = maker.day(-ACTIVITIES_PAST_DAYS + rng.randint(0, spec.every - 1))
        rotation = rng.sample(places.TOWN_NAMES, len(places.TOWN_NAMES)) if spec.rotate_localities else []
        theme_start = rng.randrange(len(spec.themes)) if spec.themes else 0
        starts, index = first, 0
        while starts <= last:
            drafts.append(
                maker.draft(
                    spec.activity,
                    starts,
                    town=rotation[index % len(rotation)] if rotation else None,
                    theme=spec.themes[(theme_start + index) % len(spec.themes)] if spec.themes else None,
                    series=series,
                )
            )
            index += 1
            starts = first + timedelta(days=spec.every * index + rng.randint(-3, 3))
    return series_rows, drafts


def build_activities(
    rng: random.Random,
    today: date,
    *,
    organisations: DemoOrganisations,
    areas: DemoAreas,
    priorities: dict[str, PartnershipPriority],
    staff: list[Membership],
) -> DemoActivities:
    maker = _ActivityMaker(
        rng, today, organisations=organisations, areas=areas, priorities=priorities, staff=staff
    )
    series, drafts = _series_drafts(maker, templates.SERIES)
    for spec in templates.ONE_OFF:
        if spec.starts is not None:
            drafts.append(maker.draft(spec, maker.day(spec.starts)))
        elif spec.yearly:
            # The second year's may be running now, or still to come.
            first = maker.day(-rng.randint(YEAR - ACTIVITIES_FUTURE_DAYS + 30, ACTIVITIES_PAST_DAYS))
            drafts.append(maker.draft(spec, first))
            drafts.append(maker.draft(spec, _a_year_later(rng, first)))
        elif rng.random() < RECENT_SHARE:
            drafts.append(maker.draft(spec, maker.day(rng.randint(-RECENT_DAYS, ACTIVITIES_FUTURE_DAYS))))
        else:
            drafts.append(maker.draft(spec, maker.day(rng.randint(-ACTIVITIES_PAST_DAYS, -RECENT_DAYS))))
    for pair in templates.OVERLAPS:
        for spec in pair:
            drafts.append(maker.draft(spec, maker.day(spec.starts or 0)))

    activities = [draft.activity for draft in drafts]
    Activity.objects.bulk_create(activities, batch_size=BATCH_SIZE)
    priority_links = Activity.priorities.through
    area_links = Activity.areas.through
    partner_links = Activity.partner_organisations.through
    priority_links.objects.bulk_create(
        [
            priority_links(activity_id=d.activity.pk, partnershippriority_id=p.pk)
            for d in drafts
            for p in d.priorities
        ],
        batch_size=BATCH_SIZE,
    )
    area_links.objects.bulk_create(
        [area_links(activity_id=d.activity.pk, area_id=a.pk) for d in drafts for a in d.areas],
        batch_size=BATCH_SIZE,
    )
    partner_links.objects.bulk_create(
        [partner_links(activity_id=d.activity.pk, organisation_id=o.pk) for d in drafts for o in d.partners],
        batch_size=BATCH_SIZE,
    )
    return DemoActivities(series=tuple(series), activities=tuple(activities))


# --- Conversations ------------------------------------------------------------------------

# What the partners heard over the two years: at least the 50,000 a partnership of this
# size gathers, so search, themes and reports have a realistic bank to work on.
CONVERSATIONS = 52_000
CONVERSATION_BATCH_SIZE = 5000
# What the demo gives each conversation; the rest take their defaults in the database
# (the record key) or are left empty (no person, import or imported labels).
_CONVERSATION_ATTRIBUTES = (
    "organisation_id",
    "activity_id",
    "channel",
    "text",
    "question",
    "occurred_on",
    "rating",
    "respondent_reference",
    "postcode_district",
    "lsoa_code",
    "ward_code",
    "imd_decile",
    "age_band",
    "sex",
    "ethnic_group",
    "disability",
    "carer",
    "consent_to_quote",
    "consent_to_contact",
    "dedupe_key",
)
_CONVERSATION_FIELDS = (*_CONVERSATION_ATTRIBUTES, "created_at")

# Each stream's share of the bank: Friends and Family Test returns are most of it, as
# they are in real partnerships.
STREAMS: tuple[tuple[str, float], ...] = (
    ("fft_acute", 0.27),
    ("fft_community", 0.10),
    ("fft_gp", 0.23),
    ("survey", 0.17),
    ("event", 0.06),
    ("healthwatch", 0.08),
    ("phone", 0.03),
    ("web_form", 0.035),
    ("social_media", 0.025),
)
# (positive, mixed, negative, neutral) by channel: the test is kind, complaints are not.
SENTIMENTS: tuple[conversation_text.Sentiment, ...] = ("positive", "mixed", "negative", "neutral")
SENTIMENT_SHARES: dict[str, tuple[float, float, float, float]] = {
    Channel.FRIENDS_AND_FAMILY_TEST: (0.75, 0.10, 0.13, 0.02),
    Channel.SURVEY: (0.40, 0.24, 0.31, 0.05),
    Channel.EVENT: (0.26, 0.26, 0.48, 0),
    Channel.HEALTHWATCH: (0.30, 0.20, 0.46, 0.04),
    Channel.PHONE: (0.16, 0.10, 0.74, 0),
    Channel.WEB_FORM: (0.35, 0.20, 0.43, 0.02),
    Channel.SOCIAL_MEDIA: (0.46, 0.08, 0.46, 0),
}
# Friends and Family Test ratings as the national return codes them (1 very good to 5
# very poor), by sentiment; None is "don't know".
FFT_RATINGS: dict[str, tuple[tuple[int | None, int], ...]] = {
    "positive": ((1, 78), (2, 20), (3, 1), (None, 1)),
    "mixed": ((1, 15), (2, 45), (3, 35), (4, 5)),
    "negative": ((3, 12), (4, 40), (5, 46), (None, 2)),
    "neutral": ((1, 30), (2, 30), (3, 30), (None, 10)),
}
# Who answers both questions of the test, and who answers each question of a survey.
FFT_BOTH_QUESTIONS = 0.4
SURVEY_ANSWERS = (0.97, 0.7, 0.35)
SOCIAL_HANDLES = {
    "acute_trust": "CastlebridgeHosp",
    "community_trust": "CastlebridgeCMHT",
    "icb": "NHSCastlebridge",
    "healthwatch": "HWCastlebridge",
}
SETTINGS: tuple[conversation_text.Setting, ...] = ("hospital", "gp", "community")
# What a partner hears about by phone, web form and social media; others hear of anything.
RECEIVER_SETTINGS: dict[str, conversation_text.Setting] = {
    "acute_trust": "hospital",
    "community_trust": "community",
}


@dataclass(frozen=True)
class _Heard:
    """An activity that gathered comments, and what they are about."""

    activity: Activity
    setting: conversation_text.Setting | None  # None: any
    themes: tuple[str, ...]
    town: places.Town | None
    last_day: date


class _ConversationMaker:
    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.writer = conversation_text.Writer(rng)
        self.index = 0
        self.pending: list[Conversation] = []
        self.total = 0
        # What each conversation was written from, and its id once saved, in bank order.
        self.said: list[labels.Said] = []
        self.ids: list[int] = []

    def sentiment(self, channel: str) -> conversation_text.Sentiment:
        return self.rng.choices(SENTIMENTS, weights=SENTIMENT_SHARES[channel])[0]

    def any_day(self) -> date:
        return self.today - timedelta(days=self.rng.randrange(2 * YEAR))

    def day_in(self, heard: _Heard) -> date:
        span = (heard.last_day - heard.activity.starts_on).days
        return heard.activity.starts_on + timedelta(days=self.rng.randint(0, span))

    def setting(self, setting: conversation_text.Setting | None) -> conversation_text.Setting:
        return setting or self.rng.choices(SETTINGS, weights=(45, 40, 15))[0]

    def topic(self, text: str, themes: tuple[str, ...]) -> conversation_text.Theme:
        """What a note says the call or the table was about: a theme the text is on."""
        keys = themes or tuple(theme.key for theme in conversation_text.THEMES)
        for key in keys:
            theme = conversation_text.THEMES_BY_KEY[key]
            if any(word in text.lower() for word in theme.words):
                return theme
        return conversation_text.THEMES_BY_KEY[self.rng.choice(keys)]

    def add(
        self,
        *,
        organisation: Organisation,
        channel: str,
        written: conversation_text.Written,
        question: str,
        occurred_on: date,
        person: conversation_text.Respondent,
        activity: Activity | None = None,
        rating: int | None = None,
        reference: str = "",
        text: str = "",
        noted: conversation_text.Theme | None = None,
    ) -> None:
        """One conversation: `written` as it was written, or `text` where a note or post
        wraps it, naming (`noted`) the theme a note says it was about."""
        text = text or written.text
        keys = written.themes
        if noted is not None and noted.key not in keys:
            keys = (*keys, noted.key)
        self.said.append(
            labels.Said(organisation.pk, channel, written.sentiment, keys or (written.gist,), text)
        )
        self.index += 1
        place = population.place_for(person.postcode_district, self.index)
        self.pending.append(
            Conversation(
                organisation=organisation,
                activity=activity,
                channel=channel,
                text=text,
                question=question,
                occurred_on=occurred_on,
                rating=rating,
                respondent_reference=reference,
                postcode_district=person.postcode_district,
                lsoa_code=place.lsoa_code if place else "",
                ward_code=place.ward_code if place else "",
                imd_decile=place.imd_decile if place else None,
                age_band=person.age_band,
                sex=person.sex,
                ethnic_group=person.ethnic_group,
                disability=person.disability,
                carer=person.carer,
                consent_to_quote=person.consent_to_quote,
                consent_to_contact=person.consent_to_contact,
                dedupe_key=hashlib.sha256(f"demo:{self.index}".encode()).hexdigest(),
            )
        )
        if len(self.pending) >= CONVERSATION_BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        """Write the pending conversations as plain rows (engage/core/bulk.py: COPY on
        PostgreSQL), then read their ids back by their keys. Through `bulk_create`, which
        prepares every value through its field and, on PostgreSQL, sends one statement
        with a placeholder per value for the driver to parse, the bank's 52,000 took
        most of the demo's time (bench/RESULTS.md, "the demo's bank written as plain rows")."""
        now = timezone.now()
        rows_insert(
            Conversation,
            _CONVERSATION_FIELDS,
            ((*(getattr(c, name) for name in _CONVERSATION_ATTRIBUTES), now) for c in self.pending),
        )
        for conversation in self.pending:
            conversation.created_at = now
        by_organisation: dict[int, dict[str, Conversation]] = defaultdict(dict)
        for conversation in self.pending:
            by_organisation[conversation.organisation_id][conversation.dedupe_key] = conversation
        for organisation_id, by_key in by_organisation.items():
            written = Conversation.objects.filter(
                organisation_id=organisation_id, dedupe_key__in=list(by_key)
            ).values_list("dedupe_key", "pk")
            for key, pk in written:
                by_key[key].pk = pk
        # Each consent to quote is a grant, as the channel would have brought it.
        for (source, method), made in _by_consent_source(self.pending).items():
            quote_consents_record(made, source=source, method=method)
        self.ids.extend(conversation.pk for conversation in self.pending)
        self.total += len(self.pending)
        self.pending = []

    def label(self, reviewer: User | None) -> int:
        """Label a sample of the bank as `reviewer` would have; returns how many."""
        framework = framework_built_in()
        by_name = {
            category.name: category
            for category in Category.objects.filter(framework=framework, parent__isnull=False)
        }
        chosen = labels.choose(self.said, self.rng)
        Review.objects.bulk_create(
            [
                Review(
                    conversation_id=self.ids[index],
                    sentiment=labels.REVIEW_SENTIMENT[self.said[index].sentiment],
                    source=PersonLabel.Source.REVIEW,
                    reviewed_by=reviewer,
                )
                for index in chosen
            ],
            batch_size=BATCH_SIZE,
        )
        PersonLabel.objects.bulk_create(
            [
                PersonLabel(
                    conversation_id=self.ids[index],
                    category=by_name[name],
                    source=PersonLabel.Source.REVIEW,
                    labelled_by=reviewer,
                )
                for index in chosen
                for name in labels.subcategories_of(self.said[index].keys, self.said[index].text)
            ],
            batch_size=BATCH_SIZE,
        )
        return len(chosen)

    # Streams

    def fft(
        self,
        target: int,
        organisations: Sequence[tuple[Organisation, places.Town | None]],
        setting: conversation_text.Setting,
    ) -> None:
        rng, writer = self.rng, self.writer
        done = 0
        while done < target:
            organisation, town = rng.choice(organisations)
            person = conversation_text.respondent(rng, town)
            sentiment = self.sentiment(Channel.FRIENDS_AND_FAMILY_TEST)
            ratings = FFT_RATINGS[sentiment]
            rating = rng.choices([r for r, _ in ratings], weights=[w for _, w in ratings])[0]
            day = self.any_day()
            both = rng.random() < FFT_BOTH_QUESTIONS and done + 1 < target
            questions = [conversation_text.FFT_EXPERIENCE_QUESTION, conversation_text.FFT_IMPROVE_QUESTION]
            if not both:
                questions = [questions[0] if rng.random() < 0.7 else questions[1]]
            for question in questions:
                kind: conversation_text.QuestionKind = (
                    "experience" if question == conversation_text.FFT_EXPERIENCE_QUESTION else "improve"
                )
                self.add(
                    organisation=organisation,
                    channel=Channel.FRIENDS_AND_FAMILY_TEST,
                    written=writer.write(sentiment, setting, kind=kind),
                    question=question,
                    occurred_on=day,
                    person=person,
                    rating=rating,
                )
                done += 1

    def surveys(self, target: int, heard: list[_Heard]) -> None:
        rng, writer = self.rng, self.writer
        if not heard:
            return
        weights = [min((h.last_day - h.activity.starts_on).days + 1, 60) + 10 for h in heard]
        done = 0
        respondents: dict[int, int] = defaultdict(int)
        while done < target:
            source = rng.choices(heard, weights=weights)[0]
            activity = source.activity
            respondents[activity.pk] += 1
            reference = f"R{respondents[activity.pk]:05d}"
            person = conversation_text.respondent(rng, source.town)
            sentiment = self.sentiment(Channel.SURVEY)
            setting = self.setting(source.setting)
            day = self.day_in(source)
            kinds: tuple[conversation_text.QuestionKind, ...] = ("experience", "improve", "anything_else")
            questions = conversation_text.survey_questions(activity.topic)
            for question, kind, share in zip(questions, kinds, SURVEY_ANSWERS, strict=True):
                if done >= target or rng.random() >= share:
                    continue
                self.add(
                    organisation=activity.lead_organisation,
                    activity=activity,
                    channel=Channel.SURVEY,
                    written=writer.write(sentiment, setting, kind=kind, themes=source.themes),
                    question=question,
                    occurred_on=day,
                    person=person,
                    reference=reference,
                )
                done += 1

    def events(self, target: int, heard: list[_Heard]) -> None:
        rng, writer = self.rng, self.writer
        weights = [6 if "biggest difference" in h.activity.topic.lower() else 1 for h in heard]
        for _ in range(target if heard else 0):
            source = rng.choices(heard, weights=weights)[0]
            themes = source.themes
            if themes == ("wider",) and rng.random() < 0.4:
                themes = ()  # people talk about services too
            sentiment = self.sentiment(Channel.EVENT)
            # Asked what would make a difference, people mostly say what is missing.
            kind: conversation_text.QuestionKind = (
                "improve" if themes == ("wider",) and sentiment != "positive" else "experience"
            )
            written = writer.write(sentiment, self.setting(source.setting), kind=kind, themes=themes)
            is_big_conversation = "biggest difference" in source.activity.topic.lower()
            topic = self.topic(written.text, themes)
            note = writer.event_note(written.text, topic.topic)
            self.add(
                organisation=source.activity.lead_organisation,
                activity=source.activity,
                channel=Channel.EVENT,
                written=written,
                text=note,
                noted=topic if writer.named_topic else None,
                question=(
                    conversation_text.BIG_CONVERSATION_QUESTION
                    if is_big_conversation
                    else f"{source.activity.topic}: what did people tell us?"
                ),
                occurred_on=self.day_in(source),
                person=conversation_text.respondent(rng, source.town),
            )

    def healthwatch(self, target: int, healthwatch: Organisation, stalls: list[_Heard]) -> None:
        rng, writer = self.rng, self.writer
        for _ in range(target):
            source = rng.choice(stalls) if stalls and rng.random() < 0.5 else None
            sentiment = self.sentiment(Channel.HEALTHWATCH)
            setting = self.setting(source.setting if source else None)
            written = writer.write(sentiment, setting, themes=source.themes if source else ())
            self.add(
                organisation=healthwatch,
                activity=source.activity if source else None,
                channel=Channel.HEALTHWATCH,
                written=written,
                text=writer.healthwatch_story(written.text, at_stall=source is not None),
                question=conversation_text.HEALTHWATCH_QUESTION,
                occurred_on=self.day_in(source) if source else self.any_day(),
                person=conversation_text.respondent(rng, source.town if source else None),
            )

    def direct(
        self,
        target: int,
        channel: str,
        receivers: list[tuple[str, Organisation, int]],
    ) -> None:
        """Phone calls, web forms and social media posts, to whichever partner."""
        rng, writer = self.rng, self.writer
        weights = [weight for _, _, weight in receivers]
        for _ in range(target):
            key, organisation, _ = rng.choices(receivers, weights=weights)[0]
            setting = self.setting(RECEIVER_SETTINGS.get(key))
            sentiment = self.sentiment(channel)
            written = writer.write(sentiment, setting)
            text = written.text
            noted = None
            question = ""
            if channel == Channel.PHONE:
                topic = self.topic(text, ())
                text = writer.phone_note(text, topic.topic, sentiment)
                noted = topic if writer.named_topic else None
            elif channel == Channel.SOCIAL_MEDIA:
                text = writer.social_post(text, SOCIAL_HANDLES[key])
            else:
                question = conversation_text.WEB_FORM_QUESTION
            self.add(
                organisation=organisation,
                channel=channel,
                written=written,
                text=text,
                noted=noted,
                question=question,
                occurred_on=self.any_day(),
                person=conversation_text.respondent(rng),
            )


def _heard(
    activities: DemoActivities, areas: DemoAreas, healthwatch: Organisation, today: date
) -> tuple[list[_Heard], list[_Heard], list[_Heard]]:
    """The activities that gathered comments by survey, at events, and at Healthwatch's
    outreach, each with what people there talked about and where they live."""
    started = [a for a in activities.activities if a.starts_on <= today]
    town_of_area = {locality.pk: town for town, locality in areas.localities.items()}
    town_of_area.update({ward.pk: town for town, wards in areas.wards.items() for ward in wards})
    towns_by_activity: dict[int, set[str]] = defaultdict(set)
    links = Activity.areas.through.objects.filter(activity_id__in=[a.pk for a in started])
    for activity_id, area_id in links.values_list("activity_id", "area_id").order_by("pk"):
        if area_id in town_of_area:
            towns_by_activity[activity_id].add(town_of_area[area_id])
    towns = {town.name: town for town in places.TOWNS}
    surveys: list[_Heard] = []
    events: list[_Heard] = []
    outreach: list[_Heard] = []
    for activity in started:
        plan = conversation_text.activity_plan(activity.topic, activity.title)
        if plan is None:
            continue
        setting, themes = plan
        activity_towns = towns_by_activity.get(activity.pk, set())
        heard = _Heard(
            activity=activity,
            setting=setting if themes else None,
            themes=themes,
            town=towns[next(iter(activity_towns))] if len(activity_towns) == 1 else None,
            last_day=min(activity.ends_on, today),
        )
        methods = set(activity.methods)
        if Method.SURVEY in methods:
            surveys.append(heard)
        if methods & {Method.EVENT, Method.PUBLIC_MEETING}:
            events.append(heard)
        if activity.lead_organisation.pk == healthwatch.pk and Method.OUTREACH in methods:
            outreach.append(heard)
    return surveys, events, outreach


@dataclass(frozen=True)
class DemoBank:
    conversations: int
    # Of them, how many a person has labelled (a Review each).
    labelled: int


def build_conversations(
    rng: random.Random,
    today: date,
    *,
    organisations: DemoOrganisations,
    areas: DemoAreas,
    activities: DemoActivities,
    count: int = CONVERSATIONS,
    reviewer: User | None = None,
) -> DemoBank:
    """`count` conversations over the two years before `today`, a few per cent of them
    labelled as if `reviewer` had reviewed them (labels.py).

    Draws from a random.Random of its own, seeded from `rng`, so the size of the bank
    never changes what later steps build."""
    maker = _ConversationMaker(random.Random(rng.getrandbits(64)), today)
    surveys, events, outreach = _heard(activities, areas, organisations["healthwatch"], today)
    # Every stream has some, however small the bank; the acute trust's test takes up the rest.
    targets = {name: max(1, round(share * count)) if count else 0 for name, share in STREAMS}
    targets["fft_acute"] = max(0, targets["fft_acute"] + count - sum(targets.values()))
    towns = {town.name: town for town in places.TOWNS}
    practices = [(practice, towns[spec.town]) for spec, practice in organisations.gp_practices]
    maker.fft(targets["fft_acute"], [(organisations["acute_trust"], None)], "hospital")
    maker.fft(targets["fft_community"], [(organisations["community_trust"], None)], "community")
    maker.fft(targets["fft_gp"], practices, "gp")
    maker.surveys(targets["survey"], surveys)
    maker.events(targets["event"], events)
    maker.healthwatch(targets["healthwatch"], organisations["healthwatch"], outreach)
    receivers = {
        Channel.PHONE: (("acute_trust", 45), ("community_trust", 20), ("healthwatch", 25), ("icb", 10)),
        Channel.WEB_FORM: (("icb", 30), ("acute_trust", 25), ("community_trust", 15), ("healthwatch", 30)),
        Channel.SOCIAL_MEDIA: (
            ("acute_trust", 40),
            ("icb", 25),
            ("community_trust", 15),
            ("healthwatch", 20),
        ),
    }
    for name, channel in (
        ("phone", Channel.PHONE),
        ("web_form", Channel.WEB_FORM),
        ("social_media", Channel.SOCIAL_MEDIA),
    ):
        maker.direct(
            targets[name],
            channel,
            [(key, organisations[key], weight) for key, weight in receivers[channel]],
        )
    maker.flush()
    labelled = maker.label(reviewer) if maker.total else 0
    return DemoBank(conversations=maker.total, labelled=labelled)


def _by_consent_source(conversations: list[Conversation]) -> dict[tuple[str, str], list[Conversation]]:
    """Where each conversation's consent to quote came from: the web form online, a
    survey or the Friends and Family Test in an imported file, the rest spoken to staff."""
    grouped: dict[tuple[str, str], list[Conversation]] = {}
    for conversation in conversations:
        key: tuple[str, str]
        if conversation.channel == Channel.WEB_FORM:
            key = (QuoteConsentSource.FORM, ConsentMethod.ONLINE_FORM)
        elif conversation.channel in (Channel.SURVEY, Channel.FRIENDS_AND_FAMILY_TEST):
            key = (QuoteConsentSource.IMPORT, "")
        else:
            key = (QuoteConsentSource.STAFF, ConsentMethod.VERBAL)
        grouped.setdefault(key, []).append(conversation)
    return grouped
