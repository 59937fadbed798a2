"""Writes about organisations, groups, people and consent.

Services take keyword-only arguments, own their transaction and write the audit
record. A person is always reached through the organisation in scope: a record of
another organisation is "not found", never "forbidden", so its existence does not leak.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from engage.core.errors import Conflict, DomainError, InvalidInput, NotFound
from engage.core.exports import csv_text
from engage.core.ids import IdCheck, checked_one
from engage.core.models import AuditAction
from engage.core.services import audit_record, audit_record_many, user_or_none
from engage.core.types import Actor
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
    WordsOnErasure,
)
from engage.partners.selectors import contact_list
from engage.partners.signals import consent_withdrawn, person_erasing

PERSON_FIELDS = ("given_name", "family_name", "email", "phone", "postcode", "notes")


def _scoped_person(organisation: Organisation | None, person_id: int) -> Person:
    person = Person.objects.for_organisation(organisation).filter(pk=person_id).first()
    if person is None:
        raise NotFound("There is no such person in your organisation's records.")
    return person


def organisation_create(
    *,
    actor: Actor,
    name: str,
    kind: str,
    short_name: str = "",
    website: str = "",
    contact_email: str = "",
    description: str = "",
) -> Organisation:
    if kind not in OrganisationKind.values:
        raise DomainError(f"{kind!r} is not a kind of organisation.")
    if Organisation.objects.filter(name__iexact=name.strip()).exists():
        raise Conflict(f"There is already an organisation called {name.strip()}.")
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=name.strip(),
            kind=kind,
            short_name=short_name,
            website=website,
            contact_email=contact_email,
            description=description,
        )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CREATED,
            subject_type="organisation",
            subject_id=organisation.pk,
            summary="Added the organisation.",
        )
    return organisation


def organisation_update(*, actor: Actor, organisation: Organisation, **fields: Any) -> Organisation:
    allowed = {"name", "kind", "short_name", "website", "contact_email", "description", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    if (
        "name" in fields
        and Organisation.objects.filter(name__iexact=fields["name"]).exclude(pk=organisation.pk).exists()
    ):
        raise Conflict(f"There is already an organisation called {fields['name']}.")
    with transaction.atomic():
        for key, value in fields.items():
            setattr(organisation, key, value)
        organisation.save()
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="organisation",
            subject_id=organisation.pk,
            summary=f"Changed {', '.join(sorted(fields))}.",
        )
    return organisation


def _checked_group_kind(kind: str, gp_practice_id: object) -> Organisation | None:
    """The group's GP practice, checked: any partner that is a GP practice."""
    errors: dict[str, str] = {}
    if kind not in GroupKind.values:
        errors["kind"] = f"{kind!r} is not a kind of group."
    ids = IdCheck()
    gp_practice = ids.one(
        Organisation.objects.filter(kind=OrganisationKind.GP_PRACTICE, is_active=True),
        gp_practice_id,
        field="gp_practice",
        what="GP practice among the partners",
    )
    errors.update(ids.errors)
    if kind == GroupKind.PATIENT_PARTICIPATION and gp_practice is None and "gp_practice" not in errors:
        errors["gp_practice"] = "A patient participation group must name its GP practice."
    if errors:
        raise InvalidInput(errors)
    return gp_practice


def _own_group(organisation: Organisation | None, group_id: object) -> Group:
    return checked_one(
        Group.objects.filter(organisation=organisation),
        group_id,
        field="group",
        what="group your organisation runs",
    )


def group_create(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    kind: str,
    gp_practice_id: int | None = None,
    description: str = "",
    area: str = "",
) -> Group:
    gp_practice = _checked_group_kind(kind, gp_practice_id)
    if Group.objects.filter(organisation=organisation, name__iexact=name.strip()).exists():
        raise Conflict(f"Your organisation already has a group called {name.strip()}.")
    with transaction.atomic():
        group = Group.objects.create(
            organisation=organisation,
            name=name.strip(),
            kind=kind,
            gp_practice=gp_practice,
            description=description,
            area=area,
        )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CREATED,
            subject_type="group",
            subject_id=group.pk,
            summary="Added a group.",
        )
    return group


def group_update(
    *,
    actor: Actor,
    organisation: Organisation | None,
    group_id: int,
    name: str,
    kind: str,
    gp_practice_id: int | None = None,
    description: str = "",
    area: str = "",
    is_active: bool = True,
) -> Group:
    """Only the organisation that runs a group may change it."""
    group = Group.objects.filter(pk=group_id, organisation=organisation).first()
    if group is None:
        raise NotFound("Your organisation does not run that group.")
    gp_practice = _checked_group_kind(kind, gp_practice_id)
    if (
        Group.objects.filter(organisation=organisation, name__iexact=name.strip())
        .exclude(pk=group.pk)
        .exists()
    ):
        raise Conflict(f"Your organisation already has a group called {name.strip()}.")
    with transaction.atomic():
        group.name, group.kind, group.gp_practice = name.strip(), kind, gp_practice
        group.description, group.area, group.is_active = description, area, is_active
        group.save()
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="group",
            subject_id=group.pk,
            summary="Changed the group.",
        )
    return group


