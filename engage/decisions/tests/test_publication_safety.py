"""Nothing unconsented, unapproved or unredacted is ever published: a bank with personal
details planted in what people said, some of them not consenting to be quoted and some
consenting but not yet approved by staff, is analysed and its activity published; every
public page is then scanned for the planted details and for the words of those who did
not consent or whose words no one approved. Withdrawing consent (for one conversation,
or through the person), and erasing the person, take the quote off every page at once,
cached pages included."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from engage.accounts.tests.factories import member_of
from engage.activities.models import Activity
from engage.activities.tests.factories import ActivityFactory
from engage.conversations.models import Conversation, Quote
from engage.conversations.quotes.services import (
    conversation_person_link,
    quote_consent_withdraw,
    quote_decide,
)
from engage.core.errors import NotFound
from engage.core.roles import Role
from engage.decisions import services
from engage.decisions.public import QUOTES_PER_THEME, public_page, quotes_once
from engage.decisions.services import DecisionInput
from engage.insight import runner as insight_runner
from engage.insight import services as insight
from engage.insight.tests.test_services import KIND, SLOW, STAFF, WAITING, add
from engage.partners import services as partners
from engage.partners.models import ConsentPurpose
from engage.partners.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

PLANTED = [
    "07700 900461",
    "jane.example@example.org",
    "943 476 5919",  # an NHS number from the test range
    "DY1 1HF",
    "Mrs Jane Example",
]
UNCONSENTED = "The porter Zanzibarian said nothing to my husband for an hour"
UNAPPROVED = "The Quagmirian reception desk kept us waiting for two hours"
QUOTED = "The nurse was kind and caring, call"


@pytest.fixture
def published(client):
    healthwatch = OrganisationFactory(name="Healthwatch Castlebridge")
    activity = ActivityFactory(lead_organisation=healthwatch, title="Hospital visit survey", topic="hospital")
    for round_ in range(6):
        for text in KIND:
            # None of these agreed to be quoted: the planted one below is the only
            # quotable comment about staff, so the page shows it, redacted.
            add(healthwatch, f"{text} ({round_})", rating=1, labels=[STAFF], consent=False)
        for text in SLOW:
            add(healthwatch, f"{text} ({round_})", rating=5, labels=[WAITING])
    add(
        healthwatch,
        "The nurse was kind and caring, call Mrs Jane Example on 07700 900461 or jane.example@example.org, "
        "NHS number 943 476 5919, we live at DY1 1HF",
        rating=1,
        labels=[STAFF],
    )
    add(healthwatch, UNCONSENTED, rating=5, labels=[WAITING], consent=False)
    add(healthwatch, UNAPPROVED, rating=5, labels=[WAITING])  # agreed; no one has approved it
    Conversation.objects.filter(organisation=healthwatch).update(activity=activity)
    insight.model_train(actor=None)
    insight_runner.analysis_run_execute(run_id=insight.analysis_run_create(actor=None, start=False).pk)
    decision = services.decision_record(
        actor=None,
        organisation=healthwatch,
        data=DecisionInput(
            title="Kinder welcome on the wards",
            summary="People praised the nurses and asked for the same welcome from every member of staff.",
            decided_by="organisation",
            decided_by_name="Castlebridge Hospitals",
            status="agreed",
            activity_id=activity.pk,
        ),
    )
    services.decision_evidence_add(
        actor=None,
        organisation=healthwatch,
        decision_id=decision.pk,
        conversation_ids=Conversation.objects.for_organisation(healthwatch).values_list("pk", flat=True),
    )
    services.activity_publish(
        actor=None,
        organisation=healthwatch,
        activity_id=activity.pk,
        easy_read="We asked about your hospital visit.\nYou said the nurses were kind.",
        decision_ids=[decision.pk],
    )
    # Staff of Healthwatch approved the planted comment's words, as the redactor left them.
    quote_decide(actor=None, organisation=healthwatch, conversation_id=_planted().pk, approve=True)
    return activity, decision


def _planted() -> Conversation:
    return Conversation.objects.get(text__startswith=QUOTED)


def _public_pages(client, activity) -> list[str]:
    return [
        client.get("/you-said-we-did/").content.decode(),
        client.get("/you-said-we-did/?q=hospital").content.decode(),
        client.get(f"/you-said-we-did/{activity.pk}/").content.decode(),
        client.get("/").content.decode(),
        # The open data: the same figures as files.
        client.get("/open-data/").content.decode(),
        *(
            client.get(f"/open-data/{name}.csv").content.decode()
            for name in ("activities", "themes", "decisions")
        ),
    ]


def _quoted_on(client, partner, activity, decision) -> dict[str, bool]:
    """Where the approved quote shows: the public page, the decision's page a partner
    reads, and the themes page."""
    board, analyst = partner
    pages = {
        "public": client.get(f"/you-said-we-did/{activity.pk}/"),
        "decision": board.get(f"/staff/decisions/{decision.pk}/"),
        "themes": analyst.get(f"/staff/themes/?activity={activity.pk}"),
    }
    assert all(response.status_code == 200 for response in pages.values())
    return {name: QUOTED in response.content.decode() for name, response in pages.items()}


def _quoted_everywhere(client, partner, activity, decision) -> bool:
    return all(_quoted_on(client, partner, activity, decision).values())


def _quoted_anywhere(client, partner, activity, decision) -> bool:
    return any(_quoted_on(client, partner, activity, decision).values())


def test_public_pages_show_consented_redacted_quotes_and_nothing_personal(client, published):
    activity, _decision = published
    pages = _public_pages(client, activity)
    page = pages[2]
    assert "Kinder welcome on the wards" in page
    assert "You said the nurses were kind." in page
    # The one approved comment is quoted, its personal details taken out.
    assert QUOTED in page
    for html in pages:
        for detail in PLANTED:
            assert detail not in html, detail
        assert "Zanzibarian" not in html
        assert "Quagmirian" not in html  # consented, but no one approved the words
        assert "The receptionist was helpful and kind" not in html
        assert activity.contact is None or activity.contact.email not in html


def test_an_unpublished_activity_has_no_public_page_and_publishing_twice_changes_nothing(client, published):
    activity, decision = published
    other = ActivityFactory(lead_organisation=activity.lead_organisation)
    assert client.get(f"/you-said-we-did/{other.pk}/").status_code == 404
    decision.refresh_from_db()
    first = decision.published_at
    services.activity_publish(
        actor=None,
        organisation=activity.lead_organisation,
        activity_id=activity.pk,
        decision_ids=[decision.pk],
    )
    decision.refresh_from_db()
    assert decision.published_at == first


def test_only_the_lead_organisation_publishes(client_for, published):
    activity, _ = published
    council = OrganisationFactory(name="Castlebridge Council")
    officer = client_for(member_of(council, Role.ENGAGEMENT_OFFICER), council)
    assert officer.get(f"/staff/decisions/publish/{activity.pk}/").status_code == 404
    lead = client_for(
        member_of(activity.lead_organisation, Role.ENGAGEMENT_OFFICER), activity.lead_organisation
    )
    assert lead.get(f"/staff/decisions/publish/{activity.pk}/").status_code == 200
    response = lead.post(f"/staff/decisions/publish/{activity.pk}/", {"easy_read": "Short."})
    assert response["Location"] == f"/you-said-we-did/{activity.pk}/"


def test_the_cached_page_changes_as_soon_as_a_decision_does(client, published):
    activity, decision = published
    assert "Agreed" in client.get(f"/you-said-we-did/{activity.pk}/").content.decode()
    current = services.decision_input_of(decision)
    services.decision_amend(
        actor=None,
        organisation=activity.lead_organisation,
        decision_id=decision.pk,
        data=dataclasses.replace(current, status="done", note="Every ward now greets people by name."),
    )
    page = client.get(f"/you-said-we-did/{activity.pk}/").content.decode()
    assert "Every ward now greets people by name." in page
    later = services.decision_record(
        actor=None,
        organisation=activity.lead_organisation,
        data=dataclasses.replace(current, title="Quieter nights on the wards", activity_id=activity.pk),
    )
    assert "Quieter nights" not in client.get(f"/you-said-we-did/{activity.pk}/").content.decode()
    services.activity_publish(
        actor=None, organisation=activity.lead_organisation, activity_id=activity.pk, decision_ids=[later.pk]
    )
    assert "Quieter nights" in client.get(f"/you-said-we-did/{activity.pk}/").content.decode()


@pytest.fixture
def partner(client_for, published):
    """Readers outside Healthwatch's own staff who may not read conversations: a
    partner's board member (the decision's page) and Healthwatch's analyst (its themes)."""
    activity, _ = published
    council = OrganisationFactory(name="Castlebridge Council")
    board = client_for(member_of(council, Role.BOARD_MEMBER), council)
    healthwatch = activity.lead_organisation
    analyst = client_for(member_of(healthwatch, Role.ANALYST), healthwatch)
    return board, analyst


