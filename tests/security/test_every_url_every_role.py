"""No partner sees another's personal data, through any URL the project serves.

This test walks every URL pattern in the URLconf, so a new page or API endpoint joins
it automatically. Each URL is requested, with the identifiers of organisation B's
records filled in, by an anonymous visitor and by a user of organisation A in every
role. It proves that:

- nothing of B's people (names, emails, phone numbers, postcodes, notes) appears in any
  response to A's users or to the public;
- a URL naming one of B's personal records answers 404 (or 403, or a sign-in redirect
  for the anonymous visitor), never the record;
- a list page or API list given B's records (and junk) in each query parameter it
  reads fails with no 5xx, shows nothing of B's and changes nothing;
- a POST to any URL, with plausible form data aimed at B's records, changes nothing of
  B's part of any table (`tests/security/ownership.py`), and the same POSTs aimed at A's
  own records do change A's (a positive control);
- every page and API endpoint under /staff/ and /api/ declares the permissions it needs
  (or is on a short allow-list), and refuses every role without them.

A URL with a parameter this test does not know how to fill fails the test, so a new
kind of record must be added to `fill_parameters` deliberately; so does a query
parameter that the source reads and `QUERY_PARAMETERS` does not list.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from engage.accounts.middleware import SESSION_KEY
from engage.accounts.models import Membership, User
from engage.accounts.tests.factories import member_of, sign_in_as
from engage.accounts.tokens.services import token_create
from engage.activities.models import Area, AreaKind, Screening
from engage.activities.tests.factories import ActivityFactory, AreaFactory, PriorityFactory
from engage.conversations.models import (
    Channel,
    Conversation,
    ImportJob,
    ImportRejection,
    ImportStatus,
    Quote,
    QuoteConsent,
    QuoteStatus,
)
from engage.core.roles import ROLE_PERMISSIONS, Permission, Role
from engage.decisions.models import (
    Decision,
    DecisionEvidence,
    FeedbackMessage,
    MessageStatus,
    Participation,
    ThemeProposal,
)
from engage.evaluation.models import AssessmentRound, Objective, ObjectiveAction, Statement
from engage.evaluation.tests.factories import (
    AssessmentRoundFactory,
    EvaluationFactory,
    ObjectiveFactory,
    ParticipantAnswerFactory,
)
from engage.insight.framework.services import framework_built_in
from engage.insight.models import (
    AnalysisRun,
    Category,
    ConversationInsight,
    DiscoveredGroup,
    Framework,
    ModelLabel,
    ModelTraining,
    ModelVersion,
    ThemeDiscovery,
)
from engage.partners.models import (
    ConsentPurpose,
    GroupKind,
    Organisation,
    OrganisationKind,
    PeopleImportJob,
    PeopleImportRejection,
    PeopleImportStatus,
    Person,
)
from engage.partners.tests.factories import (
    ConsentFactory,
    GroupFactory,
    GroupMembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PersonRoleFactory,
)
from engage.partnership.models import SharingLevel
from engage.partnership.services import picture_refresh_all
from engage.partnership.tests.factories import OrganisationSharingFactory
from engage.reports.models import JargonTerm
from engage.reports.tests.factories import (
    EasyReadPointFactory,
    PictogramFactory,
    ReportFactory,
    ReportSectionFactory,
)
from engage.subject_access.models import RequestStatus, SubjectAccessRequest
from tests.security import ownership, query_parameters
from tests.security.fingerprint import changed_tables, fingerprint

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
    people_import: Any
    discovery: Any
    theme_group: Any
    decision: Any
    proposal: Any
    token: Any
    report: Any = None
    pictogram: Any = None


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
    people_import = PeopleImportJob.objects.create(
        organisation=organisation,
        file_name=f"contacts-{label.lower()}.csv",
        stored_path="/nonexistent",
        mapping={"given_name": "First name"},
        status=PeopleImportStatus.SUCCEEDED,
        rejected=1,
    )
    PeopleImportRejection.objects.create(
        job=people_import,
        line=3,
        column="Email",
        reason="Not an email address",
        cells=[["First name", f"Zebedee{label}"], ["Email", f"zebedee.{label.lower()}@example"]],
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
    # The person agreed to be quoted: their words wait on the organisation's quotes page.
    QuoteConsent.objects.create(conversation=conversation, given_on=date(2026, 3, 1), source="import")
    Conversation.objects.filter(pk=conversation.pk).update(consent_to_quote=True)
    # Words staff approved, of a conversation that is no activity's and no decision's
    # evidence: quoted nowhere another partner reads, only on its own quotes pages.
    quoted = Conversation.objects.create(
        organisation=organisation,
        channel=Channel.EVENT,
        occurred_on=date(2026, 3, 2),
        dedupe_key=f"walk-quoted-{label}",
        text=f"Approved words of {label} about the Zephyr{label} clinic",
        consent_to_quote=True,
    )
    QuoteConsent.objects.create(
        conversation=quoted, given_on=date(2026, 3, 2), source="staff", method="verbal"
    )
    Quote.objects.create(
        conversation=quoted,
        status=QuoteStatus.APPROVED,
        text=f"Approved words of {label} about the Zephyr{label} clinic",
        decided_at=timezone.now(),
    )
    # Everything held about the person, gathered: the ZIP is stored uncompressed, so its
    # words are in the bytes a page or download would leak.
    sar_folder = Path(tempfile.mkdtemp(prefix="engage-walk-sar-"))
    sar_file = sar_folder / f"{label}.zip"
    with zipfile.ZipFile(sar_file, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("record.json", f'{{"notes": "Subject access of {label}"}}')
    SubjectAccessRequest.objects.create(
        organisation=organisation,
        person=person,
        status=RequestStatus.SUCCEEDED,
        sections_total=12,
        sections_done=12,
        file_path=str(sar_file),
        finished_at=timezone.now(),
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
    # The activity's evaluation: a participant's comment is the lead organisation's to read.
    evaluation = EvaluationFactory(activity=activity)
    ParticipantAnswerFactory(evaluation=evaluation, comment=f"Evaluation comment of {label}")
    # A personal access token of the officer's, for a script.
    token = token_create(
        actor=officer, organisation=organisation, name=f"Script of {label}", access="read", days=30
    ).token
    # The person took part in the activity and was emailed about the decision.
    Participation.objects.create(activity=activity, person=person)
    FeedbackMessage.objects.create(
        decision=decision, person=person, status=MessageStatus.FAILED, last_error=f"Mailbox of {label} full"
    )
    # A draft report, with its words and an Easy Read point: the organisation's own until
    # it is published (and a board paper is never on the public site).
    report = ReportFactory(
        organisation=organisation,
        title=f"Draft report of {label}",
        figures={"sections": {}, "period": {"label": ""}},
    )
    ReportSectionFactory(report=report, key="summary", text=f"Draft report words of {label}")
    EasyReadPointFactory(report=report, text=f"Easy Read draft of {label}")
    pictogram = PictogramFactory(organisation=organisation)
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
        f"contacts-{label.lower()}.csv",
        f"Redacted words heard by {label} alone",
        f"Discovery of {label}",
        f"Mailbox of {label} full",
        f"Zephyr{label}",
        f"Subject access of {label}",
        f"Evaluation comment of {label}",
        f"Draft report of {label}",
        f"Draft report words of {label}",
        f"Easy Read draft of {label}",
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
        people_import,
        discovery,
        theme_group,
        decision,
        proposal,
        token,
        report,
        pictogram,
    )


@pytest.fixture
def partners() -> tuple[Partner, Partner]:
    own, other = make_partner("A", OrganisationKind.ICB), make_partner("B", OrganisationKind.HEALTHWATCH)
    share_counts_of(other)
    return own, other


def share_counts_of(partner: Partner) -> None:
    """The partner shares counts only with the partnership (step 12), its approved words
    labelled with a theme: its figures join the shared picture and "before you ask", and
    the walk proves none of its words do (at "counts and quotes" they would: the
    partnership app's own tests show it)."""
    framework = framework_built_in()
    version = ModelVersion.objects.filter(number=990).first() or ModelVersion.objects.create(
        number=990, framework=framework, blob=b""
    )
    subcategory = Category.objects.filter(framework=framework, parent__isnull=False).order_by("pk").first()
    for conversation in Conversation.objects.filter(organisation=partner.organisation):
        ModelLabel.objects.get_or_create(
            conversation=conversation, category=subcategory, defaults={"score": 0.9, "model_version": version}
        )
        Conversation.objects.filter(pk=conversation.pk).update(activity=partner.activity)
    OrganisationSharingFactory(organisation=partner.organisation, level=SharingLevel.COUNTS)
    picture_refresh_all()


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


def _round() -> AssessmentRound:
    return AssessmentRound.objects.order_by("pk").first() or AssessmentRoundFactory()


def _objective() -> Objective:
    objective = Objective.objects.order_by("pk").first() or ObjectiveFactory()
    if not objective.actions.exists():
        ObjectiveAction.objects.create(
            objective=objective, title="An action", owner="Someone", due_on=date(2027, 1, 1)
        )
    return objective


def fill_parameters(route: str, other: Partner) -> tuple[str, bool]:
    """The route with each parameter set to one of B's records; and whether it names
    one of B's personal records."""
    membership = Membership.objects.filter(user=other.users[Role.ENGAGEMENT_OFFICER]).first()
    assert membership is not None
    # An analysis covers the whole bank and reports counts only, so it belongs to no partner.
    run = AnalysisRun.objects.first() or AnalysisRun.objects.create(rows_total=2)
    # So does training a model on it.
    training = ModelTraining.objects.first() or ModelTraining.objects.create()
    values = {
        "<id:run_id>": (run.pk, False),
        "<id:training_id>": (training.pk, False),
        "<id:person_id>": (other.person.pk, True),
        "<id:activity_id>": (other.activity.pk, False),
        "<id:other_id>": (other.activity.pk, False),
        "<id:priority_id>": (other.priority.pk, False),
        # Areas are the partnership's, no partner's.
        "<id:area_id>": ((Area.objects.first() or AreaFactory(kind=AreaKind.PLACE)).pk, False),
        "<id:screening_id>": (other.screening.pk, False),
        "<id:conversation_id>": (other.conversation.pk, True),
        "<id:job_id>": (other.import_job.pk, True),
        "<id:import_id>": (other.people_import.pk, True),
        "<id:discovery_id>": (other.discovery.pk, True),
        "<id:theme_group_id>": (other.theme_group.pk, True),
        "<id:decision_id>": (other.decision.pk, False),
        "<id:request_id>": (SubjectAccessRequest.objects.get(organisation=other.organisation).pk, True),
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
        "<slug:file>": ("activities", False),  # a file of open data
        # A stop-emails link is its own authority (whoever holds a real one may use it),
        # so the walk tries a forged one.
        "<str:token>": (f"{other.person.pk}:forged", False),
        # A kind of data a retention rule covers: the partnership's, no partner's.
        "<str:kind>": ("conversations", False),
        # The self-assessment and its objectives are the partnership's, no partner's.
        "<id:round_id>": (_round().pk, False),
        "<id:statement_id>": (Statement.objects.order_by("pk").first().pk, False),  # type: ignore[union-attr]
        "<id:objective_id>": (_objective().pk, False),
        "<id:action_id>": (_objective().actions.get().pk, False),
        # A draft report is its organisation's own; the jargon list and pictures are shared.
        "<id:report_id>": (other.report.pk, False),
        "<slug:key>": ("summary", False),
        "<slug:version>": ("report", False),
        "<slug:extension>": ("pdf", False),
        "<id:point_id>": (other.report.easy_read_points.get().pk, False),
        "<id:term_id>": (JargonTerm.objects.order_by("pk").first().pk, False),  # type: ignore[union-attr]
        "<id:pictogram_id>": (other.pictogram.pk, False),
    }
    names_personal_record = False
    for token, (value, personal) in values.items():
        if token in route:
            route = route.replace(token, str(value))
            names_personal_record |= personal
    assert "<" not in route, f"Teach this test how to fill the parameters of {route!r}."
    return "/" + route.replace("^", "").replace("$", ""), names_personal_record


def snapshot(partner: Partner, *, with_staff: bool = True) -> dict[str, str]:
    """A digest of partner B's part of every table (`tests/security/ownership.py`):
    every row that a chain of foreign keys ties to B, found from the models, so a new
    model is covered without being listed here. Unless `with_staff`, B's staff
    accounts, their memberships and tokens, and B's own organisation row are left out:
    a partnership administrator manages every partner and its staff by design."""
    return ownership.part_of(partner.organisation, with_staff=with_staff)


def own_path_values(own: Partner) -> dict[str, object]:
    """Each URL parameter, as the route writes it, filled with one of A's own records."""
    return {
        "<id:person_id>": own.person.pk,
        "<id:group_id>": own.group.pk,
        "<id:user_id>": own.users[Role.ANALYST].pk,
        "<id:organisation_id>": own.organisation.pk,
        "<id:membership_id>": Membership.objects.get(user=own.users[Role.ANALYST]).pk,
        "<str:purpose>": "contact",
        "<str:file_format>": "csv",
        "<slug:file>": "activities",
        "<str:token>": "forged",
        "<id:activity_id>": own.activity.pk,
        "<id:other_id>": own.activity.pk,
        "<id:priority_id>": own.priority.pk,
        "<id:area_id>": (Area.objects.first() or AreaFactory(kind=AreaKind.PLACE)).pk,
        "<id:screening_id>": own.screening.pk,
        "<id:conversation_id>": own.conversation.pk,
        "<id:request_id>": SubjectAccessRequest.objects.get(organisation=own.organisation).pk,
        "<id:job_id>": own.import_job.pk,
        "<id:import_id>": own.people_import.pk,
        "<id:discovery_id>": own.discovery.pk,
        "<id:theme_group_id>": own.theme_group.pk,
        "<id:decision_id>": own.decision.pk,
        "<id:run_id>": (AnalysisRun.objects.first() or AnalysisRun.objects.create()).pk,
        "<id:training_id>": (ModelTraining.objects.first() or ModelTraining.objects.create()).pk,
        "<id:proposal_id>": own.proposal.pk,
        "<slug:prefix>": own.token.prefix,
        "<uidb64>": urlsafe_base64_encode(force_bytes(own.users[Role.ANALYST].pk)),
        "<token>": "forged-token",
        "<str:kind>": "conversations",
        "<id:round_id>": _round().pk,
        "<id:statement_id>": Statement.objects.order_by("pk").first().pk,  # type: ignore[union-attr]
        "<id:objective_id>": _objective().pk,
        "<id:action_id>": _objective().actions.get().pk,
        "<id:report_id>": own.report.pk,
        "<slug:key>": "summary",
        "<slug:version>": "report",
        "<slug:extension>": "pdf",
        "<id:point_id>": own.report.easy_read_points.get().pk,
        "<id:term_id>": JargonTerm.objects.order_by("pk").first().pk,  # type: ignore[union-attr]
        "<id:pictogram_id>": own.pictogram.pk,
    }


def fill(route: str, values: dict[str, object]) -> str:
    url = "/" + route.replace("^", "").replace("$", "")
    for token, value in values.items():
        url = url.replace(token, str(value))
    assert "<" not in url, f"Teach this test how to fill the parameters of {route!r}."
    return url


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
    # A purpose B's person has not yet agreed to: a second standing grant for the same
    # purpose is refused by the database, so "contact" could never have been accepted.
    "purpose": ConsentPurpose.QUOTE,
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
    "first_name": "Changed",
    "last_name": "Changed",
    "is_active": "",
    "password": "a-brand-new-passphrase",
}
# Pages with several forms say which one was sent in a hidden field `form`; the walk
# tries each that a template offers (a user's page: details, roles, password link,
# invitation, second factor).
FORM_NAMES = sorted(
    {
        name
        for template in (Path(__file__).resolve().parents[2] / "engage").rglob("jinja2/**/*.html")
        for name in re.findall(r'name="form" value="([^"]+)"', template.read_text())
    }
)


