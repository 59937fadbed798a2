"""The worker's side of a subject access request: everything one organisation holds about
one person, gathered a file at a time into one ZIP, with a cover note saying what each
file is. CSV files are spreadsheet-safe (engage/core/exports.py); the record itself is
JSON. Only the organisation's own records are read: a partner's are not its to give.

The ZIP is written beside the other things the software keeps (VAR_DIR/subject-access),
under a name no one can guess, and downloaded through the scoped page only."""

from __future__ import annotations

import json
import logging
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Q
from django.utils import timezone

from engage.conversations.models import Conversation, Quote, QuoteConsent
from engage.core.errors import NotFound
from engage.core.exports import csv_text
from engage.core.jobs import heartbeat
from engage.core.models import AuditEvent, AuditEventSubject
from engage.core.selectors import about_record
from engage.decisions.models import DecisionEvidence, FeedbackMessage, Participation
from engage.partners.models import Consent, GroupMembership, Person, PersonRole
from engage.subject_access.models import (
    RequestStatus,
    SubjectAccessRequest,
    download_file_remove,
    zip_name,
    zips_folder,
)

logger = logging.getLogger(__name__)

ERASED_WHILE_GATHERING = (
    "Their record was erased while this was being gathered, so nothing gathered was kept."
)


@dataclass(frozen=True)
class Section:
    file_name: str
    description: str
    gather: Callable[[Person, list[int]], tuple[str, int]]  # (the file's text, records in it)


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> tuple[str, int]:
    listed = list(rows)
    return csv_text(header, listed), len(listed)


def _record(person: Person, _: list[int]) -> tuple[str, int]:
    fields = ("given_name", "family_name", "email", "phone", "postcode", "notes", "created_at", "updated_at")
    return json.dumps({name: str(getattr(person, name)) for name in fields}, indent=2, ensure_ascii=False), 1


def _roles(person: Person, _: list[int]) -> tuple[str, int]:
    return _csv(
        ("Role", "Since"),
        ((role.get_role_display(), role.since or "") for role in PersonRole.objects.filter(person=person)),
    )


def _groups(person: Person, _: list[int]) -> tuple[str, int]:
    return _csv(
        ("Group", "Joined"),
        (
            (m.group.name, m.joined_on or "")
            for m in GroupMembership.objects.filter(person=person).select_related("group")
        ),
    )


def _consent(person: Person, _: list[int]) -> tuple[str, int]:
    return _csv(
        ("Purpose", "Given on", "How", "Where", "Withdrawn on", "How withdrawn", "Recorded"),
        (
            (
                c.get_purpose_display(),
                c.given_on,
                c.get_method_display(),
                c.source,
                c.withdrawn_on or "",
                c.get_withdrawal_method_display() if c.withdrawal_method else "",
                c.recorded_at,
            )
            for c in Consent.objects.filter(person=person).order_by("given_on", "pk")
        ),
    )


def _conversations(person: Person, ids: list[int]) -> tuple[str, int]:
    return _csv(
        (
            "Number",
            "Heard on",
            "How",
            "Question",
            "What they said",
            "Rating",
            "Postcode district",
            "Age band",
            "Sex",
            "Ethnic group",
            "Disability",
            "Carer",
            "Respondent reference",
            "Activity",
            "Agreed to be quoted",
            "Agreed to be contacted",
        ),
        (
            (
                c.pk,
                c.occurred_on,
                c.get_channel_display(),
                c.question,
                c.text,
                "" if c.rating is None else c.rating,
                c.postcode_district,
                c.age_band,
                c.sex,
                c.ethnic_group,
                c.disability,
                c.carer,
                c.respondent_reference,
                c.activity.title if c.activity else "",
                "yes" if c.consent_to_quote else "no",
                "yes" if c.consent_to_contact else "no",
            )
            for c in Conversation.objects.filter(pk__in=ids)
            .select_related("activity")
            .order_by("occurred_on", "pk")
        ),
    )


def _quote_consent(person: Person, ids: list[int]) -> tuple[str, int]:
    return _csv(
        ("Conversation", "Given on", "Where from", "How", "Withdrawn on"),
        (
            (
                g.conversation_id,
                g.given_on,
                g.get_source_display(),
                g.get_method_display() if g.method else "",
                g.withdrawn_on or "",
            )
            for g in QuoteConsent.objects.filter(conversation_id__in=ids).order_by("given_on", "pk")
        ),
    )


def _quotes(person: Person, ids: list[int]) -> tuple[str, int]:
    return _csv(
        ("Conversation", "Decision", "Words approved", "Decided on"),
        (
            (q.conversation_id, q.get_status_display(), q.text, q.decided_at)
            for q in Quote.objects.filter(conversation_id__in=ids).order_by("decided_at")
        ),
    )


def _evidence(person: Person, ids: list[int]) -> tuple[str, int]:
    return _csv(
        ("Conversation", "Decision", "Decided by", "Used as evidence on"),
        (
            (e.conversation_id, e.decision.title, e.decision.organisation.name, e.added_at)
            for e in DecisionEvidence.objects.filter(conversation_id__in=ids).select_related(
                "decision", "decision__organisation"
            )
        ),
    )


def _participation(person: Person, _: list[int]) -> tuple[str, int]:
    return _csv(
        ("Activity", "Recorded as taking part on"),
        (
            (p.activity.title, p.added_at)
            for p in Participation.objects.filter(person=person).select_related("activity")
        ),
    )


def _emails(person: Person, _: list[int]) -> tuple[str, int]:
    return _csv(
        ("About the decision", "Status", "Sent to", "Sent on"),
        (
            (m.decision.title, m.get_status_display(), m.sent_to, m.sent_at or "")
            for m in FeedbackMessage.objects.filter(person=person).select_related("decision")
        ),
    )


