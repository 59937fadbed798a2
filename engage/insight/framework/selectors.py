"""Reading a framework's state: how near each of its themes is to being learnt."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from engage.insight.framework.services import framework_in_use
from engage.insight.models import Category, Framework, PersonLabel
from textkit.classify import MIN_EXAMPLES, NOT_POSSIBLE


@dataclass(frozen=True)
class ThemeReadiness:
    """How near one theme is to being learnt: the conversations people labelled with it,
    against the MIN_EXAMPLES a model needs."""

    name: str
    labelled: int
    needed: int = MIN_EXAMPLES

    @property
    def ready(self) -> bool:
        return self.labelled >= self.needed

    @property
    def missing(self) -> int:
        return max(self.needed - self.labelled, 0)


def training_readiness(framework: Framework | None = None) -> list[ThemeReadiness]:
    """Each theme of the framework in use, readiest first: how many labelled examples it
    has of the MIN_EXAMPLES it needs before a model learns it."""
    framework = framework or framework_in_use()
    counted = dict(
        PersonLabel.objects.filter(category__framework=framework)
        .values("category_id")
        .annotate(labelled=Count("conversation_id", distinct=True))
        .values_list("category_id", "labelled")
    )
    themes = [
        ThemeReadiness(name=category.name, labelled=counted.get(category.pk, 0))
        for category in Category.objects.filter(framework=framework).exclude(name=NOT_POSSIBLE)
    ]
    return sorted(themes, key=lambda theme: (theme.missing, -theme.labelled, theme.name))
