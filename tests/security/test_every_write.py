"""Every id a client sends is checked, by the service, against what the actor may use.

The every-URL walk (`test_every_url_every_role.py`) proves that nobody sees another
partner's data. This walk proves that nobody changes it, nor writes through an id that
is not theirs or does not exist: each form and each API write endpoint is posted with a
valid request of partner A's, then with each id in it replaced, in turn, by

- partner B's record of that kind (where records of that kind belong to a partner:
  priorities, areas, the register's activities as evidence, themes and frameworks are
  shared, so for them only the id that does not exist applies);
- an id that does not exist, ids too large for the database ("9" * 25 and 2**63), digits
  that are not ASCII ("٣", "²", and A's own valid id written in Arabic-Indic digits,
  which int() reads as that id), a negative number and junk.

Each must be refused: never a 5xx; from the API a 400 whose body names the field (a 404
where the id is in the path); from a page a 400, a 404, or the form again with the
error shown; and the whole database (`tests/security/fingerprint.py`) unchanged, so
nothing was accepted and nothing half-saved. A positive control first shows that the
valid request succeeds and changes the database, so the refusals are not an artefact of
a request that could never have worked. Finally the request with every id set to B's
(or to one that does not exist) is sent by the public and by each of A's roles, and
changes nothing.

Writes are found by walking every URL pattern, as the every-URL walk does: a URL that
does not answer a POST (or, under /api/, a PUT) with 405, as the role most likely
permitted, takes one. Each must be in `WRITES`, with a valid request and the fields that
carry ids, so a new form or endpoint fails this test until it is taught here ("Teach the
write walk a valid request for ..."). Writes that carry no ids are listed too, with an
empty list of ids and the reason; pages that only read but answer a POST as a GET are
named in `READS_THAT_TAKE_POST`, and a POST to each is shown to change nothing.

Every case runs inside a transaction that is rolled back, so the cases do not disturb
each other. Failures are collected and reported together, each naming the route, the
field, the value, the role and what happened.
"""

from __future__ import annotations

import io
import json
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import resolve
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from PIL import Image

from engage.accounts.middleware import SESSION_KEY
from engage.accounts.models import Membership
from engage.accounts.tests.factories import PASSWORD, UserFactory, sign_in_as
from engage.activities.models import ActivitySeries, AreaKind
from engage.activities.screening.rules import MANY, current_rules
from engage.activities.tests.factories import AreaFactory
from engage.conversations.imports import views as import_views
from engage.conversations.imports.mapping import GENERIC
from engage.conversations.imports.services import import_dir
from engage.conversations.models import Channel, Conversation, ImportJob, ImportStatus, Quote
from engage.conversations.quotes.services import candidate_text
from engage.conversations.tests.factories import ConversationFactory
from engage.core.roles import ROLE_PERMISSIONS, Role
from engage.core.tabular import pending
from engage.decisions.feedback.emails import stop_token
from engage.evaluation.models import Evaluation, ObjectiveAction, Principle
from engage.evaluation.self_assessment.services import round_open, scoring_links_make
from engage.evaluation.tests.factories import ObjectiveFactory
from engage.insight.framework.services import framework_built_in
from engage.insight.models import (
    AnalysisRun,
    Category,
    ConversationInsight,
    DiscoveredGroup,
    ModelTraining,
    PersonLabel,
    Review,
    RunStatus,
)
from engage.partners.models import GroupKind, OrganisationKind
from engage.partners.people_imports import views as people_import_views
from engage.partners.tests.factories import (
    GroupFactory,
    GroupMembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from engage.places.models import Ward
from engage.reach.groups import AGE
from engage.reports.models import JargonTerm, ReportState
from engage.reports.tests.factories import ReportFactory
from engage.setup.services import first_run_code_issue
from engage.site.feedback import issue_token
from engage.subject_access.models import SubjectAccessRequest
from tests.security.fingerprint import changed_tables, fingerprint
from tests.security.test_every_url_every_role import Partner, clients, every_pattern, make_partner

pytestmark = pytest.mark.django_db

MISSING = 987654321


# A picture to upload: 8 by 8 blue pixels, as a PNG.
def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, format="PNG")
    return out.getvalue()


_PNG = _png()
# Ids no record can have: each must be refused as a 400 naming the field, never reach a
# query (too large for the column), never be read as another number ("٣" is 3 to int()).
BAD_FORMATS: tuple[tuple[str, object], ...] = (
    ("too large", "9" * 25),
    ("too large", 2**63),
    ("non-ASCII digit", "٣"),
    ("non-ASCII digit", "²"),
    ("negative", "-1"),
    ("junk", "abc"),
)
ROLES = ("anonymous", *Role.values)
SIGN_IN = "/accounts/sign-in/"


# --- The two partners and what their requests need ------------------------------------


@dataclass
class World:
    """Partners A (whose valid requests are sent) and B (whose ids must be refused),
    and the shared records a valid request needs."""

    own: Partner
    other: Partner
    area: Any  # the whole place, with an ONS code and the lookup's ward of it loaded
    localities: tuple[Any, Any]  # two localities, the first holding `ward`
    ward: Any
    own_series: Any
    other_series: Any
    practice: Any
    own_person2: Any  # one of A's people who took part in nothing and is in group2 only
    own_group2: Any  # one of A's groups that own.person has not joined
    own_invited: Any  # one of A's staff, invited but yet to choose a password
    own_conversation2: Any  # one of A's conversations that is not yet evidence
    own_theme_group2: Any  # a second open group of A's discovery, to merge
    own_held_import: Any  # one of A's imports held for its ratings to be checked, its file kept
    framework: Any
    subcategory: Any
    parent_category: Any
    run: Any
    training: Any
    clients: dict[str, Client]
    # The self-assessment: a round open for scoring, with one unused link, and a statement,
    # an objective and its action (the partnership's, no partner's).
    scoring_round: Any = None
    scoring_token: str = ""
    statement: Any = None
    objective: Any = None
    objective_action: Any = None
    own_published_report: Any = None
    baseline: dict[str, str] = field(default_factory=dict)

    def user(self, role: str) -> Any:
        return self.own.users[role]

    def membership(self, partner: Partner, role: str) -> Any:
        return Membership.objects.get(user=partner.users[role], organisation=partner.organisation)


def _signed_in(partner: Partner, role: str) -> Client:
    """A fresh client of `role` acting for the partner, as `clients()` of the every-URL
    walk makes them (an administrator's session has passed its second factor)."""
    client = Client()
    if role != "anonymous":
        sign_in_as(client, partner.users[role])
        session = client.session
        session[SESSION_KEY] = partner.organisation.pk
        session.save()
    return client


THEMES = (
    "the receptionist was rude and the reception desk was unfriendly",
    "reception staff were rude and unhelpful at the front desk",
    "parking at the hospital car park is expensive and full",
    "the car park had no parking spaces and the parking charges are high",
)


def _conversations_for_discovery(partner: Partner) -> list[int]:
    """A's bank, with enough analysed conversations on two topics for a discovery's
    groups to be merged and split."""
    ids = [partner.conversation.pk]
    for n in range(7):
        text = THEMES[n % len(THEMES)] + f" ({n})"
        conversation = Conversation.objects.create(
            organisation=partner.organisation,
            channel=Channel.SURVEY,
            occurred_on=date(2026, 3, 2 + n),
            dedupe_key=f"write-walk-{n}",
            text=text,
            rating=2,
        )
        ConversationInsight.objects.create(
            conversation=conversation,
            redacted_text=text,
            sentiment="negative",
            text_hash="0" * 64,
            analysed_at=timezone.now(),
        )
        ids.append(conversation.pk)
    return ids


def _held_import(partner: Partner) -> Any:
    """An import of A's held because its ratings looked upside down, with its file."""
    path = import_dir() / f"{uuid.uuid4().hex}.csv"
    path.write_bytes(b"Comment,Rating\nBrilliant service,5\n")
    return ImportJob.objects.create(
        organisation=partner.organisation,
        file_name="five-is-best.csv",
        stored_path=str(path),
        file_sha256="5" * 64,
        mapping={"text": "Comment", "rating": "Rating"},
        status=ImportStatus.HELD,
        rating_column="Rating",
        rating_check={"positive_poor": 12},
        started_at=timezone.now(),
    )


def _invited(partner: Partner) -> Any:
    user = UserFactory(email="invited.a@partner.example.org", password=None)
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, organisation=partner.organisation, role=Role.ANALYST)
    return user