def hostile_variants(url: str) -> list[dict[str, str]]:
    """The variants of the hostile form sent to the URL. Each form a view reads `form`
    to choose (`query_parameters.post_reads_of`), or the one form where it does not.
    An organisation's kind and a group's kind have no value in common: each is sent
    with the first, and the group form (`engage.partners.forms.GroupForm`: a name and a
    kind of group, no GP practice needed for carers) once more with the second."""
    chooses = "form" in query_parameters.post_reads_of(view_key(url))
    forms = [{"form": name} for name in FORM_NAMES] if chooses else [{}]
    return [*({**form, "kind": OrganisationKind.VCSE} for form in forms), {"kind": GroupKind.CARERS}]


def hostile_posts(client: Client, url: str, aimed_at: Partner, role: str) -> None:
    """Every variant of the hostile form, with every field that names a record
    (`RECORDS`: `group`, `person`, `decision`, `conversation`…) set to `aimed_at`'s.

    Where the first is refused before the view reads the form, the others are not sent:
    a 405 (the URL takes no POST), a sign-in redirect for the anonymous visitor, or a
    401 or 403 to a role that lacks the permissions the view declares (the decorator or
    DRF refuses it, whatever the form says; `test_each_page_refuses_roles_without_its_
    permission` proves the refusal)."""
    form = HOSTILE_FORM | {name: str(get(aimed_at)) for name, get in RECORDS.items()}
    for variant in hostile_variants(url):
        response = client.post(url, form | variant)
        if response.status_code == 405 or (
            refused_before_the_view(url, role)
            and (response.status_code in {401, 403} or refused_anonymously(url, response))
        ):
            return


