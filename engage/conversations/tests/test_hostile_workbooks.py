"""Crafted uploads are refused before they cost the server memory or disk.

Two guards: the upload cap stops a request's file before Django stores it
(engage/core/upload_limit.py), and the workbook guard refuses a hostile .xlsx before
openpyxl opens it (importers/workbook_guard.py, counting with workbook_parts.py). The
hostile workbooks are built here, part by part, with zipfile: each is small on disk,
and most would unpack to far more.
Tests of the memory budget lower it (ENGAGE_IMPORT_WORKBOOK_MEMORY_BYTES) rather than
build workbooks of hundreds of megabytes; bench/hostile_xlsx.py measures the real one.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import resolve
from openpyxl.chart import BarChart, Reference

from engage.accounts.tests.factories import member_of
from engage.conversations.models import ImportJob
from engage.core import upload_limit
from engage.core.roles import Role
from engage.core.tabular import workbook_guard
from engage.core.tabular.errors import ImportFileError
from engage.core.tabular.readers import estimate_rows, open_reader
from engage.places.models import ReferenceJob
from engage.reach import views as reach_views

MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
STYLES = "xl/styles.xml"

Part = bytes | Iterable[bytes]

pytestmark = pytest.mark.urls("engage.conversations.tests.urls_for_tests")


def _content_types(names: Iterable[str]) -> bytes:
    kinds = {
        "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        SHEET: "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
        STRINGS: "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
        STYLES: "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
    }
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="{kinds[name]}"/>' for name in names if name in kinds
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
    ).encode()


ROOT_RELS = (
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Survey" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
WORKBOOK_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}styles" Target="styles.xml"/></Relationships>'
).encode()


def sheet_xml(rows: Iterable[bytes] = (b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>',)) -> Iterator[bytes]:
    yield b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + MAIN + b"><sheetData>"
    yield from rows
    yield b"</sheetData></worksheet>"


def strings_xml(strings: Iterable[bytes] = (b"<si><t>Comment</t></si>",)) -> Iterator[bytes]:
    yield b'<?xml version="1.0" encoding="UTF-8"?><sst ' + MAIN + b">"
    yield from strings
    yield b"</sst>"


def build(path: Path, replace: dict[str, Part] | None = None) -> Path:
    """A minimal workbook (one sheet whose only cell is the shared string 'Comment'),
    with the parts in `replace` put in place of, or beside, its own."""
    parts: dict[str, Part] = {SHEET: sheet_xml(), STRINGS: strings_xml(), **(replace or {})}
    parts = {
        "[Content_Types].xml": _content_types(["xl/workbook.xml", *parts]),
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        **parts,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
            else:
                with archive.open(name, "w") as out:
                    for chunk in content:
                        out.write(chunk)
    return path


def rewritten(path: Path, name: str, change: Callable[[bytes], bytes]) -> Path:
    """A copy of the workbook with one part changed."""
    copy = path.with_name(f"changed-{path.name}")
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            content = old.read(info)
            new.writestr(info.filename, change(content) if info.filename == name else content)
    return copy


def directory_entries(data: bytes) -> Iterator[tuple[int, str]]:
    """(offset, name) of each entry of a zip's central directory."""
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_size = struct.unpack_from("<H", data, at + 28)[0]
        yield at, data[at + 46 : at + 46 + name_size].decode()
        at = data.find(b"PK\x01\x02", at + 1)


def declare_size(path: Path, member: str, size: int) -> None:
    """Write a false unpacked size for `member` into the zip's central directory."""
    data = bytearray(path.read_bytes())
    for at, name in directory_entries(data):
        if name == member:
            struct.pack_into("<L", data, at + 24, size)
    path.write_bytes(bytes(data))


def refusal(path: Path) -> str:
    with pytest.raises(ImportFileError) as raised:
        open_reader(path, file_name=path.name)
    message = raised.value.message
    assert message.startswith(f"{path.name}: ")
    return message


@pytest.fixture(autouse=True)
def _fresh_guard() -> Iterator[None]:
    workbook_guard._check_once.cache_clear()
    yield
    workbook_guard._check_once.cache_clear()


