"""Importing a contact list into an organisation's people, groups and memberships.

The same mapped, all-or-nothing engine as the conversation import: the file is kept
(engage.core.tabular.pending while its columns are matched, then in the uploads
folder), queued as a PeopleImportJob and read by the worker (runner.py) in one
transaction, its progress and heartbeat noted beside it (engage.core.uploaded_jobs).
A row with a problem goes to PeopleImportRejection with its line, column and reason; a
file that cannot be read, or lacks a mapped column, changes nothing.

Matching, so that importing the same list again updates rather than copies:
- by the organisation's own reference for the person, where the row has one;
- failing that, by email, to the one person of the organisation with that address
  (and no other reference); a later row of the same file for the same person adds to
  what the earlier one gave.
A matched person takes the details the file gives (a blank cell changes nothing); roles,
groups and consent are added, never taken away, except that a withdrawal the file
records is recorded, through the same service staff use, so quotes follow at once.
Consent the file says was given is not recorded where the person withdrew that consent
on or after that date: an old list must not bring back what someone took away.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from engage.core.errors import InvalidInput
from engage.core.jobs import enqueue_after_commit
from engage.core.models import AuditAction
from engage.core.services import audit_record, audit_record_many, user_or_none
from engage.core.tabular.columns import columns_find
from engage.core.tabular.errors import ImportFileError, ImportRowError
from engage.core.tabular.pending import upload_keep
from engage.core.tabular.readers import estimate_rows, open_reader, refuse_mixed_encodings
from engage.core.types import Actor
from engage.core.uploaded_jobs import uploaded_jobs_fail_stale
from engage.core.uploads import uploads_folder
from engage.partners.models import (
    Consent,
    Group,
    GroupMembership,
    Organisation,
    PeopleImportJob,
    PeopleImportRejection,
    PeopleImportTemplate,
    Person,
    PersonRole,
)
from engage.partners.people_imports.cleaning import ConsentGiven, PersonRow, PersonRowCleaner
from engage.partners.people_imports.columns import (
    CONTACT_LIST,
    CONTACT_LIST_MAPPING,
    DEFAULT_GROUP_KIND,
    FIELDS,
    NAME_FIELDS,
    mapping_problems,
)
from engage.partners.services import consent_withdraw
from engage.partners.signals import consent_withdrawn

SUBJECT_TYPE = "people_import"
BATCH = 500
PROGRESS_EVERY = 500
_DETAILS = ("given_name", "family_name", "email", "phone", "postcode", "notes")


# --- Templates ------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    name: str
    mapping: dict[str, Any]
    defaults: dict[str, Any] = field(default_factory=dict)
    built_in: bool = True


BUILT_IN = Template(name=CONTACT_LIST, mapping=CONTACT_LIST_MAPPING)


def template_list(*, organisation: Organisation) -> list[Template]:
    saved = PeopleImportTemplate.objects.filter(organisation=organisation)
    return [BUILT_IN, *(Template(t.name, t.mapping, t.defaults, built_in=False) for t in saved)]


def template_find(*, organisation: Organisation, name: str) -> Template:
    found = next((t for t in template_list(organisation=organisation) if t.name == name), None)
    if found is None:
        names = ", ".join(t.name for t in template_list(organisation=organisation))
        raise InvalidInput({"template": f"There is no template called {name!r}. The templates are: {names}."})
    return found


def template_save(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    mapping: Mapping[str, Any],
    defaults: Mapping[str, Any],
) -> PeopleImportTemplate:
    """Save (or replace) a mapping under a name, for the next file from the same source."""
    name = " ".join(name.split())
    if not name or len(name) > 120:
        raise InvalidInput({"save_as": "Give the template a name of 120 characters or fewer."})
    if name.casefold() == CONTACT_LIST.casefold():
        raise InvalidInput(
            {"save_as": f"{CONTACT_LIST!r} is the ready-made template's name; choose another."}
        )
    problems = mapping_problems(dict(mapping), dict(defaults))
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        template, created = PeopleImportTemplate.objects.update_or_create(
            organisation=organisation,
            name=name,
            defaults={"mapping": dict(mapping), "defaults": dict(defaults)},
        )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CREATED if created else AuditAction.UPDATED,
            subject_type="people_import_template",
            subject_id=template.pk,
            summary=f"{'Saved' if created else 'Replaced'} the people import template {name!r}.",
        )
    return template


# --- Jobs -----------------------------------------------------------------------------


def import_folder() -> Path:
    return uploads_folder("people")


def people_import_create(
    *,
    actor: Actor,
    organisation: Organisation,
    content: IO[bytes],
    file_name: str,
    mapping: Mapping[str, Any],
    defaults: Mapping[str, Any] | None = None,
    template_name: str = "",
    start: bool = True,
) -> PeopleImportJob:
    """Keep the file and queue its import. The mapping is checked against the file's
    headings now, so a file without a mapped column is refused here, naming it."""
    defaults = dict(defaults or {})
    problems = mapping_problems(dict(mapping), defaults)
    if problems:
        raise InvalidInput(problems)
    name = Path(file_name or "upload").name
    stored = upload_keep(content, file_name=name, folder=import_folder())
    try:
        with open_reader(stored.path, file_name=name) as reader:
            found = columns_find(mapping, reader.headings, fields=FIELDS, file_name=name)
            if not any(f in found for f in NAME_FIELDS):
                raise ImportFileError(
                    "The file has no column of first names or full names, which every person needs. The "
                    f"columns it has are: {', '.join(repr(h) for h in reader.headings if h) or 'none'}.",
                    file_name=name,
                )
        with transaction.atomic():
            job = PeopleImportJob.objects.create(
                organisation=organisation,
                file_name=name[:255],
                stored_path=str(stored.path),
                mapping=dict(mapping),
                defaults=defaults,
                template_name=template_name[:120],
                created_by=user_or_none(actor),
            )
            audit_record(
                actor=actor,
                organisation=organisation,
                action=AuditAction.CREATED,
                subject_type=SUBJECT_TYPE,
                subject_id=job.pk,
                summary=f"Queued the import of people from {name}.",
            )
            if start:
                enqueue_after_commit("engage.partners.people_imports.tasks.people_import_task", job_id=job.pk)
    except BaseException:
        stored.path.unlink(missing_ok=True)
        raise
    return job


def people_imports_fail_stale(*, job_id: int | None = None) -> list[int]:
    """Mark failed the running imports (or the one) whose worker has stopped; their
    transaction never committed, so the people are as they were."""
    return uploaded_jobs_fail_stale(PeopleImportJob, subject_type=SUBJECT_TYPE, job_id=job_id)


def rejections_exported(*, actor: Actor, organisation: Organisation, job: PeopleImportJob) -> None:
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.EXPORTED,
        subject_type=SUBJECT_TYPE,
        subject_id=job.pk,
        summary=f"Downloaded the {job.rejected:,} rejected rows of the import of {job.file_name}.",
    )


# --- The load -------------------------------------------------------------------------


@dataclass
class PeopleLoad:
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    groups_added: int = 0
    memberships_added: int = 0
    consents_recorded: int = 0
    consents_withdrawn: int = 0
    consents_not_restored: int = 0

    def sentence(self) -> str:
        text = (
            f"{self.added:,} people added, {self.updated:,} updated, {self.unchanged:,} as they were; "
            f"{self.rejected:,} rows rejected. {self.groups_added:,} groups made, {self.memberships_added:,} "
            f"memberships added; consent recorded {self.consents_recorded:,} times and withdrawn "
            f"{self.consents_withdrawn:,} times."
        )
        if self.consents_not_restored:
            text += (
                f" {self.consents_not_restored:,} grants of consent in the file were not recorded: the person "
                "withdrew that consent on or after the date the file gives."
            )
        return text

    def fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__} | {"result": self.sentence()}


class _Held:
    """What the organisation holds, indexed once, so a list of thousands is matched
    without a query a row."""

    def __init__(self, organisation: Organisation) -> None:
        people = list(Person.objects.for_organisation(organisation))
        self.by_reference = {p.reference: p for p in people if p.reference}
        emails: dict[str, list[Person]] = {}
        for person in people:
            if person.email:  # kept lower case by the import, perhaps not by hand
                emails.setdefault(person.email.lower(), []).append(person)
        self.by_email = {email: found[0] for email, found in emails.items() if len(found) == 1}
        self.groups = {g.name.casefold(): g for g in Group.objects.filter(organisation=organisation)}
        self.memberships = set(
            GroupMembership.objects.for_organisation(organisation).values_list("person_id", "group_id")
        )
        self.roles = set(PersonRole.objects.for_organisation(organisation).values_list("person_id", "role"))
        self.standing: dict[tuple[int, str], Consent] = {}
        self.last_withdrawn: dict[tuple[int, str], dt.date] = {}
        for consent in Consent.objects.for_organisation(organisation):
            key = (consent.person_id, consent.purpose)
            if consent.withdrawn_on is None:
                self.standing[key] = consent
            elif consent.withdrawn_on > self.last_withdrawn.get(key, dt.date.min):
                self.last_withdrawn[key] = consent.withdrawn_on

    def find(self, row: PersonRow) -> Person | None:
        if row.reference:
            found = self.by_reference.get(row.reference)
            if found is not None:
                return found
        by_email = self.by_email.get(row.email) if row.email else None
        if by_email is not None and (not row.reference or not by_email.reference):
            return by_email
        return None

    def add(self, person: Person) -> None:
        if person.reference:
            self.by_reference[person.reference] = person
        if person.email and person.email not in self.by_email:
            self.by_email[person.email] = person


@dataclass
class _Batch:
    """Writes gathered over BATCH rows, made together (new people first, for their ids)."""

    new: list[Person] = field(default_factory=list)
    changed: dict[int, Person] = field(default_factory=dict)
    roles: list[tuple[Person, str]] = field(default_factory=list)
    memberships: list[tuple[Person, Group, dt.date | None]] = field(default_factory=list)
    consents: list[tuple[Person, ConsentGiven]] = field(default_factory=list)
    rejections: list[PeopleImportRejection] = field(default_factory=list)


class _Importer:
    def __init__(self, job: PeopleImportJob, actor: Actor) -> None:
        self.job = job
        self.actor = actor
        self.organisation = job.organisation
        self.held = _Held(job.organisation)
        self.done = PeopleLoad()
        self.batch = _Batch()
        self.touched: set[int] = set()  # people added or changed, for the audit trail
        self.withdrawals: list[tuple[Person, ConsentGiven]] = []
        self.group_kind = str(job.defaults.get("group_kind") or DEFAULT_GROUP_KIND)
        self.seen: set[int] = set()  # id() of each person a row has named
        self.closed: list[Consent] = []  # grants recorded already withdrawn

    def row(self, row: PersonRow) -> None:
        person = self.held.find(row)
        if person is None:
            person = Person(
                organisation=self.organisation,
                reference=row.reference,
                created_by=user_or_none(self.actor),
                **{name: row.details.get(name, "") for name in _DETAILS},
            )
            self.batch.new.append(person)
            self.held.add(person)
            self.done.added += 1
            self.seen.add(id(person))
        else:
            self._update(person, row)
        for role in row.roles:
            if person.pk is None or (person.pk, role) not in self.held.roles:
                self.batch.roles.append((person, role))
        for name in row.groups:
            self.batch.memberships.append((person, self._group(name), row.joined_on))
        for consent in row.consents:
            self.batch.consents.append((person, consent))

    def _update(self, person: Person, row: PersonRow) -> None:
        """The details the row gives, on a person held already or met earlier in the
        file; each person is counted once, however many rows name them."""
        changed = [n for n in _DETAILS if n in row.details and getattr(person, n) != row.details[n]]
        for name in changed:
            setattr(person, name, row.details[name])
        if row.reference and not person.reference:
            person.reference = row.reference
            self.held.add(person)
            changed.append("reference")
        first_time = id(person) not in self.seen
        self.seen.add(id(person))
        if changed and person.pk is not None:  # one added by this file is written with the others
            person.updated_at = timezone.now()
            self.batch.changed[person.pk] = person
        if first_time:
            if changed:
                self.done.updated += 1
            else:
                self.done.unchanged += 1

    def _group(self, name: str) -> Group:
        group = self.held.groups.get(name.casefold())
        if group is None:
            group = Group.objects.create(organisation=self.organisation, name=name, kind=self.group_kind)
            self.held.groups[name.casefold()] = group
            self.done.groups_added += 1
        return group

    def flush(self) -> None:
        batch, self.batch = self.batch, _Batch()
        Person.objects.bulk_create(batch.new, batch_size=BATCH)
        Person.objects.bulk_update(
            list(batch.changed.values()), [*_DETAILS, "reference", "updated_at"], batch_size=BATCH
        )
        self.touched.update(p.pk for p in batch.new)
        self.touched.update(batch.changed)
        roles = []
        for person, role in batch.roles:
            if (person.pk, role) not in self.held.roles:
                self.held.roles.add((person.pk, role))
                roles.append(PersonRole(person=person, role=role))
        PersonRole.objects.bulk_create(roles, batch_size=BATCH)
        memberships = []
        for person, group, joined_on in batch.memberships:
            if (person.pk, group.pk) not in self.held.memberships:
                self.held.memberships.add((person.pk, group.pk))
                memberships.append(GroupMembership(person=person, group=group, joined_on=joined_on))
                self.touched.add(person.pk)
        GroupMembership.objects.bulk_create(memberships, batch_size=BATCH)
        self.done.memberships_added += len(memberships)
        Consent.objects.bulk_create(self._consents(batch.consents), batch_size=BATCH)
        PeopleImportRejection.objects.bulk_create(batch.rejections, batch_size=BATCH)

    def _consents(self, given: Iterable[tuple[Person, ConsentGiven]]) -> list[Consent]:
        """The grants to record; withdrawals of standing grants are kept for the end."""
        made: list[Consent] = []
        for person, consent in given:
            key = (person.pk, consent.purpose)
            standing = self.held.standing.get(key)
            if standing is not None:
                if consent.withdrawn_on is not None:
                    self.withdrawals.append((person, consent))
                continue
            if self.held.last_withdrawn.get(key, dt.date.min) >= consent.given_on:
                self.done.consents_not_restored += 1
                continue
            record = Consent(
                person=person,
                purpose=consent.purpose,
                given_on=consent.given_on,
                method=consent.method,
                source=consent.source,
                withdrawn_on=consent.withdrawn_on,
            )
            if consent.withdrawn_on is None:
                self.held.standing[key] = record
            else:
                self.held.last_withdrawn[key] = consent.withdrawn_on
                self.closed.append(record)
            made.append(record)
            self.touched.add(person.pk)
            self.done.consents_recorded += 1
        return made

    def withdraw(self) -> None:
        """Withdrawals of consent that stood, through the service staff use: quotes of
        what the person said come off every page in this same transaction."""
        for person, consent in self.withdrawals:
            standing = self.held.standing.get((person.pk, consent.purpose))
            # Only the grant that stands now, and only where the file's withdrawal is not
            # older than it (a person who withdrew, then agreed again, stays agreed).
            if (
                standing is None
                or standing.withdrawn_on is not None
                or consent.withdrawn_on is None
                or consent.withdrawn_on < standing.given_on
            ):
                continue
            withdrawn_on = consent.withdrawn_on
            consent_withdraw(
                actor=self.actor,
                organisation=self.organisation,
                person_id=person.pk,
                purpose=consent.purpose,
                withdrawn_on=withdrawn_on,
                method=consent.method,
                reason=f"Recorded as withdrawn in {self.job.file_name}.",
            )
            standing.withdrawn_on = withdrawn_on
            self.done.consents_withdrawn += 1
        # A grant the file records as given and withdrawn, where none stands now: the
        # person's choice follows their words as a withdrawal staff record would (their
        # conversations' consent to be quoted closes, and their quotes come down).
        for record in self.closed:
            standing = self.held.standing.get((record.person_id, record.purpose))
            if standing is None or standing.withdrawn_on is not None:
                consent_withdrawn.send(
                    sender=Consent, consent=record, actor=self.actor, organisation=self.organisation
                )


def people_load(
    *, job: PeopleImportJob, actor: Actor, on_progress: Callable[[int, int], None] | None = None
) -> PeopleLoad:
    """Read the job's file into the organisation's people in one transaction (see the
    module's notes). Raises ImportFileError, naming the file, line and column, for a
    file that cannot be imported; nothing is then changed."""
    path = Path(job.stored_path)
    if not path.exists():
        raise ImportFileError(
            "The uploaded file is no longer on the server, so it cannot be imported. Upload it again.",
            file_name=job.file_name,
        )
    total = estimate_rows(path, file_name=job.file_name)
    with transaction.atomic(), open_reader(path, file_name=job.file_name) as reader:
        columns = columns_find(job.mapping, reader.headings, fields=FIELDS, file_name=job.file_name)
        cleaner = PersonRowCleaner(columns=columns, defaults=job.defaults, file_name=job.file_name)
        importer = _Importer(job, actor)
        for line, cells in reader.rows():
            importer.done.rows += 1
            try:
                importer.row(cleaner.clean(line, cells))
            except ImportRowError as error:
                importer.done.rejected += 1
                importer.batch.rejections.append(
                    PeopleImportRejection(
                        job_id=job.pk,
                        line=line,
                        column=error.column[:200],
                        reason=error.reason[:500],
                        cells=cleaner.rejected_cells(cells),
                    )
                )
            if importer.done.rows % BATCH == 0:
                refuse_mixed_encodings(reader)
                importer.flush()
                if on_progress is not None:
                    on_progress(importer.done.rows, max(total, importer.done.rows))
        refuse_mixed_encodings(reader)
        importer.flush()
        importer.withdraw()
        done = importer.done
        audit_record_many(
            actor=actor,
            organisation=job.organisation,
            action=AuditAction.UPDATED,
            subject_type="person",
            subject_ids=sorted(importer.touched),
            summary=f"Added or changed by the import of {job.file_name}.",
        )
        audit_record(
            actor=actor,
            organisation=job.organisation,
            action=AuditAction.CREATED,
            subject_type=SUBJECT_TYPE,
            subject_id=job.pk,
            summary=f"Imported people from {job.file_name}: {done.sentence()}",
        )
    if on_progress is not None:
        on_progress(done.rows, done.rows)
    return done
