"""Registering an activity in steps, as a browser does: each page's hidden answers
posted back with the step's own, nothing saved before the check-your-answers page,
each step showing only its own problems, and Change and Back keeping every answer."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from engage.accounts.tests.factories import member_of
from engage.activities.forms import ActivityForm
from engage.activities.models import Activity, AreaKind, Screening
from engage.activities.steps import NOT_ASKED, STEPS
from engage.activities.tests.factories import ActivityFactory, AreaFactory
from engage.core.roles import Role
from engage.partners.models import OrganisationKind
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

NEW = "/staff/activities/new/"


@pytest.fixture
def areas():
    borough = AreaFactory(name="Castlebridge", kind=AreaKind.PLACE)
    south = AreaFactory(name="Southmoor", kind=AreaKind.LOCALITY, parent=borough)
    north = AreaFactory(name="Northfield", kind=AreaKind.LOCALITY, parent=borough)
    return {"south": south, "north": north}


@pytest.fixture
def icb():
    return OrganisationFactory(name="Castlebridge ICB", kind=OrganisationKind.ICB)


@pytest.fixture
def officer(icb, client_for) -> Client:
    return client_for(member_of(icb, Role.ENGAGEMENT_OFFICER), icb)


class FormValues(HTMLParser):
    """What a browser would post from the page's form as it stands: hidden and typed
    values, ticked boxes and radios, chosen options and textareas' text."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        name = found.get("name", "")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = found.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in found:
                    self.values.append((name, found.get("value", "on")))
            elif kind != "submit":
                self.values.append((name, found.get("value", "")))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in found:
            self.values.append((self._select, found.get("value", "")))
        elif tag == "textarea":
            self._textarea = name
            self.values.append((name, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            name, text = self.values[-1]
            self.values[-1] = (name, text + data)


def carried(page: str) -> list[tuple[str, str]]:
    """What the page's form posts as it stands (the csrf token aside)."""
    start = page.index('<form method="post" novalidate>')
    form = page[start : page.index("</form>", start)]
    parser = FormValues()
    parser.feed(form)
    return parser.values


def answer(client: Client, page: str, url: str = NEW, go: str = "next", **answers: object) -> str:
    """Post the page's hidden answers with these ones, as pressing a button does."""
    data: dict[str, list[str]] = {}
    for name, value in carried(page):
        data.setdefault(name, []).append(value)
    for name in answers:
        for key in [name] + [f"{name}_{part}" for part in ("day", "month", "year")]:
            data.pop(key, None)
    for name, value in answers.items():
        data[name] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    data["go"] = [go]
    response = client.post(url, data)
    assert response.status_code in {200, 302}, response.status_code
    return response.content.decode() if response.status_code == 200 else response["Location"]


def date_answers(name: str, day: dt.date) -> dict[str, object]:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def walk_to_check(client: Client, areas, url: str = NEW, **changes: object) -> str:
    page = client.get(url).content.decode()
    steps: list[dict[str, object]] = [
        {
            "title": "Carers' breaks survey",
            "purpose": "Find out what breaks carers need.",
            "topic": "carers breaks",
        },
        {"target_groups": ["carers"], "area_ids": [areas["south"].pk]},
        {
            **date_answers("starts_on", dt.date(2026, 6, 1)),
            **date_answers("ends_on", dt.date(2026, 6, 30)),
            "stage": "analyse",
            "involvement_type": "collective",
            "level": "consult",
            "methods": ["survey"],
        },
        {},
        {"status": "planned"},
    ]
    for answers in steps:
        page = answer(
            client,
            page,
            url,
            **{k: v for k, v in answers.items() if k not in changes},
            **{k: v for k, v in changes.items() if k in answers},
        )
    return page


def test_the_check_page_names_a_ward_with_its_locality(officer, areas) -> None:
    ward = AreaFactory(name="Kingsmead", kind=AreaKind.WARD, parent=areas["south"])
    page = walk_to_check(officer, areas, area_ids=[ward.pk])
    assert "Kingsmead, Southmoor" in page


def test_every_question_of_the_form_is_asked_at_exactly_one_step() -> None:
    asked = [name for step in STEPS for name in step.fields]
    assert len(asked) == len(set(asked))
    assert set(asked) == set(ActivityForm.base_fields) - set(NOT_ASKED)


def test_an_activity_is_registered_step_by_step_and_saved_only_from_the_check_page(officer, areas) -> None:
    page = officer.get(NEW).content.decode()
    assert "Step 1 of 5" in page
    assert "<h1>About the activity</h1>" in page
    for number, title in [(2, "Who it is for and where"), (3, "When and how")]:
        page = (
            answer(officer, page, title="Carers' breaks survey", purpose="Breaks.", topic="carers")
            if number == 2
            else answer(officer, page, target_groups=["carers"], area_ids=[areas["south"].pk])
        )
        assert f"Step {number} of 5" in page
        assert f"<h1>{title}</h1>" in page
    assert not Activity.objects.exists()

    page = walk_to_check(officer, areas)
    assert "<h1>Check your answers</h1>" in page
    assert "All of Southmoor" in page
    assert "1 June 2026" in page
    assert "Carers&#39; breaks survey" in page
    assert not Activity.objects.exists(), "Nothing is saved before the check page's button"

    saved = answer(officer, page, go="save")
    activity = Activity.objects.get()
    assert saved == f"/staff/activities/{activity.pk}/"
    assert activity.title == "Carers' breaks survey"
    assert activity.areas.get() == areas["south"]
    assert activity.starts_on == dt.date(2026, 6, 1)


def test_a_step_shows_only_its_own_problems_and_stays(officer) -> None:
    page = officer.get(NEW).content.decode()
    page = answer(officer, page, title="", purpose="Breaks.", topic="carers")
    assert "Step 1 of 5" in page
    assert "Enter a title." in page
    assert "Choose the area" not in page, "a later step's question is not a problem yet"
    assert "Breaks." in page


def test_back_and_change_keep_every_answer_and_continue_returns_to_the_check_page(officer, areas) -> None:
    page = officer.get(NEW).content.decode()
    page = answer(officer, page, title="Carers' breaks survey", purpose="Breaks.", topic="carers")
    page = answer(officer, page, go="about")  # Back, from the second step
    assert 'value="Carers&#39; breaks survey"' in page

    check = walk_to_check(officer, areas)
    page = answer(officer, check, go="who-and-where")  # Change, from the check page
    assert "Continue to check your answers" in page
    back_at_check = answer(officer, page, area_ids=[areas["north"].pk], target_groups=["carers"])
    assert "<h1>Check your answers</h1>" in back_at_check
    assert "All of Northfield" in back_at_check
    assert "All of Southmoor" not in back_at_check
    assert "Carers&#39; breaks survey" in back_at_check


def test_an_overlap_is_shown_on_the_check_page_and_save_anyway_saves(officer, areas) -> None:
    healthwatch = OrganisationFactory(name="Healthwatch Castlebridge", kind=OrganisationKind.HEALTHWATCH)
    ActivityFactory(
        title="Carers' breaks: tell us what you need",
        topic="carers breaks",
        lead_organisation=healthwatch,
        starts_on=dt.date(2026, 6, 8),
        ends_on=dt.date(2026, 6, 20),
        areas=[areas["south"]],
        target_groups=["carers"],
    )
    check = walk_to_check(officer, areas)
    warned = answer(officer, check, go="save")
    assert "may reach the same people" in warned
    assert "Save anyway" in warned
    assert Activity.objects.count() == 1
    answer(officer, warned, go="save")
    assert Activity.objects.count() == 2


def test_answers_with_markup_go_through_the_steps_as_text(officer, areas) -> None:
    title = '"><script>alert(1)</script> & more'
    page = officer.get(NEW).content.decode()
    page = answer(officer, page, title=title, purpose="Breaks.", topic="carers")
    assert "<script>alert(1)</script>" not in page
    for answers in (
        {"target_groups": ["carers"], "area_ids": [areas["south"].pk]},
        {
            **date_answers("starts_on", dt.date(2026, 6, 1)),
            **date_answers("ends_on", dt.date(2026, 6, 30)),
            "stage": "analyse",
            "involvement_type": "collective",
            "level": "consult",
        },
        {},
        {"status": "planned"},
    ):
        page = answer(officer, page, **answers)
    assert "<script>alert(1)</script>" not in page
    answer(officer, page, go="save")
    assert Activity.objects.get().title == title


def test_changing_an_activity_opens_on_its_answers_and_saves_the_change(officer, icb, areas) -> None:
    activity = ActivityFactory(
        lead_organisation=icb, title="GP access survey", topic="gp access", areas=[areas["north"]]
    )
    url = f"/staff/activities/{activity.pk}/edit/"
    check = officer.get(url).content.decode()
    assert "<h1>Check your answers</h1>" in check
    assert "GP access survey" in check
    page = answer(officer, check, url, go="about")
    page = answer(officer, page, url, title="GP access: what works")
    assert "<h1>Check your answers</h1>" in page
    assert answer(officer, page, url, go="save") == f"/staff/activities/{activity.pk}/"
    activity.refresh_from_db()
    assert activity.title == "GP access: what works"
    assert activity.areas.get() == areas["north"]


def test_a_screenings_advice_is_the_answer_at_its_step(officer, icb) -> None:
    screening = Screening.objects.create(
        title="Closing the walk-in centre at night",
        organisation=icb,
        rules_version="2025.1",
        answers={"affected": ["carers"]},
        recommendation={"involvement_type": "collective", "level": "involve", "methods": ["event"]},
    )
    url = f"{NEW}?screening={screening.pk}"
    page = officer.get(url).content.decode()
    page = answer(officer, page, url, go="when-and-how")
    assert "<h1>When and how</h1>" in page
    assert re.search(r'value="involve"\s+checked', page)
