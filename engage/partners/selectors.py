"""Reads of organisations, groups and people.

Every read of people takes the organisation in scope and goes through
`for_organisation`; reading one person's record is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import Count, Q, QuerySet

from engage.core.errors import NotFound
from engage.core.models import AuditAction
from engage.core.pagination import page_of
from engage.core.services import audit_record, audit_record_many
from engage.core.types import Actor
from engage.partners.models import (
    Consent,
    ConsentPurpose,
    Group,
    GroupMembership,
    Organisation,
    OrganisationKind,
    Person,
    PersonRole,
)


def organisation_list(
    *, search: str = "", kind: str = "", active_only: bool = False
) -> QuerySet[Organisation]:
    organisations = Organisation.objects.all()
    if active_only:
        organisations = organisations.filter(is_active=True)
    if kind:
        organisations = organisations.filter(kind=kind)
    for word in search.split():
        organisations = organisations.filter(
            Q(name__icontains=word)
            | Q(short_name__icontains=word)
            | Q(ods_code__iexact=word)
            | Q(charity_number=word)
        )
    return organisations


def organisation_get(*, organisation_id: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound("There is no such organisation.")
    return organisation


def group_list(*, search: str = "", kind: str = "", organisation_id: int | None = None) -> QuerySet[Group]:
    """Every partner's groups (not personal data), with how many members each has."""
    groups = (
        Group.objects.select_related("organisation", "gp_practice")
        .annotate(member_count=Count("memberships"))
        .order_by("name", "id")
    )
    if kind:
        groups = groups.filter(kind=kind)
    if organisation_id:
        groups = groups.filter(organisation_id=organisation_id)
    for word in search.split():
        groups = groups.filter(Q(name__icontains=word) | Q(area__icontains=word))
    return groups


def group_get(*, group_id: int) -> Group:
    group = group_list().filter(pk=group_id).first()
    if group is None:
        raise NotFound("There is no such group.")
    return group


def group_member_list(*, organisation: Organisation | None, group: Group) -> QuerySet[GroupMembership]:
    """A group's members, only for the organisation that runs the group."""
    return (
        GroupMembership.objects.for_organisation(organisation)
        .filter(group=group)
        .select_related("person")
        .order_by("person__family_name", "person__given_name")
    )


def person_list(
    *,
    organisation: Organisation | None,
    search: str = "",
    role: str = "",
    group_id: int | None = None,
    consent: str = "",
) -> QuerySet[Person]:
    people = Person.objects.for_organisation(organisation)
    if search:
        people = people.search(search)
    if role:
        people = people.filter(roles__role=role)
    if group_id:
        people = people.filter(group_memberships__group_id=group_id)
    if consent:
        people = people.with_consent(consent)
    return people.prefetch_related("roles").distinct()


def person_get(*, organisation: Organisation | None, person_id: int, actor: Actor) -> Person:
    """One person's record, for someone who will see it: the read is audited."""
    person = Person.objects.for_organisation(organisation).filter(pk=person_id).first()
    if person is None:
        raise NotFound("There is no such person in your organisation's records.")
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.VIEWED,
        subject_type="person",
        subject_id=person.pk,
        summary="Viewed a person's record.",
    )
    return person


def person_consent_list(*, organisation: Organisation | None, person: Person) -> QuerySet[Consent]:
    return Consent.objects.for_organisation(organisation).filter(person=person)


def person_role_list(*, organisation: Organisation | None, person: Person) -> QuerySet[PersonRole]:
    return PersonRole.objects.for_organisation(organisation).filter(person=person)


def person_group_list(*, organisation: Organisation | None, person: Person) -> QuerySet[GroupMembership]:
    return (
        GroupMembership.objects.for_organisation(organisation).filter(person=person).select_related("group")
    )


