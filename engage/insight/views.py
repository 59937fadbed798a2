"""Staff pages of insight: the themes of a set of conversations, the review queue where
people teach the model, and the models and analysis runs.

Themes are aggregates with consented, redacted quotes. The review queue shows only the
redacted text, so analysts (who hold no personal data) can label too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from engage.activities.selectors import activity_list, priority_list
from engage.conversations.models import Channel
from engage.conversations.services import conversations_exported_record, conversations_listed_record
from engage.core.access import require_permission
from engage.core.errors import DomainError, InvalidInput
from engage.core.exports import XLSX_CONTENT_TYPE
from engage.core.forms import show_on_form
from engage.core.http import ScopedRequest, back_with_message, int_param, int_params
from engage.core.progress import job_progress_json
from engage.core.roles import Permission
from engage.core.upload_limit import allow_uploads_up_to, explain_stopped_upload
from engage.decisions.selectors import decision_choices, decision_counts_by_theme
from engage.insight import exports, selectors, services
from engage.insight.counts import GROUPINGS, conversation_rows, theme_counts
from engage.insight.filters import filtered_conversations, theme_filters
from engage.insight.forms import CategoryAddForm, FrameworkLoadForm
from engage.insight.framework import services as framework_services
from engage.insight.framework.file import MAX_BYTES as FRAMEWORK_MAX_BYTES
from engage.insight.framework.selectors import themes_always_together, training_readiness
from engage.insight.models import AnalysisRun, Category, ModelTraining, RunStatus, Sentiment
from textkit.classify import MIN_EXAMPLES


@require_permission(Permission.VIEW_THEMES)
def themes(request: ScopedRequest) -> HttpResponse:
    """What the conversations of a set are about: counts, share, sentiment, trend, quotes."""
    filters = theme_filters(request.GET)
    framework = framework_services.framework_in_use()
    summary = selectors.themes_summary(
        filtered_conversations(request.organisation, request.permissions, filters), framework=framework
    )
    return render(
        request,
        "insight/themes.html",
        {
            "summary": summary,
            "filters": filters,
            "framework": framework,
            "channels": Channel.choices,
            "sentiments": Sentiment.choices,
            "groupings": list(GROUPINGS.items()),
            "activities": activity_list(organisation_id=getattr(request.organisation, "pk", None))[:200],
            "priorities": priority_list(),
            "running": _running(selectors.analysis_run_current()),
            # The trail from a theme to the decisions it informed, and "use as evidence for…".
            "decided": decision_counts_by_theme(),
            "decision_choices": decision_choices()
            if Permission.RECORD_DECISIONS in request.permissions
            else [],
        },
    )


@require_permission(Permission.VIEW_THEMES)
@require_GET
def themes_export(request: ScopedRequest, file_format: str) -> HttpResponse:
    """The themes page's set, each theme and sub-theme counted by a grouping, as CSV or
    Excel: the organisation's own conversations, as the page shows them."""
    if file_format not in ("csv", "xlsx"):
        raise Http404("Themes download as themes.csv or themes.xlsx.")
    by = request.GET.get("by") or "month"
    if by not in GROUPINGS:
        raise InvalidInput({"by": f"Count by one of: {', '.join(GROUPINGS)}."})
    filters = theme_filters(request.GET)
    counts = theme_counts(
        filtered_conversations(request.organisation, request.permissions, filters),
        framework=framework_services.framework_in_use(),
        by=by,
    )
    name = f"themes-by-{by.replace('_', '-')}.{file_format}"
    if file_format == "xlsx":
        response = HttpResponse(exports.themes_workbook(by, counts), content_type=XLSX_CONTENT_TYPE)
    else:
        response = HttpResponse(exports.themes_csv(by, counts), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


MOST_ROWS = 200_000


@require_permission(Permission.VIEW_CONVERSATIONS)
@require_GET
def conversations_export(request: ScopedRequest, file_format: str) -> HttpResponse:
    """Your organisation's conversations (the search page's filters), each with its
    themes and sentiment, as CSV or Excel; recorded in the audit trail as exported."""
    if file_format not in ("csv", "xlsx"):
        raise Http404("Conversations download as conversations.csv or conversations.xlsx.")
    conversations = filtered_conversations(
        request.organisation, request.permissions, theme_filters(request.GET)
    )
    if conversations.count() > MOST_ROWS:
        raise InvalidInput(
            {"from": f"That is more than {MOST_ROWS:,} conversations: choose a shorter period."}
        )
    rows = conversation_rows(conversations)
    conversations_exported_record(
        actor=request.user, organisation=request.organisation, conversation_ids=[row.id for row in rows]
    )
    if file_format == "xlsx":
        response = HttpResponse(exports.conversations_workbook(rows), content_type=XLSX_CONTENT_TYPE)
    else:
        response = HttpResponse(exports.conversations_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="conversations.{file_format}"'
    return response


@require_permission(Permission.REVIEW_LABELS)
@require_http_methods(["GET", "POST"])
def review(request: ScopedRequest) -> HttpResponse:
    """The conversations the model is least sure about, one at a time."""
    framework = framework_services.framework_in_use()
    if request.method == "POST":
        conversation_id = int_param(request.POST.get("conversation"), field="conversation")
        if "skip" not in request.POST:
            try:
                services.review_record(
                    actor=request.user,
                    organisation=request.organisation,
                    conversation_id=conversation_id,
                    category_ids=int_params(request.POST.getlist("category"), field="category"),
                    sentiment=request.POST.get("sentiment", ""),
                )
            except DomainError as error:
                return back_with_message(request, error, request.get_full_path())
            else:
                messages.success(request, "Labels saved. Here is the next conversation.")
        skipped = set(int_params(request.POST.getlist("skipped"), field="skipped"))
        if "skip" in request.POST and conversation_id is not None:
            skipped.add(conversation_id)
        query = "&".join(f"skipped={pk}" for pk in sorted(skipped))
        return redirect(f"{request.path}?{query}" if query else request.path)
    skipped = set(int_params(request.GET.getlist("skipped"), field="skipped"))
    queue = [
        c for c in selectors.review_queue(organisation=request.organisation, limit=50) if c.pk not in skipped
    ]
    current = queue[0] if queue else None
    groups: dict[str, list[Category]] = {}
    for category in selectors.subcategories(framework):
        groups.setdefault(category.parent.name if category.parent else "", []).append(category)
    suggested: set[int] = set()
    if current is not None:
        suggested = selectors.model_label_ids(conversation_id=current.pk)
        # What people said is shown (redacted), so the showing is audited like a list.
        conversations_listed_record(
            actor=request.user, organisation=request.organisation, conversation_ids=[current.pk]
        )
    return render(
        request,
        "insight/review.html",
        {
            "current": current,
            "waiting": len(queue),
            "groups": groups,
            "suggested": suggested,
            "skipped": sorted(skipped),
            "sentiments": Sentiment.choices,
            "progress": selectors.review_progress(organisation=request.organisation),
        },
    )


@require_permission(Permission.VIEW_THEMES)
@require_http_methods(["GET", "POST"])
def framework(request: ScopedRequest) -> HttpResponse:
    """The framework of themes, searchable; those who manage insight add the partnership's own."""
    in_use = framework_services.framework_in_use()
    shown_id = int_param(request.GET.get("framework"), field="framework")
    framework = selectors.framework_get(framework_id=shown_id) if shown_id else in_use
    if framework is None:
        raise Http404("There is no such framework.")
    parents = selectors.parent_categories(in_use)
    form = CategoryAddForm(request.POST or None, parents=parents)
    if request.method == "POST":
        if Permission.MANAGE_INSIGHT not in request.permissions:
            raise PermissionDenied("Only those who manage insight may add to the framework.")
        if form.is_valid():
            try:
                category = framework_services.category_add(
                    actor=request.user,
                    organisation=request.organisation,
                    name=form.cleaned_data["name"],
                    parent_id=int_param(form.cleaned_data["parent"], field="parent"),
                    description=form.cleaned_data["description"],
                )
            except InvalidInput as error:
                show_on_form(form, error)
            else:
                messages.success(request, _added_message(category))
                return redirect(f"{reverse('insight:framework')}#category-{category.pk}")
    query = request.GET.get("q", "")[:200]
    return render(
        request,
        "insight/framework.html",
        {
            "framework": framework,
            "in_use": in_use,
            "frameworks": selectors.framework_list(),
            "outline": selectors.framework_outline(framework, query=query),
            "query": query,
            "form": form,
            "can_choose": Permission.MANAGE_PARTNERSHIP in request.permissions,
        },
        status=400 if form.errors else 200,
    )


@allow_uploads_up_to(FRAMEWORK_MAX_BYTES)
@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_http_methods(["GET", "POST"])
def framework_load(request: ScopedRequest) -> HttpResponse:
    """A partnership's own framework, from a TOML file in the shape insight/framework/files/README.md shows."""
    posted = request.method == "POST"
    form = FrameworkLoadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted:
        explain_stopped_upload(form, request)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            loaded = framework_services.framework_load(
                actor=request.user,
                text=form.text(),
                file_name=upload.name,
                use=form.cleaned_data["use"],
            )
        except InvalidInput as error:
            form.add_error("file", error.errors["file"])
        else:
            messages.success(
                request,
                f"The framework {loaded.name} is added"
                + (
                    " and in use. Label some conversations with its themes, then train a new model."
                    if loaded.in_use
                    else "."
                ),
            )
            return redirect(f"{reverse('insight:framework')}?framework={loaded.pk}")
    return render(request, "insight/framework_load.html", {"form": form}, status=400 if form.errors else 200)


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_POST
def framework_choose(request: ScopedRequest) -> HttpResponse:
    try:
        chosen = framework_services.framework_choose(
            actor=request.user, framework_id=int_param(request.POST.get("framework"), field="framework")
        )
    except DomainError as error:
        return back_with_message(request, error, "insight:framework")
    messages.success(
        request,
        f"Conversations are now sorted into the themes of {chosen.name}. Train a new model, then analyse "
        "the conversations: the model learns from the labels people gave in this framework.",
    )
    return redirect("insight:framework")


def _added_message(category: Category) -> str:
    if category.parent is None:
        return (
            f"{category.name} is now a category of the framework. Add its sub-categories next: "
            "conversations are labelled with sub-categories."
        )
    return (
        f"{category.name} is now in the framework, under {category.parent.name}. Label some conversations "
        f"with it on the review page: the model learns it once {MIN_EXAMPLES} or more have it."
    )


def _training(training: ModelTraining | None) -> dict[str, Any] | None:
    """What the models page shows of the latest training, or None."""
    if training is None:
        return None
    progress = selectors.model_training_progress(training)
    return {
        "training": training,
        "under_way": training.status in (RunStatus.QUEUED, RunStatus.RUNNING),
        "progress": progress,
        "summary": selectors.model_training_summary(training, progress),
    }


def _running(run: AnalysisRun | None) -> dict[str, Any] | None:
    """What a page needs to show an analysis waiting or running, or None."""
    if run is None:
        return None
    progress = selectors.analysis_run_progress(run)
    return {"run": run, "progress": progress, "summary": selectors.analysis_run_summary(run, progress)}


@require_permission(Permission.MANAGE_INSIGHT)
def models_page(request: ScopedRequest) -> HttpResponse:
    return render(
        request,
        "insight/models.html",
        {
            "versions": selectors.model_version_list(),
            "runs": (runs := selectors.analysis_run_list()),
            "sizes": {run.pk: selectors.analysis_run_size(run) for run in runs},
            "running": _running(selectors.analysis_run_current()),
            "training": _training(selectors.model_training_latest()),
            "readiness": (readiness := training_readiness()),
            "ready_count": sum(1 for theme in readiness if theme.ready),
            "together": themes_always_together(),
            "needed": MIN_EXAMPLES,
        },
    )


@require_permission(Permission.VIEW_THEMES)
def run_status(request: ScopedRequest, run_id: int) -> JsonResponse:
    """An analysis's progress for the page's script, asked for every two seconds. Counts
    only: an analysis covers the whole bank and says nothing of any one conversation."""
    run = selectors.analysis_run_get(run_id=run_id)
    if run is None:
        raise Http404("There is no such analysis.")
    progress = selectors.analysis_run_progress(run)
    summary = selectors.analysis_run_summary(run, progress)
    response = JsonResponse(
        {
            "id": run.pk,
            **job_progress_json(
                progress, status=run.status, status_label=run.get_status_display(), summary=summary
            ),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@require_permission(Permission.MANAGE_INSIGHT)
@require_POST
def model_train(request: ScopedRequest) -> HttpResponse:
    """Queue the training for the worker: with tens of thousands of labels it takes a
    minute or more, which no page should keep a person waiting for."""
    try:
        services.model_training_create(actor=request.user, force=request.POST.get("force") == "1")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Training a new model has started. This page shows how far it has got.")
    return redirect("insight:models")


@require_permission(Permission.MANAGE_INSIGHT)
def model_training_status(request: ScopedRequest, training_id: int) -> JsonResponse:
    """A training's progress for the page's script, asked for every two seconds."""
    training = selectors.model_training_get(training_id=training_id)
    if training is None:
        raise Http404("There is no such training.")
    progress = selectors.model_training_progress(training)
    response = JsonResponse(
        {
            "id": training.pk,
            **job_progress_json(
                progress,
                status=training.status,
                status_label=training.get_status_display(),
                summary=selectors.model_training_summary(training, progress),
            ),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@require_permission(Permission.MANAGE_INSIGHT)
@require_POST
def run_start(request: ScopedRequest) -> HttpResponse:
    try:
        services.analysis_run_create(actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The analysis has started. This page shows how far it has got.")
    return redirect("insight:models")
