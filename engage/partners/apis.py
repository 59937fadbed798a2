"""REST endpoints for organisations and people: one thin class per operation.

People are reached only through the organisation the caller acts for, exactly as on
the pages, and reading one person's record is audited the same way.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from engage.api.fields import SearchField
from engage.api.permissions import requires
from engage.api.schema import ApiSchema, errors
from engage.api.views import ApiView, Pages, acting_organisation, parse_query
from engage.core.roles import Permission
from engage.partners import selectors
from engage.partners.models import Organisation, Person


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "kind", "website", "is_active"]


class PersonSerializer(serializers.ModelSerializer[Person]):
    roles = serializers.SerializerMethodField()
    consents = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "given_name", "family_name", "email", "phone", "postcode", "roles", "consents"]

    def get_roles(self, person: Person) -> list[str]:
        return [r.role for r in person.roles.all()]

    def get_consents(self, person: Person) -> list[str]:
        """Purposes whose consent stands now."""
        return sorted({c.purpose for c in person.consents.all() if c.withdrawn_on is None})


class PersonFiltersSerializer(serializers.Serializer[Any]):
    q = SearchField(help_text="Words in the person's name or email address.")


class OrganisationListApi(ListAPIView[Organisation]):
    serializer_class = OrganisationSerializer
    permission_classes = [requires(Permission.VIEW_AGGREGATES)]
    pagination_class = Pages
    schema = ApiSchema()

    @extend_schema(responses={200: OrganisationSerializer(many=True), **errors(404)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return selectors.organisation_list()


class PersonListApi(ListAPIView[Person]):
    """People recorded by the organisation you act for."""

    serializer_class = PersonSerializer
    permission_classes = [requires(Permission.VIEW_PEOPLE)]
    pagination_class = Pages
    schema = ApiSchema()

    @extend_schema(
        parameters=[PersonFiltersSerializer],
        responses={200: PersonSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        selectors.people_shown(
            actor=request.user,
            organisation=acting_organisation(request),
            person_ids=[row["id"] for row in response.data["results"]],
            where="the people API",
        )
        return response

    def get_queryset(self) -> Any:
        given = parse_query(PersonFiltersSerializer, {"q": self.request.query_params.get("q")})
        return selectors.person_list(
            organisation=acting_organisation(self.request),
            search=given.get("q", "")[:100],
        ).prefetch_related("consents")


class PersonDetailApi(ApiView):
    permission_classes = [requires(Permission.VIEW_PEOPLE)]

    @extend_schema(responses={200: PersonSerializer, **errors(404)})
    def get(self, request: Request, person_id: int) -> Response:
        person = selectors.person_get(
            organisation=acting_organisation(request),
            person_id=person_id,
            actor=request.user,
        )
        return Response(PersonSerializer(person).data)
