"""The first-run page: opened only by the one-time code engage serve prints, tries
limited, the ward lookup loaded and the partnership set up in the browser, the code
spent, and the page gone once the partnership is set up."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from engage.accounts.models import User
from engage.cli.management.commands.serve import Command as Serve
from engage.core.models import Partnership
from engage.places.models import Ward
from engage.places.tests.factories import ward_lookup_write
from engage.setup import services
from engage.setup.models import FirstRunCode
from engage.setup.tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough pass phrase"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.ENGAGE_IMPORT_DIR = tmp_path / "imports"


def _details(code: str = "", **changes: str) -> dict[str, str]:
    return {
        "code": code,
        "name": "Dudley Health and Care Partnership",
        "place": "E08000027",
        "host_name": "NHS Black Country Integrated Care Board",
        "host_kind": "icb",
        "admin_email": "lead@example.nhs.uk",
        "admin_first_name": "Asha",
        "admin_last_name": "Patel",
        "admin_password": PASSWORD,
        "admin_password_again": PASSWORD,
        **changes,
    }


def test_only_the_newest_unspent_code_of_the_last_day_is_good() -> None:
    first = services.first_run_code_issue()
    second = services.first_run_code_issue()
    assert first
    assert second
    assert first != second
    assert not services.first_run_code_valid(first)
    assert services.first_run_code_valid(second)
    assert services.first_run_code_valid(second.lower().replace("-", " "))
    assert not services.first_run_code_valid("")
    FirstRunCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert not services.first_run_code_valid(second)
    assert FirstRunCode.objects.get().code_hash not in second  # only a keyed hash is kept


def test_engage_serve_prints_the_link_until_the_partnership_is_set_up(tmp_path: Path) -> None:
    out = StringIO()
    serve = Serve(stdout=out)
    serve._first_run_notice("http://127.0.0.1:8123")
    printed = out.getvalue()
    assert "The partnership is not set up yet. Set it up at http://127.0.0.1:8123/setup/?code=" in printed
    code = printed.split("?code=")[1].split(" ")[0]
    assert services.first_run_code_valid(code)
    PartnershipFactory(name="Set")
    quiet = StringIO()
    Serve(stdout=quiet)._first_run_notice("http://127.0.0.1:8123")
    assert quiet.getvalue() == ""


def test_a_partnership_is_set_up_in_the_browser_with_the_code(tmp_path: Path) -> None:
    code = services.first_run_code_issue()
    assert code
    browser = Client()
    assert browser.get("/setup/partnership/")["Location"] == "/setup/"
    page = browser.get(f"/setup/?code={code}").content.decode()
    assert code in page  # the console's link fills the box
    assert browser.post("/setup/", {"code": code})["Location"] == "/setup/partnership/"

    # No ward lookup yet: it is asked for first, and a bad one is refused by line.
    assert "Load the ward lookup" in browser.get("/setup/partnership/").content.decode()
    bad = ward_lookup_write(
        tmp_path / "bad.csv", [["E01000001", "Not a ward", "", "E08000027", "Dudley", "", "1"]]
    )
    refused = browser.post(
        "/setup/partnership/", {"code": code, "file": SimpleUploadedFile("bad.csv", bad.read_bytes())}
    )
    assert refused.status_code == 400
    assert (
        "bad.csv (line 2, column &#39;WD24CD&#39;): &#39;E01000001&#39; is not a ward&#39;s code"
        in refused.content.decode()
    )
    good = ward_lookup_write(tmp_path / "WD24_LAD24_UK_LU.csv")
    loaded = browser.post(
        "/setup/partnership/", {"code": code, "file": SimpleUploadedFile(good.name, good.read_bytes())}
    )
    assert loaded["Location"] == "/setup/partnership/"
    assert Ward.objects.count() == 7

    form = browser.get("/setup/partnership/").content.decode()
    assert "Dudley (E08000027)" in form
    mismatch = browser.post(
        "/setup/partnership/", _details(code, admin_password_again="something else entirely")
    )
    assert "The two passwords are different." in mismatch.content.decode()
    weak = browser.post(
        "/setup/partnership/", _details(code, admin_password="password", admin_password_again="password")
    )
    assert weak.status_code == 400
    assert not Partnership.objects.exists()

    assert browser.post("/setup/partnership/", _details("AAAA-BBBB-CCCC"))["Location"] == "/setup/"
    done = browser.post("/setup/partnership/", _details(code))
    assert "Dudley Health and Care Partnership is set up" in done.content.decode()
    assert "Sign in as lead@example.nhs.uk" in done.content.decode()
    assert Partnership.objects.get().name == "Dudley Health and Care Partnership"
    assert User.objects.get().email == "lead@example.nhs.uk"
    assert FirstRunCode.objects.get().used_at is not None
    # The page is gone, for everyone, code or not.
    assert browser.get("/setup/").status_code == 404
    assert Client().post("/setup/", {"code": code}).status_code == 404
    assert (
        browser.post("/setup/partnership/", _details(code, admin_email="second@example.org")).status_code
        == 404
    )
    assert User.objects.count() == 1


def test_wrong_codes_are_refused_and_limited(settings: Any) -> None:
    code = services.first_run_code_issue()
    browser = Client()
    for _ in range(10):
        wrong = browser.post("/setup/", {"code": "AAAA-BBBB-CCCC"})
        assert wrong.status_code == 400
        assert "That is not the code" in wrong.content.decode()
    limited = browser.post("/setup/", {"code": code})
    assert "Too many wrong codes from here" in limited.content.decode()
    assert browser.get("/setup/partnership/")["Location"] == "/setup/"


def test_the_details_page_needs_the_code_still_good(tmp_path: Path) -> None:
    good = ward_lookup_write(tmp_path / "lookup.csv")
    from engage.places.services import wards_load  # noqa: PLC0415 - only this test loads it first

    wards_load(actor=None, path=good, file_name=good.name)
    code = services.first_run_code_issue()
    browser = Client()
    browser.post("/setup/", {"code": code})
    assert code in browser.get("/setup/partnership/").content.decode()  # carried by the form
    services.first_run_code_issue()  # a restart of engage serve: the old code stops working
    assert browser.get("/setup/partnership/")["Location"] == "/setup/"
    assert browser.post("/setup/partnership/", _details(str(code)))["Location"] == "/setup/"
    assert not Partnership.objects.exists()


def test_wrong_codes_posted_with_the_details_count_too() -> None:
    services.first_run_code_issue()
    browser = Client()
    for _ in range(10):
        assert browser.post("/setup/partnership/", _details("ZZZZ-ZZZZ-ZZZZ"))["Location"] == "/setup/"
    assert "Too many wrong codes" in browser.post("/setup/", {"code": "ZZZZ-ZZZZ-ZZZZ"}).content.decode()


def test_the_command_prints_a_code_for_a_site_served_some_other_way(settings: Any) -> None:
    settings.ENGAGE_PUBLIC_URL = "https://engage.example.org"
    out = StringIO()
    call_command("setup", "--web-code", stdout=out)
    code = out.getvalue().split("?code=")[1].split(" ")[0]
    assert out.getvalue().startswith("Open https://engage.example.org/setup/?code=")
    assert services.first_run_code_valid(code)