def _labelled_for_training(partner: Partner, framework: Any) -> None:
    """Enough labelled conversations, of two themes, for "Train a new model" to learn
    (it refuses with nothing to learn from)."""
    two = list(Category.objects.filter(framework=framework, parent__isnull=False).order_by("pk")[:2])
    for number in range(20):
        said = ConversationFactory(
            organisation=partner.organisation, text=f"Labelled comment {number} about {two[number % 2].name}"
        )
        Review.objects.create(conversation=said, sentiment="positive")
        PersonLabel.objects.create(conversation=said, category=two[number % 2])


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> World:
    # Fast password hashing: the walk signs in and sets passwords; what it proves is
    # about ids, not hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploads (imports, reference files) are kept under the test's own folder.
    settings.ENGAGE_IMPORT_DIR = tmp_path / "imports"
    own = make_partner("A", OrganisationKind.ICB)
    other = make_partner("B", OrganisationKind.HEALTHWATCH)
    practice = OrganisationFactory(name="Castle Street Surgery", kind=OrganisationKind.GP_PRACTICE)
    person2 = PersonFactory(organisation=own.organisation, given_name="Second", family_name="PersonA")
    group2 = GroupFactory(organisation=own.organisation, name="Walking group A", kind=GroupKind.COMMUNITY)
    GroupMembershipFactory(group=group2, person=person2)
    conversation_ids = _conversations_for_discovery(own)
    own.discovery.conversation_ids = conversation_ids
    own.discovery.save()
    own.theme_group.member_ids = conversation_ids
    own.theme_group.size = len(conversation_ids)
    own.theme_group.save()
    theme_group2 = DiscoveredGroup.objects.create(
        discovery=own.discovery, keywords=["parking"], member_ids=conversation_ids[3:], size=5
    )
    # Pages create the built-in framework the first time they need it; here it exists
    # before the walk, so no request creates it.
    framework = framework_built_in()
    subcategory = Category.objects.filter(framework=framework, parent__isnull=False).order_by("pk").first()
    assert subcategory is not None
    _labelled_for_training(own, framework)
    place = AreaFactory(name="The whole place", kind=AreaKind.PLACE, code="E08000027")
    north = AreaFactory(name="North locality", kind=AreaKind.LOCALITY, parent=place)
    south = AreaFactory(name="South locality", kind=AreaKind.LOCALITY, parent=place)
    ward = AreaFactory(name="Amblecote", kind=AreaKind.WARD, parent=north, code="E05014780")
    Ward.objects.create(
        code="E05014781", name="Belle Vale", local_authority_code="E08000027", local_authority_name="Dudley"
    )
    made = World(
        own=own,
        other=other,
        area=place,
        localities=(north, south),
        ward=ward,
        own_series=ActivitySeries.objects.create(
            title="Quarterly forum A", lead_organisation=own.organisation
        ),
        other_series=ActivitySeries.objects.create(
            title="Quarterly forum B", lead_organisation=other.organisation
        ),
        practice=practice,
        own_person2=person2,
        own_group2=group2,
        own_invited=_invited(own),
        own_conversation2=Conversation.objects.get(pk=conversation_ids[1]),
        own_theme_group2=theme_group2,
        own_held_import=_held_import(own),
        framework=framework,
        subcategory=subcategory,
        parent_category=subcategory.parent,
        run=AnalysisRun.objects.create(rows_total=2, status=RunStatus.SUCCEEDED),
        training=ModelTraining.objects.create(status=RunStatus.SUCCEEDED),
        clients=clients(own),
    )
    made.scoring_round = round_open(actor=None, title="Spring round")
    made.scoring_token = scoring_links_make(
        actor=None, round_id=made.scoring_round.pk, group="vcse", count=1
    ).tokens[0]
    made.statement = made.scoring_round.statements.order_by("pk").first()
    made.objective = ObjectiveFactory()
    made.objective_action = ObjectiveAction.objects.create(
        objective=made.objective, title="Report yearly", owner="Healthwatch", due_on=date(2027, 1, 1)
    )
    made.own_published_report = ReportFactory(
        organisation=own.organisation,
        state=ReportState.PUBLISHED,
        published_at=timezone.now(),
        figures={"sections": {}, "period": {"label": "A year"}},
    )
    made.baseline = fingerprint()
    return made


def own_path_values(w: World) -> dict[str, object]:
    """Each URL parameter, as the route writes it, filled with one of A's own records."""
    board_member = w.user(Role.BOARD_MEMBER)
    return {
        "<id:person_id>": w.own.person.pk,
        "<id:group_id>": w.own.group.pk,
        "<id:user_id>": w.user(Role.ANALYST).pk,
        "<id:membership_id>": w.membership(w.own, Role.ANALYST).pk,
        "<id:organisation_id>": w.own.organisation.pk,
        "<str:purpose>": "contact",
        "<str:file_format>": "csv",
        "<slug:file>": "activities",
        "<str:token>": stop_token(w.own.person.pk),
        "<id:activity_id>": w.own.activity.pk,
        "<id:other_id>": w.other.activity.pk,
        "<id:priority_id>": w.own.priority.pk,
        "<id:area_id>": w.localities[0].pk,
        "<id:screening_id>": w.own.screening.pk,
        "<id:conversation_id>": w.own.conversation.pk,
        "<id:job_id>": w.own.import_job.pk,
        "<id:import_id>": w.own.people_import.pk,
        "<id:discovery_id>": w.own.discovery.pk,
        "<id:theme_group_id>": w.own.theme_group.pk,
        "<id:decision_id>": w.own.decision.pk,
        "<id:run_id>": w.run.pk,
        "<id:training_id>": w.training.pk,
        # A link emailed to one of A's staff to choose a password.
        "<uidb64>": urlsafe_base64_encode(force_bytes(board_member.pk)),
        "<token>": default_token_generator.make_token(board_member),
        "<slug:prefix>": w.own.token.prefix,
        "<id:proposal_id>": w.own.proposal.pk,
        "<id:request_id>": SubjectAccessRequest.objects.get(organisation=w.own.organisation).pk,
        "<str:kind>": "conversations",
        # The self-assessment and its objectives are the partnership's, no partner's.
        "<id:round_id>": w.scoring_round.pk,
        "<id:statement_id>": w.statement.pk,
        "<id:objective_id>": w.objective.pk,
        "<id:action_id>": w.objective_action.pk,
        # A's draft report; the jargon list and pictures are the partnership's.
        "<id:report_id>": w.own.report.pk,
        "<slug:key>": "summary",
        "<slug:version>": "report",
        "<slug:extension>": "pdf",
        "<id:point_id>": w.own.report.easy_read_points.get().pk,
        "<id:term_id>": JargonTerm.objects.order_by("pk").first().pk,  # type: ignore[union-attr]
        "<id:pictogram_id>": w.own.pictogram.pk,
    }


PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def path_parameters(route: str, values: dict[str, object]) -> dict[str, object]:
    """The route's parameters, by name, filled from `values` (keyed as the route writes them)."""
    filled: dict[str, object] = {}
    for match in PARAMETER.finditer(route):
        assert match.group(0) in values, (
            f"Teach the write walk how to fill the parameter {match.group(0)} of {route!r}."
        )
        filled[match.group(1)] = values[match.group(0)]
    return filled


def build_url(route: str, parameters: dict[str, object]) -> str:
    return "/" + PARAMETER.sub(lambda m: quote(str(parameters[m.group(1)]), safe=":"), route)


# --- The catalogue of writes ----------------------------------------------------------


def _first_run_details(w: World) -> dict[str, Any]:
    """The first-run page's details, with a fresh one-time code, as its form carries it."""
    password = "a long enough pass phrase for setup"
    return {
        "code": first_run_code_issue(),
        "name": "Dudley Health and Care Partnership",
        "place": "E08000027",
        "host_name": "Dudley host organisation",
        "host_kind": "icb",
        "admin_email": "first-admin@example.org",
        "admin_first_name": "",
        "admin_last_name": "",
        "admin_password": password,
        "admin_password_again": password,
    }


Body = Callable[[World], dict[str, Any]]


@dataclass(frozen=True)
class Id:
    """A field of a request that carries an id.

    `where` is "body", "path" or "query". `foreign` gives B's record of the kind, or is
    None where records of the kind are shared by every partner. A `filter` only narrows
    the set a page works on (which records it reads), so only the malformed ids apply."""

    field: str
    where: str = "body"
    foreign: Callable[[World], object] | None = None
    filter: bool = False


@dataclass(frozen=True)
class Write:
    role: str  # the role that may make it
    body: Body
    ids: tuple[Id, ...] = ()
    method: str = "post"
    path: Callable[[World], dict[str, object]] | None = None  # URL parameters other than A's defaults
    query: Callable[[World], dict[str, object]] | None = None
    changes: bool = True  # the valid request changes the database (not only the session)
    why: str = ""  # why it carries no ids, or why it changes nothing
    variant: str = ""  # which of the page's forms
    shared_for: frozenset[str] = frozenset()  # roles for whom B's records are theirs to use
    fresh_client: bool = False  # it signs in or out, or changes the password
    no_control: str = ""  # why a write without ids has no positive control here
    done: int = 302  # how a page answers when it has done it: a redirect, or the result shown

    def label(self, name: str) -> str:
        return f"{name} [{self.variant}]" if self.variant else name


def _day(prefix: str, day: date) -> dict[str, str]:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def _approved_quote(partner: Partner) -> Quote:
    return Quote.objects.get(conversation__organisation=partner.organisation)


def _b(get: Callable[[Partner], Any]) -> Callable[[World], object]:
    """B's record, as `get` finds it on a partner."""
    return lambda w: get(w.other).pk


def activity_form(w: World) -> dict[str, Any]:
    return {
        "title": "Carers' listening event",
        "purpose": "Hear what carers need from respite care.",
        "topic": "carers' breaks",
        "priority_ids": [str(w.own.priority.pk)],
        "stage": "plan",
        "involvement_type": "collective",
        "level": "consult",
        "methods": ["survey"],
        "target_groups": ["carers"],
        "area_ids": [str(w.area.pk)],
        **_day("starts_on", date(2026, 6, 1)),
        **_day("ends_on", date(2026, 6, 30)),
        "partner_organisation_ids": [str(w.practice.pk)],
        "contact_id": str(w.user(Role.ENGAGEMENT_OFFICER).pk),
        "status": "planned",
        "series_id": str(w.own_series.pk),
        "new_series_title": "",
        "confirm_overlaps": "on",
    }


