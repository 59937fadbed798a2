"""The demo's "You said, we did": decisions made after the activities that have given
their feedback, linked to themes and to the conversations heard, and their pages
published, so a newcomer can follow the trail both ways and browse the public pages.
Activities whose promised feedback has passed without it are left as they are: the
closing-the-loop page lists them as overdue.

Chosen with a random generator of its own, so the rest of the demo stays as it was.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from engage.activities.models import Activity
from engage.conversations.models import Conversation
from engage.decisions.models import ActivityPublication, Decision, DecisionAmendment, DecisionEvidence
from engage.insight.framework_services import framework_built_in
from engage.insight.models import Category

EVIDENCE_PER_DECISION = 40
_MAKERS: tuple[tuple[str, str], ...] = (
    ("board", "Castlebridge Health and Wellbeing Board"),
    ("board", "Castlebridge Place Partnership Board"),
    ("committee", "Quality and Safety Committee"),
)
# What a partner might decide after listening, by what it heard most about.
_WHAT_WAS_DONE = (
    (
        "Clearer information before appointments",
        "People said they did not know what would happen or how long it would take, so letters and texts now say both.",
    ),
    (
        "Evening and weekend sessions",
        "People said they could not come during working hours, so sessions now run in the evening and on Saturdays.",
    ),
    (
        "A named contact for carers",
        "Carers said they had to repeat their story to everyone, so each now has one named person to call.",
    ),
    (
        "Easier booking by phone",
        "People said the phone line was always engaged, so more staff answer it at the busiest times.",
    ),
    (
        "Translated leaflets and interpreters",
        "People said they could not follow what they were told, so leaflets are translated and interpreters are booked ahead.",
    ),
)


def build_decisions(seed: int, today: date) -> int:
    """Decisions for the demo's activities that have given feedback; returns how many."""
    rng = random.Random(seed * 7919 + 1)
    themes = list(
        Category.objects.filter(framework=framework_built_in(), parent__isnull=False).order_by("pk")
    )
    activities = list(
        Activity.objects.filter(feedback_given_on__isnull=False, ends_on__lt=today)
        .select_related("lead_organisation")
        .order_by("pk")
    )
    made = 0
    for activity in activities:
        title, summary = rng.choice(_WHAT_WAS_DONE)
        given = activity.feedback_given_on or today
        status = rng.choices(["done", "in_progress", "agreed", "not_taken"], weights=[5, 3, 2, 1])[0]
        maker, maker_name = rng.choice((*_MAKERS, ("organisation", activity.lead_organisation.name)))
        decision = Decision.objects.create(
            organisation=activity.lead_organisation,
            title=title,
            summary=summary,
            decided_by=maker,
            decided_by_name=maker_name,
            decided_on=max(activity.ends_on, given - timedelta(days=rng.randint(3, 20))),
            status=status,
            reason_not_taken="The money was not there this year; we will look again next spring."
            if status == "not_taken"
            else "",
            activity=activity,
            published_at=timezone.now(),
        )
        decision.themes.set(rng.sample(themes, k=min(2, len(themes))))
        decision.priorities.set(activity.priorities.all())
        if status in ("done", "in_progress"):
            DecisionAmendment.objects.create(
                decision=decision,
                changes={"status": ["agreed", status]},
                note="Update to the board."
                if status == "in_progress"
                else "Finished, and checked with those who asked.",
            )
        heard = list(
            Conversation.objects.filter(activity=activity)
            .order_by("pk")
            .values_list("pk", flat=True)[:EVIDENCE_PER_DECISION]
        )
        DecisionEvidence.objects.bulk_create(
            DecisionEvidence(decision=decision, conversation_id=pk) for pk in heard
        )
        ActivityPublication.objects.create(
            activity=activity,
            published_at=timezone.now(),
            easy_read="We asked you what you think.\nYou told us what matters to you.\nThis is what we did."
            if made % 2 == 0
            else "",
        )
        made += 1
    return made
