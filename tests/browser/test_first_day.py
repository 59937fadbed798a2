"""A partnership's first day, in the real browser, from an empty database with no demo:
the first-run page opened by the console's code, the ward lookup loaded there, the
partnership and its administrator set up, two-step sign-in set up, the wards grouped
into a locality, the GP practices loaded from the NHS ODS file, an engagement officer
invited who chooses a password and signs in, an activity registered in a ward of the
new locality, the officer's contact list imported, a survey imported for the activity
and analysed, a decision recorded, the activity published, and the public page showing
what was done. Every page on the way passes axe-core. What the worker does (the register load, the email, the import, the
analysis, the contact list) is run by the test at the point the worker would."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django.core import mail

from engage.accounts.models import User
from engage.accounts.sign_in.services import password_link_deliver
from engage.activities.models import Activity, Area
from engage.conversations.imports.pipeline import import_job_run
from engage.conversations.models import Conversation, ImportJob, ImportStatus
from engage.core.models import Partnership
from engage.insight.models import AnalysisRun, RunStatus
from engage.insight.runner import analysis_run_execute
from engage.partners.models import (
    Group,
    Organisation,
    OrganisationKind,
    PeopleImportJob,
    PeopleImportStatus,
    RegisterJob,
)
from engage.partners.people_imports.runner import people_import_run
from engage.partners.registers.runner import register_job_run
from engage.setup.services import first_run_code_issue
from tests.browser.test_accessibility import (
    PASSWORD,
    Checker,
    CheckerFor,
    Problems,
    checker_for,
)

__all__ = ["checker_for"]  # the fixture, shared with the accessibility tests

ADMIN = "lead@blackcountry.example.nhs.uk"
OFFICER = "officer@blackcountry.example.nhs.uk"


def _ward_lookup() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["WD24CD", "WD24NM", "WD24NMW", "LAD24CD", "LAD24NM", "LAD24NMW", "ObjectId"])
    wards = ["Amblecote", "Belle Vale", "Brierley Hill", "Wordsley"]
    for number, name in enumerate(wards):
        writer.writerow([f"E0501478{number}", name, "", "E08000027", "Dudley", "", str(number + 1)])
    writer.writerow(["E05011294", "Abbey", "", "E08000028", "Sandwell", "", "9"])
    return ("\ufeff" + out.getvalue()).encode()


def _epraccur() -> bytes:
    """Three practices in the ODS's 27 columns: two in Dudley, one in Walsall."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    for code, name, postcode in (
        ("M87001", "THE HILL SURGERY", "DY8 1AA"),
        ("M87002", "ST JAMES'S MEDICAL PRACTICE", "DY5 2BB"),
        ("M91001", "WALSALL ROAD SURGERY", "WS1 1CC"),
    ):
        row = [""] * 27
        row[0], row[1], row[9], row[10], row[12], row[14], row[25] = (
            code,
            name,
            postcode,
            "19740401",
            "A",
            "D2P2L",
            "4",
        )
        writer.writerow(row)
    return out.getvalue().encode()


def _choose(page: Any, box: str, typed: str, option: str) -> None:
    """Type into a searchable box and choose one of what it offers."""
    page.locator(box).fill(typed)
    page.locator(f"{box}__listbox").get_by_role("option", name=option).click()


def _set_up(checker: Checker) -> None:
    page = checker.page
    code = first_run_code_issue()  # what engage serve prints on the console
    assert code is not None
    checker.open(f"/setup/?code={code}")
    checker.check("/setup/ (the first-run page)")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("h1:text-is('Load the ward lookup')")
    checker.check("/setup/partnership/ (the ward lookup)")
    page.get_by_label("The ONS ward to local authority district lookup (CSV)").set_input_files(
        files=[{"name": "WD24_LAD24_UK_LU.csv", "mimeType": "text/csv", "buffer": _ward_lookup()}]
    )
    page.get_by_role("button", name="Load the lookup").click()
    page.wait_for_selector("h1:text-is('Your partnership and its first administrator')")
    checker.check("/setup/partnership/ (the partnership)")
    page.get_by_label("The partnership's name").fill("Dudley Health and Care Partnership")
    _choose(page, "#id_place", "dudl", "Dudley (E08000027)")
    page.get_by_label("The organisation that hosts it").fill("NHS Black Country Integrated Care Board")
    page.get_by_label("Your email address").fill(ADMIN)
    page.get_by_label("Your first name").fill("Asha")
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_role("button", name="Set up the partnership").click()
    page.wait_for_selector("h1:text-is('Dudley Health and Care Partnership is set up')")
    checker.check("/setup/partnership/ (set up)")


