"""Discovering new themes: groups found, kept, merged, split and promoted, in the browser's
requests and on the real database, and never across organisations."""

from __future__ import annotations

from typing import Any

import pytest

from engage.accounts.tests.factories import member_of
from engage.core.errors import InvalidInput, NotFound
from engage.core.models import AuditEvent
from engage.core.roles import Role
from engage.core.selectors import about_record
from engage.insight import runner, services
from engage.insight.discovery import services as discovery_services
from engage.insight.models import Category, DiscoveredGroup, GroupState, PersonLabel, ThemeDiscovery
from engage.insight.tests.test_services import add
from engage.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

RADIO = "The hospital radio was too loud at night, station {n} kept playing"
FOOD = "The hospital food was cold and the tea came late on day {n}"
PHONE = "Could not get through on the phone at 8am, tried {n} times"


@pytest.fixture
def bank(labelled_bank: Any) -> Any:
    for template in (RADIO, FOOD, PHONE):
        for n in range(12):
            add(labelled_bank, template.format(n=n))
    services.model_train(actor=None)
    runner.analysis_run_execute(run_id=services.analysis_run_create(actor=None, start=False).pk)
    return labelled_bank


def _find(client: Any) -> ThemeDiscovery:
    response = client.post("/staff/themes/discover/", {"channel": "", "activity": "", "from": "", "to": ""})
    assert response.status_code == 302
    discovery = ThemeDiscovery.objects.latest("pk")
    assert response["Location"] == f"/staff/themes/discover/{discovery.pk}/"
    return discovery


def _group_with(discovery: ThemeDiscovery, word: str) -> DiscoveredGroup:
    return next(
        group for group in discovery.groups.filter(state=GroupState.OPEN) if word in " ".join(group.keywords)
    )


def test_an_analyst_finds_groups_and_they_are_kept_for_the_next_visit(client_for, bank):
    analyst = client_for(member_of(bank, Role.ANALYST), bank)
    discovery = _find(analyst)
    page = analyst.get(f"/staff/themes/discover/{discovery.pk}/").content.decode()
    assert "radio" in page
    assert len(discovery.conversation_ids) == bank.conversations.count()
    assert sum(group.size for group in discovery.groups.all()) == len(discovery.conversation_ids)
    # Listed on the first page, and the typical conversations shown are audited.
    assert (
        f"/staff/themes/discover/{discovery.pk}/" in analyst.get("/staff/themes/discover/").content.decode()
    )
    shown = discovery.groups.first().member_ids[0]
    assert AuditEvent.objects.filter(
        about_record(str(shown)), subject_type="conversation", action="listed"
    ).exists()


def test_merging_two_groups_makes_one_of_all_their_conversations(client_for, bank):
    analyst = client_for(member_of(bank, Role.ANALYST), bank)
    discovery = _find(analyst)
    radio, phone = _group_with(discovery, "radio"), _group_with(discovery, "phone")
    response = analyst.post(f"/staff/themes/discover/{discovery.pk}/merge/", {"group": [radio.pk, phone.pk]})
    assert response.status_code == 302
    merged = DiscoveredGroup.objects.get(origin="merged")
    assert set(merged.member_ids) == set(radio.member_ids) | set(phone.member_ids)
    assert merged.size == radio.size + phone.size
    assert {"radio", "phone"} & set(" ".join(merged.keywords).split())
    radio.refresh_from_db()
    assert radio.state == GroupState.MERGED
    assert list(radio.replaced_by.all()) == [merged]
    page = analyst.get(f"/staff/themes/discover/{discovery.pk}/").content.decode()
    assert f'id="group-{radio.pk}"' not in page
    assert f'id="group-{merged.pk}"' in page
    # A merged group cannot be merged again, and one group alone is not a merge.
    with pytest.raises(InvalidInput):
        discovery_services.discovered_groups_merge(
            actor=None, organisation=bank, discovery_id=discovery.pk, group_ids=[radio.pk, merged.pk]
        )
    with pytest.raises(InvalidInput, match="two or more"):
        discovery_services.discovered_groups_merge(
            actor=None, organisation=bank, discovery_id=discovery.pk, group_ids=[merged.pk]
        )


