"""Every conversation's postcode turned into its LSOA, ward and national deprivation
decile as it comes in (imported, recorded by hand or given on the public form), with
only the district of the postcode kept."""

from __future__ import annotations

import datetime as dt

import pytest

from engage.conversations import services as conversations
from engage.conversations.models import Conversation
from engage.conversations.tests.test_import import HEADINGS, run
from engage.places import services
from engage.places.tests.test_imd import HEADINGS_2019, HEADINGS_2025, ROWS
from engage.places.tests.test_imd import write_csv as write_imd
from engage.places.tests.test_postcodes import ONSPD, onspd_row, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference(tmp_path):
    services.imd_load(
        actor=None, path=write_imd(tmp_path / "imd.csv", HEADINGS_2025, ROWS), file_name="imd.csv"
    )
    lookup = [
        onspd_row("DY1 1HF", lsoa11="E01009391", lsoa21="E01009391"),
        onspd_row("DY1 2AB", ward="E05009999", lsoa11="E01009391", lsoa21="E01009393"),
        onspd_row("DY2 7QQ", doterm="201903", lsoa11="E01009392", lsoa21="E01009392"),
    ]
    services.postcodes_load(
        actor=None, path=write(tmp_path / "onspd.csv", ONSPD, lookup), file_name="onspd.csv"
    )


def _row(reference: str, text: str, postcode: str) -> list[object]:
    return [reference, text, "15/03/2025", 2, postcode, "yes"]


def test_an_import_finds_each_postcodes_lsoa_ward_and_decile_and_keeps_only_the_district(
    reference, organisation, write_csv
):
    path = write_csv(
        [
            HEADINGS,
            _row("R1", "The waiting room was cold", "dy1 1hf"),
            _row("R2", "Parking was hard", "DY12AB"),
            _row("R3", "Nobody called back", " DY2  7QQ "),  # terminated since, and still found
            _row("R4", "Kind staff", "B70 6AA"),  # not in the lookup
            _row("R5", "Fine", "DY1"),  # a district alone
            _row("R6", "No postcode given", ""),
        ]
    )
    job = run(organisation, path)
    assert job.added == 6
    found = {
        c.respondent_reference: (c.postcode_district, c.lsoa_code, c.ward_code, c.imd_decile)
        for c in Conversation.objects.for_organisation(organisation)
    }
    assert found == {
        "R1": ("DY1", "E01009391", "E05001234", 1),
        "R2": ("DY1", "E01009393", "E05009999", 8),
        "R3": ("DY2", "E01009392", "E05001234", 2),
        "R4": ("B70", "", "", None),
        "R5": ("DY1", "", "", None),
        "R6": ("", "", "", None),
    }
    # No whole postcode is stored anywhere in the bank ("Y" is no hex digit, so no key matches).
    stored = "".join(str(v) for row in Conversation.objects.values() for v in row.values()).upper()
    for whole in ("DY11HF", "DY12AB", "DY27QQ", "B706AA"):
        assert whole not in stored.replace(" ", "")


def test_the_2019_edition_uses_the_2011_lsoas(reference, organisation, write_csv, settings, tmp_path):
    services.imd_load(
        actor=None, path=write_imd(tmp_path / "imd19.csv", HEADINGS_2019, ROWS), file_name="imd19.csv"
    )
    settings.ENGAGE_IMD_EDITION = "2019"
    run(organisation, write_csv([HEADINGS, _row("R2", "Parking was hard", "DY1 2AB")]))
    conversation = Conversation.objects.get()
    assert (conversation.lsoa_code, conversation.imd_decile) == ("E01009391", 1)


def test_without_a_postcode_lookup_conversations_keep_the_district_only(organisation, write_csv):
    run(organisation, write_csv([HEADINGS, _row("R1", "Cold room", "DY1 1HF")]))
    conversation = Conversation.objects.get()
    assert (conversation.postcode_district, conversation.lsoa_code, conversation.imd_decile) == (
        "DY1",
        "",
        None,
    )


def test_a_conversation_recorded_by_hand_is_placed_too(reference, organisation):
    conversation = conversations.conversation_record(
        actor=None,
        organisation=organisation,
        text="Told us at the market stall that the bus to the hospital is unreliable",
        channel="event",
        occurred_on=dt.date(2026, 3, 1),
        postcode="DY2 7QQ",
    )
    assert (conversation.postcode_district, conversation.lsoa_code, conversation.imd_decile) == (
        "DY2",
        "E01009392",
        2,
    )