def activity_json(w: World) -> dict[str, Any]:
    return {
        "title": "Carers' listening event",
        "purpose": "Hear what carers need from respite care.",
        "topic": "carers' breaks",
        "stage": "plan",
        "involvement_type": "collective",
        "level": "consult",
        "starts_on": "2026-06-01",
        "ends_on": "2026-06-30",
        "priority_ids": [w.own.priority.pk],
        "methods": ["survey"],
        "target_groups": ["carers"],
        "area_ids": [w.area.pk],
        "partner_organisation_ids": [w.practice.pk],
        "contact_id": w.user(Role.ENGAGEMENT_OFFICER).pk,
        "status": "planned",
        "series_id": w.own_series.pk,
        "confirm_overlaps": True,
    }


ACTIVITY_IDS = (
    Id("priority_ids"),  # the partnership's priorities are shared
    Id("area_ids"),  # so are its areas
    Id("partner_organisation_ids"),  # any active partner may be a partner of the activity
    Id("contact_id", foreign=lambda w: w.other.users[Role.ENGAGEMENT_OFFICER].pk),
    Id("series_id", foreign=lambda w: w.other_series.pk),
)


def decision_form(w: World) -> dict[str, Any]:
    return {
        "title": "Longer opening hours",
        "summary": "The reception opens until 8pm, because carers said they could not come earlier.",
        "decided_by": "board",
        "decided_by_name": "The partnership board",
        **_day("decided_on", date(2026, 4, 1)),
        "status": "agreed",
        "reason_not_taken": "",
        "activity_id": str(w.own.activity.pk),
        "priority_ids": [str(w.own.priority.pk)],
        "theme_ids": [str(w.subcategory.pk)],
        "note": "The date was agreed.",
    }


def decision_json(w: World) -> dict[str, Any]:
    return {
        "title": "Longer opening hours",
        "summary": "The reception opens until 8pm, because carers said they could not come earlier.",
        "decided_by": "board",
        "decided_by_name": "The partnership board",
        "decided_on": "2026-04-01",
        "status": "agreed",
        "activity_id": w.own.activity.pk,
        "priority_ids": [w.own.priority.pk],
        "theme_ids": [w.subcategory.pk],
        "note": "The date was agreed.",
    }


# The register, the priorities and the themes are shared: any of them may inform any
# partner's decision.
DECISION_IDS = (Id("activity_id"), Id("priority_ids"), Id("theme_ids"))


def screening_answers() -> dict[str, Any]:
    rules = current_rules()
    return {q.id: [q.options[0][0]] if q.kind == MANY else q.options[0][0] for q in rules.questions}


def person_form(w: World) -> dict[str, Any]:
    return {
        "given_name": "Olive",
        "family_name": "Newperson",
        "email": "olive.newperson@example.org",
        "phone": "07700 900999",
        "postcode": "DY1 1HF",
        "notes": "",
        "roles": ["volunteer"],
    }


def group_form(w: World) -> dict[str, Any]:
    return {
        "name": "Castle Street patient group",
        "kind": GroupKind.PATIENT_PARTICIPATION,
        "gp_practice": str(w.practice.pk),
        "area": "",
        "description": "",
        "is_active": "on",
    }


def organisation_form(w: World) -> dict[str, Any]:
    return {
        "name": "Riverside Carers' Trust",
        "short_name": "",
        "kind": "vcse",
        "website": "",
        "contact_email": "",
        "description": "",
        "is_active": "on",
    }


def import_file() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "survey-export.csv", b"Comment,Date\nThe reception was kind,2026-03-01\n", content_type="text/csv"
    )


def import_columns_body(w: World) -> dict[str, Any]:
    """Step 2 of an import: a fresh upload kept for mapping, named by its signed token."""
    path = pending.pending_dir() / f"{uuid.uuid4().hex}.csv"
    path.write_bytes(b"Comment,Date\nThe reception was kind,2026-03-01\n")
    upload = pending.PendingUpload(
        path=path, file_name="survey.csv", extra={"activity_id": w.own.activity.pk}
    )
    return {
        "upload": pending.pending_token(
            upload, kind=import_views.PENDING_KIND, organisation_id=w.own.organisation.pk
        ),
        "column_text": "Comment",
        "column_occurred_on": "Date",
        "default_channel": "survey",
        "rating_scale": "1-5",
        "action": "start",  # step 3's button: start the import
        "save_as": "",
    }


def people_columns_body(w: World) -> dict[str, Any]:
    """Step 2 of a people import: a fresh upload kept for mapping, named by its signed token."""
    path = pending.pending_dir() / f"{uuid.uuid4().hex}.csv"
    path.write_bytes(b"First name,Email\nAsha,asha@example.org\n")
    upload = pending.PendingUpload(path=path, file_name="contacts.csv", extra={"template": ""})
    return {
        "upload": pending.pending_token(
            upload, kind=people_import_views.PENDING_KIND, organisation_id=w.own.organisation.pk
        ),
        "column_given_name": "First name",
        "column_email": "Email",
        "group_kind": "community",
        "action": "start",
        "save_as": "",
    }


FRAMEWORK_FILE = b"""\
name = "Riverside themes"
version = "1"
description = "What people in Riverside talk about."

[[categories]]
name = "Housing"
description = "Homes and their upkeep."

  [[categories.subcategories]]
  name = "Damp and mould"
  description = "Damp, mould and condensation."
"""

OFFICER = Role.ENGAGEMENT_OFFICER
ORG_ADMIN = Role.ORGANISATION_ADMIN
PARTNERSHIP_ADMIN = Role.PARTNERSHIP_ADMIN
ANALYST = Role.ANALYST
# A partnership administrator manages every partner's users and organisations by design,
# so for them B's user, membership and organisation are not another organisation's.
ACCOUNTS_SHARED = frozenset({PARTNERSHIP_ADMIN})

