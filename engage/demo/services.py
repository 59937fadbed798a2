"""Loading and removing the demo partnership.

The demo is a made-up borough, Castlebridge, with its partners, groups, a few thousand
people with their consent, a staff account for every role, its areas and partnership
priorities, two years of every partner's engagement activities and some 50,000
conversations heard along the way, a few per cent of them labelled by its analyst, so a
newcomer sees a realistic partnership within a minute of install. Loading is
deterministic (one seed and one reference date always give the same people) and
idempotent (loading again changes nothing); a reset removes what the demo made and
builds it afresh. `demo_insight_start` then trains a model on the labels and queues an
analysis of the bank.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from engage.accounts.models import Membership, User
from engage.activities.models import (
    Activity,
    ActivitySeries,
    Area,
    AreaKind,
    PartnershipPriority,
    Screening,
    Status,
)
from engage.conversations.models import Conversation, ImportJob
from engage.core.errors import Conflict, DomainError
from engage.core.models import AuditAction, Partnership
from engage.core.selectors import partnership_name_forget
from engage.core.services import audit_record
from engage.decisions.models import Decision
from engage.demo import generator, population
from engage.demo.areas import PLACE, PLACE_CODE, demo_area_names
from engage.demo.boundaries import illustrative_wards_geojson
from engage.demo.decisions import build_decisions
from engage.demo.evaluations import build_evaluations, remove_evaluations
from engage.demo.organisations import MARKER_ORGANISATION, demo_organisation_names
from engage.demo.places import BOROUGH
from engage.demo.priorities import demo_priority_titles
from engage.demo.reports import build_reports
from engage.demo.sharing import build_sharing
from engage.demo.staff import DEMO_AUTHENTICATOR_KEY, DEMO_PASSWORD, DEMO_USER_EMAILS
from engage.evaluation.board.services import board_refresh
from engage.insight import services as insight
from engage.insight.models import ModelVersion, Review
from engage.partners.models import (
    Consent,
    Group,
    GroupMembership,
    Organisation,
    OrganisationKind,
    PeopleImportJob,
    Person,
    PersonRole,
)
from engage.places import services as places_services
from engage.places.models import Boundary, CensusCount, DeprivationArea, ReferenceKind, ReferenceLoad
from engage.places.selectors import imd_edition
from engage.reports.models import Report

ILLUSTRATIVE_PREFIX = "DEMO-"
DEFAULT_SEED = 2013  # the year CCGs began, and the year of the source documents
DEFAULT_CONVERSATIONS = generator.CONVERSATIONS


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
    areas: int
    localities: int
    wards: int
    priorities: int
    priorities_without_activity: int
    activity_series: int
    activities: int
    activities_planned: int
    activities_open: int
    activities_feedback_due: int
    conversations: int
    conversations_from_activities: int
    conversations_labelled: int
    accounts: tuple[DemoAccount, ...]
    password: str = DEMO_PASSWORD


def demo_refused_in_production() -> None:
    """The demo's accounts share a published password and authenticator key: never on a
    partnership's real server."""
    if settings.ENGAGE_PRODUCTION:
        raise DomainError(
            "The demo cannot be loaded here: ENGAGE_PRODUCTION is on, and the demo's accounts "
            "share a published password."
        )


def demo_authenticator_code(*, email: str) -> str:
    """The code an authenticator app with the demo's published key shows now, for a demo
    administrator; refused for any other account, and in production."""
    demo_refused_in_production()
    device = TOTPDevice.objects.filter(
        user__email__iexact=email.strip(), user__email__in=DEMO_USER_EMAILS, confirmed=True
    ).first()
    if device is None or device.bin_key != DEMO_AUTHENTICATOR_KEY:
        raise DomainError(f"{email} is not a demo administrator's account, so it has no published code.")
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def demo_partnership_is_loaded() -> bool:
    return Organisation.objects.filter(name=MARKER_ORGANISATION).exists()


