"""Loading a register from the organisations page: the upload queued for the worker,
its progress shown, a bad file failing with its line and nothing changed, a load whose
worker died marked failed; only the partnership's administrators may."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from engage.accounts.tests.factories import member_of
from engage.cli.management.commands.worker import stale_jobs_fail_everywhere
from engage.core.errors import InvalidInput
from engage.core.roles import Role
from engage.partners.models import Organisation, OrganisationKind, Register, RegisterJob, RegisterJobStatus
from engage.partners.registers import runner, services
from engage.partners.tests.factories import OrganisationFactory, ods_file_write, ods_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.ENGAGE_IMPORT_DIR = tmp_path / "imports"


def _upload(tmp_path: Path, rows: list[list[str]], name: str = "epraccur.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ods_file_write(tmp_path / "source.csv", rows).read_bytes())


def test_an_uploaded_register_is_loaded_by_the_worker_with_its_filters(tmp_path: Path) -> None:
    rows = [ods_row("M87001", "THE HILL SURGERY", "DY1 1AA"), ods_row("M89001", "WALSALL SURGERY", "WS1 1AA")]
    job = services.register_job_create(
        actor=None,
        register=Register.ODS_GP_PRACTICES,
        upload=_upload(tmp_path, rows),
        postcode_prefixes=[" dy "],
        start=False,
    )
    assert job.postcode_prefixes == ["DY"]

    done = runner.register_job_run(job_id=job.pk)

    assert done.status == RegisterJobStatus.SUCCEEDED
    assert done.result.startswith(
        "1 added, 0 updated, 0 as they were. Not loaded: 1 outside the chosen areas."
    )
    assert list(Organisation.objects.values_list("name", flat=True)) == ["The Hill Surgery"]
    assert not Path(job.stored_path).exists()


def test_a_bad_file_fails_with_its_line_and_changes_nothing(tmp_path: Path) -> None:
    OrganisationFactory(name="Kept", kind=OrganisationKind.OTHER)
    rows = [ods_row("M87001", "THE HILL SURGERY"), ods_row("RNA", "A TRUST")]
    job = services.register_job_create(
        actor=None, register=Register.ODS_GP_PRACTICES, upload=_upload(tmp_path, rows), start=False
    )
    done = runner.register_job_run(job_id=job.pk)
    assert done.status == RegisterJobStatus.FAILED
    assert (
        "epraccur.csv (line 2, column 'Organisation code'): 'RNA' is not a GP practice's code" in done.error
    )
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Kept"]
    assert not Path(job.stored_path).exists()


@pytest.mark.parametrize(
    ("options", "field", "says"),
    [
        ({"register": "bank"}, "register", "Choose which register"),
        ({"postcode_prefixes": ["DY", "12"]}, "postcode_prefixes", "12 is not a postcode area"),
        ({"register": Register.ODS_TRUSTS, "commissioners": ["D2P2L"]}, "commissioners", "Only GP practices"),
        ({"name": "epraccur.xlsx"}, "file", "epraccur.xlsx is not a .csv file"),
    ],
)
def test_bad_choices_are_refused_before_anything_is_kept(
    tmp_path: Path, options: dict[str, Any], field: str, says: str
) -> None:
    upload = _upload(tmp_path, [ods_row("M87001", "X")], name=options.pop("name", "epraccur.csv"))
    with pytest.raises(InvalidInput) as refused:
        services.register_job_create(
            actor=None, **{"register": Register.ODS_GP_PRACTICES, "upload": upload, "start": False, **options}
        )
    assert says in refused.value.errors[field]
    assert not RegisterJob.objects.exists()
    assert not list((tmp_path / "imports").rglob("*.csv"))


def test_a_load_whose_worker_died_is_marked_failed_when_its_progress_is_read(
    tmp_path: Path, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = services.register_job_create(
        actor=None,
        register=Register.ODS_GP_PRACTICES,
        upload=_upload(tmp_path, [ods_row("M87001", "X")]),
        start=False,
    )
    then = timezone.now() - dt.timedelta(minutes=10)
    RegisterJob.objects.filter(pk=job.pk).update(
        status=RegisterJobStatus.RUNNING, started_at=then, heartbeat_at=then
    )
    progress = Path(job.stored_path).with_suffix(".progress")
    progress.write_text("5000 10000", encoding="ascii")
    os.utime(progress, (then.timestamp(), then.timestamp()))
    icb = OrganisationFactory(kind=OrganisationKind.ICB)
    admin = client_for(member_of(icb, Role.PARTNERSHIP_ADMIN), icb)
    with django_capture_on_commit_callbacks(execute=True):
        status = admin.get(f"/staff/organisations/load/{job.pk}/status/").json()
    assert (status["status"], status["finished"]) == ("failed", True)
    assert "The worker stopped while this was running" in status["summary"]


def test_the_page_queues_a_load_for_administrators_only(tmp_path: Path, client_for: Any) -> None:
    icb = OrganisationFactory(kind=OrganisationKind.ICB)
    officer = client_for(member_of(icb, Role.ORGANISATION_ADMIN), icb)
    assert officer.get("/staff/organisations/load/").status_code == 403
    admin = client_for(member_of(icb, Role.PARTNERSHIP_ADMIN), icb)
    page = admin.get("/staff/organisations/load/").content.decode()
    assert "epraccur.csv from the NHS Organisation Data Service" in page

    posted = admin.post(
        "/staff/organisations/load/",
        {
            "register": Register.ODS_GP_PRACTICES,
            "file": _upload(tmp_path, [ods_row("M87001", "THE HILL SURGERY")]),
            "postcode_prefixes": "DY, B62",
            "commissioners": "",
        },
    )
    assert posted.status_code == 302
    job = RegisterJob.objects.get()
    assert (job.postcode_prefixes, job.status) == (["B62", "DY"], RegisterJobStatus.QUEUED)
    assert "epraccur.csv" in admin.get("/staff/organisations/load/").content.decode()
    bad = admin.post(
        "/staff/organisations/load/", {"register": Register.CHARITIES, "postcode_prefixes": "??"}
    )
    assert bad.status_code == 200
    assert "Choose the file to load." in bad.content.decode()


def test_the_workers_sweep_finds_a_dead_register_load(
    tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    job = services.register_job_create(
        actor=None,
        register=Register.ODS_GP_PRACTICES,
        upload=_upload(tmp_path, [ods_row("M87001", "X")]),
        start=False,
    )
    then = timezone.now() - dt.timedelta(minutes=10)
    RegisterJob.objects.filter(pk=job.pk).update(
        status=RegisterJobStatus.RUNNING, started_at=then, heartbeat_at=then
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert stale_jobs_fail_everywhere() == 1
    assert RegisterJob.objects.get(pk=job.pk).status == RegisterJobStatus.FAILED
    assert not Path(job.stored_path).exists()