def refused_before_the_view(url: str, role: str, method: str = "post") -> bool:
    """The role lacks what the view declares it needs for the method (the anonymous
    visitor is refused wherever a view declares anything, and may be elsewhere)."""
    needed = demands(url)
    wanted = needed.get(method, needed["get"])
    if role == "anonymous":
        return True if method == "post" else wanted is not None
    return wanted is not None and not wanted <= ROLE_PERMISSIONS.get(role, frozenset())


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


def test_the_snapshot_covers_every_table_an_organisation_owns() -> None:
    """Every model is placed: owned by an organisation (`ownership`'s rules), or shared
    and named in `ownership.SHARED` with the reason."""
    unplaced = ownership.unplaced_models()
    assert not unplaced, "Place these models in tests/security/ownership.py:\n" + "\n".join(unplaced)
    owned = ownership.ownership_lookups()
    assert owned["partners.Organisation"] == ("pk",)
    assert owned["partners.Group"] == ("organisation",)
    assert owned["activities.Screening"] == ("organisation",)
    assert owned["conversations.ImportRejection"] == ("job__organisation",)
    assert owned["insight.ConversationInsight"] == ("conversation__organisation",)
    assert owned["decisions.DecisionAmendment"] == ("decision__organisation",)
    assert owned["decisions.ActivityPublication"] == ("activity__lead_organisation",)
    assert owned["activities.Activity_partner_organisations"] == ("activity__lead_organisation",)
    # Links to a partner's decision that the design allows belong to whoever made them.
    assert owned["decisions.DecisionEvidence"] == ("conversation__organisation",)
    assert owned["decisions.ThemeProposal"] == ("organisation",)
    assert "otp_totp.TOTPDevice" in ownership.staff_tables()