def _audit(person: Person, ids: list[int]) -> tuple[str, int]:
    conversation_ids = [str(pk) for pk in ids]
    # An event about many records (a page listing them) names each in AuditEventSubject.
    about = (
        Q(subject_type="person") & about_record(str(person.pk))
        | Q(subject_type="conversation", subject_id__in=conversation_ids)
        | Q(
            subject_type="conversation",
            pk__in=AuditEventSubject.objects.filter(subject_id__in=conversation_ids).values("event_id"),
        )
    )
    return _csv(
        ("When", "By", "What", "Record", "Summary", "Reason"),
        (
            (
                e.at,
                e.actor_label,
                e.get_action_display(),
                f"{e.subject_type} {e.subject_id or '(one of several)'}",
                e.summary,
                e.reason,
            )
            for e in AuditEvent.objects.filter(about, organisation=person.organisation).order_by("at", "pk")
        ),
    )


SECTIONS: tuple[Section, ...] = (
    Section("record.json", "The person's record: name, contact details, postcode and notes.", _record),
    Section("roles.csv", "The roles recorded for them (patient, carer, volunteer…).", _roles),
    Section("groups.csv", "The organisation's groups they belong to.", _groups),
    Section("consent.csv", "Each consent they gave, and each withdrawal, with when and how.", _consent),
    Section(
        "conversations.csv", "What they said, as linked to their record, with its details.", _conversations
    ),
    Section("consent-to-quote.csv", "Consent to quote each of those conversations.", _quote_consent),
    Section("quotes.csv", "Whether their words were approved for quoting, and in what words.", _quotes),
    Section("evidence.csv", "Decisions their words informed.", _evidence),
    Section("activities.csv", "Activities they were recorded as taking part in.", _participation),
    Section("emails.csv", "Emails telling them what was done.", _emails),
    Section("audit-trail.csv", "Each time a member of staff looked at or changed their records.", _audit),
)


def _cover_note(request: SubjectAccessRequest, person: Person, counts: dict[str, int]) -> str:
    lines = [
        f"Everything {request.organisation.name} holds about {person.full_name}",
        "",
        (
            f"Produced on {timezone.localtime():%d %B %Y at %H:%M} at the request of "
            f"{getattr(request.requested_by, 'display_name', '') or 'a member of staff'} "
            f"(subject access request {request.pk})."
        ),
        "",
        "What is in this file:",
        "",
        *(f"- {s.file_name} ({counts.get(s.file_name, 0)} records): {s.description}" for s in SECTIONS),
        "",
        "The .csv files open in any spreadsheet. Conversations not linked to this person's record (for",
        "example, comments left without a name) cannot be told apart from anyone else's and are not here.",
        "Other partner organisations hold their own records; ask each of them.",
    ]
    return "\n".join(lines) + "\n"


def _folder() -> Path:
    folder = zips_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def subject_access_execute(*, request_id: int) -> SubjectAccessRequest:
    """Gather a queued request into its ZIP; any other is returned as it is."""
    request = (
        SubjectAccessRequest.objects.select_related("organisation", "person", "requested_by")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise NotFound(f"There is no subject access request numbered {request_id}.")
    now = timezone.now()
    claimed = SubjectAccessRequest.objects.filter(pk=request.pk, status=RequestStatus.QUEUED).update(
        status=RequestStatus.RUNNING, started_at=now, heartbeat_at=now, sections_total=len(SECTIONS) + 1
    )
    if not claimed:
        return SubjectAccessRequest.objects.get(pk=request.pk)
    running = SubjectAccessRequest.objects.filter(pk=request.pk, status=RequestStatus.RUNNING)
    path = _folder() / zip_name(request.pk)
    try:
        with heartbeat(
            lambda: running.update(heartbeat_at=timezone.now()), name=f"subject access {request.pk}"
        ):
            person = request.person
            if person is None:
                raise NotFound("The person's record was erased before their information was gathered.")
            ids = list(
                Conversation.objects.filter(person=person, organisation=request.organisation).values_list(
                    "pk", flat=True
                )
            )
            counts: dict[str, int] = {}
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for done, section in enumerate(SECTIONS, start=1):
                    text, counts[section.file_name] = section.gather(person, ids)
                    archive.writestr(section.file_name, text)
                    running.update(sections_done=done, heartbeat_at=timezone.now())
                archive.writestr("README.txt", _cover_note(request, person, counts))
    except Exception as error:
        path.unlink(missing_ok=True)
        logger.exception("Subject access request %s failed", request.pk)
        running.update(
            status=RequestStatus.FAILED,
            finished_at=timezone.now(),
            error=error.message
            if isinstance(error, NotFound)
            else "Gathering stopped because of an unexpected problem. Ask again.",
        )
        return SubjectAccessRequest.objects.get(pk=request.pk)
    # Kept only if the person is still there: one erased while this gathered (their
    # link emptied) must leave no copy behind. One statement, so an erasure cannot slip
    # between the check and the keeping; one after it finds the file and deletes it
    # (services.on_person_erasing).
    kept = running.filter(person__isnull=False).update(
        status=RequestStatus.SUCCEEDED,
        finished_at=timezone.now(),
        sections_done=len(SECTIONS) + 1,
        file_path=str(path),
        records=sum(counts.values()),
    )
    if not kept:
        download_file_remove(path)
        running.update(status=RequestStatus.FAILED, finished_at=timezone.now(), error=ERASED_WHILE_GATHERING)
    return SubjectAccessRequest.objects.get(pk=request.pk)
