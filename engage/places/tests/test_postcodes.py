"""Loading a postcode lookup in each of ONS's shapes, keeping terminated postcodes and
both LSOA codes, filtering it to some local authorities, and refusing a file that is not
one without touching what was loaded."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from engage.core.tabular.errors import ImportFileError
from engage.places import selectors, services
from engage.places.models import Postcode
from engage.places.postcode_format import full_postcode

pytestmark = pytest.mark.django_db

# The ONS Postcode Directory's columns (a selection, in its order and spelling).
ONSPD = [
    "pcd",
    "pcd2",
    "pcds",
    "dointr",
    "doterm",
    "oscty",
    "ced",
    "oslaua",
    "osward",
    "parish",
    "usertype",
    "oseast1m",
    "osnrth1m",
    "osgrdind",
    "ctry",
    "rgn",
    "lsoa11",
    "msoa11",
    "lat",
    "long",
    "imd",
    "lsoa21",
    "msoa21",
]


def onspd_row(
    pcds: str,
    *,
    doterm: str = "",
    laua: str = "E08000027",
    ward: str = "E05001234",
    lsoa11: str = "E01009391",
    lsoa21: str = "E01009391",
) -> list[str]:
    compact = pcds.replace(" ", "")
    values = {
        "pcd": f"{compact[:-3]:<4}{compact[-3:]}",
        "pcd2": pcds,
        "pcds": pcds,
        "dointr": "198001",
        "doterm": doterm,
        "oscty": "E99999999",
        "ced": "E99999999",
        "oslaua": laua,
        "osward": ward,
        "parish": "E43000001",
        "usertype": "0",
        "oseast1m": "394000",
        "osnrth1m": "290000",
        "osgrdind": "1",
        "ctry": "E92000001",
        "rgn": "E12000005",
        "lsoa11": lsoa11,
        "msoa11": "E02001999",
        "lat": "52.51",
        "long": "-2.08",
        "imd": "2113",
        "lsoa21": lsoa21,
        "msoa21": "E02001999",
    }
    return [values[name] for name in ONSPD]


ROWS = [
    onspd_row("DY1 1HF"),
    onspd_row("DY1 2AB", lsoa21="E01035000"),  # an LSOA split in 2021
    onspd_row("DY2 7QQ", doterm="201903"),  # terminated, and kept
    onspd_row("B70 6AA", laua="E08000028", ward="E05001500", lsoa11="E01010001", lsoa21="E01010001"),
    onspd_row("GY1 1AA", laua="L99999999", ward="L99999999", lsoa11="L99999999", lsoa21="L99999999"),
]


def write(path: Path, headings: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(headings)
        writer.writerows(rows)
    return path


def load(path: Path):
    return services.postcodes_load(actor=None, path=path, file_name=path.name)


@pytest.mark.parametrize("text", ["DY1 1HF", "dy11hf", "  DY1   1HF ", "dy1\t1hf"])
def test_a_postcode_is_matched_however_it_is_written(text):
    assert full_postcode(text) == "DY11HF"


@pytest.mark.parametrize("text", ["", "DY1", "DY1 1H", "1DY 1HF", "not a postcode"])
def test_what_is_not_a_full_postcode_is_not_one(text):
    assert full_postcode(text) == ""


def test_the_postcode_directory_loads_with_both_lsoas_wards_and_terminated_postcodes(tmp_path):
    result = load(write(tmp_path / "ONSPD_NOV_2025_UK.csv", ONSPD, ROWS))
    assert result.rows == 5
    found = selectors.postcodes_get({"DY11HF", "DY12AB", "DY27QQ", "GY11AA", "ZZ11ZZ"})
    assert set(found) == {"DY11HF", "DY12AB", "DY27QQ", "GY11AA"}
    assert (found["DY12AB"].lsoa_2011, found["DY12AB"].lsoa_2021) == ("E01009391", "E01035000")
    assert (found["DY11HF"].ward_code, found["DY11HF"].local_authority_code) == ("E05001234", "E08000027")
    assert found["DY27QQ"].terminated == "201903"
    # ONS's pseudo-codes for "none" (the Channel Islands have no LSOA) are read as blank.
    assert (found["GY11AA"].lsoa_2021, found["GY11AA"].local_authority_code) == ("", "")


def test_the_nspl_and_the_ons_lsoa_lookup_load_too(tmp_path):
    nspl = [
        "pcd",
        "pcd2",
        "pcds",
        "dointr",
        "doterm",
        "usertype",
        "oa21",
        "laua",
        "ward",
        "lsoa21",
        "msoa21",
        "lsoa11",
    ]
    row = [
        "DY1 1HF",
        "DY1  1HF",
        "DY1 1HF",
        "198001",
        "",
        "0",
        "E00050000",
        "E08000027",
        "E05001234",
        "E01009391",
        "E02001999",
        "E01009391",
    ]
    assert load(write(tmp_path / "NSPL.csv", nspl, [row])).rows == 1
    lookup = [
        "PCD7",
        "PCD8",
        "PCDS",
        "DOINTR",
        "DOTERM",
        "USERTYPE",
        "OA21CD",
        "LSOA21CD",
        "MSOA21CD",
        "LADCD",
        "LSOA21NM",
        "MSOA21NM",
        "LADNM",
        "LADNMW",
    ]
    row = [
        "DY1 1HF",
        "DY1 1HF",
        "DY1 1HF",
        "198001",
        "",
        "0",
        "E00050000",
        "E01009391",
        "E02001999",
        "E08000027",
        "Dudley 001A",
        "Dudley 001",
        "Dudley",
        "",
    ]
    assert load(write(tmp_path / "PCD_OA21_LSOA21.csv", lookup, [row])).rows == 1
    assert Postcode.objects.get().lsoa_2021 == "E01009391"


def test_rows_that_are_not_postcodes_are_skipped_and_named_and_repeats_load_once(tmp_path):
    rows = [*ROWS, onspd_row("DY1 1HF"), [*onspd_row("DY1 1HF")[:2], "nonsense", *onspd_row("DY1 1HF")[3:]]]
    result = load(write(tmp_path / "o.csv", ONSPD, rows))
    assert result.rows == 5
    assert "1 repeated postcodes were loaded once." in result.note
    assert "1 rows were not postcodes and were skipped (first on lines 8)." in result.note


def test_a_file_that_is_not_a_postcode_lookup_is_refused_and_the_postcodes_stay(tmp_path):
    load(write(tmp_path / "good.csv", ONSPD, ROWS[:2]))
    with pytest.raises(
        ImportFileError,
        match=r"survey.csv: This is not a postcode lookup: it has no an LSOA column|survey.csv: This is not a postcode lookup",
    ):
        load(
            write(
                tmp_path / "survey.csv", ["Respondent ID", "Postcode", "Comment"], [["1", "DY1 1HF", "Fine"]]
            )
        )
    # A file that breaks after its first rows (here a line of binary data) is refused
    # part way, after the old postcodes were cleared in the same transaction.
    broken = tmp_path / "broken.csv"
    good = [",".join(onspd_row(f"B70 {n}AA")) for n in range(10)] * 10
    lines = [",".join(ONSPD), *good, "DY1 9ZZ\x00\x00,broken"]
    broken.write_bytes(("\n".join(lines) + "\n").encode())
    with pytest.raises(ImportFileError, match=r"broken.csv \(line 102\)"):
        services.postcodes_load(actor=None, path=broken, file_name="broken.csv")
    nothing = write(
        tmp_path / "none.csv", ONSPD, [[*onspd_row("DY1 1HF")[:2], "bad", *onspd_row("DY1 1HF")[3:]]]
    )
    with pytest.raises(ImportFileError, match="holds no postcodes"):
        load(nothing)
    assert sorted(Postcode.objects.values_list("postcode", flat=True)) == ["DY11HF", "DY12AB"]


def test_the_lookup_is_filtered_to_the_partnerships_local_authorities_by_a_command(tmp_path):
    source = write(tmp_path / "ONSPD.csv", ONSPD, ROWS)
    target = tmp_path / "dudley.csv"
    out = StringIO()
    call_command(
        "reach",
        "filter-postcodes",
        str(source),
        "--local-authority",
        "e08000027",
        "--out",
        str(target),
        stdout=out,
    )
    assert "Kept 3 of 5 postcodes" in out.getvalue()
    with target.open(encoding="utf-8") as kept:
        rows = list(csv.reader(kept))
    assert rows[0] == ONSPD
    assert [row[2] for row in rows[1:]] == ["DY1 1HF", "DY1 2AB", "DY2 7QQ"]
    call_command("reach", "load-postcodes", str(target), stdout=out, stderr=StringIO())
    assert "Loaded the postcode lookup: 3 postcodes." in out.getvalue()
    status = StringIO()
    call_command("reach", "status", stdout=status)
    assert "Postcodes: 3" in status.getvalue()
    with pytest.raises(CommandError, match="There is no file at"):
        call_command("reach", "load-postcodes", str(tmp_path / "missing.csv"))
    no_authority = write(tmp_path / "lsoa-only.csv", ["pcds", "lsoa21cd"], [["DY1 1HF", "E01009391"]])
    with pytest.raises(CommandError, match="no local authority column"):
        call_command(
            "reach",
            "filter-postcodes",
            str(no_authority),
            "--local-authority",
            "E08000027",
            "--out",
            str(tmp_path / "x.csv"),
        )


def test_the_look_up_index_is_there_after_a_load_and_after_a_refused_one(tmp_path):

    def indexes() -> set[str]:
        with connection.cursor() as cursor:
            return set(connection.introspection.get_constraints(cursor, Postcode._meta.db_table))

    good = tmp_path / "good.csv"
    good.write_text("pcds,lsoa21,osward,oslaua\nDY1 1AA,E01000001,E05000001,E08000027\n")
    services.postcodes_load(actor=None, path=good, file_name=good.name)
    assert "postcode_by_authority" in indexes()
    bad = tmp_path / "bad.csv"
    bad.write_text("nothing,useful\n1,2\n")
    with pytest.raises(ImportFileError):
        services.postcodes_load(actor=None, path=bad, file_name=bad.name)
    assert "postcode_by_authority" in indexes()
    assert Postcode.objects.get().postcode == "DY11AA"
