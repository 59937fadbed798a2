"""The self-assessment's staff pages: every role reads the rounds' results, the trends
and the objectives; the partnership's administrators open and close rounds, make the
scoring links, and keep the statements, objectives and pledge. A round's results are
shown only once it closes: figures that changed as each sheet came in would tell a
watcher what the latest scorer gave."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from engage.core.access import require_permission
from engage.core.errors import Conflict, InvalidInput, NotFound
from engage.core.forms import show_on_form
from engage.core.http import ScopedRequest
from engage.core.roles import Permission
from engage.evaluation.models import ProgressStatus, ScorerGroup
from engage.evaluation.selectors import principle_list
from engage.evaluation.self_assessment import selectors, services
from engage.evaluation.self_assessment.forms import (
    ActionForm,
    LinksForm,
    ObjectiveForm,
    PrincipleForm,
    RoundOpenForm,
    StatementForm,
)


def _manages(request: ScopedRequest) -> bool:
    return Permission.MANAGE_PARTNERSHIP in request.permissions


def _must_manage(request: ScopedRequest) -> None:
    if not _manages(request):
        raise PermissionDenied("Lacks the permission manage_partnership.")


def _overview(request: ScopedRequest, open_form: RoundOpenForm, status: int = 200) -> HttpResponse:
    current = selectors.open_round()
    return render(
        request,
        "evaluation/self_assessment/overview.html",
        {
            "current": current,
            "links": selectors.link_counts(current) if current else [],
            "rounds": selectors.round_list(),
            "open_form": open_form,
            "manages": _manages(request),
        },
        status=status,
    )


@require_permission(Permission.VIEW_AGGREGATES)
@require_GET
def overview(request: ScopedRequest) -> HttpResponse:
    return _overview(request, RoundOpenForm())


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_POST
def round_open(request: ScopedRequest) -> HttpResponse:
    form = RoundOpenForm(request.POST)
    if form.is_valid():
        try:
            scoring = services.round_open(actor=request.user, title=form.cleaned_data["title"])
        except InvalidInput as error:
            show_on_form(form, error)
        except Conflict as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, f"The round “{scoring.title}” is open. Make the links for each group below."
            )
            return redirect("self_assessment:overview")
    return _overview(request, form, status=400)


def _round(round_id: int) -> Any:
    scoring = selectors.round_get(round_id=round_id)
    if scoring is None:
        raise NotFound("There is no such round of the self-assessment.")
    return scoring


@require_permission(Permission.VIEW_AGGREGATES)
@require_GET
def round_detail(request: ScopedRequest, round_id: int) -> HttpResponse:
    scoring = _round(round_id)
    return render(
        request,
        "evaluation/self_assessment/round.html",
        {
            "round": scoring,
            "results": None if scoring.is_open else selectors.round_results(scoring),
            "comments": None if scoring.is_open else selectors.round_comments(scoring),
            "links": selectors.link_counts(scoring),
            "links_form": LinksForm(),
            "manages": _manages(request),
            "min_shown": selectors.MIN_SHOWN,
        },
    )


@never_cache
@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_POST
def links_make(request: ScopedRequest, round_id: int) -> HttpResponse:
    """Make links and show them this once: only their digests are kept."""
    scoring = _round(round_id)
    form = LinksForm(request.POST)
    if form.is_valid():
        try:
            made = services.scoring_links_make(
                actor=request.user,
                round_id=scoring.pk,
                group=form.cleaned_data["group"],
                count=form.cleaned_data["count"],
            )
        except InvalidInput as error:
            show_on_form(form, error)
        else:
            links = [
                request.build_absolute_uri(reverse("site:score", kwargs={"token": t})) for t in made.tokens
            ]
            # Never kept by a browser or proxy: `never_cache` marks it no-store.
            return render(
                request,
                "evaluation/self_assessment/links.html",
                {"round": scoring, "group": ScorerGroup(made.group).label, "links": links},
            )
    return render(
        request,
        "evaluation/self_assessment/round.html",
        {
            "round": scoring,
            "results": None,
            "comments": None,
            "links": selectors.link_counts(scoring),
            "links_form": form,
            "manages": True,
            "min_shown": selectors.MIN_SHOWN,
        },
        status=400,
    )


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_POST
def round_close(request: ScopedRequest, round_id: int) -> HttpResponse:
    scoring = _round(round_id)
    try:
        services.round_close(actor=request.user, round_id=scoring.pk)
    except InvalidInput as error:
        messages.error(request, " ".join(error.errors.values()))
    else:
        messages.success(request, f"The round “{scoring.title}” is closed; its results are below.")
    return redirect("self_assessment:round", round_id=scoring.pk)


@require_permission(Permission.VIEW_AGGREGATES)
@require_GET
def trends(request: ScopedRequest) -> HttpResponse:
    return render(
        request,
        "evaluation/self_assessment/trends.html",
        {"trends": selectors.statement_trends(), "min_shown": selectors.MIN_SHOWN},
    )


@require_permission(Permission.VIEW_AGGREGATES)
@require_http_methods(["GET", "POST"])
def statements(request: ScopedRequest) -> HttpResponse:
    form = StatementForm(request.POST or None)
    if request.method == "POST":
        _must_manage(request)
        if form.is_valid():
            try:
                services.statement_save(actor=request.user, **form.cleaned_data)
            except InvalidInput as error:
                show_on_form(form, error)
            else:
                messages.success(request, "Saved the statement.")
                return redirect("self_assessment:statements")
    return render(
        request,
        "evaluation/self_assessment/statements.html",
        {"statements": selectors.statement_list(), "form": form, "manages": _manages(request)},
        status=400 if form.errors else 200,
    )


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_POST
def statement_edit(request: ScopedRequest, statement_id: int) -> HttpResponse:
    """Retire a statement, or use it again (the list's buttons)."""
    form = StatementForm(request.POST)
    if form.is_valid():
        try:
            services.statement_save(actor=request.user, statement_id=statement_id, **form.cleaned_data)
        except InvalidInput as error:
            messages.error(request, " ".join(error.errors.values()))
        else:
            messages.success(request, "Saved the statement.")
            return redirect("self_assessment:statements")
    else:
        messages.error(request, "Enter the statement's words.")
    return render(
        request,
        "evaluation/self_assessment/statements.html",
        {"statements": selectors.statement_list(), "form": StatementForm(), "manages": True},
        status=400,
    )


@require_permission(Permission.VIEW_AGGREGATES)
@require_GET
def objectives(request: ScopedRequest) -> HttpResponse:
    return render(
        request,
        "evaluation/self_assessment/objectives.html",
        {
            "objectives": selectors.objective_list(),
            "manages": _manages(request),
            "statuses": dict(ProgressStatus.choices),
        },
    )


def _objective_saved(request: ScopedRequest, form: ObjectiveForm, objective_id: int | None) -> Any:
    try:
        return services.objective_save(
            actor=request.user,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            owner=form.cleaned_data["owner"],
            due_on=form.cleaned_data["due_on"],
            status=form.cleaned_data["status"],
            statement_ids=form.cleaned_data["statements"],
            activity_ids=form.activity_ids(),
            objective_id=objective_id,
        )
    except InvalidInput as error:
        show_on_form(form, error)
        return None


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_http_methods(["GET", "POST"])
def objective_create(request: ScopedRequest) -> HttpResponse:
    form = ObjectiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        objective = _objective_saved(request, form, None)
        if objective is not None:
            messages.success(request, "Saved the objective. Add its actions below.")
            return redirect("self_assessment:objective", objective_id=objective.pk)
    return render(
        request, "evaluation/self_assessment/objective_form.html", {"form": form, "objective": None},
        status=400 if form.errors else 200,
    )  # fmt: skip


def _objective(objective_id: int) -> Any:
    objective = selectors.objective_get(objective_id=objective_id)
    if objective is None:
        raise NotFound("There is no such objective.")
    return objective


def _objective_page(
    request: ScopedRequest,
    objective: Any,
    *,
    form: ObjectiveForm | None = None,
    action_form: ActionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    initial = {
        "title": objective.title,
        "description": objective.description,
        "owner": objective.owner,
        "due_on": objective.due_on,
        "status": objective.status,
        "statements": [str(s.pk) for s in objective.statements.all()],
        "activities": ", ".join(str(a.pk) for a in objective.activities.all()),
    }
    progress = next(iter(selectors.objective_list(objective_id=objective.pk)), None)
    return render(
        request,
        "evaluation/self_assessment/objective.html",
        {
            "objective": objective,
            "progress": progress,
            "form": form or ObjectiveForm(initial=initial),
            "action_form": action_form or ActionForm(prefix="action"),
            "manages": _manages(request),
            "statuses": dict(ProgressStatus.choices),
        },
        status=status,
    )


@require_permission(Permission.VIEW_AGGREGATES)
@require_http_methods(["GET", "POST"])
def objective_detail(request: ScopedRequest, objective_id: int) -> HttpResponse:
    objective = _objective(objective_id)
    if request.method == "GET":
        return _objective_page(request, objective)
    _must_manage(request)
    form = ObjectiveForm(request.POST)
    if form.is_valid() and _objective_saved(request, form, objective.pk) is not None:
        messages.success(request, "Saved the objective.")
        return redirect("self_assessment:objective", objective_id=objective.pk)
    return _objective_page(request, objective, form=form, status=400)


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_POST
def action_save(request: ScopedRequest, objective_id: int, action_id: int | None = None) -> HttpResponse:
    objective = _objective(objective_id)
    form = ActionForm(request.POST, prefix="action")
    if form.is_valid():
        try:
            services.objective_action_save(
                actor=request.user, objective_id=objective.pk, action_id=action_id, **form.cleaned_data
            )
        except InvalidInput as error:
            show_on_form(form, error)
        else:
            messages.success(request, "Saved the action.")
            return redirect(
                reverse("self_assessment:objective", kwargs={"objective_id": objective.pk}) + "#actions"
            )
    messages.error(request, "The action was not saved: see below.")
    return _objective_page(request, objective, action_form=form, status=400)


@require_permission(Permission.VIEW_AGGREGATES)
@require_http_methods(["GET", "POST"])
def principles(request: ScopedRequest) -> HttpResponse:
    form = PrincipleForm(request.POST or None)
    if request.method == "POST":
        _must_manage(request)
        if form.is_valid():
            try:
                services.principle_save(
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    is_active=form.cleaned_data["is_active"],
                    principle_id=request.POST.get("principle") or None,
                )
            except InvalidInput as error:
                show_on_form(form, error)
            else:
                messages.success(request, "Saved the principle.")
                return redirect("self_assessment:principles")
    return render(
        request,
        "evaluation/self_assessment/principles.html",
        {"principles": principle_list(active_only=False), "form": form, "manages": _manages(request)},
        status=400 if form.errors else 200,
    )
