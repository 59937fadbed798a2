import pytest

from engage.core.models import AuditAction, AuditEvent
from engage.core.selectors import audit_event_list
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


def test_many_subjects_are_recorded_in_one_event_naming_each() -> None:
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
    event = AuditEvent.objects.for_organisation(organisation).get()
    assert event.summary == "Exported: 3 people."
    assert sorted(event.subjects.values_list("subject_id", flat=True)) == ["1", "2", "3"]
    for subject_id in ("1", "2", "3"):
        assert list(audit_event_list(organisation=organisation, subject_id=subject_id)) == [event]
    assert not audit_event_list(organisation=organisation, subject_id="4").exists()


def test_no_records_write_no_event() -> None:
    organisation = OrganisationFactory()
    assert (
        audit_record_many(
            actor=None,
            organisation=organisation,
            action=AuditAction.LISTED,
            subject_type="person",
            subject_ids=[],
            summary="Shown.",
        )
        == 0
    )
    assert not AuditEvent.objects.for_organisation(organisation).exists()
