"""Working out the board's page and keeping it (see selectors.py for why it is kept).
The worker does it each night (evaluation/tasks.py); an administrator can ask for it
now; the newest KEEP snapshots are kept, so a page is never without one while the next
is being worked out."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from engage.core.jobs import enqueue_after_commit, tasks_can_wait
from engage.core.models import AuditAction
from engage.core.services import audit_record
from engage.core.types import Actor
from engage.evaluation.board.selectors import board_figures
from engage.evaluation.models import BoardSnapshot

KEEP = 14


def board_refresh(*, actor: Actor = None) -> BoardSnapshot:
    started = time.perf_counter()
    figures = board_figures()
    with transaction.atomic():
        snapshot = BoardSnapshot.objects.create(
            figures=figures, built_at=timezone.now(), build_seconds=round(time.perf_counter() - started, 3)
        )
        old = BoardSnapshot.objects.order_by("-built_at", "-pk").values_list("pk", flat=True)[KEEP:]
        BoardSnapshot.objects.filter(pk__in=list(old)).delete()
        if actor is not None:
            audit_record(
                actor=actor,
                organisation=None,
                action=AuditAction.UPDATED,
                subject_type="board page",
                subject_id=snapshot.pk,
                summary="Asked for the board's page to be worked out again.",
            )
    return snapshot


# The picture rebuilds 30 seconds after an analysis lands (partnership/services.py); the
# board follows once that is done.
AFTER_ANALYSIS = dt.timedelta(minutes=3)


def on_analysis_landed(sender: object, **_: Any) -> None:
    """Work the board out again a little after an analysis lands. Only where tasks can
    wait: a backend that runs them at once (the tests') would rebuild it inside every
    analysis, and the nightly run does it anyway."""
    if tasks_can_wait():
        enqueue_after_commit(
            "engage.evaluation.tasks.board_refresh_task", run_after=timezone.now() + AFTER_ANALYSIS
        )