def person_create(
    *,
    actor: Actor,
    organisation: Organisation,
    given_name: str,
    family_name: str = "",
    email: str = "",
    phone: str = "",
    postcode: str = "",
    notes: str = "",
    roles: Iterable[str] = (),
) -> Person:
    if not given_name.strip():
        raise DomainError("Enter the person's first name.")
    roles = list(dict.fromkeys(roles))
    for role in roles:
        if role not in PersonRoleKind.values:
            raise DomainError(f"{role!r} is not a role a person can hold.")
    with transaction.atomic():
        person = Person.objects.create(
            organisation=organisation,
            given_name=given_name.strip(),
            family_name=family_name.strip(),
            email=email.strip().lower(),
            phone=phone.strip(),
            postcode=postcode.strip().upper(),
            notes=notes,
            created_by=user_or_none(actor),
        )
        PersonRole.objects.bulk_create(PersonRole(person=person, role=role) for role in roles)
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CREATED,
            subject_type="person",
            subject_id=person.pk,
            summary="Added a person's record.",
        )
    return person


def person_update(
    *, actor: Actor, organisation: Organisation | None, person_id: int, reason: str = "", **fields: Any
) -> Person:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise DomainError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        person = _scoped_person(organisation, person_id)
        changed = sorted(key for key, value in fields.items() if getattr(person, key) != value)
        if not changed:
            return person
        for key in changed:
            setattr(person, key, fields[key])
        if not person.given_name.strip():
            raise DomainError("Enter the person's first name.")
        person.save()
        # Names the fields that changed, never their values: the log is not a copy of the record.
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="person",
            subject_id=person.pk,
            summary=f"Changed {', '.join(f.replace('_', ' ') for f in changed)}.",
            reason=reason,
        )
    return person


def person_roles_set(
    *, actor: Actor, organisation: Organisation | None, person_id: int, roles: Iterable[str]
) -> None:
    wanted = set(roles)
    if not wanted <= set(PersonRoleKind.values):
        raise DomainError("One of those is not a role a person can hold.")
    with transaction.atomic():
        person = _scoped_person(organisation, person_id)
        current = set(
            PersonRole.objects.for_organisation(organisation)
            .filter(person=person)
            .values_list("role", flat=True)
        )
        if wanted == current:
            return
        PersonRole.objects.for_organisation(organisation).filter(
            person=person, role__in=current - wanted
        ).delete()
        PersonRole.objects.bulk_create(PersonRole(person=person, role=r) for r in wanted - current)
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.UPDATED,
            subject_type="person",
            subject_id=person.pk,
            summary="Changed the person's roles.",
        )


def person_erase(
    *,
    actor: Actor,
    organisation: Organisation | None,
    person_id: int,
    reason: str,
    words: str = WordsOnErasure.DELETE,
) -> None:
    """Erase a person's record and everything held about them (the right to erasure),
    and, as chosen in `words`, delete what they said or keep it unlinked from them with
    personal details taken out. The audit trail keeps only that it happened, by whom,
    why and what was chosen."""
    if not reason.strip():
        raise DomainError("Say why the record is being erased.")
    if words not in WordsOnErasure.values:
        raise InvalidInput({"words": "Choose what happens to what they said."})
    with transaction.atomic():
        person = _scoped_person(organisation, person_id)
        person_pk = person.pk
        # What they said is deleted, or kept unlinked and redacted, and quoted nowhere
        # (the conversations app listens: engage/conversations/quotes/services.py).
        person_erasing.send(sender=Person, person=person, actor=actor, organisation=organisation, words=words)
        person.delete()
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.DELETED,
            subject_type="person",
            subject_id=person_pk,
            summary="Erased a person's record; what they said was "
            + (
                "deleted."
                if words == WordsOnErasure.DELETE
                else "kept, unlinked, with personal details taken out."
            ),
            reason=reason,
        )


def group_membership_add(
    *,
    actor: Actor,
    organisation: Organisation | None,
    person_id: int,
    group_id: int | None,
    joined_on: date | None = None,
) -> GroupMembership:
    """Add one of the organisation's people to a group it runs."""
    group = _own_group(organisation, group_id)
    with transaction.atomic():
        person = _scoped_person(organisation, person_id)
        membership, created = GroupMembership.objects.get_or_create(
            group=group, person=person, defaults={"joined_on": joined_on}
        )
        if created:
            audit_record(
                actor=actor,
                organisation=organisation,
                action=AuditAction.UPDATED,
                subject_type="person",
                subject_id=person.pk,
                summary=f"Added to group {group.pk}.",
            )
    return membership


