"""Reading CSV and Excel files: encodings, formats, and every way a file can be wrong."""

from __future__ import annotations

import datetime as dt
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from engage.core.tabular.errors import ImportFileError
from engage.core.tabular.readers import estimate_rows, open_reader

HEADINGS = ["Comment", "Date", "Rating"]


def read_all(path: Path, file_name: str = "") -> tuple[list[str], list[tuple[int, dict[str, str]]], int]:
    with open_reader(path, file_name=file_name) as reader:
        rows = list(reader.rows())
        return reader.headings, rows, reader.fallback_lines


def refused(path: Path, file_name: str = "") -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        read_all(path, file_name)
    return caught.value


def test_utf8_csv_reads_headings_and_rows_with_spreadsheet_line_numbers(write_csv):
    path = write_csv([HEADINGS, ["Très bien, merci", "15/03/2025", "1"], ["Kind staff", "2025-03-16", "2"]])
    headings, rows, fallback = read_all(path)
    assert headings == HEADINGS
    assert rows == [
        (2, {"Comment": "Très bien, merci", "Date": "15/03/2025", "Rating": "1"}),
        (3, {"Comment": "Kind staff", "Date": "2025-03-16", "Rating": "2"}),
    ]
    assert fallback == 0


def test_utf8_with_bom_does_not_leak_the_bom_into_the_first_heading(write_file):
    path = write_file("bom.csv", "\ufeffComment,Date\r\nGood care,15/03/2025\r\n".encode())
    headings, rows, _ = read_all(path)
    assert headings == ["Comment", "Date"]
    assert rows[0][1]["Comment"] == "Good care"


def test_windows_1252_csv_is_decoded_and_counted(write_csv):
    path = write_csv([["Comment"], ["Café was £3 \u2013 too dear"]], encoding="cp1252")
    _, rows, fallback = read_all(path)
    assert rows[0][1]["Comment"] == "Café was £3 \u2013 too dear"
    assert fallback == 1


def test_mixed_encodings_are_decoded_line_by_line(write_file):
    content = (
        b"Comment\n"
        + "Naïve question about the café\n".encode()
        + "Paid £5 for parking\n".encode("cp1252")
        + "Emoji 👍 fine\n".encode()
    )
    _, rows, fallback = read_all(write_file("mixed.csv", content))
    assert [r[1]["Comment"] for r in rows] == [
        "Naïve question about the café",
        "Paid £5 for parking",
        "Emoji 👍 fine",
    ]
    assert fallback == 1


def test_quoted_newlines_keep_the_record_whole_and_later_lines_count_records(write_csv):
    path = write_csv([["Comment", "Rating"], ["First line\nsecond line", "1"], ["Next", "2"]])
    _, rows, _ = read_all(path)
    assert rows[0] == (2, {"Comment": "First line\nsecond line", "Rating": "1"})
    assert rows[1][0] == 3


def test_semicolon_separated_files_are_recognised(write_file):
    _, rows, _ = read_all(write_file("semi.csv", b"Comment;Rating\nToo long a wait, sadly;4\n"))
    assert rows == [(2, {"Comment": "Too long a wait, sadly", "Rating": "4"})]


def test_blank_rows_are_skipped_but_still_counted_as_lines(write_file):
    _, rows, _ = read_all(write_file("gaps.csv", b"Comment,Rating\n\nGood,1\n,\nBad,5\n"))
    assert [line for line, _ in rows] == [3, 5]


def test_short_rows_are_padded_and_repeated_headings_kept_apart(write_file):
    headings, rows, _ = read_all(write_file("dup.csv", b"Comment,Comment,Rating\nA,B\n"))
    assert headings == ["Comment", "Comment (2)", "Rating"]
    assert rows == [(2, {"Comment": "A", "Comment (2)": "B", "Rating": ""})]


def test_excel_workbook_reads_dates_numbers_and_booleans_as_text(write_xlsx):
    path = write_xlsx(
        [
            ["Comment", "Date", "Rating", "Consent to quote"],
            ["Lovely nurses", dt.datetime(2025, 3, 15), 4, True],  # noqa: DTZ001 - Excel has no time zones
            ["=SUM(A1)", dt.date(2025, 3, 16), 2.0, False],
        ]
    )
    headings, rows, _ = read_all(path)
    assert headings == ["Comment", "Date", "Rating", "Consent to quote"]
    assert rows[0] == (
        2,
        {"Comment": "Lovely nurses", "Date": "2025-03-15", "Rating": "4", "Consent to quote": "true"},
    )
    assert rows[1][1]["Date"] == "2025-03-16"
    assert rows[1][1]["Rating"] == "2"


def test_an_xlsx_that_is_really_csv_is_refused_naming_the_file(write_file):
    error = refused(write_file("survey.xlsx", b"Comment,Rating\nGood,1\n"))
    assert "survey.xlsx" in error.message
    assert "plain text" in error.message


def test_an_xlsx_that_is_really_a_pdf_is_refused(write_file):
    error = refused(write_file("survey.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"))
    assert "PDF" in error.message


def test_a_csv_that_is_really_binary_is_refused(write_file):
    error = refused(write_file("survey.csv", bytes(range(256)) * 4))
    assert "not text" in error.message
    assert error.file_name == "survey.csv"


def test_a_csv_that_is_really_a_workbook_is_refused(write_xlsx, tmp_path):
    workbook = write_xlsx([["Comment"], ["Good"]])
    renamed = tmp_path / "survey.csv"
    workbook.rename(renamed)
    assert "Excel workbook" in refused(renamed).message


