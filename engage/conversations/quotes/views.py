"""Staff pages for quotes: the words waiting for a decision, each redacted with every
redaction highlighted; approving (with more taken out by hand), rejecting, taking a
decision back; and, on a conversation, its consent to quote and who said it.

Only the organisation that heard a conversation sees or decides any of it: every read
and write goes through its scoped selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from engage.activities.selectors import activity_list
from engage.conversations import selectors as conversation_selectors
from engage.conversations.quotes import selectors, services
from engage.core.access import require_permission
from engage.core.errors import DomainError, InvalidInput
from engage.core.http import ScopedRequest, back_with_message, int_param
from engage.core.roles import Permission


def _activity_id(request: ScopedRequest) -> int | None:
    return int_param(request.GET.get("activity") or request.POST.get("activity"), field="activity")


def _back(request: ScopedRequest) -> str:
    activity_id = _activity_id(request)
    return reverse("quotes:quote-list") + (f"?activity={activity_id}" if activity_id else "")


@require_permission(Permission.APPROVE_QUOTES)
@require_GET
def quote_list(request: ScopedRequest) -> HttpResponse:
    """The words waiting for a decision, newest first, each as it would be quoted."""
    activity_id = _activity_id(request)
    page, candidates = selectors.quote_candidates_page(
        actor=request.user,
        organisation=request.organisation,
        activity_id=activity_id,
        page=request.GET.get("page"),
    )
    return render(
        request,
        "quotes/quote_list.html",
        {
            "page": page,
            "candidates": candidates,
            "activity_id": activity_id,
            "activity_choices": [
                (activity.pk, activity.title)
                for activity in activity_list(organisation_id=getattr(request.organisation, "pk", None))[:200]
            ],
        },
    )


@require_permission(Permission.APPROVE_QUOTES)
@require_GET
def quote_decided(request: ScopedRequest) -> HttpResponse:
    activity_id = _activity_id(request)
    page = selectors.quotes_decided_page(
        organisation=request.organisation, activity_id=activity_id, page=request.GET.get("page")
    )
    return render(
        request,
        "quotes/quote_decided.html",
        {"page": page, "activity_id": activity_id, "segments": selectors.quote_segments},
    )


@require_permission(Permission.APPROVE_QUOTES)
@require_http_methods(["GET", "POST"])
def quote_edit(request: ScopedRequest, conversation_id: int) -> HttpResponse:
    """One candidate, to take more out by hand before approving it."""
    conversation = conversation_selectors.conversation_get(
        organisation=request.organisation, conversation_id=conversation_id, actor=request.user
    )
    candidate = services.candidate_text(conversation.text)
    text = request.POST.get("text", candidate)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            services.quote_decide(
                actor=request.user,
                organisation=request.organisation,
                conversation_id=conversation.pk,
                approve=True,
                text=text,
            )
        except InvalidInput as error:
            errors = error.errors
        except DomainError as error:
            return back_with_message(request, error, _back(request))
        else:
            messages.success(
                request, "Approved. These words can now be quoted on partners' and public pages."
            )
            return redirect(_back(request))
    return render(
        request,
        "quotes/quote_edit.html",
        {
            "conversation": conversation,
            "candidate": candidate,
            "segments": selectors.quote_segments(candidate),
            "text": text,
            "errors": errors,
            "hand_marker": services.HAND_MARKER,
            "activity_id": _activity_id(request),
        },
        status=400 if errors else 200,
    )


@require_permission(Permission.APPROVE_QUOTES)
@require_POST
def quote_decide(request: ScopedRequest, conversation_id: int) -> HttpResponse:
    decision = request.POST.get("decision", "")
    if decision not in ("approve", "reject"):
        raise InvalidInput({"decision": "Choose approve or reject."})
    try:
        services.quote_decide(
            actor=request.user,
            organisation=request.organisation,
            conversation_id=conversation_id,
            approve=decision == "approve",
        )
    except DomainError as error:
        return back_with_message(request, error, _back(request))
    messages.success(
        request,
        "Approved: these words can now be quoted."
        if decision == "approve"
        else "Rejected: these words will not be quoted.",
    )
    return redirect(_back(request))


@require_permission(Permission.APPROVE_QUOTES)
@require_POST
def quote_undo(request: ScopedRequest, conversation_id: int) -> HttpResponse:
    try:
        services.quote_decision_undo(
            actor=request.user, organisation=request.organisation, conversation_id=conversation_id
        )
    except DomainError as error:
        return back_with_message(request, error, reverse("quotes:quote-decided"))
    messages.success(
        request, "Taken back: the words wait for a decision again and are quoted nowhere meanwhile."
    )
    return redirect("quotes:quote-decided")


def _conversation_page(conversation_id: int) -> str:
    return reverse("conversations:conversation-detail", kwargs={"conversation_id": conversation_id})


@require_permission(Permission.RECORD_CONSENT)
@require_POST
def quote_consent_grant(request: ScopedRequest, conversation_id: int) -> HttpResponse:
    try:
        services.quote_consent_grant(
            actor=request.user,
            organisation=request.organisation,
            conversation_id=conversation_id,
            given_on=timezone.localdate(),
            method=request.POST.get("method", ""),
        )
    except DomainError as error:
        return back_with_message(request, error, _conversation_page(conversation_id))
    messages.success(
        request, "Consent to quote recorded. The words wait for approval before they are quoted."
    )
    return redirect(_conversation_page(conversation_id))


@require_permission(Permission.RECORD_CONSENT)
@require_POST
def quote_consent_withdraw(request: ScopedRequest, conversation_id: int) -> HttpResponse:
    try:
        services.quote_consent_withdraw(
            actor=request.user,
            organisation=request.organisation,
            conversation_id=conversation_id,
            withdrawn_on=timezone.localdate(),
            method=request.POST.get("method", ""),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        return back_with_message(request, error, _conversation_page(conversation_id))
    messages.success(request, "Consent to quote withdrawn. Their words are no longer quoted anywhere.")
    return redirect(_conversation_page(conversation_id))


@require_permission(Permission.RECORD_CONVERSATIONS)
@require_POST
def conversation_person(request: ScopedRequest, conversation_id: int) -> HttpResponse:
    try:
        person = services.conversation_person_link(
            actor=request.user,
            organisation=request.organisation,
            conversation_id=conversation_id,
            email=request.POST.get("email", ""),
        )
    except DomainError as error:
        return back_with_message(request, error, _conversation_page(conversation_id))
    messages.success(request, f"Linked to {person.full_name}." if person else "No longer linked to a person.")
    return redirect(_conversation_page(conversation_id))