def test_no_post_changes_another_organisations_personal_data(partners: tuple[Partner, Partner]) -> None:
    own, other = partners
    changed: list[str] = []
    for role, client in clients(own).items():
        with_staff = role != Role.PARTNERSHIP_ADMIN
        before = snapshot(other, with_staff=with_staff)
        # B's part is read only when anything changed (most POSTs change nothing at
        # all): reading it costs twenty times the whole fingerprint.
        whole = ownership.anything_changed_digest()
        for route, name in every_pattern():
            if name == "accounts:sign-out":
                continue  # it would end the session and weaken every later request
            url, _ = fill_parameters(route, other)
            # A failure names the URL and the tables; rerun its variants one by one to
            # see which form did it.
            hostile_posts(client, url, other, role)
            now = ownership.anything_changed_digest()
            if now == whole:
                continue
            whole, after = now, snapshot(other, with_staff=with_staff)
            if after != before:
                changed.append(
                    f"  POST {url} as {role} changed B's {', '.join(changed_tables(before, after))}"
                )
                before = after
        if role != "anonymous":
            assert "_auth_user_id" in client.session, f"{role} was signed out during the walk"
    assert not changed, "POSTs changed another organisation's data:\n" + "\n".join(changed)


# The same POSTs, aimed at A's own records by a role of A's that may make them, and the
# table of A's that each must change: the walk's "nothing changed" is not an artefact of
# forms that could never have been accepted.
POSITIVE_CONTROLS = (
    ("staff/groups/<id:group_id>/edit/", Role.ENGAGEMENT_OFFICER, "partners.Group"),
    ("staff/people/<id:person_id>/edit/", Role.ENGAGEMENT_OFFICER, "partners.Person"),
    ("staff/people/<id:person_id>/consent/", Role.ENGAGEMENT_OFFICER, "partners.Consent"),
    (
        "staff/people/<id:person_id>/consent/<str:purpose>/withdraw/",
        Role.ENGAGEMENT_OFFICER,
        "partners.Consent",
    ),
    ("staff/users/<id:user_id>/", Role.ORGANISATION_ADMIN, "accounts.User"),
    ("staff/organisations/<id:organisation_id>/", Role.PARTNERSHIP_ADMIN, "partners.Organisation"),
)


