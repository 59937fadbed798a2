"""Every page passes axe-core's WCAG 2.2 AA checks in a real browser, as everyone who uses it.

The public pages are checked as a visitor. Then a user of each role signs in through
the real sign-in form and the test follows every link it can reach from the staff
dashboard, breadth first, checking each page; then it opens directly every page the
role may open that the links never reached, so that no page goes unchecked. Which
pages a role may open is worked out before the browser starts: every route of the
URLconf under /staff/ and /accounts/ that the permission table lets the role use,
filled with its own organisation's records and asked for by the Django test client;
each that answers an HTML page must be checked. A test fails listing every serious or
critical violation, the page it is on and the elements concerned, any link that leads
to an error page, any route the role may use that could not be opened (except the few
in `NOT_OPENED_BY_A_GET`, each with its reason), and any page that was not checked.

The same crawls fail on errors in the browser console (a script error, something the
Content-Security-Policy refused, a missing file) on any page a role reaches, and a
separate test on the public pages: a broken script or stylesheet is as much a barrier
as a missing label, but it is a different fix, so it is reported in a section of its
own, apart from axe-core's findings.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import tempfile
import zipfile
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from engage.accounts.models import Membership, User
from engage.accounts.tests.factories import sign_in_as
from engage.activities.models import Activity, Area, AreaKind, PartnershipPriority, Screening
from engage.activities.screening import services as screening_services
from engage.activities.screening.rules import MANY, current_rules
from engage.activities.tests.factories import ActivityFactory, AreaFactory
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
from engage.core.roles import ROLE_PERMISSIONS, Role
from engage.decisions.feedback.emails import stop_token
from engage.decisions.models import (
    ActivityPublication,
    Decision,
    DecisionAmendment,
    DecisionEvidence,
    FeedbackMessage,
    MessageStatus,
    Participation,
)
from engage.demo.services import illustrative_population_load
from engage.evaluation.board.services import board_refresh
from engage.evaluation.models import (
    AssessmentRound,
    Evaluation,
    Objective,
    ObjectiveAction,
    Principle,
    Score,
    Statement,
)
from engage.evaluation.self_assessment.services import scoring_links_make
from engage.evaluation.tests.factories import (
    AssessmentRoundFactory,
    EvaluationFactory,
    ObjectiveFactory,
    ParticipantAnswerFactory,
    sheets,
)
from engage.insight import runner as insight_runner
from engage.insight import services as insight_services
from engage.insight.discovery import services as discovery_services
from engage.insight.models import (
    AnalysisRun,
    DiscoveredGroup,
    ModelTraining,
    PersonLabel,
    Review,
    ThemeDiscovery,
)
from engage.partners.models import (
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Group,
    GroupKind,
    GroupMembership,
    Organisation,
    OrganisationKind,
    PeopleImportJob,
    PeopleImportRejection,
    PeopleImportStatus,
    Person,
    PersonRole,
    PersonRoleKind,
)
from engage.places.models import Ward
from engage.reports.models import EasyReadPoint, JargonTerm, Pictogram, Report, ReportState
from engage.reports.services import (
    easy_read_draft,
    pictogram_upload,
    report_build,
    report_create,
    report_publish,
    report_section_save,
)
from engage.retention.tests.factories import RetentionResultFactory
from engage.subject_access.models import RequestStatus, SubjectAccessRequest
from tests.browser.phone_checks import PHONE_WIDTH, phone_problems
from tests.security.test_every_url_every_role import every_pattern

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
PUBLIC_PAGES = [
    "/",
    "/partners/",
    "/open-data/",
    "/you-said-we-did/",
    "/accessibility/",
    "/privacy/",
    "/accounts/sign-in/",
    "/accounts/password/reset/",
    "/accounts/password/reset/sent/",
    # Links emailed to choose a password, altered: the page says the link does not work.
    "/accounts/password/reset/MQ/altered-token/",
    "/accounts/invitation/MQ/altered-token/",
    "/accounts/password/set/",
    "/give-feedback/",
    "/give-feedback/thank-you/",
    "/evaluate/thank-you/",
    "/score/thank-you/",
    "/reports/",
]
NOT_FOUND_PAGE = "/no-such-page/"
# Pages from one route look alike (every person's record, every page of a list), so a
# few of each are enough and keep the crawl fast. There is no cap on the pages of a
# role: every page it may open is checked.
MAX_PAGES_PER_ROUTE = 2
# Routes for people who are not signed in, checked as a visitor by
# test_public_pages_pass_axe (the links emailed to choose a password, with a link that
# has been altered), and the sign-in's own steps by the sign-ins of the administrators'
# crawls (setting up two-step sign-in at the first, the code at a second).
SIGNED_OUT_ROUTES = frozenset(
    {
        "accounts:sign-in",
        "accounts:sign-in-code",
        "accounts:sign-out",
        "accounts:password-reset",
        "accounts:password-reset-sent",
        "accounts:password-reset-confirm",
        "accounts:invitation-accept",
    }
)
# Routes a role may use that a GET on its own cannot open, and why: each is reached
# only after a POST.
NOT_OPENED_BY_A_GET = {
    # Step 2 of an import: it needs the file uploaded at step 1 (a POST);
    # test_import_column_mapping_page_passes_axe uploads one and checks the page.
    "imports:import-columns": "the column-mapping page needs an upload first",
    # test_people_import_steps_pass_axe uploads a contact list and checks its steps.
    "people-imports:columns": "the column-mapping page needs an upload first",
    "people-imports:status": "an import's progress, for a script",
    # Not a page: the progress of a load of reference data, asked for by the reference
    # page's script (JSON), for a load that a POST starts.
    "reach:reference-job-status": "a load's progress, for a script, once a POST has started one",
    "registers:register-job-status": "a register load's progress, for a script, once a POST has started one",
}
SKIPPED_PREFIXES = ("/accounts/sign-out/", "/api/", "/static/")
# Files to download (spreadsheets, calendars) are not pages to check.
DOWNLOADS = (".csv", ".ics", ".xlsx", ".pdf", ".docx", ".png")
PASSWORD = "a long enough pass phrase 2026"
TIMEOUT_MS = 15_000
# Where the sign-in form leads: setting up two-step sign-in, its code, or the staff pages.
SIGNED_IN_TO = re.compile(r"^[^?#]*/(accounts/two-step/set-up/|accounts/sign-in/code/|staff/)")

# Null where axe-core is not in the page (the context's init script puts it in every
# page; this is for one it did not reach), so that one call both checks and runs it.
AXE_RUN = """async (tags) => {
  if (typeof axe === "undefined") return null;
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ")),
  }));
}"""


@dataclass
class Problems:
    """What went wrong, to be listed all at once when the test ends: axe-core's
    violations page by page, links to error pages, and console errors (the same message
    on many pages is listed once, with the first few pages it was seen on)."""

    axe: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    unopened: list[str] = field(default_factory=list)
    console: dict[str, list[str]] = field(default_factory=dict)
    checked: list[str] = field(default_factory=list)

    def assert_accessible(self, *, console_too: bool = False) -> None:
        """Fail listing what was found; with `console_too`, the console's errors as well
        (in a section of their own)."""
        sections = []
        if self.axe:
            sections.append(
                "Serious or critical accessibility violations (axe-core):\n" + "\n".join(self.axe)
            )
        if self.links:
            sections.append("Links to pages that fail:\n" + "\n".join(self.links))
        if self.unopened:
            sections.append(
                "Routes the role may use that could not be opened or were not checked:\n"
                + "\n".join(self.unopened)
            )
        if console_too and self.console:
            sections.append(self._console_errors())
        assert not sections, f"Problems on the {len(self.checked)} pages checked:\n\n" + "\n\n".join(sections)

    def assert_console_clean(self) -> None:
        assert not self.console, self._console_errors()

    def _console_errors(self) -> str:
        return (
            "Errors in the browser console (scripts, Content-Security-Policy, missing files):\n"
            + "\n".join(
                f"  {message}\n    on {', '.join(pages[:3])}"
                + (f" and {len(pages) - 3} more" if len(pages) > 3 else "")
                for message, pages in self.console.items()
            )
        )


class Checker:
    """Opens pages in one browser tab, checks each with axe-core and notes console errors."""

    def __init__(self, page: Any, base_url: str, axe_source: str, problems: Problems) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.axe_source = axe_source
        self.problems = problems
        self.current = ""
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self._console_error(str(error)))
        page.on("response", self._on_response)

    def _console_error(self, message: str) -> None:
        pages = self.problems.console.setdefault(message, [])
        if self.current not in pages:
            pages.append(self.current)

    def _on_console(self, message: Any) -> None:
        # A failed file is reported with its address by _on_response instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self._console_error(message.text)

    def _on_response(self, response: Any) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self._console_error(
                f"{response.request.method} {self.path(response.url)} answered {response.status}"
            )

    def path(self, url: str) -> str:
        return url.removeprefix(self.base_url) or "/"

    def open(self, path: str, *, expected_status: int = 200, referrer: str = "") -> bool:
        """Go to `path`; True if it is an HTML page with the expected status."""
        self.current = path
        response = self.page.goto(self.base_url + path)
        status = response.status if response is not None else 0
        if status != expected_status:
            came_from = f" (linked from {referrer})" if referrer else ""
            self.problems.links.append(f"  {path} answered {status}, not {expected_status}{came_from}")
            return False
        return "text/html" in (response.headers.get("content-type", "") if response else "")

    def check(self, label: str = "") -> None:
        """Run axe-core on the page as it is now; note serious and critical violations."""
        where = self.current = label or self.path(self.page.url)
        self.problems.checked.append(where)
        violations = self.page.evaluate(AXE_RUN, AXE_TAGS)
        if violations is None:
            # Evaluated through the browser's debugging protocol, which the page's
            # Content-Security-Policy does not govern: the policy stays on while testing.
            self.page.evaluate(self.axe_source)
            violations = self.page.evaluate(AXE_RUN, AXE_TAGS)
        for violation in violations:
            if violation["impact"] in BLOCKING_IMPACTS:
                self.problems.axe.append(
                    f"  {where}\n    [{violation['impact']}] {violation['id']}: {violation['help']}\n"
                    + "\n".join(f"      {node}" for node in violation["nodes"])
                )

    def links(self) -> list[str]:
        hrefs: list[str] = self.page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map((a) => a.href)"
        )
        same_origin = []
        for href in hrefs:
            url = urldefrag(href).url
            if url.startswith(self.base_url + "/"):
                same_origin.append(self.path(url))
        return same_origin

    def sign_in(self, email: str) -> None:
        """Sign in through the real pages, as a person would: administrators set up
        two-step sign-in the first time (its pages are checked with axe-core too), and
        enter the authenticator's code after that."""
        self.open("/accounts/sign-in/")
        self.page.get_by_label("Email address", exact=True).fill(email)
        self.page.get_by_label("Password", exact=True).fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        # Wait for where signing in leads, not for the page to have loaded: the sign-in
        # page itself already has, and on a busy machine the answer to the form can come
        # after a check of the load state would (CI once went on at the sign-in page).
        self.page.wait_for_url(SIGNED_IN_TO)
        if self.path(self.page.url).startswith("/accounts/two-step/set-up/"):
            self.check("/accounts/two-step/set-up/ (setting up two-step sign-in)")
            key = self.page.locator(".engage-key code").inner_text().replace(" ", "")
            self.page.get_by_label("Code from the app", exact=True).fill(_code(base64.b32decode(key)))
            self.page.get_by_role("button", name="Turn on two-step sign-in").click()
            self.page.wait_for_selector(".engage-recovery-codes")
            self.check("the recovery codes page")
            self.page.get_by_role("link", name="I have saved them: continue").click()
        elif self.path(self.page.url).startswith("/accounts/sign-in/code/"):
            self.check("/accounts/sign-in/code/")
            device = TOTPDevice.objects.get(user__email=email, confirmed=True)
            self.page.get_by_label("Code", exact=True).fill(_code(device.bin_key, steps_ahead=1))
            self.page.get_by_role("button", name="Continue").click()
        self.page.wait_for_url(f"{self.base_url}/staff/**")