def _arrange_areas(checker: Checker) -> None:
    page = checker.page
    checker.open("/staff/areas/")
    checker.check()
    assert "Wards in no locality" in page.inner_text("main")
    page.get_by_role("button", name="Add a locality").click()
    page.get_by_label("Name", exact=True).fill("Stourbridge")
    page.get_by_role("button", name="Add the area").click()
    page.wait_for_selector("h1:text-is('Stourbridge')")
    checker.check("/staff/areas/<id>/ (a new locality)")
    for ward in ("Amblecote", "Wordsley"):
        _choose(page, "#id_ward_ids", ward[:5].lower(), ward)
        # Chosen: listed beneath the box, which is empty again for the next.
        page.get_by_role("button", name=f"Remove {ward}").wait_for()
        page.wait_for_function("() => document.querySelector('#id_ward_ids').value === ''")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("h1:text-is('Areas')")
    assert {a.name for a in Area.objects.get(name="Stourbridge").children.all()} == {"Amblecote", "Wordsley"}


def _load_practices(checker: Checker) -> None:
    page = checker.page
    checker.open("/staff/organisations/load/")
    checker.check()
    page.get_by_label("NHS ODS: GP practices (epraccur.csv)").check()
    page.get_by_label("The file").set_input_files(
        files=[{"name": "epraccur.csv", "mimeType": "text/csv", "buffer": _epraccur()}]
    )
    page.get_by_label("Only these postcode areas or districts (optional)").fill("DY")
    page.get_by_role("button", name="Load the file").click()
    page.wait_for_selector("text=is queued")
    register_job_run(job_id=RegisterJob.objects.get().pk)  # the worker's part
    checker.open("/staff/organisations/load/")
    assert "2 added" in page.inner_text("main")
    checker.check("/staff/organisations/load/ (loaded)")
    assert sorted(
        Organisation.objects.filter(kind=OrganisationKind.GP_PRACTICE).values_list("name", flat=True)
    ) == [
        "St James's Medical Practice",
        "The Hill Surgery",
    ]


def _invite_officer(checker: Checker) -> str:
    page = checker.page
    checker.open("/staff/users/new/")
    checker.check()
    page.get_by_label("First name").fill("Ben")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Email address").fill(OFFICER)
    page.get_by_label("Organisation", exact=True).select_option(
        label="NHS Black Country Integrated Care Board"
    )
    page.get_by_label("Engagement officer").check()
    page.get_by_role("button", name=re.compile("^(Invite|Add|Send)")).click()
    page.wait_for_url("**/staff/users/*/")
    # The worker's part: the invitation goes by email.
    password_link_deliver(kind="invitation", user_id=User.objects.get(email=OFFICER).pk)
    invitation = next(message for message in mail.outbox if OFFICER in message.to)
    found = re.search(r"https?://[^/\s]+(/accounts/invitation/\S+)", str(invitation.body))
    assert found, invitation.body
    assert "You have been given an account on Dudley Health and Care Partnership" in invitation.body
    return found.group(1)  # the path: the test's server is on a port of its own


def _register_activity(checker: Checker) -> None:
    page = checker.page

    def continue_to(heading: str) -> None:
        page.get_by_role("button", name=re.compile("^Continue")).click()
        page.wait_for_selector(f"h1:text-is('{heading}')")

    checker.open("/staff/activities/new/")
    page.get_by_label("Title", exact=True).fill("Stourbridge carers' evenings")
    page.get_by_label("What is it for?").fill("Hear what carers in Stourbridge need from respite.")
    page.get_by_label("Topic").fill("carers breaks")
    continue_to("Who it is for and where")
    checker.check("activity step 2 (the new partnership's areas)")
    page.locator("input[name=target_groups]").first.check()
    page.get_by_label("Amblecote").check()
    continue_to("When and how")
    for name, day in (("starts_on", (1, 2, 2027)), ("ends_on", (28, 2, 2027))):
        for part, value in zip(("day", "month", "year"), day, strict=True):
            page.locator(f"#id_{name}_{part}").fill(str(value))
    for name in ("stage", "involvement_type", "level"):
        page.locator(f"input[name={name}]").first.check()
    continue_to("Who is involved")
    continue_to("Status and feedback")
    continue_to("Check your answers")
    page.get_by_role("button", name=re.compile("^Save")).click()
    page.wait_for_url("**/staff/activities/*/")
    checker.check("the new activity")


SURVEY = b"Comment,Date,Rating\n" + b"".join(
    f"{text},2027-02-{10 + n:02d},{rating}\n".encode()
    for n, (text, rating) in enumerate(
        [
            ("A break once a month would let me keep going", 4),
            ("The sitting service was brilliant and kind", 5),
            ("Nobody told me respite existed until I was exhausted", 1),
            ("Evening sessions suit carers who work", 4),
            ("Too far to travel to the centre without a car", 2),
            ("Staff listened and helped me plan a short break", 5),
        ]
    )
)


