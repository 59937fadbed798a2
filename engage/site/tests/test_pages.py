"""Every public page: it promises nothing that is not there, and every link on it goes
to a page that exists.

The walk takes every route of the public site that needs no record in its address, so a
new public page joins it by being added to `engage/site/urls.py`.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver
from django.urls.exceptions import Resolver404

pytestmark = pytest.mark.django_db

# Words that promise a page later: where the page exists, link to it instead.
PROMISES = re.compile(
    r"coming soon|will (?:soon )?(?:be )?publish|not (?:yet )?available yet|under construction", re.I
)
LINK = re.compile(r"""<a\b[^>]*\bhref="([^"#][^"]*)\"""", re.I)


def public_pages() -> list[str]:
    """The address of every public-site route without a parameter."""
    site = next(entry for entry in get_resolver().url_patterns if getattr(entry, "namespace", None) == "site")
    prefix = str(site.pattern)
    return [
        "/" + prefix + str(entry.pattern)
        for entry in site.url_patterns
        if isinstance(entry, URLPattern) and "<" not in str(entry.pattern) and entry.name != "healthz"
    ]


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_the_walk_finds_the_public_pages() -> None:
    pages = public_pages()
    assert {"/", "/partners/", "/you-said-we-did/", "/give-feedback/thank-you/"} <= set(pages)


@pytest.mark.parametrize("path", public_pages())
def test_no_public_page_promises_a_page_later(path: str) -> None:
    response = Client().get(path)

    assert response.status_code == 200
    found = PROMISES.search(_text(response.content.decode()))
    assert found is None, f"{path} says {found.group(0)!r}: link to the page instead"


@pytest.mark.parametrize("path", public_pages())
def test_every_link_on_a_public_page_goes_to_a_page_that_exists(path: str) -> None:
    client = Client()
    html = client.get(path).content.decode()
    links = {unescape(href) for href in LINK.findall(html)}
    assert links, f"{path} has no links at all"

    for href in sorted(links):
        if not href.startswith("/") or href.startswith("//"):
            continue  # another site's address: not this test's to follow
        address = href.split("#", 1)[0]
        try:
            get_resolver().resolve(address.split("?", 1)[0])
        except Resolver404:
            pytest.fail(f"{path} links to {href}, which is no page of this site")
        answer = client.get(address)
        assert answer.status_code in {200, 302}, f"{path} links to {href}, which answers {answer.status_code}"


def test_the_home_page_and_the_thank_you_page_link_to_you_said_we_did() -> None:
    """In the page itself, not only in the header's navigation."""
    for path in ("/", "/give-feedback/thank-you/"):
        main = Client().get(path).content.decode().split("<main", 1)[1].split("</main>", 1)[0]
        assert 'href="/you-said-we-did/"' in main, path
