"""What the OpenAPI document says about every endpoint, kept true in one place.

- `ApiSchema` types every `<id:...>` path parameter as the record id it is (an integer
  from 1 to 2**63 - 1; anything else is a 404), and marks every filter in a query string
  as one that may be sent empty (an empty filter is no filter: `parse_query` and
  `engage.core.http` read it so).
- `errors(...)` documents the error answers an operation can give, each with its body:
  `{"detail": "..."}`, or for a 400 also `{"field": ["message", ...]}` (what
  `engage.api.errors` sends), so that an endpoint declares them in one line.
- `AccessTokenScheme` describes the personal access token (`Authorization: Bearer ...`)
  beside the session, so clients and fuzzers know how to authenticate.
"""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer
from rest_framework import serializers

from engage.core.numbers import BIGGEST_ID

# A record id, as the database keeps it (every table's key is a 64-bit BigAutoField).
ID_SCHEMA: dict[str, Any] = {"type": "integer", "format": "int64", "minimum": 1, "maximum": BIGGEST_ID}

_ID_IN_PATH = re.compile(r"<id:(?P<name>\w+)>")


class ApiSchema(AutoSchema):
    def get_override_parameters(self) -> list[Any]:
        declared = list(super().get_override_parameters())
        named = {p.name for p in declared if isinstance(p, OpenApiParameter)}
        ids = [
            OpenApiParameter(
                name,
                ID_SCHEMA,
                OpenApiParameter.PATH,
                description="A record's number. Any other number, or one that is not yours to see, is a 404.",
            )
            for name in _ID_IN_PATH.findall(self.path_regex)
            if name not in named
        ]
        return [*ids, *declared]

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        for parameter in (operation or {}).get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] != "page":
                # An empty filter (`?organisation=`) is read as no filter at all.
                parameter["allowEmptyValue"] = True
        return operation


# drf-spectacular registers an extension as its class is made (an untyped __init_subclass__).
class AccessTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "engage.api.authentication.AccessTokenAuthentication"
    name = "accessToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token (Account > Access tokens): it acts for one "
            "organisation, with its owner's roles there, and only reads unless it was made to write.",
        }


class ErrorSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text="What went wrong, in a sentence or two.")


class FieldErrorsSerializer(serializers.Serializer[Any]):
    """Stands for the body of a 400 that names fields; `FieldErrorsSchema` describes it."""


class FieldErrorsSchema(OpenApiSerializerExtension):  # type: ignore[no-untyped-call]
    target_class = FieldErrorsSerializer

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        return {
            "type": "object",
            "description": "Each field sent wrongly (a field of the body, or a parameter of the query "
            "string), with what is wrong with it; `non_field_errors` for the body as a whole.",
            "minProperties": 1,
            "additionalProperties": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        }


BAD_REQUEST = PolymorphicProxySerializer(
    component_name="BadRequest",
    serializers=[FieldErrorsSerializer, ErrorSerializer],
    resource_type_field_name=None,
)

_ERRORS: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(
        BAD_REQUEST,
        description="Something sent is wrong: each field is named with what is wrong with it, "
        "or `detail` says what is wrong with the request as a whole. Nothing was changed.",
    ),
    401: OpenApiResponse(
        ErrorSerializer,
        description="No credentials, or ones that do not work: send `Authorization: Bearer` and a "
        "token, or sign in.",
    ),
    403: OpenApiResponse(
        ErrorSerializer,
        description="Your roles in the organisation you act for do not allow this, or the token "
        "may only read.",
    ),
    404: OpenApiResponse(
        ErrorSerializer,
        description="There is no such record that you may see, or no such page of results.",
    ),
    415: OpenApiResponse(ErrorSerializer, description="Send the body as JSON (`application/json`)."),
}


def errors(*statuses: int) -> dict[int, OpenApiResponse]:
    """The error answers of an operation: 401 and 403 (every endpoint needs a signed-in
    user or a token, and a role that allows it) and the `statuses` given."""
    return {status: _ERRORS[status] for status in sorted({401, 403, *statuses})}
