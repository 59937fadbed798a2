"""Writing reports: making one, working its figures out (in the worker: a year's Local
Account reads every conversation of the year), editing its narrative and its Easy Read
version, publishing and withdrawing it; the partnership's jargon list and uploaded
pictures. Every write checks its input field by field, saves nothing when any is wrong,
and is audited. A report is its organisation's to write; a published one is frozen
until it is withdrawn.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from engage.activities.models import Activity, PartnershipPriority
from engage.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from engage.core.ids import IdCheck, checked_one
from engage.core.jobs import enqueue_after_commit, tasks_can_wait
from engage.core.models import AuditAction
from engage.core.numbers import parse_id
from engage.core.services import audit_record, user_or_none
from engage.core.types import Actor
from engage.partners.models import Organisation
from engage.partnership.filters import last_whole_month, months_back
from engage.reports.easy_read import draft_points
from engage.reports.figures import report_figures
from engage.reports.models import (
    EasyReadPoint,
    JargonTerm,
    Pictogram,
    Report,
    ReportKind,
    ReportSection,
    ReportState,
)
from engage.reports.pictograms import BY_NAME
from engage.reports.sections import chosen_sections, section_spec, section_specs

TITLE_MOST = 200
NARRATIVE_MOST = 20_000
POINT_MOST = 400
MONTHS_MOST = 24
PICTURE_BYTES_MOST = 512 * 1024
PICTURE_SIDE_MOST = 2000


def _audit(actor: Actor, report: Report, action: AuditAction, summary: str) -> None:
    audit_record(
        actor=actor,
        organisation=report.organisation,
        action=action,
        subject_type="report",
        subject_id=report.pk,
        summary=summary,
    )


def _month(raw: object, *, field: str, what: str) -> dt.date:
    text = str(raw or "").strip()
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()  # noqa: DTZ007 - a month, no time
    except ValueError:
        raise InvalidInput({field: f"Enter {what} as a year and month, like 2026-04."}) from None


def _choices(
    *,
    kind: str,
    title: str,
    month_from: object,
    month_to: object,
    priority_ids: Sequence[object],
    section_keys: list[str],
    today: dt.date,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "Enter a title for the report."
    elif len(title) > TITLE_MOST:
        errors["title"] = f"The title must be {TITLE_MOST} characters or fewer."
    values["title"] = title
    for field, raw, what in (
        ("month_from", month_from, "the first month"),
        ("month_to", month_to, "the last month"),
    ):
        try:
            values[field] = _month(raw, field=field, what=what)
        except InvalidInput as error:
            errors.update(error.errors)
    if "month_from" in values and "month_to" in values:
        if values["month_from"] > values["month_to"]:
            errors["month_to"] = "The last month must be the same as the first month or after it."
        elif values["month_to"] > last_whole_month(today):
            errors["month_to"] = "The last month must have ended: choose a month before this one."
        elif months_back(values["month_to"], MONTHS_MOST - 1) > values["month_from"]:
            errors["month_from"] = f"A report covers at most {MONTHS_MOST} months."
    known = {spec.key for spec in section_specs(kind)}
    unknown = [key for key in section_keys if key not in known]
    if unknown:
        errors["sections"] = "Choose sections from the list."
    values["sections"] = [spec.key for spec in chosen_sections(kind, [k for k in section_keys if k in known])]
    ids = IdCheck()
    values["priorities"] = ids.many(
        PartnershipPriority.objects.filter(is_active=True), priority_ids, field="priorities",
        what="current partnership priority",
    )  # fmt: skip
    errors.update(ids.errors)
    if errors:
        raise InvalidInput(errors)
    return values


def report_create(
    *,
    actor: Actor,
    organisation: Organisation | None,
    kind: str,
    title: str,
    month_from: object,
    month_to: object,
    priority_ids: Sequence[object] = (),
    section_keys: list[str] | None = None,
    activity_id: object = None,
    today: dt.date | None = None,
) -> Report:
    """A new draft; its figures are worked out in the worker straight after."""
    if organisation is None:
        raise NotPermitted("Choose the organisation you are writing for first.")
    if kind not in ReportKind.values:
        raise InvalidInput({"kind": "Choose the kind of report."})
    activity = None
    today = today or timezone.localdate()
    if kind == ReportKind.ACTIVITY:
        activity = checked_one(
            Activity.objects.filter(lead_organisation=organisation, ends_on__lt=today),
            activity_id,
            field="activity",
            what="activity of your organisation's that has ended",
        )
        if activity.starts_on > last_whole_month(today):
            raise InvalidInput(
                {"activity": "This activity's month has not ended yet: write its report next month."}
            )
        month_from = month_from or f"{activity.starts_on:%Y-%m}"
        month_to = month_to or f"{min(activity.ends_on, last_whole_month(today)):%Y-%m}"
    keys = section_keys if section_keys is not None else [spec.key for spec in section_specs(kind)]
    values = _choices(
        kind=kind,
        title=title,
        month_from=month_from,
        month_to=month_to,
        priority_ids=list(priority_ids),
        section_keys=keys,
        today=today,
    )
    with transaction.atomic():
        report = Report.objects.create(
            kind=kind,
            title=values["title"],
            organisation=organisation,
            activity=activity,
            month_from=values["month_from"],
            month_to=values["month_to"],
            sections=values["sections"],
            created_by=user_or_none(actor),
            building=True,
        )
        report.priorities.set(values["priorities"])
        _audit(
            actor, report, AuditAction.CREATED, f"Started the {report.get_kind_display()} “{report.title}”."
        )
        enqueue_after_commit("engage.reports.tasks.report_build_task", report_id=report.pk)
    return report


def _pk(raw: object) -> int:
    """A record's id from a page's path or the command line: one that is not a record's
    number names nothing."""
    try:
        number = parse_id(raw, field="id")
    except InvalidInput:
        number = None
    if number is None:
        raise NotFound("There is no such record.")
    return number


def _draft(organisation: Organisation | None, report_id: object) -> Report:
    """One of the organisation's reports, still a draft, locked for the write."""
    report = Report.objects.select_for_update().filter(pk=_pk(report_id), organisation=organisation).first()
    if report is None:
        raise NotFound("There is no such report of your organisation.")
    if report.state == ReportState.PUBLISHED:
        raise Conflict("This report is published. Withdraw it before changing it.")
    return report