@pytest.fixture
def small_budget(settings: Any) -> int:
    """A memory budget of 4 MB, set as a deployment would set it."""
    settings.ENGAGE_IMPORT_WORKBOOK_MEMORY_BYTES = 4 * 1024 * 1024
    return int(settings.ENGAGE_IMPORT_WORKBOOK_MEMORY_BYTES)


# --- Workbooks that still read ------------------------------------------------------


PASTED = "Parking was impossible \u00a35 \u2013 \u201cnever again\u201d"  # £, en dash, curly quotes


def test_a_normal_workbook_made_with_openpyxl_still_reads(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Survey"
    sheet.append(["Comment", "Date", "Rating", "Agreed"])
    sheet.append(["The nurses were kind.", dt.date(2025, 3, 15), 5, True])
    sheet.append([PASTED, dt.date(2025, 3, 16), 1.5, False])
    sheet["A1"].font = openpyxl.styles.Font(bold=True)
    sheet["B2"].number_format = "DD/MM/YYYY"
    sheet.row_dimensions[2].height = 30
    sheet.merge_cells("E1:F1")
    sheet["A3"].hyperlink = "https://example.org/"
    book.create_sheet("Notes").append(["Second sheet"])
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=3, min_row=1, max_row=3), titles_from_data=True)
    book.create_chartsheet("Chart").add_chart(chart)
    path = tmp_path / "survey.xlsx"
    book.save(path)

    with open_reader(path, file_name="survey.xlsx") as reader:
        rows = list(reader.rows())
    assert reader.headings == ["Comment", "Date", "Rating", "Agreed"]
    assert rows[0] == (
        2,
        {"Comment": "The nurses were kind.", "Date": "2025-03-15", "Rating": "5", "Agreed": "true"},
    )
    assert rows[1][1]["Comment"] == PASTED
    assert estimate_rows(path, file_name="survey.xlsx") == 2


def test_a_streamed_workbook_and_one_laid_out_as_excel_writes_them_read(tmp_path):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Comment"])
    for n in range(2000):
        sheet.append([f"Comment {n}"])
    streamed = tmp_path / "streamed.xlsx"
    book.save(streamed)
    with open_reader(streamed) as reader:
        assert sum(1 for _ in reader.rows()) == 2000

    excel_like = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet ' + MAIN + b' xmlns:r="'
        b'http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.'
        b'openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac" xmlns:x14ac="http://schemas.'
        b'microsoft.com/office/spreadsheetml/2009/9/ac"><dimension ref="A1:A3"/><sheetData>\n'
        b'  <row r="1" spans="1:1" ht="20" customHeight="1" x14ac:dyDescent="0.25">'
        b'<c r="A1" t="s"><v>0</v></c></row>\n  <row r="2" spans="1:1"/>\n'
        b'  <row r="3"><c r="A3" t="inlineStr"><is><t>Kind staff</t></is></c></row>\n'
        b'</sheetData><mergeCells count="1"><mergeCell ref="B1:C1"/></mergeCells></worksheet>'
    )
    with open_reader(build(tmp_path / "excel.xlsx", {SHEET: excel_like})) as reader:
        assert list(reader.rows()) == [(3, {"Comment": "Kind staff"})]


# --- Zip bombs and lying sizes ----------------------------------------------------


def test_a_zip_bomb_worksheet_is_refused_before_it_is_unpacked(tmp_path):
    rows = b"<row><c><v>1</v></c></row>" * 100_000
    bomb = build(tmp_path / "bomb.xlsx", {SHEET: sheet_xml(rows for _ in range(25))})
    assert bomb.stat().st_size < 200_000  # for 65 MB of rows
    message = refusal(bomb)
    assert re.search(r"Its part xl/worksheets/sheet1.xml unpacks to [\d,]+ times its packed size", message)
    assert "(a zip bomb)" in message


def test_a_workbook_declaring_gigabytes_is_refused_from_its_list_of_contents(tmp_path):
    path = build(tmp_path / "huge.xlsx")
    declare_size(path, SHEET, 3 * 1024**3)
    assert "would unpack to 3,072 MB, more than the 2,048 MB a workbook may hold" in refusal(path)


