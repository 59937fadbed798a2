"""Loading the demo is deterministic and idempotent, and a reset rebuilds it."""

from __future__ import annotations

from datetime import date

import pytest

from engage.accounts.models import Membership, User
from engage.activities.models import Activity, ActivitySeries, Area, AreaKind, PartnershipPriority
from engage.conversations.models import Conversation
from engage.core.errors import Conflict
from engage.core.models import AuditAction, AuditEvent
from engage.demo.services import (
    demo_partnership_is_loaded,
    demo_partnership_load,
    demo_partnership_remove,
    demo_partnership_reset,
)
from engage.partners.models import (
    Consent,
    Group,
    GroupMembership,
    Organisation,
    OrganisationKind,
    Person,
    PersonRole,
)

pytestmark = pytest.mark.django_db

REFERENCE_DATE = date(2026, 3, 1)
# A small bank of conversations: what is tested here (the same seed builds the same,
# loading twice adds nothing, removing leaves nothing) holds for a bank of any size, and
# the bank's own size does not change the rest of the demo
# (test_demo_conversations_loading.py); the full 52,000 took five seconds a load.
BANK = 300


def _row_counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "groups": Group.objects.count(),
        "people": Person.objects.count(),
        "roles": PersonRole.objects.count(),
        "group memberships": GroupMembership.objects.count(),
        "consents": Consent.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "areas": Area.objects.count(),
        "priorities": PartnershipPriority.objects.count(),
        "activity series": ActivitySeries.objects.count(),
        "activities": Activity.objects.count(),
        "activity areas": Activity.areas.through.objects.count(),
        "activity priorities": Activity.priorities.through.objects.count(),
        "activity partners": Activity.partner_organisations.through.objects.count(),
        "conversations": Conversation.objects.count(),
    }


def _people_and_consent() -> list[tuple[object, ...]]:
    """What the demo drew at random, in the order it was built (ids left out: they
    differ between databases and runs)."""
    people = list(
        Person.objects.order_by("pk").values_list(
            "organisation__name", "given_name", "family_name", "email", "phone", "postcode", "notes"
        )
    )
    consents = list(
        Consent.objects.order_by("pk").values_list(
            "person__email",
            "purpose",
            "given_on",
            "method",
            "source",
            "withdrawn_on",
            "withdrawal_method",
        )
    )
    return [*people, *consents, *_activities()]


def _activities() -> list[tuple[object, ...]]:
    """The activities in the order they were built, with what they link to."""
    rows: list[tuple[object, ...]] = []
    for activity in (
        Activity.objects.order_by("pk")
        .prefetch_related("areas", "priorities", "partner_organisations")
        .select_related("lead_organisation", "contact", "series")
    ):
        rows.append(
            (
                activity.title,
                activity.lead_organisation.name,
                activity.starts_on,
                activity.ends_on,
                activity.status,
                activity.feedback_promised_on,
                activity.feedback_given_on,
                activity.contact.email if activity.contact else None,
                activity.series.title if activity.series else None,
                tuple(activity.methods),
                tuple(activity.target_groups),
                tuple(sorted(area.name for area in activity.areas.all())),
                tuple(sorted(priority.title for priority in activity.priorities.all())),
                tuple(sorted(partner.name for partner in activity.partner_organisations.all())),
            )
        )
    return rows


def test_loading_twice_creates_no_duplicates() -> None:
    first = demo_partnership_load(today=REFERENCE_DATE, conversations=BANK)
    counts = _row_counts()
    second = demo_partnership_load(today=REFERENCE_DATE, conversations=BANK)
    assert first.created
    assert not second.created
    assert _row_counts() == counts
    assert second.people == first.people
    assert AuditEvent.objects.filter(subject_type="demo", action=AuditAction.CREATED).count() == 1


def test_the_same_seed_and_date_build_the_same_people() -> None:
    demo_partnership_load(seed=7, today=REFERENCE_DATE, conversations=BANK)
    first = _people_and_consent()
    demo_partnership_remove()
    demo_partnership_load(seed=7, today=REFERENCE_DATE, conversations=BANK)
    assert _people_and_consent() == first


