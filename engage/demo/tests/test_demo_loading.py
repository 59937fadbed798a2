"""Loading the demo is deterministic and idempotent, and a reset rebuilds it."""

from __future__ import annotations

from datetime import date

import pytest

from engage.accounts.models import Membership, User
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
    return [*people, *consents]


def test_loading_twice_creates_no_duplicates() -> None:
    first = demo_partnership_load(today=REFERENCE_DATE)
    counts = _row_counts()
    second = demo_partnership_load(today=REFERENCE_DATE)
    assert first.created
    assert not second.created
    assert _row_counts() == counts
    assert second.people == first.people
    assert AuditEvent.objects.filter(subject_type="demo", action=AuditAction.CREATED).count() == 1


def test_the_same_seed_and_date_build_the_same_people() -> None:
    demo_partnership_load(seed=7, today=REFERENCE_DATE)
    first = _people_and_consent()
    demo_partnership_remove()
    demo_partnership_load(seed=7, today=REFERENCE_DATE)
    assert _people_and_consent() == first


def test_a_different_seed_builds_different_people() -> None:
    demo_partnership_load(seed=7, today=REFERENCE_DATE)
    first = _people_and_consent()
    demo_partnership_reset(seed=8, today=REFERENCE_DATE)
    assert _people_and_consent() != first


def test_reset_removes_the_demo_and_builds_it_again_leaving_other_data_alone() -> None:
    own = Organisation.objects.create(name="Sunnyside Community Larder", kind=OrganisationKind.VCSE)
    other_user = User.objects.create_user("someone@example.com", password=None)
    demo_partnership_load(today=REFERENCE_DATE)
    counts = _row_counts()
    first_people = set(Person.objects.values_list("pk", flat=True))

    summary = demo_partnership_reset(today=REFERENCE_DATE)

    assert summary.created
    assert _row_counts() == counts
    assert not first_people & set(Person.objects.values_list("pk", flat=True))
    assert Organisation.objects.filter(pk=own.pk).exists()
    assert User.objects.filter(pk=other_user.pk).exists()
    # The audit log keeps both the removal and both builds.
    actions = list(AuditEvent.objects.filter(subject_type="demo").values_list("action", flat=True))
    assert sorted(actions) == sorted([AuditAction.CREATED, AuditAction.DELETED, AuditAction.CREATED])


def test_removing_the_demo_leaves_nothing_of_it_behind() -> None:
    demo_partnership_load(today=REFERENCE_DATE)
    removed = demo_partnership_remove()
    assert removed == 95
    assert not demo_partnership_is_loaded()
    counts = _row_counts()
    assert all(count == 0 for count in counts.values()), counts


def test_removing_when_no_demo_is_loaded_does_nothing() -> None:
    assert demo_partnership_remove() == 0
    assert not AuditEvent.objects.exists()


def test_loading_beside_an_organisation_with_a_demo_name_is_refused_plainly() -> None:
    Organisation.objects.create(name="Castlebridge Food Bank", kind=OrganisationKind.VCSE)
    with pytest.raises(Conflict, match="Castlebridge Food Bank"):
        demo_partnership_load(today=REFERENCE_DATE)
    assert Organisation.objects.count() == 1
