"""Checking one row of a contact list and turning it into a person's details, roles,
groups and consent.

`PersonRowCleaner.clean` reads every mapped cell of a row and raises ImportRowError
listing each problem with its column (the report shows the first); nothing of a
refused row is imported. Cells are read by the rules every import shares
(engage.core.tabular.cells): dates day first or ISO, never month first.

Decisions worth knowing:
- Consent is evidence: the date it was given is needed, so a "yes" alone is refused
  with a sentence saying so, and a withdrawal needs the date it was given too.
- A full name is split at its last space ("Mary Ann Patel": "Mary Ann", "Patel") where
  the file has no separate first and last names.
- Roles and groups are listed in one cell, separated by semicolons (roles by commas
  too; a group's name may hold a comma).
- A postcode must be the shape of a UK postcode and is kept whole, as the person's
  record keeps it (it is how staff write to them), written "DY1 1HF".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from engage.core.tabular.cells import FieldProblem, cell_text, parse_date
from engage.core.tabular.errors import ImportRowError
from engage.partners.models import ConsentMethod, ConsentPurpose, PersonRoleKind
from engage.partners.people_imports.columns import FIELDS, consent_field

MAX_LENGTHS = {
    "reference": 60,
    "given_name": 100,
    "family_name": 100,
    "email": 254,
    "phone": 40,
    "notes": 5000,
    "group": 200,
    "source": 200,
}
_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})")
_YES = {"yes", "y", "true", "1", "agreed", "given"}
# The words people use for how consent was given, beside the methods' own names.
_METHOD_WORDS = {
    **{m.value.replace("_", " "): m.value for m in ConsentMethod},
    **{m.label.casefold(): m.value for m in ConsentMethod},
    "paper": ConsentMethod.PAPER_FORM,
    "form": ConsentMethod.PAPER_FORM,
    "online": ConsentMethod.ONLINE_FORM,
    "web": ConsentMethod.ONLINE_FORM,
    "website": ConsentMethod.ONLINE_FORM,
    "survey": ConsentMethod.ONLINE_FORM,
    "verbal": ConsentMethod.VERBAL,
    "spoken": ConsentMethod.VERBAL,
    "in person": ConsentMethod.VERBAL,
    "face to face": ConsentMethod.VERBAL,
    "e-mail": ConsentMethod.EMAIL,
    "telephone": ConsentMethod.PHONE,
    "phone call": ConsentMethod.PHONE,
}
_ROLE_WORDS = {
    **{r.value.replace("_", " "): r.value for r in PersonRoleKind},
    **{r.label.casefold(): r.value for r in PersonRoleKind},
}


@dataclass(frozen=True)
class ConsentGiven:
    """Consent for one purpose as the file records it."""

    purpose: str
    given_on: dt.date
    method: str
    source: str
    withdrawn_on: dt.date | None = None


@dataclass(frozen=True)
class PersonRow:
    line: int
    reference: str
    details: dict[str, str]  # the details the file gives (not blank): given_name, email, ...
    roles: tuple[str, ...]
    groups: tuple[str, ...]
    joined_on: dt.date | None
    consents: tuple[ConsentGiven, ...]

    @property
    def email(self) -> str:
        return self.details.get("email", "")


def _words(value: str) -> str:
    return " ".join(cell_text(value).split())


def _limited(text: str, *, field: str, what: str) -> str:
    most = MAX_LENGTHS[field]
    if len(text) > most:
        raise FieldProblem(
            f"The {what} is {len(text):,} characters long, more than the {most:,} it may have."
        )
    return text


def parse_postcode(value: str) -> str:
    text = _words(value).upper()
    if not text:
        return ""
    match = _POSTCODE.fullmatch(text)
    if match is None:
        raise FieldProblem(f"{text[:20]!r} is not a UK postcode, such as DY1 1HF.")
    return f"{match[1]} {match[2]}"


def parse_email(value: str) -> str:
    text = cell_text(value).lower()
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        raise FieldProblem(f"{text[:60]!r} is not an email address.") from None
    return _limited(text, field="email", what="email address")


def parse_roles(value: str) -> tuple[str, ...]:
    roles: list[str] = []
    for part in re.split(r"[;,]", cell_text(value)):
        word = " ".join(part.split()).casefold()
        if not word:
            continue
        role = _ROLE_WORDS.get(word)
        if role is None:
            known = ", ".join(r.label.lower() for r in PersonRoleKind)
            raise FieldProblem(
                f"{part.strip()[:60]!r} is not a role a person can hold. The roles are: {known}."
            )
        roles.append(role)
    return tuple(dict.fromkeys(roles))


def parse_groups(value: str) -> tuple[str, ...]:
    names = [" ".join(part.split()) for part in cell_text(value).split(";")]
    for name in names:
        _limited(name, field="group", what="group's name")
    return tuple(dict.fromkeys(name for name in names if name))


def parse_past_date(value: str, *, what: str) -> dt.date | None:
    text = cell_text(value)
    if not text:
        return None
    if text.casefold() in _YES:
        why = ", and the record of consent must" if "consent" in what else ""
        raise FieldProblem(
            f"Give the date {what}, such as 15/03/2025: {text!r} alone does not say when{why}."
        )
    date = parse_date(text)
    if date > timezone.localdate():
        raise FieldProblem(f"The date {what} cannot be in the future ({text}).")
    return date


def parse_method(value: str, *, default: str, column: bool = True) -> str:
    """How consent was given; `column`: whether the file has a column saying so."""
    word = " ".join(cell_text(value).split()).casefold()
    if not word:
        if default:
            return default
        if not column:
            raise FieldProblem(
                "The file has no column saying how this consent was given: add one, or say how for the "
                "whole file (paper form, online form, spoken, email or phone)."
            )
        raise FieldProblem(
            "Say how consent was given (paper form, online form, spoken, email or phone), in this "
            "column or for the whole file."
        )
    method = _METHOD_WORDS.get(word)
    if method is None:
        raise FieldProblem(
            f"{word[:40]!r} is not a way consent is given. Use one of: paper form, online form, spoken, "
            "email or phone."
        )
    return str(method)


class PersonRowCleaner:
    """Reads rows of one file, with its columns (field to heading) and defaults."""

    def __init__(self, *, columns: Mapping[str, str], defaults: Mapping[str, Any], file_name: str) -> None:
        self.columns = dict(columns)
        self.default_method = str(defaults.get("consent_method") or "")
        self.default_source = str(defaults.get("consent_source") or "") or f"Imported from {file_name}"[:200]
        self.headings: list[str] = []

    def _cell(self, row: Mapping[str, str], field: str) -> str:
        heading = self.columns.get(field)
        return row.get(heading, "") if heading else ""

    def clean(self, line: int, row: Mapping[str, str]) -> PersonRow:
        problems: list[tuple[str, str]] = []

        def read(field: str, parse: Any) -> Any:
            try:
                return parse(self._cell(row, field))
            except FieldProblem as problem:
                problems.append((self.columns.get(field, FIELDS[field]), str(problem)))
                return None

        details = self._details(row, problems, read)
        roles = read("roles", parse_roles) or ()
        groups = read("groups", parse_groups) or ()
        joined_on = read("joined_on", lambda v: parse_past_date(v, what="they joined"))
        consents = tuple(
            c for purpose in ConsentPurpose.values if (c := self._consent(purpose, row, problems))
        )
        if problems:
            column, reason = problems[0]
            raise ImportRowError(line, column, reason, problems=problems)
        return PersonRow(
            line=line,
            reference=details.pop("reference", ""),
            details=details,
            roles=roles,
            groups=groups,
            joined_on=joined_on,
            consents=consents,
        )

    def _details(self, row: Mapping[str, str], problems: list[tuple[str, str]], read: Any) -> dict[str, str]:
        details: dict[str, str] = {}
        for field, what in (("reference", "reference"), ("phone", "phone number"), ("notes", "note")):
            value = read(field, lambda v, f=field, w=what: _limited(cell_text(v), field=f, what=w))
            if value:
                details[field] = value
        given = _words(self._cell(row, "given_name"))
        family = _words(self._cell(row, "family_name"))
        full = _words(self._cell(row, "full_name"))
        if not given and full:
            given, _, last = full.rpartition(" ")
            given, family = (given, family or last) if given else (last, family)
        if not given:
            heading = self.columns.get("given_name") or self.columns.get("full_name") or FIELDS["given_name"]
            problems.append((heading, "The first name is empty: every person needs one."))
        for field, value, what in (("given_name", given, "first name"), ("family_name", family, "last name")):
            try:
                if value:
                    details[field] = _limited(value, field=field, what=what)
            except FieldProblem as problem:
                problems.append((self.columns.get(field) or self.columns.get("full_name", ""), str(problem)))
        for field, parse in (("email", parse_email), ("postcode", parse_postcode)):
            value = read(field, parse)
            if value:
                details[field] = value
        return details

    def _consent(
        self, purpose: str, row: Mapping[str, str], problems: list[tuple[str, str]]
    ) -> ConsentGiven | None:
        def column(part: str) -> str:
            field = consent_field(purpose, part)
            return self.columns.get(field, FIELDS[field])

        def cell(part: str) -> str:
            return self._cell(row, consent_field(purpose, part))

        before = len(problems)
        words = ConsentPurpose(purpose).label.lower()
        given_on = withdrawn_on = None
        try:
            given_on = parse_past_date(cell("given_on"), what="consent was given")
        except FieldProblem as problem:
            problems.append((column("given_on"), str(problem)))
        try:
            withdrawn_on = parse_past_date(cell("withdrawn_on"), what="consent was withdrawn")
        except FieldProblem as problem:
            problems.append((column("withdrawn_on"), str(problem)))
        if given_on is None:
            if withdrawn_on is not None:
                problems.append(
                    (
                        column("given_on"),
                        f"Consent to {words} is withdrawn but the date it was given is empty.",
                    )
                )
            return None
        if withdrawn_on is not None and withdrawn_on < given_on:
            problems.append(
                (column("withdrawn_on"), "Consent cannot be withdrawn before the date it was given.")
            )
        method = source = ""
        try:
            method = parse_method(
                cell("method"),
                default=self.default_method,
                column=consent_field(purpose, "method") in self.columns,
            )
        except FieldProblem as problem:
            problems.append((column("method"), str(problem)))
        try:
            source = _limited(_words(cell("source")), field="source", what="place consent was given")
        except FieldProblem as problem:
            problems.append((column("source"), str(problem)))
        if len(problems) > before:
            return None
        return ConsentGiven(
            purpose=purpose,
            given_on=given_on,
            method=method,
            source=source or self.default_source,
            withdrawn_on=withdrawn_on,
        )

    @staticmethod
    def rejected_cells(row: Mapping[str, str]) -> list[list[str]]:
        """The row as the file had it, for the report and its download."""
        return [[heading, value] for heading, value in row.items()]
