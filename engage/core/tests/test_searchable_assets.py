"""The files that make long lists searchable (ADR 0045): accessible-autocomplete, copied
by `make assets` from the version pinned in package.json, served from this site."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

ROOT = Path(__file__).resolve().parents[3]
VENDOR = "vendor/accessible-autocomplete/"


def test_accessible_autocomplete_is_pinned_and_vendored_with_its_licence_and_no_source_maps() -> None:
    version = json.loads((ROOT / "package.json").read_text())["dependencies"]["accessible-autocomplete"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"Pin an exact version, not {version!r}."
    for name in ("accessible-autocomplete.min.js", "accessible-autocomplete.min.css", "LICENSE.txt"):
        found = finders.find(VENDOR + name)
        assert found is not None, f"{VENDOR}{name} is missing: run make assets"
        # The maps are left behind, so nothing may point to them (a 404 in the console).
        assert "sourceMappingURL" not in Path(found).read_text()


def test_the_scripts_import_only_files_of_this_site_that_exist() -> None:
    for name in ("init.mjs", "searchable.mjs", "checkbox-filter.mjs", "text-match.mjs"):
        path = Path(finders.find(f"engage/{name}"))
        for imported in re.findall(r'(?:import\s*\(?|from)\s*"([^"]+)"', path.read_text()):
            assert imported.startswith(("./", "../")), imported
            assert (path.parent / imported).resolve().is_file(), (
                f"{name} imports {imported}, which is not there"
            )


@pytest.mark.django_db
def test_every_page_links_the_stylesheet_before_the_sites_own() -> None:
    html = Client().get("/").content.decode()
    sheets = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html)
    assert sheets.index(VENDOR + "accessible-autocomplete.min.css") < sheets.index("engage/engage.css")
