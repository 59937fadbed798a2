"""Reading the registers partnerships already keep their organisations in, in their
published layouts, into one shape (`OrganisationRow`):

- the NHS Organisation Data Service's files: GP practices (`epraccur.csv`), NHS trusts
  (`etr.csv`) and integrated care boards with their sub-ICB locations (`eccg.csv`).
  They have no headings line: each row has the ODS's 27 standard columns, of which the
  code, name, postcode, open and close dates are read, and for GP practices the status
  (A active, C closed, D dormant, P proposed), the commissioner (its sub-ICB location)
  and the prescribing setting (4 is a GP practice; the rest, such as walk-in centres
  and prisons, are skipped and counted);
- the Charity Commission's register extract (`publicextract.charity.txt`, tab
  separated, with headings): main charities only (a linked charity number of 0);
- the project's own plain CSV template (name, kind and the rest, with headings).

Names in the registers are in capitals ("THE HILL SURGERY"); they are written as
people write them ("The Hill Surgery"), keeping NHS, GP, UK and the like in capitals.

The whole file is read and checked before anything is stored: a file of another
layout, a code of the wrong shape, a date that is not one, or a code twice is refused
with the file, line and column (ImportFileError). Rows outside the partnership's
filters (postcode areas, commissioners) are counted, not kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from engage.core.tabular.errors import ImportFileError
from engage.core.tabular.readers import open_reader, refuse_mixed_encodings
from engage.partners.models import OrganisationKind, Register

ProgressCallback = Callable[[int, int], None]
SIZE_LIMIT = 1024**3  # the whole charity extract is about 250 MB
ROW_LIMIT = 1_000_000


# The ODS's 27 standard columns, by position; those not read are named for the errors.
ODS_COLUMNS = [
    "Organisation code",
    "Name",
    "National grouping",
    "High level health geography",
    "Address line 1",
    "Address line 2",
    "Address line 3",
    "Address line 4",
    "Address line 5",
    "Postcode",
    "Open date",
    "Close date",
    "Status code",
    "Organisation sub-type code",
    "Commissioner",
    "Join provider/purchaser date",
    "Left provider/purchaser date",
    "Contact telephone number",
    *(f"Column {n}" for n in range(19, 28)),
]
ODS_COLUMNS[25] = "Prescribing setting"
ODS_WIDTH = 27
GP_PRACTICE_SETTING = "4"
_ODS_CODE = {
    Register.ODS_GP_PRACTICES: (re.compile(r"[A-Z]\d{5}"), "a GP practice's, such as M87001"),
    Register.ODS_TRUSTS: (re.compile(r"[RT][A-Z0-9]{2}"), "an NHS trust's, such as RNA"),
    Register.ODS_ICBS: (
        re.compile(r"[A-Z0-9]{3}"),
        "an integrated care board's, such as QUA, or a sub-ICB location's",
    ),
}
_ODS_KIND = {
    Register.ODS_GP_PRACTICES: OrganisationKind.GP_PRACTICE,
    Register.ODS_TRUSTS: OrganisationKind.NHS_TRUST,
    Register.ODS_ICBS: OrganisationKind.ICB,
}
_ODS_DATE = re.compile(r"\d{8}")

CHARITY_COLUMNS = {
    "number": "registered_charity_number",
    "linked": "linked_charity_number",
    "name": "charity_name",
    "status": "charity_registration_status",
    "postcode": "charity_contact_postcode",
}
CHARITY_OPTIONAL = {"website": "charity_contact_web", "email": "charity_contact_email"}
_CHARITY_NUMBER = re.compile(r"\d{6,8}")
_ANY_ODS_CODE = re.compile(r"[A-Z0-9]{3,6}")

TEMPLATE_COLUMNS = (
    "name",
    "kind",
    "short_name",
    "website",
    "contact_email",
    "ods_code",
    "charity_number",
    "postcode",
)
_TEMPLATE_REQUIRED = ("name", "kind")
_KINDS = {
    **{kind.value: kind.value for kind in OrganisationKind},
    **{kind.label.casefold(): kind.value for kind in OrganisationKind},
}

_ACRONYMS = frozenset(
    {"NHS", "GP", "GPS", "PCN", "ICB", "UK", "CIC", "CIO", "MIND", "YMCA", "YWCA", "HIV", "ADHD", "CVS"}
)
_SMALL = frozenset({"and", "of", "the", "for", "in", "on", "at", "to", "by", "with", "de", "la"})


@dataclass(frozen=True)
class OrganisationRow:
    line: int
    name: str
    kind: str
    ods_code: str = ""
    charity_number: str = ""
    postcode: str = ""
    website: str = ""
    contact_email: str = ""
    short_name: str = ""
    is_active: bool = True


@dataclass
class RegisterFile:
    register: str
    rows: list[OrganisationRow] = field(default_factory=list)
    outside: int = 0  # rows outside the filters
    not_kept: dict[str, int] = field(default_factory=dict)  # why -> rows (not GP practices, subsidiaries)

    def skip(self, why: str) -> None:
        self.not_kept[why] = self.not_kept.get(why, 0) + 1


def written_as_people_write(name: str) -> str:
    """A register's capitals as people write a name: "THE HILL SURGERY AND ST JAMES'S"
    to "The Hill Surgery and St James's"; a name already in mixed case is kept."""
    name = " ".join(name.split())
    if name != name.upper():
        return name
    words = []
    for position, word in enumerate(name.split(" ")):
        bare = word.strip("()&,.-")
        if bare in _ACRONYMS:
            words.append(word)
        elif position and word.lower() in _SMALL:
            words.append(word.lower())
        else:
            words.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
    return " ".join(words)


def _email_or_blank(text: str) -> str:
    """The address if it is one (a register's own may not be), else blank."""
    text = text.strip()
    try:
        validate_email(text)
    except ValidationError:
        return ""
    return text


def _postcode(text: str) -> str:
    return " ".join(text.upper().split())[:8]


def _within(postcode: str, prefixes: tuple[str, ...]) -> bool:
    """Whether the postcode is in one of the areas or districts given ("DY", "B62"):
    a prefix is followed by a digit (area) or ends the outward code (district)."""
    if not prefixes:
        return True
    outward = postcode.split(" ", maxsplit=1)[0]
    for prefix in prefixes:
        if outward == prefix or (
            outward.startswith(prefix) and prefix.isalpha() and outward[len(prefix) :][:1].isdigit()
        ):
            return True
    return False


def read_register_file(
    path: Path,
    *,
    file_name: str,
    register: str,
    postcode_prefixes: Iterable[str] = (),
    commissioners: Iterable[str] = (),
    on_progress: ProgressCallback | None = None,
) -> RegisterFile:
    """Every organisation of the file that is within the filters, checked."""
    prefixes = tuple(sorted({p.strip().upper() for p in postcode_prefixes if p.strip()}))
    wanted = frozenset(c.strip().upper() for c in commissioners if c.strip())
    parsed = RegisterFile(register=register)
    if register in _ODS_KIND:
        _read_ods(
            path,
            file_name=file_name,
            parsed=parsed,
            prefixes=prefixes,
            commissioners=wanted,
            on_progress=on_progress,
        )
    elif register == Register.CHARITIES:
        _read_charities(path, file_name, parsed, prefixes, on_progress)
    elif register == Register.TEMPLATE:
        _read_template(path, file_name, parsed, prefixes)
    else:
        raise ImportFileError("Choose which register the file comes from.", file_name=file_name)
    return parsed


def _progress(on_progress: ProgressCallback | None, done: int, path: Path, row_bytes: int) -> None:
    if on_progress is not None and done % 5000 == 0:
        on_progress(done, max(done, path.stat().st_size // row_bytes))


def _once(seen: dict[str, int], code: str, line: int, fail: Callable[[str], ImportFileError]) -> None:
    if code in seen:
        raise fail(f"{code} is in the file twice (first on line {seen[code]}).")
    seen[code] = line


def _read_ods(
    path: Path,
    *,
    file_name: str,
    parsed: RegisterFile,
    prefixes: tuple[str, ...],
    commissioners: frozenset[str],
    on_progress: ProgressCallback | None,
) -> None:
    register = Register(parsed.register)
    pattern, example = _ODS_CODE[register]
    seen: dict[str, int] = {}
    with open_reader(
        path, file_name=file_name, size_limit=SIZE_LIMIT, row_limit=ROW_LIMIT, headings=ODS_COLUMNS
    ) as reader:
        for done, (line, cells) in enumerate(reader.rows(), start=1):
            refuse_mixed_encodings(reader)
            _progress(on_progress, done, path, 200)

            def fail(message: str, column: str = "Organisation code", line: int = line) -> ImportFileError:
                return ImportFileError(message, file_name=file_name, line=line, column=column)

            if not cells["Close date"] and not cells["Open date"] and not cells["Postcode"]:
                raise fail(
                    "This line does not have the NHS Organisation Data Service's columns (code, name, address, "
                    "postcode, open and close dates). Load the file as the ODS publishes it, such as epraccur.csv.",
                    column="",
                )
            code = cells["Organisation code"].strip().upper()
            if not pattern.fullmatch(code):
                problem = (
                    f"{code!r} is not {example.replace(', such as', ' code, such as')}."
                    if code
                    else "The cell is empty: it should hold an ODS code."
                )
                raise fail(f"{problem} Check that this is the ODS's file of {register.label.split(': ')[1]}.")
            for column in ("Open date", "Close date"):
                value = cells[column].strip()
                if value and not _ODS_DATE.fullmatch(value):
                    raise fail(
                        f"{value!r} is not a date written as the ODS writes them, such as 20240401.", column
                    )
            name = cells["Name"].strip()
            if not name:
                raise fail("The cell is empty: it should hold the organisation's name.", "Name")
            _once(seen, code, line, fail)
            if (
                register == Register.ODS_GP_PRACTICES
                and cells["Prescribing setting"].strip() != GP_PRACTICE_SETTING
            ):
                parsed.skip("not GP practices (another prescribing setting, such as a walk-in centre)")
                continue
            postcode = _postcode(cells["Postcode"])
            if (commissioners and cells["Commissioner"].strip().upper() not in commissioners) or not _within(
                postcode, prefixes
            ):
                parsed.outside += 1
                continue
            status = cells["Status code"].strip().upper()
            closed = bool(cells["Close date"].strip()) or (
                register == Register.ODS_GP_PRACTICES and status in {"C", "D"}
            )
            parsed.rows.append(
                OrganisationRow(
                    line=line,
                    name=written_as_people_write(name)[:200],
                    kind=_ODS_KIND[register],
                    ods_code=code,
                    postcode=postcode,
                    is_active=not closed,
                )
            )


def _columns(headings: list[str], wanted: dict[str, str], *, file_name: str, what: str) -> dict[str, str]:
    by_name = {heading.strip().casefold(): heading for heading in headings}
    missing = [name for name in wanted.values() if name.casefold() not in by_name]
    if missing:
        raise ImportFileError(
            f"This is not {what}: it has no column {', '.join(repr(name) for name in missing)}.",
            file_name=file_name,
        )
    return {key: by_name[name.casefold()] for key, name in wanted.items()}


def _read_charities(
    path: Path,
    file_name: str,
    parsed: RegisterFile,
    prefixes: tuple[str, ...],
    on_progress: ProgressCallback | None,
) -> None:
    seen: dict[str, int] = {}
    with open_reader(path, file_name=file_name, size_limit=SIZE_LIMIT, row_limit=ROW_LIMIT) as reader:
        what = "the Charity Commission's register extract (publicextract.charity.txt)"
        columns = _columns(reader.headings, CHARITY_COLUMNS, file_name=file_name, what=what)
        optional = {key: name for key, name in CHARITY_OPTIONAL.items() if name in reader.headings}
        for done, (line, cells) in enumerate(reader.rows(), start=1):
            refuse_mixed_encodings(reader)
            _progress(on_progress, done, path, 900)

            def fail(message: str, column: str, line: int = line) -> ImportFileError:
                return ImportFileError(
                    message, file_name=file_name, line=line, column=columns.get(column, column)
                )

            number = cells[columns["number"]].strip()
            if not _CHARITY_NUMBER.fullmatch(number):
                raise fail(
                    f"{number!r} is not a registered charity number, such as 1012345."
                    if number
                    else "The cell is empty: it should hold a registered charity number.",
                    "number",
                )
            if cells[columns["linked"]].strip() not in ("", "0"):
                parsed.skip("linked charities (a charity's branches and funds, kept with their main charity)")
                continue
            name = cells[columns["name"]].strip()
            if not name:
                raise fail("The cell is empty: it should hold the charity's name.", "name")
            _once(seen, number, line, lambda message: fail(message, "number"))
            postcode = _postcode(cells[columns["postcode"]])
            if not _within(postcode, prefixes):
                parsed.outside += 1
                continue
            registered = cells[columns["status"]].strip().casefold() == "registered"
            website = cells[optional["website"]].strip() if "website" in optional else ""
            parsed.rows.append(
                OrganisationRow(
                    line=line,
                    name=written_as_people_write(name)[:200],
                    kind=OrganisationKind.VCSE,
                    charity_number=number,
                    postcode=postcode,
                    website=website if website.startswith(("http://", "https://")) else "",
                    contact_email=_email_or_blank(cells[optional["email"]] if "email" in optional else ""),
                    is_active=registered,
                )
            )


def _read_template(path: Path, file_name: str, parsed: RegisterFile, prefixes: tuple[str, ...]) -> None:
    seen: dict[str, int] = {}
    with open_reader(path, file_name=file_name) as reader:
        what = "our organisations template"
        _columns(reader.headings, {name: name for name in _TEMPLATE_REQUIRED}, file_name=file_name, what=what)
        present = {
            name: heading
            for heading in reader.headings
            if (name := heading.strip().casefold()) in TEMPLATE_COLUMNS
        }
        for line, cells in reader.rows():
            refuse_mixed_encodings(reader)
            values = {name: cells[heading].strip() for name, heading in present.items()}

            def fail(message: str, column: str, line: int = line) -> ImportFileError:
                return ImportFileError(
                    message, file_name=file_name, line=line, column=present.get(column, column)
                )

            if not values["name"]:
                raise fail("The cell is empty: it should hold the organisation's name.", "name")
            kind = _KINDS.get(values["kind"].casefold())
            if kind is None:
                raise fail(
                    f"{values['kind']!r} is not a kind of organisation. Use one of: {', '.join(OrganisationKind.values)}.",
                    "kind",
                )
            name_key = values["name"].casefold()
            if name_key in seen:
                raise fail(
                    f"{values['name']!r} is in the file twice (first on line {seen[name_key]}).", "name"
                )
            seen[name_key] = line
            for column, pattern, example in (
                ("ods_code", _ANY_ODS_CODE, "an ODS code, such as M87001 or RNA"),
                ("charity_number", _CHARITY_NUMBER, "a registered charity number, such as 1012345"),
            ):
                if values.get(column) and not pattern.fullmatch(values[column].upper()):
                    raise fail(f"{values[column]!r} is not {example}.", column)
            if values.get("website") and not values["website"].startswith(("http://", "https://")):
                raise fail(f"{values['website']!r} is not a web address starting https://.", "website")
            if values.get("contact_email") and not _email_or_blank(values["contact_email"]):
                raise fail(f"{values['contact_email']!r} is not an email address.", "contact_email")
            postcode = _postcode(values.get("postcode", ""))
            if not _within(postcode, prefixes):
                parsed.outside += 1
                continue
            parsed.rows.append(
                OrganisationRow(
                    line=line,
                    name=values["name"][:200],
                    kind=kind,
                    ods_code=values.get("ods_code", "").upper()[:10],
                    charity_number=values.get("charity_number", "")[:12],
                    postcode=postcode,
                    website=values.get("website", ""),
                    contact_email=values.get("contact_email", ""),
                    short_name=values.get("short_name", "")[:60],
                )
            )
