"""The board's page: the six questions, each with its figures, trend, source, evidence
and assurance level, as the worker last worked them out (selectors.py says why)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from engage.core.access import require_permission
from engage.core.http import ScopedRequest
from engage.core.jobs import enqueue_after_commit
from engage.core.roles import Permission
from engage.evaluation.board import assurance
from engage.evaluation.board.selectors import board_latest


@require_permission(Permission.VIEW_AGGREGATES)
@require_GET
def board(request: ScopedRequest) -> HttpResponse:
    snapshot = board_latest()
    return render(
        request,
        "evaluation/board/board.html",
        {
            "snapshot": snapshot,
            "figures": snapshot.figures if snapshot else None,
            "level_words": assurance.LEVEL_WORDS,
            "level_colours": assurance.LEVEL_COLOURS,
            "manages": Permission.MANAGE_PARTNERSHIP in request.permissions,
        },
    )


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_POST
def board_refresh(request: ScopedRequest) -> HttpResponse:
    """Work the page out again in the worker (it reads every conversation)."""
    enqueue_after_commit("engage.evaluation.tasks.board_refresh_task")
    messages.success(request, "The figures are being worked out again. Reload this page in a minute or two.")
    return redirect("board:board")
