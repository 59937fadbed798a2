"""Staff pages for screening a new issue: the questionnaire, the result, and the list.

Screenings are not personal data: every partner reads every screening. Only those who
run engagement for their organisation screen an issue. A rules file with mistakes never
breaks the questionnaire: staff see what is wrong with it instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from engage.activities.models import InvolvementType, Level, Method, Screening, TargetGroup
from engage.activities.screening import selectors, services
from engage.activities.screening.engine import Reason
from engage.activities.screening.forms import ScreeningForm
from engage.activities.screening.rules import RulesError, current_rules, rules_path
from engage.core.access import require_permission
from engage.core.errors import InvalidInput
from engage.core.forms import show_on_form
from engage.core.http import ScopedRequest
from engage.core.pagination import paginate
from engage.core.roles import Permission
from engage.partnership.before_you_ask.selectors import before_you_ask

logger = logging.getLogger(__name__)

LEVEL_MEANINGS: dict[str, str] = {
    Level.INFORM: "Tell people clearly what is happening, why, and when.",
    Level.CONSULT: "Ask people for their views on the options, and say how their views shaped the decision.",
    Level.INVOLVE: "Work with people throughout, so that their concerns and hopes shape the options.",
    Level.COLLABORATE: "Make the decision in partnership with people, developing the options together.",
    Level.EMPOWER: "Put the decision in people's hands, and carry out what they decide.",
}
TYPE_MEANINGS: dict[str, str] = {
    InvolvementType.INDIVIDUAL: "People involved in their own care and in the services they use.",
    InvolvementType.COLLECTIVE: "The public and communities shaping services together.",
    InvolvementType.CO_PRODUCTION: "People and professionals designing and delivering services as equals.",
}

LEVELS = dict(Level.choices)
TYPES = dict(InvolvementType.choices)
METHODS = dict(Method.choices)
GROUPS = dict(TargetGroup.choices)


@dataclass(frozen=True)
class ReasonRow:
    """One row of "which answer led to which recommendation"."""

    because: str
    recommends: list[str]
    reason: str


def _recommends(reason: Reason) -> list[str]:
    parts: list[str] = []
    if reason.level:
        parts.append(f"Level: {LEVELS.get(reason.level, reason.level)}")
    if reason.involvement_type:
        parts.append(f"Type: {TYPES.get(reason.involvement_type, reason.involvement_type)}")
    if reason.methods:
        parts.append("Methods: " + ", ".join(METHODS.get(m, m) for m in reason.methods))
    parts.extend(f"Legal duty: {duty}" for duty in reason.duties)
    return parts


def _screened_by(request: ScopedRequest, screening: Screening) -> str:
    """The member of staff is named only to their own organisation (as for an activity's
    contact); other partners see the organisation."""
    organisation = screening.organisation.display_name
    same = screening.organisation_id == getattr(request.organisation, "pk", None)
    if same and screening.created_by is not None:
        return f"{screening.created_by.display_name}, {organisation}"
    return organisation


def _rules_problem(request: ScopedRequest, error: RulesError) -> HttpResponse:
    logger.error("The screening rules file %s cannot be used: %s", rules_path(), error.message)
    return render(request, "screening/rules_problem.html", {"error": error})


@require_permission(Permission.VIEW_AGGREGATES)
def screening_list(request: ScopedRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    page = paginate(request, selectors.screening_list(search=search))
    rows = []
    for screening in page:
        recommendation = selectors.screening_recommendation(screening)
        rows.append(
            {
                "screening": screening,
                "level": LEVELS.get(recommendation.level, recommendation.level),
                "type": TYPES.get(recommendation.involvement_type, recommendation.involvement_type),
                "screened_on": timezone.localtime(screening.created_at),
            }
        )
    return render(request, "screening/screening_list.html", {"page": page, "rows": rows, "search": search})


@require_permission(Permission.SCREEN_ISSUES)
@require_http_methods(["GET", "POST"])
def screening_new(request: ScopedRequest) -> HttpResponse:
    try:
        rules = current_rules()
    except RulesError as error:
        return _rules_problem(request, error)
    form = ScreeningForm(request.POST or None, rules=rules)
    if request.method == "POST" and form.is_valid():
        try:
            screening = services.screening_record(
                actor=request.user,
                organisation=request.organisation,
                title=form.cleaned_data["title"],
                answers=form.answers(),
            )
        except RulesError as error:
            return _rules_problem(request, error)
        except InvalidInput as error:
            show_on_form(form, error)
        else:
            messages.success(request, "The issue has been screened. This is the recommendation.")
            return redirect("screening:screening-detail", screening_id=screening.pk)
    return render(request, "screening/screening_form.html", {"form": form, "rules": rules})


@require_permission(Permission.VIEW_AGGREGATES)
def screening_detail(request: ScopedRequest, screening_id: int) -> HttpResponse:
    screening = selectors.screening_get(screening_id=screening_id)
    recommendation = selectors.screening_recommendation(screening)
    reasons = [
        ReasonRow(because=r.because, recommends=_recommends(r), reason=r.reason)
        for r in recommendation.reasons
    ]
    context: dict[str, Any] = {
        "screening": screening,
        "recommendation": recommendation,
        "level": LEVELS.get(recommendation.level, recommendation.level) or "Not recorded",
        "level_meaning": LEVEL_MEANINGS.get(recommendation.level, ""),
        "involvement_type": TYPES.get(recommendation.involvement_type, recommendation.involvement_type)
        or "Not recorded",
        "type_meaning": TYPE_MEANINGS.get(recommendation.involvement_type, ""),
        "methods": [METHODS.get(m, m) for m in recommendation.methods],
        "methods_for_groups": [
            (GROUPS.get(group, group), [METHODS.get(m, m) for m in methods])
            for group, methods in recommendation.methods_for_groups()
        ],
        "reasons": reasons,
        "screened_at": timezone.localtime(screening.created_at),
        "screened_by": _screened_by(request, screening),
        "can_register": Permission.REGISTER_ACTIVITIES in request.permissions
        and screening.activity_id is None
        and screening.organisation_id == getattr(request.organisation, "pk", None),
        # What the partnership already heard about the issue, before anyone is asked.
        "heard": before_you_ask(
            title=screening.title, topic="", purpose="", exclude_activity_id=screening.activity_id
        ),
    }
    return render(request, "screening/screening_detail.html", context)