def _import_conversations(checker: Checker, activity: Activity) -> None:
    page = checker.page
    checker.open("/staff/conversations/imports/new/")
    page.get_by_label("Choose the file").set_input_files(
        files=[{"name": "carers-evenings.csv", "mimeType": "text/csv", "buffer": SURVEY}]
    )
    page.get_by_label("How are its columns laid out?").select_option(label="Map the columns myself")
    page.get_by_label("Activity the conversations came from (optional)").select_option(value=str(activity.pk))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/conversations/imports/new/columns/**")
    page.get_by_role("radio", name="The highest number", exact=False).check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("#rows-as-read")
    checker.check("the import's rows as they will be read")
    page.get_by_role("button", name="Start the import").click()
    page.wait_for_url("**/staff/conversations/imports/*/")
    # The worker's part: the import, then the analysis it queues of what came in.
    job = ImportJob.objects.get(file_name="carers-evenings.csv")
    assert import_job_run(job_id=job.pk, wait_in_line=False).status == ImportStatus.SUCCEEDED
    run = AnalysisRun.objects.filter(status=RunStatus.QUEUED).order_by("-pk").first()
    assert run is not None, "an import queues the analysis of what it brought in"
    assert analysis_run_execute(run_id=run.pk).status == RunStatus.SUCCEEDED
    checker.open(f"/staff/conversations/imports/{job.pk}/")
    checker.check("the finished import")
    assert Conversation.objects.filter(activity=activity).count() == 6


CONTACTS = (
    b"Reference,First name,Last name,Email,Groups,Consent to contact given on,Consent to contact method\n"
    b"DC-1,Asha,Begum,asha@example.org,Stourbridge Carers,15/03/2026,paper form\n"
    b"DC-2,Tom,Price,tom@example.org,Stourbridge Carers,16/03/2026,email\n"
)


def _import_contacts(checker: Checker) -> None:
    """The contact list the ICB already keeps, with the ready-made template's columns."""
    page = checker.page
    checker.open("/staff/people/imports/new/")
    page.get_by_label("Choose the file").set_input_files(
        files=[{"name": "carers-contacts.csv", "mimeType": "text/csv", "buffer": CONTACTS}]
    )
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/people/imports/new/columns/**")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("#rows-as-read")
    page.get_by_role("button", name="Start the import").click()
    page.wait_for_url("**/staff/people/imports/*/")
    job = PeopleImportJob.objects.get(file_name="carers-contacts.csv")
    assert people_import_run(job_id=job.pk).status == PeopleImportStatus.SUCCEEDED  # the worker's part
    checker.open(f"/staff/people/imports/{job.pk}/")
    assert page.inner_text("#count-added") == "2"
    checker.check("the finished contact list import")
    assert Group.objects.get(name="Stourbridge Carers").memberships.count() == 2


def _decide_and_publish(checker: Checker, activity: Activity) -> None:
    page = checker.page
    checker.open(f"/staff/decisions/new/?activity={activity.pk}")
    checker.check()
    page.get_by_label("What was decided, in a few words").fill("Evening carers' breaks in Stourbridge")
    page.get_by_label("What was decided or done, and why").fill(
        "Carers told us evenings suit those who work, so the sitting service now runs two evenings a week."
    )
    page.locator("input[name=decided_by]").first.check()
    page.get_by_label("Which board, committee or organisation").fill("Dudley Place Committee")
    page.get_by_label("Status").select_option(label="Agreed")
    page.get_by_role("button", name=re.compile("^(Save|Record)")).click()
    page.wait_for_url("**/staff/decisions/*/")
    checker.open(f"/staff/decisions/publish/{activity.pk}/")
    checker.check()
    page.get_by_label(re.compile("^Evening carers' breaks in Stourbridge")).check()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()


def test_a_partnership_sets_itself_up_from_an_empty_database(
    checker_for: CheckerFor, settings: Any, tmp_path: Any
) -> None:
    settings.ENGAGE_IMPORT_DIR = tmp_path / "imports"
    assert not Partnership.objects.exists()
    assert not User.objects.exists()
    problems = Problems()
    admin = checker_for(problems)
    _set_up(admin)
    admin.sign_in(ADMIN)  # sets up two-step sign-in, its pages checked
    assert "Dudley Health and Care Partnership" in admin.page.title()
    _arrange_areas(admin)
    _load_practices(admin)
    link = _invite_officer(admin)

    officer = checker_for(problems)
    officer.page.goto(officer.base_url + link)
    officer.page.wait_for_selector("h1:text-is('Choose your password')")
    officer.check("the invitation's page")
    officer.page.get_by_label("New password", exact=True).fill(PASSWORD)
    officer.page.get_by_label("New password confirmation", exact=True).fill(PASSWORD)
    officer.page.get_by_role("button", name="Save password").click()
    officer.page.wait_for_load_state()
    officer.sign_in(OFFICER)
    _register_activity(officer)
    activity = Activity.objects.get(title="Stourbridge carers' evenings")
    assert [area.name for area in activity.areas.all()] == ["Amblecote"]
    assert activity.lead_organisation.name == "NHS Black Country Integrated Care Board"
    _import_contacts(officer)
    _import_conversations(officer, activity)
    _decide_and_publish(officer, activity)

    public = checker_for(problems)
    public.open("/you-said-we-did/")
    assert "Stourbridge carers' evenings" in public.page.inner_text("main")
    public.page.get_by_role("link", name=re.compile("Stourbridge carers' evenings")).first.click()
    public.page.wait_for_load_state()
    assert "Evening carers' breaks in Stourbridge" in public.page.inner_text("main")
    public.check("the activity's public page")
    assert "Dudley Health and Care Partnership" in public.page.title()
    problems.assert_accessible()
