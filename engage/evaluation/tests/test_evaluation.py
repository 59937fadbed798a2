"""An activity's evaluation: it opens when the activity ends, its state is worked out from
its parts, the team's account is checked field by field, and participants' answers are
published under disclosure control, their comments read only by the lead organisation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from engage.activities.tests.factories import ActivityFactory
from engage.core.disclosure import DisclosureRule
from engage.core.errors import InvalidInput, NotFound
from engage.core.models import AuditEvent
from engage.decisions.tests.factories import DecisionFactory
from engage.evaluation import selectors, services
from engage.evaluation.models import Evaluation, Met, ParticipantAnswer, Principle, PrincipleAssessment
from engage.evaluation.tests.factories import EvaluationFactory, ParticipantAnswerFactory
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ENDED = dt.date(2026, 3, 20)  # the factory's activities end on this day
AFTER = dt.date(2026, 4, 1)
LONG_AFTER = dt.date(2026, 7, 1)  # past the eight weeks an evaluation is given
RULE = DisclosureRule(smallest_shown=8, round_to=5)


def _complete(evaluation: Evaluation) -> None:
    evaluation.staff_hours = Decimal(10)
    evaluation.volunteer_hours = Decimal(0)
    evaluation.cost_pounds = Decimal(50)
    evaluation.what_worked = "Going to the market."
    evaluation.what_did_not = "Too short."
    evaluation.participants_closed_at = dt.datetime(2026, 4, 10, tzinfo=dt.UTC)
    evaluation.influence_note = "Goes to the next review."
    evaluation.save()


def test_an_evaluation_opens_only_once_its_activity_has_ended_and_only_once() -> None:
    activity = ActivityFactory()
    with pytest.raises(InvalidInput) as refused:
        services.evaluation_open(activity=activity, today=ENDED)
    assert "once it has ended" in refused.value.errors["activity"]
    first = services.evaluation_open(activity=activity, today=AFTER)
    assert services.evaluation_open(activity=activity, today=AFTER) == first
    assert Evaluation.objects.count() == 1


def test_the_daily_run_opens_the_evaluation_of_every_ended_activity_and_no_other() -> None:
    ended = ActivityFactory()
    ActivityFactory(starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 5, 30))
    assert services.evaluations_open_ended(today=AFTER) == 1
    assert list(Evaluation.objects.values_list("activity_id", flat=True)) == [ended.pk]
    assert services.evaluations_open_ended(today=AFTER) == 0


def test_state_follows_the_parts_and_a_decision_recorded_later_completes_it() -> None:
    activity = ActivityFactory()
    states = lambda today: selectors.evaluation_states(activity_ids=[activity.pk], today=today)[activity.pk]  # noqa: E731
    assert states(ENDED) == selectors.State.NOT_ENDED
    assert states(AFTER) == selectors.State.OPEN
    assert states(LONG_AFTER) == selectors.State.OVERDUE
    evaluation = EvaluationFactory(activity=activity)
    _complete(evaluation)
    assert states(LONG_AFTER) == selectors.State.COMPLETE
    # Without the team's note on influence it is not complete, until a decision records it.
    evaluation.influence_note = ""
    evaluation.save()
    assert states(LONG_AFTER) == selectors.State.OVERDUE
    DecisionFactory(activity=activity)
    assert states(LONG_AFTER) == selectors.State.COMPLETE


def test_counts_and_the_overdue_list_are_of_the_organisation_asked_for() -> None:
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    late = ActivityFactory(lead_organisation=mine, title="Late one")
    ActivityFactory(lead_organisation=theirs)
    done = ActivityFactory(lead_organisation=mine)
    _complete(EvaluationFactory(activity=done))
    counts = selectors.evaluation_counts(organisation_id=mine.pk, today=LONG_AFTER)
    assert (counts.open, counts.overdue, counts.complete) == (0, 1, 1)
    overdue = selectors.evaluation_overdue_list(organisation=mine, today=LONG_AFTER)
    assert [a.pk for a in overdue.items] == [late.pk]
    assert overdue.total == 1
    assert selectors.evaluation_counts(today=LONG_AFTER).overdue == 2


def test_the_teams_account_is_checked_field_by_field_and_nothing_is_saved_when_wrong() -> None:
    activity = ActivityFactory()
    with pytest.raises(InvalidInput) as refused:
        services.evaluation_cost_record(
            actor=None,
            organisation=activity.lead_organisation,
            activity_id=activity.pk,
            staff_hours="-3",
            volunteer_hours="lots",
            cost_pounds="£1,250.50",
            what_worked="",
            what_did_not="Too short.",
        )
    assert set(refused.value.errors) == {"staff_hours", "volunteer_hours", "what_worked"}
    assert "0 up to" in refused.value.errors["staff_hours"]
    assert "as a number" in refused.value.errors["volunteer_hours"]
    assert not Evaluation.objects.exists()
    saved = services.evaluation_cost_record(
        actor=None,
        organisation=activity.lead_organisation,
        activity_id=activity.pk,
        staff_hours="12.5",
        volunteer_hours="0",
        cost_pounds="£1,250.50",
        what_worked="Going to the market.",
        what_did_not="Too short.",
    )
    assert saved.cost_pounds == Decimal("1250.50")
    assert saved.cost_complete
    assert AuditEvent.objects.filter(subject_type="evaluation", subject_id=str(activity.pk)).exists()


def test_only_the_lead_organisation_writes_an_evaluation() -> None:
    activity = ActivityFactory()
    with pytest.raises(InvalidInput) as refused:
        services.evaluation_influence_note(
            actor=None, organisation=OrganisationFactory(), activity_id=activity.pk, note="Not ours."
        )
    assert "activity" in refused.value.errors
    assert not Evaluation.objects.exists()


def test_closing_without_answers_needs_a_reason_and_a_closed_form_takes_no_answers() -> None:
    evaluation = EvaluationFactory()
    activity = evaluation.activity
    with pytest.raises(InvalidInput) as refused:
        services.evaluation_participants_close(
            actor=None, organisation=activity.lead_organisation, activity_id=activity.pk
        )
    assert "not_asked" in refused.value.errors
    services.evaluation_participants_close(
        actor=None,
        organisation=activity.lead_organisation,
        activity_id=activity.pk,
        not_asked="One-to-one calls.",
    )
    with pytest.raises(InvalidInput):
        services.participant_answer_record(
            token=evaluation.public_token, ratings={"listened": "5"}, comment=""
        )
    assert not ParticipantAnswer.objects.exists()


@pytest.mark.parametrize(
    ("ratings", "comment", "field"),
    [
        ({"listened": "6"}, "", "listened"),
        ({"accessible": "0"}, "", "accessible"),
        ({"know_next": "three"}, "", "know_next"),
        ({}, "", "listened"),  # nothing at all
        ({"listened": "4"}, "x" * 2001, "comment"),
    ],
)
def test_a_bad_answer_is_refused_naming_the_question(
    ratings: dict[str, object], comment: str, field: str
) -> None:
    evaluation = EvaluationFactory()
    with pytest.raises(InvalidInput) as refused:
        services.participant_answer_record(token=evaluation.public_token, ratings=ratings, comment=comment)
    assert field in refused.value.errors
    assert not ParticipantAnswer.objects.exists()


def test_an_unknown_link_is_not_found() -> None:
    with pytest.raises(NotFound):
        services.participant_answer_record(token="not-a-token", ratings={"listened": "4"}, comment="")


def test_an_answer_keeps_nothing_that_says_who_gave_it() -> None:
    fields = {field.name for field in ParticipantAnswer._meta.get_fields()}
    assert fields == {
        "id", "evaluation", "listened", "accessible", "know_next", "take_part_again", "comment", "source",
        "answered_on", "record_key",
    }  # fmt: skip


def test_participants_figures_are_hidden_until_enough_answered_then_rounded() -> None:
    evaluation = EvaluationFactory()
    ParticipantAnswerFactory.create_batch(5, evaluation=evaluation, listened=5)
    few = selectors.participant_results(ParticipantAnswer.objects.all(), RULE)[0]
    assert few.answered.hidden
    assert few.agree_share == "*"
    ParticipantAnswerFactory.create_batch(12, evaluation=evaluation, listened=5)
    ParticipantAnswerFactory.create_batch(9, evaluation=evaluation, listened=2)
    listened = selectors.participant_results(ParticipantAnswer.objects.all(), RULE)[0]
    assert listened.answered.value == 25  # 26, rounded to 5
    assert [c.value for c in listened.counts] == [0, 10, 0, 0, 15]  # 9 and 17, rounded
    assert listened.agree.value == 15
    assert listened.agree_share == "60%"


def test_the_evaluation_page_view_shows_comments_redacted_and_only_to_the_lead_organisation() -> None:
    evaluation = EvaluationFactory()
    ParticipantAnswerFactory(evaluation=evaluation, comment="Ring me on 07700 900123 about it.")
    activity = evaluation.activity
    own = selectors.evaluation_view(
        activity=activity, viewer_organisation=activity.lead_organisation, may_read_comments=True, today=AFTER
    )
    assert own.participants.comments
    assert "07700" not in own.participants.comments[0]
    other = selectors.evaluation_view(
        activity=activity, viewer_organisation=OrganisationFactory(), may_read_comments=True, today=AFTER
    )
    assert other.participants.comments is None
    board = selectors.evaluation_view(
        activity=activity,
        viewer_organisation=activity.lead_organisation,
        may_read_comments=False,
        today=AFTER,
    )
    assert board.participants.comments is None


def test_reach_names_the_target_groups_and_says_which_it_cannot_count() -> None:
    activity = ActivityFactory(target_groups=["carers", "lgbtq"])
    view = selectors.evaluation_view(
        activity=activity, viewer_organisation=None, may_read_comments=False, today=AFTER
    )
    assert view.reach is not None
    carers, lgbtq = view.reach.targets
    assert carers.label == "Carers"
    assert [row.name for row in carers.rows] == ["Carers"]
    assert lgbtq.rows == []
    assert "does not count" in lgbtq.note
    assert lgbtq.heard_well is None


def test_principles_are_assessed_and_a_cleared_one_is_unassessed() -> None:
    evaluation = EvaluationFactory()
    activity = evaluation.activity
    first, second, *_ = Principle.objects.all()
    services.principles_assess(
        actor=None,
        organisation=activity.lead_organisation,
        activity_id=activity.pk,
        assessed={str(first.pk): Met.MET, str(second.pk): Met.PARTLY},
    )
    services.principles_assess(
        actor=None,
        organisation=activity.lead_organisation,
        activity_id=activity.pk,
        assessed={str(first.pk): Met.NOT_MET, str(second.pk): ""},
    )
    assert dict(PrincipleAssessment.objects.values_list("principle_id", "met")) == {first.pk: Met.NOT_MET}
    with pytest.raises(InvalidInput) as refused:
        services.principles_assess(
            actor=None,
            organisation=activity.lead_organisation,
            activity_id=activity.pk,
            assessed={"99999": Met.MET},
        )
    assert "principle_99999" in refused.value.errors


def test_paper_answers_are_typed_in_by_the_lead_organisation_with_the_day_given() -> None:
    evaluation = EvaluationFactory()
    activity = evaluation.activity
    answer = services.participant_answer_enter(
        actor=None,
        organisation=activity.lead_organisation,
        activity_id=activity.pk,
        ratings={"listened": "3"},
        comment="",
        answered_on=dt.date(2026, 3, 21),
    )
    assert (answer.source, answer.answered_on, answer.listened) == ("paper", dt.date(2026, 3, 21), 3)
    with pytest.raises(InvalidInput) as refused:
        services.participant_answer_enter(
            actor=None,
            organisation=activity.lead_organisation,
            activity_id=activity.pk,
            ratings={"listened": "3"},
            comment="",
            answered_on=dt.date(2099, 1, 1),
        )
    assert "answered_on" in refused.value.errors


def test_while_the_form_is_open_only_the_number_of_answers_is_shown() -> None:
    evaluation = EvaluationFactory()
    ParticipantAnswerFactory.create_batch(20, evaluation=evaluation, listened=5)
    activity = evaluation.activity
    view = lambda: selectors.evaluation_view(  # noqa: E731
        activity=activity, viewer_organisation=None, may_read_comments=False, today=AFTER, rule=RULE
    )
    assert view().participants.questions == []
    assert view().participants.answers.value == 20
    services.evaluation_participants_close(
        actor=None, organisation=activity.lead_organisation, activity_id=activity.pk
    )
    listened = view().participants.questions[0]
    assert listened.agree_share == "100%"
