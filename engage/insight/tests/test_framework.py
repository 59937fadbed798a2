"""The framework page: everyone who sees themes can read and search it; those who manage
insight add the partnership's own categories, with clear errors and nothing half-added."""

from __future__ import annotations

from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engage.accounts.tests.factories import member_of
from engage.core.errors import Conflict, InvalidInput
from engage.core.models import AuditEvent
from engage.core.roles import Role
from engage.insight import selectors
from engage.insight.framework import services as framework_services
from engage.insight.models import Category, CategoryOrigin, Framework
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Dudley Healthwatch")


def test_a_board_member_reads_and_searches_the_framework_but_cannot_add_to_it(client_for, organisation):
    board = client_for(member_of(organisation, Role.BOARD_MEMBER), organisation)
    html = board.get("/staff/themes/framework/").content.decode()
    assert "Timeliness of care" in html
    assert "Relational care" in html
    assert "Add a theme of the partnership" not in html
    searched = board.get("/staff/themes/framework/?q=parking").content.decode()
    assert "Parking" in searched
    assert "Timeliness of care" not in searched
    assert "No theme matches" in board.get("/staff/themes/framework/?q=zzzqqq").content.decode()
    before = Category.objects.count()
    assert board.post("/staff/themes/framework/", {"name": "Hospital radio"}).status_code == 403
    assert Category.objects.count() == before


def test_an_analyst_adds_a_sub_category_and_a_category_of_its_own(client_for, organisation):
    analyst = client_for(member_of(organisation, Role.ANALYST), organisation)
    framework = framework_services.framework_built_in()
    parent = Category.objects.get(framework=framework, name="Environment, equipment & catering")
    response = analyst.post(
        "/staff/themes/framework/",
        {"name": "  Hospital   radio ", "parent": parent.pk, "description": "Noise at night from the radio."},
    )
    assert response.status_code == 302
    radio = Category.objects.get(name="Hospital radio")
    assert (radio.parent, radio.origin, radio.description) == (
        parent,
        CategoryOrigin.PARTNERSHIP,
        "Noise at night from the radio.",
    )
    assert response["Location"].endswith(f"#category-{radio.pk}")
    page = analyst.get("/staff/themes/framework/").content.decode()
    assert "Hospital radio" in page
    assert "Added by the partnership" in page
    assert AuditEvent.objects.filter(
        subject_type="category", subject_id=str(radio.pk), action="created"
    ).exists()
    # The review page offers it for labelling at once.
    assert Category.objects.filter(pk=radio.pk, parent__isnull=False).exists()
    own = analyst.post("/staff/themes/framework/", {"name": "Transport to hospital", "parent": ""})
    assert own.status_code == 302
    transport = Category.objects.get(name="Transport to hospital")
    assert transport.parent is None
    assert "Transport to hospital" in [c.name for c in selectors.parent_categories(framework)]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "", "parent": ""}, "Give the theme a name."),
        ({"name": "x" * 201, "parent": ""}, "The name must be 200 characters or fewer."),
        ({"name": "parking", "parent": ""}, "The framework already has a theme called"),
        ({"name": "New one", "parent": "999999"}, "Select a valid choice"),
        ({"name": "New one", "parent": "", "description": "d" * 1001}, "1,000 characters or fewer"),
    ],
)
def test_a_wrong_entry_is_shown_with_its_reason_and_nothing_is_added(client_for, organisation, form, message):
    analyst = client_for(member_of(organisation, Role.ANALYST), organisation)
    framework_services.framework_built_in()
    before = Category.objects.count()
    response = analyst.post("/staff/themes/framework/", form)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in unescape(html)
    assert "<title>Error: " in html
    assert Category.objects.count() == before


def test_a_sub_category_cannot_be_put_under_a_sub_category():
    framework = framework_services.framework_built_in()
    sub = Category.objects.filter(framework=framework, parent__isnull=False).first()
    with pytest.raises(InvalidInput, match="There is no category of the framework in use"):
        framework_services.category_add(actor=None, organisation=None, name="Deeper", parent_id=sub.pk)
    assert not Category.objects.filter(name="Deeper").exists()


def test_reading_the_framework_in_use_writes_nothing() -> None:
    """The built-in framework is stored by its migration; a page asking which framework
    is in use only reads (a read that wrote would take SQLite's write lock on a GET)."""
    with CaptureQueriesContext(connection) as queries:
        framework = framework_services.framework_in_use()
    assert framework.built_in
    assert [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")] == []


def test_a_database_without_the_built_in_framework_says_to_migrate() -> None:
    Framework.objects.filter(built_in=True).delete()
    with pytest.raises(Conflict, match="Run `engage migrate`"):
        framework_services.framework_in_use()
    assert framework_services.framework_built_in_seed() is True
    assert framework_services.framework_built_in_seed() is False  # once only
    assert framework_services.framework_in_use().built_in
