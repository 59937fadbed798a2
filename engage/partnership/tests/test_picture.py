"""The partnership's picture counts what each organisation shares, and only that; its
summary table agrees with counting the conversations themselves; narrowing a choice
takes the figures out at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import QueryDict

from engage.accounts.tests.factories import member_of
from engage.activities.tests.factories import ActivityFactory
from engage.conversations.models import Conversation
from engage.conversations.tests.factories import ConversationFactory, ImportJobFactory
from engage.core.disclosure import DisclosureRule
from engage.core.errors import InvalidInput, UnknownId
from engage.core.models import AuditEvent
from engage.core.roles import Role
from engage.insight.models import ModelLabel
from engage.partners.models import OrganisationKind
from engage.partnership.filters import PictureFilters
from engage.partnership.filters import picture_filters as filters_of
from engage.partnership.models import LEVEL_RANK, PictureCount, SharingLevel, Topic
from engage.partnership.selectors import picture_crosstab, picture_summary, relational_care
from engage.partnership.services import picture_refresh, picture_refresh_all
from engage.partnership.sharing.selectors import conversations_shared, sharing_level_of, sharing_levels
from engage.partnership.sharing.services import organisation_sharing_set, sharing_choice_set
from engage.partnership.tests.conftest import TODAY, Partners, label

pytestmark = pytest.mark.django_db

EXACT = DisclosureRule.exact()
YEAR = {"from": "2026-01", "to": "2026-11"}


def _total(**where: Any) -> int:
    return sum(PictureCount.objects.filter(**where).values_list("conversations", flat=True))


def test_only_conversations_an_organisation_shares_are_counted(partners: Partners) -> None:
    picture_refresh_all()
    assert _total(organisation=partners.nothing) == 0
    assert _total(organisation=partners.counts, facet="all", topic=Topic.ALL) == 120
    summary = picture_summary(picture_filters(YEAR, today=TODAY), rule=EXACT)
    assert summary.conversations.value == 240
    assert summary.organisations == 2


def test_the_summary_table_agrees_with_counting_the_conversations(partners: Partners) -> None:
    picture_refresh_all()
    shared = Conversation.objects.filter(organisation__in=[partners.counts, partners.quotes])
    for month in (1, 5, 10):
        first = dt.date(2026, month, 1)
        in_month = shared.filter(occurred_on__month=month)
        about = in_month.filter(model_labels__category=partners.discharge)
        assert (
            _total(month=first, facet="all", topic=Topic.THEME, category=partners.discharge) == about.count()
        )
        carers = about.filter(carer="Yes")
        assert _total(
            month=first, facet="carer", value="Carers", topic=Topic.THEME, category=partners.discharge
        ) == (carers.count())
        relational = in_month.filter(model_labels__category=partners.compassion)
        assert _total(month=first, facet="all", topic=Topic.RELATIONAL) == relational.count()
        assert _total(month=first, facet="age", value="65 to 74", topic=Topic.ALL) == (
            in_month.filter(age_band="65-74").count()
        )
        assert _total(month=first, facet="age", topic=Topic.ALL) == in_month.count()


def test_the_table_follows_a_new_label_after_a_rebuild(partners: Partners) -> None:
    picture_refresh_all()
    before = _total(organisation=partners.counts, facet="all", topic=Topic.RELATIONAL)
    conversation = (
        Conversation.objects.filter(organisation=partners.counts)
        .exclude(model_labels__category=partners.compassion)
        .first()
    )
    assert conversation is not None
    label(conversation, partners.compassion, partners.version)
    picture_refresh(organisation_id=partners.counts.pk)
    assert _total(organisation=partners.counts, facet="all", topic=Topic.RELATIONAL) == before + 1


def test_choosing_nothing_takes_the_figures_out_before_the_page_returns(partners: Partners) -> None:
    picture_refresh_all()
    admin = member_of(partners.counts, Role.ORGANISATION_ADMIN)
    organisation_sharing_set(
        actor=admin, organisation=partners.counts, level="nothing", agreement_name="", agreement_dated=None
    )
    assert _total(organisation=partners.counts) == 0
    event = AuditEvent.objects.filter(subject_type="partnership sharing").latest("pk")
    assert event.actor == admin
    assert "nothing" in event.summary


def test_sharing_needs_a_named_and_dated_agreement(partners: Partners) -> None:
    admin = member_of(partners.nothing, Role.ORGANISATION_ADMIN)
    with pytest.raises(InvalidInput) as refused:
        organisation_sharing_set(
            actor=admin,
            organisation=partners.nothing,
            level="counts",
            agreement_name=" ",
            agreement_dated=None,
        )
    assert set(refused.value.errors) == {"agreement_name", "agreement_dated"}
    with pytest.raises(InvalidInput) as refused:
        organisation_sharing_set(
            actor=admin,
            organisation=partners.nothing,
            level="everything",
            agreement_name="X",
            agreement_dated=TODAY,
        )
    assert set(refused.value.errors) == {"level"}
    assert _total(organisation=partners.nothing) == 0


def test_the_narrower_of_an_activity_and_an_import_choice_wins(partners: Partners) -> None:
    activity = ActivityFactory(lead_organisation=partners.nothing)
    job = ImportJobFactory(organisation=partners.nothing)
    conversation = ConversationFactory(organisation=partners.nothing, activity=activity, import_job=job)
    officer = member_of(partners.nothing, Role.ENGAGEMENT_OFFICER)
    sharing_choice_set(actor=officer, organisation=partners.nothing, level="quotes", activity_id=activity.pk)
    assert _total(organisation=partners.nothing) == 0  # sharing more: rebuilt by the worker, a moment later
    picture_refresh(organisation_id=partners.nothing.pk)  # the worker's rebuild
    assert sharing_level_of(
        organisation_id=partners.nothing.pk, activity_id=activity.pk, import_job_id=job.pk
    ) == (SharingLevel.QUOTES)
    assert _total(organisation=partners.nothing, facet="all", topic=Topic.ALL) == 1
    sharing_choice_set(actor=officer, organisation=partners.nothing, level="counts", import_job_id=job.pk)
    shared = Conversation.objects.filter(pk=conversation.pk)
    assert not conversations_shared(shared, minimum=SharingLevel.QUOTES).exists()
    assert conversations_shared(shared, minimum=SharingLevel.COUNTS).exists()
    sharing_choice_set(actor=officer, organisation=partners.nothing, level="nothing", import_job_id=job.pk)
    assert not conversations_shared(shared, minimum=SharingLevel.COUNTS).exists()
    assert _total(organisation=partners.nothing) == 0
    # Taken away, the activity's own choice applies again.
    sharing_choice_set(actor=officer, organisation=partners.nothing, level="", import_job_id=job.pk)
    assert conversations_shared(shared, minimum=SharingLevel.QUOTES).exists()


def test_an_import_of_another_organisation_cannot_be_chosen(partners: Partners) -> None:
    job = ImportJobFactory(organisation=partners.quotes)
    officer = member_of(partners.nothing, Role.ENGAGEMENT_OFFICER)
    with pytest.raises(UnknownId) as refused:
        sharing_choice_set(actor=officer, organisation=partners.nothing, level="quotes", import_job_id=job.pk)
    assert "import_job" in refused.value.errors


def test_quotes_come_only_from_organisations_that_share_them(partners: Partners) -> None:
    picture_refresh_all()
    summary = picture_summary(picture_filters(YEAR, today=TODAY), rule=EXACT)
    quotes = [q for theme in summary.themes for sub in theme.subthemes for q in sub.quotes]
    assert quotes
    assert {q.organisation for q in quotes} == {partners.quotes.name}
    assert all("healthwatch" in q.text for q in quotes)


def test_figures_are_published_under_the_partnership_rule(partners: Partners) -> None:
    picture_refresh_all()
    summary = picture_summary(picture_filters({**YEAR, "kind": [OrganisationKind.COUNCIL]}, today=TODAY))
    assert summary.conversations.value is not None
    assert summary.conversations.value % 5 == 0
    month = summary.months[0][1]
    assert month.value is not None
    assert month.value % 5 == 0


def test_carers_against_everyone_else(partners: Partners) -> None:
    picture_refresh_all()
    crosstab = picture_crosstab(picture_filters({**YEAR, "group": "carer:Carers"}, today=TODAY), rule=EXACT)
    assert crosstab.group_total.value == 80
    assert crosstab.everyone_total.value == 240
    discharge = next(r for r in crosstab.rows if r.category == partners.discharge)
    assert discharge.in_group.value == 80
    assert discharge.everyone.value == 240
    assert discharge.difference is not None
    assert discharge.difference.value == pytest.approx(0)
    assert not discharge.difference.clear
    assert discharge.difference.low < 0 < discharge.difference.high
    with pytest.raises(UnknownId):
        picture_crosstab(picture_filters(YEAR, today=TODAY), rule=EXACT)
    with pytest.raises(UnknownId):
        picture_crosstab(picture_filters({**YEAR, "group": "carer:Pirates"}, today=TODAY), rule=EXACT)


def test_relational_care_is_charted_with_control_limits(partners: Partners) -> None:
    picture_refresh_all()
    care = relational_care(picture_filters(YEAR, today=TODAY), rule=EXACT)
    assert care.conversations.value == 120
    assert care.chart.centre == pytest.approx(1.0)
    assert len(care.chart.points) == 11
    assert [k.kind for k in care.kinds] == ["Council", "Healthwatch"]


def test_a_bad_filter_is_named(partners: Partners) -> None:
    for params, field in (
        ({"from": "2026-13"}, "from"),
        ({"to": "last year"}, "to"),
        ({"from": "2026-10", "to": "2026-02"}, "from"),
        ({"group": "shoe:size"}, "group"),
    ):
        with pytest.raises(UnknownId) as refused:
            picture_filters(params, today=TODAY)
        assert field in refused.value.errors
    assert ModelLabel.objects.exists()


def picture_filters(params: dict[str, Any], *, today: dt.date) -> PictureFilters:
    """The filters as a page's query string gives them."""
    query = QueryDict(mutable=True)
    for name, value in params.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return filters_of(query, today=today)


