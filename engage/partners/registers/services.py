"""Loading organisations from a register (engage.partners.registers.readers), matched to
the partnership's organisations by their official codes, so that loading a register
again updates rather than copies.

A row is matched by its ODS code or charity number; failing that, by its name to an
organisation that has no code yet (one typed in by hand), which is given the code; a
row of our template without a code, by its name alone.
A matched organisation takes the register's name, postcode and whether it is open; its
kind, short name, website and contact address stay as the partnership set them (a
website or address is filled only where there was none). A new organisation whose name
another already has (two surgeries called "The Surgery") is named with its code.
The whole file is checked first and loaded in one transaction: nothing changes on a
problem. One audit event records the load.

Files uploaded on the organisations page are kept in the uploads folder and queued as a
RegisterJob, which the worker loads (`runner.py`), its progress and heartbeat noted
beside the upload as every uploaded-file job's are (engage/core/jobs.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from engage.core import uploaded_jobs
from engage.core.errors import InvalidInput
from engage.core.jobs import enqueue_after_commit
from engage.core.models import AuditAction
from engage.core.services import audit_record, user_or_none
from engage.core.types import Actor
from engage.core.uploads import upload_store, uploads_folder
from engage.partners.models import Organisation, Register, RegisterJob
from engage.partners.registers.readers import OrganisationRow, ProgressCallback, read_register_file

BATCH = 1000
_UPDATED_FIELDS = ["name", "postcode", "is_active", "ods_code", "charity_number", "website", "contact_email"]


@dataclass(frozen=True)
class RegisterLoad:
    register: str
    created: int
    updated: int
    unchanged: int
    closed_not_added: int  # closed in the register and not among the partnership's
    outside: int  # outside the filters
    not_kept: dict[str, int]
    named_with_code: list[str]  # new organisations whose name another already had

    def sentence(self) -> str:
        parts = [f"{self.created:,} added", f"{self.updated:,} updated", f"{self.unchanged:,} as they were"]
        skipped = [f"{count:,} {why}" for why, count in self.not_kept.items()]
        if self.closed_not_added:
            skipped.append(f"{self.closed_not_added:,} closed ones not added")
        if self.outside:
            skipped.append(f"{self.outside:,} outside the chosen areas")
        text = f"{', '.join(parts)}."
        if skipped:
            text += f" Not loaded: {'; '.join(skipped)}."
        if self.named_with_code:
            text += f" Named with their code, as the name was taken: {', '.join(self.named_with_code[:5])}"
            text += f" and {len(self.named_with_code) - 5:,} more." if len(self.named_with_code) > 5 else "."
        return text


def _code(row: OrganisationRow) -> tuple[str, str]:
    return ("ods_code", row.ods_code) if row.ods_code else ("charity_number", row.charity_number)


class _Matcher:
    """The partnership's organisations, indexed once, so a national file of 10,000
    practices is matched without a query a row."""

    def __init__(self) -> None:
        existing = list(Organisation.objects.all())
        self.by_code = {("ods_code", o.ods_code): o for o in existing if o.ods_code}
        self.by_code |= {("charity_number", o.charity_number): o for o in existing if o.charity_number}
        self.names = {o.name.casefold(): o for o in existing}

    def find(self, row: OrganisationRow) -> Organisation | None:
        key = _code(row)
        if key[1] and key in self.by_code:
            return self.by_code[key]
        # By name: a row without a code (our template) is the organisation of that name;
        # a row with one is only one of that name that has no code yet.
        by_name = self.names.get(row.name.casefold())
        if by_name is not None and (not key[1] or not (by_name.ods_code or by_name.charity_number)):
            return by_name
        return None

    def free_name(self, row: OrganisationRow) -> str:
        if row.name.casefold() not in self.names:
            return row.name
        code = row.ods_code or row.charity_number
        return f"{row.name[: 200 - len(code) - 3]} ({code})"

    def add(self, organisation: Organisation) -> None:
        self.names[organisation.name.casefold()] = organisation
        key = _code_of(organisation)
        if key[1]:
            self.by_code[key] = organisation


def _code_of(organisation: Organisation) -> tuple[str, str]:
    if organisation.ods_code:
        return ("ods_code", organisation.ods_code)
    return ("charity_number", organisation.charity_number)


def _changed(organisation: Organisation, row: OrganisationRow, name: str) -> bool:
    before = [getattr(organisation, f) for f in _UPDATED_FIELDS]
    organisation.name, organisation.is_active = name, row.is_active
    organisation.postcode = row.postcode or organisation.postcode
    organisation.ods_code = row.ods_code or organisation.ods_code
    organisation.charity_number = row.charity_number or organisation.charity_number
    organisation.website = organisation.website or row.website
    organisation.contact_email = organisation.contact_email or row.contact_email
    return before != [getattr(organisation, f) for f in _UPDATED_FIELDS]


def organisations_load(
    *,
    actor: Actor,
    path: Path,
    file_name: str,
    register: str,
    postcode_prefixes: Iterable[str] = (),
    commissioners: Iterable[str] = (),
    on_progress: ProgressCallback | None = None,
) -> RegisterLoad:
    """Load the register's organisations (see the module's notes). Raises
    ImportFileError naming the file, line and column of the first problem."""
    parsed = read_register_file(
        path,
        file_name=file_name,
        register=register,
        postcode_prefixes=postcode_prefixes,
        commissioners=commissioners,
        on_progress=on_progress,
    )
    created: list[Organisation] = []
    updated: list[Organisation] = []
    unchanged = closed = 0
    named_with_code: list[str] = []
    with transaction.atomic():
        matcher = _Matcher()
        for row in parsed.rows:
            found = matcher.find(row)
            if found is None:
                if not row.is_active:
                    closed += 1
                    continue
                name = matcher.free_name(row)
                if name != row.name:
                    named_with_code.append(name)
                organisation = Organisation(
                    name=name,
                    kind=row.kind,
                    short_name=row.short_name,
                    website=row.website,
                    contact_email=row.contact_email,
                    ods_code=row.ods_code,
                    charity_number=row.charity_number,
                    postcode=row.postcode,
                )
                created.append(organisation)
                matcher.add(organisation)
                continue
            clash = matcher.names.get(row.name.casefold())
            name = row.name if clash is None or clash is found else found.name
            if _changed(found, row, name):
                updated.append(found)
                matcher.add(found)
            else:
                unchanged += 1
        Organisation.objects.bulk_create(created, batch_size=BATCH)
        Organisation.objects.bulk_update(updated, _UPDATED_FIELDS, batch_size=BATCH)
        load = RegisterLoad(
            register=register,
            created=len(created),
            updated=len(updated),
            unchanged=unchanged,
            closed_not_added=closed,
            outside=parsed.outside,
            not_kept=parsed.not_kept,
            named_with_code=named_with_code,
        )
        audit_record(
            actor=actor,
            organisation=None,
            action=AuditAction.UPDATED,
            subject_type="organisation",
            subject_id="register",
            summary=f"Loaded organisations from {Register(register).label}, {Path(file_name).name}: {load.sentence()}",
        )
    if on_progress is not None:
        on_progress(len(parsed.rows), len(parsed.rows))
    return load


_SUFFIXES = {Register.CHARITIES: (".txt", ".csv", ".tsv")}
PROGRESS_EVERY = 5_000
_AREA = re.compile(r"[A-Z]{1,2}[0-9]?[0-9A-Z]?")
_COMMISSIONER = re.compile(r"[A-Z0-9]{3,5}")


def _codes(texts: Iterable[str], pattern: re.Pattern[str], *, field: str, example: str) -> list[str]:
    codes = sorted({" ".join(text.split()).upper() for text in texts if text.strip()})
    bad = [code for code in codes if not pattern.fullmatch(code)]
    if bad:
        raise InvalidInput({field: f"{', '.join(bad)} {'is' if len(bad) == 1 else 'are'} not {example}."})
    return codes


def register_job_create(
    *,
    actor: Actor,
    register: str,
    upload: UploadedFile,
    postcode_prefixes: Iterable[str] = (),
    commissioners: Iterable[str] = (),
    start: bool = True,
) -> RegisterJob:
    """Keep an uploaded register file and queue its load."""
    register_jobs_fail_stale()
    if register not in Register.values:
        raise InvalidInput({"register": "Choose which register the file comes from."})
    prefixes = _codes(
        postcode_prefixes,
        _AREA,
        field="postcode_prefixes",
        example="a postcode area or district, such as DY or B62",
    )
    wanted = _codes(
        commissioners,
        _COMMISSIONER,
        field="commissioners",
        example="a commissioner's ODS code, such as D2P2L",
    )
    if wanted and register != Register.ODS_GP_PRACTICES:
        raise InvalidInput({"commissioners": "Only GP practices can be chosen by their commissioner."})
    name = Path(upload.name or "").name
    suffixes = _SUFFIXES.get(Register(register), (".csv",))
    if not name.lower().endswith(suffixes):
        raise InvalidInput(
            {
                "file": f"{name or 'The file'} is not a {' or '.join(suffixes)} file, which this register's must be."
            }
        )
    stored = upload_store(
        upload.chunks(), folder=uploads_folder("registers"), suffix=Path(name).suffix.lower()
    )
    try:
        with transaction.atomic():
            job = RegisterJob.objects.create(
                register=register,
                postcode_prefixes=prefixes,
                commissioners=wanted,
                file_name=name[:255],
                stored_path=str(stored.path),
                size_bytes=stored.size_bytes,
                created_by=user_or_none(actor),
            )
            audit_record(
                actor=actor,
                organisation=None,
                action=AuditAction.CREATED,
                subject_type="register_job",
                subject_id=job.pk,
                summary=f"Queued the load of {name} ({Register(register).label}).",
            )
            if start:
                enqueue_after_commit("engage.partners.registers.tasks.register_job_task", job_id=job.pk)
    except BaseException:
        stored.path.unlink(missing_ok=True)
        raise
    return job


def register_jobs_fail_stale(*, job_id: int | None = None) -> list[int]:
    """Mark failed the running loads (or the one) whose worker has stopped; their
    transaction never committed, so the organisations are as they were."""
    return uploaded_jobs.uploaded_jobs_fail_stale(RegisterJob, subject_type="register_job", job_id=job_id)
