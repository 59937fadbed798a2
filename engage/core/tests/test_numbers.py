"""The one parser of whole numbers and ids, and the same-site check for redirects."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from engage.core.errors import InvalidInput, UnknownId
from engage.core.http import same_site
from engage.core.numbers import BIGGEST_ID, parse_id, parse_ids, parse_whole_number


@pytest.mark.parametrize("text", ["٣", "²", "+5", " 5x", "5_000", "-1", "abc", "1e3", "9" * 20, "0x10", "١٢"])
def test_anything_but_plain_ascii_digits_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_whole_number(text, field="page")
    assert list(refused.value.errors) == ["page"]


@pytest.mark.parametrize("text", ["", "   ", None])
def test_missing_and_empty_are_none(text: object) -> None:
    assert parse_whole_number(text, field="x") is None


def test_bounds_are_kept_and_said() -> None:
    assert parse_whole_number("007", field="x") == 7
    assert parse_whole_number(" 12 ", field="x", most=12) == 12
    with pytest.raises(InvalidInput, match="from 3 to 24"):
        parse_whole_number("99", field="months", least=3, most=24)
    with pytest.raises(InvalidInput, match="too large"):
        parse_id(str(BIGGEST_ID + 1), field="id")
    assert parse_id(str(BIGGEST_ID), field="id") == BIGGEST_ID


def test_a_malformed_id_is_an_unknown_id_and_repeats_are_kept_once() -> None:
    with pytest.raises(UnknownId):
        parse_id("0", field="person")
    with pytest.raises(UnknownId):
        parse_id(True, field="person")
    assert parse_ids(["3", "", "3", 4], field="person") == [3, 4]


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/staff/people/", True),
        ("/staff/people/?q=x#top", True),
        ("http://testserver/staff/", True),
        ("https://evil.example/", False),
        ("//evil.example/", False),
        ("/\\evil.example", False),
        ("javascript:alert(1)", False),
        ("-1", False),
        ("staff", False),
        ("", False),
    ],
)
def test_only_same_site_targets_are_followed(target: str, safe: bool) -> None:
    request = RequestFactory().post("/")
    assert (same_site(request, target) == target) is safe