def test_the_levels_read_in_python_agree_with_the_database(partners: Partners) -> None:
    """`sharing_levels` (which the quotes use) and `conversations_shared` are one rule."""
    activity = ActivityFactory(lead_organisation=partners.nothing)
    job = ImportJobFactory(organisation=partners.nothing)
    officer = member_of(partners.nothing, Role.ENGAGEMENT_OFFICER)
    made = [
        ConversationFactory(organisation=organisation, activity=a, import_job=j)
        for organisation in (partners.nothing, partners.counts, partners.quotes)
        for a in (None, activity)
        for j in (None, job if organisation == partners.nothing else None)
    ]
    for activity_level, import_level in (
        ("", ""),
        ("quotes", ""),
        ("quotes", "counts"),
        ("nothing", "quotes"),
        ("counts", ""),
    ):
        sharing_choice_set(
            actor=officer, organisation=partners.nothing, level=activity_level, activity_id=activity.pk
        )
        sharing_choice_set(
            actor=officer, organisation=partners.nothing, level=import_level, import_job_id=job.pk
        )
        levels = sharing_levels()
        for minimum in (SharingLevel.COUNTS, SharingLevel.QUOTES):
            in_database = set(
                conversations_shared(
                    Conversation.objects.filter(pk__in=[c.pk for c in made]), minimum=minimum
                ).values_list("pk", flat=True)
            )
            in_python = {
                c.pk
                for c in made
                if LEVEL_RANK[levels.of(c.organisation_id, c.activity_id, c.import_job_id)]
                >= LEVEL_RANK[minimum]
            }
            assert in_database == in_python, (activity_level, import_level, minimum)
