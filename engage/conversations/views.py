"""Staff pages of the bank of conversations: search, one conversation, and recording
one by hand. Conversations are reached only through the organisation in scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from engage.activities.selectors import activity_list
from engage.conversations import selectors, services
from engage.conversations.forms import ConversationForm
from engage.conversations.models import Channel
from engage.conversations.quotes import selectors as quote_selectors
from engage.conversations.search import conversation_search
from engage.core.access import require_permission
from engage.core.errors import InvalidInput
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
