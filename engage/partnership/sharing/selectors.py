"""Reading what an organisation shares with the partnership: its own level, its
choices for activities and imports, and, for any set of conversations, those shared
at a level or more (the one way the picture, its search and "before you ask" choose
what they may count or quote)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from engage.activities.models import Activity
from engage.conversations.models import Conversation, ImportJob
from engage.partners.models import Organisation
from engage.partnership.models import LEVEL_RANK, OrganisationSharing, SharingChoice, SharingLevel


def levels_at_least(minimum: SharingLevel) -> list[str]:
    return [level for level, rank in LEVEL_RANK.items() if rank >= LEVEL_RANK[minimum]]


def _levels_below(minimum: SharingLevel) -> list[str]:
    return [level for level, rank in LEVEL_RANK.items() if rank < LEVEL_RANK[minimum]]


def conversations_shared(
    conversations: QuerySet[Conversation], *, minimum: SharingLevel
) -> QuerySet[Conversation]:
    """Those of `conversations` their organisation shares at `minimum` or more: where it
    chose a level for the conversation's activity or import, no choice below it (the
    narrower wins); where it chose neither, its own level. In SQL, so a set of any
    size is narrowed in the database."""
    below = _levels_below(minimum)
    activity_choice = SharingChoice.objects.filter(
        organisation=OuterRef("organisation"), activity=OuterRef("activity")
    )
    import_choice = SharingChoice.objects.filter(import_job=OuterRef("import_job"))
    chosen = Exists(activity_choice) | Exists(import_choice)
    return conversations.filter(
        ~Exists(activity_choice.filter(level__in=below)),
        ~Exists(import_choice.filter(level__in=below)),
        chosen | Q(organisation__partnership_sharing__level__in=levels_at_least(minimum)),
    )


def sharing_level_of(
    *, organisation_id: int, activity_id: int | None, import_job_id: int | None
) -> SharingLevel:
    """The level a conversation of this organisation, activity and import is shared at."""
    choices = SharingChoice.objects.filter(organisation_id=organisation_id).filter(
        Q(activity_id=activity_id, activity__isnull=False)
        | Q(import_job_id=import_job_id, import_job__isnull=False)
    )
    chosen = [SharingLevel(level) for level in choices.values_list("level", flat=True)]
    if chosen:
        return min(chosen, key=LEVEL_RANK.__getitem__)
    own = (
        OrganisationSharing.objects.filter(organisation_id=organisation_id)
        .values_list("level", flat=True)
        .first()
    )
    return SharingLevel(own or SharingLevel.NOTHING)


def organisation_sharing_get(*, organisation: Organisation | None) -> OrganisationSharing | None:
    """The organisation's own level and agreement; None where it has set neither (and so
    shares nothing)."""
    return OrganisationSharing.objects.for_organisation(organisation).select_related("set_by").first()


@dataclass(frozen=True)
class Choice:
    """An activity's or an import's level, as a page shows it."""

    level: SharingLevel
    chosen: bool  # False: the organisation's own level applies
    choice: SharingChoice | None


def _choice(found: SharingChoice | None, own: SharingLevel) -> Choice:
    if found is None:
        return Choice(level=own, chosen=False, choice=None)
    return Choice(level=SharingLevel(found.level), chosen=True, choice=found)


def own_level(organisation: Organisation | None) -> SharingLevel:
    sharing = organisation_sharing_get(organisation=organisation)
    return SharingLevel(sharing.level) if sharing else SharingLevel.NOTHING


def _choices(organisation: Organisation | None, ids: list[int], field_name: str) -> dict[int, Choice]:
    own = own_level(organisation)
    found = {
        getattr(c, f"{field_name}_id"): c
        for c in SharingChoice.objects.for_organisation(organisation)
        .filter(**{f"{field_name}_id__in": ids})
        .select_related("set_by")
    }
    return {pk: _choice(found.get(pk), own) for pk in ids}


def activity_choices(*, organisation: Organisation | None, activity_ids: Iterable[int]) -> dict[int, Choice]:
    """Activity id -> this organisation's level for it."""
    return _choices(organisation, list(activity_ids), "activity")


def import_choices(*, organisation: Organisation | None, import_job_ids: Iterable[int]) -> dict[int, Choice]:
    """Import id -> this organisation's level for it."""
    return _choices(organisation, list(import_job_ids), "import_job")


def activities_for_sharing(*, organisation: Organisation | None, search: str = "") -> QuerySet[Activity]:
    """The activities whose conversations the organisation may choose a level for: those
    it heard conversations in, leads or works on, newest first; `search`, words of the
    title each must hold."""
    if organisation is None:
        return Activity.objects.none()
    heard = Conversation.objects.for_organisation(organisation).exclude(activity=None).values("activity_id")
    found = Activity.objects.filter(
        Q(pk__in=heard) | Q(lead_organisation=organisation) | Q(partner_organisations=organisation)
    )
    for word in search.split()[:10]:
        found = found.filter(title__icontains=word)
    return found.distinct().order_by("-starts_on", "-pk")


def imports_for_sharing(*, organisation: Organisation | None) -> QuerySet[ImportJob]:
    """The organisation's imports, newest first."""
    return ImportJob.objects.for_organisation(organisation).order_by("-created_at", "-pk")


def activity_sharing(*, organisation: Organisation | None, activity_id: int) -> Choice | None:
    """What the organisation shares of its conversations of one activity; None where the
    activity is not one it may choose for (it heard none there, and neither leads nor
    works on it)."""
    if not activities_for_sharing(organisation=organisation).filter(pk=activity_id).exists():
        return None
    return activity_choices(organisation=organisation, activity_ids=[activity_id])[activity_id]


def import_sharing(*, organisation: Organisation | None, import_job_id: int) -> Choice | None:
    """What the organisation shares of the conversations of one of its imports."""
    if not imports_for_sharing(organisation=organisation).filter(pk=import_job_id).exists():
        return None
    return import_choices(organisation=organisation, import_job_ids=[import_job_id])[import_job_id]


@dataclass(frozen=True)
class SharingLevels:
    """Every organisation's level and every choice, read once (a few hundred rows at
    most), to tell the level of many conversations without asking the database about
    each: the rule of `conversations_shared`, in Python."""

    own: dict[int, SharingLevel]
    activities: dict[tuple[int, int], SharingLevel]
    imports: dict[int, SharingLevel]

    def of(self, organisation_id: int, activity_id: int | None, import_job_id: int | None) -> SharingLevel:
        chosen = [
            level
            for level in (
                self.activities.get((organisation_id, activity_id)) if activity_id is not None else None,
                self.imports.get(import_job_id) if import_job_id is not None else None,
            )
            if level is not None
        ]
        if chosen:
            return min(chosen, key=LEVEL_RANK.__getitem__)
        return self.own.get(organisation_id, SharingLevel.NOTHING)


def sharing_levels() -> SharingLevels:
    activities: dict[tuple[int, int], SharingLevel] = {}
    imports: dict[int, SharingLevel] = {}
    for organisation_id, activity_id, import_job_id, level in SharingChoice.objects.values_list(
        "organisation_id", "activity_id", "import_job_id", "level"
    ):
        if activity_id is not None:
            activities[(organisation_id, activity_id)] = SharingLevel(level)
        if import_job_id is not None:
            imports[import_job_id] = SharingLevel(level)
    own = {
        pk: SharingLevel(level)
        for pk, level in OrganisationSharing.objects.values_list("organisation_id", "level")
    }
    return SharingLevels(own=own, activities=activities, imports=imports)
