"""Correcting a conversation, taking a passage out by hand, and deleting it: staff of the
organisation that heard it, each with a reason, audited; the analysis follows and an
approved quote of words that changed is taken down."""

from __future__ import annotations

import datetime as dt

import pytest

from engage.accounts.tests.factories import member_of
from engage.conversations import services
from engage.conversations.models import Conversation, Quote, QuoteConsent
from engage.conversations.quotes import services as quotes
from engage.conversations.tests.factories import ConversationFactory
from engage.core.errors import DomainError, InvalidInput, NotFound
from engage.core.models import AuditEvent
from engage.core.roles import Role
from engage.insight.models import AnalysisRun
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SAID = "The receptionist Brunhilda was rude and the wait was two hours"


@pytest.fixture
def quoted(organisation):
    conversation = ConversationFactory(organisation=organisation, text=SAID, rating=2)
    quotes.quote_decide(actor=None, organisation=organisation, conversation_id=conversation.pk, approve=True)
    return conversation


def test_a_correction_changes_only_what_changed_with_its_reason_and_analysis_follows(
    organisation, quoted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_correct(
            actor=None,
            organisation=organisation,
            conversation_id=quoted.pk,
            reason="Typed wrongly at the event",
            changes={"text": SAID.replace("two", "three"), "rating": 2, "age_band": "65-74"},
        )
    quoted.refresh_from_db()
    assert "three hours" in quoted.text
    assert quoted.age_band == "65-74"
    event = AuditEvent.objects.get(subject_id=str(quoted.pk), summary__startswith="Corrected")
    assert event.reason == "Typed wrongly at the event"
    assert event.summary == "Corrected the conversation: age band, text."  # the rating was already 2
    assert not Quote.objects.exists()  # the words approved are not these
    assert AnalysisRun.objects.filter(status="queued").count() == 1


def test_a_correction_of_the_details_alone_keeps_the_quote(organisation, quoted):
    services.conversation_correct(
        actor=None,
        organisation=organisation,
        conversation_id=quoted.pk,
        reason="Asked",
        changes={"carer": "Yes"},
    )
    assert Quote.objects.filter(conversation=quoted).exists()


@pytest.mark.parametrize(
    ("changes", "reason", "field"),
    [
        ({"text": "   "}, "Typo", "text"),
        ({"rating": 11}, "Typo", "rating"),
        ({"channel": "carrier_pigeon"}, "Typo", "channel"),
        ({"text": "Fine"}, "  ", "reason"),
        ({"organisation": 3}, "Typo", "organisation"),
    ],
)
def test_a_bad_correction_names_the_field_and_changes_nothing(organisation, quoted, changes, reason, field):
    with pytest.raises(InvalidInput) as refused:
        services.conversation_correct(
            actor=None, organisation=organisation, conversation_id=quoted.pk, reason=reason, changes=changes
        )
    assert field in refused.value.errors
    assert Conversation.objects.get(pk=quoted.pk).text == SAID
    assert Quote.objects.filter(conversation=quoted).exists()


def test_a_correction_that_changes_nothing_says_so(organisation, quoted):
    with pytest.raises(DomainError, match="Nothing was changed"):
        services.conversation_correct(
            actor=None,
            organisation=organisation,
            conversation_id=quoted.pk,
            reason="x",
            changes={"text": SAID},
        )


def test_a_passage_taken_out_by_hand_leaves_removed_everywhere_it_was(organisation, quoted):
    services.conversation_passage_remove(
        actor=None,
        organisation=organisation,
        conversation_id=quoted.pk,
        passage="Brunhilda",
        reason="Names a member of staff",
    )
    quoted.refresh_from_db()
    assert quoted.text == "The receptionist [removed] was rude and the wait was two hours"
    assert not Quote.objects.exists()
    with pytest.raises(InvalidInput) as refused:
        services.conversation_passage_remove(
            actor=None, organisation=organisation, conversation_id=quoted.pk, passage="Gertrude", reason="x"
        )
    assert "not in the conversation" in refused.value.errors["passage"]


def test_deleting_takes_everything_hanging_on_it_and_keeps_only_that_it_happened(organisation, quoted):
    assert QuoteConsent.objects.filter(conversation=quoted).exists() or quoted.consent_to_quote
    services.conversation_delete(
        actor=None, organisation=organisation, conversation_id=quoted.pk, reason="The person asked us to"
    )
    assert not Conversation.objects.filter(pk=quoted.pk).exists()
    assert not Quote.objects.exists()
    event = AuditEvent.objects.get(action="deleted", subject_type="conversation")
    assert (event.summary, event.reason) == ("Deleted a conversation.", "The person asked us to")
    assert SAID not in event.summary


def test_another_organisation_can_neither_correct_nor_delete(organisation, quoted):
    council = OrganisationFactory(name="Castlebridge Council")
    with pytest.raises(NotFound):
        services.conversation_correct(
            actor=None, organisation=council, conversation_id=quoted.pk, reason="x", changes={"text": "Other"}
        )
    with pytest.raises(NotFound):
        services.conversation_delete(actor=None, organisation=council, conversation_id=quoted.pk, reason="x")
    assert Conversation.objects.get(pk=quoted.pk).text == SAID


def test_the_pages_correct_take_out_and_delete(client_for, organisation, quoted):
    officer = client_for(member_of(organisation, Role.ENGAGEMENT_OFFICER), organisation)
    page = officer.get(f"/staff/conversations/{quoted.pk}/correct/")
    assert page.status_code == 200
    assert SAID in page.content.decode()
    form = {
        "correct": "1",
        "correct-text": SAID,
        "correct-question": "",
        "correct-channel": "survey",
        "correct-occurred_on_day": "1",
        "correct-occurred_on_month": "3",
        "correct-occurred_on_year": "2026",
        "correct-rating": "4",
        "correct-age_band": "",
        "correct-sex": "",
        "correct-ethnic_group": "",
        "correct-disability": "",
        "correct-carer": "",
        "correct-reason": "",
    }
    refused = officer.post(f"/staff/conversations/{quoted.pk}/correct/", form)
    assert refused.status_code == 400
    assert "Say why, for the audit trail." in refused.content.decode()
    assert (
        officer.post(
            f"/staff/conversations/{quoted.pk}/correct/", {**form, "correct-reason": "The person rang"}
        ).status_code
        == 302
    )
    assert Conversation.objects.get(pk=quoted.pk).rating == 4
    taken = officer.post(
        f"/staff/conversations/{quoted.pk}/correct/",
        {"passage": "1", "passage-passage": "Brunhilda", "passage-passage_reason": "Names staff"},
    )
    assert taken.status_code == 302
    assert "Brunhilda" not in Conversation.objects.get(pk=quoted.pk).text
    assert officer.post(f"/staff/conversations/{quoted.pk}/delete/", {"reason": ""}).status_code == 400
    assert officer.post(f"/staff/conversations/{quoted.pk}/delete/", {"reason": "Asked"}).status_code == 302
    assert not Conversation.objects.filter(pk=quoted.pk).exists()
    analyst = client_for(member_of(organisation, Role.ANALYST), organisation)
    assert analyst.get(f"/staff/conversations/{quoted.pk}/delete/").status_code in (403, 404)


def test_the_date_is_checked_too(organisation, quoted):
    with pytest.raises(InvalidInput):
        services.conversation_correct(
            actor=None,
            organisation=organisation,
            conversation_id=quoted.pk,
            reason="x",
            changes={"occurred_on": dt.date(1800, 1, 1)},
        )
