"""The OpenAPI document the app serves describes what the endpoints do: a cheap guard
beside the fuzzing (`test_openapi_schemathesis.py`), which catches the same mistakes
in a second, without schemathesis.

- Each list served in pages is documented as the paged object (count, next, previous,
  results), found by asking every GET without a path parameter what it answers.
- Each operation documents the errors it can give, with their bodies: 401 and 403
  (every endpoint needs credentials and a role), 404 where there is an id in the path or
  a page to ask for, 400 where it reads a query string or a body, and 415 where it
  reads a body.
- Ids, in the path and in the query string, are integers from 1 to 2**63 - 1.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from engage.accounts.tests.factories import member_of
from engage.accounts.tokens.services import token_create
from engage.activities.tests.factories import ActivityFactory
from engage.core.numbers import BIGGEST_ID
from engage.core.roles import Role
from engage.partners.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": 1, "maximum": BIGGEST_ID}
PAGE_FIELDS = {"count", "next", "previous", "results"}
# Query parameters that name a record.
ID_PARAMETERS = {"activity", "area", "organisation", "priority", "theme"}


@pytest.fixture
def officer() -> Client:
    healthwatch = OrganisationFactory(name="Healthwatch Castlebridge")
    ActivityFactory(lead_organisation=healthwatch)
    PersonFactory(organisation=healthwatch)
    user = member_of(healthwatch, Role.ENGAGEMENT_OFFICER)
    key = token_create(actor=user, organisation=healthwatch, name="Guard", access="read_write", days=1).key
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.fixture
def document(officer: Client) -> dict[str, Any]:
    response = officer.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema: dict[str, Any] = response.json()
    return schema


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def body_schema(document: dict[str, Any], operation: dict[str, Any], status: str) -> dict[str, Any]:
    return resolve(document, operation["responses"][status]["content"]["application/json"]["schema"])


def test_every_list_served_in_pages_is_documented_as_the_paged_object(
    officer: Client, document: dict[str, Any]
) -> None:
    paged, problems = [], []
    for method, path, operation in operations(document):
        if method != "GET" or "{" in path:
            continue
        answer = officer.get(path).json()
        documented = body_schema(document, operation, "200")
        is_paged = isinstance(answer, dict) and set(answer) == PAGE_FIELDS
        documents_pages = set(documented.get("properties", {})) >= PAGE_FIELDS
        if is_paged:
            paged.append(path)
        if is_paged != documents_pages:
            problems.append(f"{path}: answers {'pages' if is_paged else 'no pages'}, documents the other")
        elif is_paged:
            assert documented["properties"]["results"]["type"] == "array", path
            assert set(documented["required"]) == PAGE_FIELDS, path
            page = {p["name"]: p for p in operation["parameters"]}["page"]
            assert page["schema"] == {"type": "integer", "minimum": 1}, path
    assert not problems, "\n".join(problems)
    assert {"/api/v1/activities/", "/api/v1/decisions/", "/api/v1/people/"} <= set(paged)


def expected_errors(path: str, method: str, operation: dict[str, Any], document: dict[str, Any]) -> set[str]:
    expected = {"401", "403"}
    parameters = operation.get("parameters", [])
    if "{" in path or any(p["name"] == "page" for p in parameters):
        expected.add("404")
    if any(p["in"] == "query" and p["name"] != "page" for p in parameters):
        expected.add("400")
    if "requestBody" in operation:
        expected |= {"400", "415"}
    return expected


def test_every_operation_documents_the_errors_it_can_give_with_their_bodies(document: dict[str, Any]) -> None:
    missing = []
    for method, path, operation in operations(document):
        responses = operation["responses"]
        absent = expected_errors(path, method, operation, document) - set(responses)
        if absent:
            missing.append(f"{method} {path}: {', '.join(sorted(absent))}")
        for status in set(responses) - {"200", "201"}:
            schema = body_schema(document, operation, status)
            if status == "400":
                assert [resolve(document, s) for s in schema["oneOf"]] == [
                    document["components"]["schemas"]["FieldErrors"],
                    document["components"]["schemas"]["Error"],
                ], f"{method} {path}"
            elif status != "409":
                assert schema["required"] == ["detail"], f"{method} {path} {status}"
    assert not missing, "Operations that do not document errors they can give:\n" + "\n".join(missing)


def test_ids_are_documented_as_record_numbers_in_paths_and_query_strings(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path" or parameter["name"] in ID_PARAMETERS:
                assert parameter["schema"] == ID_SCHEMA, f"{method} {path} {parameter['name']}"


def test_a_400_names_each_field_with_a_list_of_messages(officer: Client) -> None:
    response = officer.post(
        "/api/v1/decisions/",
        {"title": 5, "summary": "", "decided_by": "board", "priority_ids": [1, "two", 2**63]},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert all(isinstance(messages, list) and messages for messages in body.values())
    assert body["title"] == ["Write this as text."]
    assert body["priority_ids"] == [
        "Entry 2: Give a record number: a whole number of 1 or more.",
        "Entry 3: Give a record number: a whole number of 1 or more.",
    ]


def test_the_api_reads_json_only_and_says_so(officer: Client) -> None:
    response = officer.post("/api/v1/decisions/", {"title": "x"})  # a form, not JSON
    assert response.status_code == 415
    assert "detail" in response.json()


def test_the_document_names_the_access_token_as_a_way_to_sign_in(document: dict[str, Any]) -> None:
    assert document["components"]["securitySchemes"]["accessToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["accessToken"]["description"],
    }
    for method, path, operation in operations(document):
        assert {"accessToken": []} in operation["security"], f"{method} {path}"
