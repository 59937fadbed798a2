"""Keeping the partnership's picture: one organisation's part of the summary table
rebuilt from its shared conversations (ADR 0050).

When: at once, in the same transaction, when an organisation shares less
(sharing/services.py), so its figures are out before the page that chose it returns; in
the worker when it shares more, and a little after an analysis lands, a person reviews a
conversation's themes, or conversations are deleted or erased (the signals apps.py
listens to), so a burst of reviews is one rebuild, not fifty. Each rebuild deletes the
organisation's rows and writes them again: simple, and right whatever changed.

Two rebuilds of one organisation (the worker's, and a request's that narrowed what it
shares) take turns: each first takes the organisation's row of `PictureState` for
update, then reads what is shared, so the later one always reads the other's committed
choice and no rebuild from an older choice can land over a newer one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from engage.conversations.models import Conversation
from engage.core.bulk import rows_insert
from engage.core.jobs import enqueue_after_commit, tasks_can_wait
from engage.insight.framework.services import framework_in_use
from engage.partners.models import Organisation
from engage.partnership.cells import picture_cells
from engage.partnership.models import ActivityThemeCount, PictureCount, PictureState, SharingLevel
from engage.partnership.sharing.selectors import conversations_shared

# How long the worker waits before a rebuild it was asked for, so that the changes of
# the next few seconds (a reviewer's next conversations) are in the same one.
REFRESH_DELAY = dt.timedelta(seconds=30)
_FIELDS = (
    "organisation_id", "organisation_kind", "month", "facet", "value", "topic", "category_id",
    "conversations", "weighted", "positive", "positive_weighted", "neutral", "neutral_weighted",
    "negative", "negative_weighted",
)  # fmt: skip


def picture_refresh(*, organisation_id: int) -> int:
    """Rebuild one organisation's part of the picture from the conversations it shares
    now. Answers how many conversations are in it."""
    organisation = Organisation.objects.get(pk=organisation_id)
    framework = framework_in_use()
    shared = conversations_shared(
        Conversation.objects.for_organisation(organisation), minimum=SharingLevel.COUNTS
    )
    with transaction.atomic():
        # The organisation's turn (see the notes above): on PostgreSQL the row is locked
        # until this transaction ends; on SQLite every transaction takes the write lock
        # as it begins (IMMEDIATE, config/settings.py), so rebuilds take turns anyway.
        PictureState.objects.update_or_create(
            organisation_id=organisation_id, defaults={"refreshed_at": timezone.now()}
        )
        PictureState.objects.select_for_update().filter(organisation_id=organisation_id).first()
        cells, by_activity = picture_cells(shared, framework=framework)
        PictureCount.objects.filter(organisation_id=organisation_id).delete()
        ActivityThemeCount.objects.filter(organisation_id=organisation_id).delete()
        rows_insert(
            ActivityThemeCount,
            ("organisation_id", "activity_id", "category_id", "conversations"),
            (
                (organisation_id, activity_id, category_id, n)
                for (activity_id, category_id), n in by_activity.items()
            ),
        )
        rows_insert(
            PictureCount,
            _FIELDS,
            (
                (organisation_id, organisation.kind, month, facet, value, topic, category_id,
                 t.conversations, t.weighted, t.positive, t.positive_weighted, t.neutral,
                 t.neutral_weighted, t.negative, t.negative_weighted)
                for (month, facet, value, topic, category_id), t in cells.items()
            ),
        )  # fmt: skip
        counted = sum(
            t.conversations
            for (_, facet, _, topic, _), t in cells.items()
            if facet == "all" and topic == "all"
        )
        PictureState.objects.update_or_create(
            organisation_id=organisation_id,
            defaults={"refreshed_at": timezone.now(), "conversations": counted},
        )
    return counted


def picture_refresh_all() -> int:
    """Rebuild every organisation's part (after the framework in use changes, say)."""
    return sum(
        picture_refresh(organisation_id=pk)
        for pk in Organisation.objects.order_by("pk").values_list("pk", flat=True)
    )


def picture_refresh_later(*, organisation_id: int | None) -> None:
    """Ask the worker to rebuild one organisation's part (None: every organisation's) a
    little after this transaction commits; a rebuild that finds a newer one since it was
    asked for does nothing."""
    asked = timezone.now()
    enqueue_after_commit(
        "engage.partnership.tasks.picture_refresh_task",
        run_after=asked + REFRESH_DELAY if tasks_can_wait() else None,
        organisation_id=organisation_id,
        asked_at=asked.isoformat(),
    )


def picture_refresh_asked(*, organisation_id: int | None, asked_at: dt.datetime) -> int:
    """The worker's side of `picture_refresh_later`: each organisation not rebuilt since."""
    ids = (
        [organisation_id]
        if organisation_id is not None
        else list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    )
    fresh = set(
        PictureState.objects.filter(organisation_id__in=ids, refreshed_at__gt=asked_at).values_list(
            "organisation_id", flat=True
        )
    )
    done = 0
    for pk in ids:
        if pk not in fresh and Organisation.objects.filter(pk=pk).exists():
            done += picture_refresh(organisation_id=pk)
    return done


# The listeners (apps.py connects them): what changes the figures, from the apps below.


def on_analysis_landed(sender: object, **_: Any) -> None:
    picture_refresh_later(organisation_id=None)


def on_organisation_changed(sender: object, *, organisation_id: int, **_: Any) -> None:
    picture_refresh_later(organisation_id=organisation_id)


def on_person_erasing(sender: object, *, organisation: Organisation, **_: Any) -> None:
    picture_refresh_later(organisation_id=organisation.pk)