def test_the_same_posts_change_the_actors_own_data(partners: tuple[Partner, Partner]) -> None:
    own, _ = partners
    made = clients(own)
    values = own_path_values(own)
    routes = {route for route, _ in every_pattern()}
    unchanged = []
    for route, role, table in POSITIVE_CONTROLS:
        assert route in routes, f"The control's route {route} is gone: choose another like it."
        url = fill(route, values)
        before = snapshot(own)
        hostile_posts(made[role], url, own, role)
        changed = changed_tables(before, snapshot(own))
        if table not in changed:
            unchanged.append(f"  POST {url} as {role} did not change A's {table} (changed: {changed})")
    assert {"update", "grant", "password", "invitation", "second-factor"} <= set(FORM_NAMES)
    assert not unchanged, "The walk's hostile form is not accepted where it should be:\n" + "\n".join(
        unchanged
    )
    group = own.group.__class__.objects.get(pk=own.group.pk)
    assert (group.name, group.kind) == ("Changed", GroupKind.CARERS)


# --- Every route under /staff/ and /api/ declares what it needs -----------------------

# Routes under /staff/ and /api/ that need no permission from the role table: any
# signed-in member of staff may use them. The anonymous visitor is still refused (the
# walk checks it).
SIGNED_IN_ONLY = {
    # The dashboard everyone lands on after signing in; it shows each role only the
    # summaries its permissions allow (`engage.staff.views.home`).
    "staff:home",
    # The OpenAPI document: the shape of the API, nobody's data; for signed-in users
    # only (`SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]`).
    "api:schema",
    # The API's index (its addresses) and its reference page (the same document, drawn):
    # nobody's data either, for the same users (`engage/api/reference.py`).
    "api:index",
    "api:reference",
}
API_WRITE_METHODS = ("post", "put", "patch", "delete")


def permissions_of(permission_class: type[BasePermission]) -> frozenset[Permission] | None:
    """The role permissions a DRF permission class demands (its `required_permissions`,
    as `engage.api.permissions.requires` and `require_permission` set them); None where
    it asks only that the user be signed in (IsAuthenticated)."""
    declared = getattr(permission_class, "required_permissions", None)
    if declared is not None:
        return frozenset(declared)
    if (
        issubclass(permission_class, IsAuthenticated)
        and permission_class.has_permission is IsAuthenticated.has_permission
    ):
        return None
    raise AssertionError(
        f"This test cannot tell which permissions {permission_class.__qualname__} demands: give the "
        "class a `required_permissions` attribute (a tuple of engage.core.roles.Permission)."
    )


@cache
def demands(url: str) -> dict[str, frozenset[Permission] | None]:
    """For each method the view answers (GET always), the permissions it demands, or
    None where it declares none: `required_permissions` on a page's view, the DRF
    permission classes of an API view (from `get_permissions()` for that method, as
    DRF itself calls it, since some views choose per method)."""
    match = resolve(url)
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, APIView):
        needed = getattr(match.func, "required_permissions", None)
        return {"get": frozenset(needed) if needed else None}
    found: dict[str, frozenset[Permission] | None] = {}
    for method in ("get", *(m for m in API_WRITE_METHODS if hasattr(view_class, m))):
        view = view_class(**getattr(match.func, "view_initkwargs", {}))
        view.args, view.kwargs, view.format_kwarg = (), match.kwargs, None
        view.request = Request(getattr(APIRequestFactory(), method)(url))
        classes = [type(permission) for permission in view.get_permissions()]
        assert classes, f"{url} ({method.upper()}) has no permission classes at all."
        needed: set[Permission] = set()
        declared = False
        for permission_class in classes:
            permissions = permissions_of(permission_class)
            if permissions:
                needed |= permissions
                declared = True
        found[method] = frozenset(needed) if declared else None
    return found


