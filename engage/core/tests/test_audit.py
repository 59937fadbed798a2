import pytest

from engage.core.models import AuditAction, AuditEvent
from engage.core.services import audit_record, audit_record_many
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_an_audit_event_cannot_be_changed_or_deleted() -> None:
    event = audit_record(
        actor=None,
        organisation=None,
        action=AuditAction.VIEWED,
        subject_type="person",
        subject_id=1,
        summary="Viewed a person's record.",
    )
    event.summary = "Something else"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert AuditEvent.objects.get().summary == "Viewed a person's record."


def test_events_without_a_user_are_labelled_as_the_system() -> None:
    event = audit_record(
        actor=None, organisation=None, action=AuditAction.CREATED, subject_type="demo", summary="Loaded."
    )
    assert event.actor_label == "system"


def test_many_subjects_are_recorded_in_one_go() -> None:
    organisation = OrganisationFactory()
    count = audit_record_many(
        actor=None,
        organisation=organisation,
        action=AuditAction.EXPORTED,
        subject_type="person",
        subject_ids=[1, 2, 3],
        summary="Exported.",
    )
    assert count == 3
    assert sorted(AuditEvent.objects.for_organisation(organisation).values_list("subject_id", flat=True)) == [
        "1",
        "2",
        "3",
    ]