WRITES: dict[str, tuple[Write, ...]] = {
    # --- The public site ---
    "site:give-feedback": (
        Write(
            "anonymous",
            lambda w: {
                "organisation": str(w.own.organisation.pk),
                "text": "The reception was kind.",
                "postcode": "",
                "website": "",
                "served": issue_token(now=time.time() - 60),
            },
            # The public may write to any active partner: there is no "foreign" one.
            ids=(Id("organisation"),),
        ),
    ),
    "site:emails-stop": (
        Write(
            "anonymous",
            lambda w: {},
            # The signed link is its own authority; one forged for B's person is refused.
            ids=(Id("token", "path", foreign=lambda w: f"{w.other.person.pk}:forged"),),
            done=200,  # the page says the emails have stopped
        ),
    ),
    # --- Accounts ---
    "accounts:sign-in": (
        Write(
            "anonymous",
            lambda w: {"username": w.user(Role.BOARD_MEMBER).email, "password": PASSWORD},
            why="no ids: an email address and a password",
            fresh_client=True,
        ),
    ),
    # --- The first-run page: public, opened by the one-time code engage serve prints ---
    "setup:first-run": (
        Write(
            "anonymous",
            lambda w: {"code": first_run_code_issue()},
            why="no ids: the one-time code",
            changes=False,
            fresh_client=True,
        ),
    ),
    "setup:first-run-partnership": (
        Write(
            "anonymous",
            _first_run_details,
            why="no ids: the partnership's name, its district's code from the ward lookup, and its first administrator",
            fresh_client=True,
            done=200,  # the confirmation page
        ),
    ),
    "setup:partnership-edit": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {"name": "Dudley Together"},
            why="no ids: the partnership's name",
            no_control="the walk's partnership is not set up (its first-run page is walked above); "
            "renaming is shown by engage/setup/tests/test_setup.py",
        ),
    ),
    "accounts:sign-out": (
        Write(
            Role.BOARD_MEMBER,
            lambda w: {},
            changes=False,
            why="no ids, and it changes only the session",
            fresh_client=True,
        ),
    ),
    "accounts:password-change": (
        Write(
            Role.BOARD_MEMBER,
            lambda w: {
                "old_password": PASSWORD,
                "new_password1": "another-long-passphrase-2026",
                "new_password2": "another-long-passphrase-2026",
            },
            why="no ids: the user's own passwords",
            fresh_client=True,
        ),
    ),
    "accounts:sign-in-code": (
        Write(
            "anonymous",
            lambda w: {"code": "123456"},
            why="no ids: the user waiting for a second factor is named by the session alone",
            no_control="its valid request needs a sign-in waiting in the session and a live code; "
            "engage/accounts/tests covers it",
        ),
    ),
    "accounts:password-reset": (
        Write(
            "anonymous",
            lambda w: {"email": w.user(Role.BOARD_MEMBER).email},
            changes=False,
            why="no ids: an email address; it emails a link and changes nothing until the link is used",
        ),
    ),
    "accounts:password-reset-confirm": (
        Write(
            "anonymous",
            lambda w: {
                "new_password1": "another-long-passphrase-2026",
                "new_password2": "another-long-passphrase-2026",
            },
            why="the user's id in the link is bound to its signed token (Django's password reset): "
            "another user's id, or one that does not exist, is an invalid link",
            no_control="its valid request needs the emailed token put in the session by a first visit; "
            "engage/accounts/tests covers it",
        ),
    ),
    "accounts:invitation-accept": (
        Write(
            "anonymous",
            lambda w: {
                "new_password1": "another-long-passphrase-2026",
                "new_password2": "another-long-passphrase-2026",
            },
            why="as accounts:password-reset-confirm: the user's id is bound to the invitation's signed token",
            no_control="its valid request needs the invitation's token put in the session by a first visit; "
            "engage/accounts/tests covers it",
        ),
    ),
    "accounts:authenticator-set-up": (
        Write(
            Role.BOARD_MEMBER,
            lambda w: {"code": "123456"},
            why="no ids: the device being set up is named by the session alone",
            no_control="its valid request needs the code an authenticator app shows; engage/accounts/tests covers it",
        ),
    ),
    "accounts:recovery-codes-new": (
        Write(
            Role.BOARD_MEMBER,
            lambda w: {},
            why="no ids: the user's own recovery codes",
            no_control="it changes only django-otp's devices, which are not the application's data; "
            "engage/accounts/tests covers it",
        ),
    ),
    "accounts:token-list": (
        Write(
            Role.BOARD_MEMBER,
            lambda w: {"name": "Monthly report script", "access": "read", "days": "30"},
            why="no ids: the token acts for the organisation in scope, which the service checks",
            done=200,  # the new key is shown once, on the page itself
        ),
    ),
    "accounts:token-revoke": (
        Write(
            OFFICER,
            lambda w: {},
            ids=(Id("prefix", "path", foreign=lambda w: w.other.token.prefix),),
            shared_for=ACCOUNTS_SHARED,
        ),
    ),
    "accounts:switch-organisation": (
        Write(
            OFFICER,
            lambda w: {"organisation": str(w.own.organisation.pk)},
            ids=(Id("organisation", foreign=_b(lambda p: p.organisation)),),
            changes=False,
            why="it changes only the session",
        ),
    ),
    "accounts:user-create": (
        Write(
            ORG_ADMIN,
            lambda w: {
                "first_name": "Nell",
                "last_name": "Newstaff",
                "email": "nell.newstaff@partner-a.example.org",
                "password": "a-brand-new-passphrase-2026",
                "organisation": str(w.own.organisation.pk),
                "role": Role.ANALYST,
            },
            ids=(Id("organisation", foreign=_b(lambda p: p.organisation)),),
            shared_for=ACCOUNTS_SHARED,
        ),
    ),
    "accounts:user-detail": (
        Write(
            ORG_ADMIN,
            lambda w: {"form": "update", "first_name": "Ada", "last_name": "Renamed", "is_active": "on"},
            ids=(Id("user_id", "path", foreign=lambda w: w.other.users[Role.ANALYST].pk),),
            variant="update",
            shared_for=ACCOUNTS_SHARED,
        ),
        Write(
            ORG_ADMIN,
            lambda w: {
                "form": "grant",
                "organisation": str(w.own.organisation.pk),
                "role": Role.BOARD_MEMBER,
            },
            ids=(
                Id("user_id", "path", foreign=lambda w: w.other.users[Role.ANALYST].pk),
                Id("organisation", foreign=_b(lambda p: p.organisation)),
            ),
            variant="grant",
            shared_for=ACCOUNTS_SHARED,
        ),
        Write(
            ORG_ADMIN,
            lambda w: {"form": "password"},
            ids=(Id("user_id", "path", foreign=lambda w: w.other.users[Role.ANALYST].pk),),
            variant="password",
            shared_for=ACCOUNTS_SHARED,
            changes=False,
            why="it emails the user a link to set a new password",
        ),
        Write(
            ORG_ADMIN,
            lambda w: {"form": "invitation"},
            ids=(Id("user_id", "path", foreign=lambda w: w.other.users[Role.ANALYST].pk),),
            path=lambda w: {"user_id": w.own_invited.pk},
            variant="invitation",
            shared_for=ACCOUNTS_SHARED,
            changes=False,
            why="it emails the invitation again",
        ),
        Write(
            ORG_ADMIN,
            lambda w: {"form": "second-factor"},
            ids=(Id("user_id", "path", foreign=lambda w: w.other.users[Role.ANALYST].pk),),
            variant="second-factor",
            shared_for=ACCOUNTS_SHARED,
            changes=False,
            why="it removes the user's authenticator, which django-otp keeps apart from the application's data",
        ),
    ),
    "accounts:membership-revoke": (
        Write(
            ORG_ADMIN,
            lambda w: {},
            ids=(
                Id("user_id", "path", foreign=lambda w: w.other.users[Role.ANALYST].pk),
                Id("membership_id", "path", foreign=lambda w: w.membership(w.other, Role.ANALYST).pk),
            ),
            shared_for=ACCOUNTS_SHARED,
        ),
    ),
    # --- People, groups and organisations ---
    "partners:person-create": (Write(OFFICER, person_form, why="no ids: a person's own details"),),
    "partners:person-edit": (
        Write(OFFICER, person_form, ids=(Id("person_id", "path", foreign=_b(lambda p: p.person)),)),
    ),
    "subject_access:request-create": (
        Write(
            ORG_ADMIN,
            lambda w: {},
            ids=(Id("person_id", "path", foreign=_b(lambda p: p.person)),),
        ),
    ),
    "partners:person-erase": (
        Write(
            OFFICER,
            lambda w: {"reason": "They asked to be forgotten.", "words": "keep_redacted"},
            ids=(Id("person_id", "path", foreign=_b(lambda p: p.person)),),
        ),
    ),
    "partners:consent-grant": (
        Write(
            OFFICER,
            lambda w: {
                "purpose": "quote",
                **_day("given_on", date(2026, 3, 1)),
                "method": "paper_form",
                "source": "",
            },
            ids=(Id("person_id", "path", foreign=_b(lambda p: p.person)),),
        ),
    ),
    "partners:consent-withdraw": (
        Write(
            OFFICER,
            lambda w: {**_day("withdrawn_on", date(2026, 3, 2)), "method": "email", "reason": ""},
            ids=(Id("person_id", "path", foreign=_b(lambda p: p.person)),),
        ),
    ),
    "partners:person-group-add": (
        Write(
            OFFICER,
            lambda w: {"group": str(w.own_group2.pk)},
            ids=(
                Id("person_id", "path", foreign=_b(lambda p: p.person)),
                Id("group", foreign=_b(lambda p: p.group)),
            ),
        ),
    ),
    "partners:person-group-remove": (
        Write(
            OFFICER,
            lambda w: {},
            ids=(
                Id("person_id", "path", foreign=_b(lambda p: p.person)),
                Id("group_id", "path", foreign=_b(lambda p: p.group)),
            ),
        ),
    ),
    "partners:group-create": (
        # Any partner that is a GP practice may be a group's practice: shared.
        Write(OFFICER, group_form, ids=(Id("gp_practice"),)),
    ),
    "partners:group-edit": (
        Write(
            OFFICER,
            group_form,
            ids=(Id("group_id", "path", foreign=_b(lambda p: p.group)), Id("gp_practice")),
        ),
    ),
    "partners:organisation-create": (
        Write(PARTNERSHIP_ADMIN, organisation_form, why="no ids: an organisation's own details"),
    ),
    "partners:organisation-edit": (
        # Only partnership administrators, who manage every partner: no "foreign" one.
        Write(PARTNERSHIP_ADMIN, organisation_form, ids=(Id("organisation_id", "path"),)),
    ),
    # --- The engagement register ---
    "activities:activity-create": (
        Write(
            OFFICER,
            activity_form,
            ids=(*ACTIVITY_IDS, Id("screening", "query", foreign=_b(lambda p: p.screening))),
            query=lambda w: {"screening": w.own.screening.pk},
        ),
    ),
    "activities:activity-edit": (
        Write(
            OFFICER,
            activity_form,
            ids=(Id("activity_id", "path", foreign=_b(lambda p: p.activity)), *ACTIVITY_IDS),
        ),
    ),
    "activities:overlap-review": (
        Write(
            OFFICER,
            lambda w: {"decision": "not_related", "note": ""},
            ids=(
                Id("activity_id", "path", foreign=_b(lambda p: p.activity)),
                Id("other_id", "path"),  # any other activity in the register
            ),
        ),
    ),
    "activities:priority-create": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {"title": "Healthy ageing", "description": "", "position": "3", "is_active": "on"},
            why="no ids: a priority's own words",
        ),
    ),
    "activities:priority-edit": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {"title": "Healthy ageing", "description": "", "position": "3", "is_active": "on"},
            ids=(Id("priority_id", "path"),),  # the partnership's priorities are shared
        ),
    ),
    # --- The partnership's areas: shared by every partner, arranged by its administrators ---
    "areas:area-new": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {"kind": "locality", "name": "Stourbridge"},
            why="no ids: a new area's name",
        ),
    ),
    "areas:area-edit": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {"name": "North and West", "ward_ids": [str(w.ward.pk)]},
            ids=(Id("area_id", "path"), Id("ward_ids")),  # areas are the partnership's, not a partner's
        ),
    ),
    "areas:area-merge": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {"into_id": str(w.localities[1].pk)},
            ids=(Id("area_id", "path"), Id("into_id")),
        ),
    ),
    "areas:area-retire": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {},
            ids=(Id("area_id", "path"),),
            path=lambda w: {"area_id": w.ward.pk},
        ),
    ),
    "areas:areas-from-lookup": (
        Write(PARTNERSHIP_ADMIN, lambda w: {}, why="no ids: the place's wards, from the loaded lookup"),
    ),
    "screening:screening-new": (
        Write(
            OFFICER,
            lambda w: {"title": "Moving the minor injuries unit", **screening_answers()},
            why="no ids: the answers are the rules file's choices",
        ),
    ),
    # --- Conversations and imports ---
    "conversations:conversation-create": (
        Write(
            OFFICER,
            lambda w: {
                "text": "The waiting room was cold.",
                "question": "",
                "channel": "event",
                **_day("occurred_on", date(2026, 3, 3)),
                "activity_id": str(w.own.activity.pk),
                "postcode": "",
            },
            ids=(Id("activity_id", foreign=_b(lambda p: p.activity)),),
        ),
    ),
    "imports:import-new": (
        Write(
            OFFICER,
            lambda w: {"file": import_file(), "template": GENERIC, "activity_id": str(w.own.activity.pk)},
            ids=(Id("activity_id", foreign=_b(lambda p: p.activity)),),
        ),
    ),
    "imports:import-columns": (
        Write(
            OFFICER,
            import_columns_body,
            why=(
                "no ids the client can choose: the upload is named only inside a value signed "
                "with the organisation's id, and its activity was checked at step 1 "
                "(imports:import-new) and is checked again by import_job_create"
            ),
        ),
    ),
    "imports:import-ratings": (
        Write(
            OFFICER,
            lambda w: {"action": "import", "rating_best": "highest"},
            path=lambda w: {"job_id": w.own_held_import.pk},
            ids=(Id("job_id", "path", foreign=_b(lambda p: p.import_job)),),
        ),
        Write(
            OFFICER,
            lambda w: {"action": "cancel"},
            path=lambda w: {"job_id": w.own_held_import.pk},
            ids=(Id("job_id", "path", foreign=_b(lambda p: p.import_job)),),
            variant="cancel",
        ),
    ),
    # --- Insight ---
    "insight:review": (
        Write(
            OFFICER,
            lambda w: {
                "conversation": str(w.own.conversation.pk),
                "category": [str(w.subcategory.pk)],
                "sentiment": "positive",
            },
            ids=(
                Id("conversation", foreign=_b(lambda p: p.conversation)),
                Id("category"),  # the framework's themes are shared
            ),
        ),
    ),
    "insight:framework": (
        Write(
            ANALYST,
            lambda w: {"name": "Interpreters", "parent": str(w.parent_category.pk), "description": ""},
            ids=(Id("parent"),),
        ),
    ),
    "insight:framework-load": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {"file": SimpleUploadedFile("riverside.toml", FRAMEWORK_FILE), "use": ""},
            why="no ids: a framework file",
        ),
    ),
    "insight:framework-choose": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {"framework": str(w.framework.pk)},
            ids=(Id("framework"),),  # frameworks are the partnership's, shared
        ),
    ),
    "insight:discover": (
        Write(
            ANALYST,
            lambda w: {"activity": str(w.own.activity.pk), "channel": ""},
            ids=(Id("activity", filter=True),),
        ),
    ),
    "insight:groups-merge": (
        Write(
            ANALYST,
            lambda w: {"group": [str(w.own.theme_group.pk), str(w.own_theme_group2.pk)]},
            ids=(
                Id("discovery_id", "path", foreign=_b(lambda p: p.discovery)),
                Id("group", foreign=_b(lambda p: p.theme_group)),
            ),
        ),
    ),
    "insight:group-split": (
        Write(
            ANALYST,
            lambda w: {"parts": "2"},
            ids=(
                Id("discovery_id", "path", foreign=_b(lambda p: p.discovery)),
                Id("theme_group_id", "path", foreign=_b(lambda p: p.theme_group)),
            ),
        ),
    ),
    "insight:group-promote": (
        Write(
            ANALYST,
            lambda w: {"name": "Kind reception", "parent": str(w.parent_category.pk), "description": ""},
            ids=(
                Id("discovery_id", "path", foreign=_b(lambda p: p.discovery)),
                Id("theme_group_id", "path", foreign=_b(lambda p: p.theme_group)),
                Id("parent"),  # the framework's categories are shared
            ),
        ),
    ),
    "insight:model-train": (Write(ANALYST, lambda w: {}, why="no ids: it queues training on every label"),),
    "insight:run-start": (Write(ANALYST, lambda w: {}, why="no ids: it analyses the whole bank"),),
    # --- Reach ---
    "reach:answers": (
        Write(
            ANALYST,
            lambda w: {
                "dimension": AGE.key,
                "answer": "twenty five to thirty four",
                "group": AGE.groups[0].name,
            },
            why="no ids: a survey wording and the name of a group",
        ),
    ),
    "reach:reference": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {
                "kind": "imd",
                "file": SimpleUploadedFile(
                    "imd.csv", b"LSOA code (2021),Index of Multiple Deprivation (IMD) Decile\n"
                ),
            },
            why="no ids: a reference file, loaded by the worker",
        ),
    ),
    "people-imports:new": (
        Write(
            OFFICER,
            lambda w: {
                "file": SimpleUploadedFile("contacts.csv", b"First name,Email\nAsha,asha@example.org\n"),
                "template": "Contact list",
            },
            why="no ids: a file kept for its columns to be matched, named only in a signed value",
        ),
    ),
    "people-imports:columns": (
        Write(
            OFFICER,
            people_columns_body,
            why=(
                "no ids the client can choose: the upload is named only inside a value signed with "
                "the organisation's id; the people are made in the organisation in scope"
            ),
        ),
    ),
    "registers:register-load": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {
                "register": "ods_gp",
                "file": SimpleUploadedFile("epraccur.csv", b'"M87001","THE HILL SURGERY"\n'),
                "postcode_prefixes": "DY",
                "commissioners": "",
            },
            why="no ids: a register's file, loaded by the worker",
        ),
    ),
    # --- Retention: the partnership's rules, set by its administrators ---
    "retention:rule-edit": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {"amount": "60", "unit": "months"},
            why="no ids: a period of time for a kind of data, named in the path",
        ),
    ),
    # --- You said, we did ---
    # --- Correcting and deleting what people said: the organisation that heard it ---
    "conversations:conversation-correct": (
        Write(
            OFFICER,
            lambda w: {
                "correct": "1",
                "correct-text": "Corrected: the receptionist was helpful",
                "correct-question": "",
                "correct-channel": "survey",
                **_day("correct-occurred_on", date(2026, 3, 1)),
                "correct-rating": "",
                "correct-age_band": "",
                "correct-sex": "",
                "correct-ethnic_group": "",
                "correct-disability": "",
                "correct-carer": "",
                "correct-reason": "The person rang to correct it.",
            },
            ids=(Id("conversation_id", "path", foreign=_b(lambda p: p.conversation)),),
            variant="correct",
        ),
        Write(
            OFFICER,
            lambda w: {
                "passage": "1",
                "passage-passage": "the receptionist",
                "passage-passage_reason": "Names a member of staff.",
            },
            ids=(Id("conversation_id", "path", foreign=_b(lambda p: p.conversation)),),
            variant="take a passage out",
        ),
    ),
    "conversations:conversation-delete": (
        Write(
            OFFICER,
            lambda w: {"reason": "The person asked us to delete it."},
            ids=(Id("conversation_id", "path", foreign=_b(lambda p: p.conversation)),),
        ),
    ),
    # --- Quotes: only the organisation that heard a conversation decides on its words ---
    # What an organisation shares with the partnership (engage/partnership/sharing).
    "sharing:sharing": (
        Write(
            ORG_ADMIN,
            lambda w: {
                "level": "counts",
                "agreement_name": "Riverside information sharing agreement",
                **_day("agreement_dated", date(2026, 1, 15)),
            },
            why="It names no record: the organisation in scope is the one whose sharing changes.",
        ),
    ),
    "sharing:sharing-activity": (
        Write(
            OFFICER,
            lambda w: {"level": "nothing"},
            ids=(Id("activity_id", "path", foreign=_b(lambda p: p.activity)),),
        ),
    ),
    "sharing:sharing-import": (
        Write(
            OFFICER,
            lambda w: {"level": "nothing"},
            ids=(Id("job_id", "path", foreign=_b(lambda p: p.import_job)),),
        ),
    ),
    # --- Evaluation (engage/evaluation): only the lead organisation's team writes its own ---
    "evaluation:open": (
        Write(
            OFFICER,
            lambda w: {},
            ids=(Id("activity_id", "path", foreign=_b(lambda p: p.activity)),),
            changes=False,
            why="The walk's activity has its evaluation open already: opening again changes nothing.",
        ),
    ),
    "evaluation:cost": (
        Write(
            OFFICER,
            lambda w: {
                "staff_hours": "12",
                "volunteer_hours": "3",
                "cost_pounds": "150",
                "what_worked": "Going to the market.",
                "what_did_not": "Too short.",
            },
            ids=(Id("activity_id", "path", foreign=_b(lambda p: p.activity)),),
        ),
    ),
    "evaluation:influence": (
        Write(
            OFFICER,
            lambda w: {"influence_note": "It goes to the next review."},
            ids=(Id("activity_id", "path", foreign=_b(lambda p: p.activity)),),
        ),
    ),
    "evaluation:principles": (
        Write(
            OFFICER,
            lambda w: {f"principle_{Principle.objects.order_by('pk').first().pk}": "met"},  # type: ignore[union-attr]
            ids=(Id("activity_id", "path", foreign=_b(lambda p: p.activity)),),
        ),
    ),
    "evaluation:participants-close": (
        Write(
            OFFICER,
            lambda w: {"not_asked": ""},
            ids=(Id("activity_id", "path", foreign=_b(lambda p: p.activity)),),
        ),
    ),
    "evaluation:participants-reopen": (
        Write(OFFICER, lambda w: {}, ids=(Id("activity_id", "path", foreign=_b(lambda p: p.activity)),)),
    ),
    "evaluation:answer-enter": (
        Write(
            OFFICER,
            lambda w: {"listened": "4", "comment": "Typed in from paper."},
            ids=(Id("activity_id", "path", foreign=_b(lambda p: p.activity)),),
        ),
    ),
    # A participant's link is its own authority: whoever holds one answers, for any partner.
    "site:evaluate": (
        Write(
            "anonymous",
            lambda w: {"listened": "5", "comment": "Kind staff."},
            path=lambda w: {"token": Evaluation.objects.get(activity=w.own.activity).public_token},
            why="The link is its own authority (anyone given it answers); an unknown one is a 404 (the "
            "evaluation app's page tests).",
        ),
    ),
    "site:score": (
        Write(
            "anonymous",
            lambda w: {f"score_{w.statement.pk}": "6"},
            path=lambda w: {"token": w.scoring_token},
            why="The single-use link is its own authority, and scores carry no ids but the round's statements.",
        ),
    ),
    "self_assessment:round-open": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {"title": "Autumn round"},
            why="no ids: the round's name",
            no_control="the walk's partnership has a round open (its links and closing are walked), and one "
            "round is open at a time; opening is shown by engage/evaluation/tests/test_pages.py",
        ),
    ),
    "self_assessment:links": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {"group": "vcse", "count": "2"},
            ids=(Id("round_id", "path"),),  # the partnership's rounds, no partner's
            done=200,  # the links, shown once
        ),
    ),
    "self_assessment:round-close": (Write(PARTNERSHIP_ADMIN, lambda w: {}, ids=(Id("round_id", "path"),)),),
    "self_assessment:statements": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {"text": "Partners share learning freely", "is_active": "on"},
            why="no ids: the statement's words",
        ),
    ),
    "self_assessment:statement-edit": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {"text": w.statement.text},  # retire it
            ids=(Id("statement_id", "path"),),
        ),
    ),
    "self_assessment:objective-create": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {
                "title": "Impact of the VCSE",
                "owner": "Healthwatch",
                **_day("due_on", date(2027, 3, 31)),
                "status": "on_track",
                "statements": [str(w.statement.pk)],
                "activities": str(w.own.activity.pk),
            },
            # Statements are the partnership's; every partner's activities may work towards it.
            ids=(Id("statements"), Id("activities")),
        ),
    ),
    "self_assessment:objective": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {
                "title": w.objective.title,
                "owner": "Healthwatch",
                **_day("due_on", date(2027, 3, 31)),
                "status": "at_risk",
                "statements": [str(w.statement.pk)],
                "activities": str(w.other.activity.pk),
            },
            ids=(Id("objective_id", "path"), Id("statements"), Id("activities")),
        ),
    ),
    "self_assessment:action-add": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {
                "action-title": "Fund VCSE time",
                "action-owner": "ICB finance",
                **_day("action-due_on", date(2027, 6, 1)),
                "action-status": "not_started",
            },
            ids=(Id("objective_id", "path"),),
        ),
    ),
    "self_assessment:action-edit": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {
                "action-title": "Report yearly",
                "action-owner": "Healthwatch",
                **_day("action-due_on", date(2027, 1, 1)),
                "action-status": "done",
            },
            ids=(Id("objective_id", "path"), Id("action_id", "path")),
        ),
    ),
    "self_assessment:principles": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {"title": "We go where people are", "is_active": "on"},
            why="no ids when adding a principle (a change names one by its number: the pages' tests)",
        ),
    ),
    # --- Reports (engage/reports): a draft is its organisation's own to write ---
    "reports:new": (
        Write(
            OFFICER,
            lambda w: {
                "title": "Our Local Account",
                "month_from": "2025-04",
                "month_to": "2026-03",
                "priorities": [str(w.own.priority.pk)],
                "sections": ["heard"],
            },
            query=lambda w: {"kind": "local_account"},
            ids=(Id("priorities"),),  # the partnership's priorities, no partner's
            variant="local account",
        ),
        Write(
            OFFICER,
            lambda w: {"activity": str(w.own.activity.pk), "title": ""},
            query=lambda w: {"kind": "activity"},
            ids=(Id("activity", foreign=_b(lambda p: p.activity)),),
            variant="activity report",
        ),
    ),
    "reports:edit": (
        Write(
            OFFICER,
            lambda w: {
                "title": "Renamed",
                "month_from": "2025-05",
                "month_to": "2026-03",
                "priorities": [str(w.own.priority.pk)],
                "sections": ["heard", "did"],
            },
            ids=(Id("report_id", "path", foreign=_b(lambda p: p.report)), Id("priorities")),
        ),
    ),
    "reports:section": (
        Write(
            OFFICER,
            lambda w: {"text": "We listened all year."},
            ids=(Id("report_id", "path", foreign=_b(lambda p: p.report)),),
        ),
    ),
    "reports:rebuild": (
        Write(OFFICER, lambda w: {}, ids=(Id("report_id", "path", foreign=_b(lambda p: p.report)),)),
    ),
    "reports:publish": (
        Write(
            PARTNERSHIP_ADMIN, lambda w: {}, ids=(Id("report_id", "path", foreign=_b(lambda p: p.report)),)
        ),
    ),
    "reports:withdraw": (
        Write(
            OFFICER,
            lambda w: {},
            path=lambda w: {"report_id": w.own_published_report.pk},
            ids=(Id("report_id", "path", foreign=_b(lambda p: p.report)),),
        ),
    ),
    "reports:delete": (
        Write(OFFICER, lambda w: {}, ids=(Id("report_id", "path", foreign=_b(lambda p: p.report)),)),
    ),
    "reports:easy-read-draft": (
        Write(OFFICER, lambda w: {}, ids=(Id("report_id", "path", foreign=_b(lambda p: p.report)),)),
    ),
    "reports:easy-read-add": (
        Write(
            OFFICER,
            lambda w: {
                "new-section_key": "next",
                "new-text": "We will **tell you** what happens.",
                "new-picture": "next",
                "new-uploaded_picture": str(w.other.pictogram.pk),
            },
            # Pictures are uploaded for every partner to use.
            ids=(Id("report_id", "path", foreign=_b(lambda p: p.report)), Id("new-uploaded_picture")),
        ),
    ),
    "reports:easy-read-point": (
        Write(
            OFFICER,
            lambda w: {
                f"p{w.own.report.easy_read_points.get().pk}-section_key": "summary",
                f"p{w.own.report.easy_read_points.get().pk}-text": "We **listened**.",
                f"p{w.own.report.easy_read_points.get().pk}-picture": "listen",
            },
            ids=(
                Id("report_id", "path", foreign=_b(lambda p: p.report)),
                Id("point_id", "path", foreign=_b(lambda p: p.report.easy_read_points.get())),
            ),
        ),
    ),
    "reports:easy-read-point-delete": (
        Write(
            OFFICER,
            lambda w: {},
            ids=(
                Id("report_id", "path", foreign=_b(lambda p: p.report)),
                Id("point_id", "path", foreign=_b(lambda p: p.report.easy_read_points.get())),
            ),
        ),
    ),
    "reports:jargon": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {"term": "synergy", "plain": "working together"},
            why="no ids: a word and its plainer words",
        ),
    ),
    "reports:jargon-delete": (Write(PARTNERSHIP_ADMIN, lambda w: {}, ids=(Id("term_id", "path"),)),),
    "reports:pictures": (
        Write(
            OFFICER,
            lambda w: {
                "name": "Our hub",
                "description": "The front of the hub",
                "licence": "Our own photograph",
                "file": SimpleUploadedFile("hub.png", _PNG, content_type="image/png"),
            },
            why="no ids: an uploaded picture and its words",
        ),
    ),
    "board:refresh": (
        Write(
            PARTNERSHIP_ADMIN,
            lambda w: {},
            why="no ids: it asks the worker to work the board's page out again",
        ),
    ),
    "quotes:quote-decide": (
        Write(
            OFFICER,
            lambda w: {"decision": "approve"},
            ids=(Id("conversation_id", "path", foreign=_b(lambda p: p.conversation)),),
        ),
    ),
    "quotes:quote-edit": (
        Write(
            OFFICER,
            lambda w: {"text": candidate_text(w.own.conversation.text)},
            ids=(Id("conversation_id", "path", foreign=_b(lambda p: p.conversation)),),
        ),
    ),
    "quotes:quote-undo": (
        Write(
            OFFICER,
            lambda w: {},
            path=lambda w: {"conversation_id": _approved_quote(w.own).conversation_id},
            ids=(Id("conversation_id", "path", foreign=lambda w: _approved_quote(w.other).conversation_id),),
        ),
    ),
    "quotes:quote-consent-grant": (
        Write(
            OFFICER,
            lambda w: {"method": "verbal"},
            path=lambda w: {"conversation_id": w.own_conversation2.pk},
            ids=(Id("conversation_id", "path", foreign=_b(lambda p: p.conversation)),),
        ),
    ),
    "quotes:quote-consent-withdraw": (
        Write(
            OFFICER,
            lambda w: {"method": "email", "reason": "They rang to say so."},
            ids=(Id("conversation_id", "path", foreign=_b(lambda p: p.conversation)),),
        ),
    ),
    "quotes:conversation-person": (
        Write(
            OFFICER,
            # The email names one of A's people; B's person's email is refused by
            # engage/conversations/tests/test_quotes.py (an email is not an id to walk).
            lambda w: {"email": w.own.person.email},
            ids=(Id("conversation_id", "path", foreign=_b(lambda p: p.conversation)),),
        ),
    ),
    "decisions:decision-create": (Write(OFFICER, decision_form, ids=DECISION_IDS),),
    "decisions:decision-edit": (
        Write(
            OFFICER,
            decision_form,
            ids=(Id("decision_id", "path", foreign=_b(lambda p: p.decision)), *DECISION_IDS),
        ),
    ),
    "decisions:activity-publish": (
        Write(
            OFFICER,
            lambda w: {
                "easy_read": "We listened. We changed the opening hours.",
                "decision": [str(w.own.decision.pk)],
            },
            ids=(
                Id("activity_id", "path", foreign=_b(lambda p: p.activity)),
                Id("decision", foreign=_b(lambda p: p.decision)),
            ),
        ),
    ),
    "decisions:evidence-add": (
        Write(
            OFFICER,
            lambda w: {"decision": str(w.own.decision.pk), "conversation": [str(w.own_conversation2.pk)]},
            ids=(
                Id("decision"),  # evidence may be linked to any partner's decision
                Id("conversation", foreign=_b(lambda p: p.conversation)),
            ),
        ),
    ),
    "decisions:theme-evidence-add": (
        Write(
            OFFICER,
            lambda w: {
                "decision": str(w.own.decision.pk),
                "theme": str(w.subcategory.pk),
                "activity": str(w.own.activity.pk),
                "priority": str(w.own.priority.pk),
            },
            ids=(
                Id("decision"),  # any partner's decision
                Id("theme"),  # the framework's themes are shared
                Id("activity", filter=True),
                Id("priority", filter=True),
            ),
        ),
    ),
    "decisions:evidence-remove": (
        Write(
            OFFICER,
            lambda w: {"conversation": [str(w.own.conversation.pk)]},
            ids=(
                Id("decision_id", "path"),  # any partner's decision
                Id("conversation", foreign=_b(lambda p: p.conversation)),
            ),
        ),
    ),
    "decisions:theme-proposal-decide": (
        Write(
            OFFICER,
            lambda w: {"answer": "accept"},
            ids=(
                Id("decision_id", "path", foreign=_b(lambda p: p.decision)),
                Id("proposal_id", "path", foreign=_b(lambda p: p.proposal)),
            ),
        ),
    ),
    "decisions:feedback-retry": (
        Write(
            OFFICER,
            lambda w: {},
            # The organisation's own emails about any partner's decision are retried.
            ids=(Id("decision_id", "path"),),
        ),
    ),
    "decisions:participants-add": (
        Write(
            OFFICER,
            lambda w: {"person": [str(w.own_person2.pk)], "group": str(w.own_group2.pk)},
            ids=(
                Id("activity_id", "path"),  # people take part in any partner's activity
                Id("person", foreign=_b(lambda p: p.person)),
                Id("group", foreign=_b(lambda p: p.group)),
            ),
        ),
    ),
    "decisions:participants-remove": (
        Write(
            OFFICER,
            lambda w: {"person": [str(w.own.person.pk)]},
            ids=(Id("activity_id", "path"), Id("person", foreign=_b(lambda p: p.person))),
        ),
    ),
    # --- The API ---
    "api:activity-list": (Write(OFFICER, activity_json, ids=ACTIVITY_IDS),),
    "api:activity-detail": (
        Write(
            OFFICER,
            activity_json,
            ids=(Id("activity_id", "path", foreign=_b(lambda p: p.activity)), *ACTIVITY_IDS),
            method="put",
        ),
    ),
    "api:screening-list": (
        Write(
            OFFICER,
            lambda w: {
                "title": "Moving the minor injuries unit",
                "answers": screening_answers(),
                "activity_id": w.own.activity.pk,
            },
            ids=(Id("activity_id", foreign=_b(lambda p: p.activity)),),
        ),
    ),
    "api:decision-list": (Write(OFFICER, decision_json, ids=DECISION_IDS),),
    "api:decision-detail": (
        Write(
            OFFICER,
            decision_json,
            ids=(Id("decision_id", "path", foreign=_b(lambda p: p.decision)), *DECISION_IDS),
            method="put",
        ),
    ),
    "api:decision-evidence": (
        Write(
            OFFICER,
            lambda w: {"conversation_ids": [w.own_conversation2.pk]},
            ids=(
                Id("decision_id", "path"),  # any partner's decision
                Id("conversation_ids", foreign=_b(lambda p: p.conversation)),
            ),
        ),
    ),
    "api:activity-publication": (
        Write(
            OFFICER,
            lambda w: {"easy_read": "We listened.", "decision_ids": [w.own.decision.pk]},
            ids=(
                Id("activity_id", "path", foreign=_b(lambda p: p.activity)),
                Id("decision_ids", foreign=_b(lambda p: p.decision)),
            ),
        ),
    ),
    "api:activity-participants": (
        Write(
            OFFICER,
            lambda w: {"person_ids": [w.own_person2.pk], "group_id": w.own_group2.pk},
            ids=(
                Id("activity_id", "path"),  # people take part in any partner's activity
                Id("person_ids", foreign=_b(lambda p: p.person)),
                Id("group_id", foreign=_b(lambda p: p.group)),
            ),
        ),
    ),
}


