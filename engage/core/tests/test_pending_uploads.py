"""Uploads kept while their columns are matched (engage.core.tabular.pending): named to
the next page only in a signed value bound to the organisation and the kind of import,
never a path; an unreadable file refused and not kept."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core import signing

from engage.core.tabular.errors import ImportFileError
from engage.core.tabular.pending import pending_dir, pending_from, pending_keep, pending_token


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.ENGAGE_IMPORT_DIR = tmp_path / "imports"


def _kept() -> Any:
    return pending_keep(io.BytesIO(b"First name\nAsha\n"), file_name="contacts.csv", extra={"template": "x"})


def test_a_kept_upload_is_found_only_by_its_organisation_for_its_kind_of_import() -> None:
    kept = _kept()
    token = pending_token(kept, kind="partners.people_imports", organisation_id=1)
    found = pending_from(token, kind="partners.people_imports", organisation_id=1)
    assert found is not None
    assert (found.path, found.file_name, found.extra) == (kept.path, "contacts.csv", {"template": "x"})
    assert pending_from(token, kind="partners.people_imports", organisation_id=2) is None
    assert pending_from(token, kind="conversations.imports", organisation_id=1) is None
    assert pending_from(token[:-2] + "xx", kind="partners.people_imports", organisation_id=1) is None


def test_a_signed_value_naming_a_path_outside_the_folder_finds_nothing() -> None:
    forged = signing.dumps(
        {"f": "../../etc/passwd", "n": "x.csv", "x": {}, "o": 1},
        salt="engage.partners.people_imports.pending",
    )
    assert pending_from(forged, kind="partners.people_imports", organisation_id=1) is None


def test_an_unreadable_file_is_refused_and_not_kept() -> None:
    with pytest.raises(ImportFileError, match=r"contacts\.pdf"):
        pending_keep(io.BytesIO(b"%PDF-1.4"), file_name="contacts.pdf")
    assert not list(pending_dir().iterdir())