def demo_partnership_load(
    *, seed: int = DEFAULT_SEED, today: date | None = None, conversations: int | None = None
) -> DemoSummary:
    """Build the demo partnership, or do nothing if it is already loaded.

    `today` is the date the demo's history is measured back from (consent given over
    the last three years, for instance); tests pass a fixed one. `conversations` is the
    size of the bank of conversations (DEFAULT_CONVERSATIONS unless given)."""
    demo_refused_in_production()
    today = today or timezone.localdate()
    if conversations is None:
        conversations = DEFAULT_CONVERSATIONS
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
        staff = generator.build_staff(organisations)
        areas = generator.build_areas()
        priorities = generator.build_priorities()
        activities = generator.build_activities(
            rng, today, organisations=organisations, areas=areas, priorities=priorities, staff=staff
        )
        bank = generator.build_conversations(
            rng,
            today,
            organisations=organisations,
            areas=areas,
            activities=activities,
            count=conversations,
            reviewer=generator.demo_analyst(staff),
        )
        decisions = build_decisions(seed, today)
        sharing = build_sharing(today)
        evaluated = build_evaluations(seed, today)
        illustrative = illustrative_population_load()
        # The demo is a partnership set up: its pages are named, and no first-run code
        # is offered for it (engage setup refuses a second set-up).
        Partnership.objects.get_or_create(
            pk=1,
            defaults={
                "name": settings.ENGAGE_PARTNERSHIP_NAME,
                "place_code": PLACE_CODE,
                "place_name": PLACE,
            },
        )
        partnership_name_forget()
        # The board's first page (the worker works it out again once the analysis lands).
        board_refresh()
        reports = build_reports(today)
        audit_record(
            actor=None,
            organisation=None,
            action=AuditAction.CREATED,
            subject_type="demo",
            summary=(
                f"Generated the Castlebridge demo partnership (seed {seed}, reference date "
                f"{today.isoformat()}): {len(organisations.all)} organisations, "
                f"{groups.count} groups, {len(people.all)} people, {len(consents)} consent records, "
                f"{len(areas.all)} areas, {len(priorities)} priorities, "
                f"{len(activities.activities)} engagement activities, "
                f"{bank.conversations} conversations, {bank.labelled} of them labelled by people, "
                f"{decisions} decisions published, {sharing} organisations sharing with the partnership, "
                f"{evaluated.evaluations} evaluations with {evaluated.answers} participants' answers, "
                f"{evaluated.rounds} rounds of the self-assessment with {evaluated.sheets} score sheets, "
                f"{reports} reports"
                f"{', and an illustrative population for reach' if illustrative else ''}."
            ),
        )
    return demo_partnership_summary(created=True)


def illustrative_population_load() -> bool:
    """Castlebridge's made-up residents (demo/population.py) and ward shapes, for reach:
    only where no real census table is loaded, so the demo never hides real figures.
    The shapes go through the boundaries loader like any file; returns whether loaded."""
    if CensusCount.objects.exclude(area_code__startswith=ILLUSTRATIVE_PREFIX).exists():
        return False
    illustrative_population_remove()
    CensusCount.objects.bulk_create(
        [
            CensusCount(
                dimension=dimension,
                category=category,
                area_code=population.AREA_CODE,
                count=count,
                source="DEMO",
            )
            for dimension, counts in population.census_counts().items()
            for category, count in counts.items()
        ]
        + [
            CensusCount(
                dimension="sex", category="Total", area_code=ward.code, count=ward.residents, source="DEMO"
            )
            for ward in population.WARDS
        ]
    )
    DeprivationArea.objects.bulk_create(
        DeprivationArea(
            edition=imd_edition(),
            lsoa_code=area.code,
            lsoa_name=f"{area.name} (illustrative)",
            local_authority_code=population.AREA_CODE,
            local_authority_name=f"{BOROUGH} (illustrative)",
            imd_score=0.0,
            imd_rank=0,
            imd_decile=area.decile,
            population=area.residents,
        )
        for area in population.SMALL_AREAS
    )
    with tempfile.TemporaryDirectory(prefix="engage-demo-") as folder:
        path = Path(folder) / "castlebridge-illustrative-wards.geojson"
        path.write_text(json.dumps(illustrative_wards_geojson()), encoding="utf-8")
        places_services.boundaries_load(
            actor=None, path=path, file_name=path.name, allow_demo_codes=True, kind=ReferenceKind.ILLUSTRATIVE
        )
    return True


def illustrative_population_remove() -> None:
    CensusCount.objects.filter(area_code__startswith=ILLUSTRATIVE_PREFIX).delete()
    DeprivationArea.objects.filter(local_authority_code=population.AREA_CODE).delete()
    Boundary.objects.filter(code__startswith=ILLUSTRATIVE_PREFIX).delete()
    ReferenceLoad.objects.filter(kind=ReferenceKind.ILLUSTRATIVE).delete()


@dataclass(frozen=True)
class DemoInsight:
    """The model trained on the demo's labels, and the analysis queued with it."""

    model_number: int | None  # None where too few of the bank's conversations are labelled to learn from
    labelled_conversations: int
    train_seconds: float
    # None where an analysis was already waiting or running: it analyses the new bank.
    analysis_run_id: int | None


def demo_insight_start() -> DemoInsight:
    """Train a model on people's labels (the demo's among them) and queue an analysis of
    every conversation, which the worker beside the web server runs once it starts.
    Call it after the demo is built, outside its transaction."""
    started = time.perf_counter()
    try:
        # The demo's own model replaces any before it, as a rebuilt demo should.
        version: ModelVersion | None = insight.model_train(actor=None, force=True)
    except insight.NothingToLearn:  # a small bank: the analysis uses the lexicon alone
        version = None
    seconds = time.perf_counter() - started
    try:
        run_id: int | None = insight.analysis_run_create(actor=None, start=True).pk
    except Conflict:
        run_id = None
    return DemoInsight(
        model_number=version.number if version else None,
        labelled_conversations=version.labelled_conversations if version else 0,
        train_seconds=seconds,
        analysis_run_id=run_id,
    )


