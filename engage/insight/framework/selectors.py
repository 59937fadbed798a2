"""Reading a framework's state: how near each of its themes is to being learnt, and
which of them people only ever label together."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations

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


@dataclass(frozen=True)
class AlwaysTogether:
    """Two themes people have only ever given together: a model cannot tell them apart,
    and their figures will be the same."""

    first: str
    second: str
    conversations: int


def themes_always_together(
    framework: Framework | None = None, *, share: float = 0.95
) -> list[AlwaysTogether]:
    """Pairs of themes, each labelled on at least MIN_EXAMPLES conversations, where at
    least `share` of each one's conversations carry the other too."""
    framework = framework or framework_in_use()
    by_conversation: dict[int, set[str]] = {}
    given = PersonLabel.objects.filter(category__framework=framework).exclude(category__name=NOT_POSSIBLE)
    for conversation_id, name in given.values_list("conversation_id", "category__name"):
        by_conversation.setdefault(conversation_id, set()).add(name)
    alone: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for names in by_conversation.values():
        alone.update(names)
        pairs.update(combinations(sorted(names), 2))
    return [
        AlwaysTogether(first, second, together)
        for (first, second), together in sorted(pairs.items())
        if together >= MIN_EXAMPLES and together >= share * max(alone[first], alone[second])
    ]