def report_choices_save(
    *,
    actor: Actor,
    organisation: Organisation | None,
    report_id: object,
    title: str,
    month_from: object,
    month_to: object,
    priority_ids: Sequence[object],
    section_keys: list[str],
    today: dt.date | None = None,
) -> Report:
    with transaction.atomic():
        report = _draft(organisation, report_id)
        values = _choices(
            kind=report.kind,
            title=title,
            month_from=month_from,
            month_to=month_to,
            priority_ids=priority_ids,
            section_keys=section_keys,
            today=today or timezone.localdate(),
        )
        changed_figures = (
            values["month_from"] != report.month_from
            or values["month_to"] != report.month_to
            or {p.pk for p in values["priorities"]} != set(report.priorities.values_list("pk", flat=True))
        )
        report.title, report.sections = values["title"], values["sections"]
        report.month_from, report.month_to = values["month_from"], values["month_to"]
        report.building = report.building or changed_figures
        report.save()
        report.priorities.set(values["priorities"])
        _audit(
            actor, report, AuditAction.UPDATED, "Changed the report's title, period, priorities or sections."
        )
        if changed_figures:
            enqueue_after_commit("engage.reports.tasks.report_build_task", report_id=report.pk)
    return report


def report_build(*, report_id: int) -> Report | None:
    """Work the report's figures out now (the worker calls this). A published report keeps
    the figures it was published with."""
    report = Report.objects.filter(pk=report_id).select_related("activity", "organisation").first()
    if report is None:
        return None
    if report.state == ReportState.PUBLISHED:
        Report.objects.filter(pk=report.pk).update(building=False)
        return report
    figures = report_figures(report)
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(
        figures=figures, figures_built_at=now, building=False, updated_at=now
    )
    report.refresh_from_db()
    return report