@pytest.fixture
def cached(settings):
    settings.ENGAGE_PUBLIC_CACHE_SECONDS = 300


def test_withdrawing_consent_takes_the_quote_off_every_page_at_once(client, partner, published, cached):
    activity, decision = published
    assert _quoted_everywhere(client, partner, activity, decision)  # and the public page is now cached
    quote_consent_withdraw(
        actor=None,
        organisation=activity.lead_organisation,
        conversation_id=_planted().pk,
        withdrawn_on=timezone.localdate(),
        method="phone",
    )
    assert not _quoted_anywhere(client, partner, activity, decision)
    assert not Quote.objects.filter(conversation=_planted()).exists()
    for html in _public_pages(client, activity):
        assert QUOTED not in html


def test_a_persons_withdrawal_follows_their_words(client, partner, published, cached):
    activity, decision = published
    healthwatch = activity.lead_organisation
    person = PersonFactory(organisation=healthwatch, email="jane.example@example.org")
    conversation_person_link(
        actor=None, organisation=healthwatch, conversation_id=_planted().pk, email="Jane.Example@example.org"
    )
    partners.consent_grant(
        actor=None,
        organisation=healthwatch,
        person_id=person.pk,
        purpose=ConsentPurpose.QUOTE,
        given_on=dt.date(2026, 1, 5),
        method="paper_form",
    )
    assert _quoted_everywhere(client, partner, activity, decision)
    partners.consent_withdraw(
        actor=None,
        organisation=healthwatch,
        person_id=person.pk,
        purpose=ConsentPurpose.QUOTE,
        withdrawn_on=timezone.localdate(),
        method="email",
    )
    assert not _quoted_anywhere(client, partner, activity, decision)
    planted = _planted()
    assert not planted.consent_to_quote
    assert not planted.quote_consents.standing().exists()


