"""Importing conversations through the staff pages: upload, map, watch, read the report.

The background worker is stood in for by calling `pipeline.import_job_run` (or, in one
test, by the immediate task backend), so each test runs the import where it can see it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from engage.accounts.tests.factories import member_of
from engage.activities.tests.factories import ActivityFactory
from engage.conversations.imports import pipeline
from engage.conversations.imports.mapping import FFT
from engage.conversations.models import Channel, Conversation, ImportJob, ImportStatus, ImportTemplate
from engage.conversations.tests.conftest import csv_bytes
from engage.conversations.tests.factories import ImportJobFactory
from engage.core.models import AuditEvent
from engage.core.progress import time_left_text
from engage.core.roles import Role
from engage.core.tabular.pending import pending_dir
from engage.partners.tests.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("engage.conversations.tests.urls_for_tests")]

IMPORTS = "/staff/conversations/imports/"
FFT_ROWS = [
    ["Respondent ID", "Date", "FFT response", "Comment"],
    ["F1", "15/03/2025", "Very good", "The nurses were kind and explained everything."],
    ["F2", "16/03/2025", "2", "Waited two hours but the doctor was thorough."],
    ["F3", "17/03/2025", "Don't know", "Parking was impossible."],
    ["F4", "31/02/2025", "1", "Lovely staff."],
]
EVENT_ROWS = [
    ["Note", "When", "Score out of ten", "Where from", "Ref"],
    ["The bus to the hospital only runs twice a day.", "2025-03-04", "3", "DY1 1HF", "E1"],
    ["I could not get through on the phone at 8am.", "2025-03-04", "0", "DY2 9AA", "E2"],
    ["The pharmacy was brilliant.", "2025-03-05", "10", "", "E3"],
]


@pytest.fixture
def officer_user(organisation: Any) -> Any:
    return member_of(organisation, Role.ENGAGEMENT_OFFICER, first_name="Amara", last_name="Okafor")


@pytest.fixture
def officer(client_for: Any, officer_user: Any, organisation: Any) -> Any:
    return client_for(officer_user, organisation)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def start_with_template(client: Any, rows: list[list[object]], *, template: str = FFT, **extra: Any) -> Any:
    return client.post(
        f"{IMPORTS}new/", {"file": upload("fft.csv", csv_bytes(rows)), "template": template, **extra}
    )


def only_job(organisation: Any) -> ImportJob:
    return ImportJob.objects.for_organisation(organisation).get()


def run_job(job: ImportJob) -> ImportJob:
    return pipeline.import_job_run(job_id=job.pk)


def map_myself(
    client: Any, rows: list[list[object]] | bytes, *, name: str = "event-notes.csv", **extra: Any
) -> str:
    """Step 1 with "Map the columns myself"; returns the step 2 URL."""
    content = rows if isinstance(rows, bytes) else csv_bytes(rows)
    response = client.post(f"{IMPORTS}new/", {"file": upload(name, content), "template": "", **extra})
    assert response.status_code == 302, re.findall(
        r"nhsuk-error-message.*?</span>(.*?)</span>", response.content.decode(), re.S
    )
    assert response["Location"].startswith(f"{IMPORTS}new/columns/?upload=")
    return response["Location"]


def token_of(step_two_url: str) -> str:
    return parse_qs(urlsplit(step_two_url).query)["upload"][0]


EVENT_MAPPING = {
    "column_text": "Note",
    "column_occurred_on": "When",
    "column_rating": "Score out of ten",
    "column_postcode": "Where from",
    "column_respondent_reference": "Ref",
    "default_channel": Channel.EVENT.value,
    "default_question": "What would make it easier to get care?",
    "rating_scale": "0-10",
    "rating_best": "highest",
}
COLUMNS = f"{IMPORTS}new/columns/"


def start_mapped(client: Any, step_two: str, answers: dict[str, Any]) -> Any:
    """Step 2's answers posted straight to "Start the import" (step 3's button)."""
    return client.post(COLUMNS, {"upload": token_of(step_two), **answers, "action": "start"})


def test_an_fft_return_imported_with_its_template_shows_the_report(officer, organisation, officer_user):
    response = start_with_template(officer, FFT_ROWS)
    job = only_job(organisation)
    assert response.status_code == 302
    assert response["Location"] == f"{IMPORTS}{job.pk}/"
    assert (job.status, job.template_name, job.created_by) == (ImportStatus.QUEUED, FFT, officer_user)

    waiting = officer.get(response["Location"]).content.decode()
    assert "Waiting to start" in waiting
    assert "<progress" in waiting
    assert "Refresh" in waiting

    run_job(job)
    page = officer.get(f"{IMPORTS}{job.pk}/").content.decode()
    assert re.search(r'id="count-added">3<', page)
    assert re.search(r'id="count-duplicates">0<', page)
    assert re.search(r'id="count-rejected">1<', page)
    assert "<progress" not in page
    assert "There is no such date as" in page
    assert "being analysed for themes and sentiment in the background, usually within minutes" in page
    assert Conversation.objects.for_organisation(organisation).count() == 3
    first = Conversation.objects.for_organisation(organisation).get(respondent_reference="F1")
    assert (first.channel, first.rating) == (Channel.FRIENDS_AND_FAMILY_TEST, 1)

    listing = officer.get(IMPORTS).content.decode()
    assert "fft.csv" in listing
    assert "Amara Okafor" in listing
    assert "Finished" in listing


def test_the_import_starts_in_the_background_once_the_upload_is_saved(
    officer, organisation, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        start_with_template(officer, FFT_ROWS)
    job = only_job(organisation)
    assert (job.status, job.added, job.rejected) == (ImportStatus.SUCCEEDED, 3, 1)


def test_mapping_the_columns_myself_previews_the_file_then_imports_it(officer, organisation):
    activity = ActivityFactory(lead_organisation=organisation)
    step_two = map_myself(officer, EVENT_ROWS, activity_id=str(activity.pk))

    page = officer.get(step_two).content.decode()
    for heading in EVENT_ROWS[0]:
        assert f"<li>{heading}</li>" in page
    assert "The bus to the hospital only runs twice a day." in page
    assert "DY2 9AA" in page  # the preview shows the file as it is
    assert re.search(r'<option value=""\s*>Not in this file</option>', page)  # the empty choice
    assert ImportJob.objects.count() == 0

    # Continue: how the first rows will be read, and still nothing imported.
    check = officer.post(COLUMNS, {"upload": token_of(step_two), **EVENT_MAPPING})
    page = check.content.decode()
    assert check.status_code == 200
    assert "Check how the rows will be read" in page
    assert "Ratings in this file are read from 0 to 10, where 10 is the best." in page
    assert "10 of 10, the best" in page
    assert "Very good (1)" in page
    assert "0 of 10, the worst" in page
    assert ImportJob.objects.count() == 0

    response = start_mapped(officer, step_two, EVENT_MAPPING)
    job = only_job(organisation)
    assert response.status_code == 302
    assert response["Location"] == f"{IMPORTS}{job.pk}/"
    assert job.activity_id == activity.pk
    assert job.template_name == ""
    assert job.mapping["text"] == "Note"
    assert (job.rating_column, job.rating_low, job.rating_high, job.rating_best) == (
        "Score out of ten",
        0,
        10,
        "highest",
    )
    assert not list(pending_dir().iterdir())  # the kept copy is gone

    run_job(job)
    saved = Conversation.objects.for_organisation(organisation).order_by("respondent_reference")
    # Kept on the bank's one scale, 1 very good to 5 very poor.
    assert [(c.rating, c.postcode_district, c.channel) for c in saved] == [
        (4, "DY1", "event"),
        (5, "DY2", "event"),
        (1, "", "event"),
    ]
    assert {c.question for c in saved} == {"What would make it easier to get care?"}
    assert {c.activity_id for c in saved} == {activity.pk}
    assert saved[0].occurred_on == dt.date(2025, 3, 4)


def test_the_columns_page_suggests_columns_the_templates_know(officer):
    step_two = map_myself(
        officer, [["Comment", "Date", "Postcode"], ["Too far to travel.", "2025-03-01", "DY1"]]
    )
    page = officer.get(step_two).content.decode()
    assert re.search(r'<select[^>]*name="column_text".*?<option value="Comment"\s+selected', page, re.S)
    assert re.search(r'<select[^>]*name="column_postcode".*?<option value="Postcode"\s+selected', page, re.S)


def test_an_excel_workbook_can_be_previewed_and_mapped(officer, organisation):
    import openpyxl  # noqa: PLC0415 - openpyxl takes a while to load; only this test needs it

    book = openpyxl.Workbook()
    for row in EVENT_ROWS:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    step_two = map_myself(officer, buffer.getvalue(), name="notes.xlsx")
    page = officer.get(step_two).content.decode()
    assert "I could not get through on the phone at 8am." in page
    start_mapped(officer, step_two, EVENT_MAPPING)
    job = run_job(only_job(organisation))
    assert (job.status, job.added) == (ImportStatus.SUCCEEDED, 3)


def test_a_saved_mapping_becomes_a_template_for_the_next_file(officer, organisation):
    step_two = map_myself(officer, EVENT_ROWS)
    start_mapped(officer, step_two, {**EVENT_MAPPING, "save_as": "Community  event notes"})
    template = ImportTemplate.objects.get(organisation=organisation)
    assert template.name == "Community event notes"
    assert template.mapping["text"] == "Note"
    assert template.defaults["channel"] == "event"
    assert (template.defaults["rating_scale"], template.defaults["rating_best"]) == ([0, 10], "highest")
    run_job(only_job(organisation))

    step_one = officer.get(f"{IMPORTS}new/").content.decode()
    assert '<option value="Community event notes"' in step_one
    assert f"{FFT} (ready-made)" in step_one

    # The next file from the same source, with the saved template: nothing twice.
    response = officer.post(
        f"{IMPORTS}new/",
        {"file": upload("event-notes-2.csv", csv_bytes(EVENT_ROWS)), "template": "Community event notes"},
    )
    second = ImportJob.objects.for_organisation(organisation).get(file_name="event-notes-2.csv")
    assert response["Location"] == f"{IMPORTS}{second.pk}/"
    second = run_job(second)
    assert (second.added, second.duplicates, second.template_name) == (0, 3, "Community event notes")
    assert (second.rating_low, second.rating_high, second.rating_best) == (0, 10, "highest")


def test_another_organisations_templates_are_not_offered(officer):
    other = OrganisationFactory()
    ImportTemplate.objects.create(
        organisation=other, name="Their private survey", mapping={"text": "Comment"}
    )
    page = officer.get(f"{IMPORTS}new/").content.decode()
    assert "Their private survey" not in page
    response = start_with_template(officer, FFT_ROWS, template="Their private survey")
    assert response.status_code == 200
    assert "Choose a template from the list" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_a_file_without_the_templates_comment_column_is_refused_and_nothing_is_kept(officer, settings):
    response = start_with_template(officer, [["Date", "Notes"], ["15/03/2025", "Fine"]])
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "fft.csv: The file has no column" in page
    assert "The columns it has are: &#39;Date&#39;, &#39;Notes&#39;." in page
    assert ImportJob.objects.count() == 0
    assert not [p for p in Path(settings.ENGAGE_IMPORT_DIR).rglob("*") if p.is_file()]


def test_mapping_without_the_comment_column_is_refused_and_nothing_is_saved(officer):
    step_two = map_myself(officer, EVENT_ROWS)
    response = officer.post(
        f"{IMPORTS}new/columns/",
        {"upload": token_of(step_two), **EVENT_MAPPING, "column_text": "", "save_as": "Event notes"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Choose the column that holds what people said." in page
    assert 'href="#id_column_text"' in page
    assert "The bus to the hospital only runs twice a day." in page  # the preview is shown again
    assert ImportJob.objects.count() == 0
    assert ImportTemplate.objects.count() == 0
    # The file is still kept, so the mapping can be put right without uploading again.
    fixed = start_mapped(officer, step_two, EVENT_MAPPING)
    assert fixed.status_code == 302
    assert ImportJob.objects.count() == 1


def test_a_template_name_of_a_ready_made_template_saves_neither_template_nor_job(officer):
    step_two = map_myself(officer, EVENT_ROWS)
    response = start_mapped(officer, step_two, {**EVENT_MAPPING, "save_as": FFT})
    assert response.status_code == 200
    assert "is the name of a built-in template" in response.content.decode()
    assert ImportJob.objects.count() == 0
    assert ImportTemplate.objects.count() == 0


def test_a_column_can_hold_only_one_field(officer):
    step_two = map_myself(officer, EVENT_ROWS)
    response = officer.post(
        f"{IMPORTS}new/columns/", {"upload": token_of(step_two), **EVENT_MAPPING, "column_question": "Note"}
    )
    assert response.status_code == 200
    assert "is already chosen for what the person said" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_a_column_the_file_does_not_have_cannot_be_chosen(officer):
    step_two = map_myself(officer, EVENT_ROWS)
    response = officer.post(
        f"{IMPORTS}new/columns/", {"upload": token_of(step_two), **EVENT_MAPPING, "column_text": "Comment"}
    )
    assert response.status_code == 200
    assert "Choose one of the file&#39;s columns" in response.content.decode()
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"Comment\n", "The file has column headings but no rows below them."),
        ("report.pdf", b"%PDF-1.4 ...", "Only CSV files (.csv) and Excel workbooks (.xlsx) can be imported."),
        ("book.xlsx", b"Comment,Date\nHello,2025-01-01\n", "This file is called an Excel file"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_at_the_first_step(officer, settings, name, content, message):
    response = officer.post(f"{IMPORTS}new/", {"file": upload(name, content), "template": ""})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not [p for p in Path(settings.ENGAGE_IMPORT_DIR).rglob("*") if p.is_file()]


def test_no_file_chosen_is_an_error_beside_the_file_box(officer):
    response = officer.post(f"{IMPORTS}new/", {"template": FFT})
    page = response.content.decode()
    assert "Choose a CSV or Excel (.xlsx) file to import." in page
    assert 'href="#id_file"' in page


def test_a_kept_upload_is_reached_only_through_a_signed_value_of_this_organisation(
    officer, organisation, client_for
):
    step_two = map_myself(officer, EVENT_ROWS)
    token = token_of(step_two)

    tampered = officer.get(f"{IMPORTS}new/columns/", {"upload": token[:-3] + "abc"})
    assert tampered.status_code == 302
    assert tampered["Location"] == f"{IMPORTS}new/"
    raw_path = officer.get(f"{IMPORTS}new/columns/", {"upload": "../../etc/passwd"})
    assert raw_path["Location"] == f"{IMPORTS}new/"

    other = OrganisationFactory()
    outsider = client_for(member_of(other, Role.ENGAGEMENT_OFFICER), other)
    assert outsider.get(step_two)["Location"] == f"{IMPORTS}new/"
    refused = outsider.post(f"{IMPORTS}new/columns/", {"upload": token, **EVENT_MAPPING})
    assert refused.status_code == 302
    assert ImportJob.objects.count() == 0


def _survey_imported(officer: Any, organisation: Any, rows: list[list[object]], **columns: str) -> Any:
    """`rows` imported with their columns mapped by hand (Comment and Date, and
    `columns`), on a 1 to 5 scale, and run."""
    step_two = map_myself(officer, rows)
    start_mapped(
        officer,
        step_two,
        {
            "column_text": "Comment",
            "column_occurred_on": "Date",
            "default_channel": "survey",
            "rating_scale": "1-5",
            "rating_best": "lowest",
            **columns,
        },
    )
    return run_job(only_job(organisation))


def test_the_rejected_rows_are_listed_and_download_as_formula_safe_csv(officer, organisation):
    rows = [
        ["Comment", "=cmd", "Date"],
        ["Fine.", "6", "2025-03-01"],
        ["Good.", "x", "2025-03-01"],
        ["", "2", "2025-03-01"],
        ["Kind staff.", "3", "2025-03-01"],
    ]
    job = _survey_imported(officer, organisation, rows, column_rating="=cmd")
    assert (job.added, job.rejected) == (1, 3)

    page = officer.get(f"{IMPORTS}{job.pk}/").content.decode()
    assert "Rows that were not imported" in page
    assert "The rating 6 is outside the scale of 1 to 5." in page
    assert "Download the rejected rows as CSV" in page
    assert f'href="{IMPORTS}{job.pk}/rejections.csv"' in page

    download = officer.get(f"{IMPORTS}{job.pk}/rejections.csv")
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in download["Content-Disposition"]
    # The rows hold what people wrote: taking them out of the product is audited.
    exported = AuditEvent.objects.get(action="exported", subject_type="import_job", subject_id=str(job.pk))
    assert exported.organisation_id == organisation.pk
    table = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert table[0] == ["Line", "Column", "Reason", "Comment", "'=cmd", "Date"]
    assert [row[:2] for row in table[1:]] == [["2", "'=cmd"], ["3", "'=cmd"], ["4", "Comment"]]
    assert table[3][2] == "The comment is empty."
    # Each row as the file had it, to correct and import again.
    assert [row[3:] for row in table[1:]] == [
        ["Fine.", "6", "2025-03-01"],
        ["Good.", "x", "2025-03-01"],
        ["", "2", "2025-03-01"],
    ]


def test_the_rejected_rows_download_gives_each_row_with_its_cells_made_safe(officer, organisation):
    """What a person typed into a spreadsheet comes back as text, never as a formula; a
    whole postcode comes back as its district only, as the bank keeps it, and a value in
    the postcode column that is no postcode (part of an address, perhaps) not at all."""
    rows = [
        ["Comment", "Rating", "Date", "Postcode", "Notes"],
        ['=HYPERLINK("http://evil.example","Click")', "9", "2025-03-01", "DY1 1HF", "+44 7700 900123"],
        ["-2 stars", "1", "not a date", "dy11hf", "@SUM(A1:A9)"],
        ["\tTabbed", "1", "2025-03-01", "14 Acacia Avenue", "\rcarriage"],
        ["Kind staff.", "3", "2025-03-01", "DY1 1HF", "safe"],
    ]
    job = _survey_imported(officer, organisation, rows, column_rating="Rating", column_postcode="Postcode")
    assert (job.added, job.rejected) == (1, 3)

    download = officer.get(f"{IMPORTS}{job.pk}/rejections.csv")
    table = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))

    assert table[0] == ["Line", "Column", "Reason", "Comment", "Rating", "Date", "Postcode", "Notes"]
    assert [row[3:] for row in table[1:]] == [
        ['\'=HYPERLINK("http://evil.example","Click")', "9", "2025-03-01", "DY1", "'+44 7700 900123"],
        ["'-2 stars", "1", "not a date", "DY1", "'@SUM(A1:A9)"],
        ["'\tTabbed", "1", "2025-03-01", "", "'\rcarriage"],
    ]
    # Nothing of a whole postcode, or of an address, is kept with the rejections.
    kept = json.dumps(list(job.rejections.values_list("cells", flat=True)))
    assert "1HF" not in kept.upper()
    assert "Acacia" not in kept


def test_the_rejections_table_is_paginated(officer, organisation, settings):
    rows = [["Comment", "Date"]] + [[f"Comment {n}", "not a date"] for n in range(60)]
    start_with_template(officer, rows, template="Generic survey export")
    job = run_job(only_job(organisation))
    assert job.rejected == 60
    first = officer.get(f"{IMPORTS}{job.pk}/").content.decode()
    assert "Page 1 of 2" in first
    second = officer.get(f"{IMPORTS}{job.pk}/", {"page": 2}).content.decode()
    assert "Page 2 of 2" in second
    assert second.count('class="nhsuk-table__row"') == 10  # the last ten of sixty


def test_the_status_json_reports_progress_while_the_import_runs(officer, organisation):
    start_with_template(officer, FFT_ROWS)
    job = only_job(organisation)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(seconds=10),
        rows_done=500,
        rows_total=2000,
    )
    response = officer.get(f"{IMPORTS}{job.pk}/status.json")
    data = response.json()
    assert response["Cache-Control"] == "no-store"
    assert (data["status"], data["finished"], data["rows_done"], data["rows_total"], data["percent"]) == (
        "running",
        False,
        500,
        2000,
        25,
    )
    assert 45 <= data["rows_per_second"] <= 50
    assert 29 <= data["seconds_left"] <= 31
    assert data["summary"] == (
        f"500 of about 2,000 rows checked, {data['rows_per_second']:,.0f} rows a second, less than a minute left."
    )

    page = officer.get(f"{IMPORTS}{job.pk}/").content.decode()
    assert '<progress id="import-progress-bar" class="nhsuk-u-width-full" max="2000" value="500">' in page
    assert f'data-status-url="{IMPORTS}{job.pk}/status.json"' in page
    assert '<script type="module" src="/static/engage/job-progress.mjs"></script>' in page
    assert "You can leave this page" in page

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)  # a worker runs only a queued job
    run_job(job)
    done = officer.get(f"{IMPORTS}{job.pk}/status.json").json()
    assert (done["status"], done["finished"], done["percent"], done["added"], done["rejected"]) == (
        "succeeded",
        True,
        100,
        3,
        1,
    )
    assert done["seconds_left"] == 0


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (None, "working out the time left"),
        (12, "less than a minute left"),
        (89, "about 1 minute left"),
        (600, "about 10 minutes left"),
        (3 * 3600 + 60, "about 3 hours 1 minute left"),
    ],
)
def test_time_left_is_said_in_words(seconds, words):
    assert time_left_text(seconds) == words


def test_a_failed_import_says_why_and_that_nothing_was_imported(officer, organisation):
    start_with_template(officer, FFT_ROWS)
    job = only_job(organisation)
    Path(job.stored_path).unlink()
    assert run_job(job).status == ImportStatus.FAILED
    page = officer.get(f"{IMPORTS}{job.pk}/").content.decode()
    assert "The import failed: nothing was imported" in page
    assert "The uploaded file is no longer on the server" in page
    assert "<progress" not in page
    assert Conversation.objects.count() == 0


# --- Which end of a rating scale is best ------------------------------------------------

PRAISE = ["Brilliant service", "The nurses were kind and caring.", "Excellent, friendly staff."]
COMPLAINTS = ["Rude receptionist.", "Awful, dirty waiting room.", "Waited four hours, nobody told us why."]
# A survey where 5 is best: praise rated 5, complaints rated 1, on twelve rows.
FIVE_BEST_ROWS = [
    ["Comment", "Date", "Score"],
    *[[text, "2025-03-0" + str(1 + n), 5] for n in range(2) for text in PRAISE],
    *[[text, "2025-03-0" + str(3 + n), 1] for n in range(2) for text in COMPLAINTS],
]
FIVE_BEST_MAPPING = {
    "column_text": "Comment",
    "column_occurred_on": "Date",
    "column_rating": "Score",
    "default_channel": Channel.SURVEY.value,
    "rating_scale": "1-5",
}


def test_the_columns_page_asks_which_end_of_the_scale_is_best(officer):
    page = officer.get(map_myself(officer, FIVE_BEST_ROWS)).content.decode()
    assert "Which end of the scale is best?" in page
    assert 'name="rating_best" type="radio" value="lowest"' in page
    assert 'name="rating_best" type="radio" value="highest"' in page
    assert "checked" not in re.search(r'name="rating_best".*?</fieldset>', page, re.S).group(0)  # no guess


def test_a_rating_column_without_saying_which_end_is_best_is_a_form_error(officer):
    step_two = map_myself(officer, FIVE_BEST_ROWS)
    for answers in (FIVE_BEST_MAPPING, {**FIVE_BEST_MAPPING, "rating_best": "top"}):
        response = start_mapped(officer, step_two, answers)
        page = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in page
        assert "Choose which end of the rating scale is best: the lowest number or the highest." in page
        assert 'href="#id_rating_best"' in page
    assert ImportJob.objects.count() == 0
    # Without a rating column the question does not matter.
    no_rating = {**FIVE_BEST_MAPPING, "column_rating": ""}
    assert start_mapped(officer, step_two, no_rating).status_code == 302


def test_the_step_before_the_import_shows_each_rating_as_given_and_as_it_will_be_read(officer):
    step_two = map_myself(officer, FIVE_BEST_ROWS)
    response = officer.post(
        COLUMNS, {"upload": token_of(step_two), **FIVE_BEST_MAPPING, "rating_best": "highest"}
    )
    page = response.content.decode()
    assert "Check how the rows will be read" in page
    assert "Ratings in this file are read from 1 to 5, where 5 is the best." in page
    first = re.search(r'<table class="nhsuk-table" id="rows-as-read">.*?</table>', page, re.S).group(0)
    assert re.search(
        r"Brilliant service</td>\s*<td[^>]*>1 March 2025</td>\s*<td[^>]*>5 of 5, the best</td>"
        r"\s*<td[^>]*>Very good \(1\)</td>",
        first,
    )
    assert "ratings-warning" not in page  # words and ratings agree
    # The answers travel on, hidden, and nothing is imported yet.
    assert '<input type="hidden" name="rating_best" value="highest">' in page
    assert ImportJob.objects.count() == 0


def test_an_inverted_choice_is_warned_about_and_nothing_starts_until_it_is_confirmed(officer, organisation):
    step_two = map_myself(officer, FIVE_BEST_ROWS)
    lowest = {**FIVE_BEST_MAPPING, "rating_best": "lowest"}
    page = officer.post(COLUMNS, {"upload": token_of(step_two), **lowest}).content.decode()
    assert "The ratings look upside down" in page
    assert "6 of the 6 comments whose words are clearly positive would be read as poor or very poor" in page
    assert "If the best rating in this file is 5, choose <strong>Change the answers</strong>" in page
    examples = re.search(r'id="disagreements">.*?</table>', page, re.S).group(0)
    assert re.search(r"Brilliant service</td>\s*<td[^>]*>5</td>\s*<td[^>]*>Very poor \(5\)</td>", examples)
    assert "5 of 5, the worst" in page  # the first rows, read with 1 as the best

    # Starting without saying the ratings are right is refused; nothing is queued.
    refused = start_mapped(officer, step_two, lowest)
    assert refused.status_code == 200
    assert "Tick to say the ratings are read the right way round" in refused.content.decode()
    assert ImportJob.objects.count() == 0

    # "Change the answers" goes back with every answer kept.
    back = officer.post(
        COLUMNS, {"upload": token_of(step_two), **lowest, "action": "change"}
    ).content.decode()
    assert "Match the columns to what they hold" in back
    assert re.search(r'value="lowest"\s+checked', back)
    assert "There is a problem" not in back

    # Turned round, it starts at once and lands without stopping to ask.
    started = start_mapped(officer, step_two, {**FIVE_BEST_MAPPING, "rating_best": "highest"})
    job = only_job(organisation)
    assert started["Location"] == f"{IMPORTS}{job.pk}/"
    assert not job.ratings_confirmed
    done = run_job(job)
    assert (done.status, done.added) == (ImportStatus.SUCCEEDED, 12)
    assert Conversation.objects.filter(text="Brilliant service").first().rating == 1
    report = officer.get(f"{IMPORTS}{job.pk}/").content.decode()
    assert (
        "From the column Score, read from 1 to 5, where 5 is the best; kept as 1 very good to 5 very poor."
        in report
    )


def test_ratings_confirmed_at_the_step_before_are_imported_as_read(officer, organisation):
    step_two = map_myself(officer, FIVE_BEST_ROWS)
    start_mapped(officer, step_two, {**FIVE_BEST_MAPPING, "rating_best": "lowest", "ratings_checked": "on"})
    job = only_job(organisation)
    assert job.ratings_confirmed
    done = run_job(job)
    assert (done.status, done.added) == (ImportStatus.SUCCEEDED, 12)
    assert "Checked by a person" in officer.get(f"{IMPORTS}{job.pk}/").content.decode()


def test_a_held_import_asks_which_end_is_best_and_imports_when_told(officer, organisation):
    start_with_template(officer, FIVE_BEST_ROWS, template="Generic survey export")  # reads 1 as best
    job = run_job(only_job(organisation))
    assert job.status == ImportStatus.HELD
    assert officer.get(f"{IMPORTS}{job.pk}/status.json").json()["finished"]  # the page reloads to ask

    page = officer.get(f"{IMPORTS}{job.pk}/").content.decode()
    assert "Waiting for you to check the ratings" in page
    assert "Nothing has been added: the ratings look upside down" in page
    assert "Ratings were read from 1 to 5, where 1 is the best. If the best rating is 5" in page
    assert re.search(r"Brilliant service</td>\s*<td[^>]*>5</td>\s*<td[^>]*>Very poor \(5\)</td>", page)
    assert f'action="{IMPORTS}{job.pk}/ratings/"' in page
    assert "<progress" not in page

    unanswered = officer.post(f"{IMPORTS}{job.pk}/ratings/", {"action": "import"})
    assert unanswered.status_code == 400
    assert "Choose which end of the rating scale is best" in unanswered.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.HELD

    answered = officer.post(f"{IMPORTS}{job.pk}/ratings/", {"action": "import", "rating_best": "highest"})
    assert answered["Location"] == f"{IMPORTS}{job.pk}/"
    job.refresh_from_db()
    assert (job.status, job.rating_best) == (ImportStatus.QUEUED, "highest")
    done = run_job(job)
    assert (done.status, done.added) == (ImportStatus.SUCCEEDED, 12)
    assert Conversation.objects.get(text="Brilliant service", occurred_on=dt.date(2025, 3, 1)).rating == 1
    # Answered once: no second answer.
    again = officer.post(f"{IMPORTS}{job.pk}/ratings/", {"action": "import", "rating_best": "lowest"})
    assert again.status_code == 409


def test_a_held_import_can_be_cancelled(officer, organisation, django_capture_on_commit_callbacks):
    start_with_template(officer, FIVE_BEST_ROWS, template="Generic survey export")
    job = run_job(only_job(organisation))
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(f"{IMPORTS}{job.pk}/ratings/", {"action": "cancel"})
    assert response["Location"] == f"{IMPORTS}{job.pk}/"
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert not Path(job.stored_path).exists()
    page = officer.get(f"{IMPORTS}{job.pk}/").content.decode()
    assert "cancelled while its ratings were being checked" in page
    assert Conversation.objects.count() == 0


def test_an_fft_return_keeps_its_own_order_through_the_pages(officer, organisation):
    start_with_template(officer, FFT_ROWS)
    job = run_job(only_job(organisation))
    assert (job.rating_column, job.rating_best) == ("FFT response", "lowest")
    ratings = dict(Conversation.objects.values_list("respondent_reference", "rating"))
    assert ratings == {"F1": 1, "F2": 2, "F3": None}
    page = officer.get(f"{IMPORTS}{job.pk}/").content.decode()
    assert "From the column FFT response, read from 1 to 5, where 1 is the best" in page


def test_another_organisations_import_is_not_found(officer):
    other = OrganisationFactory()
    theirs = ImportJobFactory(organisation=other, file_name="theirs.csv")
    for suffix in ("", "status.json", "rejections.csv"):
        assert officer.get(f"{IMPORTS}{theirs.pk}/{suffix}").status_code == 404
    assert officer.post(f"{IMPORTS}{theirs.pk}/ratings/", {"action": "cancel"}).status_code == 404
    assert "theirs.csv" not in officer.get(IMPORTS).content.decode()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.BOARD_MEMBER, Role.PARTNERSHIP_ADMIN])
def test_roles_that_may_not_import_are_refused(client_for, organisation, role):
    client = client_for(member_of(organisation, role), organisation)
    job = ImportJobFactory(organisation=organisation, file_name="ours.csv")
    for url in (
        IMPORTS,
        f"{IMPORTS}new/",
        f"{IMPORTS}new/columns/",
        f"{IMPORTS}{job.pk}/",
        f"{IMPORTS}{job.pk}/status.json",
        f"{IMPORTS}{job.pk}/rejections.csv",
    ):
        assert client.get(url).status_code == 403, url
    assert start_with_template(client, FFT_ROWS).status_code == 403
    assert client.post(f"{IMPORTS}{job.pk}/ratings/", {"action": "cancel"}).status_code == 403
    assert ImportJob.objects.count() == 1


def test_signing_in_comes_first(client):
    response = client.get(IMPORTS)
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]
