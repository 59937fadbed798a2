"""The API's front door (engage/api/reference.py): /api/v1/ answers with an index of
every endpoint, read from the routes, so none is left out; /api/v1/reference/ draws
the OpenAPI document with Swagger UI served from this site, under the site's
Content-Security-Policy. (tests/browser/test_accessibility.py opens it in a browser.)
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from engage.accounts.tests.factories import member_of
from engage.accounts.tokens.services import token_create
from engage.core.roles import Role
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation() -> Any:
    return OrganisationFactory(name="Healthwatch Castlebridge")


@pytest.fixture
def officer(organisation: Any, client_for: Any) -> Client:
    client: Client = client_for(member_of(organisation, Role.ENGAGEMENT_OFFICER), organisation)
    return client


@pytest.fixture
def token_client(organisation: Any) -> Client:
    user = member_of(organisation, Role.BOARD_MEMBER)
    key = token_create(actor=user, organisation=organisation, name="Index", access="read", days=1).key
    return Client(headers={"Authorization": f"Bearer {key}"})


def _document_paths(client: Client) -> set[str]:
    document = client.get("/api/v1/schema/", {"format": "json"}).json()
    return set(document["paths"])


def test_the_index_lists_every_endpoint_of_the_openapi_document(officer: Client) -> None:
    response = officer.get("/api/v1/")

    assert response.status_code == 200
    index = response.json()
    listed = {
        (resource.get("url") or resource["url_template"]).removeprefix("http://testserver")
        for resource in index["resources"]
    }
    assert _document_paths(officer) <= listed
    assert index["reference"] == "http://testserver/api/v1/reference/"
    assert index["schema"] == "http://testserver/api/v1/schema/"
    assert "Authorization: Bearer" in index["authentication"]


def test_each_address_the_index_links_answers(officer: Client) -> None:
    """A link is an address that answers (no 404, no 405), with the methods it says."""
    index = officer.get("/api/v1/").json()
    linked = [resource for resource in index["resources"] if "url" in resource]
    assert len(linked) >= 8
    for resource in linked:
        assert "GET" in resource["methods"], resource
        answer = officer.get(resource["url"].removeprefix("http://testserver"))
        assert answer.status_code not in {404, 405}, (resource, answer.status_code)
    templates = {resource["url_template"] for resource in index["resources"] if "url_template" in resource}
    assert "http://testserver/api/v1/people/{person_id}/" in templates
    assert all(not re.search(r"<|%7B", template) for template in templates)


def test_the_index_answers_a_token_and_refuses_the_anonymous(token_client: Client) -> None:
    assert token_client.get("/api/v1/").status_code == 200
    refused = Client().get("/api/v1/")
    assert refused.status_code in {401, 403}
    assert "detail" in refused.json()


def test_the_index_is_not_an_operation_of_the_document(officer: Client) -> None:
    assert "/api/v1/" not in _document_paths(officer)
    assert "/api/v1/reference/" not in _document_paths(officer)


def test_the_reference_page_runs_only_this_sites_files_under_its_policy(officer: Client) -> None:
    response = officer.get("/api/v1/reference/")

    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "script-src 'self'" in policy
    # The viewer starts from files of this site's, that exist; the only inline script is
    # NHS.UK frontend's own line in the base template, allowed by this request's nonce.
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    files = []
    for attributes, body in scripts:
        source = re.search(r'src="/static/([^"]+)"', attributes)
        if source is None:
            assert f'nonce="{response.wsgi_request.csp_nonce}"' in attributes, attributes
            assert "Swagger" not in body
            continue
        assert body.strip() == "", attributes
        assert finders.find(source.group(1)) is not None, f"{source.group(1)} is not built: run make assets"
        files.append(source.group(1))
    assert {"vendor/swagger-ui/swagger-ui-bundle.js", "engage/api-reference.mjs"} <= set(files)
    for sheet in re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html):
        assert finders.find(sheet) is not None, sheet
    assert 'data-schema-url="/api/v1/schema/?format=json"' in html
    # Nothing from another host.
    assert not [address for address in re.findall(r'(?:src|href)="([^"]+)"', html) if "//" in address]


def test_the_reference_page_asks_the_anonymous_to_sign_in() -> None:
    response = Client().get("/api/v1/reference/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_the_swagger_ui_bundle_is_vendored_from_npm_not_fetched() -> None:
    """The copy `make assets` made from node_modules, with its licence beside it."""
    bundle = finders.find("vendor/swagger-ui/swagger-ui-bundle.js")
    assert bundle is not None
    assert finders.find("vendor/swagger-ui/LICENSE") is not None
    assert finders.find("vendor/swagger-ui/swagger-ui.css") is not None
