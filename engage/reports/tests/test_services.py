"""Writing reports: bad input named field by field with nothing saved, a published report
frozen, the partnership's reports published by its administrators only, quotes read
while consent stands, pictures checked, the jargon list kept."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from docx import Document as WordDocument
from PIL import Image

from engage.activities.tests.factories import ActivityFactory, PriorityFactory
from engage.conversations.models import Quote, QuoteStatus
from engage.conversations.tests.factories import ConversationFactory
from engage.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from engage.partners.tests.factories import OrganisationFactory
from engage.reports import services
from engage.reports.defaults import JARGON
from engage.reports.document import report_document
from engage.reports.files import report_file
from engage.reports.models import JargonTerm, Pictogram, Report, ReportState
from engage.reports.tests.factories import EasyReadPointFactory, ReportFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 8)


def _create(**changes: object) -> Report:
    values: dict[str, object] = {
        "actor": None,
        "organisation": OrganisationFactory(),
        "kind": "local_account",
        "title": "Our Local Account",
        "month_from": "2025-04",
        "month_to": "2026-03",
        "today": TODAY,
    }
    values.update(changes)
    return services.report_create(**values)  # type: ignore[arg-type]


def test_a_report_is_made_with_its_choices_and_its_figures_worked_out(
    django_capture_on_commit_callbacks: Any,
) -> None:
    priority = PriorityFactory()
    with django_capture_on_commit_callbacks(execute=True):
        report = _create(priority_ids=[str(priority.pk)], section_keys=["heard"])
    assert report.building
    assert not report.figures
    queued = DBTaskResult.objects.get(task_path="engage.reports.tasks.report_build_task")
    assert queued.args_kwargs["kwargs"] == {"report_id": report.pk}
    services.report_build(report_id=report.pk)  # as the worker does
    report.refresh_from_db()
    assert report.sections == ["summary", "heard", "next"]  # the ones it must have, in order
    assert list(report.priorities.all()) == [priority]
    assert not report.building
    assert report.figures_built_at is not None
    assert report.figures["period"]["label"] == "April 2025 to March 2026"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"title": " "}, "title", "Enter a title"),
        ({"title": "x" * 201}, "title", "200 characters"),
        ({"month_from": "April"}, "month_from", "like 2026-04"),
        ({"month_to": "2026-13"}, "month_to", "like 2026-04"),
        ({"month_from": "2026-03", "month_to": "2025-04"}, "month_to", "same as the first month or after"),
        ({"month_to": "2026-12"}, "month_to", "must have ended"),
        ({"month_from": "2023-01", "month_to": "2026-03"}, "month_from", "at most 24 months"),
        ({"section_keys": ["summary", "nonsense"]}, "sections", "Choose sections"),
        (
            {"priority_ids": ["999999"]},
            "priorities",
            "no current partnership priority with the number 999999",
        ),
        ({"priority_ids": ["one"]}, "priorities", "digits 0 to 9"),
        ({"priority_ids": ["\u0663"]}, "priorities", "digits 0 to 9"),  # an Arabic-Indic 3, which int() reads
    ],
)
def test_bad_choices_are_named_and_nothing_is_saved(
    changes: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        _create(**changes)
    assert words in raised.value.errors[field]
    assert not Report.objects.exists()


def test_an_activity_report_is_only_for_an_activity_of_ones_own() -> None:
    activity = ActivityFactory(starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2026, 2, 20))
    with pytest.raises(InvalidInput) as raised:
        _create(kind="activity", activity_id=activity.pk, month_from=None, month_to=None)
    assert "no activity of your organisation's that has ended" in raised.value.errors["activity"]
    report = _create(
        kind="activity",
        organisation=activity.lead_organisation,
        activity_id=activity.pk,
        month_from=None,
        month_to=None,
    )
    assert (report.month_from, report.month_to) == (dt.date(2026, 1, 1), dt.date(2026, 2, 1))


def test_only_the_partnerships_administrators_publish_its_reports_and_easy_read_comes_first() -> None:
    report = ReportFactory()
    services.report_build(report_id=report.pk)
    mine = {"actor": None, "organisation": report.organisation, "report_id": report.pk}
    with pytest.raises(NotPermitted):
        services.report_publish(**mine, manages_partnership=False)
    with pytest.raises(Conflict, match="Easy Read"):
        services.report_publish(**mine, manages_partnership=True)
    assert services.easy_read_draft(**mine) > 0
    services.report_publish(**mine, manages_partnership=True)
    report.refresh_from_db()
    assert report.state == ReportState.PUBLISHED
    assert report.published_at is not None


def test_a_published_report_is_frozen_until_withdrawn_and_another_partner_cannot_touch_it() -> None:
    report = ReportFactory(state=ReportState.PUBLISHED, figures={"sections": {}, "period": {"label": ""}})
    mine = {"actor": None, "organisation": report.organisation, "report_id": report.pk}
    for write in (
        lambda: services.report_section_save(**mine, key="summary", text="Changed"),
        lambda: services.easy_read_draft(**mine),
        lambda: services.report_rebuild(**mine),
        lambda: services.report_delete(**mine),
    ):
        with pytest.raises(Conflict):
            write()
    built_at = report.figures_built_at
    services.report_build(report_id=report.pk)  # the worker keeps a published report's figures
    report.refresh_from_db()
    assert report.figures_built_at == built_at
    other = {"actor": None, "organisation": OrganisationFactory(), "report_id": report.pk}
    with pytest.raises(NotFound):
        services.report_withdraw(**other)
    services.report_withdraw(**mine)
    services.report_section_save(**mine, key="summary", text="Changed")
    with pytest.raises(NotFound):
        services.report_section_save(**other, key="summary", text="Theirs")
    with pytest.raises(NotFound):
        services.report_section_save(**mine, key="no-such-section", text="x")
    assert report.narratives.get().text == "Changed"


def test_a_quote_shows_only_while_its_consent_stands() -> None:
    conversation = ConversationFactory(text="The nurse listened to me and explained everything clearly.")
    Quote.objects.create(
        conversation=conversation,
        status=QuoteStatus.APPROVED,
        text=conversation.text,
        decided_at=timezone.now(),
    )
    report = ReportFactory(
        figures={
            "period": {"label": "A year"},
            "sections": {
                "heard": {"blocks": [{"type": "quotes", "conversations": [conversation.pk]}], "draft": ""}
            },
        }
    )
    shown = [b for s in report_document(report).sections for b in s.blocks if b["type"] == "quotes"]
    assert shown[0]["texts"] == ["The nurse listened to me and explained everything clearly."]
    conversation.consent_to_quote = False
    conversation.save()
    assert not [b for s in report_document(report).sections for b in s.blocks if b["type"] == "quotes"]
    assert "nurse" not in str(report.figures)  # the report never kept the words


def test_easy_read_points_are_checked_and_kept_to_their_report() -> None:
    report = ReportFactory(figures={"sections": {}, "period": {"label": ""}})
    point = EasyReadPointFactory(report=report)
    mine = {"actor": None, "organisation": report.organisation, "report_id": report.pk}
    with pytest.raises(InvalidInput) as raised:
        services.easy_read_point_save(
            **mine,
            point_id=point.pk,
            section_key="nowhere",
            text=" ",
            picture="unicorn",
            uploaded_picture_id="9",
        )
    assert set(raised.value.errors) == {"text", "picture", "uploaded_picture", "section_key"}
    other_point = EasyReadPointFactory()
    with pytest.raises(NotFound):
        services.easy_read_point_save(
            **mine, point_id=other_point.pk, section_key="summary", text="Hi", picture=""
        )
    saved = services.easy_read_point_save(
        **mine, point_id=None, section_key="next", text="We will  **tell you**  what happens.", picture="next"
    )
    assert saved.text == "We will **tell you** what happens."
    assert saved.position == point.position + 1
    services.easy_read_point_delete(**mine, point_id=point.pk)
    with pytest.raises(NotFound):
        services.easy_read_point_delete(**mine, point_id=other_point.pk)


def _png(size: tuple[int, int] = (64, 64), kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "blue").save(out, format=kind)
    return out.getvalue()


def test_an_uploaded_picture_is_checked_and_saved_again_as_png() -> None:
    organisation = OrganisationFactory()
    upload = {
        "actor": None,
        "organisation": organisation,
        "name": "Our hub",
        "description": "The hub",
        "licence": "",
    }
    for content, words in (
        (b"", "Choose a picture"),
        (b"<svg onload='alert(1)'></svg>", "not a picture we can read"),
        (_png(kind="GIF"), "PNG or JPEG"),
        (_png((2100, 10)), "2000 pixels"),
        (b"x" * (services.PICTURE_BYTES_MOST + 1), "512 KB"),
    ):
        with pytest.raises(InvalidInput) as raised:
            services.pictogram_upload(**upload, content=content, file_name="hub.png")
        assert words in raised.value.errors["file"]
    assert not Pictogram.objects.exists()
    picture = services.pictogram_upload(**upload, content=_png(kind="JPEG"), file_name="hub.jpg")
    assert picture.content_type == "image/png"
    assert bytes(picture.data).startswith(b"\x89PNG")
    with pytest.raises(InvalidInput) as raised:
        services.pictogram_upload(**{**upload, "name": "our HUB"}, content=_png())
    assert "already a picture" in raised.value.errors["name"]


def test_the_jargon_list_starts_full_and_is_kept_by_the_partnership() -> None:
    assert JargonTerm.objects.count() == len(JARGON)
    entry = services.jargon_save(actor=None, term="Stakeholders", plain="people who care about it")
    assert JargonTerm.objects.get(pk=entry.pk).plain == "people who care about it"
    assert JargonTerm.objects.count() == len(JARGON)  # changed, not added
    with pytest.raises(InvalidInput) as raised:
        services.jargon_save(actor=None, term="", plain="")
    assert set(raised.value.errors) == {"term", "plain"}
    services.jargon_delete(actor=None, term_id=entry.pk)
    with pytest.raises(NotFound):
        services.jargon_delete(actor=None, term_id=entry.pk)


def _word_text(content: bytes) -> str:
    return " ".join(p.text for p in WordDocument(io.BytesIO(content)).paragraphs)


def test_a_kept_file_never_outlives_its_words_its_figures_or_a_quotes_consent() -> None:
    conversation = ConversationFactory(text="The nurse listened to me and explained everything clearly.")
    Quote.objects.create(
        conversation=conversation,
        status=QuoteStatus.APPROVED,
        text=conversation.text,
        decided_at=timezone.now(),
    )
    report = ReportFactory(
        figures={
            "period": {"label": "A year"},
            "sections": {
                "heard": {"blocks": [{"type": "quotes", "conversations": [conversation.pk]}], "draft": ""}
            },
        }
    )
    mine = {"actor": None, "organisation": report.organisation, "report_id": report.pk}
    first, _ = report_file(report, version="report", extension="docx")
    assert "The nurse listened to me" in _word_text(first)
    assert report_file(report, version="report", extension="docx")[0] == first  # kept
    services.report_section_save(**mine, key="summary", text="Words written since.")
    report.refresh_from_db()
    assert "Words written since." in _word_text(report_file(report, version="report", extension="docx")[0])
    conversation.consent_to_quote = False
    conversation.save()
    assert "The nurse" not in _word_text(report_file(report, version="report", extension="docx")[0])