def group_membership_remove(
    *, actor: Actor, organisation: Organisation | None, person_id: int, group_id: int
) -> Group:
    group = _own_group(organisation, group_id)
    with transaction.atomic():
        person = _scoped_person(organisation, person_id)
        deleted, _ = (
            GroupMembership.objects.for_organisation(organisation).filter(group=group, person=person).delete()
        )
        if deleted:
            audit_record(
                actor=actor,
                organisation=organisation,
                action=AuditAction.UPDATED,
                subject_type="person",
                subject_id=person.pk,
                summary=f"Removed from group {group.pk}.",
            )
    return group


def consent_grant(
    *,
    actor: Actor,
    organisation: Organisation | None,
    person_id: int,
    purpose: str,
    given_on: date,
    method: str,
    source: str = "",
) -> Consent:
    if purpose not in ConsentPurpose.values:
        raise DomainError(f"{purpose!r} is not a purpose of consent.")
    if method not in ConsentMethod.values:
        raise DomainError(f"{method!r} is not a way consent can be given.")
    if given_on > timezone.localdate():
        raise DomainError("The date consent was given cannot be in the future.")
    try:
        with transaction.atomic():
            person = _scoped_person(organisation, person_id)
            consent = Consent.objects.create(
                person=person, purpose=purpose, given_on=given_on, method=method, source=source
            )
            audit_record(
                actor=actor,
                organisation=organisation,
                action=AuditAction.CONSENT_GRANTED,
                subject_type="person",
                subject_id=person.pk,
                summary=f"Recorded consent: {ConsentPurpose(purpose).label.lower()}.",
            )
    except IntegrityError as error:
        raise Conflict(
            f"This person's consent to {ConsentPurpose(purpose).label.lower()} is already recorded."
        ) from error
    return consent


def consent_withdraw(
    *,
    actor: Actor,
    organisation: Organisation | None,
    person_id: int,
    purpose: str,
    withdrawn_on: date,
    method: str,
    reason: str = "",
) -> Consent:
    """Withdrawal takes effect at once everywhere: every list and export that needs
    consent reads the standing grants when it runs, and this one stops standing now;
    withdrawing consent to quote withdraws it for each conversation of theirs too."""
    if method not in ConsentMethod.values:
        raise DomainError(f"{method!r} is not a way consent can be withdrawn.")
    if withdrawn_on > timezone.localdate():
        raise DomainError("The date consent was withdrawn cannot be in the future.")
    with transaction.atomic():
        person = _scoped_person(organisation, person_id)
        consent = (
            Consent.objects.for_organisation(organisation)
            .standing()
            .select_for_update()
            .filter(person=person, purpose=purpose)
            .first()
        )
        if consent is None:
            raise DomainError("There is no consent standing for that purpose to withdraw.")
        if withdrawn_on < consent.given_on:
            raise DomainError("Consent cannot be withdrawn before the date it was given.")
        consent.withdrawn_on = withdrawn_on
        consent.withdrawal_method = method
        consent.save(update_fields=["withdrawn_on", "withdrawal_method"])
        # Consent to quote follows the person's words: every quote of what they said
        # comes off every page in this same transaction (engage/conversations/quotes).
        consent_withdrawn.send(sender=Consent, consent=consent, actor=actor, organisation=organisation)
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CONSENT_WITHDRAWN,
            subject_type="person",
            subject_id=person.pk,
            summary=f"Recorded withdrawal of consent: {ConsentPurpose(purpose).label.lower()}.",
            reason=reason,
        )
    return consent


CONTACT_EXPORT_HEADER = ("First name", "Last name", "Email", "Phone", "Roles")


def contact_list_export(*, actor: Actor, organisation: Organisation | None, reason: str = "") -> str:
    """The contact list as spreadsheet-safe CSV. Each person exported is audited."""
    with transaction.atomic():
        people = list(contact_list(organisation=organisation).prefetch_related("roles"))
        rows = [
            (p.given_name, p.family_name, p.email, p.phone, "; ".join(str(r) for r in p.roles.all()))
            for p in people
        ]
        audit_record_many(
            actor=actor,
            organisation=organisation,
            action=AuditAction.EXPORTED,
            subject_type="person",
            subject_ids=(p.pk for p in people),
            summary="Exported in the contact list.",
            reason=reason,
        )
    return csv_text(CONTACT_EXPORT_HEADER, rows)
