"""The demo's "You said, we did": decisions made after the activities that have given
their feedback, linked to themes and to the conversations heard, and their pages
published, so a newcomer can follow the trail both ways and browse the public pages.
Activities whose promised feedback has passed without it are left as they are: the
closing-the-loop page lists them as overdue.

People of the lead organisation are recorded as having taken part, and the emails that
told them about each published decision are on record (the demo sends none). One
decision, on an activity whose feedback is overdue, is left agreed but unpublished, so
publishing it shows the emails being written (to the var folder, until a mail service
is set up).

Chosen with a random generator of its own, so the rest of the demo stays as it was.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from engage.activities.models import Activity
from engage.conversations.models import Conversation
from engage.conversations.quotes.selectors import quotes_waiting
from engage.conversations.quotes.services import quotes_decide
from engage.decisions.models import (
    ActivityPublication,
    Decision,
    DecisionAmendment,
    DecisionEvidence,
    FeedbackMessage,
    MessageStatus,
    Participation,
)
from engage.demo import conversations as conversation_text
from engage.demo import labels
from engage.insight.framework.services import framework_built_in
from engage.insight.models import Category
from engage.partners.models import ConsentPurpose, Organisation, OrganisationKind, Person

EVIDENCE_PER_DECISION = 40
PARTICIPANTS_PER_ACTIVITY = (4, 14)
_MAKERS: tuple[tuple[str, str], ...] = (
    ("board", "Castlebridge Health and Wellbeing Board"),
    ("board", "Castlebridge Place Partnership Board"),
    ("committee", "Quality and Safety Committee"),
)
# What a partner might decide after listening, by the theme it heard most about (the
# first of the activity's themes that has one): a decision about carers beside quotes
# about the community transport survey read as if nobody had listened.
WHAT_WAS_DONE: dict[str, tuple[str, str]] = {
    "appointments": (
        "Easier booking by phone",
        "People said the phone line was always engaged, so more staff answer it at the busiest times.",
    ),
    "information": (
        "Clearer information before appointments",
        "People said they did not know what would happen or how long it would take, so letters and texts now say both.",
    ),
    "carers": (
        "A named contact for carers",
        "Carers said they had to repeat their story to everyone, so each now has one named person to call.",
    ),
    "access": (
        "Translated leaflets and interpreters",
        "People said they could not follow what they were told, so leaflets are translated and interpreters are booked ahead.",
    ),
    "mental_health": (
        "A call back within a day from the crisis line",
        "People said the crisis line rang out, so every missed call is now returned within 24 hours.",
    ),
    "waiting": (
        "Waiting times shown and updated every hour",
        "People said nobody told them how long they would wait, so a screen shows it and staff update it hourly.",
    ),
    "parking_transport": (
        "A hopper bus to the hospital and clearer parking",
        "People said they could not get there without a car, so a hopper bus now runs from the town centre.",
    ),
    "discharge": (
        "Medicines ready before people leave hospital",
        "People said they waited all day to go home for their medicines, so these are now ordered the day before.",
    ),
    "staff_manner": (
        "Staff training on kindness at the front desk",
        "People said reception could feel cold, so every receptionist has had customer care training.",
    ),
    "compassion": (
        "Quiet rooms for difficult conversations",
        "People said bad news was given in corridors, so each ward now has a quiet room for it.",
    ),
    "food": (
        "Help at mealtimes for those who need it",
        "People said trays were left out of reach, so volunteers now help at every mealtime.",
    ),
    "medication": (
        "Pharmacists explain new medicines",
        "People said nobody explained their new medicines, so a pharmacist now talks each one through.",
    ),
    "continuity": (
        "Seeing the same nurse each visit",
        "People said they had to explain themselves to someone new each time, so each patient has a named nurse.",
    ),
    "dignity": (
        "Privacy screens and single-sex bays",
        "People said they had no privacy, so screens were fitted and bays are single-sex.",
    ),
    "wider": (
        "Evening and weekend sessions",
        "People said they could not come during working hours, so sessions now run in the evening and on Saturdays.",
    ),
}
_GENERAL = ("wider",)


def _what_was_done(activity: Activity) -> tuple[str, tuple[str, str]]:
    """The theme key the decision answers, and its title and summary: the first of the
    activity's themes with a decision to answer it."""
    plan = conversation_text.activity_plan(activity.topic, activity.title)
    themes = (plan[1] if plan else ()) + _GENERAL
    key = next(theme for theme in themes if theme in WHAT_WAS_DONE)
    return key, WHAT_WAS_DONE[key]


