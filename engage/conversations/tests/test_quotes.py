"""Consent to quote that follows the words, and quotes staff approve
(engage/conversations/quotes): the grants and their history, withdrawal for one
conversation or through the person, links to people by hand and at import, what an
edit may and may not do to someone's words, and the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from engage.accounts.tests.factories import member_of
from engage.conversations import services as conversation_services
from engage.conversations.models import Conversation, Quote, QuoteConsent, QuoteStatus
from engage.conversations.quotes import selectors, services
from engage.conversations.tests.factories import ConversationFactory
from engage.conversations.tests.test_import import HEADINGS, run, survey_rows
from engage.core.errors import DomainError, InvalidInput, NotFound
from engage.core.models import AuditEvent
from engage.core.roles import Role
from engage.partners import services as partners
from engage.partners.models import ConsentPurpose
from engage.partners.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

SAID = "The nurse was kind to Dr Patel, ring me on 07700 900461 about the parking"


def consented(organisation, text: str = SAID, **fields) -> Conversation:
    """A conversation with consent to quote, granted as staff would record it."""
    conversation = ConversationFactory(organisation=organisation, text=text, consent_to_quote=False, **fields)
    services.quote_consent_grant(
        actor=None,
        organisation=organisation,
        conversation_id=conversation.pk,
        given_on=dt.date(2026, 3, 1),
        method="verbal",
    )
    conversation.refresh_from_db()
    return conversation


# --- Grants -----------------------------------------------------------------------------


def test_a_grant_records_date_method_and_source_and_the_words_then_wait(organisation):
    conversation = consented(organisation)
    (grant,) = selectors.quote_consent_history(conversation=conversation)
    assert (grant.given_on, grant.method, grant.source, grant.withdrawn_on) == (
        dt.date(2026, 3, 1),
        "verbal",
        "staff",
        None,
    )
    assert conversation.consent_to_quote
    assert list(selectors.quotes_waiting(organisation)) == [conversation]
    assert selectors.published_quotes([conversation.pk]) == {}  # no one has approved them
    assert AuditEvent.objects.filter(subject_type="conversation", action="consent_granted").count() == 1


@pytest.mark.parametrize(
    ("given_on", "method", "field"),
    [
        (dt.date(2099, 1, 1), "verbal", "given_on"),
        (dt.date(2026, 3, 1), "carrier_pigeon", "method"),
    ],
)
def test_a_grant_in_the_future_or_by_no_known_method_is_refused(organisation, given_on, method, field):
    conversation = ConversationFactory(organisation=organisation, consent_to_quote=False)
    with pytest.raises(InvalidInput) as refused:
        services.quote_consent_grant(
            actor=None,
            organisation=organisation,
            conversation_id=conversation.pk,
            given_on=given_on,
            method=method,
        )
    assert field in refused.value.errors
    assert not QuoteConsent.objects.exists()
    conversation.refresh_from_db()
    assert not conversation.consent_to_quote


def test_a_second_standing_grant_is_refused_and_another_organisations_conversation_is_not_found(organisation):
    conversation = consented(organisation)
    with pytest.raises(DomainError, match="already recorded"):
        services.quote_consent_grant(
            actor=None,
            organisation=organisation,
            conversation_id=conversation.pk,
            given_on=dt.date(2026, 3, 2),
            method="email",
        )
    council = OrganisationFactory(name="Castlebridge Council")
    with pytest.raises(NotFound):
        services.quote_consent_grant(
            actor=None,
            organisation=council,
            conversation_id=conversation.pk,
            given_on=dt.date(2026, 3, 2),
            method="email",
        )
    assert QuoteConsent.objects.count() == 1


def test_recording_by_hand_and_by_the_public_form_grants_with_their_source(organisation):
    by_hand = conversation_services.conversation_record(
        actor=None,
        organisation=organisation,
        text="Lovely staff at the walk-in centre",
        channel="event",
        occurred_on=dt.date(2026, 3, 4),
        consent_to_quote=True,
    )
    online = conversation_services.conversation_record(
        actor=None,
        organisation=organisation,
        text="The website was hard to use",
        channel="web_form",
        occurred_on=timezone.localdate(),
        consent_to_quote=True,
        consent_source="form",
        consent_method="online_form",
    )
    refused = conversation_services.conversation_record(
        actor=None,
        organisation=organisation,
        text="Please do not quote me",
        channel="event",
        occurred_on=dt.date(2026, 3, 4),
    )
    assert QuoteConsent.objects.get(conversation=by_hand).source == "staff"
    assert QuoteConsent.objects.get(conversation=by_hand).given_on == dt.date(2026, 3, 4)
    assert (
        QuoteConsent.objects.get(conversation=online).source,
        QuoteConsent.objects.get(conversation=online).method,
    ) == (
        "form",
        "online_form",
    )
    assert not QuoteConsent.objects.filter(conversation=refused).exists()


# --- Withdrawal -------------------------------------------------------------------------


def test_withdrawing_closes_the_grant_deletes_the_quote_and_keeps_the_history(organisation):
    conversation = consented(organisation)
    services.quote_decide(
        actor=None, organisation=organisation, conversation_id=conversation.pk, approve=True
    )
    assert selectors.published_quotes([conversation.pk])
    services.quote_consent_withdraw(
        actor=None,
        organisation=organisation,
        conversation_id=conversation.pk,
        withdrawn_on=dt.date(2026, 3, 5),
        method="phone",
        reason="Rang the office",
    )
    conversation.refresh_from_db()
    assert not conversation.consent_to_quote
    assert not Quote.objects.exists()
    (grant,) = selectors.quote_consent_history(conversation=conversation)
    assert (grant.withdrawn_on, grant.withdrawal_method) == (dt.date(2026, 3, 5), "phone")
    # Given again later: a new grant, and the words wait for approval again.
    services.quote_consent_grant(
        actor=None,
        organisation=organisation,
        conversation_id=conversation.pk,
        given_on=dt.date(2026, 3, 9),
        method="email",
    )
    assert len(selectors.quote_consent_history(conversation=conversation)) == 2
    assert selectors.published_quotes([conversation.pk]) == {}


def test_withdrawal_before_it_was_given_or_where_none_stands_is_refused(organisation):
    conversation = consented(organisation)
    with pytest.raises(InvalidInput) as refused:
        services.quote_consent_withdraw(
            actor=None,
            organisation=organisation,
            conversation_id=conversation.pk,
            withdrawn_on=dt.date(2026, 2, 1),
            method="phone",
        )
    assert "withdrawn_on" in refused.value.errors
    unconsented = ConversationFactory(organisation=organisation, consent_to_quote=False)
    with pytest.raises(DomainError, match="no consent"):
        services.quote_consent_withdraw(
            actor=None,
            organisation=organisation,
            conversation_id=unconsented.pk,
            withdrawn_on=dt.date(2026, 3, 5),
            method="phone",
        )


def test_a_persons_withdrawal_reaches_every_conversation_of_theirs_and_no_one_elses(organisation):
    person = PersonFactory(organisation=organisation, email="sam@example.org")
    theirs = [consented(organisation, f"{SAID} ({n})") for n in range(3)]
    someone_else = consented(organisation, "The porter was kind to my mother")
    for conversation in theirs:
        services.conversation_person_link(
            actor=None, organisation=organisation, conversation_id=conversation.pk, email="SAM@example.org"
        )
        services.quote_decide(
            actor=None, organisation=organisation, conversation_id=conversation.pk, approve=True
        )
    services.quote_decide(
        actor=None, organisation=organisation, conversation_id=someone_else.pk, approve=True
    )
    partners.consent_grant(
        actor=None,
        organisation=organisation,
        person_id=person.pk,
        purpose=ConsentPurpose.QUOTE,
        given_on=dt.date(2026, 1, 1),
        method="paper_form",
    )
    partners.consent_withdraw(
        actor=None,
        organisation=organisation,
        person_id=person.pk,
        purpose=ConsentPurpose.QUOTE,
        withdrawn_on=dt.date(2026, 3, 10),
        method="email",
    )
    assert list(Quote.objects.values_list("conversation_id", flat=True)) == [someone_else.pk]
    assert not Conversation.objects.filter(pk__in=[c.pk for c in theirs], consent_to_quote=True).exists()
    assert set(
        QuoteConsent.objects.filter(conversation__in=theirs).values_list("withdrawn_on", flat=True)
    ) == {dt.date(2026, 3, 10)}
    # Linked later, a conversation of theirs loses its consent too: their choice stands.
    later = consented(organisation, "Another visit, the parking was full again")
    services.conversation_person_link(
        actor=None, organisation=organisation, conversation_id=later.pk, email=person.email
    )
    later.refresh_from_db()
    assert not later.consent_to_quote
    # Withdrawing consent to contact them touches no quote.
    partners.consent_grant(
        actor=None,
        organisation=organisation,
        person_id=person.pk,
        purpose=ConsentPurpose.CONTACT,
        given_on=dt.date(2026, 1, 1),
        method="paper_form",
    )
    partners.consent_withdraw(
        actor=None,
        organisation=organisation,
        person_id=person.pk,
        purpose=ConsentPurpose.CONTACT,
        withdrawn_on=dt.date(2026, 3, 11),
        method="email",
    )
    assert Quote.objects.filter(conversation=someone_else).exists()


def test_erasing_a_person_and_keeping_their_words_unlinks_and_redacts_them(organisation):
    person = PersonFactory(organisation=organisation, email="sam@example.org")
    conversation = consented(organisation)
    Conversation.objects.filter(pk=conversation.pk).update(respondent_reference="sam@example.org")
    services.conversation_person_link(
        actor=None, organisation=organisation, conversation_id=conversation.pk, email=person.email
    )
    services.quote_decide(
        actor=None, organisation=organisation, conversation_id=conversation.pk, approve=True
    )
    partners.person_erase(
        actor=None,
        organisation=organisation,
        person_id=person.pk,
        reason="They asked.",
        words="keep_redacted",
    )
    conversation.refresh_from_db()
    assert conversation.person_id is None
    assert conversation.respondent_reference == ""
    assert conversation.text == "The nurse was kind to [name], ring me on [phone number] about the parking"
    assert not conversation.consent_to_quote
    assert not Quote.objects.exists()
    event = AuditEvent.objects.get(subject_type="person", action="deleted")
    assert event.summary.endswith("kept, unlinked, with personal details taken out.")


def test_erasing_a_person_and_deleting_their_words_leaves_the_rest(organisation):
    person = PersonFactory(organisation=organisation, email="sam@example.org")
    theirs = consented(organisation)
    someone_else = consented(organisation, "The porter was kind to my mother")
    services.conversation_person_link(
        actor=None, organisation=organisation, conversation_id=theirs.pk, email=person.email
    )
    partners.person_erase(
        actor=None, organisation=organisation, person_id=person.pk, reason="They asked.", words="delete"
    )
    assert list(Conversation.objects.values_list("pk", flat=True)) == [someone_else.pk]
    with pytest.raises(InvalidInput):
        partners.person_erase(
            actor=None,
            organisation=organisation,
            person_id=PersonFactory(organisation=organisation).pk,
            reason="x",
            words="shred",
        )


# --- Linking to a person ----------------------------------------------------------------


def test_linking_needs_exactly_one_of_the_organisations_people_with_that_email(organisation):
    conversation = ConversationFactory(organisation=organisation)
    council = OrganisationFactory(name="Castlebridge Council")
    PersonFactory(organisation=council, email="theirs@example.org")
    PersonFactory(organisation=organisation, email="twin@example.org")
    PersonFactory(organisation=organisation, email="Twin@example.org")
    for email, says in (("theirs@example.org", "No one"), ("twin@example.org", "More than one")):
        with pytest.raises(InvalidInput) as refused:
            services.conversation_person_link(
                actor=None, organisation=organisation, conversation_id=conversation.pk, email=email
            )
        assert refused.value.errors["email"].startswith(says)
    conversation.refresh_from_db()
    assert conversation.person_id is None


def test_an_import_links_people_by_email_and_grants_consent_from_the_file(organisation, write_csv):
    sam = PersonFactory(organisation=organisation, email="sam@example.org")
    PersonFactory(organisation=organisation, email="twin@example.org")
    PersonFactory(organisation=organisation, email="TWIN@example.org")
    PersonFactory(organisation=OrganisationFactory(), email="elsewhere@example.org")
    rows = survey_rows(4)
    rows[0][0] = "Sam@Example.org"
    rows[1][0] = "twin@example.org"  # two people share it: linked to neither
    rows[2][0] = "elsewhere@example.org"  # another organisation's person
    rows[3][5] = "no"
    job = run(organisation, write_csv([HEADINGS, *rows]))
    assert job.linked == 1
    linked = Conversation.objects.get(person=sam)
    assert linked.respondent_reference == "Sam@Example.org"
    grants = QuoteConsent.objects.filter(conversation__import_job=job)
    assert grants.count() == 3
    assert {g.source for g in grants} == {"import"}
    assert {g.given_on for g in grants} == {dt.date(2025, 3, 15)}
    assert all(g.source_detail == f"Import of {job.file_name}" for g in grants)


# --- What an approval may say -----------------------------------------------------------


def test_the_candidate_is_redacted_and_its_pieces_say_what_was_taken_out(organisation):
    candidate = services.candidate_text(SAID)
    assert "07700" not in candidate
    assert "[phone number]" in candidate
    kinds = [piece.kind for piece in selectors.quote_segments(candidate) if piece.kind]
    assert "phone" in kinds


@pytest.mark.parametrize(
    ("edited", "problem"),
    [
        ("The nurse was rude", '"rude" is not in what the person said'),
        ("The nurse [secret] was kind", "[secret] is not one of the markers"),
        ("   ", "The quote is empty"),
        ("The nurse was kind kind kind", '"kind" is not in what the person said'),
    ],
)
def test_an_edit_may_only_take_words_out(organisation, edited, problem):
    conversation = consented(organisation)
    with pytest.raises(InvalidInput) as refused:
        services.quote_decide(
            actor=None, organisation=organisation, conversation_id=conversation.pk, approve=True, text=edited
        )
    assert problem in refused.value.errors["text"]
    assert not Quote.objects.exists()


def test_an_approval_with_more_taken_out_is_what_is_published(organisation):
    conversation = consented(organisation)
    quote = services.quote_decide(
        actor=None,
        organisation=organisation,
        conversation_id=conversation.pk,
        approve=True,
        text="The nurse was kind to [name], ring me on [removed] about the parking",
    )
    assert quote.status == QuoteStatus.APPROVED
    assert selectors.published_quotes([conversation.pk]) == {
        conversation.pk: "The nurse was kind to [name], ring me on [removed] about the parking"
    }
    # Rejected, then taken back: it waits again and is quoted nowhere.
    services.quote_decide(
        actor=None, organisation=organisation, conversation_id=conversation.pk, approve=False
    )
    assert selectors.published_quotes([conversation.pk]) == {}
    services.quote_decision_undo(actor=None, organisation=organisation, conversation_id=conversation.pk)
    assert list(selectors.quotes_waiting(organisation)) == [conversation]


def test_words_without_consent_cannot_be_approved(organisation):
    conversation = ConversationFactory(organisation=organisation, consent_to_quote=False)
    with pytest.raises(DomainError, match="not agreed"):
        services.quote_decide(
            actor=None, organisation=organisation, conversation_id=conversation.pk, approve=True
        )


def test_many_decided_at_once_are_as_if_decided_one_at_a_time(organisation):
    one_by_one = [consented(organisation), consented(organisation, "The porter was kind to my mother")]
    together = [consented(organisation), consented(organisation, "The porter was kind to my mother")]
    for conversation, approve in zip(one_by_one, (True, False), strict=True):
        services.quote_decide(
            actor=None, organisation=organisation, conversation_id=conversation.pk, approve=approve
        )
    # One decided already: deciding it again replaces that decision, as quote_decide does.
    services.quote_decide(actor=None, organisation=organisation, conversation_id=together[1].pk, approve=True)
    decided = services.quotes_decide(
        actor=None, organisation=organisation, approvals={together[0].pk: True, together[1].pk: False}
    )
    assert decided == 2

    def what(conversations):
        return [
            Quote.objects.values_list("status", "text", "decided_by").get(conversation=c)
            for c in conversations
        ]

    assert what(together) == what(one_by_one)
    assert selectors.published_quotes([c.pk for c in together]) == {
        together[0].pk: "The nurse was kind to [name], ring me on [phone number] about the parking"
    }
    # Audited as one event for those approved and one for those rejected, naming each.
    approved, rejected = AuditEvent.objects.filter(summary__contains=": 1 conversation").order_by("pk")
    assert approved.summary == "Approved quotes: 1 conversation."
    assert approved.subject_id == str(together[0].pk)
    assert rejected.summary == "Rejected quoting: 1 conversation."
    assert rejected.subject_id == str(together[1].pk)
    assert services.quotes_decide(actor=None, organisation=organisation, approvals={}) == 0


def test_many_decided_at_once_stop_on_any_that_may_not_be_and_change_nothing(organisation):
    mine = consented(organisation)
    unconsented = ConversationFactory(organisation=organisation, consent_to_quote=False)
    theirs = consented(OrganisationFactory())
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError, match="not agreed"):
        services.quotes_decide(
            actor=None, organisation=organisation, approvals={mine.pk: True, unconsented.pk: False}
        )
    with pytest.raises(NotFound):
        services.quotes_decide(
            actor=None, organisation=organisation, approvals={mine.pk: True, theirs.pk: True}
        )
    assert not Quote.objects.exists()
    assert AuditEvent.objects.count() == events


# --- Pages ------------------------------------------------------------------------------


@pytest.fixture
def officer(client_for, organisation):
    return client_for(member_of(organisation, Role.ENGAGEMENT_OFFICER), organisation)


def test_the_quotes_page_highlights_each_redaction_and_records_the_listing(officer, organisation):
    conversation = consented(organisation)
    page = officer.get("/staff/quotes/").content.decode()
    assert '<mark class="engage-redaction" title="Taken out: phone">[phone number]' in page
    assert "07700 900461" not in page
    assert "1 quote waits for a decision" in page
    assert AuditEvent.objects.filter(
        action="listed", subject_type="conversation", subject_id=str(conversation.pk)
    ).exists()


def test_approving_and_rejecting_from_the_page(officer, organisation):
    first, second = consented(organisation), consented(organisation, "The café food was cold and expensive")
    assert officer.post(f"/staff/quotes/{first.pk}/decide/", {"decision": "approve"}).status_code == 302
    assert officer.post(f"/staff/quotes/{second.pk}/decide/", {"decision": "reject"}).status_code == 302
    assert dict(Quote.objects.values_list("conversation_id", "status")) == {
        first.pk: "approved",
        second.pk: "rejected",
    }
    decided = officer.get("/staff/quotes/decided/").content.decode()
    assert "Approved" in decided
    assert "Rejected" in decided
    assert officer.post(f"/staff/quotes/{first.pk}/undo/").status_code == 302
    assert not Quote.objects.filter(conversation=first).exists()


def test_an_edit_that_adds_words_is_shown_again_with_the_words_kept(officer, organisation):
    conversation = consented(organisation)
    response = officer.post(f"/staff/quotes/{conversation.pk}/", {"text": "The nurse was wonderful"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "&#34;wonderful&#34; is not in what the person said" in page
    assert "The nurse was wonderful</textarea>" in page
    assert not Quote.objects.exists()


def test_another_organisations_words_are_neither_listed_nor_decided(client_for, organisation):
    conversation = consented(organisation)
    council = OrganisationFactory(name="Castlebridge Council")
    theirs = client_for(member_of(council, Role.ENGAGEMENT_OFFICER), council)
    assert "ring me on" not in theirs.get("/staff/quotes/").content.decode()
    assert theirs.post(f"/staff/quotes/{conversation.pk}/decide/", {"decision": "approve"}).status_code == 404
    assert theirs.get(f"/staff/quotes/{conversation.pk}/").status_code == 404
    analyst = client_for(member_of(organisation, Role.ANALYST), organisation)
    assert analyst.get("/staff/quotes/").status_code == 403
    assert not Quote.objects.exists()


def test_the_conversation_page_shows_consent_history_and_records_a_withdrawal(officer, organisation):
    conversation = consented(organisation)
    page = officer.get(f"/staff/conversations/{conversation.pk}/").content.decode()
    assert "Consent to quote, newest first" in page
    assert "Withdraw consent to quote" in page
    response = officer.post(
        f"/staff/conversations/{conversation.pk}/quote-consent/withdraw/",
        {"method": "phone", "reason": "Rang"},
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert not conversation.consent_to_quote
    assert (
        "Record consent to quote, given today"
        in officer.get(f"/staff/conversations/{conversation.pk}/").content.decode()
    )