# Pages that only read but answer a POST as they answer a GET (they have no require_GET).
# The walk posts to each as the role most likely permitted and proves that nothing
# changes; they are listed so that a new page is either taught above as a write or
# named here deliberately.
READS_THAT_TAKE_POST = frozenset(
    {
        "accounts:password-reset-sent",
        "accounts:password-set",
        "accounts:two-factor",
        "accounts:user-list",
        "activities:activity-calendar",
        "activities:activity-detail",
        "activities:activity-export-csv",
        "activities:activity-export-ical",
        "activities:activity-list",
        "activities:activity-timeline",
        "activities:coverage",
        "activities:priority-list",
        "conversations:conversation-detail",
        "conversations:conversation-list",
        "decisions:decision-detail",
        "decisions:decision-list",
        "decisions:loop",
        "decisions:participants",
        "insight:discovery",
        "insight:model-training-status",
        "insight:models",
        "insight:run-status",
        "insight:themes",
        "partners:contact-list",
        "partners:contact-list-export",
        "partners:group-detail",
        "partners:group-list",
        "partners:organisation-list",
        "partners:person-detail",
        "partners:person-list",
        "reach:board",
        "reach:compare",
        "reach:export",
        "reach:reach",
        "screening:screening-detail",
        "screening:screening-list",
        "staff:audit",
        "staff:home",
    }
)


