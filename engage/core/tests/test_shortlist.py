"""A shortlist: the first few of a list, and how many there are in all."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engage.core.pagination import shortlist
from engage.partners.models import Organisation
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_list_that_fits_is_read_in_one_query_and_a_longer_one_is_counted():
    OrganisationFactory.create_batch(3)
    everyone = Organisation.objects.order_by("pk")
    with CaptureQueriesContext(connection) as queries:
        fits = shortlist(everyone, 5)
    assert (len(fits), fits.total, fits.more, len(queries)) == (3, 3, 0, 1)

    with CaptureQueriesContext(connection) as queries:
        cut = shortlist(everyone, 2)
    assert (len(cut), cut.total, cut.more, len(queries)) == (2, 3, 1, 2)
    assert list(cut) == list(everyone[:2])


def test_an_empty_list_is_false():
    assert not shortlist(Organisation.objects.none(), 5)
    assert shortlist(Organisation.objects.all(), 5).total == 0
