"""A transactional test ends by emptying every table (`flush`); the built-in framework,
which the product reads but never writes on a read, is stored again by post_migrate,
so the tests after it find it as a migrated database has it."""

import pytest

from engage.insight.models import Framework

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_migrated_database_has_the_built_in_framework() -> None:
    assert Framework.objects.filter(built_in=True).count() == 1


def test_it_is_there_again_after_the_tables_were_emptied() -> None:
    assert Framework.objects.filter(built_in=True).count() == 1
    assert Framework.objects.get(built_in=True).categories.count() > 10