def test_an_erased_person_is_quoted_nowhere(client, partner, published, cached):
    activity, decision = published
    healthwatch = activity.lead_organisation
    person = PersonFactory(organisation=healthwatch, email="jane.example@example.org")
    conversation_person_link(
        actor=None, organisation=healthwatch, conversation_id=_planted().pk, email=person.email
    )
    assert _quoted_everywhere(client, partner, activity, decision)
    partners.person_erase(
        actor=None, organisation=healthwatch, person_id=person.pk, reason="They asked us to."
    )
    assert not _quoted_anywhere(client, partner, activity, decision)


def test_quotes_that_arrive_later_wait_for_approval(client, published, cached):
    activity, _ = published
    healthwatch = activity.lead_organisation
    later = add(healthwatch, "The Xylophonist volunteer at the front door was a great help", rating=5)
    Conversation.objects.filter(pk=later.pk).update(activity=activity)
    insight_runner.analysis_run_execute(run_id=insight.analysis_run_create(actor=None, start=False).pk)
    assert "Xylophonist" not in client.get(f"/you-said-we-did/{activity.pk}/").content.decode()
    quote_decide(actor=None, organisation=healthwatch, conversation_id=later.pk, approve=True)
    assert "Xylophonist" in client.get(f"/you-said-we-did/{activity.pk}/").content.decode()


def test_only_the_organisation_that_heard_it_approves_its_words(published):
    _activity, _ = published
    council = OrganisationFactory(name="Castlebridge Council")
    with pytest.raises(NotFound):
        quote_decide(actor=None, organisation=council, conversation_id=_planted().pk, approve=True)