def test_splitting_a_mixed_group_separates_its_themes(client_for, bank):
    analyst = client_for(member_of(bank, Role.ANALYST), bank)
    discovery = _find(analyst)
    radio, phone = _group_with(discovery, "radio"), _group_with(discovery, "phone")
    mixed = discovery_services.discovered_groups_merge(
        actor=None, organisation=bank, discovery_id=discovery.pk, group_ids=[radio.pk, phone.pk]
    )
    response = analyst.post(f"/staff/themes/discover/{discovery.pk}/groups/{mixed.pk}/split/", {"parts": "2"})
    assert response.status_code == 302
    parts = list(DiscoveredGroup.objects.filter(origin="split"))
    assert sorted(sorted(p.member_ids) for p in parts) == sorted(
        [sorted(radio.member_ids), sorted(phone.member_ids)]
    )
    mixed.refresh_from_db()
    assert mixed.state == GroupState.SPLIT
    with pytest.raises(InvalidInput, match="2 to 6"):
        discovery_services.discovered_group_split(
            actor=None, organisation=bank, discovery_id=discovery.pk, group_id=parts[0].pk, parts=9
        )


def test_a_group_too_small_to_split_is_left_as_it_was(bank):
    discovery = discovery_services.theme_discovery_create(
        actor=None, organisation=bank, conversations=bank.conversations.all(), described_as="All"
    )
    group = discovery.groups.order_by("size").first()
    group.member_ids = group.member_ids[:3]
    group.save()
    with pytest.raises(InvalidInput, match="too small"):
        discovery_services.discovered_group_split(
            actor=None, organisation=bank, discovery_id=discovery.pk, group_id=group.pk, parts=2
        )
    group.refresh_from_db()
    assert group.state == GroupState.OPEN


def test_naming_a_group_adds_it_to_the_framework_and_labels_its_typical_conversations(client_for, bank):
    analyst = client_for(member_of(bank, Role.ANALYST), bank)
    discovery = _find(analyst)
    radio = _group_with(discovery, "radio")
    parent = Category.objects.filter(parent__isnull=True).first()
    url = f"/staff/themes/discover/{discovery.pk}/groups/{radio.pk}/promote/"
    assert analyst.post(url, {"name": "Hospital radio", "parent": parent.pk}).status_code == 302
    promoted = Category.objects.get(name="Hospital radio")
    assert (promoted.parent, promoted.origin) == (parent, "discovered")
    labelled = set(PersonLabel.objects.filter(category=promoted).values_list("conversation_id", flat=True))
    assert labelled == set(radio.member_ids[: discovery_services.TYPICAL])
    radio.refresh_from_db()
    assert (radio.state, radio.category) == (GroupState.PROMOTED, promoted)
    assert "Hospital radio" in analyst.get(f"/staff/themes/discover/{discovery.pk}/").content.decode()
    # A second name for the same group, or the same name for another, changes nothing.
    analyst.post(url, {"name": "Radio again", "parent": parent.pk})
    phone = _group_with(discovery, "phone")
    page = analyst.post(
        f"/staff/themes/discover/{discovery.pk}/groups/{phone.pk}/promote/",
        {"name": "hospital radio", "parent": parent.pk},
        follow=True,
    ).content.decode()
    assert "already has a theme called" in page
    assert not Category.objects.filter(name="Radio again").exists()
    phone.refresh_from_db()
    assert phone.state == GroupState.OPEN


def test_another_organisation_cannot_see_or_change_our_groups(client_for, bank):
    discovery = discovery_services.theme_discovery_create(
        actor=None, organisation=bank, conversations=bank.conversations.all(), described_as="All"
    )
    group = discovery.groups.first()
    other = OrganisationFactory(name="Walsall Council")
    outsider = client_for(member_of(other, Role.ANALYST), other)
    assert outsider.get(f"/staff/themes/discover/{discovery.pk}/").status_code == 404
    outsider.post(f"/staff/themes/discover/{discovery.pk}/groups/{group.pk}/split/", {"parts": "2"})
    outsider.post(
        f"/staff/themes/discover/{discovery.pk}/merge/", {"group": [g.pk for g in discovery.groups.all()]}
    )
    assert not DiscoveredGroup.objects.exclude(state=GroupState.OPEN).exists()
    with pytest.raises(NotFound):
        discovery_services.discovered_group_split(
            actor=None, organisation=other, discovery_id=discovery.pk, group_id=group.pk
        )
    # Their own discovery sees none of our conversations.
    theirs = discovery_services.theme_discovery_create(
        actor=None, organisation=other, conversations=bank.conversations.all(), described_as="All"
    )
    assert theirs.conversation_ids == []
    assert (
        "too few analysed conversations"
        in outsider.get(f"/staff/themes/discover/{theirs.pk}/").content.decode()
    )
    board = client_for(member_of(bank, Role.BOARD_MEMBER), bank)
    assert board.get("/staff/themes/discover/").status_code == 403
    assert board.get(f"/staff/themes/discover/{discovery.pk}/").status_code == 403
