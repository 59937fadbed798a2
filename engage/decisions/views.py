"""Staff pages of "You said, we did": the decisions, one decision's trail, recording and
amending one, and linking conversations to it as evidence.

Decisions are seen by every partner; a decision's evidence only by the organisation
that heard it (the selectors scope it), others seeing how many people.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from engage.activities.selectors import activity_list, priority_list
from engage.conversations.quotes.selectors import quote_waiting_count, quotes_approved_count
from engage.core.access import require_permission
from engage.core.disclosure import DisclosureRule
from engage.core.errors import DomainError, InvalidInput
from engage.core.forms import show_on_form
from engage.core.http import ScopedRequest, back_with_message, date_param, int_param, int_params, same_site
from engage.core.pagination import paginate
from engage.core.roles import Permission
from engage.decisions import selectors, services
from engage.decisions.feedback import services as feedback_services
from engage.decisions.forms import DecisionForm
from engage.decisions.loop import loop_measures
from engage.decisions.models import DecisionStatus
from engage.decisions.services import DecisionInput
from engage.insight.framework.services import framework_in_use
from engage.insight.selectors import category_get, conversation_set, subcategories, theme_conversation_ids
from engage.partners.selectors import organisation_list

PAGE_SIZE = 25


@require_permission(Permission.VIEW_REGISTER)
def decision_list(request: ScopedRequest) -> HttpResponse:
    """Every decision, newest first, searchable and filtered by status or priority."""
    get = request.GET
    status = get.get("status", "") if get.get("status") in DecisionStatus.values else ""
    priority_id = int_param(get.get("priority"), field="priority")
    decisions = selectors.decision_list(
        search=get.get("q", "")[:200],
        status=status,
        priority_id=priority_id,
        activity_id=int_param(get.get("activity"), field="activity"),
        theme_id=int_param(get.get("theme"), field="theme"),
    )
    return render(
        request,
        "decisions/decision_list.html",
        {
            "page": paginate(request, decisions, PAGE_SIZE),
            "query": get.get("q", "")[:200],
            "status": status,
            "statuses": DecisionStatus.choices,
            "priority_id": int_param(get.get("priority"), field="priority"),
            "priorities": priority_list(),
            # From a partnership priority back to what people said.
            "priority_trail": selectors.priority_trail(
                priority_id=priority_id,
                rule=DisclosureRule.from_settings(),
                viewer_organisation=request.organisation,
            )
            if priority_id is not None
            else None,
        },
    )


@require_permission(Permission.VIEW_REGISTER)
def decision_detail(request: ScopedRequest, decision_id: int) -> HttpResponse:
    """A decision and what informed it: the people, the themes, its history, and for
    the organisation that heard them, its own conversations among the evidence."""
    trail = selectors.decision_trail(
        decision_id=decision_id,
        organisation=request.organisation if Permission.VIEW_CONVERSATIONS in request.permissions else None,
        rule=DisclosureRule.from_settings(),
        viewer_organisation=request.organisation,
    )
    sees_people = Permission.VIEW_PEOPLE in request.permissions
    return render(
        request,
        "decisions/decision_detail.html",
        {
            "trail": trail,
            "decision": trail.decision,
            "told": selectors.email_counts(
                decision_id=decision_id,
                rule=DisclosureRule.from_settings(),
                viewer_organisation=request.organisation,
            ),
            "proposals": selectors.theme_proposal_list(decision_id=decision_id),
            "owns": trail.decision.organisation_id == getattr(request.organisation, "pk", None),
            "own_messages": (
                list(
                    selectors.feedback_message_list(
                        organisation=request.organisation, decision_id=decision_id
                    )
                )
                if sees_people
                else []
            ),
        },
    )


def _form(
    request: ScopedRequest, *, initial: dict[str, Any] | None = None, amending: bool = False
) -> DecisionForm:
    return DecisionForm(
        request.POST or None,
        initial=initial,
        activities=activity_list()[:300],
        priorities=priority_list(),
        themes=subcategories(framework_in_use()),
        amending=amending,
    )


def _input(data: dict[str, Any]) -> DecisionInput:
    return DecisionInput(
        title=data["title"],
        summary=data["summary"],
        decided_by=data["decided_by"],
        decided_by_name=data["decided_by_name"],
        decided_on=data.get("decided_on"),
        status=data["status"],
        reason_not_taken=data.get("reason_not_taken", ""),
        activity_id=int_param(data.get("activity_id"), field="activity_id"),
        priority_ids=tuple(int(v) for v in data.get("priority_ids", ())),
        theme_ids=tuple(int(v) for v in data.get("theme_ids", ())),
        note=data.get("note", ""),
        details_checked=bool(data.get("details_checked")),
    )


def _save(request: ScopedRequest, form: DecisionForm, decision_id: int | None) -> HttpResponse | None:
    if not (request.method == "POST" and form.is_valid()):
        return None
    try:
        data = _input(form.cleaned_data)
        if decision_id is None:
            decision = services.decision_record(
                actor=request.user, organisation=request.organisation, data=data
            )
        else:
            decision = services.decision_amend(
                actor=request.user, organisation=request.organisation, decision_id=decision_id, data=data
            )
    except InvalidInput as error:
        show_on_form(form, error)
        return None
    messages.success(request, "The decision is saved.")
    return redirect("decisions:decision-detail", decision_id=decision.pk)


@require_permission(Permission.RECORD_DECISIONS)
@require_http_methods(["GET", "POST"])
def decision_create(request: ScopedRequest) -> HttpResponse:
    initial = {"activity_id": request.GET.get("activity", ""), "status": DecisionStatus.AGREED}
    form = _form(request, initial=initial)
    return _save(request, form, None) or render(
        request, "decisions/decision_form.html", {"form": form, "decision": None}
    )


@require_permission(Permission.RECORD_DECISIONS)
@require_http_methods(["GET", "POST"])
def decision_edit(request: ScopedRequest, decision_id: int) -> HttpResponse:
    decision = selectors.decision_of_organisation(decision_id=decision_id, organisation=request.organisation)
    current = services.decision_input_of(decision)
    initial = dataclasses.asdict(current) | {
        "activity_id": str(current.activity_id or ""),
        "priority_ids": [str(pk) for pk in current.priority_ids],
        "theme_ids": [str(pk) for pk in current.theme_ids],
    }
    form = _form(request, initial=initial, amending=True)
    return _save(request, form, decision.pk) or render(
        request, "decisions/decision_form.html", {"form": form, "decision": decision}
    )


@require_permission(Permission.RECORD_DECISIONS, Permission.VIEW_CONVERSATIONS)
@require_POST
def evidence_add(request: ScopedRequest) -> HttpResponse:
    """ "Use as evidence for…" from the conversation search: the ticked conversations
    (the organisation's own) go to the chosen decision."""
    decision_id = int_param(request.POST.get("decision"), field="decision")
    ids = int_params(request.POST.getlist("conversation"), field="conversation")
    try:
        added = services.decision_evidence_add(
            actor=request.user,
            organisation=request.organisation,
            decision_id=decision_id,
            conversation_ids=ids,
        )
    except DomainError as error:
        return back_with_message(
            request, error, same_site(request, request.POST.get("back")) or "conversations:conversation-list"
        )
    messages.success(request, f"{added} conversation{'' if added == 1 else 's'} added as evidence.")
    return redirect("decisions:decision-detail", decision_id=decision_id)


@require_permission(Permission.RECORD_DECISIONS)
@require_POST
def theme_evidence_add(request: ScopedRequest) -> HttpResponse:
    """ "Use as evidence for…" from the themes page: the theme, and the organisation's
    own conversations about it among those the page was showing (its filters come
    along), go to the chosen decision. Without access to conversations, the theme alone."""
    post = request.POST
    decision_id = int_param(post.get("decision"), field="decision")
    theme_id = int_param(post.get("theme"), field="theme")
    category = category_get(category_id=theme_id)
    ids: list[int] = []
    if category is not None and Permission.VIEW_CONVERSATIONS in request.permissions:
        shown = conversation_set(
            organisation=request.organisation,
            activity_id=int_param(post.get("activity"), field="activity"),
            channel=post.get("channel", ""),
            date_from=date_param(post.get("from"), field="from"),
            date_to=date_param(post.get("to"), field="to"),
            priority_id=int_param(post.get("priority"), field="priority"),
            query=post.get("q", "")[:200],
        )
        ids = theme_conversation_ids(shown, category=category)
    try:
        linked = services.decision_theme_add(
            actor=request.user,
            organisation=request.organisation,
            decision_id=decision_id,
            category_id=theme_id,
            conversation_ids=ids,
        )
    except DomainError as error:
        return back_with_message(request, error, same_site(request, post.get("back")) or "insight:themes")
    name = category.name if category else ""
    evidence = f"{linked.added} new conversation{'' if linked.added == 1 else 's'} of yours about it"
    if linked.proposed:
        messages.success(
            request,
            f"The decision is a partner's, so the theme {name} is proposed to them: it joins the "
            f"decision when they accept. {evidence.capitalize()} are linked as evidence now.",
        )
    else:
        messages.success(request, f"The theme {name} is linked, with {evidence} as evidence.")
    return redirect("decisions:decision-detail", decision_id=decision_id)


@require_permission(Permission.RECORD_DECISIONS)
@require_POST
def theme_proposal_decide(request: ScopedRequest, decision_id: int, proposal_id: int) -> HttpResponse:
    """The decision's owner accepts or declines a partner's proposed theme."""
    accept = request.POST.get("answer") == "accept"
    proposal = services.theme_proposal_decide(
        actor=request.user,
        organisation=request.organisation,
        decision_id=decision_id,
        proposal_id=proposal_id,
        accept=accept,
    )
    messages.success(request, f"The theme {proposal.category.name} was {'added' if accept else 'declined'}.")
    return redirect("decisions:decision-detail", decision_id=decision_id)


@require_permission(Permission.RECORD_DECISIONS, Permission.VIEW_CONVERSATIONS)
@require_POST
def evidence_remove(request: ScopedRequest, decision_id: int) -> HttpResponse:
    ids = int_params(request.POST.getlist("conversation"), field="conversation")
    try:
        removed = services.decision_evidence_remove(
            actor=request.user,
            organisation=request.organisation,
            decision_id=decision_id,
            conversation_ids=ids,
        )
    except DomainError as error:
        return back_with_message(
            request, error, reverse("decisions:decision-detail", kwargs={"decision_id": decision_id})
        )
    messages.success(request, f"{removed} conversation{'' if removed == 1 else 's'} no longer linked.")
    return redirect("decisions:decision-detail", decision_id=decision_id)


@require_permission(Permission.VIEW_REGISTER)
def loop(request: ScopedRequest) -> HttpResponse:
    """Closing the loop: feedback given, how long it took, what is overdue."""
    organisation_id = int_param(request.GET.get("organisation"), field="organisation")
    return render(
        request,
        "decisions/loop.html",
        {
            "measures": loop_measures(organisation_id=organisation_id),
            "organisation_id": organisation_id,
            "organisations": organisation_list(active_only=True),
        },
    )


@require_permission(Permission.RECORD_DECISIONS)
@require_http_methods(["GET", "POST"])
def activity_publish(request: ScopedRequest, activity_id: int) -> HttpResponse:
    """Publish an activity's "You said, we did" page, with an Easy Read summary and the
    decisions chosen; only its lead organisation may."""
    activity = selectors.activity_led_by(activity_id=activity_id, organisation=request.organisation)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            result = services.activity_publish(
                actor=request.user,
                organisation=request.organisation,
                activity_id=activity.pk,
                easy_read=request.POST.get("easy_read", ""),
                decision_ids=int_params(request.POST.getlist("decision"), field="decision"),
                details_checked=bool(request.POST.get("details_checked")),
            )
        except InvalidInput as error:
            errors = error.errors
        except DomainError as error:
            messages.error(request, error.message)
        else:
            told = (
                f" {result.messages} {'person who took part is' if result.messages == 1 else 'people who took part are'}"
                " being emailed about it."
                if result.messages
                else ""
            )
            messages.success(
                request, f"Published. The public page shows what people said and what was done.{told}"
            )
            return redirect("site:you-said-we-did-activity", activity_id=activity.pk)
    return render(
        request,
        "decisions/activity_publish.html",
        {
            "activity": activity,
            "publication": selectors.publication_of(activity),
            "decisions": selectors.decision_list(activity_id=activity.pk),
            # What was typed comes back with the problems, never lost.
            "errors": errors,
            "easy_read": request.POST.get("easy_read") if request.method == "POST" else None,
            "details_checked": bool(request.POST.get("details_checked")),
            # Nothing is quoted until the organisation that heard it approves the words:
            # the lead's own wait here; each partner approves its own on its quotes page.
            "quotes_waiting": quote_waiting_count(request.organisation, activity_id=activity.pk),
            "quotes_approved": quotes_approved_count(activity_id=activity.pk),
            "can_be_told": feedback_services.reachable_count(
                activity_id=activity.pk,
                rule=DisclosureRule.from_settings(),
                viewer_organisation=request.organisation,
            ),
        },
        status=400 if errors else 200,
    )
