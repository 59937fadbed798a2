"""Screening a new issue through the staff pages, end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLResolver, include, path

from config import urls as project_urls
from engage.accounts.tests.factories import member_of
from engage.activities.models import Screening
from engage.activities.screening import services
from engage.activities.screening.rules import DEFAULT_RULES_PATH, current_rules
from engage.activities.tests.factories import ActivityFactory
from engage.core.errors import InvalidInput
from engage.core.models import AuditAction, AuditEvent
from engage.core.roles import Role
from engage.partners.models import OrganisationKind
from engage.partners.tests.factories import OrganisationFactory

# The project's URLs, with the screening pages added if config/urls.py does not include them yet.
urlpatterns = list(project_urls.urlpatterns)
if not any(isinstance(p, URLResolver) and p.namespace == "screening" for p in urlpatterns):
    urlpatterns.append(path("", include("engage.activities.screening.urls")))
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

MAJOR_CHANGE = {
    "title": "Moving the minor injuries unit to the health centre",
    "scale": "major",
    "affected": ["older_people", "disabled_people"],
    "how_many": "many",
    "influence": "some",
    "substantial_variation": "yes",
    "duty_to_involve": "yes",
    "equality_impact": "yes",
    "timescale": "months",
    "budget": "small",
}
SCRUTINY = "Consult the council&#39;s health overview and scrutiny committee on a substantial variation"


@pytest.fixture(autouse=True)
def default_rules(settings) -> None:
    settings.ENGAGE_SCREENING_RULES = None


@pytest.fixture
def icb():
    return OrganisationFactory(name="Castlebridge ICB", short_name="Castlebridge", kind=OrganisationKind.ICB)


@pytest.fixture
def officer_user(icb):
    return member_of(icb, Role.ENGAGEMENT_OFFICER, first_name="Priya", last_name="Sharma")


@pytest.fixture
def officer(icb, officer_user, client_for):
    return client_for(officer_user, icb)


def _screen(user, organisation, **answers) -> Screening:
    data = MAJOR_CHANGE | answers
    title = data.pop("title")
    return services.screening_record(actor=user, organisation=organisation, title=title, answers=data)


def test_an_officer_screens_an_issue_and_sees_the_reasons_and_duties(officer, icb) -> None:
    form = officer.get("/staff/screening/new/")
    page = form.content.decode()
    assert form.status_code == 200
    assert "How big is the change?" in page
    assert 'name="affected"' in page
    assert 'type="checkbox"' in page
    assert 'type="radio"' in page

    response = officer.post("/staff/screening/new/", MAJOR_CHANGE)
    screening = Screening.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/screening/{screening.pk}/"

    result = officer.get(response["Location"]).content.decode()
    assert "Moving the minor injuries unit to the health centre" in result
    assert "Involve" in result
    assert "Collective" in result
    assert "Which answer led to which recommendation" in result
    assert "Because you answered &#39;Major&#39; to &#39;How big is the change?&#39;" in result
    assert "Legal duties this triggers" in result
    assert SCRUTINY in result
    assert "NHS duty to involve the public" in result
    assert "carry out an equality impact assessment" in result
    assert "Outreach at a community venue" in result
    assert (
        f'Rules version</dt>\n    <dd class="nhsuk-summary-list__value">{current_rules().version}' in result
    )
    assert "Priya Sharma, Castlebridge" in result
    assert f"/staff/activities/new/?screening={screening.pk}" in result


def test_the_recorded_screening_keeps_its_answers_recommendation_and_rules_version(officer, icb) -> None:
    officer.post("/staff/screening/new/", MAJOR_CHANGE)
    screening = Screening.objects.get()
    assert screening.organisation == icb
    assert screening.rules_version == current_rules().version
    assert screening.recommendation["rules_version"] == current_rules().version
    assert screening.answers["scale"] == "major"
    assert screening.answers["affected"] == ["older_people", "disabled_people"]
    assert screening.recommendation["level"] == "involve"
    assert screening.recommendation["involvement_type"] == "collective"
    assert any("substantial variation" in d for d in screening.recommendation["duties"])
    event = AuditEvent.objects.get(subject_type="screening", subject_id=str(screening.pk))
    assert event.action == AuditAction.CREATED
    assert "rules version" in event.summary


def test_missing_answers_show_the_error_summary_and_save_nothing(officer) -> None:
    response = officer.post("/staff/screening/new/", {"title": "", "scale": "major"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "<title>Error: " in page
    assert "Enter the issue being screened." in page
    assert "Select who is affected." in page
    assert "Select whether the NHS duty to involve the public applies." in page
    assert 'href="#id_affected"' in page
    assert 'value="major" checked' in page, "what was answered is kept"
    assert not Screening.objects.exists()


def test_an_answer_the_rules_do_not_offer_is_refused(officer) -> None:
    response = officer.post("/staff/screening/new/", MAJOR_CHANGE | {"scale": "enormous"})
    assert response.status_code == 200
    assert "Select one of the answers given to &#39;How big is the change?&#39;." in response.content.decode()
    assert not Screening.objects.exists()


def test_a_result_is_shown_as_it_was_made_after_the_rules_change(
    officer, officer_user, icb, settings, tmp_path: Path
) -> None:
    shipped = current_rules().version
    old = _screen(officer_user, icb)
    assert old.rules_version == shipped
    ours = tmp_path / "ours.toml"
    changed = DEFAULT_RULES_PATH.read_text(encoding="utf-8").replace(
        f'version = "{shipped}"', 'version = "2026.1-local"'
    )
    changed = changed.replace('text = "How big is the change?"', 'text = "How much will the service change?"')
    ours.write_text(changed, encoding="utf-8")
    settings.ENGAGE_SCREENING_RULES = str(ours)

    new = _screen(officer_user, icb, title="A later issue")
    assert new.rules_version == "2026.1-local"
    then = officer.get(f"/staff/screening/{old.pk}/").content.decode()
    assert f"{shipped}</dd>" in then
    assert "How big is the change?" in then, "the questions as they were worded at the time"
    assert "How much will the service change?" not in then
    assert "How much will the service change?" in officer.get(f"/staff/screening/{new.pk}/").content.decode()


def test_a_bad_rules_file_shows_a_clear_message_not_an_error(
    officer, officer_user, icb, settings, tmp_path: Path
) -> None:
    kept = _screen(officer_user, icb)
    bad = tmp_path / "partnership_rules.toml"
    bad.write_text('version = "1"\n[questions.scale]\ntext = "How big?"\nkind = "one"\n[questions.scale.options]\nbig = "Big"\n'
                   '[default]\nreason = "r."\ninvolvement_type = "individual"\nlevel = "tell"\nmethods = ["online"]\n',
                   encoding="utf-8")  # fmt: skip
    settings.ENGAGE_SCREENING_RULES = str(bad)

    for response in (
        officer.get("/staff/screening/new/"),
        officer.post("/staff/screening/new/", MAJOR_CHANGE),
    ):
        page = response.content.decode()
        assert response.status_code == 200
        assert "Screening cannot be used at the moment" in page
        assert (
            "partnership_rules.toml, line 10: The level &#39;tell&#39; in the [default] table is not a level"
            in page
        )
        assert "engage screening check" in page
    assert Screening.objects.count() == 1, "nothing new is saved"
    assert officer.get("/staff/screening/").status_code == 200
    assert "Legal duties this triggers" in officer.get(f"/staff/screening/{kept.pk}/").content.decode()


def test_a_rules_file_that_is_not_toml_shows_the_line(officer, settings, tmp_path: Path) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text('version = "1"\n[questions.scale\n', encoding="utf-8")
    settings.ENGAGE_SCREENING_RULES = str(bad)
    page = officer.get("/staff/screening/new/").content.decode()
    assert "rules.toml, line 2: this is not valid TOML" in page


def test_every_partner_reads_screenings_but_only_engagement_staff_screen(
    icb, officer_user, client_for
) -> None:
    screening = _screen(officer_user, icb)
    board = client_for(member_of(icb, Role.BOARD_MEMBER), icb)
    assert board.get("/staff/screening/").status_code == 200
    assert board.get(f"/staff/screening/{screening.pk}/").status_code == 200
    assert board.get("/staff/screening/new/").status_code == 403
    assert board.post("/staff/screening/new/", MAJOR_CHANGE).status_code == 403
    assert "Screen a new issue" not in board.get("/staff/screening/").content.decode()
    assert Screening.objects.count() == 1


def test_another_partner_sees_the_screening_but_not_who_screened_it(icb, officer_user, client_for) -> None:
    screening = _screen(officer_user, icb)
    healthwatch = OrganisationFactory(name="Healthwatch Castlebridge", kind=OrganisationKind.HEALTHWATCH)
    other = client_for(member_of(healthwatch, Role.ENGAGEMENT_OFFICER), healthwatch)
    page = other.get(f"/staff/screening/{screening.pk}/").content.decode()
    assert "Moving the minor injuries unit" in page
    assert "Castlebridge" in page
    assert "Priya" not in page
    assert officer_user.email not in page


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    response = Client().get("/staff/screening/new/")
    assert response.status_code == 302
    assert "/staff/screening/new/" in response["Location"]


def test_the_list_searches_and_pages_through_screenings(officer, officer_user, icb) -> None:
    _screen(officer_user, icb, title="Closing the walk-in centre")
    for n in range(51):
        _screen(officer_user, icb, title=f"Routine issue {n}")
    page = officer.get("/staff/screening/").content.decode()
    assert "52 screenings" in page
    assert "Page 1 of 2" in page
    assert "?page=2" in page
    found = officer.get("/staff/screening/", {"q": "walk-in"}).content.decode()
    assert "1 screening</p>" in found
    assert "Closing the walk-in centre" in found
    assert "Routine issue" not in found
    assert "Involve, collective" in found


def test_a_missing_screening_is_not_found(officer) -> None:
    assert officer.get("/staff/screening/999999/").status_code == 404


def test_a_screening_is_kept_with_the_activity_registered_from_it(officer, officer_user, icb) -> None:
    screening = _screen(officer_user, icb)
    activity = ActivityFactory(lead_organisation=icb, title="Minor injuries unit: listening events")
    services.screening_attach_activity(
        actor=officer_user, organisation=icb, screening_id=screening.pk, activity_id=activity.pk
    )
    screening.refresh_from_db()
    assert screening.activity == activity
    assert AuditEvent.objects.filter(
        subject_type="screening", subject_id=str(screening.pk), action=AuditAction.UPDATED
    ).exists()
    page = officer.get(f"/staff/screening/{screening.pk}/").content.decode()
    assert f'href="/staff/activities/{activity.pk}/"' in page
    assert "Register an activity from this screening" not in page


def test_only_the_organisation_that_screened_an_issue_links_its_screening(officer_user, icb) -> None:
    screening = _screen(officer_user, icb)
    other = OrganisationFactory()
    activity = ActivityFactory(lead_organisation=other)
    with pytest.raises(InvalidInput) as refused:
        services.screening_attach_activity(
            actor=member_of(other, Role.ENGAGEMENT_OFFICER),
            organisation=other,
            screening_id=screening.pk,
            activity_id=activity.pk,
        )
    assert "screening_id" in refused.value.errors
    screening.refresh_from_db()
    assert screening.activity is None


def test_a_screening_can_be_recorded_for_an_existing_activity(officer_user, icb) -> None:
    activity = ActivityFactory(lead_organisation=icb)
    screening = _screen(officer_user, icb, title="Re-screening after the first events")
    assert screening.activity is None
    data = dict(MAJOR_CHANGE)
    data.pop("title")
    linked = services.screening_record(
        actor=officer_user, organisation=icb, title="Linked", answers=data, activity_id=activity.pk
    )
    assert linked.activity == activity
    with pytest.raises(InvalidInput) as caught:
        services.screening_record(
            actor=officer_user, organisation=icb, title="  ", answers={}, activity_id=999_999
        )
    assert caught.value.errors["title"] == "Enter the issue being screened."
    assert (
        caught.value.errors["activity_id"]
        == "There is no activity led by your organisation with the number 999999."
    )
    assert caught.value.errors["scale"] == "Select how big the change is."
    assert Screening.objects.count() == 2


def test_a_screening_recorded_without_a_recommendation_still_shows(officer, icb) -> None:
    screening = Screening.objects.create(
        title="Imported from the old spreadsheet",
        organisation=icb,
        answers={},
        recommendation={},
        rules_version="old",
    )
    response = officer.get(f"/staff/screening/{screening.pk}/")
    assert response.status_code == 200
    assert "Not recorded" in response.content.decode()
    assert officer.get("/staff/screening/").status_code == 200