def test_words_on_two_themes_are_quoted_once_under_the_first() -> None:
    both = "We waited six hours with nobody telling us anything"
    many = [f"Quote {n}" for n in range(QUOTES_PER_THEME + 2)]
    chosen = quotes_once([[both, "Kind nurses"], [both, "Rude porter", "Rude porter"], many])
    assert chosen[0] == [both, "Kind nurses"]
    assert chosen[1] == ["Rude porter"]
    assert chosen[2] == many[:QUOTES_PER_THEME]


# --- The open data: the public pages' figures as files ---


def _table(client: Client, name: str) -> list[dict[str, str]]:
    response = client.get(f"/open-data/{name}.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{name}.csv"'
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_files_hold_the_published_pages_figures_and_nothing_unpublished(
    client: Client, published: Any
) -> None:
    activity, decision = published
    unpublished = ActivityFactory(lead_organisation=activity.lead_organisation, title="Not yet published")
    page = public_page(activity_id=activity.pk)
    assert page is not None

    activities = _table(client, "activities")
    assert [row["activity_id"] for row in activities] == [str(activity.pk)]
    assert activities[0]["title"] == activity.title
    assert activities[0]["took_part"] == ("" if page.took_part.value is None else str(page.took_part.value))
    assert all(row["title"] != unpublished.title for row in activities)
    themes = _table(client, "themes")
    assert {row["theme"] for row in themes} == {theme.name for theme in page.themes}
    decisions = _table(client, "decisions")
    assert [(row["title"], row["status"]) for row in decisions] == [
        (decision.title, decision.get_status_display())
    ]


def test_closing_the_loop_is_measured_over_published_activities_alone(client: Client, published: Any) -> None:
    activity, _decision = published
    today = timezone.localdate()
    ended = today - dt.timedelta(days=30)
    Activity.objects.filter(pk=activity.pk).update(
        starts_on=ended - dt.timedelta(days=10),
        ends_on=ended,
        feedback_promised_on=ended + dt.timedelta(days=7),
        feedback_given_on=ended + dt.timedelta(days=12),
    )
    # Another partner's activity, ended and overdue, but not published: in no count.
    council = OrganisationFactory(name="Castlebridge Council")
    ActivityFactory(
        lead_organisation=council,
        starts_on=ended - dt.timedelta(days=10),
        ends_on=ended,
        feedback_promised_on=ended + dt.timedelta(days=1),
    )
    cache.clear()

    (row,) = _table(client, "activities")
    assert (row["feedback_given_on"], row["days_to_feedback"], row["decisions_published"]) == (
        (ended + dt.timedelta(days=12)).isoformat(),
        "12",
        "1",
    )
    loop = _table(client, "closing-the-loop")
    assert [r["lead_organisation"] for r in loop] == ["Healthwatch Castlebridge", "All"]
    assert {k: loop[0][k] for k in ("activities_ended", "feedback_given", "feedback_given_percent")} == {
        "activities_ended": "1",
        "feedback_given": "1",
        "feedback_given_percent": "100",
    }
    assert (loop[0]["feedback_overdue"], loop[0]["median_days_to_feedback"]) == ("0", "12")
    assert "Castlebridge Council" not in client.get("/open-data/closing-the-loop.csv").content.decode()


def test_the_page_describes_every_column_and_the_dictionary_lists_them(
    client: Client, published: Any
) -> None:
    page = client.get("/open-data/").content.decode()
    for name in (
        "activities.csv",
        "themes.csv",
        "decisions.csv",
        "closing-the-loop.csv",
        "took_part",
        "reason_not_taken",
        "median_days_to_feedback",
    ):
        assert name in page
    dictionary = _table(client, "data-dictionary")
    assert {row["file"] for row in dictionary} == {
        "activities.csv",
        "themes.csv",
        "decisions.csv",
        "closing-the-loop.csv",
    }
    assert all(row["meaning"] for row in dictionary)
    assert client.get("/open-data/people.csv").status_code == 404
    assert 'href="/open-data/"' in client.get("/").content.decode()  # linked from every page's footer