def refused_anonymously(url: str, response: Any) -> bool:
    """An API endpoint answers 401 or 403; a page, under /api/ too (the reference),
    sends the visitor to sign in."""
    view_class = getattr(resolve(url).func, "view_class", None)
    if view_class is not None and issubclass(view_class, APIView):
        return response.status_code in {401, 403}
    return response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_each_page_refuses_roles_without_its_permission(partners: tuple[Partner, Partner]) -> None:
    """Every route under /staff/ and /api/, pages and API endpoints alike, for every
    method an API view answers: a role without the permissions it demands gets a 403,
    the anonymous visitor a sign-in redirect (a page) or a 401 or 403 (the API). And a
    role that holds them is not refused a GET, so the refusals are not an artefact of
    a walk that could never get in."""
    own, _ = partners
    values = own_path_values(own)
    made = clients(own)
    undeclared: list[str] = []
    problems: list[str] = []
    refusals = 0
    for route, name in every_pattern():
        if not route.startswith(("staff/", "api/")):
            continue
        url = fill(route, values)
        for method, needed in demands(url).items():
            if needed is None and name not in SIGNED_IN_ONLY:
                undeclared.append(f"  {method.upper()} /{route} ({name})")
            for role, client in made.items():
                granted = ROLE_PERMISSIONS.get(role, frozenset())
                allowed = role != "anonymous" and (needed or frozenset()) <= granted
                if allowed and method != "get":
                    continue  # what a permitted write does is the write walk's business
                if method == "get":
                    response = client.get(url)
                else:
                    response = getattr(client, method)(url, data={}, content_type="application/json")
                status = response.status_code
                if role == "anonymous":
                    ok = refused_anonymously(url, response)
                elif allowed:
                    ok = status not in {401, 403} and not refused_anonymously(url, response)
                else:
                    ok = status == 403
                if not ok:
                    expected = "refused" if not allowed else "let in"
                    problems.append(f"  {method.upper()} {url} as {role} answered {status}, not {expected}")
                refusals += not allowed
    assert not undeclared, (
        "These routes declare no permission: wrap the view in require_permission(...) (a page) or give "
        "it permission_classes = [requires(...)] (the API), or, if every signed-in user may use it, "
        "add it to SIGNED_IN_ONLY with the reason:\n" + "\n".join(undeclared)
    )
    assert not problems, "Routes that do not keep to the permission table:\n" + "\n".join(problems)
    assert refusals > 300


# --- Query parameters: another organisation's ids in every filter ---------------------

# The query parameters each module reads, as `query_parameters` finds them in the
# source. A parameter read and not listed here fails `test_every_query_parameter_is_
# catalogued`, so that a new filter is taught to the walk below (`QUERY_VALUES`).
QUERY_PARAMETERS: dict[str, frozenset[str]] = {
    "engage.accounts.sign_in.views": frozenset({"next"}),
    "engage.accounts.views": frozenset({"q"}),
    "engage.activities.apis": frozenset(
        {"area", "group", "level", "organisation", "page", "priority", "q", "stage", "status"}
    ),
    "engage.activities.screening.apis": frozenset({"page", "q"}),
    "engage.activities.screening.views": frozenset({"q"}),
    "engage.activities.views": frozenset(
        {"area", "by", "from", "group", "level", "month", "months", "organisation", "priority", "q"}
        | {"screening", "stage", "status"}
    ),
    "engage.conversations.imports.views": frozenset({"page", "upload"}),
    "engage.conversations.quotes.views": frozenset({"activity", "page"}),
    "engage.conversations.views": frozenset({"activity", "channel", "from", "page", "q", "question", "to"}),
    "engage.core.pagination": frozenset({"page"}),
    "engage.decisions.apis": frozenset(
        {"activity", "organisation", "page", "priority", "q", "status", "theme"}
    ),
    "engage.decisions.feedback.views": frozenset({"q"}),
    "engage.evaluation.apis": frozenset({"page", "q", "state"}),
    "engage.evaluation.views": frozenset({"mine", "page", "q", "state"}),
    "engage.reports.apis": frozenset({"kind", "page", "q", "state"}),
    "engage.reports.views": frozenset({"kind", "page", "q", "state"}),
    "engage.decisions.views": frozenset({"activity", "organisation", "priority", "q", "status", "theme"}),
    "engage.insight.apis": frozenset({"by", "page"}),
    "engage.insight.filters": frozenset({"activity", "channel", "from", "priority", "q", "to"}),
    "engage.insight.views": frozenset({"by", "framework", "q", "skipped"}),
    "engage.partners.apis": frozenset({"q"}),
    "engage.partners.people_imports.views": frozenset({"page", "upload"}),
    "engage.partners.views": frozenset({"consent", "group", "kind", "page", "purpose", "q", "role"}),
    "engage.partnership.filters": frozenset({"from", "group", "kind", "to"}),
    "engage.partnership.sharing.views": frozenset({"activities", "imports", "q"}),
    "engage.partnership.views": frozenset({"q"}),
    "engage.reach.scope": frozenset({"activity", "from", "organisation", "priority", "to"}),
    "engage.places.areas.views": frozenset({"kind"}),
    "engage.reach.views": frozenset({"by", "dimension"}),
    "engage.setup.views": frozenset({"code"}),
    "engage.site.views": frozenset({"area", "kind", "q", "topic"}),
    "engage.staff.views": frozenset(
        {"action", "actor", "scope", "since", "subject_id", "subject_type", "until"}
    ),
}


