"""`engage createadmin`: the first partnership administrator."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from engage.accounts.models import Membership, User
from engage.core.models import AuditAction, AuditEvent
from engage.core.roles import Role
from engage.partners.models import Organisation, OrganisationKind

PASSWORD = "a long enough pass phrase"


def createadmin(**options: Any) -> str:
    out = StringIO()
    call_command("createadmin", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def admin_password(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("ENGAGE_ADMIN_PASSWORD", PASSWORD)
    return PASSWORD


@pytest.mark.django_db
def test_createadmin_makes_a_partnership_administrator_of_a_new_icb(admin_password: str) -> None:
    out = createadmin(
        email="Lead@Example.NHS.uk", organisation="Black Country ICB", first_name="Asha", last_name="Patel"
    )

    user = User.objects.get()
    assert user.email == "lead@example.nhs.uk"
    assert user.first_name == "Asha"
    assert user.check_password(admin_password)
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.PARTNERSHIP_ADMIN
    assert membership.organisation.name == "Black Country ICB"
    assert membership.organisation.kind == OrganisationKind.ICB
    assert "lead@example.nhs.uk is now a partnership administrator" in out


@pytest.mark.django_db
def test_createadmin_joins_an_existing_organisation_of_that_name(admin_password: str) -> None:
    existing = Organisation.objects.create(name="Dudley Council", kind=OrganisationKind.COUNCIL)

    createadmin(email="lead@example.org", organisation="dudley council")

    assert Organisation.objects.count() == 1
    assert Membership.objects.get().organisation == existing


@pytest.mark.django_db
def test_createadmin_records_who_was_created_with_the_system_as_actor(admin_password: str) -> None:
    createadmin(email="lead@example.org", organisation="Black Country ICB")

    user = User.objects.get()
    events = AuditEvent.objects.filter(subject_type="user", subject_id=str(user.pk))
    assert {event.action for event in events} == {AuditAction.CREATED, AuditAction.ROLE_GRANTED}
    assert all(event.actor is None and event.actor_label == "system" for event in events)
    assert AuditEvent.objects.filter(subject_type="organisation").count() == 1


@pytest.mark.django_db
def test_createadmin_refuses_an_email_already_in_use(admin_password: str) -> None:
    createadmin(email="lead@example.org", organisation="Black Country ICB")

    with pytest.raises(CommandError, match="already a user"):
        createadmin(email="LEAD@example.org", organisation="Another ICB")
    assert not Organisation.objects.filter(name="Another ICB").exists()
    assert Membership.objects.count() == 1


@pytest.mark.django_db
def test_createadmin_refuses_a_weak_password_and_creates_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ENGAGE_ADMIN_PASSWORD", "short")

    with pytest.raises(CommandError, match="too short"):
        createadmin(email="lead@example.org", organisation="Black Country ICB")
    assert not User.objects.exists()
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_createadmin_without_a_password_or_a_terminal_says_how_to_give_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ENGAGE_ADMIN_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="ENGAGE_ADMIN_PASSWORD"):
        createadmin(email="lead@example.org", organisation="Black Country ICB", interactive=False)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_createadmin_asks_twice_for_the_password_in_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ENGAGE_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    createadmin(email="lead@example.org", organisation="Black Country ICB")

    assert User.objects.get().check_password(PASSWORD)


@pytest.mark.django_db
def test_createadmin_refuses_two_different_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENGAGE_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    with pytest.raises(CommandError, match="different"):
        createadmin(email="lead@example.org", organisation="Black Country ICB")
    assert not User.objects.exists()