def report_rebuild(*, actor: Actor, organisation: Organisation | None, report_id: object) -> Report:
    """Ask the worker to work the figures out again, with what has happened since."""
    with transaction.atomic():
        report = _draft(organisation, report_id)
        report.building = True
        report.save(update_fields=["building", "updated_at"])
        _audit(actor, report, AuditAction.UPDATED, "Asked for the report's figures to be worked out again.")
        enqueue_after_commit("engage.reports.tasks.report_build_task", report_id=report.pk)
    return report


def report_section_save(
    *, actor: Actor, organisation: Organisation | None, report_id: object, key: str, text: str
) -> ReportSection:
    text = (text or "").replace("\r\n", "\n").strip()
    with transaction.atomic():
        report = _draft(organisation, report_id)
        spec = section_spec(report.kind, key)
        if spec is None:
            raise NotFound("This kind of report has no such section.")
        if len(text) > NARRATIVE_MOST:
            raise InvalidInput({"text": f"The section must be {NARRATIVE_MOST:,} characters or fewer."})
        section, _ = ReportSection.objects.update_or_create(report=report, key=key, defaults={"text": text})
        report.save(update_fields=["updated_at"])
        _audit(actor, report, AuditAction.UPDATED, f"Edited the section “{spec.title}”.")
    return section


def _narratives(report: Report) -> list[dict[str, Any]]:
    saved = {n.key: n.text for n in report.narratives.all()}
    worked = (report.figures or {}).get("sections", {})
    return [
        {
            "key": spec.key,
            "narrative": saved.get(spec.key, worked.get(spec.key, {}).get("draft", "")),
            "blocks": worked.get(spec.key, {}).get("blocks", []),
        }
        for spec in chosen_sections(report.kind, report.sections)
    ]


def _jargon() -> list[tuple[str, str]]:
    return list(JargonTerm.objects.values_list("term", "plain"))


def easy_read_draft(*, actor: Actor, organisation: Organisation | None, report_id: object) -> int:
    """Draft the Easy Read version again from the report, by rules, in place of the
    last: the number of points drafted."""
    with transaction.atomic():
        report = _draft(organisation, report_id)
        if not report.is_public_kind:
            raise Conflict("Only reports for the public have an Easy Read version.")
        if not report.figures:
            raise Conflict("The figures are still being worked out. Draft Easy Read once they are ready.")
        points = draft_points(_narratives(report), _jargon())
        report.easy_read_points.all().delete()
        EasyReadPoint.objects.bulk_create(
            EasyReadPoint(
                report=report, section_key=p.section_key, position=i, text=p.text, picture=p.picture
            )
            for i, p in enumerate(points)
        )
        _audit(actor, report, AuditAction.UPDATED, f"Drafted the Easy Read version ({len(points)} points).")
    return len(points)


def easy_read_point_save(
    *,
    actor: Actor,
    organisation: Organisation | None,
    report_id: object,
    point_id: object | None,
    section_key: str,
    text: str,
    picture: str,
    uploaded_picture_id: object = None,
    position: object = None,
) -> EasyReadPoint:
    """Change a point, or add one (`point_id` None) at the end of its section."""
    text = " ".join((text or "").split())
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = "Enter the words of the point."
    elif len(text) > POINT_MOST:
        errors["text"] = f"Keep a point to {POINT_MOST} characters or fewer: Easy Read needs short sentences."
    ids = IdCheck()
    uploaded = ids.one(
        Pictogram.objects.all(), uploaded_picture_id, field="uploaded_picture", what="uploaded picture"
    )
    errors.update(ids.errors)
    if picture and picture not in BY_NAME:
        errors["picture"] = "Choose a picture from the list."
    with transaction.atomic():
        report = _draft(organisation, report_id)
        if section_spec(report.kind, section_key) is None:
            errors["section_key"] = "Choose a section of this report."
        if errors:
            raise InvalidInput(errors)
        if point_id is None:
            last = report.easy_read_points.order_by("-position").values_list("position", flat=True).first()
            point = EasyReadPoint(report=report, position=(last or 0) + 1)
        else:
            found = report.easy_read_points.filter(pk=_pk(point_id)).first()
            if found is None:
                raise NotFound("There is no such point in this report's Easy Read version.")
            point = found
        point.section_key, point.text, point.picture, point.uploaded_picture = (
            section_key,
            text,
            picture,
            uploaded,
        )
        point.save()
        _audit(actor, report, AuditAction.UPDATED, "Edited a point of the Easy Read version.")
    return point