# Fields, of a query string or a form, that name one of a partner's records.
RECORDS: dict[str, Callable[[Partner], object]] = {
    "activity": lambda p: p.activity.pk,
    "conversation": lambda p: p.conversation.pk,
    "decision": lambda p: p.decision.pk,
    "discovery": lambda p: p.discovery.pk,
    "group": lambda p: p.group.pk,
    "job": lambda p: p.import_job.pk,
    "organisation": lambda p: p.organisation.pk,
    "person": lambda p: p.person.pk,
    "priority": lambda p: p.priority.pk,
    "proposal": lambda p: p.proposal.pk,
    "screening": lambda p: p.screening.pk,
    "skipped": lambda p: p.conversation.pk,
    "theme": lambda p: p.proposal.category_id,
}


def _nothing(other: Partner) -> list[object]:
    return []


def _one(get: Callable[[Partner], object]) -> Callable[[Partner], list[object]]:
    return lambda other: [get(other)]


# What each query parameter is sent, besides the junk every one is sent (`JUNK`): B's
# record where it names a record, B's words where it searches, and a value that widens
# the view where there is one. Names no view reads yet are here so that a new filter of
# a known kind is walked at once.
QUERY_VALUES: dict[str, Callable[[Partner], list[object]]] = {
    **{name: _one(get) for name, get in RECORDS.items()},
    "area": lambda o: [a.pk for a in o.activity.areas.all()[:1]],
    "framework": lambda o: [f.pk for f in Framework.objects.order_by("pk")[:1]],
    "subject_id": lambda o: [o.person.pk, o.conversation.pk],
    # Words only B's records hold: a search must not find them.
    "q": lambda o: [o.person.given_name, f"Quillon{o.organisation.name[-1]}", o.person.email, o.report.title],
    "question": lambda o: [f"Quillon{o.organisation.name[-1]}"],
    "actor": lambda o: [o.users[Role.ENGAGEMENT_OFFICER].email],
    "topic": lambda o: [o.activity.topic],
    # The audit trail across every organisation: only a partnership administrator's.
    "scope": lambda o: ["all"],
    # A made-up upload token for the import's column page.
    "upload": lambda o: [f"{o.import_job.pk}:forged"],
    "page": lambda o: [2],
    # The evaluations of the viewer's own organisation only: the walk sends it, to see
    # that "mine" never means another's.
    "mine": lambda o: ["1"],
    # The first-run page's one-time code, as its link carries it: a made-up one.
    "code": lambda o: ["ABCD-EFGH-JKLM"],
    # Choices and dates: only the junk.
    **dict.fromkeys(
        (
            "action",
            "activities",
            "by",
            "channel",
            "consent",
            "dimension",
            "from",
            "imports",
            "kind",
            "level",
            "month",
            "months",
            "next",
            "purpose",
            "role",
            "since",
            "stage",
            "state",
            "status",
            "subject_type",
            "to",
            "until",
        ),
        _nothing,
    ),
}
JUNK = ("²", "9" * 25, "-1")


def view_key(url: str) -> str:
    """module.qualname of the function or class behind the URL."""
    func = resolve(url.split("?", maxsplit=1)[0]).func
    view_class = getattr(func, "view_class", None)
    if view_class is not None:
        return f"{view_class.__module__}.{view_class.__qualname__}"
    while hasattr(func, "__wrapped__"):
        func = func.__wrapped__
    return f"{func.__module__}.{func.__qualname__}"


