"""Evaluation for analysts and other systems: each ended activity's evaluation state and
its participants' published figures; the self-assessment's closed rounds, statement by
statement and group by group, under the same rule as the pages (no group of fewer than
five shown alone); and the board's page as last worked out. Figures only: participants'
and partners' comments stay on the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from engage.api.fields import SearchField
from engage.api.permissions import requires
from engage.api.schema import errors
from engage.api.views import ApiView, Pages, parse_query
from engage.core.disclosure import DisclosureRule
from engage.core.roles import Permission
from engage.evaluation import selectors
from engage.evaluation.board import assurance
from engage.evaluation.board.selectors import board_latest
from engage.evaluation.models import evaluation_due_on
from engage.evaluation.self_assessment.selectors import round_list, round_results


def _count() -> serializers.IntegerField:
    return serializers.IntegerField(allow_null=True, min_value=0, help_text="Null where too few to show.")


class EvaluationFiltersSerializer(serializers.Serializer[Any]):
    state = serializers.ChoiceField(
        [(key, words) for key, words in selectors.STATE_WORDS.items() if key != selectors.State.NOT_ENDED],
        required=False,
        help_text="Only evaluations in this state.",
    )
    q = SearchField(help_text="Words in the activity's title.")


class ParticipantQuestionSerializer(serializers.Serializer[Any]):
    question = serializers.CharField()
    answered = _count()
    agreed = _count()


class EvaluationSerializer(serializers.Serializer[Any]):
    activity_id = serializers.IntegerField()
    title = serializers.CharField()
    lead_organisation = serializers.CharField()
    ended_on = serializers.DateField()
    due_on = serializers.DateField()
    state = serializers.ChoiceField(list(selectors.STATE_WORDS))
    answers = _count()
    questions = ParticipantQuestionSerializer(
        many=True, help_text="Empty until the participants' form is closed."
    )


class EvaluationListApi(ApiView):
    """Every ended activity's evaluation: its state (open, overdue, complete) and what its
    participants said, each count published as the page publishes it."""

    pagination_class = Pages
    permission_classes = [requires(Permission.VIEW_REGISTER)]

    @extend_schema(
        parameters=[EvaluationFiltersSerializer],
        responses={200: EvaluationSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request: Request) -> Response:
        given = parse_query(
            EvaluationFiltersSerializer,
            {"state": request.query_params.get("state"), "q": request.query_params.get("q")},
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.evaluation_list(state=given.get("state", ""), search=given.get("q", "")),
            request,
            view=self,
        )
        rule = DisclosureRule.from_settings()
        rows = []
        for activity in page or []:
            answers, results = selectors.participant_figures(activity=activity, rule=rule)
            rows.append(
                {
                    "activity_id": activity.pk,
                    "title": activity.title,
                    "lead_organisation": activity.lead_organisation.name,
                    "ended_on": activity.ends_on,
                    "due_on": evaluation_due_on(activity.ends_on),
                    "state": activity.evaluation_state,
                    "answers": answers.value,
                    "questions": [
                        {"question": r.question, "answered": r.answered.value, "agreed": r.agree.value}
                        for r in results
                    ],
                }
            )
        return paginator.get_paginated_response(EvaluationSerializer(rows, many=True).data)


class ScoreSpreadSerializer(serializers.Serializer[Any]):
    group = serializers.CharField(help_text="A group, “Other groups together”, or “Everyone”.")
    answers = serializers.IntegerField(min_value=5)
    mean = serializers.FloatField()
    median = serializers.FloatField()
    lower_quartile = serializers.FloatField()
    upper_quartile = serializers.FloatField()


class StatementScoresSerializer(serializers.Serializer[Any]):
    statement = serializers.CharField()
    results = ScoreSpreadSerializer(many=True, help_text="Empty where fewer than five scored it.")


class SelfAssessmentRoundSerializer(serializers.Serializer[Any]):
    round = serializers.CharField()
    opened_on = serializers.DateField()
    closed_on = serializers.DateField()
    answers = serializers.IntegerField(min_value=0)
    statements = StatementScoresSerializer(many=True)


def _spread(label: str, spread: Any) -> dict[str, Any]:
    return {
        "group": label,
        "answers": spread.answers,
        "mean": spread.mean,
        "median": spread.median,
        "lower_quartile": spread.lower_quartile,
        "upper_quartile": spread.upper_quartile,
    }


class SelfAssessmentApi(ApiView):
    """The partnership's self-assessment: each closed round, each statement's scores
    (0 to 10) by group and for everyone, with their spread. A group with fewer than
    five answers is never shown alone: it is folded into “Other groups together”."""

    permission_classes = [requires(Permission.VIEW_AGGREGATES)]

    @extend_schema(responses={200: SelfAssessmentRoundSerializer(many=True), **errors()})
    def get(self, request: Request) -> Response:
        rounds = []
        for scoring in round_list().filter(closed_on__isnull=False):
            results = round_results(scoring)
            rounds.append(
                {
                    "round": scoring.title,
                    "opened_on": scoring.opened_on,
                    "closed_on": scoring.closed_on,
                    "answers": results.sheets,
                    "statements": [
                        {
                            "statement": r.statement.text,
                            "results": [_spread(g.label, g.spread) for g in r.groups]
                            + ([_spread("Everyone", r.overall)] if r.overall else []),
                        }
                        for r in results.statements
                    ],
                }
            )
        return Response(SelfAssessmentRoundSerializer(rounds, many=True).data)


class BoardSectionSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    question = serializers.CharField()
    level = serializers.ChoiceField(assurance.LEVELS)
    reason = serializers.CharField()
    rules = serializers.ListField(child=serializers.CharField())
    headline = serializers.CharField()
    figures = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    trend = serializers.DictField()
    table = serializers.DictField(allow_null=True)
    # Named apart from the serializer field's own `source` argument.
    data_source = serializers.CharField(source="source", help_text="Where the figures come from.")
    link = serializers.CharField(help_text="The page of the evidence behind them.")


class BoardSerializer(serializers.Serializer[Any]):
    built_at = serializers.DateTimeField(
        allow_null=True, help_text="Null until the page is first worked out."
    )
    period = serializers.DictField(child=serializers.CharField(), allow_null=True)
    overall = serializers.ChoiceField(assurance.LEVELS)
    sections = BoardSectionSerializer(many=True)


class BoardApi(ApiView):
    """The board's page as last worked out (each night, and when asked): six questions,
    each with its figures, trend, source and assurance level from the rules given.
    Before it is first worked out, `built_at` is null and there are no sections."""

    permission_classes = [requires(Permission.VIEW_AGGREGATES)]

    @extend_schema(responses={200: BoardSerializer, **errors()})
    def get(self, request: Request) -> Response:
        snapshot = board_latest()
        if snapshot is None:  # before the first nightly run: nothing judged yet
            empty: dict[str, Any] = {
                "built_at": None,
                "period": None,
                "overall": assurance.NOT_JUDGED,
                "sections": [],
            }
            return Response(BoardSerializer(empty).data)
        return Response(BoardSerializer({"built_at": snapshot.built_at, **snapshot.figures}).data)