def test_a_different_seed_builds_different_people() -> None:
    demo_partnership_load(seed=7, today=REFERENCE_DATE, conversations=BANK)
    first = _people_and_consent()
    demo_partnership_reset(seed=8, today=REFERENCE_DATE, conversations=BANK)
    assert _people_and_consent() != first


def test_reset_removes_the_demo_and_builds_it_again_leaving_other_data_alone() -> None:
    own = Organisation.objects.create(name="Sunnyside Community Larder", kind=OrganisationKind.VCSE)
    other_user = User.objects.create_user("someone@example.com", password=None)
    demo_partnership_load(today=REFERENCE_DATE, conversations=BANK)
    counts = _row_counts()
    first_people = set(Person.objects.values_list("pk", flat=True))

    summary = demo_partnership_reset(today=REFERENCE_DATE, conversations=BANK)

    assert summary.created
    assert _row_counts() == counts
    assert not first_people & set(Person.objects.values_list("pk", flat=True))
    assert Organisation.objects.filter(pk=own.pk).exists()
    assert User.objects.filter(pk=other_user.pk).exists()
    # The audit log keeps both the removal and both builds.
    actions = list(AuditEvent.objects.filter(subject_type="demo").values_list("action", flat=True))
    assert sorted(actions) == sorted([AuditAction.CREATED, AuditAction.DELETED, AuditAction.CREATED])


def test_removing_the_demo_leaves_nothing_of_it_behind() -> None:
    demo_partnership_load(today=REFERENCE_DATE, conversations=BANK)
    removed = demo_partnership_remove()
    assert removed == 95
    assert not demo_partnership_is_loaded()
    counts = _row_counts()
    assert all(count == 0 for count in counts.values()), counts


def test_removing_the_demo_leaves_other_partnerships_activities_areas_and_priorities() -> None:
    demo_partnership_load(today=REFERENCE_DATE, conversations=BANK)
    own = Organisation.objects.create(name="Sunnyside Community Larder", kind=OrganisationKind.VCSE)
    own_priority = PartnershipPriority.objects.create(title="Food for everyone")
    harrowmere = Area.objects.get(kind=AreaKind.LOCALITY, name="Harrowmere")
    # Someone has added a ward of their own inside a demo locality.
    own_ward = Area.objects.create(name="Sunnyside", kind=AreaKind.WARD, parent=harrowmere)
    demo_priority = PartnershipPriority.objects.get(title="Healthy, safe and connected communities")
    own_activity = Activity.objects.create(
        title="Larder users' survey",
        purpose="What food people need.",
        topic="Food",
        stage="analyse",
        involvement_type="individual",
        level="consult",
        target_groups=["most_deprived"],
        starts_on=REFERENCE_DATE,
        ends_on=REFERENCE_DATE,
        lead_organisation=own,
    )
    own_activity.areas.set([own_ward])
    own_activity.priorities.set([own_priority, demo_priority])

    demo_partnership_remove()

    assert list(Activity.objects.all()) == [own_activity]
    assert list(own_activity.priorities.all()) == [own_priority]
    assert not ActivitySeries.objects.exists()
    # The ward stays, and so do the areas above it; every other demo area goes.
    assert set(Area.objects.values_list("name", flat=True)) == {"Sunnyside", "Harrowmere", "Castlebridge"}


def test_removing_when_no_demo_is_loaded_does_nothing() -> None:
    assert demo_partnership_remove() == 0
    assert not AuditEvent.objects.exists()


def test_loading_beside_an_area_or_priority_with_a_demo_name_is_refused_plainly() -> None:
    Area.objects.create(name="Harrowmere", kind=AreaKind.LOCALITY)
    PartnershipPriority.objects.create(title="Ageing well and supporting carers")
    with pytest.raises(Conflict, match="Harrowmere, Ageing well and supporting carers"):
        demo_partnership_load(today=REFERENCE_DATE, conversations=BANK)
    assert not Organisation.objects.exists()


def test_loading_beside_an_organisation_with_a_demo_name_is_refused_plainly() -> None:
    Organisation.objects.create(name="Castlebridge Food Bank", kind=OrganisationKind.VCSE)
    with pytest.raises(Conflict, match="Castlebridge Food Bank"):
        demo_partnership_load(today=REFERENCE_DATE, conversations=BANK)
    assert Organisation.objects.count() == 1