def _refuse_clashes() -> None:
    """Loading beside records that already use the demo's names would fail half-way on
    a unique name; say so plainly instead."""
    names = demo_organisation_names()
    clashes = list(Organisation.objects.filter(name__in=names).values_list("name", flat=True)[:3])
    clashes += list(User.objects.filter(email__in=DEMO_USER_EMAILS).values_list("email", flat=True)[:3])
    clashes += list(_demo_areas().values_list("name", flat=True)[:3])
    clashes += list(_demo_priorities().values_list("title", flat=True)[:3])
    if clashes:
        raise Conflict(
            "The demo cannot be loaded because these already exist: "
            f"{', '.join(clashes)}. Load it with --reset to remove them and build the demo afresh."
        )


def _demo_areas() -> QuerySet[Area]:
    wanted = Q(pk__in=[])
    for kind in AreaKind:
        names = [name for area_kind, name in demo_area_names() if area_kind == kind]
        wanted |= Q(kind=kind, name__in=names)
    return Area.objects.filter(wanted)


def _demo_priorities() -> QuerySet[PartnershipPriority]:
    return PartnershipPriority.objects.filter(title__in=demo_priority_titles())


def _remove_areas() -> None:
    """Wards, then localities, then the place, as an area protects its parent; an area
    someone has since put inside a demo area keeps that parent where it is."""
    for kind in (AreaKind.WARD, AreaKind.LOCALITY, AreaKind.PLACE):
        _demo_areas().filter(kind=kind, children__isnull=True).delete()


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
        # The self-assessment's rounds and objectives belong to no organisation.
        remove_evaluations()
        # Reports protect their organisation (their sections and Easy Read go with them).
        Report.objects.filter(organisation_id__in=organisation_ids).delete()
        # Decisions protect their organisation too; their evidence and pages go with them.
        Decision.objects.filter(organisation_id__in=organisation_ids).delete()
        # Conversations and imports protect their organisation, so they go first; and
        # before the activities, whose deletion would first empty each one's activity.
        Conversation.objects.filter(organisation_id__in=organisation_ids).delete()
        ImportJob.objects.filter(organisation_id__in=organisation_ids).delete()
        # A contact list imported while trying the demo (its people are removed below).
        PeopleImportJob.objects.filter(organisation_id__in=organisation_ids).delete()
        # Activities, series and screenings protect their organisation, so they go first.
        # An activity takes its links to priorities, areas and partners with it, and the
        # overlap reviews that name it.
        Activity.objects.filter(lead_organisation_id__in=organisation_ids).delete()
        ActivitySeries.objects.filter(lead_organisation_id__in=organisation_ids).delete()
        Screening.objects.filter(organisation_id__in=organisation_ids).delete()
        # The priorities and areas the demo made; activities of others lose the link.
        _demo_priorities().delete()
        _remove_areas()
        Partnership.objects.filter(place_code=PLACE_CODE).delete()
        partnership_name_forget()
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
        illustrative_population_remove()
        if organisation_ids:
            audit_record(
                actor=None,
                organisation=None,
                action=AuditAction.DELETED,
                subject_type="demo",
                summary=(
                    f"Removed the Castlebridge demo partnership: {len(organisation_ids)} "
                    "organisations and the groups, people, consent, staff accounts, areas, "
                    "priorities, engagement activities and conversations (with people's "
                    "labels) it held."
                ),
            )
    return len(organisation_ids)


def demo_partnership_reset(
    *, seed: int = DEFAULT_SEED, today: date | None = None, conversations: int | None = None
) -> DemoSummary:
    """Remove the demo and build it again, in one transaction."""
    demo_refused_in_production()
    with transaction.atomic():
        demo_partnership_remove()
        return demo_partnership_load(seed=seed, today=today, conversations=conversations)


def demo_partnership_summary(*, created: bool) -> DemoSummary:
    organisations = Organisation.objects.filter(name__in=demo_organisation_names())
    people = Person.objects.filter(organisation__in=organisations)
    consents = Consent.objects.filter(person__in=people)
    areas = _demo_areas()
    priorities = _demo_priorities()
    conversations = Conversation.objects.filter(organisation__in=organisations)
    statuses = Counter(
        Activity.objects.filter(lead_organisation__in=organisations).values_list("status", flat=True)
    )
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
        areas=areas.count(),
        localities=areas.filter(kind=AreaKind.LOCALITY).count(),
        wards=areas.filter(kind=AreaKind.WARD).count(),
        priorities=priorities.count(),
        priorities_without_activity=priorities.filter(activities__isnull=True).count(),
        activity_series=ActivitySeries.objects.filter(lead_organisation__in=organisations).count(),
        activities=sum(statuses.values()),
        activities_planned=statuses[Status.PLANNED],
        activities_open=statuses[Status.OPEN],
        activities_feedback_due=statuses[Status.FEEDBACK_DUE],
        conversations=conversations.count(),
        conversations_from_activities=conversations.filter(activity__isnull=False).count(),
        conversations_labelled=Review.objects.filter(conversation__in=conversations).count(),
        accounts=tuple(accounts),
    )
