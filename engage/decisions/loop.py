"""Closing the loop, measured: of the activities that have ended, how many told people
what was done, how long that took, which promised feedback is overdue, and how many
decisions each activity informed.

An activity has "ended" when its end date has passed. Its feedback is "given" when
`feedback_given_on` is set; "overdue" when it promised feedback by a date that has
passed and has not given it. Days to feedback run from the end date to the day it was
given. Activities are not personal data, so these figures need no disclosure control.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from engage.activities.models import Activity


@dataclass(frozen=True)
class LoopMeasures:
    ended: int
    feedback_given: int
    median_days_to_feedback: float | None
    overdue: list[Activity]
    decisions_per_activity: float | None  # over the activities that have ended
    without_decisions: int  # ended activities that informed no decision

    @property
    def share_given(self) -> float | None:
        return self.feedback_given / self.ended if self.ended else None


def _ended(today: dt.date) -> QuerySet[Activity]:
    return Activity.objects.filter(ends_on__lt=today)


def overdue_feedback(today: dt.date | None = None) -> QuerySet[Activity]:
    """Activities whose promised feedback date has passed without feedback, the most
    overdue first."""
    today = today or timezone.localdate()
    return (
        Activity.objects.filter(feedback_promised_on__lt=today, feedback_given_on__isnull=True)
        .select_related("lead_organisation", "contact")
        .order_by("feedback_promised_on", "title")
    )


def loop_measures(*, today: dt.date | None = None, organisation_id: int | None = None) -> LoopMeasures:
    today = today or timezone.localdate()
    ended = _ended(today)
    overdue = overdue_feedback(today)
    if organisation_id is not None:
        ended = ended.filter(lead_organisation_id=organisation_id)
        overdue = overdue.filter(lead_organisation_id=organisation_id)
    given = list(ended.filter(feedback_given_on__isnull=False).values_list("ends_on", "feedback_given_on"))
    days = [(given_on - ends_on).days for ends_on, given_on in given if given_on is not None]
    counts = list(
        ended.annotate(decisions_count=Count("decisions")).values_list("decisions_count", flat=True)
    )
    return LoopMeasures(
        ended=len(counts),
        feedback_given=len(given),
        median_days_to_feedback=statistics.median(days) if days else None,
        overdue=list(overdue[:200]),
        decisions_per_activity=sum(counts) / len(counts) if counts else None,
        without_decisions=sum(1 for count in counts if count == 0),
    )
