import pytest

from engage.accounts.tests.factories import member_of
from engage.activities.models import Screening
from engage.core.roles import Role
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def answers_for(questions):
    """The first option of every question (a list for 'many' questions)."""
    return {
        q["id"]: ([q["options"][0]["value"]] if q["kind"] == "many" else q["options"][0]["value"])
        for q in questions
    }


def test_an_officer_screens_an_issue_through_the_api_and_gets_reasons(client_for) -> None:
    icb = OrganisationFactory()
    client = client_for(member_of(icb, Role.ENGAGEMENT_OFFICER), icb)
    form = client.get("/api/v1/screening/questions/").json()
    response = client.post(
        "/api/v1/screenings/",
        {"title": "New opening hours", "answers": answers_for(form["questions"])},
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 201
    assert body["rules_version"] == form["version"]
    assert body["recommendation"]["level"]
    assert body["recommendation"]["reasons"]
    assert Screening.objects.get().organisation == icb


def test_missing_answers_are_named_and_nothing_is_saved(client_for) -> None:
    icb = OrganisationFactory()
    client = client_for(member_of(icb, Role.ENGAGEMENT_OFFICER), icb)
    response = client.post(
        "/api/v1/screenings/", {"title": "X", "answers": {}}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "scale" in response.json()
    assert not Screening.objects.exists()


def test_board_members_read_screenings_but_cannot_screen(client_for) -> None:
    icb = OrganisationFactory()
    client = client_for(member_of(icb, Role.BOARD_MEMBER), icb)
    assert client.get("/api/v1/screenings/").status_code == 200
    assert (
        client.post(
            "/api/v1/screenings/", {"title": "X", "answers": {}}, content_type="application/json"
        ).status_code
        == 403
    )