# --- Sending a request and judging the answer -----------------------------------------


@dataclass
class Outcome:
    status: int
    location: str = ""
    text: str = ""
    data: Any = None  # the API's JSON
    messages: list[tuple[int, str]] = field(default_factory=list)
    error: str = ""  # the exception a 5xx raised
    changed: list[str] = field(default_factory=list)  # tables the request changed

    def describe(self) -> str:
        if self.error:
            return f"raised {self.error}"
        parts = [f"answered {self.status}"]
        if self.location:
            parts.append(f"to {self.location}")
        if self.data is not None:
            parts.append(f"with {json.dumps(self.data)[:300]}")
        elif shown := page_errors(self.text):
            parts.append(f"showing {shown!r}")
        if self.messages:
            parts.append("with the message " + "; ".join(repr(text) for _, text in self.messages))
        return " ".join(parts)


def page_errors(text: str) -> str:
    """The errors a page shows, in words: its error summary, or a domain error's message."""
    found = re.findall(r'class="[^"]*nhsuk-error-summary__list[^"]*"[^>]*>(.*?)</ul>', text, re.S)
    if not found:
        found = re.findall(r"<h1[^>]*>There is a problem</h1>\s*<p[^>]*>(.*?)</p>", text, re.S)
    words = " ".join(re.sub(r"<[^>]+>", " ", part) for part in found)
    return unescape(" ".join(words.split()))[:300]


