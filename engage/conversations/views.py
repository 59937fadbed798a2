"""Staff pages of the bank of conversations: search, one conversation, and recording
one by hand. Conversations are reached only through the organisation in scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from engage.activities.selectors import activity_list
from engage.conversations import selectors, services
from engage.conversations.forms import (
    ConversationCorrectForm,
    ConversationDeleteForm,
    ConversationForm,
    PassageRemoveForm,
)
from engage.conversations.models import Channel
from engage.conversations.quotes import selectors as quote_selectors
from engage.conversations.search import conversation_search
from engage.core.access import require_permission
from engage.core.errors import DomainError, InvalidInput
from engage.core.forms import show_on_form
from engage.core.http import ScopedRequest, date_param, int_param
from engage.core.roles import Permission
from engage.decisions.selectors import decision_choices
from engage.partners.models import ConsentMethod


@dataclass(frozen=True)
class SearchFilters:
    query: str
    activity_id: int | None
    channel: str
    question: str
    date_from: date | None
    date_to: date | None


@require_permission(Permission.VIEW_CONVERSATIONS)
def conversation_list(request: ScopedRequest) -> HttpResponse:
    """Search everything your organisation has heard."""
    get = request.GET
    filters = SearchFilters(
        query=get.get("q", "")[:200],
        activity_id=int_param(get.get("activity"), field="activity"),
        channel=get.get("channel", "") if get.get("channel") in Channel.values else "",
        question=get.get("question", "")[:500],
        date_from=date_param(get.get("from"), field="from"),
        date_to=date_param(get.get("to"), field="to"),
    )
    result = conversation_search(
        actor=request.user,
        organisation=request.organisation,
        page=int_param(get.get("page"), field="page") or 1,
        query=filters.query,
        activity_id=filters.activity_id,
        channel=filters.channel,
        question=filters.question,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    return render(
        request,
        "conversations/conversation_list.html",
        {
            "result": result,
            "filters": filters,
            # The same set, for the download links.
            "download_query": urlencode(
                {
                    name: value
                    for name, value in (
                        ("q", filters.query),
                        ("activity", filters.activity_id),
                        ("channel", filters.channel),
                        ("from", filters.date_from),
                        ("to", filters.date_to),
                    )
                    if value
                }
            ),
            "channels": Channel.choices,
            "activities": activity_list(organisation_id=getattr(request.organisation, "pk", None))[:200],
            # "Use as evidence for…": the decisions a result can be linked to.
            "decisions": decision_choices() if Permission.RECORD_DECISIONS in request.permissions else [],
        },
    )


@require_permission(Permission.VIEW_CONVERSATIONS)
def conversation_detail(request: ScopedRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.conversation_get(
        organisation=request.organisation, conversation_id=conversation_id, actor=request.user
    )
    return render(
        request,
        "conversations/conversation_detail.html",
        {
            "conversation": conversation,
            "consent_history": quote_selectors.quote_consent_history(conversation=conversation),
            "quote": quote_selectors.quote_of(conversation=conversation),
            "consent_methods": ConsentMethod.choices,
            "quote_segments": quote_selectors.quote_segments,
        },
    )


@require_permission(Permission.RECORD_CONVERSATIONS)
@require_http_methods(["GET", "POST"])
def conversation_create(request: ScopedRequest) -> HttpResponse:
    activities = activity_list(organisation_id=getattr(request.organisation, "pk", None))[:200]
    form = ConversationForm(request.POST or None, activities=activities, initial={"channel": Channel.EVENT})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["activity_id"] = int_param(data["activity_id"], field="activity_id")
        try:
            conversation = services.conversation_record(
                actor=request.user, organisation=request.organisation, **data
            )
        except InvalidInput as error:
            show_on_form(form, error)
        else:
            messages.success(request, "The conversation is in the bank.")
            return redirect("conversations:conversation-detail", conversation_id=conversation.pk)
    return render(request, "conversations/conversation_form.html", {"form": form})


@require_permission(Permission.RECORD_CONVERSATIONS)
@require_http_methods(["GET", "POST"])
def conversation_correct(request: ScopedRequest, conversation_id: int) -> HttpResponse:
    """Correct the text or details, or take a passage out by hand; each with a reason."""
    conversation = selectors.conversation_get(
        organisation=request.organisation, conversation_id=conversation_id, actor=request.user
    )
    initial = {name: getattr(conversation, name) for name in services.CORRECTABLE}
    correct = ConversationCorrectForm(
        request.POST if "correct" in request.POST else None, initial=initial, prefix="correct"
    )
    passage = PassageRemoveForm(request.POST if "passage" in request.POST else None, prefix="passage")
    if "correct" in request.POST and correct.is_valid():
        data = dict(correct.cleaned_data)
        reason = data.pop("reason")
        try:
            services.conversation_correct(
                actor=request.user,
                organisation=request.organisation,
                conversation_id=conversation.pk,
                reason=reason,
                changes={name: data[name] for name in services.CORRECTABLE},
            )
        except InvalidInput as error:
            show_on_form(correct, error)
        except DomainError as error:
            correct.add_error(None, error.message)
        else:
            messages.success(request, "Corrected. It will be analysed again.")
            return redirect("conversations:conversation-detail", conversation_id=conversation.pk)
    if "passage" in request.POST and passage.is_valid():
        try:
            services.conversation_passage_remove(
                actor=request.user,
                organisation=request.organisation,
                conversation_id=conversation.pk,
                passage=passage.cleaned_data["passage"],
                reason=passage.cleaned_data["passage_reason"],
            )
        except InvalidInput as error:
            show_on_form(
                passage,
                InvalidInput({"passage_reason" if k == "reason" else k: v for k, v in error.errors.items()}),
            )
        else:
            messages.success(request, "Taken out. It will be analysed again.")
            return redirect("conversations:conversation-detail", conversation_id=conversation.pk)
    bound = (correct.is_bound and not correct.is_valid()) or (passage.is_bound and not passage.is_valid())
    return render(
        request,
        "conversations/conversation_correct.html",
        {"conversation": conversation, "correct": correct, "passage": passage},
        status=400 if bound else 200,
    )


@require_permission(Permission.RECORD_CONVERSATIONS)
@require_http_methods(["GET", "POST"])
def conversation_delete(request: ScopedRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.conversation_get(
        organisation=request.organisation, conversation_id=conversation_id, actor=request.user
    )
    form = ConversationDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.conversation_delete(
            actor=request.user,
            organisation=request.organisation,
            conversation_id=conversation.pk,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, "The conversation is deleted, with its analysis, consent and quote.")
        return redirect("conversations:conversation-list")
    return render(
        request,
        "conversations/conversation_delete.html",
        {"conversation": conversation, "form": form},
        status=400 if form.is_bound else 200,
    )
