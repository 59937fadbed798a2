"""Two-step sign-in: an authenticator app's code after the password, required for
administrators and open to everyone, with recovery codes, and reset by an administrator."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from engage.accounts.sign_in.services import recovery_code_hash
from engage.accounts.tests.factories import PASSWORD, member_of
from engage.core.models import AuditAction, AuditEvent
from engage.core.roles import Role
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the app would show (`steps_ahead` of 30 seconds later: a code is
    accepted once, so a second sign-in in the same half-minute uses the next)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def sign_in(client: Client, email: str, password: str = PASSWORD) -> Any:
    return client.post("/accounts/sign-in/", {"username": email, "password": password})


def set_up(client: Client) -> tuple[TOTPDevice, list[str]]:
    page = client.get("/accounts/two-step/set-up/").content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post("/accounts/two-step/set-up/", {"code": code_for(device)})
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", response.content.decode())
    device.refresh_from_db()
    return device, codes


def officer_with_two_step() -> tuple[Any, TOTPDevice, list[str]]:
    """An engagement officer who has set up two-step sign-in and signed out again: the
    user, the authenticator and the recovery codes shown."""
    user = member_of(OrganisationFactory(), Role.ENGAGEMENT_OFFICER)
    client = Client()
    sign_in(client, user.email)
    device, codes = set_up(client)
    client.post("/accounts/sign-out/")
    return user, device, codes


def test_an_administrator_must_set_up_two_step_sign_in_before_going_on() -> None:
    admin = member_of(OrganisationFactory(), Role.ORGANISATION_ADMIN)
    client = Client()
    assert sign_in(client, admin.email).status_code == 302
    staff = client.get("/staff/people/")
    assert staff.status_code == 302
    assert staff["Location"].startswith("/accounts/two-step/set-up/")
    assert client.get("/api/v1/people/").status_code == 403
    device, codes = set_up(client)
    assert device.confirmed
    assert len(codes) == 10
    assert client.get("/staff/people/").status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditAction.SECOND_FACTOR_SET_UP, subject_id=str(admin.pk)
    ).exists()


def test_a_wrong_code_at_set_up_is_refused_and_nothing_is_turned_on() -> None:
    user = member_of(OrganisationFactory(), Role.ANALYST)
    client = Client()
    sign_in(client, user.email)
    client.get("/accounts/two-step/set-up/")
    response = client.post("/accounts/two-step/set-up/", {"code": "000000"})
    assert "The code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_a_right_code_straight_after_a_wrong_one_is_told_to_wait_not_called_wrong() -> None:
    """django-otp makes a device wait after a wrong code (1, 2, 4 ... seconds): a right
    code sent within the wait is not checked, and the page must say to wait rather than
    call the right code wrong. Once the wait is over, the same code is accepted."""
    user = member_of(OrganisationFactory(), Role.ANALYST)
    client = Client()
    sign_in(client, user.email)
    client.get("/accounts/two-step/set-up/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post("/accounts/two-step/set-up/", {"code": "000000"})
    page = client.post("/accounts/two-step/set-up/", {"code": code_for(device)}).content.decode()
    assert "before trying again: each wrong code makes the wait longer" in page
    assert "The code is not right" not in page
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    client.post("/accounts/two-step/set-up/", {"code": code_for(device)})
    assert TOTPDevice.objects.get(pk=device.pk).confirmed


def test_signing_in_with_a_code_during_the_wait_says_to_wait() -> None:
    user, device, _ = officer_with_two_step()

    fresh = Client()
    sign_in(fresh, user.email)
    fresh.post("/accounts/sign-in/code/", {"code": "000000"})
    page = fresh.post("/accounts/sign-in/code/", {"code": code_for(device, 1)}).content.decode()
    assert "before trying again: each wrong code makes the wait longer" in page
    assert fresh.get("/staff/").status_code == 302
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    assert fresh.post("/accounts/sign-in/code/", {"code": code_for(device, 1)}).status_code == 302
    assert fresh.get("/staff/").status_code == 200


def test_with_an_authenticator_the_password_alone_does_not_sign_in() -> None:
    user, device, _ = officer_with_two_step()

    fresh = Client()
    response = sign_in(fresh, user.email)
    assert response["Location"] == "/accounts/sign-in/code/"
    assert "_auth_user_id" not in fresh.session
    assert fresh.get("/staff/").status_code == 302
    wrong = fresh.post("/accounts/sign-in/code/", {"code": "123456"})
    assert "The code is not right" in wrong.content.decode()
    time.sleep(1.1)  # django-otp makes the next try wait a second after a wrong code
    right = fresh.post("/accounts/sign-in/code/", {"code": code_for(device, steps_ahead=1)})
    assert right.status_code == 302
    assert fresh.get("/staff/").status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditAction.SIGNED_IN, summary="Signed in with an authenticator app."
    ).exists()


def test_a_recovery_code_signs_in_once_and_is_kept_only_as_a_hash() -> None:
    user, _, codes = officer_with_two_step()
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert not stored & {c.replace("-", "") for c in codes}, "recovery codes must not be kept as they are"

    first = Client()
    sign_in(first, user.email)
    assert first.post("/accounts/sign-in/code/", {"code": codes[0].upper()}).status_code == 302
    again = Client()
    sign_in(again, user.email)
    assert (
        "The code is not right" in again.post("/accounts/sign-in/code/", {"code": codes[0]}).content.decode()
    )
    assert AuditEvent.objects.filter(action=AuditAction.RECOVERY_CODE_USED, subject_id=str(user.pk)).exists()


@pytest.mark.parametrize("written", ["9tr46-62b6v", "9TR46 62B6V", "2k3m4-5n6p7"])
def test_a_recovery_code_with_six_digits_in_it_is_read_as_a_recovery_code(written: str) -> None:
    """Found by CI: "9TR46-62B6V" holds six digits, and was taken for an authenticator's
    code and refused. About one recovery code in fifty has six (8 digits of the 31
    characters they are made of), so about one person in six had a code that would not
    work. A code is an authenticator's only where it is six digits and nothing else."""
    user, _, _ = officer_with_two_step()
    # One more recovery code, whose characters hold six digits.
    compact = "".join(ch for ch in written.lower() if ch.isalnum())
    assert sum(ch.isdigit() for ch in compact) == 6
    StaticToken.objects.create(device=StaticDevice.objects.get(user=user), token=recovery_code_hash(compact))
    signing_in = Client()
    sign_in(signing_in, user.email)
    assert signing_in.post("/accounts/sign-in/code/", {"code": written}).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.RECOVERY_CODE_USED, subject_id=str(user.pk)).exists()