def easy_read_point_delete(
    *, actor: Actor, organisation: Organisation | None, report_id: object, point_id: object
) -> None:
    with transaction.atomic():
        report = _draft(organisation, report_id)
        deleted, _ = report.easy_read_points.filter(pk=_pk(point_id)).delete()
        if not deleted:
            raise NotFound("There is no such point in this report's Easy Read version.")
        _audit(actor, report, AuditAction.UPDATED, "Took a point out of the Easy Read version.")


def report_publish(
    *, actor: Actor, organisation: Organisation | None, report_id: object, manages_partnership: bool
) -> Report:
    """Put the report on the public site, frozen as it is. The Local Account and the
    board paper speak for the whole partnership, so only its administrators publish
    them; a report for the public needs its Easy Read version first."""
    with transaction.atomic():
        report = _draft(organisation, report_id)
        if report.kind != ReportKind.ACTIVITY and not manages_partnership:
            raise NotPermitted(
                "Only the partnership's administrators publish a report for the whole partnership."
            )
        if report.building or not report.figures:
            raise Conflict("The figures are still being worked out. Publish once they are ready.")
        if report.is_public_kind and not report.easy_read_points.exists():
            raise Conflict("Draft and check the Easy Read version before publishing.")
        report.state, report.published_at = ReportState.PUBLISHED, timezone.now()
        report.save(update_fields=["state", "published_at", "updated_at"])
        _audit(actor, report, AuditAction.UPDATED, "Published the report on the public site.")
    return report


def report_withdraw(*, actor: Actor, organisation: Organisation | None, report_id: object) -> Report:
    with transaction.atomic():
        report = (
            Report.objects.select_for_update().filter(pk=_pk(report_id), organisation=organisation).first()
        )
        if report is None:
            raise NotFound("There is no such report of your organisation.")
        if report.state != ReportState.PUBLISHED:
            raise Conflict("This report is not published.")
        report.state, report.published_at = ReportState.DRAFT, None
        report.save(update_fields=["state", "published_at", "updated_at"])
        _audit(actor, report, AuditAction.UPDATED, "Withdrew the report from the public site.")
    return report


def report_delete(*, actor: Actor, organisation: Organisation | None, report_id: object) -> None:
    with transaction.atomic():
        report = _draft(organisation, report_id)
        _audit(actor, report, AuditAction.DELETED, f"Deleted the draft report “{report.title}”.")
        report.delete()


# --- The partnership's jargon list and uploaded pictures ---------------------------------


def jargon_save(*, actor: Actor, term: str, plain: str) -> JargonTerm:
    term, plain = " ".join((term or "").split()), " ".join((plain or "").split())
    errors = {}
    if not term:
        errors["term"] = "Enter the word or phrase to avoid."
    elif len(term) > 80:
        errors["term"] = "The word or phrase must be 80 characters or fewer."
    if not plain:
        errors["plain"] = "Enter the plainer words to use instead."
    elif len(plain) > 200:
        errors["plain"] = "The plainer words must be 200 characters or fewer."
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        found = JargonTerm.objects.filter(term__iexact=term).first()
        entry = found or JargonTerm(term=term)
        entry.plain = plain
        entry.save()
        audit_record(
            actor=actor,
            organisation=None,
            action=AuditAction.UPDATED,
            subject_type="jargon list",
            subject_id=entry.pk,
            summary=f"Set the plainer words for “{term}”.",
        )
    return entry


