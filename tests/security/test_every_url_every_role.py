"""No partner sees another's personal data, through any URL the project serves.

This test walks every URL pattern in the URLconf, so a new page or API endpoint joins
it automatically. Each URL is requested, with the identifiers of organisation B's
records filled in, by an anonymous visitor and by a user of organisation A in every
role. It proves that:

- nothing of B's people (names, emails, phone numbers, postcodes, notes) appears in any
  response to A's users or to the public;
- a URL naming one of B's personal records answers 404 (or 403, or a sign-in redirect
  for the anonymous visitor), never the record;
- a POST to any URL, with plausible form data aimed at B's records, changes nothing of B's;
- pages a role is not permitted to use are refused.

A URL with a parameter this test does not know how to fill fails the test, so a new
kind of record must be added to `fill_parameters` deliberately.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from engage.accounts.middleware import SESSION_KEY
from engage.accounts.models import Membership, User
from engage.accounts.tests.factories import member_of, sign_in_as
from engage.accounts.tokens.services import token_create
from engage.activities.models import Activity, OverlapReview, Screening
from engage.activities.tests.factories import ActivityFactory, PriorityFactory
from engage.conversations.models import Channel, Conversation, ImportJob, ImportRejection, ImportStatus
from engage.core.roles import ROLE_PERMISSIONS, Role
from engage.decisions.models import (
    Decision,
    DecisionEvidence,
    FeedbackMessage,
    FeedbackOptOut,
    MessageStatus,
    Participation,
    ThemeProposal,
)
from engage.insight.framework_services import framework_built_in
from engage.insight.models import AnalysisRun, Category, ConversationInsight, DiscoveredGroup, ThemeDiscovery
from engage.partners.models import (
    Consent,
    GroupKind,
    GroupMembership,
    Organisation,
    OrganisationKind,
    Person,
    PersonRole,
)
from engage.partners.tests.factories import (
    ConsentFactory,
    GroupFactory,
    GroupMembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PersonRoleFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class Partner:
    organisation: Organisation
    person: Person
    group: Any
    users: dict[str, User]
    secrets: list[str]
    staff_secrets: list[str]
    activity: Any
    priority: Any
    screening: Any
    conversation: Any
    import_job: Any
    discovery: Any
    theme_group: Any
    decision: Any
    proposal: Any
    token: Any


def make_partner(label: str, kind: str) -> Partner:
    framework_built_in()
    organisation = OrganisationFactory(name=f"Organisation {label}", kind=kind)
    person = PersonFactory(
        organisation=organisation,
        given_name=f"Zebedee{label}",
        family_name=f"Quartermaine{label}",
        email=f"zebedee.{label.lower()}@example.org",
        phone=f"07700 90{ord(label):04d}",
        postcode=f"ZZ{ord(label) % 10} 9{label}Q",
        notes=f"Private note about {label} that only its organisation may read",
    )
    group = GroupFactory(organisation=organisation, name=f"Carers' circle {label}", kind=GroupKind.CARERS)
    GroupMembershipFactory(group=group, person=person)
    PersonRoleFactory(person=person)
    ConsentFactory(person=person)
    users = {
        role: member_of(organisation, role, email=f"{role}.{label.lower()}@partner.example.org")
        for role in Role.values
    }
    officer = users[Role.ENGAGEMENT_OFFICER]
    officer.email = f"contact.{label.lower()}@partner-{label.lower()}.example.org"
    officer.save()
    priority = PriorityFactory(title=f"Priority of {label}")
    activity = ActivityFactory(lead_organisation=organisation, contact=officer, priorities=[priority])
    screening = Screening.objects.create(
        title=f"Screening by {label}",
        organisation=organisation,
        answers={},
        recommendation={},
        rules_version="test",
    )
    import_job = ImportJob.objects.create(
        organisation=organisation,
        file_name=f"survey-{label.lower()}-export.csv",
        stored_path="/nonexistent",
        file_sha256="0" * 64,
        mapping={"text": "Comment"},
        status=ImportStatus.SUCCEEDED,
    )
    ImportRejection.objects.create(
        job=import_job, line=7, column="Comment", reason=f"Rejected row of {label}"
    )
    conversation = Conversation.objects.create(
        organisation=organisation,
        channel=Channel.SURVEY,
        occurred_on=date(2026, 3, 1),
        dedupe_key=f"walk-{label}",
        text=f"Confidential comment from {label}: the receptionist Quillon{label} was rude",
        respondent_reference=f"RESP-{label}-0042",
        import_job=import_job,
    )
    # A discovery of new themes shows the redacted text of the organisation's conversations.
    ConversationInsight.objects.create(
        conversation=conversation,
        redacted_text=f"Redacted words heard by {label} alone",
        sentiment="negative",
        text_hash="0" * 64,
        analysed_at=timezone.now(),
    )
    discovery = ThemeDiscovery.objects.create(
        organisation=organisation, described_as=f"Discovery of {label}", conversation_ids=[conversation.pk]
    )
    theme_group = DiscoveredGroup.objects.create(
        discovery=discovery, keywords=["receptionist"], member_ids=[conversation.pk], size=1
    )
    # A decision whose evidence is the conversation: others see the decision, never it.
    decision = Decision.objects.create(
        organisation=organisation,
        title=f"Decision of {label}",
        summary="Kinder reception.",
        decided_by="board",
        decided_by_name="The board",
        activity=activity,
        published_at=timezone.now(),
    )
    DecisionEvidence.objects.create(decision=decision, conversation=conversation)
    # A theme proposed for the decision (by its own organisation, for the walk's sake).
    proposal = ThemeProposal.objects.create(
        decision=decision,
        category=Category.objects.filter(parent__isnull=False).first(),
        organisation=organisation,
    )
    # A personal access token of the officer's, for a script.
    token = token_create(
        actor=officer, organisation=organisation, name=f"Script of {label}", access="read", days=30
    ).token
    # The person took part in the activity and was emailed about the decision.
    Participation.objects.create(activity=activity, person=person)
    FeedbackMessage.objects.create(
        decision=decision, person=person, status=MessageStatus.FAILED, last_error=f"Mailbox of {label} full"
    )
    secrets = [
        person.given_name,
        person.family_name,
        person.email,
        person.phone,
        person.postcode,
        person.notes,
        f"Quillon{label}",
        f"RESP-{label}-0042",
        f"survey-{label.lower()}-export.csv",
        f"Rejected row of {label}",
        f"Redacted words heard by {label} alone",
        f"Discovery of {label}",
        f"Mailbox of {label} full",
    ]
    # A member of staff named as an activity's contact stays with their organisation;
    # only partnership administrators, who manage every partner's accounts, see them.
    staff_secrets = [officer.email, f"Script of {label}"]
    return Partner(
        organisation,
        person,
        group,
        users,
        secrets,
        staff_secrets,
        activity,
        priority,
        screening,
        conversation,
        import_job,
        discovery,
        theme_group,
        decision,
        proposal,
        token,
    )


@pytest.fixture
def partners() -> tuple[Partner, Partner]:
    return make_partner("A", OrganisationKind.ICB), make_partner("B", OrganisationKind.HEALTHWATCH)


def every_pattern(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> list[tuple[str, str]]:
    """(route, view name) for every URL pattern, with its include prefixes."""
    resolver = resolver or get_resolver()
    found: list[tuple[str, str]] = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.extend(every_pattern(entry, route, ns))
        elif isinstance(entry, URLPattern):
            found.append((route, f"{namespace}{entry.name}"))
    return found


def fill_parameters(route: str, other: Partner) -> tuple[str, bool]:
    """The route with each parameter set to one of B's records; and whether it names
    one of B's personal records."""
    membership = Membership.objects.filter(user=other.users[Role.ENGAGEMENT_OFFICER]).first()
    assert membership is not None
    # An analysis covers the whole bank and reports counts only, so it belongs to no partner.
    run = AnalysisRun.objects.first() or AnalysisRun.objects.create(rows_total=2)
    values = {
        "<id:run_id>": (run.pk, False),
        "<id:person_id>": (other.person.pk, True),
        "<id:activity_id>": (other.activity.pk, False),
        "<id:other_id>": (other.activity.pk, False),
        "<id:priority_id>": (other.priority.pk, False),
        "<id:screening_id>": (other.screening.pk, False),
        "<id:conversation_id>": (other.conversation.pk, True),
        "<id:job_id>": (other.import_job.pk, True),
        "<id:discovery_id>": (other.discovery.pk, True),
        "<id:theme_group_id>": (other.theme_group.pk, True),
        "<id:decision_id>": (other.decision.pk, False),
        "<id:group_id>": (other.group.pk, False),
        "<id:user_id>": (other.users[Role.ENGAGEMENT_OFFICER].pk, False),
        "<id:membership_id>": (membership.pk, False),
        "<id:organisation_id>": (other.organisation.pk, False),
        "<id:proposal_id>": (other.proposal.pk, False),
        "<slug:prefix>": (other.token.prefix, False),
        # A link from an email to choose a password: a made-up token for B's officer.
        "<uidb64>": (urlsafe_base64_encode(force_bytes(other.users[Role.ENGAGEMENT_OFFICER].pk)), False),
        "<token>": ("forged-token", False),
        "<str:purpose>": ("contact", False),
        "<str:file_format>": ("csv", False),
        # A stop-emails link is its own authority (whoever holds a real one may use it),
        # so the walk tries a forged one.
        "<str:token>": (f"{other.person.pk}:forged", False),
    }
    names_personal_record = False
    for token, (value, personal) in values.items():
        if token in route:
            route = route.replace(token, str(value))
            names_personal_record |= personal
    assert "<" not in route, f"Teach this test how to fill the parameters of {route!r}."
    return "/" + route.replace("^", "").replace("$", ""), names_personal_record


