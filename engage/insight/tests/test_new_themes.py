"""New themes: those the partnership added to the framework in use, or promoted from a
discovered theme, lately; the dashboard lists them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from engage.conversations.tests.factories import ConversationFactory
from engage.insight import selectors
from engage.insight.framework import services as framework_services
from engage.insight.models import Category, CategoryOrigin, Framework

pytestmark = pytest.mark.django_db


def test_a_theme_added_or_promoted_is_new_for_thirty_days(organisation):
    framework = framework_services.framework_built_in()
    parent = Category.objects.filter(framework=framework, parent__isnull=True).first()
    before = timezone.now()
    added = framework_services.category_add(
        actor=None, organisation=organisation, name="Parking at the hospital", parent_id=parent.pk
    )
    promoted = framework_services.category_promote(
        actor=None,
        organisation=organisation,
        name="Interpreters",
        parent_id=parent.pk,
        conversation_ids=[ConversationFactory(organisation=organisation).pk],
    )
    assert added.added_at >= before

    found = selectors.category_list_added()
    assert found.items == [promoted, added]  # the newest first
    assert (found.items[0].origin, found.items[1].origin) == (
        CategoryOrigin.DISCOVERED,
        CategoryOrigin.PARTNERSHIP,
    )

    Category.objects.filter(pk=added.pk).update(added_at=timezone.now() - dt.timedelta(days=31))
    assert selectors.category_list_added().items == [promoted]
    # "Since you last looked": any moment can be asked for.
    assert selectors.category_list_added(since=timezone.now() - dt.timedelta(days=40)).total == 2


def test_a_frameworks_own_themes_and_another_frameworks_are_not_new():
    framework_services.framework_built_in()
    other = Framework.objects.create(name="Our own")
    Category.objects.create(
        framework=other, name="Elsewhere", origin=CategoryOrigin.PARTNERSHIP, added_at=timezone.now()
    )
    assert Category.objects.filter(added_at__isnull=True).exists()  # the built-in's, undated
    assert selectors.category_list_added().total == 0