def test_an_authenticators_code_may_be_written_with_a_space_or_a_dash() -> None:
    user, device, _ = officer_with_two_step()
    for separator in (" ", "-"):
        signing_in = Client()
        sign_in(signing_in, user.email)
        code = code_for(device, steps_ahead=1 if separator == " " else 2)
        written = f"{code[:3]}{separator}{code[3:]}"
        assert signing_in.post("/accounts/sign-in/code/", {"code": written}).status_code == 302, written


def test_guessing_codes_counts_as_wrong_tries() -> None:
    user, _, _ = officer_with_two_step()
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    sign_in(guesser, user.email)
    statuses = [guesser.post("/accounts/sign-in/code/", {"code": f"{n:06d}"}).status_code for n in range(6)]
    assert statuses == [200] * 5 + [429]  # the right password did not count; five wrong codes did


def test_an_unfinished_sign_in_expires(monkeypatch) -> None:
    user, device, _ = officer_with_two_step()
    late = Client()
    sign_in(late, user.email)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 11 * 60)
    response = late.post("/accounts/sign-in/code/", {"code": code_for(device)})
    assert response["Location"] == "/accounts/sign-in/"


def test_an_administrator_resets_a_colleagues_second_factor(client_for) -> None:
    icb = OrganisationFactory()
    colleague = member_of(icb, Role.ENGAGEMENT_OFFICER)
    own = Client()
    sign_in(own, colleague.email)
    set_up(own)
    admin_user = member_of(icb, Role.ORGANISATION_ADMIN)
    admin = client_for(admin_user, icb)
    assert "Reset two-step sign-in" in admin.get(f"/staff/users/{colleague.pk}/").content.decode()
    assert admin.post(f"/staff/users/{colleague.pk}/", {"form": "second-factor"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.SECOND_FACTOR_RESET, actor=admin_user, subject_id=str(colleague.pk)
    ).exists()
    # Signing in again needs no code now.
    assert sign_in(Client(), colleague.email).status_code == 302


def test_a_session_from_before_the_authenticator_was_set_up_must_enter_a_code() -> None:
    user = member_of(OrganisationFactory(), Role.ENGAGEMENT_OFFICER)
    laptop, phone = Client(), Client()
    sign_in(laptop, user.email)
    sign_in(phone, user.email)
    device, _ = set_up(phone)
    response = laptop.get("/staff/")
    assert response["Location"].startswith("/accounts/sign-in/code/")
    laptop.post("/accounts/sign-in/code/", {"code": code_for(device, steps_ahead=1)})
    assert laptop.get("/staff/").status_code == 200


def test_new_recovery_codes_replace_the_old() -> None:
    user = member_of(OrganisationFactory(), Role.ENGAGEMENT_OFFICER)
    client = Client()
    sign_in(client, user.email)
    _, old = set_up(client)
    response = client.post("/accounts/two-step/recovery-codes/")
    new = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", response.content.decode())
    assert len(new) == 10
    assert not set(new) & set(old)
    assert "no-store" in response["Cache-Control"]
    client.post("/accounts/sign-out/")
    other = Client()
    sign_in(other, user.email)
    assert "The code is not right" in other.post("/accounts/sign-in/code/", {"code": old[0]}).content.decode()
