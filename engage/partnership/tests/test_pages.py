"""The shared picture's pages as each role uses them, and the sharing page's forms."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from engage.accounts.tests.factories import member_of, sign_in_as
from engage.activities.tests.factories import ActivityFactory
from engage.conversations.tests.factories import ImportJobFactory
from engage.core.roles import Role
from engage.partnership.models import OrganisationSharing, PictureCount, SharingChoice, SharingLevel
from engage.partnership.services import picture_refresh_all
from engage.partnership.tests.conftest import Partners

pytestmark = pytest.mark.django_db

PAGES = ("/staff/shared/", "/staff/shared/relational-care/", "/staff/shared/search/?q=discharge")
YEAR = "from=2026-01&to=2026-11"


def _client(organisation: Any, role: str) -> Client:
    client = Client()
    sign_in_as(client, member_of(organisation, role))
    return client


@pytest.mark.parametrize("role", [Role.BOARD_MEMBER, Role.ANALYST, Role.ENGAGEMENT_OFFICER])
def test_every_role_sees_the_picture_and_no_words_of_an_organisation_that_keeps_them(
    partners: Partners, role: str
) -> None:
    picture_refresh_all()
    client = _client(partners.nothing, role)
    for page in PAGES:
        response = client.get(f"{page}{'&' if '?' in page else '?'}{YEAR}")
        assert response.status_code == 200, page
        html = response.content.decode()
        assert "trust carer" not in html  # nothing: none of its words anywhere
        assert "council carer" not in html  # counts only: none of its words either
    picture = client.get(f"/staff/shared/?{YEAR}").content.decode()
    assert "healthwatch carer" in picture  # an approved quote of the one that shares them
    assert "Castlebridge Healthwatch" in picture


def test_comparing_a_group_shows_the_difference_and_asks_for_a_group_first(partners: Partners) -> None:
    picture_refresh_all()
    client = _client(partners.counts, Role.BOARD_MEMBER)
    asked = client.get("/staff/shared/compare/")
    assert asked.status_code == 200
    assert "Choose a group above" in asked.content.decode()
    compared = client.get(f"/staff/shared/compare/?{YEAR}&group=carer:Carers").content.decode()
    assert "Carers against everyone else" in compared
    assert "Discharge" in compared
    assert "points (" in compared


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("from=2026-13", "Choose a month written as year and month"),
        ("group=shoe:size", "Choose a group from the list"),
        ("kind=spaceship", "There is no kind of organisation called"),
        ("to=yesterday", "Choose a month written as year and month"),
    ],
)
def test_a_bad_filter_is_a_400_saying_what_is_wrong(partners: Partners, query: str, says: str) -> None:
    response = _client(partners.counts, Role.BOARD_MEMBER).get(f"/staff/shared/?{query}")
    assert response.status_code == 400
    assert says in response.content.decode().replace("&#x27;", "'")


def test_an_administrator_sets_what_the_organisation_shares_and_it_shows(
    partners: Partners, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # The worker's rebuild, run as soon as it is queued.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = _client(partners.nothing, Role.ORGANISATION_ADMIN)
    refused = client.post(
        "/staff/shared/what-we-share/",
        {
            "level": "quotes",
            "agreement_name": "",
            "agreement_dated_day": "",
            "agreement_dated_month": "",
            "agreement_dated_year": "",
        },
    )
    assert refused.status_code == 400
    assert "Enter the name of the data-sharing agreement" in refused.content.decode()
    assert OrganisationSharing.objects.get(organisation=partners.nothing).level == SharingLevel.NOTHING
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(
            "/staff/shared/what-we-share/",
            {
                "level": "counts",
                "agreement_name": "Riverside information sharing agreement",
                "agreement_dated_day": "15",
                "agreement_dated_month": "1",
                "agreement_dated_year": "2026",
            },
        )
    assert saved.status_code == 302
    # Sharing more: the worker rebuilds the organisation's part a moment later.
    assert PictureCount.objects.filter(organisation=partners.nothing).exists()
    page = client.get("/staff/shared/what-we-share/").content.decode()
    assert "Shared now: counts only" in page
    assert "Riverside information sharing agreement" in page


def test_an_officer_chooses_for_an_activity_but_not_for_the_organisation(partners: Partners) -> None:
    activity = ActivityFactory(lead_organisation=partners.counts)
    client = _client(partners.counts, Role.ENGAGEMENT_OFFICER)
    assert client.post("/staff/shared/what-we-share/", {"level": "nothing"}).status_code == 403
    chosen = client.post(
        f"/staff/shared/what-we-share/activities/{activity.pk}/",
        {"level": "nothing", "back": f"/staff/activities/{activity.pk}/"},
    )
    assert chosen.status_code == 302
    assert chosen["Location"] == f"/staff/activities/{activity.pk}/"
    assert SharingChoice.objects.get(activity=activity).level == SharingLevel.NOTHING
    elsewhere = client.post(
        f"/staff/shared/what-we-share/activities/{activity.pk}/",
        {"level": "counts", "back": "https://evil.example.org/"},
    )
    assert elsewhere["Location"] == "/staff/shared/what-we-share/"
    board = _client(partners.counts, Role.BOARD_MEMBER)
    assert (
        board.post(f"/staff/shared/what-we-share/activities/{activity.pk}/", {"level": "quotes"}).status_code
        == 403
    )


def test_the_activity_and_import_pages_say_what_is_shared_of_them(partners: Partners) -> None:
    activity = ActivityFactory(lead_organisation=partners.counts)
    job = ImportJobFactory(organisation=partners.counts)
    client = _client(partners.counts, Role.ENGAGEMENT_OFFICER)
    page = client.get(f"/staff/activities/{activity.pk}/").content.decode()
    assert "Shared with the partnership by" in page
    assert "Counts only" in page
    assert "(as the organisation chose)" in page
    client.post(f"/staff/shared/what-we-share/imports/{job.pk}/", {"level": "quotes"})
    shown = client.get(f"/staff/conversations/imports/{job.pk}/").content.decode()
    assert "Shared with the partnership" in shown
    assert "Counts and approved quotes" in shown
    assert "chosen by" in shown
    # Another organisation's activity is not one this organisation chooses for.
    other = _client(partners.nothing, Role.ENGAGEMENT_OFFICER).get(f"/staff/activities/{activity.pk}/")
    assert "Shared with the partnership by" not in other.content.decode()


def test_the_api_gives_the_pictures_published_figures_and_no_words(partners: Partners) -> None:
    picture_refresh_all()
    client = _client(partners.nothing, Role.ANALYST)
    response = client.get(f"/api/v1/partnership/themes/?{YEAR}&kind=council&kind=healthwatch")
    assert response.status_code == 200
    body = response.json()
    assert body["organisations"] == 2
    assert body["conversations"] % 5 == 0
    discharge = next(row for row in body["themes"] if row["sub_theme"] == "Discharge")
    assert discharge["conversations"] > 0
    assert "carer, visit" not in response.content.decode()  # no one's words
    refused = client.get("/api/v1/partnership/themes/?group=shoe:size")
    assert refused.status_code == 400
    assert "group" in refused.json()


def test_the_sharing_page_finds_an_activity_by_its_title(partners: Partners) -> None:
    ActivityFactory(lead_organisation=partners.counts, title="Discharge listening week")
    ActivityFactory(lead_organisation=partners.counts, title="Parks survey")
    page = (
        _client(partners.counts, Role.BOARD_MEMBER)
        .get("/staff/shared/what-we-share/?q=discharge")
        .content.decode()
    )
    assert "Discharge listening week" in page
    assert "Parks survey" not in page