def people_shown(
    *, actor: Actor, organisation: Organisation | None, person_ids: Iterable[int], where: str
) -> None:
    """A list shows names and contact details, so each person on it gets a LISTED event
    (one statement for the page): a subject access request can then find every time a
    record was shown. The selectors below that return a page call it themselves."""
    audit_record_many(
        actor=actor,
        organisation=organisation,
        action=AuditAction.LISTED,
        subject_type="person",
        subject_ids=person_ids,
        summary=f"Shown in {where}.",
    )


def person_page(
    *,
    actor: Actor,
    organisation: Organisation | None,
    page: str | int | None,
    search: str = "",
    role: str = "",
    group_id: int | None = None,
    consent: str = "",
) -> Page[Person]:
    """One page of the people list (person_list's filters), recorded as shown to `actor`."""
    found = page_of(
        person_list(organisation=organisation, search=search, role=role, group_id=group_id, consent=consent),
        page,
    )
    people_shown(
        actor=actor, organisation=organisation, person_ids=[p.pk for p in found], where="the people list"
    )
    return found


def contact_page(*, actor: Actor, organisation: Organisation | None, page: str | int | None) -> Page[Person]:
    """One page of the contact list, recorded as shown to `actor`."""
    found = page_of(contact_list(organisation=organisation), page)
    people_shown(
        actor=actor, organisation=organisation, person_ids=[p.pk for p in found], where="the contact list"
    )
    return found


def group_members_shown(
    *, actor: Actor, organisation: Organisation | None, group: Group
) -> list[GroupMembership]:
    """A group's members, for the organisation that runs it, recorded as shown."""
    members = list(group_member_list(organisation=organisation, group=group))
    people_shown(
        actor=actor,
        organisation=organisation,
        person_ids=[m.person_id for m in members],
        where=f"the members of group {group.pk}",
    )
    return members


def contact_list(*, organisation: Organisation | None) -> QuerySet[Person]:
    """People who may be contacted now: a standing consent to contact, and a way to do it.
    A withdrawal takes them off this list at once, because it is worked out on each read."""
    return (
        Person.objects.for_organisation(organisation)
        .with_consent(ConsentPurpose.CONTACT)
        .exclude(email="", phone="")
        .order_by("family_name", "given_name", "id")
    )


@dataclass(frozen=True)
class PartnershipSummary:
    organisations_by_kind: list[tuple[str, int]]
    groups_by_kind: list[tuple[str, int]]
    organisation_count: int
    group_count: int


def partnership_summary() -> PartnershipSummary:
    """Counts of organisations and groups: no personal data, fit for every role."""
    kinds = dict(OrganisationKind.choices)
    by_kind = (
        Organisation.objects.filter(is_active=True).values("kind").annotate(n=Count("id")).order_by("-n")
    )
    group_kinds = dict(Group._meta.get_field("kind").choices or [])
    groups = Group.objects.filter(is_active=True).values("kind").annotate(n=Count("id")).order_by("-n")
    return PartnershipSummary(
        organisations_by_kind=[(kinds.get(row["kind"], row["kind"]), row["n"]) for row in by_kind],
        groups_by_kind=[(str(group_kinds.get(row["kind"], row["kind"])), row["n"]) for row in groups],
        organisation_count=sum(row["n"] for row in by_kind),
        group_count=sum(row["n"] for row in groups),
    )


@dataclass(frozen=True)
class OrganisationPeopleSummary:
    people: int
    consent_counts: dict[str, int]
    role_counts: dict[str, int]


def organisation_people_summary(*, organisation: Organisation | None) -> OrganisationPeopleSummary:
    """Counts about the organisation's own records, shown on its staff dashboard."""
    people = Person.objects.for_organisation(organisation)
    consents = (
        Consent.objects.for_organisation(organisation).standing().values("purpose").annotate(n=Count("id"))
    )
    roles = PersonRole.objects.for_organisation(organisation).values("role").annotate(n=Count("id"))
    return OrganisationPeopleSummary(
        people=people.count(),
        consent_counts={row["purpose"]: row["n"] for row in consents},
        role_counts={row["role"]: row["n"] for row in roles},
    )