def jargon_delete(*, actor: Actor, term_id: object) -> None:
    with transaction.atomic():
        entry = JargonTerm.objects.filter(pk=_pk(term_id)).first()
        if entry is None:
            raise NotFound("There is no such word in the jargon list.")
        audit_record(
            actor=actor,
            organisation=None,
            action=AuditAction.DELETED,
            subject_type="jargon list",
            subject_id=entry.pk,
            summary=f"Took “{entry.term}” off the jargon list.",
        )
        entry.delete()


def pictogram_upload(
    *,
    actor: Actor,
    organisation: Organisation | None,
    name: str,
    description: str,
    licence: str,
    content: bytes,
    file_name: str = "picture",
) -> Pictogram:
    """A picture for Easy Read, checked to be a PNG or JPEG of a sensible size, and
    saved again as PNG: whatever else the file carried (its camera, its place) is left
    behind. SVG is refused: a drawing can carry a script."""
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415 - only here

    name, description = " ".join((name or "").split()), " ".join((description or "").split())
    errors: dict[str, str] = {}
    if organisation is None:
        raise NotPermitted("Choose the organisation you are uploading for first.")
    if not name or len(name) > 80:
        errors["name"] = "Enter a name for the picture, 80 characters or fewer."
    elif Pictogram.objects.filter(name__iexact=name).exists() or name.lower() in BY_NAME:
        errors["name"] = "There is already a picture with this name. Choose another."
    if not description or len(description) > 200:
        errors["description"] = (
            "Say what the picture shows, in 200 characters or fewer (blind readers hear it)."
        )
    png = b""
    if not content:
        errors["file"] = "Choose a picture to upload."
    elif len(content) > PICTURE_BYTES_MOST:
        errors["file"] = f"{file_name}: the picture must be {PICTURE_BYTES_MOST // 1024} KB or smaller."
    else:
        try:
            with Image.open(io.BytesIO(content)) as image:
                if image.format not in ("PNG", "JPEG"):
                    errors["file"] = f"{file_name}: upload a PNG or JPEG picture."
                elif max(image.size) > PICTURE_SIDE_MOST:
                    errors["file"] = (
                        f"{file_name}: the picture must be at most {PICTURE_SIDE_MOST} pixels on each side."
                    )
                else:
                    out = io.BytesIO()
                    image.convert("RGBA").save(out, format="PNG")
                    png = out.getvalue()
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
            errors["file"] = f"{file_name}: this is not a picture we can read. Upload a PNG or JPEG."
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        pictogram = Pictogram.objects.create(
            name=name,
            description=description,
            licence=(licence or "").strip()[:200],
            content_type="image/png",
            data=png,
            organisation=organisation,
        )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CREATED,
            subject_type="picture",
            subject_id=pictogram.pk,
            summary=f"Uploaded the picture “{name}” for Easy Read.",
        )
    return pictogram


# A draft's figures follow a new analysis (its themes change), once the picture and the
# board have been worked out again (they follow it 30 seconds and 3 minutes after).
AFTER_ANALYSIS = dt.timedelta(minutes=4)


def drafts_rebuild() -> int:
    """Work every draft's figures out again: the number of drafts."""
    ids = list(Report.objects.filter(state=ReportState.DRAFT).values_list("pk", flat=True))
    for report_id in ids:
        report_build(report_id=report_id)
    return len(ids)


def on_analysis_landed(sender: object, **_: Any) -> None:
    """Only where tasks can wait (see the board's own, evaluation/board/services.py)."""
    if tasks_can_wait():
        enqueue_after_commit(
            "engage.reports.tasks.drafts_rebuild_task", run_after=timezone.now() + AFTER_ANALYSIS
        )
