"""Reports for other systems: the reports a caller's organisation writes (drafts too) and
every partner's published ones, and one report's sections with their words and figures
as the report states them. Figures only, as on the pages: quotes stay in the report."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from engage.api.fields import SearchField
from engage.api.permissions import requires
from engage.api.schema import errors
from engage.api.views import ApiView, Pages, acting_organisation, parse_query
from engage.core.errors import NotFound
from engage.core.roles import Permission
from engage.reports import selectors
from engage.reports.document import report_document
from engage.reports.models import Report, ReportKind, ReportState


class ReportFiltersSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(ReportKind.choices, required=False, help_text="Only reports of this kind.")
    state = serializers.ChoiceField(
        ReportState.choices, required=False, help_text="Only drafts, or only published."
    )
    q = SearchField(help_text="Words in the report's title.")


class ReportSummarySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(ReportKind.choices)
    state = serializers.ChoiceField(ReportState.choices)
    organisation = serializers.CharField(source="organisation.name")
    month_from = serializers.DateField(help_text="The first day of the first month the report covers.")
    month_to = serializers.DateField(help_text="The first day of the last month the report covers.")
    published_at = serializers.DateTimeField(allow_null=True)
    figures_built_at = serializers.DateTimeField(
        allow_null=True, help_text="Null while the figures are first being worked out."
    )


class ReportFigureSerializer(serializers.Serializer[Any]):
    # `label` is a serializer's own attribute: the figure's label is given as its name.
    name = serializers.CharField(source="label")
    value = serializers.CharField(
        help_text="As the report states it: rounded, or a dash where too few to show."
    )


class ReportChartPointSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(source="label")
    value = serializers.FloatField(allow_null=True, help_text="Null where too few to show.")


class ReportChartSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    unit = serializers.CharField()
    points = ReportChartPointSerializer(many=True)


class ReportTableSerializer(serializers.Serializer[Any]):
    caption = serializers.CharField()
    head = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class ReportSectionSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    narrative = serializers.CharField(allow_blank=True)
    figures = ReportFigureSerializer(many=True)
    charts = ReportChartSerializer(many=True)
    tables = ReportTableSerializer(many=True)


class ReportDetailSerializer(ReportSummarySerializer):
    period = serializers.CharField()
    overall_assurance = serializers.CharField(allow_blank=True, help_text="A board paper's overall level.")
    sections = ReportSectionSerializer(many=True)


class ReportListApi(ApiView):
    """Your organisation's reports, drafts included, and every partner's published ones."""

    pagination_class = Pages
    permission_classes = [requires(Permission.VIEW_AGGREGATES)]

    @extend_schema(
        parameters=[ReportFiltersSerializer],
        responses={200: ReportSummarySerializer(many=True), **errors(400, 404)},
    )
    def get(self, request: Request) -> Response:
        given = parse_query(
            ReportFiltersSerializer,
            {
                "kind": request.query_params.get("kind"),
                "state": request.query_params.get("state"),
                "q": request.query_params.get("q"),
            },
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.report_list(
                organisation=acting_organisation(request),
                kind=given.get("kind", ""),
                state=given.get("state", ""),
                search=given.get("q", ""),
            ),
            request,
            view=self,
        )
        return paginator.get_paginated_response(ReportSummarySerializer(page or [], many=True).data)


def _detail(report: Report) -> dict[str, Any]:
    document = report_document(report)
    sections = []
    for section in document.sections:
        blocks = section.blocks
        sections.append(
            {
                "key": section.key,
                "title": section.title,
                "narrative": section.narrative,
                "figures": [item for b in blocks if b["type"] == "figures" for item in b["items"]],
                "charts": [b for b in blocks if b["type"] == "chart"],
                "tables": [b for b in blocks if b["type"] == "table"],
            }
        )
    return {
        "id": report.pk,
        "title": report.title,
        "kind": report.kind,
        "state": report.state,
        "organisation": report.organisation,
        "month_from": report.month_from,
        "month_to": report.month_to,
        "published_at": report.published_at,
        "figures_built_at": report.figures_built_at,
        "period": document.period_label,
        "overall_assurance": document.overall_words,
        "sections": sections,
    }


class ReportDetailApi(ApiView):
    permission_classes = [requires(Permission.VIEW_AGGREGATES)]

    @extend_schema(responses={200: ReportDetailSerializer, **errors(404)})
    def get(self, request: Request, report_id: int) -> Response:
        """One report, as it states its figures: each section's words, figures, charts'
        figures and tables."""
        report = selectors.report_get(organisation=acting_organisation(request), report_id=report_id)
        if report is None:
            raise NotFound("There is no such report, or it is another organisation's draft.")
        return Response(ReportDetailSerializer(_detail(report)).data)
