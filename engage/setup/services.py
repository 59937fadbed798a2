"""The partnership's first run: the writes no signed-in user can make, since there is
none yet.

`partnership_set_up` makes the partnership (its name and place), its areas from the
ONS ward lookup, the host organisation and the first partnership administrator, all in
one transaction. `partnership_admin_create` makes an administrator on its own
(`engage createadmin`): `user_create` in accounts needs an acting administrator, so
the bootstrap writes the user and their role directly, with an audit record whose
actor is the system.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from engage.accounts.models import Membership, User
from engage.core.errors import Conflict, DomainError, InvalidInput, NotPermitted
from engage.core.models import AuditAction, Partnership
from engage.core.roles import Role
from engage.core.selectors import partnership_get, partnership_name_forget
from engage.core.services import audit_record
from engage.core.types import Actor
from engage.partners.models import Organisation, OrganisationKind
from engage.places.areas.services import AreasFromLookup, areas_from_ward_lookup
from engage.places.selectors import District, district_find, district_list
from engage.setup.models import FirstRunCode


def partnership_admin_create(
    *,
    email: str,
    password: str,
    organisation_name: str,
    first_name: str = "",
    last_name: str = "",
    organisation_kind: str = OrganisationKind.ICB,
) -> User:
    """A new user who is a partnership administrator of the named organisation.

    The organisation is created, of `organisation_kind` (an integrated care board
    unless told: the partnership is usually hosted by one), if there is none of that
    name."""
    email = email.strip().lower()
    organisation_name = organisation_name.strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise DomainError(f"{email!r} is not an email address.") from error
    if not organisation_name:
        raise DomainError("Give the name of the organisation the administrator works for.")
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(f"There is already a user with the email address {email}.")
    candidate = User(email=email, first_name=first_name, last_name=last_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error

    with transaction.atomic():
        organisation = Organisation.objects.filter(name__iexact=organisation_name).first()
        if organisation is None:
            organisation = Organisation.objects.create(name=organisation_name, kind=organisation_kind)
            audit_record(
                actor=None,
                organisation=organisation,
                action=AuditAction.CREATED,
                subject_type="organisation",
                subject_id=organisation.pk,
                summary="Created the organisation from the command line.",
            )
        user = User.objects.create_user(
            email=email, password=password, first_name=first_name, last_name=last_name
        )
        Membership.objects.create(user=user, organisation=organisation, role=Role.PARTNERSHIP_ADMIN)
        audit_record(
            actor=None,
            organisation=organisation,
            action=AuditAction.CREATED,
            subject_type="user",
            subject_id=user.pk,
            summary="Created a user account from the command line.",
        )
        audit_record(
            actor=None,
            organisation=organisation,
            action=AuditAction.ROLE_GRANTED,
            subject_type="user",
            subject_id=user.pk,
            summary=f"Gave the role {Role.PARTNERSHIP_ADMIN.label}.",
        )
    return user


NAME_LENGTH = 120  # Partnership.name's max_length


@dataclass(frozen=True)
class SetUp:
    """What the first run made."""

    partnership: Partnership
    administrator: User
    host: Organisation
    areas: AreasFromLookup


def partnership_set_up(
    *,
    name: str,
    place: str,
    host_name: str,
    host_kind: str,
    admin_email: str,
    admin_password: str,
    admin_first_name: str = "",
    admin_last_name: str = "",
) -> SetUp:
    """Set the partnership up from nothing: its name; its place, a local authority
    district of the loaded ward lookup named by its code or name, with the district's
    wards as its areas; the host organisation (made if there is none of that name);
    and the first partnership administrator, who sets up two-step sign-in when they
    first sign in. All or nothing; refused once the partnership is set up."""
    existing = partnership_get()
    if existing is not None:
        raise Conflict(
            f"The partnership is already set up, as {existing.name} ({existing.place_name}), "
            f"on {existing.set_up_at:%d %B %Y}. Change it from the pages, as a partnership administrator."
        )
    name = " ".join(name.split())
    if not name:
        raise InvalidInput(
            {"name": "Give the partnership's name, such as 'Dudley Health and Care Partnership'."}
        )
    if len(name) > NAME_LENGTH:
        raise InvalidInput(
            {"name": f"The name is {len(name)} characters long; make it at most {NAME_LENGTH}."}
        )
    if host_kind not in OrganisationKind.values:
        raise InvalidInput({"host_kind": "Choose what kind of organisation hosts the partnership."})
    district = _district(place)
    with transaction.atomic():
        partnership = Partnership.objects.create(
            pk=1, name=name, place_code=district.code, place_name=district.name
        )
        audit_record(
            actor=None,
            organisation=None,
            action=AuditAction.CREATED,
            subject_type="partnership",
            subject_id=partnership.pk,
            summary=f"Set up the partnership {name} for {district.name} ({district.code}).",
        )
        areas = areas_from_ward_lookup(actor=None, local_authority_code=district.code)
        administrator = partnership_admin_create(
            email=admin_email,
            password=admin_password,
            organisation_name=host_name,
            first_name=admin_first_name,
            last_name=admin_last_name,
            organisation_kind=host_kind,
        )
        host = administrator.memberships.get().organisation
    partnership_name_forget()
    return SetUp(partnership=partnership, administrator=administrator, host=host, areas=areas)


def _district(place: str) -> District:
    if not place.strip():
        raise InvalidInput(
            {"place": "Give the partnership's place: a local authority district's name or code."}
        )
    if not district_list():
        raise InvalidInput(
            {
                "place": "No ward lookup is loaded, so there are no districts to choose from. Load the ONS "
                "Ward to Local Authority District Lookup first (engage setup --ward-lookup FILE)."
            }
        )
    found, alike = district_find(place)
    if found is not None:
        return found
    hint = (
        " Did you mean " + " or ".join(f"{d.name} ({d.code})" for d in alike) + "?"
        if alike
        else " Give a local authority district's name as the ONS writes it, or its code, such as E08000027."
    )
    raise InvalidInput(
        {"place": f"The ward lookup has no local authority district called {place.strip()!r}.{hint}"}
    )


FIRST_RUN_CODE_HOURS = 24
# Letters and digits a person reads off a console without mistaking one for another.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _code_hash(code: str) -> str:
    plain = "".join(code.split()).replace("-", "").upper()
    return hmac.new(settings.SECRET_KEY.encode(), f"first-run:{plain}".encode(), hashlib.sha256).hexdigest()


def first_run_code_issue() -> str | None:
    """A new one-time code for the first-run page, printed by `engage serve` while the
    partnership is not set up (None once it is). Codes issued before stop working."""
    if partnership_get() is not None:
        return None
    plain = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    with transaction.atomic():
        FirstRunCode.objects.filter(used_at__isnull=True).delete()
        FirstRunCode.objects.create(
            code_hash=_code_hash(plain), expires_at=timezone.now() + dt.timedelta(hours=FIRST_RUN_CODE_HOURS)
        )
    return f"{plain[:4]}-{plain[4:8]}-{plain[8:]}"


def first_run_code_valid(code: str) -> bool:
    """Whether `code` opens the first-run page now: the newest, unspent, unexpired code,
    and the partnership not yet set up."""
    if not code.strip() or partnership_get() is not None:
        return False
    return FirstRunCode.objects.filter(
        code_hash=_code_hash(code), used_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()


def partnership_set_up_on_the_web(*, code: str, **details: str) -> SetUp:
    """`partnership_set_up` from the first-run page: only with a good one-time code,
    which it spends, in the same transaction."""
    with transaction.atomic():
        if not first_run_code_valid(code):
            raise NotPermitted(
                "The code is wrong, spent or more than a day old. Restart engage serve for a new one."
            )
        done = partnership_set_up(**details)
        FirstRunCode.objects.filter(code_hash=_code_hash(code)).update(used_at=timezone.now())
        audit_record(
            actor=None,
            organisation=None,
            action=AuditAction.UPDATED,
            subject_type="partnership",
            subject_id=done.partnership.pk,
            summary="Set up on the first-run page, opened by the one-time code.",
        )
    return done


def partnership_rename(*, actor: Actor, name: str) -> Partnership:
    """A new name for the partnership (every page, email and authenticator shows it)."""
    partnership = partnership_get()
    if partnership is None:
        raise Conflict("The partnership is not set up yet: set it up first (engage setup).")
    name = " ".join(name.split())
    if not name:
        raise InvalidInput({"name": "Enter the partnership's name."})
    if len(name) > NAME_LENGTH:
        raise InvalidInput(
            {"name": f"The name is {len(name)} characters long; make it at most {NAME_LENGTH}."}
        )
    if name == partnership.name:
        return partnership
    with transaction.atomic():
        before, partnership.name = partnership.name, name
        partnership.save(update_fields=["name"])
        audit_record(
            actor=actor,
            organisation=None,
            action=AuditAction.UPDATED,
            subject_type="partnership",
            subject_id=partnership.pk,
            summary=f"Renamed the partnership from {before} to {name}.",
        )
    partnership_name_forget()
    return partnership
