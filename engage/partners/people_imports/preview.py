"""How the first rows of a contact list will be read with a mapping, before anything
is imported: each person's name, email, groups and consent as they will be kept, or why
the row would be rejected, and how many of the first READ_ROWS rows would be."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engage.core.tabular.columns import columns_find
from engage.core.tabular.errors import ImportRowError
from engage.core.tabular.readers import open_reader
from engage.partners.models import ConsentMethod, ConsentPurpose, PersonRoleKind
from engage.partners.people_imports.cleaning import PersonRowCleaner
from engage.partners.people_imports.columns import FIELDS

SHOWN_ROWS = 5
READ_ROWS = 2_000


@dataclass(frozen=True)
class ReadRow:
    line: int
    name: str = ""
    email: str = ""
    reference: str = ""
    roles: str = ""
    groups: str = ""
    consent: str = ""  # such as "Contact them again: given 15 March 2025 (paper form)"
    problem: str = ""  # why the row would not be imported


@dataclass
class Reading:
    rows: list[ReadRow] = field(default_factory=list)
    rows_read: int = 0
    rejected: int = 0
    first_problems: list[ReadRow] = field(default_factory=list)  # beyond the rows shown


def _consent_words(consent: Any) -> str:
    words = f"{ConsentPurpose(consent.purpose).label}: given {consent.given_on:%-d %B %Y} ({ConsentMethod(consent.method).label.lower()})"
    if consent.withdrawn_on:
        words += f", withdrawn {consent.withdrawn_on:%-d %B %Y}"
    return words


def rows_as_read(
    path: Path, *, file_name: str, mapping: Mapping[str, Any], defaults: Mapping[str, Any]
) -> Reading:
    """Raises ImportFileError where the file or the mapping cannot be used."""
    reading = Reading()
    with open_reader(path, file_name=file_name) as reader:
        columns = columns_find(mapping, reader.headings, fields=FIELDS, file_name=file_name)
        cleaner = PersonRowCleaner(columns=columns, defaults=defaults, file_name=file_name)
        for line, cells in reader.rows():
            reading.rows_read += 1
            try:
                row = cleaner.clean(line, cells)
            except ImportRowError as error:
                reading.rejected += 1
                read = ReadRow(
                    line=line, problem=f"{error.column}: {error.reason}" if error.column else error.reason
                )
                if len(reading.rows) < SHOWN_ROWS:
                    reading.rows.append(read)
                elif len(reading.first_problems) < SHOWN_ROWS:
                    reading.first_problems.append(read)
            else:
                if len(reading.rows) < SHOWN_ROWS:
                    reading.rows.append(
                        ReadRow(
                            line=line,
                            name=" ".join(
                                filter(None, (row.details.get("given_name"), row.details.get("family_name")))
                            ),
                            email=row.email,
                            reference=row.reference,
                            roles=", ".join(PersonRoleKind(r).label for r in row.roles),
                            groups="; ".join(row.groups),
                            consent="; ".join(_consent_words(c) for c in row.consents),
                        )
                    )
            if reading.rows_read >= READ_ROWS:
                break
    return reading
