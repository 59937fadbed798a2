"""The partnership's self-assessment: rounds, single-use anonymous links, results that
never show a group of fewer than five alone (nor let one be worked out from the rest),
trends from the baseline, and the statements, objectives and pledge kept by the
partnership's administrators."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engage.activities.tests.factories import ActivityFactory
from engage.core.errors import Conflict, InvalidInput, NotFound
from engage.core.models import AuditEvent
from engage.evaluation.models import (
    AssessmentRound,
    Principle,
    Score,
    ScorerGroup,
    ScoreSheet,
    ScoringLink,
    Statement,
)
from engage.evaluation.self_assessment import selectors, services
from engage.evaluation.self_assessment.selectors import MIN_SHOWN, OTHERS, shown_groups
from engage.evaluation.tests.factories import AssessmentRoundFactory, StatementFactory, sheets

GROUPS = list(ScorerGroup.values)


@given(st.dictionaries(st.sampled_from(GROUPS), st.integers(min_value=0, max_value=30)))
@settings(max_examples=300, deadline=None)
def test_no_row_stands_for_fewer_than_five_and_the_rows_add_up_to_everyone(counts: dict[str, int]) -> None:
    rows = shown_groups(counts)
    answered = {g for g, n in counts.items() if n > 0}
    shown = [g for _, members in rows for g in members]
    assert len(shown) == len(set(shown))  # each group in one row at most
    for label, members in rows:
        assert sum(counts[g] for g in members) >= MIN_SHOWN
        assert label == OTHERS or len(members) == 1
    total = sum(counts.values())
    if total >= MIN_SHOWN:
        # Every answer is in a row, so no row can be worked out as everyone less the others.
        assert set(shown) == answered
    else:
        assert rows == []


def test_a_small_group_is_shown_with_others_never_alone() -> None:
    rows = dict(shown_groups({"vcse": 9, "nhs": 6, "healthwatch": 3}))
    # Healthwatch's three cannot be shown alone, nor together as three: the smallest
    # group shown alone (the NHS's six) joins them.
    assert rows == {"The voluntary and community sector (VCSE)": ["vcse"], OTHERS: ["nhs", "healthwatch"]}


@pytest.mark.django_db
def test_round_results_give_each_group_its_spread_and_fold_the_small_one() -> None:
    scoring = AssessmentRoundFactory()
    statement = StatementFactory()
    scoring.statements.set([statement])
    sheets(scoring, statement, ScorerGroup.VCSE, [2, 3, 3, 4, 5, 6])
    sheets(scoring, statement, ScorerGroup.NHS, [6, 7, 7, 8, 8])
    sheets(scoring, statement, ScorerGroup.HEALTHWATCH, [1, 9])
    result = selectors.round_results(scoring).statements[0]
    rows = {row.label: row.spread for row in result.groups}
    assert set(rows) == {"The voluntary and community sector (VCSE)", OTHERS}
    assert rows[OTHERS].answers == 7  # the NHS's five with Healthwatch's two
    assert rows["The voluntary and community sector (VCSE)"].mean == 3.8
    assert result.overall is not None
    assert result.overall.answers == 13
    vcse = rows["The voluntary and community sector (VCSE)"]
    assert (vcse.lower_quartile, vcse.median, vcse.upper_quartile) == (3.0, 3.5, 4.75)


def _open_round() -> AssessmentRound:
    StatementFactory()
    return services.round_open(actor=None, title="Spring 2027", today=dt.date(2027, 3, 1))


@pytest.mark.django_db
def test_a_link_scores_once_anonymously_and_leaves_no_trail_to_the_scorer() -> None:
    scoring = _open_round()
    made = services.scoring_links_make(actor=None, round_id=scoring.pk, group="vcse", count=2)
    token = made.tokens[0]
    assert not ScoringLink.objects.filter(digest=token).exists()  # only its digest is kept
    statement = scoring.statements.first()
    events = AuditEvent.objects.count()
    services.score_sheet_record(
        token=token, scores={str(statement.pk): "7"}, comments={str(statement.pk): "Better."}
    )
    assert AuditEvent.objects.count() == events  # scoring is not audited: there is no one to name
    with pytest.raises(NotFound) as again:
        services.score_sheet_record(token=token, scores={str(statement.pk): "2"}, comments={})
    assert "used" in again.value.message
    assert list(Score.objects.values_list("score", flat=True)) == [7]
    # What is kept: the sheet's round and group, the link's "used", nothing more.
    assert {f.name for f in ScoreSheet._meta.get_fields()} == {"id", "round", "group", "scores"}
    assert {f.name for f in ScoringLink._meta.get_fields()} == {"id", "round", "group", "digest", "used"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scores", "field"),
    [({"x": "7"}, "scores"), ({}, "score_"), ("eleven", "score_")],
)
def test_a_bad_score_sheet_is_refused_and_the_link_still_works(scores: object, field: str) -> None:
    scoring = _open_round()
    statement = scoring.statements.first()
    token = services.scoring_links_make(actor=None, round_id=scoring.pk, group="nhs", count=1).tokens[0]
    sent = {str(statement.pk): "11"} if scores == "eleven" else scores
    with pytest.raises(InvalidInput) as refused:
        services.score_sheet_record(token=token, scores=sent, comments={})  # type: ignore[arg-type]
    assert any(name.startswith(field) for name in refused.value.errors)
    assert not ScoreSheet.objects.exists()
    assert not ScoringLink.objects.get().used


@pytest.mark.django_db
def test_one_round_is_open_at_a_time_and_a_closed_one_takes_no_scores() -> None:
    scoring = _open_round()
    with pytest.raises(Conflict):
        services.round_open(actor=None, title="Another")
    token = services.scoring_links_make(actor=None, round_id=scoring.pk, group="public", count=1).tokens[0]
    services.round_close(actor=None, round_id=scoring.pk, today=dt.date(2027, 3, 20))
    with pytest.raises(NotFound) as closed:
        services.scoring_link_round(token)
    assert "closed" in closed.value.message
    with pytest.raises(InvalidInput):
        services.scoring_links_make(actor=None, round_id=scoring.pk, group="public", count=1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("group", "count", "field"), [("nobody", 3, "group"), ("vcse", 0, "count"), ("vcse", 201, "count")]
)
def test_links_are_made_only_for_a_group_and_a_sensible_number(group: str, count: int, field: str) -> None:
    scoring = _open_round()
    with pytest.raises(InvalidInput) as refused:
        services.scoring_links_make(actor=None, round_id=scoring.pk, group=group, count=count)
    assert field in refused.value.errors


@pytest.mark.django_db
def test_trends_run_from_the_baseline_and_leave_a_gap_where_a_group_was_too_small() -> None:
    statement = StatementFactory()
    first = AssessmentRoundFactory(opened_on=dt.date(2025, 1, 1), closed_on=dt.date(2025, 1, 20))
    second = AssessmentRoundFactory(opened_on=dt.date(2026, 1, 1), closed_on=dt.date(2026, 1, 20))
    for scoring in (first, second):
        scoring.statements.set([statement])
    sheets(first, statement, "vcse", [3, 3, 3, 4, 4])
    sheets(first, statement, "nhs", [5, 5, 5, 5, 5])
    sheets(second, statement, "vcse", [6, 6, 6, 6, 6])
    sheets(second, statement, "nhs", [7, 7])
    trend = next(t for t in selectors.statement_trends() if t.statement == statement)
    assert trend.overall.means == [4.2, 6.3]
    assert trend.change == 2.1
    nhs = next(s for s in trend.groups if s.label == "The NHS")
    assert nhs.means == [5.0, None]  # two NHS scores in the second round: no point of its own


@pytest.mark.django_db
def test_an_open_rounds_scores_are_left_out_of_the_trends() -> None:
    statement = StatementFactory()
    scoring = AssessmentRoundFactory(closed_on=None)
    scoring.statements.set([statement])
    sheets(scoring, statement, "vcse", [9, 9, 9, 9, 9])
    trend = next(t for t in selectors.statement_trends() if t.statement == statement)
    assert trend.rounds == []
    assert trend.overall.means == []


@pytest.mark.django_db
def test_a_scored_statement_keeps_its_words() -> None:
    statement = StatementFactory()
    scoring = AssessmentRoundFactory()
    sheets(scoring, statement, "vcse", [5])
    with pytest.raises(InvalidInput) as refused:
        services.statement_save(actor=None, statement_id=statement.pk, text="New words")
    assert "Retire it" in refused.value.errors["text"]
    services.statement_save(actor=None, statement_id=statement.pk, text=statement.text, is_active=False)
    assert not Statement.objects.get(pk=statement.pk).is_active


@pytest.mark.django_db
def test_the_five_baseline_statements_and_the_pledge_are_there_from_the_start() -> None:
    assert Statement.objects.filter(from_baseline=True).count() == 5
    assert Statement.objects.filter(text="The ICB is meaningfully engaged with the community").exists()
    assert Principle.objects.filter(is_active=True).count() == 5


@pytest.mark.django_db
def test_an_objective_names_its_statements_and_activities_and_refuses_unknown_ones() -> None:
    statement = StatementFactory()
    activity = ActivityFactory()
    objective = services.objective_save(
        actor=None,
        title="Impact",
        description="Show the VCSE's contribution.",
        owner="Healthwatch",
        due_on=dt.date(2027, 3, 31),
        status="on_track",
        statement_ids=[statement.pk],
        activity_ids=[activity.pk],
    )
    assert list(objective.statements.all()) == [statement]
    assert list(objective.activities.all()) == [activity]
    with pytest.raises(InvalidInput) as refused:
        services.objective_save(
            actor=None,
            title="Impact",
            description="",
            owner="Healthwatch",
            due_on=dt.date(2027, 3, 31),
            status="on_track",
            statement_ids=[],
            activity_ids=[999999],
            objective_id=objective.pk,
        )
    assert "activities" in refused.value.errors
    action = services.objective_action_save(
        actor=None, objective_id=objective.pk, title="Report yearly", owner="Healthwatch", due_on=dt.date(2027, 1, 1),
        status="not_started",
    )  # fmt: skip
    assert selectors.objective_list()[0].actions_by_status == {"not_started": 1}
    with pytest.raises(InvalidInput):
        services.objective_action_save(
            actor=None, objective_id=objective.pk, action_id=action.pk, title="Report yearly", owner="Healthwatch",
            due_on=dt.date(2027, 1, 1), status="finished",
        )  # fmt: skip


@pytest.mark.django_db
def test_one_row_of_every_group_together_is_shown_once_as_everyone() -> None:
    scoring = AssessmentRoundFactory()
    statement = StatementFactory()
    scoring.statements.set([statement])
    sheets(scoring, statement, ScorerGroup.VCSE, [4, 5, 5, 6, 6])
    sheets(scoring, statement, ScorerGroup.PUBLIC, [2])
    result = selectors.round_results(scoring).statements[0]
    assert result.groups == []
    assert result.overall is not None
    assert result.overall.answers == 6


@pytest.mark.django_db
def test_comments_too_few_to_theme_are_listed_once_each_with_how_many_wrote_them() -> None:
    scoring = AssessmentRoundFactory()
    statement = StatementFactory()
    scoring.statements.set([statement])
    sheets(scoring, statement, ScorerGroup.VCSE, [4, 5, 6])
    Score.objects.update(comment="Trust is growing. Call Dr Patel on 07700 900123.")
    comments = selectors.round_comments(scoring)
    assert comments.themes == []
    ((text, times),) = comments.unthemed
    assert times == 3
    assert "07700" not in text