def test_binary_bytes_further_down_a_csv_name_the_line(write_file):
    content = b"Comment\n" + b"Fine\n" * 3000 + b"bad \x00\x01 row\n"
    error = refused(write_file("survey.csv", content))
    assert error.line == 3002


def test_a_truncated_workbook_is_refused(write_xlsx, tmp_path):
    whole = write_xlsx([["Comment"], *[[f"Comment {n}"] for n in range(500)]]).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    assert "could not be opened as an Excel workbook" in refused(cut).message


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert "could not be opened as an Excel workbook" in refused(path).message


def test_a_workbook_with_broken_sheet_xml_is_refused(write_xlsx, tmp_path):
    source = write_xlsx([["Comment"], ["Good"], ["Bad"]])
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(broken, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) - 40]
            new.writestr(item, data)
    error = refused(broken)
    assert "damaged" in error.message or "could not be opened" in error.message


@pytest.mark.parametrize(
    ("name", "content"), [("empty.csv", b""), ("blank.csv", b"\n\n  \n"), ("bom.csv", b"\xef\xbb\xbf")]
)
def test_an_empty_csv_is_refused(write_file, name, content):
    assert "empty" in refused(write_file(name, content)).message


def test_an_empty_xlsx_file_is_refused(write_file):
    assert "empty" in refused(write_file("empty.xlsx", b"")).message


def test_an_empty_workbook_is_refused(write_xlsx):
    assert "empty" in refused(write_xlsx([])).message


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_file_with_only_headings_is_refused(write_csv, write_xlsx, suffix):
    path = write_csv([HEADINGS]) if suffix == "csv" else write_xlsx([HEADINGS])
    assert "no rows below them" in refused(path).message


def test_a_file_over_the_size_limit_is_refused_before_reading(settings, write_csv):
    settings.ENGAGE_IMPORT_MAX_BYTES = 100
    path = write_csv([["Comment"], *[["A comment that takes some room"]] * 10])
    error = refused(path)
    assert "MB" in error.message
    assert "Split it" in error.message


def test_a_file_over_the_row_limit_is_refused_naming_the_line(settings, write_csv):
    settings.ENGAGE_IMPORT_MAX_ROWS = 5
    error = refused(write_csv([["Comment"], *[[f"Comment {n}"] for n in range(10)]]))
    assert "more than 5 rows" in error.message
    assert error.line == 7


@pytest.mark.parametrize("name", ["notes.docx", "survey.json", "noextension"])
def test_other_kinds_of_file_are_refused(write_file, name):
    assert "Only CSV files" in refused(write_file(name, b"Comment\nGood\n")).message


def test_old_excel_files_are_refused_with_what_to_do(write_file):
    assert "save it as .xlsx" in refused(write_file("old.xls", b"\xd0\xcf\x11\xe0rest")).message


def test_the_name_given_chooses_the_format_and_names_the_file(write_file):
    path = write_file("upload-123", b"Comment\nGood\n")
    _, rows, _ = read_all(path, "My survey.csv")
    assert rows == [(2, {"Comment": "Good"})]
    assert "My survey.xlsx" in refused(path, "My survey.xlsx").message


def test_estimate_counts_line_breaks_and_workbook_size(write_csv, write_xlsx):
    assert estimate_rows(write_csv([["Comment"], ["a"], ["b"], ["c"]])) == 3
    assert estimate_rows(write_xlsx([["Comment"], ["a"], ["b"]])) == 2


def test_reading_a_large_csv_does_not_hold_it_in_memory(tmp_path):
    path = tmp_path / "big.csv"
    row = "Waited two hours in A&E but the nurses were kind and explained everything,15/03/2025,3\n"
    with path.open("w", encoding="utf-8") as out:
        out.write("Comment,Date,Rating\n")
        for _ in range(100_000):
            out.write(row)
    assert path.stat().st_size > 8_000_000
    tracemalloc.start()
    try:
        with open_reader(path) as reader:
            count = sum(1 for _ in reader.rows())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 100_000
    assert peak < 2_000_000


def test_reading_a_large_workbook_streams_its_rows(write_xlsx):
    path = write_xlsx(
        [["Comment", "Rating"], *[[f"Comment number {n} about the service", 3] for n in range(20_000)]]
    )
    tracemalloc.start()
    try:
        with open_reader(path) as reader:
            count = sum(1 for _ in reader.rows())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert peak < 5_000_000


def test_commas_are_told_from_semicolons_inside_the_headings(write_file):
    # Census tables head their columns "Sex: Female; Age: Total; measures: Value":
    # more semicolons than commas in the headings, yet the file is comma-separated.
    content = (
        b"date,geography code,Sex: Female; Age: Total; measures: Value,Sex: Male; Age: Total; measures: Value\n"
        b"2021,E01009391,812,790\n"
    )
    headings, rows, _ = read_all(write_file("census2021-ts009-lsoa.csv", content))
    assert headings[2] == "Sex: Female; Age: Total; measures: Value"
    assert rows[0][1]["Sex: Male; Age: Total; measures: Value"] == "790"


def test_binary_bytes_on_the_first_row_after_a_long_heading_name_the_line(write_file):
    # The first row is read early, to tell the delimiter; a NUL there past the first
    # 8 KB (so the file looks like text at first) is still a clear error with its line.
    content = b"Comment\n" + b"x" * 9000 + b",\x00\n"
    assert refused(write_file("late.csv", content)).line == 2
