"""`engage setup`: a partnership set up from nothing, all or nothing, once."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from engage.accounts.models import Membership, User
from engage.activities.models import Area, AreaKind
from engage.core.errors import Conflict, InvalidInput
from engage.core.models import AuditEvent, Partnership
from engage.core.roles import Role
from engage.core.selectors import partnership_name
from engage.partners.models import Organisation, OrganisationKind
from engage.places.models import Ward
from engage.places.services import wards_load
from engage.places.tests.factories import ward_lookup_write
from engage.setup.services import partnership_set_up

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough pass phrase"
DETAILS: dict[str, str] = {
    "name": "Dudley Health and Care Partnership",
    "place": "Dudley",
    "host_name": "NHS Black Country Integrated Care Board",
    "host_kind": OrganisationKind.ICB,
    "admin_email": "Lead@Example.NHS.uk",
    "admin_password": PASSWORD,
    "admin_first_name": "Asha",
}


@pytest.fixture
def lookup(tmp_path: Path) -> Path:
    path = ward_lookup_write(tmp_path / "WD24_LAD24_UK_LU.csv")
    wards_load(actor=None, path=path, file_name=path.name)
    return path


def _nothing_set_up() -> bool:
    return not (
        Partnership.objects.exists()
        or Area.objects.exists()
        or User.objects.exists()
        or Organisation.objects.exists()
    )


def test_setting_up_makes_the_partnership_its_areas_host_and_first_administrator(lookup: Path) -> None:
    done = partnership_set_up(**DETAILS)

    partnership = Partnership.objects.get()
    assert (partnership.name, partnership.place_code, partnership.place_name) == (
        "Dudley Health and Care Partnership",
        "E08000027",
        "Dudley",
    )
    place = Area.objects.get(kind=AreaKind.PLACE)
    assert (place.name, place.code) == ("Dudley", "E08000027")
    assert sorted(Area.objects.filter(kind=AreaKind.WARD).values_list("code", flat=True)) == [
        "E05014780",
        "E05014781",
        "E05014782",
        "E05014783",
    ]
    admin = User.objects.get()
    assert (admin.email, admin.first_name) == ("lead@example.nhs.uk", "Asha")
    assert admin.check_password(PASSWORD)
    membership = Membership.objects.get(user=admin)
    assert membership.role == Role.PARTNERSHIP_ADMIN
    assert (membership.organisation.name, membership.organisation.kind) == (
        "NHS Black Country Integrated Care Board",
        OrganisationKind.ICB,
    )
    assert done.host == membership.organisation
    assert AuditEvent.objects.filter(subject_type="partnership", summary__contains="E08000027").exists()


def test_every_page_takes_the_partnerships_name_at_once(lookup: Path, client: Client) -> None:
    assert "Dudley Health and Care Partnership" not in client.get("/").content.decode()
    partnership_set_up(**DETAILS)

    page = client.get("/").content.decode()
    assert "<title>" in page
    assert "Dudley Health and Care Partnership" in page
    assert partnership_name() == "Dudley Health and Care Partnership"


def test_the_place_is_found_by_its_code_in_any_case(lookup: Path) -> None:
    partnership_set_up(**{**DETAILS, "place": "e08000028"})
    assert Partnership.objects.get().place_name == "Sandwell"


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        (
            {"place": "Dudly"},
            "place",
            "no local authority district called 'Dudly'. Did you mean Dudley (E08000027)?",
        ),
        ({"place": " "}, "place", "Give the partnership's place"),
        ({"name": "  "}, "name", "Give the partnership's name"),
        ({"name": "x" * 121}, "name", "121 characters long"),
        ({"host_kind": "bank"}, "host_kind", "Choose what kind of organisation"),
    ],
)
def test_bad_details_are_refused_naming_the_field_and_nothing_is_made(
    lookup: Path, change: dict[str, str], field: str, says: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        partnership_set_up(**{**DETAILS, **change})
    assert says in refused.value.errors[field]
    assert _nothing_set_up()


def test_a_bad_administrator_leaves_nothing_half_made(lookup: Path) -> None:
    """The administrator is made last, inside the same transaction: a weak password
    refuses the whole set-up, not only the user."""
    with pytest.raises(Exception, match=r"too short|too common"):
        partnership_set_up(**{**DETAILS, "admin_password": "password"})
    assert _nothing_set_up()
    assert Ward.objects.count() == 7  # the reference data stays loaded


def test_without_a_ward_lookup_it_says_to_load_one() -> None:
    with pytest.raises(InvalidInput, match="No ward lookup is loaded"):
        partnership_set_up(**DETAILS)
    assert _nothing_set_up()


def test_a_partnership_is_set_up_only_once(lookup: Path) -> None:
    partnership_set_up(**DETAILS)
    with pytest.raises(Conflict, match="already set up, as Dudley Health and Care Partnership"):
        partnership_set_up(**{**DETAILS, "place": "Sandwell", "admin_email": "other@example.org"})
    assert User.objects.count() == 1
    assert Area.objects.filter(kind=AreaKind.PLACE).count() == 1


def _setup(*args: str, **options: Any) -> str:
    out = StringIO()
    call_command("setup", *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def test_the_command_loads_the_lookup_and_sets_up_from_its_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENGAGE_ADMIN_PASSWORD", PASSWORD)
    path = ward_lookup_write(tmp_path / "WD24_LAD24_UK_LU.csv")

    out = _setup(
        "--no-input",
        f"--ward-lookup={path}",
        "--name=Sandwell Together",
        "--place=Sandwell",
        "--host=Sandwell Council",
        "--host-kind=council",
        "--admin-email=admin@sandwell.example.org",
    )

    assert "Loaded the ward lookup: 7 wards in 3 local authority districts" in out
    assert "Sandwell Together is set up for Sandwell (E08000028), hosted by Sandwell Council." in out
    assert "the whole place and 2 wards" in out
    assert "set up two-step sign-in the first time" in out
    assert Organisation.objects.get().kind == OrganisationKind.COUNCIL


def test_the_command_without_input_names_what_is_missing(
    lookup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENGAGE_ADMIN_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="The organisation that hosts it is needed"):
        _setup("--no-input", "--name=X", "--place=Dudley", "--admin-email=a@example.org")
    monkeypatch.delenv("ENGAGE_ADMIN_PASSWORD")
    with pytest.raises(CommandError, match="ENGAGE_ADMIN_PASSWORD"):
        _setup("--no-input", "--name=X", "--place=Dudley", "--host=H", "--admin-email=a@example.org")
    monkeypatch.setenv("ENGAGE_ADMIN_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="Did you mean Dudley"):
        _setup("--no-input", "--name=X", "--place=Dudly", "--host=H", "--admin-email=a@example.org")
    assert _nothing_set_up()


def test_the_command_refuses_without_a_lookup_or_a_second_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENGAGE_ADMIN_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="No ward lookup is loaded"):
        _setup("--no-input", "--name=X", "--place=Dudley", "--host=H", "--admin-email=a@example.org")
    bad = ward_lookup_write(
        tmp_path / "bad.csv", [["E05014780", "A", "", "E08000027", "Dudley", "", "1"]] * 2
    )
    with pytest.raises(
        CommandError, match=r"bad\.csv \(line 3, column 'WD24CD'\): The ward E05014780 is in the file twice"
    ):
        _setup("--no-input", f"--ward-lookup={bad}")
    assert not Ward.objects.exists()
    good = ward_lookup_write(tmp_path / "good.csv")
    _setup(
        "--no-input",
        f"--ward-lookup={good}",
        "--name=X",
        "--place=Dudley",
        "--host=H",
        "--admin-email=a@example.org",
    )
    with pytest.raises(CommandError, match="already set up, as X"):
        _setup("--no-input", "--name=Y", "--place=Dudley", "--host=H", "--admin-email=b@example.org")


def test_a_partnership_administrator_renames_the_partnership_and_every_page_follows(
    lookup: Path, client_for: Any
) -> None:
    partnership_set_up(**DETAILS)
    host = Organisation.objects.get()
    officer = client_for(User.objects.create_user(email="officer@example.org", password=PASSWORD), host)
    admin = client_for(User.objects.get(email="lead@example.nhs.uk"), host)
    assert officer.get("/staff/partnership/").status_code == 403
    page = admin.get("/staff/partnership/").content.decode()
    assert "Set up on" in page
    assert "Dudley (E08000027)" in page
    saved = admin.post("/staff/partnership/", {"name": "  Dudley   Together "})
    assert saved.status_code == 302
    assert Partnership.objects.get().name == "Dudley Together"
    assert "Dudley Together</title>" in admin.get("/staff/partnership/").content.decode()
    assert AuditEvent.objects.filter(summary__contains="Renamed the partnership from Dudley Health").exists()
    too_long = admin.post("/staff/partnership/", {"name": "x" * 121})
    assert too_long.status_code == 200
    assert Partnership.objects.get().name == "Dudley Together"