def test_every_query_parameter_is_catalogued() -> None:
    """The parameters each module reads, found in its source, are those catalogued; and
    the walk knows what to send in each."""
    found = query_parameters.module_reads()
    uncatalogued = [
        f"  ?{name}= in {module} ({', '.join(query_parameters.lines_reading(name, module))})"
        for module, names in sorted(found.items())
        for name in sorted(names - QUERY_PARAMETERS.get(module, frozenset()))
    ]
    assert not uncatalogued, (
        "These query parameters are read but not in QUERY_PARAMETERS: add them (and to QUERY_VALUES what "
        "the walk should send; a name in <…> is a read this test cannot follow, to catalogue by hand):\n"
        + "\n".join(uncatalogued)
    )
    gone = [
        f"  ?{name}= in {module}"
        for module, names in sorted(QUERY_PARAMETERS.items())
        for name in sorted(names - found.get(module, frozenset()))
    ]
    assert not gone, "Catalogued query parameters that are no longer read: remove them:\n" + "\n".join(gone)
    # Templates read the query string too; what they read, their app's views read.
    for template, names in query_parameters.template_reads().items():
        app = ".".join(Path(template).parts[:2])
        of_app = set().union(*(n for m, n in QUERY_PARAMETERS.items() if m.startswith(app + ".")))
        assert names <= of_app, f"{template} reads ?{sorted(names - of_app)}=: catalogue it with its views."
    unknown = set().union(*QUERY_PARAMETERS.values()) - QUERY_VALUES.keys()
    assert not unknown, f"Teach the walk what to send in ?{sorted(unknown)}= (QUERY_VALUES)."


def test_every_query_parameter_read_is_reached_from_a_route(partners: tuple[Partner, Partner]) -> None:
    """Each parameter read in a module is traced to the view of some route, so the walk
    below sends it there: a read the tracing cannot attribute fails here."""
    own, _ = partners
    values = own_path_values(own)
    reached: set[str] = set()
    for route, _name in every_pattern():
        reached |= query_parameters.reads_of(view_key(fill(route, values)))
    missing = set().union(*QUERY_PARAMETERS.values()) - reached
    assert not missing, f"No route's view is traced to reading ?{sorted(missing)}=: teach query_parameters."


def test_no_query_parameter_shows_or_changes_another_organisations_data(
    partners: tuple[Partner, Partner],
) -> None:
    """Every route whose view reads query parameters, opened by every role with each
    parameter in turn set to B's record (or words), and once with every parameter that
    names a record set to B's; and with each parameter set to each junk value: no 5xx,
    nothing of B's shown, nothing written. The path names A's own records, so the page
    itself is one A may open.

    A role the view's declared permissions refuse is refused before the view reads its
    query (the permission walk proves it), so it is sent the one request with all of
    B's ids. The junk is parsed alike for every role, so each junk request is sent by
    one of the permitted roles in turn rather than by all of them: that keeps the walk
    to a minute, and every permitted role still sends every one of B's ids."""
    own, other = partners
    values = own_path_values(own)
    made = clients(own)
    for client in made.values():
        client.raise_request_exception = False  # a 5xx is listed with the rest, not raised
    sent_values = {name: [str(v) for v in fill_values(other)] for name, fill_values in QUERY_VALUES.items()}
    problems: list[str] = []
    requests = 0
    for route, name in every_pattern():
        path = fill(route, values)
        names = sorted(query_parameters.reads_of(view_key(path)))
        if not names or name == "accounts:sign-out":
            continue
        records = [{param: value} for param in names for value in sent_values[param]]
        junk = [{param: value} for param in names for value in JUNK]
        all_at_once = {param: sent_values[param][0] for param in names if sent_values[param]}
        permitted = [role for role in made if not refused_before_the_view(path, role, "get")]
        for role, client in made.items():
            if role in permitted:
                turn = permitted.index(role)
                queries = [*records, *junk[turn :: len(permitted)], all_at_once]
            else:
                queries = [all_at_once]
            secrets = other.secrets + (other.staff_secrets if role != Role.PARTNERSHIP_ADMIN else [])
            before = fingerprint()
            for query in queries:
                url = f"{path}?{urlencode(query)}"
                response = client.get(url)
                requests += 1
                if response.status_code >= 500:
                    problems.append(f"  GET {url} as {role} answered {response.status_code}")
                    continue
                body = body_of(response)
                # A search box shows what was searched for: only what was not sent counts.
                shown = [s for s in secrets if s in body and all(s not in v for v in query.values())]
                if shown:
                    problems.append(f"  GET {url} as {role} showed B's {shown}")
            changed = changed_tables(before, fingerprint())
            if changed:
                problems.append(f"  GETs of {path} with B's ids as {role} changed {changed}")
    assert requests > 800
    assert not problems, "Query parameters that misbehave:\n" + "\n".join(problems)


def test_the_query_walk_can_see_data_where_it_is_allowed(partners: tuple[Partner, Partner]) -> None:
    """A control for the query walk: the same filters, set to A's own records and words,
    find A's data for A's officer, so "nothing of B's shown" is not an artefact of
    filters that find nothing."""
    own, _ = partners
    client = clients(own)[Role.ENGAGEMENT_OFFICER]
    family = own.person.family_name
    assert family in body_of(client.get(f"/staff/people/?q={own.person.given_name}"))
    assert family in body_of(client.get(f"/staff/people/?group={own.group.pk}"))
    assert family in body_of(client.get(f"/api/v1/people/?q={own.person.given_name}"))
    assert "QuillonA" in body_of(client.get("/staff/conversations/?q=QuillonA"))
    assert own.activity.title in body_of(client.get(f"/staff/activities/?organisation={own.organisation.pk}"))
    assert own.decision.title in body_of(client.get(f"/api/v1/decisions/?activity={own.activity.pk}"))


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