def snapshot(partner: Partner, *, with_staff: bool = True) -> str:
    """A fingerprint of everything personal that partner B holds and, unless the caller
    is a partnership administrator (who manages every partner's staff accounts by
    design), of its staff accounts and their roles."""
    org = partner.organisation
    parts: list[object] = [
        list(Person.objects.for_organisation(org).order_by("pk").values()),
        list(Consent.objects.for_organisation(org).order_by("pk").values()),
        list(PersonRole.objects.for_organisation(org).order_by("pk").values()),
        list(GroupMembership.objects.for_organisation(org).order_by("pk").values()),
        list(Activity.objects.filter(lead_organisation=org).order_by("pk").values()),
        list(OverlapReview.objects.filter(activity__lead_organisation=org).order_by("pk").values()),
        list(Conversation.objects.for_organisation(org).order_by("pk").values()),
        list(ImportJob.objects.for_organisation(org).order_by("pk").values()),
        list(ThemeDiscovery.objects.for_organisation(org).order_by("pk").values()),
        list(DiscoveredGroup.objects.for_organisation(org).order_by("pk").values()),
        list(Decision.objects.filter(organisation=org).order_by("pk").values()),
        list(DecisionEvidence.objects.for_organisation(org).order_by("pk").values()),
        list(Participation.objects.for_organisation(org).order_by("pk").values()),
        list(FeedbackMessage.objects.for_organisation(org).order_by("pk").values()),
        list(FeedbackOptOut.objects.for_organisation(org).order_by("pk").values()),
    ]
    if not with_staff:
        return hashlib.sha256(repr(parts).encode()).hexdigest()
    parts += [
        list(Membership.objects.filter(organisation=org).order_by("pk").values()),
        list(
            User.objects.filter(memberships__organisation=org)
            .order_by("pk")
            .values("pk", "email", "is_active", "first_name", "password")
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def clients(own: Partner) -> dict[str, Client]:
    made = {"anonymous": Client()}
    for role, user in own.users.items():
        client = sign_in_as(Client(), user)
        session = client.session
        session[SESSION_KEY] = own.organisation.pk
        session.save()
        made[role] = client
    return made


def body_of(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


HOSTILE_FORM = {
    "given_name": "Changed",
    "family_name": "Changed",
    "email": "changed@example.org",
    "purpose": "contact",
    "method": "email",
    "reason": "test",
    "source": "test",
    "given_on_day": "1",
    "given_on_month": "1",
    "given_on_year": "2025",
    "withdrawn_on_day": "1",
    "withdrawn_on_month": "1",
    "withdrawn_on_year": "2026",
    "role": Role.PARTNERSHIP_ADMIN,
    "name": "Changed",
    "kind": "vcse",
    "first_name": "Changed",
    "last_name": "Changed",
    "is_active": "",
    "password": "a-brand-new-passphrase",
}


def test_no_url_shows_another_organisations_personal_data(partners: tuple[Partner, Partner]) -> None:
    own, other = partners
    patterns = every_pattern()
    assert len(patterns) > 20, "The walk should see every URL the project serves."
    for role, client in clients(own).items():
        for route, name in patterns:
            url, names_personal_record = fill_parameters(route, other)
            response = client.get(url)
            assert response.status_code < 500, f"{url} failed for {role}"
            body = body_of(response)
            secrets = other.secrets + (other.staff_secrets if role != Role.PARTNERSHIP_ADMIN else [])
            for secret in secrets:
                assert secret not in body, f"{role} saw {secret!r} of another organisation at {url} ({name})"
            if names_personal_record:
                expected = {302, 401, 403, 404, 405} if role == "anonymous" else {403, 404, 405}
                assert response.status_code in expected, f"{role} got {response.status_code} for {url}"


def test_no_post_changes_another_organisations_personal_data(partners: tuple[Partner, Partner]) -> None:
    own, other = partners
    form = HOSTILE_FORM | {"group": str(other.group.pk), "organisation": str(other.organisation.pk)}
    for role, client in clients(own).items():
        with_staff = role != Role.PARTNERSHIP_ADMIN
        before = snapshot(other, with_staff=with_staff)
        for route, name in every_pattern():
            if name == "accounts:sign-out":
                continue  # it would end the session and weaken every later request
            url, _ = fill_parameters(route, other)
            # Pages with several forms say which one was sent; try each. The fingerprint
            # is taken once per URL (it is most of the walk's time), so a failure names
            # the URL; rerun its three forms one by one to see which.
            for which in ("update", "grant", "password"):
                client.post(url, form | {"form": which})
            after = snapshot(other, with_staff=with_staff)
            assert after == before, f"A POST to {url} as {role} changed another organisation's data"
        if role != "anonymous":
            assert "_auth_user_id" in client.session, f"{role} was signed out during the walk"


def test_each_page_refuses_roles_without_its_permission(partners: tuple[Partner, Partner]) -> None:
    own, _ = partners
    own_values = {
        "<id:person_id>": own.person.pk,
        "<id:group_id>": own.group.pk,
        "<id:user_id>": own.users[Role.ANALYST].pk,
        "<id:organisation_id>": own.organisation.pk,
        "<id:membership_id>": Membership.objects.filter(user=own.users[Role.ANALYST]).first().pk,
        "<str:purpose>": "contact",
        "<str:file_format>": "csv",
        "<str:token>": "forged",
        "<id:activity_id>": own.activity.pk,
        "<id:other_id>": own.activity.pk,
        "<id:priority_id>": own.priority.pk,
        "<id:screening_id>": own.screening.pk,
        "<id:conversation_id>": own.conversation.pk,
        "<id:job_id>": own.import_job.pk,
        "<id:discovery_id>": own.discovery.pk,
        "<id:theme_group_id>": own.theme_group.pk,
        "<id:decision_id>": own.decision.pk,
        "<id:run_id>": (AnalysisRun.objects.first() or AnalysisRun.objects.create()).pk,
        "<id:proposal_id>": own.proposal.pk,
        "<slug:prefix>": own.token.prefix,
        "<uidb64>": urlsafe_base64_encode(force_bytes(own.users[Role.ANALYST].pk)),
        "<token>": "forged-token",
    }
    checked = 0
    for route, _name in every_pattern():
        url = "/" + route
        for token, value in own_values.items():
            url = url.replace(token, str(value))
        needed = getattr(resolve(url).func, "required_permissions", None)
        if not needed:
            continue
        for role, client in clients(own).items():
            granted = ROLE_PERMISSIONS.get(role, frozenset())
            if all(p in granted for p in needed):
                continue
            response = client.get(url)
            if role == "anonymous":
                assert response.status_code == 302, url
                assert "/accounts/sign-in/" in response["Location"], url
            else:
                assert response.status_code == 403, f"{role} was not refused {url}: {response.status_code}"
            checked += 1
    assert checked > 30


def test_the_walk_can_see_personal_data_where_it_is_allowed(partners: tuple[Partner, Partner]) -> None:
    """A control: the same requests show the person to their own organisation's officer,
    so the absence asserted above is not an artefact of the test."""
    own, _ = partners
    client = clients(own)[Role.ENGAGEMENT_OFFICER]
    body = body_of(client.get(f"/staff/people/{own.person.pk}/"))
    assert own.person.email in body
    assert own.person.family_name in body_of(client.get("/api/v1/people/"))


def test_the_walk_can_see_conversations_where_it_is_allowed(partners: tuple[Partner, Partner]) -> None:
    own, _ = partners
    client = clients(own)[Role.ENGAGEMENT_OFFICER]
    assert "QuillonA" in body_of(client.get("/staff/conversations/"))
    assert "survey-a-export.csv" in body_of(client.get("/staff/conversations/imports/"))


def test_the_walk_can_see_participants_and_their_emails_where_it_is_allowed(
    partners: tuple[Partner, Partner],
) -> None:
    own, _ = partners
    client = clients(own)[Role.ENGAGEMENT_OFFICER]
    assert own.person.family_name in body_of(client.get(f"/staff/activities/{own.activity.pk}/people/"))
    decision_page = body_of(client.get(f"/staff/decisions/{own.decision.pk}/"))
    assert "Mailbox of A full" in decision_page
    assert own.person.family_name in decision_page