def test_a_part_holding_more_than_its_declared_size_is_refused_while_unpacking(tmp_path):
    strings = [b"<si><t>Comment number %d</t></si>" % n for n in range(20_000)]
    path = build(tmp_path / "lying.xlsx", {STRINGS: strings_xml(strings)})
    declare_size(path, STRINGS, 1000)
    assert "Its part xl/sharedStrings.xml holds more than the 1,000 bytes" in refusal(path)


def test_a_part_shorter_than_its_declared_size_is_refused(tmp_path):
    path = build(tmp_path / "short.xlsx")
    with zipfile.ZipFile(path) as archive:
        size = archive.getinfo(SHEET).file_size
    declare_size(path, SHEET, size + 10)
    assert "shorter than its list of contents says" in refusal(path)


def test_a_part_whose_packed_data_is_corrupt_is_refused(tmp_path):
    rows = (b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n) for n in range(1, 5000))
    path = build(tmp_path / "corrupt.xlsx", {SHEET: sheet_xml(rows)})
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
    data = bytearray(path.read_bytes())
    middle = info.header_offset + 30 + len(SHEET) + info.compress_size // 2
    data[middle : middle + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    assert "could not be opened as an Excel workbook" in refusal(path)


def test_too_many_parts_are_refused_before_zipfile_reads_them(tmp_path):
    path = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(workbook_guard.MAX_MEMBERS + 1):
            archive.writestr(f"x/{n}", b"")
    assert "made of more than 5,000 parts" in refusal(path)


def test_parts_sharing_their_packed_data_are_refused(tmp_path):
    path = build(tmp_path / "overlap.xlsx")
    with zipfile.ZipFile(path) as archive:
        sheet_at = archive.getinfo(SHEET).header_offset
    data = bytearray(path.read_bytes())
    for at, name in directory_entries(data):
        if name == STRINGS:  # the shared strings said to start where the worksheet does
            struct.pack_into("<L", data, at + 42, sheet_at)
    path.write_bytes(bytes(data))
    assert "overlaps another" in refusal(path)


def test_two_parts_of_the_same_name_are_refused(tmp_path):
    path = build(tmp_path / "twice.xlsx")
    with zipfile.ZipFile(path, "a") as archive, pytest.warns(UserWarning, match="Duplicate name"):
        archive.writestr(STRINGS, b"<sst " + MAIN + b"/>")
    assert "two of its parts have the same name" in refusal(path)


# --- XML built to explode --------------------------------------------------------

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY lol0 "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10) for n in range(1, 10))
    + b"]><sst "
    + MAIN
    + b"><si><t>&lol9;</t></si></sst>"
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    b"<sst " + MAIN + b"><si><t>&secret;</t></si></sst>"
)


@pytest.mark.parametrize(
    "content", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion laughs", "external entity"]
)
def test_entities_in_the_shared_strings_are_refused(tmp_path, content):
    path = build(tmp_path / "entities.xlsx", {STRINGS: content})
    message = refusal(path)
    assert "Its part xl/sharedStrings.xml declares a document type (<!DOCTYPE>)" in message
    assert "root:" not in message


@pytest.mark.parametrize("part", ["[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"])
def test_a_document_type_in_any_part_read_whole_is_refused(tmp_path, part):
    path = rewritten(
        build(tmp_path / "doctype.xlsx"), part, lambda xml: b'<!DOCTYPE x [<!ENTITY a "b">]>' + xml
    )
    assert f"Its part {part} declares a document type" in refusal(path)


def test_entities_in_a_worksheet_are_refused(tmp_path):
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol "lol">]><worksheet '
        + MAIN
        + b"><sheetData/></worksheet>"
    )
    path = build(tmp_path / "sheet.xlsx", {SHEET: sheet})
    assert "Its worksheet xl/worksheets/sheet1.xml holds a document type" in refusal(path)


def test_deeply_nested_xml_is_refused(tmp_path):
    deep = b"<styleSheet " + MAIN + b">" + b"<a>" * 10_000 + b"</a>" * 10_000 + b"</styleSheet>"
    path = build(tmp_path / "deep.xlsx", {STYLES: deep})
    assert "Its part xl/styles.xml nests elements more than 100 deep" in refusal(path)