def shows_an_error(outcome: Outcome) -> bool:
    return (
        "nhsuk-error-summary" in outcome.text
        or "nhsuk-error-message" in outcome.text
        or any(level >= message_levels.ERROR for level, _ in outcome.messages)
    )


@dataclass(frozen=True)
class Request:
    name: str
    route: str
    write: Write
    path: dict[str, object]
    body: dict[str, Any]
    query: dict[str, object]

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    def url(self) -> str:
        url = build_url(self.route, self.path)
        return f"{url}?{urlencode(self.query, doseq=True)}" if self.query else url

    def value_of(self, id_field: Id) -> object:
        """The value the valid request gives the field (the first, of a list)."""
        current = {"path": self.path, "body": self.body, "query": self.query}[id_field.where].get(
            id_field.field
        )
        return current[0] if isinstance(current, list) and current else current

    def replaced(self, id_field: Id, value: object) -> Request:
        """This request with `id_field` set to `value` (one element of a list)."""
        path, body, query = dict(self.path), dict(self.body), dict(self.query)
        target = {"path": path, "body": body, "query": query}[id_field.where]
        assert id_field.field in target, (
            f"{self.write.label(self.name)}: the valid request has no {id_field.where} field {id_field.field!r}."
        )
        if not self.is_api and id_field.where == "body":
            value = str(value)
        current = target[id_field.field]
        target[id_field.field] = [value, *current[1:]] if isinstance(current, list) else value
        return Request(self.name, self.route, self.write, path, body, query)


def routes() -> dict[str, str]:
    return {name: route for route, name in every_pattern()}


def valid_request(w: World, name: str, write: Write, route: str) -> Request:
    path = path_parameters(route, own_path_values(w)) | (write.path(w) if write.path else {})
    return Request(name, route, write, path, write.body(w), write.query(w) if write.query else {})


def send(client: Client, request: Request, method: str) -> Outcome:
    """Send the request; the answer, or the exception it raised (as a 500)."""
    client.cookies.pop("messages", None)  # messages left by an earlier case
    url = request.url()
    try:
        if request.is_api:
            response = getattr(client, method)(
                url, data=json.dumps(request.body), content_type="application/json"
            )
        else:
            response = getattr(client, method)(url, data=request.body)
    except Exception as error:  # a 500, reported with the case
        return Outcome(500, error=f"{type(error).__name__}: {error}"[:400])
    storage = getattr(response.wsgi_request, "_messages", None)
    said = [*getattr(storage, "_loaded_messages", []), *getattr(storage, "_queued_messages", [])]
    data = None
    if request.is_api and response.get("Content-Type", "").startswith("application/json"):
        data = response.json()
    return Outcome(
        status=response.status_code,
        location=response.get("Location", ""),
        text="" if getattr(response, "streaming", False) else response.content.decode(errors="replace"),
        data=data,
        messages=[(m.level, str(m.message)) for m in said],
    )


