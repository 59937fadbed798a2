"""Loading and removing the demo partnership.

The demo is a made-up borough, Castlebridge, with its partners, groups, a few thousand
people with their consent, and a staff account for every role, so a newcomer sees a
realistic partnership within a minute of install. Loading is deterministic (one seed
and one reference date always give the same people) and idempotent (loading again
changes nothing); a reset removes what the demo made and builds it afresh.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from engage.accounts.models import Membership, User
from engage.core.errors import Conflict
from engage.core.models import AuditAction
from engage.core.services import audit_record
from engage.demo import generator
from engage.demo.organisations import MARKER_ORGANISATION, demo_organisation_names
from engage.demo.staff import DEMO_PASSWORD, DEMO_USER_EMAILS
from engage.partners.models import (
    Consent,
    Group,
    GroupMembership,
    Organisation,
    OrganisationKind,
    Person,
    PersonRole,
)

DEFAULT_SEED = 2013  # the year CCGs began, and the year of the source documents


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    organisation: str
    role: str


@dataclass(frozen=True)
class DemoSummary:
    """What the demo holds, and whether this call built it or found it already there."""

    created: bool
    organisations: int
    gp_practices: int
    vcse_organisations: int
    groups: int
    people: int
    person_roles: int
    group_memberships: int
    consents: int
    consents_withdrawn: int
    people_without_consent: int
    accounts: tuple[DemoAccount, ...]
    password: str = DEMO_PASSWORD


def demo_partnership_is_loaded() -> bool:
    return Organisation.objects.filter(name=MARKER_ORGANISATION).exists()


def demo_partnership_load(*, seed: int = DEFAULT_SEED, today: date | None = None) -> DemoSummary:
    """Build the demo partnership, or do nothing if it is already loaded.

    `today` is the date the demo's history is measured back from (consent given over
    the last three years, for instance); tests pass a fixed one."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    with transaction.atomic():
        if demo_partnership_is_loaded():
            return demo_partnership_summary(created=False)
        _refuse_clashes()
        organisations = generator.build_organisations()
        groups = generator.build_groups(organisations)
        people = generator.build_people(rng, organisations)
        roles = generator.build_person_roles(rng, today, organisations, people)
        generator.build_group_memberships(rng, today, groups, people, roles)
        consents = generator.build_consent(rng, today, people)
        generator.build_staff(organisations)
        audit_record(
            actor=None,
            organisation=None,
            action=AuditAction.CREATED,
            subject_type="demo",
            summary=(
                f"Generated the Castlebridge demo partnership (seed {seed}, reference date "
                f"{today.isoformat()}): {len(organisations.all)} organisations, "
                f"{groups.count} groups, {len(people.all)} people, {len(consents)} consent records."
            ),
        )
    return demo_partnership_summary(created=True)


def _refuse_clashes() -> None:
    """Loading beside records that already use the demo's names would fail half-way on
    a unique name; say so plainly instead."""
    names = demo_organisation_names()
    clashes = list(Organisation.objects.filter(name__in=names).values_list("name", flat=True)[:3])
    clashes += list(User.objects.filter(email__in=DEMO_USER_EMAILS).values_list("email", flat=True)[:3])
    if clashes:
        raise Conflict(
            "The demo cannot be loaded because these already exist: "
            f"{', '.join(clashes)}. Load it with --reset to remove them and build the demo afresh."
        )


def demo_partnership_remove() -> int:
    """Delete everything the demo made; returns how many organisations went.

    Audit events stay, as the log is append-only: the database sets their organisation
    and actor to empty when those are deleted, and the event text still says what
    happened. Anything added later to a demo organisation goes with it, since the
    organisation itself goes."""
    with transaction.atomic():
        organisation_ids = list(
            Organisation.objects.filter(name__in=demo_organisation_names()).values_list("pk", flat=True)
        )
        # Groups and people protect their organisation from deletion, so they go first.
        # Deleting a person takes their roles, group memberships and consent with them.
        Group.objects.filter(
            Q(organisation_id__in=organisation_ids) | Q(gp_practice_id__in=organisation_ids)
        ).delete()
        Person.objects.filter(organisation_id__in=organisation_ids).delete()
        # Demo accounts share a published password, so they go even if someone has since
        # given them a role elsewhere.
        User.objects.filter(email__in=DEMO_USER_EMAILS).delete()
        Organisation.objects.filter(pk__in=organisation_ids).delete()
        if organisation_ids:
            audit_record(
                actor=None,
                organisation=None,
                action=AuditAction.DELETED,
                subject_type="demo",
                summary=(
                    f"Removed the Castlebridge demo partnership: {len(organisation_ids)} "
                    "organisations and the groups, people, consent and staff accounts it held."
                ),
            )
    return len(organisation_ids)


def demo_partnership_reset(*, seed: int = DEFAULT_SEED, today: date | None = None) -> DemoSummary:
    """Remove the demo and build it again, in one transaction."""
    with transaction.atomic():
        demo_partnership_remove()
        return demo_partnership_load(seed=seed, today=today)


def demo_partnership_summary(*, created: bool) -> DemoSummary:
    organisations = Organisation.objects.filter(name__in=demo_organisation_names())
    people = Person.objects.filter(organisation__in=organisations)
    consents = Consent.objects.filter(person__in=people)
    memberships = Membership.objects.filter(user__email__in=DEMO_USER_EMAILS).select_related(
        "user", "organisation"
    )
    order = {email: index for index, email in enumerate(DEMO_USER_EMAILS)}
    accounts = sorted(
        (
            DemoAccount(
                email=membership.user.email,
                name=membership.user.get_full_name(),
                organisation=membership.organisation.display_name,
                role=membership.get_role_display(),
            )
            for membership in memberships
        ),
        key=lambda account: (order[account.email], account.organisation),
    )
    return DemoSummary(
        created=created,
        organisations=organisations.count(),
        gp_practices=organisations.filter(kind=OrganisationKind.GP_PRACTICE).count(),
        vcse_organisations=organisations.filter(kind=OrganisationKind.VCSE).count(),
        groups=Group.objects.filter(organisation__in=organisations).count(),
        people=people.count(),
        person_roles=PersonRole.objects.filter(person__in=people).count(),
        group_memberships=GroupMembership.objects.filter(person__in=people).count(),
        consents=consents.count(),
        consents_withdrawn=consents.filter(withdrawn_on__isnull=False).count(),
        people_without_consent=people.filter(consents__isnull=True).count(),
        accounts=tuple(accounts),
    )