def test_deep_nesting_in_a_worksheet_row_is_held_to_the_memory_budget(tmp_path, small_budget):
    # Nesting in a row is freed with the row, so it is counted against the budget
    # rather than refused outright: ElementTree frees deep trees without recursion.
    row = b'<row r="1"><c r="A1" t="s"><v>0</v></c>' + b"<x>" * 10_000 + b"</x>" * 10_000 + b"</row>"
    path = build(tmp_path / "deep-row.xlsx", {SHEET: sheet_xml([row])})
    assert "more than the 4 MB of memory one import may use, because of a worksheet" in refusal(path)


def test_huge_shared_strings_are_refused_within_the_memory_budget(tmp_path, small_budget):
    strings = (b"<si><t>Comment number %d</t></si>" % n for n in range(40_000))
    path = build(tmp_path / "strings.xlsx", {STRINGS: strings_xml(strings)})
    message = refusal(path)
    assert "more than the 4 MB of memory one import may use, because of the text of its cells" in message
    assert "(xl/sharedStrings.xml)" in message
    assert "Save the sheet as CSV UTF-8" in message


def test_wide_characters_count_four_bytes_each(tmp_path, small_budget):
    text = b"".join(b"%07d" % n for n in range(170_000))  # 1.2 million characters
    narrow = build(tmp_path / "narrow.xlsx", {STRINGS: strings_xml([b"<si><t>" + text + b"</t></si>"])})
    with open_reader(narrow) as reader:
        assert len(reader.headings[0]) == len(text)
    emoji = "😀".encode()
    wide = build(tmp_path / "wide.xlsx", {STRINGS: strings_xml([b"<si><t>" + text + emoji + b"</t></si>"])})
    assert "because of the text of its cells" in refusal(wide)


def test_a_flood_of_rows_is_refused_within_the_memory_budget(tmp_path, small_budget):
    rows = (b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(1, 60_000))
    path = build(tmp_path / "rows.xlsx", {SHEET: sheet_xml(rows)})
    assert "because of a worksheet (xl/worksheets/sheet1.xml)" in refusal(path)


def test_elements_between_rows_count_as_kept_whole(tmp_path, small_budget):
    junk = [b'<x a="%d"/>' % n for n in range(10_000)]
    path = build(
        tmp_path / "junk.xlsx", {SHEET: sheet_xml([*junk, b'<row r="1"><c t="s"><v>0</v></c></row>'])}
    )
    assert "because of a worksheet" in refusal(path)


