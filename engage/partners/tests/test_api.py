import pytest

from engage.accounts.tests.factories import member_of
from engage.core.models import AuditAction, AuditEvent
from engage.core.roles import Role
from engage.partners.tests.factories import ConsentFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_people_api_lists_only_the_organisation_in_scope_with_standing_consent(client_for) -> None:
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    person = PersonFactory(organisation=mine, family_name="Listed")
    ConsentFactory(person=person)
    PersonFactory(organisation=theirs, family_name="Unlisted")
    client = client_for(member_of(mine, Role.ENGAGEMENT_OFFICER), mine)
    body = client.get("/api/v1/people/").json()
    assert [p["family_name"] for p in body["results"]] == ["Listed"]
    assert body["results"][0]["consents"] == ["contact"]


def test_reading_a_person_through_the_api_is_audited_and_others_are_not_found(client_for) -> None:
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    person, stranger = PersonFactory(organisation=mine), PersonFactory(organisation=theirs)
    client = client_for(member_of(mine, Role.ENGAGEMENT_OFFICER), mine)
    assert client.get(f"/api/v1/people/{person.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.VIEWED, subject_id=str(person.pk)).exists()
    missing = client.get(f"/api/v1/people/{stranger.pk}/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "There is no such person in your organisation's records."}


def test_the_openapi_document_describes_the_endpoints(client_for) -> None:
    mine = OrganisationFactory()
    client = client_for(member_of(mine, Role.ANALYST), mine)
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert {"/api/v1/people/", "/api/v1/organisations/"} <= set(schema["paths"])