def build_decisions(seed: int, today: date) -> int:
    """Decisions for the demo's activities that have given feedback; returns how many.

    Each activity's records are made in memory and written a table at a time at the
    end (a decision and its nine kinds of record, one query each, for 150 activities,
    were most of the time a demo took to load); only the quotes go through the service,
    one by one, as their staff would decide them. The random choices are drawn in the
    same order as ever, so a seed builds the same demo."""
    rng = random.Random(seed * 7919 + 1)
    themes = list(
        Category.objects.filter(framework=framework_built_in(), parent__isnull=False).order_by("pk")
    )
    by_name = {category.name: category for category in themes}
    activities = list(
        Activity.objects.filter(feedback_given_on__isnull=False, ends_on__lt=today)
        .select_related("lead_organisation")
        .prefetch_related("priorities")
        .order_by("pk")
    )
    people = _people_of({activity.lead_organisation_id for activity in activities})
    heard = _evidence_for({activity.pk for activity in activities})
    made = _Made()
    for activity in activities:
        answered, (title, summary) = _what_was_done(activity)
        given = activity.feedback_given_on or today
        status = rng.choices(["done", "in_progress", "agreed", "not_taken"], weights=[5, 3, 2, 1])[0]
        maker, maker_name = rng.choice((*_MAKERS, ("organisation", activity.lead_organisation.name)))
        decision = Decision(
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
        made.decisions.append(decision)
        # The framework's sub-categories for the theme it answers, as its analyst would tag it.
        made.themes.append(
            (decision, [by_name[name].pk for name in labels.THEME_SUBCATEGORIES[answered] if name in by_name])
        )
        made.priorities.append((decision, [priority.pk for priority in activity.priorities.all()]))
        if status in ("done", "in_progress"):
            made.amendments.append(
                DecisionAmendment(
                    decision=decision,
                    changes={"status": ["agreed", status]},
                    note="Update to the board."
                    if status == "in_progress"
                    else "Finished, and checked with those who asked.",
                )
            )
        made.evidence += [
            DecisionEvidence(decision=decision, conversation_id=pk) for pk in heard.get(activity.pk, [])
        ]
        _quotes_decided(rng, activity, made.quotes)
        made.publications.append(
            ActivityPublication(
                activity=activity,
                published_at=timezone.now(),
                easy_read="We asked you what you think.\nYou told us what matters to you.\nThis is what we did."
                if len(made.publications) % 2 == 0
                else "",
            )
        )
        chosen = _participants_chosen(rng, people.get(activity.lead_organisation_id, []))
        made.participations += [Participation(activity=activity, person_id=pk) for pk in chosen]
        made.told += [(decision, pk) for pk in chosen]
    made.save()
    _ready_to_publish(rng, today, by_name)
    return len(made.decisions)


@dataclass
class _Made:
    """The records of the demo's decisions, kept until they are written together."""

    decisions: list[Decision] = field(default_factory=list)
    # (A decision not yet saved cannot be a key: these are pairs.)
    themes: list[tuple[Decision, list[int]]] = field(default_factory=list)
    priorities: list[tuple[Decision, list[int]]] = field(default_factory=list)
    amendments: list[DecisionAmendment] = field(default_factory=list)
    evidence: list[DecisionEvidence] = field(default_factory=list)
    publications: list[ActivityPublication] = field(default_factory=list)
    participations: list[Participation] = field(default_factory=list)
    # Each decision with a person who took part: told of it if they may be emailed.
    told: list[tuple[Decision, int]] = field(default_factory=list)
    # Each organisation's decisions on quoting its conversations: id -> approved.
    quotes: dict[Organisation, dict[int, bool]] = field(default_factory=dict)

    def save(self) -> None:
        Decision.objects.bulk_create(self.decisions)  # sets their ids, which the rest need
        Decision.themes.through.objects.bulk_create(
            Decision.themes.through(decision_id=decision.pk, category_id=pk)
            for decision, pks in self.themes
            for pk in pks
        )
        Decision.priorities.through.objects.bulk_create(
            Decision.priorities.through(decision_id=decision.pk, partnershippriority_id=pk)
            for decision, pks in self.priorities
            for pk in pks
        )
        DecisionAmendment.objects.bulk_create(self.amendments)
        DecisionEvidence.objects.bulk_create(self.evidence)
        ActivityPublication.objects.bulk_create(self.publications)
        Participation.objects.bulk_create(self.participations)
        emails = _emails_of_those_who_may_be_told({pk for _, pk in self.told})
        FeedbackMessage.objects.bulk_create(
            FeedbackMessage(
                decision=decision,
                person_id=pk,
                status=MessageStatus.SENT,
                sent_to=emails[pk],
                attempts=1,
                sent_at=decision.published_at,
            )
            for decision, pk in self.told
            if pk in emails
        )
        for organisation, approvals in self.quotes.items():
            quotes_decide(actor=None, organisation=organisation, approvals=approvals)


def _people_of(organisations: set[int]) -> dict[int, list[int]]:
    """The ids of the first 400 people of each organisation, those who may take part."""
    # Their ids only: making 400 people's records for each of 160 activities was most of
    # the time the demo took to load.
    return {
        organisation: list(
            Person.objects.filter(organisation_id=organisation)
            .order_by("pk")
            .values_list("pk", flat=True)[:400]
        )
        for organisation in organisations
    }


def _evidence_for(activities: set[int]) -> dict[int, list[int]]:
    """The first conversations heard at each activity (by id), up to EVIDENCE_PER_DECISION."""
    heard: dict[int, list[int]] = {}
    rows = (
        Conversation.objects.filter(activity_id__in=activities)
        .order_by("pk")
        .values_list("activity_id", "pk")
    )
    for activity, pk in rows.iterator(chunk_size=10_000):
        first = heard.setdefault(activity, [])
        if len(first) < EVIDENCE_PER_DECISION:
            first.append(pk)
    return heard


def _participants_chosen(rng: random.Random, people: list[int]) -> list[int]:
    """Some of the lead organisation's people, as having taken part."""
    if not people:
        return []
    return rng.sample(people, k=min(len(people), rng.randint(*PARTICIPANTS_PER_ACTIVITY)))


def _emails_of_those_who_may_be_told(people: set[int]) -> dict[int, str]:
    """Of `people`, those who may be told (consent to contact, an email address): their emails."""
    return dict(
        Person.objects.filter(pk__in=people)
        .filter(consents__purpose=ConsentPurpose.CONTACT, consents__withdrawn_on__isnull=True)
        .exclude(email="")
        .distinct()
        .values_list("pk", "email")
    )


def _ready_to_publish(rng: random.Random, today: date, by_name: dict[str, Category]) -> None:
    """An agreed decision, not yet published, on an overdue activity of the ICB (whose
    demo officer signs in first), with people who took part."""
    # One people were heard at, so its public page has something to show.
    overdue = (
        Activity.objects.filter(feedback_promised_on__lt=today, feedback_given_on__isnull=True)
        .filter(pk__in=Conversation.objects.values("activity_id"))
        .select_related("lead_organisation")
    )
    icb_first = [
        *overdue.filter(lead_organisation__kind=OrganisationKind.ICB).order_by("pk"),
        *overdue.order_by("pk"),
    ]
    for activity in icb_first:
        if not Person.objects.filter(organisation=activity.lead_organisation).exists():
            continue
        answered, (title, summary) = _what_was_done(activity)
        decision = Decision.objects.create(
            organisation=activity.lead_organisation,
            title=title,
            summary=summary,
            decided_by="organisation",
            decided_by_name=activity.lead_organisation.name,
            decided_on=max(activity.ends_on, today - timedelta(days=7)),
            status="agreed",
            activity=activity,
        )
        decision.themes.set(
            [by_name[name] for name in labels.THEME_SUBCATEGORIES[answered] if name in by_name]
        )
        chosen = _participants_chosen(
            rng, _people_of({activity.lead_organisation_id})[activity.lead_organisation_id]
        )
        Participation.objects.bulk_create(Participation(activity=activity, person_id=pk) for pk in chosen)
        return


QUOTES_APPROVED_PER_ACTIVITY = 6
WORDS_WORTH_QUOTING = 6


def _quotes_decided(
    rng: random.Random, activity: Activity, decided: dict[Organisation, dict[int, bool]]
) -> None:
    """Staff of each organisation that heard the activity's conversations have approved
    some of the words of those who agreed to be quoted, and rejected a few; the rest
    wait, as they would, on the quotes page. Noted in `decided`, and made all at once
    (`quotes_decide`): an activity's decisions touch only its own conversations, so
    what waits for the next activity is the same either way."""
    heard_by = Organisation.objects.filter(conversations__activity=activity).distinct()
    for organisation in heard_by:
        waiting = list(
            quotes_waiting(organisation, activity_id=activity.pk)[: QUOTES_APPROVED_PER_ACTIVITY * 2]
        )
        # A person approves words that say something, and turns down a non-answer
        # ("Can't think of anything") rather than publish it as what people said.
        saying = [c for c in waiting if len(c.text.split()) >= WORDS_WORTH_QUOTING]
        approved = rng.sample(saying, k=min(len(saying), QUOTES_APPROVED_PER_ACTIVITY))
        rest = [c for c in waiting if c not in approved]
        rejected = rng.sample(rest, k=min(len(rest), 1))
        for conversation, approve in [(c, True) for c in approved] + [(c, False) for c in rejected]:
            decided.setdefault(organisation, {})[conversation.pk] = approve