def test_a_row_number_past_excels_last_row_is_refused(tmp_path):
    rows = [b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>', b'<row r="99999999999"><c><v>1</v></c></row>']
    path = build(tmp_path / "far.xlsx", {SHEET: sheet_xml(rows)})
    assert "has a row numbered '99999999999', where Excel's rows are numbered 1 to 1,048,576" in refusal(path)


def test_rebinding_the_worksheet_namespace_is_refused(tmp_path):
    rows = [b'<foo xmlns="urn:other"><row r="1"><c><v>1</v></c></row></foo>']
    path = build(tmp_path / "rebound.xlsx", {SHEET: sheet_xml(rows)})
    assert "declares its namespace again part way through" in refusal(path)


def test_a_part_used_in_two_roles_is_refused(tmp_path):
    path = rewritten(
        build(tmp_path / "roles.xlsx"),
        "[Content_Types].xml",
        lambda xml: xml.replace(b'PartName="/xl/sharedStrings.xml"', b'PartName="/xl/worksheets/sheet1.xml"'),
    )
    assert "is used both as the text of its cells and as a worksheet" in refusal(path)


def test_the_row_estimate_refuses_a_hostile_workbook_too(tmp_path):
    path = build(tmp_path / "entities.xlsx", {STRINGS: BILLION_LAUGHS})
    with pytest.raises(ImportFileError, match="declares a document type"):
        estimate_rows(path, file_name="entities.xlsx")


# --- The upload cap ----------------------------------------------------------------

IMPORTS = "/staff/conversations/imports/new/"
REFERENCE = "/staff/reach/reference/"
HANDLERS = [
    "engage.core.upload_limit.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
TOO_LARGE = "The file is larger than the 1,000 bytes that can be uploaded here."


@pytest.fixture
def capped(settings: Any, tmp_path: Path) -> Path:
    """Uploads capped at 1,000 bytes; files over 100 bytes spooled to a folder we watch."""
    settings.FILE_UPLOAD_HANDLERS = HANDLERS
    settings.ENGAGE_UPLOAD_MAX_BYTES = 1000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100
    spool = tmp_path / "spool"
    spool.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)
    return spool


@pytest.fixture
def officer(client_for: Any, organisation: Any) -> Any:
    return client_for(member_of(organisation, Role.ENGAGEMENT_OFFICER), organisation)


def kept_files(settings: Any, spool: Path) -> list[Path]:
    folders = (Path(settings.ENGAGE_IMPORT_DIR), spool)
    return [path for folder in folders if folder.exists() for path in folder.rglob("*") if path.is_file()]


def csv_of(size: int) -> SimpleUploadedFile:
    body = b"Comment\n" + b"The nurses were kind.\n" * (size // 22 + 1)
    return SimpleUploadedFile("survey.csv", body[:size], content_type="text/csv")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "size",
    [2_000, 1_200_000, 3_000_000],
    ids=["counted as it arrives", "stopped by its length", "far over: not read at all"],
)
def test_an_upload_over_the_cap_shows_the_form_with_the_reason_and_keeps_nothing(
    officer, settings, capped, size
):
    response = officer.post(IMPORTS, {"file": csv_of(size), "template": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert TOO_LARGE in page
    assert 'href="#id_file"' in page  # in the error summary, linked to the file box
    assert "Choose a CSV or Excel (.xlsx) file to import." not in page
    assert not kept_files(settings, capped)
    assert ImportJob.objects.count() == 0


@pytest.mark.django_db
def test_an_upload_under_the_cap_goes_on_as_before(officer, capped):
    response = officer.post(IMPORTS, {"file": csv_of(300), "template": ""})
    assert response.status_code == 302
    assert "columns" in response["Location"]


@pytest.mark.django_db
def test_the_reference_page_says_why_a_stopped_upload_is_missing(
    client_for, organisation, settings, capped, monkeypatch
):
    admin = client_for(member_of(organisation, Role.PARTNERSHIP_ADMIN), organisation)
    monkeypatch.setattr(reach_views.reference, upload_limit.VIEW_CAP, 1000)
    response = admin.post(REFERENCE, {"kind": "census", "file": csv_of(5_000)})
    assert response.status_code == 200
    page = response.content.decode()
    assert TOO_LARGE in page
    assert 'value="census" aria-describedby="kind-census-hint" checked' in page  # the choice is kept
    assert not kept_files(settings, capped)
    assert ReferenceJob.objects.count() == 0


def test_the_reference_page_takes_files_as_large_as_its_loaders_read(settings):
    settings.ENGAGE_UPLOAD_MAX_BYTES = 1000
    request = RequestFactory().post(REFERENCE)
    request.resolver_match = resolve(REFERENCE)
    assert upload_limit.upload_max_bytes(request) == 4 * 1024**3
    request.resolver_match = resolve(IMPORTS)
    assert upload_limit.upload_max_bytes(request) == 1000


def test_the_cap_is_the_setting_and_its_message_says_it_in_megabytes(settings):
    """That the cap defaults to the import cap is a fact of config/settings.py, tested
    with the other defaults in engage/core/tests/test_environment_documented.py."""
    settings.ENGAGE_UPLOAD_MAX_BYTES = 200 * 1024 * 1024
    assert upload_limit.upload_max_bytes() == 200 * 1024 * 1024
    assert upload_limit.too_large_message(200 * 1024 * 1024).startswith(
        "The file is larger than the 200 MB that can be uploaded here."
    )
    settings.ENGAGE_UPLOAD_MAX_BYTES = 50 * 1024 * 1024
    assert upload_limit.upload_max_bytes() == 50 * 1024 * 1024