def _code(key: bytes, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now for `key` (or a step later: each code is
    accepted once)."""
    return f"{totp(key, t0=-steps_ahead * 30):06d}"


def _route(path: str) -> str:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return path


def _skipped(path: str) -> bool:
    return path.startswith(SKIPPED_PREFIXES) or urlsplit(path).path.endswith(DOWNLOADS)


def crawl(checker: Checker, start: str) -> list[str]:
    """Breadth first from `start` over same-origin links, GET only; check every page
    with axe-core. Answers the pages opened (HTML, as expected)."""
    queue: deque[tuple[str, str]] = deque([(start, "")])
    seen = {start}
    per_route: Counter[str] = Counter({_route(start): 1})
    opened: list[str] = []
    while queue:
        path, referrer = queue.popleft()
        if not checker.open(path, referrer=referrer):
            continue
        opened.append(path)
        checker.check(path)
        for link in checker.links():
            route = _route(link)
            if link in seen or _skipped(link) or per_route[route] >= MAX_PAGES_PER_ROUTE:
                continue
            seen.add(link)
            per_route[route] += 1
            queue.append((link, path))
    return opened


@dataclass
class Reachable:
    """The pages a role may open (route name -> a path to it), and the routes it may
    use that could not be opened."""

    pages: dict[str, str]
    problems: list[str]


def _fill_values(organisation: Organisation, user: User) -> dict[str, object]:
    """Each URL parameter, as the routes write it, filled with a record of the
    organisation's (or, for kinds every partner shares, any); None where there is none."""

    def first(queryset: Any) -> object:
        found = queryset.order_by("pk").first()
        return found.pk if found is not None else None

    return {
        "<id:person_id>": first(Person.objects.filter(organisation=organisation)),
        "<id:group_id>": first(Group.objects.filter(organisation=organisation)) or first(Group.objects.all()),
        "<id:user_id>": user.pk,
        "<id:membership_id>": first(Membership.objects.filter(user=user)),
        "<id:organisation_id>": organisation.pk,
        "<str:purpose>": ConsentPurpose.CONTACT,
        "<str:file_format>": "csv",
        "<slug:file>": "activities",
        "<id:activity_id>": first(Activity.objects.filter(lead_organisation=organisation))
        or first(Activity.objects.all()),
        "<id:other_id>": first(Activity.objects.exclude(lead_organisation=organisation)),
        "<id:priority_id>": first(PartnershipPriority.objects.all()),
        # A locality: its page has the most on it (its wards, merge, retire).
        "<id:area_id>": first(Area.objects.filter(kind=AreaKind.LOCALITY)) or first(Area.objects.all()),
        "<id:screening_id>": first(Screening.objects.filter(organisation=organisation))
        or first(Screening.objects.all()),
        "<id:conversation_id>": first(Conversation.objects.filter(organisation=organisation)),
        "<id:job_id>": first(ImportJob.objects.filter(organisation=organisation)),
        "<id:import_id>": first(PeopleImportJob.objects.filter(organisation=organisation)),
        "<id:discovery_id>": first(ThemeDiscovery.objects.filter(organisation=organisation)),
        "<id:theme_group_id>": first(DiscoveredGroup.objects.filter(discovery__organisation=organisation)),
        "<id:decision_id>": first(Decision.objects.filter(organisation=organisation))
        or first(Decision.objects.all()),
        "<id:run_id>": first(AnalysisRun.objects.all()),
        "<id:training_id>": first(ModelTraining.objects.all()),
        "<id:proposal_id>": None,
        "<slug:prefix>": None,
        "<id:request_id>": first(SubjectAccessRequest.objects.filter(organisation=organisation)),
        "<str:kind>": "conversations",
        # The closed round, whose page shows its results (the open one is linked from it).
        "<id:round_id>": first(AssessmentRound.objects.filter(closed_on__isnull=False)),
        "<id:statement_id>": first(Statement.objects.all()),
        "<id:objective_id>": first(Objective.objects.all()),
        "<id:action_id>": first(ObjectiveAction.objects.all()),
        # The organisation's own report, or a published one of another's.
        "<id:report_id>": first(Report.objects.filter(organisation=organisation))
        or first(Report.objects.filter(state=ReportState.PUBLISHED)),
        # A section the report has (an activity's report has no "summary").
        "<slug:key>": (
            Report.objects.filter(organisation=organisation).order_by("pk").first()
            or Report.objects.filter(state=ReportState.PUBLISHED).order_by("pk").first()
            or Report(sections=["summary"])
        ).sections[0],
        "<slug:version>": "report",
        "<slug:extension>": "pdf",
        "<id:point_id>": first(EasyReadPoint.objects.all()),
        "<id:term_id>": first(JargonTerm.objects.all()),
        "<id:pictogram_id>": first(Pictogram.objects.all()),
    }


def reachable_pages(user: User, role: Role, organisation: Organisation) -> Reachable:
    """Every route under /staff/ and /accounts/ (but those for people not signed in)
    that the permission table lets the role use, filled with its organisation's records
    and asked for by the Django test client as the user: those that answer an HTML page
    with 200 are its pages. A route that takes only a POST (405) is a button's target,
    and one that answers 200 with something other than HTML is a download or a script's
    data: neither is a page. Any other answer is a route the role could not open."""
    client = sign_in_as(Client(raise_request_exception=False), user)
    values = _fill_values(organisation, user)
    granted = ROLE_PERMISSIONS[role]
    pages: dict[str, str] = {}
    problems: list[str] = []
    for route, name in every_pattern():
        if not route.startswith(("staff/", "accounts/")) or name in SIGNED_OUT_ROUTES:
            continue
        path = "/" + route
        for token, value in values.items():
            if token in path:
                path = path.replace(token, str(value if value is not None else 2_147_483_000))
        assert "<" not in path, f"Teach reachable_pages how to fill the parameters of {route!r}."
        needed = getattr(resolve(path).func, "required_permissions", ())
        if not set(needed) <= granted:
            continue
        response = client.get(path)
        status, content_type = response.status_code, response.get("Content-Type", "")
        if status == 405 or (status == 200 and "text/html" not in content_type):
            continue
        if status == 200:
            pages[name] = path
        elif name not in NOT_OPENED_BY_A_GET:
            where = f" (to {response['Location']})" if status in {301, 302} else ""
            problems.append(f"  {path} ({name}) answered {status}{where}")
    return Reachable(pages, problems)


# The partnership the pages show: two partners, their people, groups and consent.


@dataclass
class Partnership:
    icb: Organisation
    voices: Organisation
    practice: Organisation


@pytest.fixture
def partnership() -> Partnership:
    icb = Organisation.objects.create(
        name="Black Country Integrated Care Board",
        short_name="Black Country ICB",
        kind=OrganisationKind.ICB,
        website="https://www.example.nhs.uk",
        description="Plans and pays for NHS services in the Black Country.",
    )
    voices = Organisation.objects.create(
        name="Dudley Community Voices",
        kind=OrganisationKind.VCSE,
        description="A charity that helps local people be heard.",
    )
    practice = Organisation.objects.create(name="Netherton Health Centre", kind=OrganisationKind.GP_PRACTICE)
    Organisation.objects.create(name="Former Partner", kind=OrganisationKind.OTHER, is_active=False)
    carers = Group.objects.create(
        organisation=voices,
        name="Dudley Carers' Circle",
        kind=GroupKind.CARERS,
        area="Dudley",
        description="Carers who meet monthly.",
    )
    Group.objects.create(
        organisation=practice,
        name="Netherton Patient Group",
        kind=GroupKind.PATIENT_PARTICIPATION,
        gp_practice=practice,
        area="Netherton",
    )
    today = dt.date(2026, 1, 15)
    people = [
        ("Amira", "Begum", "amira@example.org", "DY1 1HF"),
        ("Tom", "O'Neill", "", "DY2 9AB"),
        ("Grace", "Okafor", "grace.okafor@dudleycommunityvoices.org.uk", ""),
    ]
    for index, (given, family, email, postcode) in enumerate(people):
        person = Person.objects.create(
            organisation=voices,
            given_name=given,
            family_name=family,
            email=email,
            postcode=postcode,
            phone="07700 900123" if index == 0 else "",
            notes="Prefers evening meetings." if index == 0 else "",
        )
        GroupMembership.objects.create(group=carers, person=person, joined_on=today)
        Consent.objects.create(
            person=person,
            purpose=ConsentPurpose.CONTACT,
            given_on=today,
            method=ConsentMethod.PAPER_FORM,
            source="Carers' week event",
            withdrawn_on=today if index == 1 else None,
            withdrawal_method=ConsentMethod.PHONE if index == 1 else "",
        )
        if index == 0:
            PersonRole.objects.create(person=person, role=PersonRoleKind.CARER, since=today)
            Consent.objects.create(
                person=person,
                purpose=ConsentPurpose.QUOTE,
                given_on=today,
                method=ConsentMethod.VERBAL,
            )
    Person.objects.create(organisation=icb, given_name="Priya", family_name="Shah")
    _analysed_conversations(voices)
    illustrative_population_load()
    decision = Decision.objects.create(
        organisation=voices,
        title="Evening carers' drop-in",
        summary="Carers told us they could not come in the day, so the drop-in moves to evenings.",
        decided_by="organisation",
        decided_by_name="Dudley Community Voices",
        decided_on=today,
        status="agreed",
    )
    DecisionAmendment.objects.create(
        decision=decision, changes={"status": ["proposed", "agreed"]}, note="Agreed."
    )
    for conversation in Conversation.objects.filter(organisation=voices)[:3]:
        DecisionEvidence.objects.create(decision=decision, conversation=conversation)
    # The place taken from the ward lookup, a locality holding one of its wards, and
    # one ward in no locality (the areas pages show each).
    place = AreaFactory(name="Dudley", kind=AreaKind.PLACE, code="E08000027")
    locality = AreaFactory(name="Stourbridge", kind=AreaKind.LOCALITY, parent=place)
    AreaFactory(name="Amblecote", kind=AreaKind.WARD, parent=locality, code="E05014780")
    AreaFactory(name="Belle Vale", kind=AreaKind.WARD, parent=place, code="E05014781")
    Ward.objects.create(
        code="E05014781", name="Belle Vale", local_authority_code="E08000027", local_authority_name="Dudley"
    )
    # An activity the decision came from, who took part, and the email that told them.
    activity = ActivityFactory(
        lead_organisation=voices, title="Carers' evenings: have your say", areas=[locality]
    )
    decision.activity = activity
    decision.published_at = dt.datetime(2026, 1, 20, 12, tzinfo=dt.UTC)
    decision.save()
    ActivityPublication.objects.create(activity=activity, published_at=decision.published_at)
    for person in Person.objects.filter(organisation=voices):
        Participation.objects.create(activity=activity, person=person)
    FeedbackMessage.objects.create(
        decision=decision,
        person=Person.objects.get(email="amira@example.org"),
        status=MessageStatus.SENT,
        sent_to="amira@example.org",
        sent_at=decision.published_at,
    )
    _records_every_page_needs(icb, voices, activity)
    return Partnership(icb=icb, voices=voices, practice=practice)


def _records_every_page_needs(icb: Organisation, voices: Organisation, activity: Activity) -> None:
    """A record of each kind that a page shows, so that every page a role may open has
    something to open: a partnership priority, an issue screened, an import with a
    rejected row; and for the ICB (whose partnership administrator records decisions and
    discovers themes) an activity, a decision and a discovery of its own."""
    priority = PartnershipPriority.objects.create(
        title="Carers' health", description="Carers get the breaks and the health checks they need."
    )
    activity.priorities.add(priority)
    icb_activity = ActivityFactory(lead_organisation=icb, title="Winter access survey", priorities=[priority])
    Decision.objects.create(
        organisation=icb,
        title="Longer GP opening hours in winter",
        summary="People told us they could not get appointments, so practices open later.",
        decided_by="board",
        decided_by_name="The ICB board",
        decided_on=dt.date(2026, 1, 14),
        status="proposed",
        activity=icb_activity,
    )
    rules = current_rules()
    answers = {q.id: [q.options[0][0]] if q.kind == MANY else q.options[0][0] for q in rules.questions}
    screening_services.screening_record(
        actor=None,
        organisation=voices,
        title="Moving the carers' drop-in",
        answers=answers,
        activity_id=activity.pk,
    )
    job = ImportJob.objects.create(
        organisation=voices,
        file_name="carers-survey-2026.csv",
        stored_path="/nonexistent",
        file_sha256="0" * 64,
        mapping={"text": "Comment"},
        status=ImportStatus.SUCCEEDED,
        rows_total=3,
        rows_done=3,
        added=2,
        rejected=1,
        finished_at=timezone.now(),
    )
    ImportRejection.objects.create(job=job, line=3, column="Comment", reason="The comment is empty.")
    people_import = PeopleImportJob.objects.create(
        organisation=voices,
        file_name="members-2026.csv",
        stored_path="/nonexistent",
        mapping={"given_name": "First name"},
        status=PeopleImportStatus.SUCCEEDED,
        rows=3,
        added=2,
        rejected=1,
        memberships_added=2,
        consents_recorded=2,
        consents_not_restored=1,
        result="2 people added.",
        finished_at=timezone.now(),
    )
    PeopleImportRejection.objects.create(
        job=people_import, line=3, column="Email", reason="'not an email' is not an email address."
    )
    conversation = Conversation.objects.create(
        organisation=icb,
        channel=Channel.SURVEY,
        text="The wait for a GP appointment was weeks.",
        occurred_on=dt.date(2026, 1, 12),
        dedupe_key="browser-icb-1",
    )
    # Quotes: words waiting for a decision, redactions highlighted, and words approved.
    for number, (text, approved) in enumerate(
        [
            (
                "The carers' drop-in with Dr Patel was a lifeline; ring me on 07700 900461 if you want to know more.",
                False,
            ),
            ("Moving the drop-in to the library means I can get there on the bus.", True),
        ]
    ):
        quoted = Conversation.objects.create(
            organisation=voices,
            activity=activity,
            channel=Channel.EVENT,
            text=text,
            occurred_on=dt.date(2026, 1, 20),
            dedupe_key=f"browser-voices-quote-{number}",
            consent_to_quote=True,
        )
        QuoteConsent.objects.create(
            conversation=quoted, given_on=dt.date(2026, 1, 20), source="staff", method="verbal"
        )
        if approved:
            Quote.objects.create(
                conversation=quoted, status=QuoteStatus.APPROVED, text=text, decided_at=timezone.now()
            )
    # Everything held about one of Voices' people, gathered and ready to download.
    gathered = Path(tempfile.mkdtemp(prefix="engage-browser-sar-")) / "gathered.zip"
    with zipfile.ZipFile(gathered, "w") as archive:
        archive.writestr("README.txt", "Everything held about them.")
    ready = {
        "organisation": voices,
        "person": Person.objects.filter(organisation=voices).order_by("pk").first(),
        "status": RequestStatus.SUCCEEDED,
        "sections_total": 12,
        "sections_done": 12,
    }
    SubjectAccessRequest.objects.create(
        **ready, file_path=str(gathered), records=34, started_at=timezone.now(), finished_at=timezone.now()
    )
    # And an earlier one whose download the retention rule deleted: its page says so and
    # offers to gather it again (linked from the person's page).
    weeks_ago = timezone.now() - dt.timedelta(days=40)
    SubjectAccessRequest.objects.create(
        **ready,
        records=30,
        started_at=weeks_ago,
        finished_at=weeks_ago,
        file_deleted_at=timezone.now() - dt.timedelta(days=9),
    )
    discovery = ThemeDiscovery.objects.create(
        organisation=icb, described_as="The ICB's survey", conversation_ids=[conversation.pk]
    )
    DiscoveredGroup.objects.create(
        discovery=discovery, keywords=["wait", "appointment"], member_ids=[conversation.pk], size=1
    )
    # A retention run's report, with a row for a kind, for the runs page's table.
    RetentionResultFactory(deleted=3_214, expected=3_214)
    _evaluation_records(voices, activity)
    _report_records(icb, voices, activity)


def _report_records(icb: Organisation, voices: Organisation, activity: Activity) -> None:
    """The ICB's Local Account, published with its Easy Read version; Voices' draft
    report of its activity; a picture uploaded for Easy Read."""
    local = report_create(
        actor=None, organisation=icb, kind="local_account", title="Our Local Account 2025 to 2026",
        month_from="2025-04", month_to="2026-03", today=dt.date(2026, 12, 8),
    )  # fmt: skip
    report_build(report_id=local.pk)
    report_section_save(
        actor=None, organisation=icb, report_id=local.pk, key="summary",
        text="We asked stakeholders what they think. We will tell you what happens next.",
    )  # fmt: skip
    easy_read_draft(actor=None, organisation=icb, report_id=local.pk)
    report_publish(actor=None, organisation=icb, report_id=local.pk, manages_partnership=True)
    draft = report_create(
        actor=None, organisation=voices, kind="activity", title=f"{activity.title}: what you told us",
        month_from=None, month_to=None, activity_id=activity.pk, today=dt.date(2026, 12, 8),
    )  # fmt: skip
    report_build(report_id=draft.pk)
    easy_read_draft(actor=None, organisation=voices, report_id=draft.pk)
    picture = io.BytesIO()
    Image.new("RGB", (96, 96), "#005eb8").save(picture, format="PNG")
    pictogram_upload(
        actor=None, organisation=voices, name="Our hub", description="The front of the Voices hub",
        licence="Our own photograph", content=picture.getvalue(),
    )  # fmt: skip


def _evaluation_records(voices: Organisation, activity: Activity) -> None:
    """Voices' activity evaluated by enough participants for its figures to show, with
    comments; a closed round of the self-assessment with a comment, an open one, an
    objective with an action; and the board's page worked out."""
    evaluation = EvaluationFactory(activity=activity)
    for number in range(12):
        ParticipantAnswerFactory(
            evaluation=evaluation,
            listened=1 + number % 5,
            comment="The room was warm." if number % 4 == 0 else "",
        )
    # A transactional test starts from an empty database, without the migration's
    # default statements and pledge.
    statement, _ = Statement.objects.get_or_create(
        text="The ICB is meaningfully engaged with the community", defaults={"from_baseline": True}
    )
    Principle.objects.get_or_create(title="People hear what difference they made")
    closed = AssessmentRoundFactory(title="Baseline")
    closed.statements.set(Statement.objects.filter(from_baseline=True))
    sheets(closed, statement, "vcse", [3, 4, 4, 5, 6])
    sheets(closed, statement, "nhs", [5, 6])
    Score.objects.filter(sheet__round=closed).update(comment="Trust is growing slowly.")
    AssessmentRoundFactory(title="Spring round", closed_on=None).statements.set([statement])
    objective = ObjectiveFactory(title="Join up the VCSE offer")
    objective.statements.set([statement])
    objective.activities.set([activity])
    ObjectiveAction.objects.create(
        objective=objective, title="Publish the directory", owner="CVS", due_on=dt.date(2027, 1, 1)
    )
    board_refresh()


def _analysed_conversations(organisation: Organisation) -> None:
    """Enough labelled and analysed conversations for the themes, review and discover
    pages to show a table, a form and groups."""
    said = {
        "Staff manner & personal attributes": [
            "The nurse was kind and caring",
            "Lovely friendly reception staff",
        ],
        "Timeliness of care": ["We waited four hours in A&E", "The wait for a GP appointment was weeks"],
    }
    number = 0
    for round_ in range(6):
        for label, texts in said.items():
            for text in texts:
                number += 1
                Conversation.objects.create(
                    organisation=organisation,
                    channel=Channel.SURVEY,
                    text=f"{text}, visit {round_}. Call me on 07700 900123.",
                    occurred_on=dt.date(2026, 1 + round_ % 3, 10),
                    rating=1 if label.startswith("Staff") else 5,
                    consent_to_quote=True,
                    dedupe_key=f"browser-{number}",
                    imported_labels=[label] if round_ < 5 else None,
                    # Placed in the demo's illustrative wards, for the reach pages.
                    ward_code=f"DEMO-W{1 + number % 3}1",
                    imd_decile=1 + number % 10,
                    age_band=("16-24", "45-54", "75-84")[number % 3],
                )
    # Trained as the models page has it done, so the crawl checks what it says of the training.
    insight_runner.model_training_execute(
        training_id=insight_services.model_training_create(actor=None, start=False).pk
    )
    run = insight_services.analysis_run_create(actor=None, start=False)
    insight_runner.analysis_run_execute(run_id=run.pk)
    # A discovery kept from an earlier visit, so the crawl reaches its groups' page.
    discovery_services.theme_discovery_create(
        actor=None,
        organisation=organisation,
        conversations=Conversation.objects.for_organisation(organisation),
        described_as="All your organisation's conversations",
    )


def staff_user(partnership: Partnership, role: Role) -> User:
    organisation = partnership.icb if role == Role.PARTNERSHIP_ADMIN else partnership.voices
    user = User.objects.create_user(
        email=f"{role.value.replace('_', '.')}@example.org",
        password=PASSWORD,
        first_name="Jo",
        last_name=role.label.split()[0],
    )
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


CheckerFor = Callable[..., Checker]


@pytest.fixture
def checker_for(browser: Any, live_server: Any, axe_source: str) -> Iterator[CheckerFor]:
    """A fresh browser context (no cookies) with a checker; closed after the test."""
    contexts: list[Any] = []

    def make(problems: Problems, **context_options: Any) -> Checker:
        context = browser.new_context(**context_options)
        # axe-core in every page from its start, given to the browser once: evaluated
        # page by page instead, its half a megabyte was sent and compiled again each
        # time, two fifths of what checking a page cost. (Not governed by the page's
        # Content-Security-Policy, which stays on while testing.)
        context.add_init_script(axe_source)
        contexts.append(context)
        return Checker(context.new_page(), live_server.url, axe_source, problems)

    yield make
    for context in contexts:
        context.close()


def test_public_pages_pass_axe(partnership: Partnership, checker_for: CheckerFor) -> None:
    problems = Problems()
    checker = checker_for(problems)

    checker.open("/")
    css_rules = checker.page.evaluate(
        """() => [...document.styleSheets]
              .filter((s) => (s.href || "").includes("nhsuk-frontend"))
              .map((s) => s.cssRules.length)"""
    )
    assert css_rules, "The page does not link the NHS.UK frontend stylesheet."
    assert css_rules[0] > 100, "The NHS.UK frontend stylesheet did not load."

    for path in PUBLIC_PAGES:
        if checker.open(path):
            checker.check()
    # A participant's evaluation form, and a partner's scoring form by a single-use link.
    if checker.open(f"/evaluate/{Evaluation.objects.get().public_token}/"):
        checker.check("a participant's evaluation form")
    spring = AssessmentRound.objects.get(title="Spring round")
    token = scoring_links_make(actor=None, round_id=spring.pk, group="vcse", count=1).tokens[0]
    if checker.open(f"/score/{token}/"):
        checker.check("the self-assessment's scoring form")
    # The page a "stop these emails" link opens, for a real link and an altered one.
    person = Person.objects.get(email="amira@example.org")
    if checker.open(f"/you-said-we-did/stop-emails/{stop_token(person.pk)}/"):
        checker.check("the stop-emails page")
    if checker.open("/you-said-we-did/stop-emails/altered/", expected_status=404):
        checker.check("the stop-emails page for an altered link")
    # An activity's page of what was said and done.
    published = ActivityPublication.objects.order_by("pk").first()
    assert published is not None
    if checker.open(f"/you-said-we-did/{published.activity_id}/"):
        checker.check("a published activity's page")
    if checker.open(NOT_FOUND_PAGE, expected_status=404):
        checker.check(f"{NOT_FOUND_PAGE} (the 404 page)")
    # The published Local Account, and its Easy Read version.
    local = Report.objects.get(state=ReportState.PUBLISHED)
    if checker.open(f"/reports/{local.pk}/"):
        checker.check("a published report")
    if checker.open(f"/reports/{local.pk}/easy-read/"):
        checker.check("a published report's Easy Read version")
    problems.assert_accessible()


def test_the_checker_reports_a_violation_it_is_shown(
    partnership: Partnership, checker_for: CheckerFor
) -> None:
    """Guards the guard: a page with an image without a text alternative must fail."""
    problems = Problems()
    checker = checker_for(problems)
    checker.open("/")
    checker.page.evaluate(
        "() => { const img = document.createElement('img'); img.src = '/static/no.png';"
        " img.id = 'unlabelled'; document.querySelector('main').append(img); }"
    )
    checker.check()
    assert any("image-alt" in found and "#unlabelled" in found for found in problems.axe)


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_every_staff_page_a_role_can_reach_passes_axe(
    role: Role, partnership: Partnership, checker_for: CheckerFor
) -> None:
    user = staff_user(partnership, role)
    problems = Problems()
    checker = checker_for(problems)

    checker.sign_in(user.email)
    # After the browser's sign-in, so that an administrator's first sign-in still sets
    # up two-step sign-in (the test client reuses the authenticator it confirmed).
    reachable = reachable_pages(user, role, Membership.objects.get(user=user).organisation)
    assert "staff:home" in reachable.pages
    assert len(reachable.pages) >= 20, reachable.pages
    problems.unopened += reachable.problems
    opened = crawl(checker, "/staff/")
    assert len(opened) > 1, "The crawl found no links from the staff dashboard."
    checked = {_route(path) for path in opened}
    for name, path in reachable.pages.items():
        if name in checked:
            continue
        if checker.open(path, referrer="(opened directly: no link reached it)"):
            checker.check(path)
            checked.add(name)
        else:
            problems.unopened.append(f"  {path} ({name}) did not open in the browser")
    if role in {Role.PARTNERSHIP_ADMIN, Role.ORGANISATION_ADMIN}:
        # A second sign-in, in a browser that has not seen this one: it asks for the
        # code from the authenticator set up at the first, on a page checked too.
        checker_for(problems).sign_in(user.email)
        assert "/accounts/sign-in/code/" in problems.checked
    # Every page the role reached loaded its scripts, styles, fonts and images too.
    problems.assert_accessible(console_too=True)


# A survey where 5 is best: praise rated 5, complaints rated 1.
FIVE_BEST_SURVEY = b"Comment,Date,Rating\n" + b"".join(
    f"{text},2026-03-0{1 + n},{rating}\n".encode()
    for n in range(2)
    for text, rating in [
        ("Brilliant service", 5),
        ("The nurses were kind and caring", 5),
        ("Excellent and friendly staff", 5),
        ("Rude receptionist", 1),
        ("Awful and dirty waiting room", 1),
        ("Waited four hours and nobody told us why", 1),
    ]
)


def _upload_to_map(checker: Checker) -> None:
    """Step 1 of an import with "Map the columns myself", on to the columns page."""
    checker.open("/staff/conversations/imports/new/")
    checker.page.get_by_label("Choose the file").set_input_files(
        files=[{"name": "carers-survey.csv", "mimeType": "text/csv", "buffer": FIVE_BEST_SURVEY}]
    )
    checker.page.get_by_label("How are its columns laid out?").select_option(label="Map the columns myself")
    checker.page.get_by_role("button", name="Continue").click()
    checker.page.wait_for_url("**/staff/conversations/imports/new/columns/**")


def _continue_with_best(checker: Checker, best: str) -> None:
    """On the columns page: the highest or lowest number is best, then Continue."""
    checker.page.get_by_role("radio", name=f"The {best} number", exact=False).check()
    checker.page.get_by_role("button", name="Continue").click()
    checker.page.wait_for_selector("#rows-as-read")


def test_import_column_mapping_page_passes_axe(
    partnership: Partnership, checker_for: CheckerFor, settings: Any, tmp_path: Path
) -> None:
    """Step 2 of an import, which only an upload opens: the file's columns and first
    rows, to be matched to the fields; with no end of the rating scale chosen (an
    error); then step 3, the first rows as they will be read, read the right way round
    and upside down (a warning, and the tick it asks for)."""
    settings.ENGAGE_IMPORT_DIR = tmp_path / "imports"
    user = staff_user(partnership, Role.ENGAGEMENT_OFFICER)
    problems = Problems()
    checker = checker_for(problems)
    checker.sign_in(user.email)

    _upload_to_map(checker)
    checker.check("/staff/conversations/imports/new/columns/ (after an upload)")

    checker.page.get_by_role("button", name="Continue").click()
    checker.page.wait_for_selector(".nhsuk-error-summary")
    assert "Choose which end of the rating scale is best" in checker.page.inner_text(".nhsuk-error-summary")
    checker.check("/staff/conversations/imports/new/columns/ (no end of the rating scale chosen)")

    _continue_with_best(checker, "highest")
    row = checker.page.inner_text("#rows-as-read tbody tr:first-child")
    for shown in ("Brilliant service", "5 of 5, the best", "Very good (1)"):
        assert shown in row
    assert checker.page.locator("#ratings-warning").count() == 0
    checker.check("/staff/conversations/imports/new/columns/ (step 3: how the rows will be read)")

    checker.page.get_by_role("button", name="Change the answers").click()
    checker.page.wait_for_selector("#columns-found")
    _continue_with_best(checker, "lowest")
    assert "The ratings look upside down" in checker.page.inner_text("#ratings-warning")
    checker.page.get_by_role("button", name="Start the import").click()
    checker.page.wait_for_selector(".nhsuk-error-summary")
    checker.check("/staff/conversations/imports/new/columns/ (step 3: upside down, not confirmed)")
    assert not ImportJob.objects.filter(file_name="carers-survey.csv").exists()
    problems.assert_accessible()


CONTACT_LIST = (
    b"ID,Forename,Surname,Email,Groups,Consent to contact given on,Consent to contact method\n"
    b"C-1,Asha,Begum,asha@example.org,Young Voices,15/03/2025,paper form\n"
    b"C-2,Tom,Price,not an email,,,\n"
)


def test_people_import_steps_pass_axe(
    partnership: Partnership, checker_for: CheckerFor, settings: Any, tmp_path: Path
) -> None:
    """A contact list's steps, which only an upload opens: its columns (from the
    ready-made template), an answer refused, and the first rows as they will be read,
    one of them with a problem."""
    settings.ENGAGE_IMPORT_DIR = tmp_path / "imports"
    user = staff_user(partnership, Role.ENGAGEMENT_OFFICER)
    problems = Problems()
    checker = checker_for(problems)
    checker.sign_in(user.email)
    checker.open("/staff/people/imports/new/")
    checker.page.get_by_label("Choose the file").set_input_files(
        files=[{"name": "crm-export.csv", "mimeType": "text/csv", "buffer": CONTACT_LIST}]
    )
    checker.page.get_by_role("button", name="Continue").click()
    checker.page.wait_for_url("**/staff/people/imports/new/columns/**")
    checker.check("/staff/people/imports/new/columns/ (after an upload)")

    checker.page.get_by_label("Last name").select_option("Forename")
    checker.page.get_by_role("button", name="Continue").click()
    checker.page.wait_for_selector(".nhsuk-error-summary")
    assert "chosen for more than one thing" in checker.page.inner_text(".nhsuk-error-summary")
    checker.check("/staff/people/imports/new/columns/ (a column chosen twice)")

    checker.page.get_by_label("Last name").select_option("Surname")
    checker.page.get_by_role("button", name="Continue").click()
    checker.page.wait_for_selector("#rows-as-read")
    assert "Will not be imported" in checker.page.inner_text("#rows-as-read")
    checker.check("/staff/people/imports/new/columns/ (step 3: how the rows will be read)")
    assert not PeopleImportJob.objects.filter(file_name="crm-export.csv").exists()
    problems.assert_accessible()


def _held_import(partnership: Partnership) -> ImportJob:
    """An import of Voices' held because its ratings looked upside down."""
    examples = [
        {"line": 2, "text": "Brilliant service", "given": "5", "stored": 5},
        {"line": 3, "text": "The nurses were kind and caring", "given": "5", "stored": 5},
    ]
    return ImportJob.objects.create(
        organisation=partnership.voices,
        file_name="five-is-best-survey.csv",
        stored_path="/nonexistent",
        file_sha256="5" * 64,
        mapping={"text": "Comment", "rating": "Rating"},
        status=ImportStatus.HELD,
        rating_column="Rating",
        rows_total=12,
        started_at=timezone.now(),
        rating_check={
            "positive_poor": 6,
            "negative_good": 6,
            "praise_rated_poor": examples,
            "complaints_rated_good": [{"line": 5, "text": "Rude receptionist", "given": "1", "stored": 1}],
        },
    )


def test_a_held_import_passes_axe_and_asks_with_an_error_when_nothing_is_chosen(
    partnership: Partnership, checker_for: CheckerFor
) -> None:
    job = _held_import(partnership)
    problems = Problems()
    checker = checker_for(problems)
    checker.sign_in(staff_user(partnership, Role.ENGAGEMENT_OFFICER).email)
    path = f"/staff/conversations/imports/{job.pk}/"
    checker.open(path)
    assert "Brilliant service" in checker.page.inner_text("#disagreements")
    checker.check(f"{path} (held for its ratings)")
    checker.page.get_by_role("button", name="Import the file").click()
    checker.page.wait_for_selector(".nhsuk-error-summary")
    checker.check(f"{path} (held, nothing chosen)")
    job.refresh_from_db()
    assert job.status == ImportStatus.HELD
    problems.assert_accessible()


def test_the_import_rating_pages_at_phone_width(
    partnership: Partnership, checker_for: CheckerFor, settings: Any, tmp_path: Path, results_dir: Path
) -> None:
    """Step 3 of an import read upside down (its warning, examples and rows) and a held
    import's page, on a 390px phone screen: axe-core passes, nothing scrolls sideways
    but the tables, inside their own scrolling regions, and no word is broken across
    lines (phone_checks.py); screenshots for a person."""
    settings.ENGAGE_IMPORT_DIR = tmp_path / "imports"
    job = _held_import(partnership)
    problems = Problems()
    checker = checker_for(problems, **PHONE)
    checker.sign_in(staff_user(partnership, Role.ENGAGEMENT_OFFICER).email)
    unfit: list[str] = []

    def shoot(label: str, name: str) -> None:
        checker.check(f"{label} (390px wide)")
        checker.page.screenshot(path=str(results_dir / name), full_page=True)
        unfit.extend(phone_problems(checker.page, label))

    _upload_to_map(checker)
    _continue_with_best(checker, "lowest")
    shoot("import step 3, upside down", "phone-import-check-upside-down.png")
    checker.open(f"/staff/conversations/imports/{job.pk}/")
    shoot("a held import", "phone-import-held.png")
    problems.assert_accessible()
    assert not unfit, "Pages that do not fit a phone:\n" + "\n".join(unfit)


def test_add_a_person_form_with_errors_passes_axe(partnership: Partnership, checker_for: CheckerFor) -> None:
    user = staff_user(partnership, Role.ENGAGEMENT_OFFICER)
    problems = Problems()
    checker = checker_for(problems)
    checker.sign_in(user.email)

    checker.open("/staff/people/new/")
    checker.page.get_by_role("button", name="Save").click()
    checker.page.wait_for_selector(".nhsuk-error-summary")

    assert checker.page.title().startswith("Error: ")
    # NHS.UK frontend's script moves focus to the summary, so a screen reader reads it first.
    focused = checker.page.evaluate("() => document.activeElement.closest('.nhsuk-error-summary') !== null")
    assert focused, "The error summary did not take focus: NHS.UK frontend's script did not run."
    checker.check("/staff/people/new/ (submitted empty, errors showing)")
    problems.assert_accessible()


PHONE = {"viewport": {"width": PHONE_WIDTH, "height": 844}, "device_scale_factor": 1}


def test_phone_width_screenshots(
    partnership: Partnership, checker_for: CheckerFor, results_dir: Path
) -> None:
    """Pages on a 390px phone screen, with screenshots for a person to look at. Each page
    must open (200, the page asked for: not an error page, not a redirect to sign in),
    pass axe-core at that width and, measured in the page (phone_checks.py), not scroll
    sideways, break no word across lines and shrink no chart. The timeline's list comes
    first, open, before its chart."""
    for title in ["Neighbourhood health team: designing care together", "Growing up in Dudley: youth survey"]:
        ActivityFactory(lead_organisation=partnership.voices, title=title)
    job = ImportJob.objects.get(file_name="carers-survey-2026.csv")
    published = ActivityPublication.objects.order_by("pk").first()
    assert published is not None
    problems = Problems()
    unfit: list[str] = []
    lists_open: dict[str, list[bool]] = {}

    def shoot(on: Checker, path: str, name: str) -> None:
        if _opened_as_asked(on, path):
            on.check(f"{path} (390px wide)")
        on.page.screenshot(path=str(results_dir / name), full_page=True)
        lists_open[path] = on.page.eval_on_selector_all(
            "details[data-open-on-phone]", "all => all.map((d) => d.open)"
        )
        unfit.extend(phone_problems(on.page, path))

    checker = checker_for(problems, **PHONE)
    for path, name in [
        ("/", "phone-home.png"),
        ("/partners/", "phone-partners.png"),
        ("/you-said-we-did/", "phone-you-said-we-did.png"),
        (f"/you-said-we-did/{published.activity_id}/", "phone-you-said-we-did-activity.png"),
        ("/give-feedback/", "phone-give-feedback.png"),
        (f"/evaluate/{Evaluation.objects.get().public_token}/", "phone-evaluate.png"),
        ("/reports/", "phone-reports.png"),
        (f"/reports/{Report.objects.get(state=ReportState.PUBLISHED).pk}/", "phone-report.png"),
        (
            f"/reports/{Report.objects.get(state=ReportState.PUBLISHED).pk}/easy-read/",
            "phone-report-easy-read.png",
        ),
    ]:
        shoot(checker, path, name)
    checker.sign_in(staff_user(partnership, Role.ENGAGEMENT_OFFICER).email)
    for path, name in [
        ("/staff/", "phone-staff-dashboard.png"),
        ("/staff/people/", "phone-staff-people.png"),
        ("/staff/themes/", "phone-staff-themes.png"),
        ("/staff/themes/review/", "phone-staff-review.png"),
        ("/staff/quotes/", "phone-staff-quotes.png"),
        ("/staff/quotes/decided/", "phone-staff-quotes-decided.png"),
        ("/staff/activities/timeline/?from=2026-01", "phone-staff-timeline.png"),
        ("/staff/activities/calendar/?month=2026-03", "phone-staff-calendar.png"),
        ("/staff/reach/", "phone-staff-reach.png"),
        ("/staff/conversations/imports/", "phone-staff-imports.png"),
        (f"/staff/conversations/imports/{job.pk}/", "phone-staff-import-report.png"),
        ("/staff/decisions/", "phone-staff-decisions.png"),
        (f"/staff/evaluations/{Evaluation.objects.get().activity_id}/", "phone-staff-evaluation.png"),
        ("/staff/board/", "phone-staff-board.png"),
        ("/staff/self-assessment/trends/", "phone-staff-self-assessment-trends.png"),
        (
            f"/staff/self-assessment/rounds/{AssessmentRound.objects.get(title='Baseline').pk}/",
            "phone-staff-self-assessment-round.png",
        ),
        ("/staff/reports/", "phone-staff-reports.png"),
        (f"/staff/reports/{Report.objects.get(state=ReportState.DRAFT).pk}/", "phone-staff-report.png"),
        (
            f"/staff/reports/{Report.objects.get(state=ReportState.DRAFT).pk}/easy-read/",
            "phone-staff-report-easy-read.png",
        ),
    ]:
        shoot(checker, path, name)
    analyst = checker_for(problems, **PHONE)
    analyst.sign_in(staff_user(partnership, Role.ANALYST).email)
    discovery = ThemeDiscovery.objects.for_organisation(partnership.voices).latest("pk")
    for path, name in [
        ("/staff/themes/discover/", "phone-staff-discover.png"),
        (f"/staff/themes/discover/{discovery.pk}/", "phone-staff-discovery-groups.png"),
        ("/staff/themes/framework/", "phone-staff-framework.png"),
        ("/staff/themes/models/", "phone-staff-models.png"),
    ]:
        shoot(analyst, path, name)
    administrator = checker_for(problems, **PHONE)
    administrator.sign_in(staff_user(partnership, Role.ORGANISATION_ADMIN).email)
    shoot(administrator, "/staff/audit/", "phone-staff-audit.png")
    problems.assert_accessible()
    assert len([c for c in problems.checked if c.endswith("(390px wide)")]) == 33
    assert lists_open["/staff/activities/timeline/?from=2026-01"] == [True]
    assert not unfit, "Pages that do not fit a phone:\n" + "\n".join(unfit)


def test_the_phone_check_notices_a_page_that_did_not_open(
    partnership: Partnership, checker_for: CheckerFor
) -> None:
    """Guards the guard: a staff page opened without signing in is the sign-in page,
    answered 200; it must not pass for the page asked for."""
    problems = Problems()
    checker = checker_for(problems, **PHONE)
    assert not _opened_as_asked(checker, "/staff/people/")
    assert any("/staff/people/ went to /accounts/sign-in/" in found for found in problems.links)


def _opened_as_asked(checker: Checker, path: str) -> bool:
    """Open `path`: True if it answered 200 with an HTML page and is still the page asked
    for (not redirected, to sign in or elsewhere); otherwise noted as a problem."""
    if not checker.open(path):
        return False
    landed = checker.path(checker.page.url)
    if landed != path:
        checker.problems.links.append(f"  {path} went to {landed}, not the page asked for")
        return False
    return True


def test_pages_load_without_console_errors(partnership: Partnership, checker_for: CheckerFor) -> None:
    """The public pages load their scripts, styles, fonts and images without an error,
    up to when the network falls quiet. (Every staff page a role reaches is held to
    the same by that role's crawl, test_every_staff_page_a_role_can_reach_passes_axe.)"""
    problems = Problems()
    checker = checker_for(problems)

    for path in PUBLIC_PAGES:
        checker.open(path)
    checker.page.wait_for_load_state("networkidle")

    problems.assert_console_clean()


def test_the_api_reference_page_draws_the_document_and_passes_axe(
    partnership: Partnership, checker_for: CheckerFor, results_dir: Path
) -> None:
    """/api/v1/reference/ (outside the crawl, which leaves /api/ alone): Swagger UI,
    served from this site under its Content-Security-Policy, draws every operation of
    the OpenAPI document, with no console error, passing axe-core, on a desktop and on
    a 390px phone screen without scrolling sideways."""
    user = staff_user(partnership, Role.ENGAGEMENT_OFFICER)
    for options, label in [({}, "desktop"), (PHONE, "390px wide")]:
        problems = Problems()
        checker = checker_for(problems, **options)
        checker.sign_in(user.email)

        assert _opened_as_asked(checker, "/api/v1/reference/")
        checker.page.wait_for_selector(".opblock-summary", state="attached")
        drawn = checker.page.locator(".opblock").count()
        checker.check(f"/api/v1/reference/ ({label})")
        # A reading and a writing operation opened: parameters, bodies, responses.
        for method in ("get", "post"):
            checker.page.locator(f".opblock-{method} .opblock-summary-control").first.click()
            checker.page.wait_for_selector(f".opblock-{method} .opblock-body .responses-wrapper")
        checker.check(f"/api/v1/reference/ ({label}, operations opened)")
        if not options:
            # "Try it out" reads from the API with the signed-in session.
            get = checker.page.locator(".opblock-get").first
            get.get_by_role("button", name="Try it out").click()
            get.get_by_role("button", name="Execute").click()
            status = get.locator(".live-responses-table tbody .response-col_status").first
            status.wait_for()
            assert status.inner_text().strip() == "200"
            assert "Try it out" not in checker.page.locator(".opblock-post").first.inner_text()
        checker.page.screenshot(
            path=str(results_dir / f"api-reference-{label.split()[0]}.png"), full_page=True
        )
        width = checker.page.evaluate("() => document.documentElement.scrollWidth")
        checker.page.wait_for_load_state("networkidle")

        assert drawn >= 20, f"Swagger UI drew {drawn} operations"
        problems.assert_accessible()
        problems.assert_console_clean()
        if options:
            assert width <= PHONE["viewport"]["width"], f"The reference is {width}px wide on a 390px screen."


def _reviewing(checker: Checker) -> int:
    """The conversation the review page shows now."""
    return int(checker.page.locator('#review-form input[name="conversation"]').input_value())


def test_the_review_pages_keys_do_what_the_page_says(
    partnership: Partnership, checker_for: CheckerFor
) -> None:
    """'Save and next (Enter)', 'Skip (S)' and the sentiments' 1, 2, 3, from the keyboard
    alone: Enter saves, with nothing focused or with a category's box focused, and the
    next conversation follows; Enter in the search box ticks the one category left
    rather than saving; S skips without saving."""
    user = staff_user(partnership, Role.ENGAGEMENT_OFFICER)
    problems = Problems()
    checker = checker_for(problems)
    checker.sign_in(user.email)
    page = checker.page
    assert checker.open("/staff/themes/review/")

    # Nothing focused: 3 chooses the third sentiment, Enter saves it.
    first = _reviewing(checker)
    page.keyboard.press("3")
    chosen = page.locator('input[name="sentiment"][data-key="3"]').input_value()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Labels saved. Here is the next conversation.").is_visible()
    review = Review.objects.get(conversation_id=first)
    assert (review.sentiment, review.reviewed_by_id) == (chosen, user.pk)
    second = _reviewing(checker)
    assert second != first

    # Enter in the search box ticks the one category it leaves; it does not save.
    box = page.locator('#review-form input[name="category"]').first
    name = page.locator(f'label[for="{box.get_attribute("id")}"]').inner_text()
    box.set_checked(False)
    page.keyboard.press("/")
    page.keyboard.type(name)
    assert page.locator("#review-form [data-name]:not([hidden])").count() == 1
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert box.is_checked()
    assert _reviewing(checker) == second
    assert not Review.objects.filter(conversation_id=second).exists()

    # A category's box focused: Enter saves, with that category.
    box.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert PersonLabel.objects.filter(conversation_id=second, category__name=name).exists()
    third = _reviewing(checker)
    assert third != second

    # S skips: the next conversation, nothing saved.
    with page.expect_navigation():
        page.keyboard.press("s")
    assert _reviewing(checker) != third
    assert not Review.objects.filter(conversation_id=third).exists()
    problems.assert_console_clean()


def test_registering_an_activity_in_steps_at_phone_width(
    partnership: Partnership, checker_for: CheckerFor, results_dir: Path
) -> None:
    """The activity form in steps, on a 390px phone screen, as a person fills it: each
    step and the check-your-answers page pass axe-core and fit (no word broken, nothing
    sideways); a step's problem is shown at that step; Enter continues (never goes
    back); Change comes back to the check page; nothing is saved until the check page's
    button."""
    problems = Problems()
    checker = checker_for(problems, **PHONE)
    checker.sign_in(staff_user(partnership, Role.ENGAGEMENT_OFFICER).email)
    page = checker.page
    AreaFactory(name="Castlebridge", kind=AreaKind.PLACE)
    before = Activity.objects.count()
    unfit: list[str] = []

    def looked_at(label: str, name: str) -> None:
        checker.check(f"{label} (390px wide)")
        page.screenshot(path=str(results_dir / name), full_page=True)
        unfit.extend(phone_problems(page, label))

    def continue_to(heading: str) -> None:
        page.get_by_role("button", name=re.compile("^Continue")).click()
        page.wait_for_selector(f"h1:text-is('{heading}')")

    checker.open("/staff/activities/new/")
    looked_at("activity step 1", "phone-activity-step-1.png")
    continue_to("About the activity")
    assert page.locator(".nhsuk-error-summary").is_visible()
    looked_at("activity step 1, submitted empty", "phone-activity-step-1-errors.png")
    page.get_by_label("Title", exact=True).fill("Carers' breaks: what would help")
    page.get_by_label("What is it for?").fill("Find out which breaks carers need most.")
    page.get_by_label("Topic").fill("carers breaks")
    page.get_by_label("Title", exact=True).press("Enter")  # Enter continues
    page.wait_for_selector("h1:text-is('Who it is for and where')")
    looked_at("activity step 2", "phone-activity-step-2.png")
    page.locator("input[name=target_groups]").first.check()
    page.locator("input[name=area_ids]").first.check()
    continue_to("When and how")
    for name, day in (("starts_on", (1, 6, 2026)), ("ends_on", (30, 6, 2026))):
        for part, value in zip(("day", "month", "year"), day, strict=True):
            page.locator(f"#id_{name}_{part}").fill(str(value))
    for name in ("stage", "involvement_type", "level"):
        page.locator(f"input[name={name}]").first.check()
    looked_at("activity step 3", "phone-activity-step-3.png")
    page.locator("#id_ends_on_year").press("Enter")  # Enter continues, not back a step
    page.wait_for_selector("h1:text-is('Who is involved')")
    looked_at("activity step 4", "phone-activity-step-4.png")
    continue_to("Status and feedback")
    looked_at("activity step 5", "phone-activity-step-5.png")
    continue_to("Check your answers")
    looked_at("check your answers", "phone-activity-check.png")
    assert Activity.objects.count() == before, "nothing is saved before the check page's button"

    page.get_by_role("button", name="Change title").click()
    page.wait_for_selector("h1:text-is('About the activity')")
    page.get_by_label("Title", exact=True).fill("Carers' breaks: what helps")
    continue_to("Check your answers")
    assert "Carers' breaks: what helps" in page.locator("#answer-title").inner_text()
    page.get_by_role("button", name=re.compile("^Save")).click()
    page.wait_for_url("**/staff/activities/*/")
    assert Activity.objects.filter(title="Carers' breaks: what helps").exists()
    problems.assert_accessible()
    assert not unfit, "Pages that do not fit a phone:\n" + "\n".join(unfit)
