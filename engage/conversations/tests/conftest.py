"""Fixtures for the conversation tests: an organisation, files written on the fly."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

from engage.partners.tests.factories import OrganisationFactory

PXTEXTMINING_FILE = (
    Path(__file__).resolve().parents[4] / "shared" / "data" / "fft-labelled" / "fft_v6_dev.csv"
)


@pytest.fixture(autouse=True)
def _imports_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.ENGAGE_IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def organisation(db: Any) -> Any:
    return OrganisationFactory(name="Dudley Healthwatch")


def csv_bytes(rows: Iterable[Sequence[object]], *, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str, bytes], Path]:
    def write(name: str, content: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(content)
        return path

    return write


@pytest.fixture
def write_csv(write_file: Callable[[str, bytes], Path]) -> Callable[..., Path]:
    def write(rows: Iterable[Sequence[object]], *, name: str = "survey.csv", encoding: str = "utf-8") -> Path:
        return write_file(name, csv_bytes(rows, encoding=encoding))

    return write


@pytest.fixture
def write_xlsx(tmp_path: Path) -> Callable[..., Path]:
    def write(rows: Iterable[Sequence[object]], *, name: str = "survey.xlsx") -> Path:
        import openpyxl  # noqa: PLC0415 - openpyxl takes a while to load; only the Excel tests need it

        book = openpyxl.Workbook()
        sheet = book.active
        for row in rows:
            sheet.append(list(row))
        path = tmp_path / name
        book.save(path)
        return path

    return write