def client_for(w: World, write: Write, role: str) -> Client:
    return _signed_in(w.own, role) if write.fresh_client else w.clients[role]


def attempt(w: World, write: Write, role: str, request: Request, method: str) -> Outcome:
    """Send the request inside a transaction that is then rolled back, and note which
    tables it changed."""
    with transaction.atomic():
        client = client_for(w, write, role)
        # Signing a fresh client in writes its last sign-in time: compare with after that.
        before = fingerprint() if write.fresh_client else w.baseline
        outcome = send(client, request, method)
        if not outcome.error:
            outcome.changed = changed_tables(before, fingerprint())
        transaction.set_rollback(True)
    return outcome


def all_writes() -> Iterator[tuple[str, Write]]:
    for name, writes in WRITES.items():
        for write in writes:
            yield name, write


NON_ASCII_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def bad_values(w: World, id_field: Id, valid: Request) -> list[tuple[str, object]]:
    values: list[tuple[str, object]] = []
    if not id_field.filter:
        if id_field.foreign is not None:
            values.append(("another organisation's", id_field.foreign(w)))
        values.append(("does not exist", MISSING))
    values.extend(BAD_FORMATS)
    # The valid id itself in Arabic-Indic digits: int() reads it as that id, so a check
    # that parses with int() accepts it (and "٣" is refused only where no record is 3).
    own = valid.value_of(id_field)
    if str(own).isdecimal() and str(own).isascii():
        values.append(("yours, in Arabic-Indic digits", str(own).translate(NON_ASCII_DIGITS)))
    return values


def success_problem(request: Request, outcome: Outcome) -> str | None:
    if outcome.error:
        return f"raised {outcome.error}"
    if request.is_api:
        if not 200 <= outcome.status < 300:
            return outcome.describe()
    elif (
        outcome.status != request.write.done
        or SIGN_IN in outcome.location
        or (outcome.status == 200 and shows_an_error(outcome))
        or any(level >= message_levels.ERROR for level, _ in outcome.messages)
    ):
        return outcome.describe()
    if request.write.changes and not outcome.changed:
        return f"succeeded ({outcome.describe()}) but changed nothing in the database"
    return None


def refusal_problem(request: Request, id_field: Id, outcome: Outcome) -> str | None:
    """What is wrong with how the request with a bad id was answered, if anything."""
    if outcome.error:
        return f"raised {outcome.error}"
    if outcome.status >= 500:
        return f"answered {outcome.status}"
    if outcome.changed:
        return f"accepted it and changed {', '.join(outcome.changed)} ({outcome.describe()})"
    if id_field.where == "path":
        if outcome.status in (400, 403, 404):
            return None
        return f"did not refuse it ({outcome.describe()}): an id in the path that is not yours or does not exist is a 404"
    if request.is_api:
        if outcome.status != 400:
            return f"did not refuse it with a 400 ({outcome.describe()})"
        if not (isinstance(outcome.data, dict) and id_field.field in outcome.data):
            return f"answered 400 without naming {id_field.field!r} ({outcome.describe()})"
        return None
    if outcome.status in (400, 404) or (outcome.status == 200 and shows_an_error(outcome)):
        return None
    return f"did not refuse it with a 400 or the form's error ({outcome.describe()})"


# --- Finding the writes ---------------------------------------------------------------

DISCOVERY_ORDER = ("anonymous", ORG_ADMIN, OFFICER, PARTNERSHIP_ADMIN, ANALYST, Role.BOARD_MEMBER)


def _answers_method(w: World, route: str, url: str, method: str) -> tuple[bool, list[str]]:
    """Whether the URL takes `method` (it does unless the role most likely permitted, the
    first that is neither refused nor sent to sign in, is answered 405); and the tables
    an empty request changed."""
    needed = getattr(resolve(url).func, "required_permissions", None)
    if needed:
        candidates = [r for r in Role.values if all(p in ROLE_PERMISSIONS[r] for p in needed)]
    else:
        candidates = [r for r in DISCOVERY_ORDER if not (route.startswith("api/") and r == "anonymous")]
    for role in candidates:
        client = w.clients[role]
        with transaction.atomic():
            try:
                if route.startswith("api/"):
                    response = getattr(client, method)(url, data="{}", content_type="application/json")
                else:
                    response = getattr(client, method)(url, data={})
            except Exception:  # a 500 is not a 405: the URL takes the method
                transaction.set_rollback(True)
                return True, []
            changed = changed_tables(w.baseline, fingerprint())
            transaction.set_rollback(True)
        if response.status_code == 405:
            return False, []
        if response.status_code == 403 or (response.status_code == 302 and SIGN_IN in response["Location"]):
            continue
        return True, changed
    return True, []


def discovered_writes(w: World) -> dict[tuple[str, str], tuple[str, list[str]]]:
    """(URL name, method) of every URL that takes a POST (or, under /api/, a PUT), with
    its URL and the tables an empty request changed."""
    values = own_path_values(w)
    found: dict[tuple[str, str], tuple[str, list[str]]] = {}
    for route, name in every_pattern():
        url = build_url(route, path_parameters(route, values))
        for method in ("post", "put") if route.startswith("api/") else ("post",):
            takes, changed = _answers_method(w, route, url, method)
            if takes:
                found[(name, method)] = (url, changed)
    return found


# --- The tests ------------------------------------------------------------------------


def test_every_write_endpoint_is_known_to_the_walk(world: World) -> None:
    found = discovered_writes(world)
    catalogued = {(name, write.method) for name, write in all_writes()}
    reads = {(name, "post") for name in READS_THAT_TAKE_POST}
    assert len(found.keys() - reads) > 30, "The walk should find every form and API write the project serves."
    problems = [
        f"Teach the write walk a valid request for {name} ({method.upper()} {url}): add it to WRITES "
        "with the fields that carry ids (or none, saying why), or, if it only reads, to READS_THAT_TAKE_POST."
        for (name, method), (url, _) in sorted(found.items())
        if (name, method) not in catalogued | reads
    ]
    problems += [
        f"The write walk knows {name} ({method.upper()}), which no longer takes it: remove it from WRITES "
        "or READS_THAT_TAKE_POST."
        for name, method in sorted((catalogued | reads) - found.keys())
    ]
    problems += [
        f"{name} is listed as a page that only reads, but a POST to it changed {', '.join(changed)}."
        for (name, method), (_, changed) in sorted(found.items())
        if (name, method) in reads and changed
    ]
    for name, write in all_writes():
        if not (write.ids or write.why):
            problems.append(f"{write.label(name)} carries no ids: say why in its entry.")
        if write.ids and write.no_control:
            problems.append(f"{write.label(name)} carries ids, so it needs its positive control.")
    assert not problems, "\n".join(problems)


def test_each_write_succeeds_for_its_own_role(world: World) -> None:
    """The positive control: A's valid request succeeds (and changes the database), so
    that the refusals below are refusals of the bad id alone."""
    route_of = routes()
    problems = []
    for name, write in all_writes():
        if write.no_control:
            continue
        request = valid_request(world, name, write, route_of[name])
        outcome = attempt(world, write, write.role, request, write.method)
        if problem := success_problem(request, outcome):
            problems.append(
                f"{write.label(name)} as {write.role} ({write.method.upper()} {request.url()}): {problem}"
            )
    assert not problems, "The valid request of each write must succeed:\n" + "\n".join(problems)


def test_an_id_that_is_not_yours_or_does_not_exist_is_refused_by_field(world: World) -> None:
    route_of = routes()
    problems = []
    checked = 0
    for name, write in all_writes():
        valid = valid_request(world, name, write, route_of[name]) if write.ids else None
        for id_field in write.ids:
            assert valid is not None
            for kind, value in bad_values(world, id_field, valid):
                request = valid.replaced(id_field, value)
                outcome = attempt(world, write, write.role, request, write.method)
                checked += 1
                if problem := refusal_problem(request, id_field, outcome):
                    problems.append(
                        f"{write.label(name)}: {id_field.where} field {id_field.field!r} = {value!r} "
                        f"({kind}) as {write.role}: {problem} [{write.method.upper()} {request.url()}]"
                    )
    assert checked > 300
    assert not problems, f"{len(problems)} of {checked} bad ids were not refused:\n" + "\n".join(problems)


def test_no_role_changes_anything_with_another_organisations_ids(world: World) -> None:
    """Every id of the request set to B's record (or, where records of the kind are
    shared, or the role may use B's, to one that does not exist), sent by the public and
    by each of A's roles: nothing anywhere changes, and nothing fails."""
    route_of = routes()
    problems = []
    for name, write in all_writes():
        targets = [i for i in write.ids if not i.filter]
        if not targets:
            continue
        for role in ROLES:
            request = valid_request(world, name, write, route_of[name])
            for id_field in targets:
                mine = id_field.foreign is None or role in write.shared_for
                request = request.replaced(id_field, MISSING if mine else id_field.foreign(world))  # type: ignore[misc]
            outcome = attempt(world, write, role, request, write.method)
            if outcome.error or outcome.status >= 500 or outcome.changed:
                what = (
                    f"changed {', '.join(outcome.changed)} ({outcome.describe()})"
                    if outcome.changed
                    else outcome.describe()
                )
                problems.append(
                    f"{write.label(name)} as {role}: {what} [{write.method.upper()} {request.url()}]"
                )
    assert not problems, "Another organisation's ids changed something:\n" + "\n".join(problems)
