"""What every endpoint of the API shares: a JSON body, pages of lists, and query
strings read into checked values. Each app's `apis.py` builds on these."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.views import APIView

from engage.api.schema import ApiSchema


class ApiView(APIView):
    """An endpoint: it reads JSON bodies only (anything else is a 415), and its part of
    the OpenAPI document is written by `ApiSchema`."""

    parser_classes = [JSONParser]
    schema = ApiSchema()


class Pages(PageNumberPagination):
    """Pages of a list, as `{"count", "next", "previous", "results"}`. An endpoint that
    sets `pagination_class = Pages` and pages its list with it is documented as paged."""

    invalid_page_message = "There is no page {page_number} of these results."

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paged: dict[str, Any] = super().get_paginated_response_schema(schema)
        paged["required"] = ["count", "next", "previous", "results"]
        paged["properties"]["count"]["minimum"] = 0
        return paged

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = "Which page of the results, from 1; past the last is a 404."
        return parameters


def parse_query(
    serializer_class: type[serializers.Serializer[Any]], values: Mapping[str, Any]
) -> dict[str, Any]:
    """The values read from a query string, checked by `serializer_class` (a 400 naming
    each parameter that is wrong). A parameter left out or sent empty is no filter, and
    is left out of the result."""
    given = {name: value for name, value in values.items() if value not in (None, "")}
    query = serializer_class(data=given)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


def acting_organisation(request: Request) -> Any:
    """The organisation the API caller acts for: the one its token was made for, set on
    the request by the authentication (engage/api/authentication.py) as the scoping
    middleware does for a page."""
    return request._request.organisation  # type: ignore[attr-defined]
