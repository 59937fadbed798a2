"""Staff pages of retention, for partnership administrators only: the rules with what
the next run will delete (the dry run), changing one kind's rule, and the report of
past runs. Counts and dates only: nothing about a person is shown."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from engage.core.access import require_permission
from engage.core.errors import InvalidInput
from engage.core.forms import show_on_form
from engage.core.http import ScopedRequest
from engage.core.pagination import paginate
from engage.core.roles import Permission
from engage.retention import selectors, services
from engage.retention.forms import RetentionRuleForm

# A daily run not seen for this long means the worker is not running at the hour.
RUN_OVERDUE = dt.timedelta(hours=48)


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_GET
def retention_overview(request: ScopedRequest) -> HttpResponse:
    """Each kind's rule, and what the next daily run will delete: counted now."""
    next_run = selectors.next_run_at()
    last = selectors.retention_run_last()
    overdue = last is not None and timezone.now() - last.created_at > RUN_OVERDUE
    return render(
        request,
        "retention/overview.html",
        {
            "forecasts": selectors.retention_forecast(run_on=next_run.date()),
            "next_run": next_run,
            "next_run_day": selectors.day_text(next_run.date()),
            "last": last,
            "overdue": overdue,
        },
    )


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_http_methods(["GET", "POST"])
def retention_rule_edit(request: ScopedRequest, kind: str) -> HttpResponse:
    rule = selectors.retention_rule_get(kind)
    if not rule.own_rule:
        initial: dict[str, object] = {"unit": services.DEFAULT}
    elif rule.period.forever:
        initial = {"unit": services.FOREVER}
    else:
        initial = {"unit": rule.period.unit, "amount": rule.period.amount}
    form = RetentionRuleForm(request.POST or None, initial=initial, rule=rule)
    if request.method == "POST" and form.is_valid():
        try:
            now = services.retention_rule_set(
                actor=request.user,
                actor_organisation=request.organisation,
                kind=rule.kind,
                amount=form.cleaned_data["amount"],
                unit=form.cleaned_data["unit"],
            )
        except InvalidInput as error:
            show_on_form(form, error)
        else:
            messages.success(request, f"{rule.label} are now kept for {now}.")
            return redirect("retention:overview")
    next_run = selectors.next_run_at()
    return render(
        request,
        "retention/rule_form.html",
        {
            "form": form,
            "rule": rule,
            "next_run": next_run,
            "next_run_day": selectors.day_text(next_run.date()),
        },
    )


@require_permission(Permission.MANAGE_PARTNERSHIP)
@require_GET
def retention_run_list(request: ScopedRequest) -> HttpResponse:
    """The report of every run, newest first: each kind's count, dates and status."""
    page = paginate(request, selectors.retention_run_list(), per_page=10)
    runs = [
        (run, [(result, selectors.result_sentence(result)) for result in run.results.all()]) for run in page
    ]
    return render(request, "retention/run_list.html", {"page": page, "runs": runs})
