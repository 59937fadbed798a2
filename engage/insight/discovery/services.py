"""Discovering new themes: find groups of similar conversations, shape them, promote them.

A discovery is kept (ThemeDiscovery and its DiscoveredGroups) so that a person can work
on it over several visits: merge two groups that are one theme, split one that mixes
two, and name a group to add it to the framework. Every step works in the same TF-IDF
space of the discovery's conversations (textkit.discover.ThemeSpace), rebuilt from their
redacted text, so the keywords and typical conversations of a merged or split group
mean what those of the groups found did.

Each write belongs to one organisation: a discovery is made from that organisation's
conversations only, and every later step finds the discovery through
`for_organisation`, so no partner reaches another's groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from engage.conversations.models import Conversation
from engage.core.errors import InvalidInput, NotFound
from engage.core.ids import checked_many
from engage.core.models import AuditAction
from engage.core.numbers import parse_ids
from engage.core.services import audit_record, user_or_none
from engage.core.types import Actor
from engage.insight.framework.services import category_promote
from engage.insight.models import (
    Category,
    ConversationInsight,
    DiscoveredGroup,
    GroupOrigin,
    GroupState,
    ThemeDiscovery,
)
from engage.partners.models import Organisation
from textkit.discover import MAX_SPLIT, Cluster, ThemeSpace

DISCOVER_LIMIT = 5000  # the latest analysed conversations of the set a discovery looks at
TYPICAL = 5  # conversations shown for each group; promoting one labels these


def _space(discovery: ThemeDiscovery) -> tuple[ThemeSpace, dict[int, int]]:
    """The discovery's space, and each conversation's position in it. A conversation
    deleted since is an empty text: it weighs nothing and is never typical."""
    ids: list[int] = list(discovery.conversation_ids)
    texts = dict(
        ConversationInsight.objects.filter(
            conversation__in=Conversation.objects.for_organisation(discovery.organisation).filter(pk__in=ids)
        ).values_list("conversation_id", "redacted_text")
    )
    space = ThemeSpace([texts.get(pk, "") for pk in ids], typical=TYPICAL)
    return space, {pk: position for position, pk in enumerate(ids)}


def _group(discovery: ThemeDiscovery, cluster: Cluster, *, origin: str) -> DiscoveredGroup:
    ids: list[int] = list(discovery.conversation_ids)
    return DiscoveredGroup.objects.create(
        discovery=discovery,
        keywords=cluster.keywords,
        member_ids=[ids[i] for i in cluster.members],
        size=cluster.size,
        origin=origin,
    )


def theme_discovery_create(
    *,
    actor: Actor,
    organisation: Organisation,
    conversations: QuerySet[Conversation],
    described_as: str,
    filters: dict[str, Any] | None = None,
    limit: int = DISCOVER_LIMIT,
) -> ThemeDiscovery:
    """Look for groups among the latest `limit` analysed conversations of the set (which
    is narrowed to the organisation's own) and keep them. Too few conversations, or
    ones with too few words in common, give a discovery with no groups, which the page
    explains."""
    own = conversations.filter(pk__in=Conversation.objects.for_organisation(organisation).values("pk"))
    rows = list(
        ConversationInsight.objects.filter(conversation__in=own.values("pk"))
        .order_by("-conversation__occurred_on", "-conversation_id")
        .values_list("conversation_id", "redacted_text")[:limit]
    )
    clusters = ThemeSpace([text for _, text in rows], typical=TYPICAL).discover() if rows else []
    with transaction.atomic():
        discovery = ThemeDiscovery.objects.create(
            organisation=organisation,
            described_as=described_as[:300],
            filters=filters or {},
            conversation_ids=[pk for pk, _ in rows],
            created_by=user_or_none(actor),
        )
        for cluster in clusters:
            _group(discovery, cluster, origin=GroupOrigin.FOUND)
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CREATED,
            subject_type="theme_discovery",
            subject_id=discovery.pk,
            summary=f"Looked for new themes in {len(rows):,} conversations ({described_as}): {len(clusters)} groups.",
        )
    return discovery


def _discovery(organisation: Organisation | None, discovery_id: int) -> ThemeDiscovery:
    found: ThemeDiscovery | None = (
        ThemeDiscovery.objects.for_organisation(organisation).filter(pk=discovery_id).first()
    )
    if found is None:
        raise NotFound(f"There is no discovery numbered {discovery_id}.")
    return found


def _open_groups(
    discovery: ThemeDiscovery, group_ids: Sequence[int], *, in_path: bool = False
) -> list[DiscoveredGroup]:
    """The discovery's groups named, locked; each must still be open. A group that is not
    this discovery's at all is refused (a 404 where the id is the page's own, else a
    400); one merged or split a moment ago is a slip to look at again."""
    wanted = parse_ids(group_ids, field="group")
    found = DiscoveredGroup.objects.select_for_update().filter(discovery=discovery).in_bulk(wanted)
    if len(found) != len(wanted):
        if in_path:
            raise NotFound("There is no such group in this discovery.")
        checked_many(discovery.groups.all(), wanted, field="group", what="group of this discovery")
    groups = [found[pk] for pk in wanted if found[pk].state == GroupState.OPEN]
    if len(groups) != len(wanted):
        raise InvalidInput(
            {
                "group": "One of those groups has been merged, split or added to the framework already. Look again."
            }
        )
    return groups


def _numbers(groups: Sequence[DiscoveredGroup]) -> str:
    return ", ".join(str(group.pk) for group in groups)


def _replace(
    discovery: ThemeDiscovery,
    old: Sequence[DiscoveredGroup],
    new: Sequence[DiscoveredGroup],
    *,
    state: str,
    actor: Actor,
    summary: str,
) -> None:
    """Mark the old groups merged or split, pointing at the new ones, kept for the record."""
    for group in old:
        group.state = state
        group.save(update_fields=["state"])
        group.replaced_by.add(*new)
    audit_record(
        actor=actor,
        organisation=discovery.organisation,
        action=AuditAction.UPDATED,
        subject_type="theme_discovery",
        subject_id=discovery.pk,
        summary=summary,
    )


def discovered_groups_merge(
    *, actor: Actor, organisation: Organisation, discovery_id: int, group_ids: Sequence[int]
) -> DiscoveredGroup:
    """One group of all the conversations of two or more open groups, described afresh."""
    if len(set(group_ids)) < 2:
        raise InvalidInput({"group": "Choose two or more groups to merge."})
    discovery = _discovery(organisation, discovery_id)
    with transaction.atomic():
        groups = _open_groups(discovery, group_ids)
        space, position = _space(discovery)
        members = [position[pk] for group in groups for pk in group.member_ids if pk in position]
        merged = _group(discovery, space.describe(members), origin=GroupOrigin.MERGED)
        _replace(
            discovery,
            groups,
            [merged],
            state=GroupState.MERGED,
            actor=actor,
            summary=f"Merged {len(groups)} groups ({_numbers(groups)}) into group {merged.pk}.",
        )
    return merged


def discovered_group_split(
    *, actor: Actor, organisation: Organisation, discovery_id: int, group_id: int, parts: int = 2
) -> list[DiscoveredGroup]:
    """The open group's conversations grouped again into `parts` (2 to MAX_SPLIT)."""
    if not 2 <= parts <= MAX_SPLIT:
        raise InvalidInput({"parts": f"Split a group into 2 to {MAX_SPLIT} groups."})
    discovery = _discovery(organisation, discovery_id)
    with transaction.atomic():
        (group,) = _open_groups(discovery, [group_id], in_path=True)
        space, position = _space(discovery)
        pieces = space.split([position[pk] for pk in group.member_ids if pk in position], parts=parts)
        if len(pieces) < 2:
            raise InvalidInput(
                {
                    "parts": "This group is too small, or its conversations too alike, to split. Nothing was changed."
                }
            )
        made = [_group(discovery, piece, origin=GroupOrigin.SPLIT) for piece in pieces]
        _replace(
            discovery,
            [group],
            made,
            state=GroupState.SPLIT,
            actor=actor,
            summary=f"Split group {group.pk} into {len(made)} groups ({_numbers(made)}).",
        )
    return made


def discovered_group_promote(
    *,
    actor: Actor,
    organisation: Organisation,
    discovery_id: int,
    group_id: int,
    name: str,
    parent_id: int | None,
    description: str = "",
) -> Category:
    """Add the open group to the framework as a sub-category under `parent_id`; its
    typical conversations (the ones the person saw) are labelled with it."""
    discovery = _discovery(organisation, discovery_id)
    with transaction.atomic():
        (group,) = _open_groups(discovery, [group_id], in_path=True)
        category = category_promote(
            actor=actor,
            organisation=organisation,
            name=name,
            parent_id=parent_id,
            description=description,
            conversation_ids=list(group.member_ids[:TYPICAL]),
        )
        group.state = GroupState.PROMOTED
        group.category = category
        group.save(update_fields=["state", "category"])
    return category
