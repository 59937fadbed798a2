"""`engage picture`: rebuild the shared picture, list what each organisation shares."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from engage.partnership.models import PictureCount
from engage.partnership.tests.conftest import Partners

pytestmark = pytest.mark.django_db


def test_refresh_rebuilds_and_says_how_many(partners: Partners) -> None:
    out = StringIO()
    call_command("picture", "refresh", stdout=out)
    assert "counts 240 shared conversations" in out.getvalue()
    assert PictureCount.objects.filter(organisation=partners.quotes).exists()
    assert not PictureCount.objects.filter(organisation=partners.nothing).exists()


def test_refresh_of_an_unknown_organisation_is_refused(partners: Partners) -> None:
    with pytest.raises(CommandError, match="no organisation numbered 987654"):
        call_command("picture", "refresh", "--organisation", "987654")


def test_sharing_lists_each_level(partners: Partners) -> None:
    out = StringIO()
    call_command("picture", "sharing", stdout=out)
    assert "Castlebridge Healthwatch: counts and approved quotes" in out.getvalue()
    assert "Riverside Trust: nothing" in out.getvalue()
