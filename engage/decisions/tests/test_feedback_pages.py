"""The staff pages for telling people what was done: who took part, what became of the
emails, the trail from an activity and a theme to its decisions, and "use as evidence
for…" from the themes page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from engage.accounts.tests.factories import member_of
from engage.activities.tests.factories import ActivityFactory, PriorityFactory
from engage.conversations.models import Conversation
from engage.conversations.quotes.services import quote_consent_grant, quote_decide
from engage.core.roles import Role
from engage.decisions.models import (
    Decision,
    DecisionEvidence,
    FeedbackMessage,
    MessageStatus,
    Participation,
    ThemeProposal,
)
from engage.insight.framework.services import framework_built_in
from engage.insight.models import Category, PersonLabel, Review
from engage.partners.tests.factories import (
    ConsentFactory,
    GroupFactory,
    GroupMembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from engage.reach.tests.factories import conversations_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def healthwatch():
    return OrganisationFactory(name="Healthwatch Castlebridge")


def _decision(activity, **fields):
    return Decision.objects.create(
        organisation=activity.lead_organisation,
        title="Evening appointments at Harrowmere surgery",
        summary="The surgery opens until 8pm.",
        decided_by="board",
        decided_by_name="The board",
        activity=activity,
        **fields,
    )


def test_an_officer_finds_and_adds_who_took_part_and_sees_who_can_be_told(client_for, healthwatch):
    activity = ActivityFactory(lead_organisation=healthwatch, title="Carers' voices")
    officer = client_for(member_of(healthwatch, Role.ENGAGEMENT_OFFICER), healthwatch)
    consenting = PersonFactory(organisation=healthwatch, given_name="Marguerite", family_name="Oyelaran")
    ConsentFactory(person=consenting)
    unconsented = PersonFactory(organisation=healthwatch, given_name="Marguerite", family_name="Blythe")
    council = OrganisationFactory(name="Castlebridge Council")
    PersonFactory(organisation=council, given_name="Marguerite", family_name="Councilperson")

    found = officer.get(f"/staff/activities/{activity.pk}/people/?q=marguerite").content.decode()
    assert "Oyelaran" in found
    assert "Blythe" in found
    assert "Councilperson" not in found  # another partner's people are never offered

    added = officer.post(
        f"/staff/activities/{activity.pk}/people/add/", {"person": [consenting.pk, unconsented.pk]}
    )
    assert added.status_code == 302
    page = officer.get(added["Location"]).content.decode()
    assert "2 people from your organisation" in page
    assert "1 can be told" in page
    assert "No: no consent to contact" in page

    group = GroupFactory(organisation=healthwatch, name="Carers' circle")
    GroupMembershipFactory(group=group, person=PersonFactory(organisation=healthwatch))
    officer.post(f"/staff/activities/{activity.pk}/people/add/", {"group": group.pk})
    assert Participation.objects.count() == 3

    officer.post(f"/staff/activities/{activity.pk}/people/remove/", {"person": [unconsented.pk]})
    assert not Participation.objects.filter(person=unconsented).exists()

    # The council's officer sees none of Healthwatch's people on the same activity.
    theirs = client_for(member_of(council, Role.ENGAGEMENT_OFFICER), council)
    other = theirs.get(f"/staff/activities/{activity.pk}/people/").content.decode()
    assert "Oyelaran" not in other
    assert "0 people from your organisation" in other
    # Analysts and board members hold no personal data.
    analyst = client_for(member_of(healthwatch, Role.ANALYST), healthwatch)
    assert analyst.get(f"/staff/activities/{activity.pk}/people/").status_code == 403


def test_publishing_says_how_many_are_told_and_the_decision_shows_what_became_of_each(
    client_for, healthwatch, django_capture_on_commit_callbacks
):
    activity = ActivityFactory(lead_organisation=healthwatch)
    person = PersonFactory(organisation=healthwatch, family_name="Oyelaran")
    ConsentFactory(person=person)
    Participation.objects.create(activity=activity, person=person)
    decision = _decision(activity)
    officer = client_for(member_of(healthwatch, Role.ENGAGEMENT_OFFICER), healthwatch)
    before = officer.get(f"/staff/decisions/publish/{activity.pk}/").content.decode()
    assert "agreed to be contacted: 1 of your organisation's." in before
    with django_capture_on_commit_callbacks(execute=False):
        response = officer.post(
            f"/staff/decisions/publish/{activity.pk}/", {"decision": [decision.pk]}, follow=True
        )
    assert "1 person who took part is being emailed about it" in response.content.decode()
    FeedbackMessage.objects.update(
        status=MessageStatus.FAILED, last_error="SMTPRecipientsRefused: mailbox full"
    )
    page = officer.get(f"/staff/decisions/{decision.pk}/").content.decode()
    assert "To your organisation's people: 1 failed." in page
    assert "Oyelaran" in page
    assert "mailbox full" in page
    retried = officer.post(f"/staff/decisions/{decision.pk}/emails/retry/")
    assert retried.status_code == 302
    assert FeedbackMessage.objects.get().status == MessageStatus.QUEUED
    # A board member sees the counts, never who.
    board = client_for(member_of(healthwatch, Role.BOARD_MEMBER), healthwatch)
    theirs = board.get(f"/staff/decisions/{decision.pk}/").content.decode()
    assert "To your organisation's people: 1 waiting." in theirs
    assert "Oyelaran" not in theirs
    # A partner sees them only through disclosure control: one email is too few to show.
    council = OrganisationFactory(name="Castlebridge Council")
    partner = client_for(member_of(council, Role.ENGAGEMENT_OFFICER), council)
    assert (
        "Fewer than 8 emails, to partners' people."
        in partner.get(f"/staff/decisions/{decision.pk}/").content.decode()
    )


def test_the_activity_page_lists_the_decisions_it_informed(client_for, healthwatch):
    activity = ActivityFactory(lead_organisation=healthwatch)
    _decision(activity, published_at=timezone.now())
    board = client_for(member_of(healthwatch, Role.BOARD_MEMBER), healthwatch)
    page = board.get(f"/staff/activities/{activity.pk}/").content.decode()
    assert "Evening appointments at Harrowmere surgery" in page
    assert "(published)" in page
    officer = client_for(member_of(healthwatch, Role.ENGAGEMENT_OFFICER), healthwatch)
    assert (
        "Who from your organisation took part"
        in officer.get(f"/staff/activities/{activity.pk}/").content.decode()
    )


def test_a_theme_is_used_as_evidence_from_the_themes_page_with_its_conversations(client_for, healthwatch):
    framework = framework_built_in()
    theme = Category.objects.filter(framework=framework, parent__isnull=False).first()
    other_theme = (
        Category.objects.filter(framework=framework, parent__isnull=False).exclude(pk=theme.pk).first()
    )
    activity = ActivityFactory(lead_organisation=healthwatch)
    conversations_add(healthwatch, 3, text="Waited weeks for an appointment.", activity=activity)
    conversations_add(healthwatch, 2, text="Parking was impossible.")
    about, elsewhere = (
        list(Conversation.objects.filter(activity=activity)),
        list(Conversation.objects.filter(activity__isnull=True)),
    )
    for c in about:
        PersonLabel.objects.create(conversation=c, category=theme)
        Review.objects.create(conversation=c)
    PersonLabel.objects.create(conversation=elsewhere[0], category=theme)  # outside the filter
    PersonLabel.objects.create(conversation=elsewhere[1], category=other_theme)
    decision = _decision(activity)
    officer = client_for(member_of(healthwatch, Role.ENGAGEMENT_OFFICER), healthwatch)
    page = officer.get(f"/staff/themes/?activity={activity.pk}").content.decode()
    assert "Use a theme as evidence for a decision" in page

    response = officer.post(
        "/staff/decisions/evidence/theme/",
        {"decision": decision.pk, "theme": theme.pk, "activity": activity.pk},
    )
    assert response["Location"] == f"/staff/decisions/{decision.pk}/"
    assert list(decision.themes.all()) == [theme]
    assert {e.conversation_id for e in DecisionEvidence.objects.all()} == {c.pk for c in about}
    # The trail back: the themes page says how many decisions the theme informed.
    again = officer.get(f"/staff/themes/?activity={activity.pk}").content.decode()
    assert "Informed 1 decision" in again


def test_without_access_to_conversations_a_theme_is_linked_alone(client_for, healthwatch):
    theme = Category.objects.filter(framework=framework_built_in(), parent__isnull=False).first()
    conversations_add(healthwatch, 1, text="Waited weeks.")
    PersonLabel.objects.create(conversation=Conversation.objects.get(), category=theme)
    decision = _decision(ActivityFactory(lead_organisation=healthwatch))
    admin = client_for(member_of(healthwatch, Role.PARTNERSHIP_ADMIN), healthwatch)
    admin.post("/staff/decisions/evidence/theme/", {"decision": decision.pk, "theme": theme.pk})
    assert list(decision.themes.all()) == [theme]
    assert not DecisionEvidence.objects.exists()
    # A theme that does not exist is a clear message, and nothing changes.
    response = admin.post(
        "/staff/decisions/evidence/theme/", {"decision": decision.pk, "theme": 999999}, follow=True
    )
    assert "There is no theme with the number 999999." in response.content.decode()


def test_a_theme_for_a_partners_decision_waits_for_its_owner(client_for, healthwatch):
    """Another organisation's decision is changed only by its owner: the theme is a
    proposal until they accept it."""
    council = OrganisationFactory(name="Castlebridge Council")
    theme = Category.objects.filter(framework=framework_built_in(), parent__isnull=False).first()
    decision = _decision(ActivityFactory(lead_organisation=council))
    partner = client_for(member_of(healthwatch, Role.ENGAGEMENT_OFFICER), healthwatch)
    response = partner.post(
        "/staff/decisions/evidence/theme/", {"decision": decision.pk, "theme": theme.pk}, follow=True
    )
    assert "is proposed to them" in response.content.decode()
    assert not decision.themes.exists()
    proposal = ThemeProposal.objects.get()
    # The partner cannot accept its own proposal.
    assert (
        partner.post(
            f"/staff/decisions/{decision.pk}/proposals/{proposal.pk}/", {"answer": "accept"}
        ).status_code
        == 404
    )
    assert not decision.themes.exists()
    owner = client_for(member_of(council, Role.ENGAGEMENT_OFFICER), council)
    page = owner.get(f"/staff/decisions/{decision.pk}/").content.decode()
    assert "Themes partners propose" in page
    assert "Healthwatch" in page
    owner.post(f"/staff/decisions/{decision.pk}/proposals/{proposal.pk}/", {"answer": "accept"})
    assert list(decision.themes.all()) == [theme]
    proposal.refresh_from_db()
    assert proposal.status == "accepted"


def test_a_priority_leads_back_to_the_decisions_the_people_and_their_quoted_words(client_for, healthwatch):
    priority = PriorityFactory(title="Joined-up urgent care")
    activity = ActivityFactory(lead_organisation=healthwatch)
    decision = _decision(activity)
    decision.priorities.add(priority)
    conversations_add(
        healthwatch, 9, text="I waited six hours in A&E with my father, nobody told us anything."
    )
    quoted, waiting = Conversation.objects.order_by("pk")[:2]
    Conversation.objects.filter(pk=waiting.pk).update(
        text="Nobody on the ward told us anything for hours [unquoted]"
    )
    for c in (quoted, waiting):
        quote_consent_grant(
            actor=None,
            organisation=healthwatch,
            conversation_id=c.pk,
            given_on=c.occurred_on,
            method="verbal",
        )
    # Staff approved one person's words, taking some out; the other's still wait.
    quote_decide(
        actor=None,
        organisation=healthwatch,
        conversation_id=quoted.pk,
        approve=True,
        text="I waited six hours in A&E [removed], nobody told us anything.",
    )
    for c in Conversation.objects.all():
        DecisionEvidence.objects.create(decision=decision, conversation=c)
    council = OrganisationFactory(name="Castlebridge Council")
    board = client_for(member_of(council, Role.BOARD_MEMBER), council)
    page = board.get(f"/staff/decisions/?priority={priority.pk}").content.decode()
    assert "Joined-up urgent care: what people said" in page
    assert "1 decision, informed by 10 people" in page
    assert "I waited six hours in A&amp;E [removed], nobody told us anything." in page
    assert "with my father" not in page  # what staff took out
    assert "[unquoted]" not in page  # never words no one has approved
    detail = board.get(f"/staff/decisions/{decision.pk}/").content.decode()
    assert "own words" in detail
    assert "I waited six hours in A&amp;E [removed]" in detail
    assert "[unquoted]" not in detail
