"""Checking one row of a file and turning it into the values of a conversation.

Each `parse_*` function reads one field from the text of a cell and raises
`FieldProblem` with a sentence saying what is wrong; `RowCleaner` applies them to a
row and raises `ImportRowError` with the row's line, the column and the reason. The
same functions check a conversation recorded by hand, so both ways in agree.

Decisions worth knowing:
- Dates are read day first (15/03/2025, 15-03-2025, 15 March 2025, 15 Mar 2025) or as
  ISO (2025-03-15). Month first (3/15/2025) is refused: 3/4/2025 could be either.
- A postcode is kept only as its district (DY1 for "dy1 1hf"); a value that is not the
  shape of a UK postcode rejects the row, so a mis-mapped column is noticed.
- Cells beginning with = + - @ are kept as written: they are people's words. Every export
  neutralises them (engage.core.exports), so they never run as formulas.
- A rating is checked against the file's own scale, then kept on the bank's one scale
  (1 very good to 5 very poor), converted by which end of the file's scale is best
  (ratings.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from engage.conversations.imports.keys import dedupe_key
from engage.conversations.imports.mapping import (
    DEFAULT_RATING_SCALE,
    DEMOGRAPHIC_FIELDS,
    FIELDS,
    ResolvedMapping,
)
from engage.conversations.imports.ratings import RatingScale
from engage.conversations.models import Channel
from engage.core.tabular.cells import FieldProblem, parse_date
from engage.core.tabular.cells import cell_text as _cell
from engage.core.tabular.errors import ImportRowError
from engage.places.postcode_format import full_postcode

# Longest values the bank's columns hold (see models.Conversation).
MAX_LENGTHS = {
    "question": 500,
    "respondent_reference": 100,
    "age_band": 20,
    "sex": 30,
    "ethnic_group": 80,
    "disability": 30,
    "carer": 30,
}


def max_chars() -> int:
    return int(settings.ENGAGE_CONVERSATION_MAX_CHARS)


def parse_text(value: str, *, limit: int | None = None) -> str:
    text = _cell(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text:
        raise FieldProblem("The comment is empty.")
    most = limit if limit is not None else max_chars()
    if len(text) > most:
        raise FieldProblem(
            f"The comment is {len(text):,} characters long, more than the {most:,} one comment may have."
        )
    return text


def parse_short(value: str, *, field: str) -> str:
    text = " ".join(_cell(value).split()) if field != "question" else _cell(value)
    most = MAX_LENGTHS[field]
    if len(text) > most:
        raise FieldProblem(f"The {FIELDS[field].lower()} is longer than {most} characters.")
    return text


def parse_rating(
    value: str,
    *,
    scale: tuple[int, int] = DEFAULT_RATING_SCALE,
    no_rating: frozenset[str] = frozenset(),
    words: Mapping[str, int] | None = None,
) -> int | None:
    text = " ".join(_cell(value).split())
    if not text:
        return None
    lowered = text.casefold()
    if lowered in no_rating:
        return None
    low, high = scale
    if words and lowered in words:
        return words[lowered]
    try:
        number = float(text)
    except ValueError:
        raise FieldProblem(f"The rating {text!r} is not a number from {low} to {high}.") from None
    if not number.is_integer():
        raise FieldProblem(f"The rating {text!r} is not a whole number from {low} to {high}.")
    if not low <= number <= high:
        raise FieldProblem(f"The rating {text} is outside the scale of {low} to {high}.")
    return int(number)


def parse_rating_stored(
    value: str,
    *,
    scale: RatingScale,
    no_rating: frozenset[str] = frozenset(),
    words: Mapping[str, int] | None = None,
) -> int | None:
    """A rating checked on the file's scale and given on the bank's (ratings.py)."""
    given = parse_rating(value, scale=(scale.low, scale.high), no_rating=no_rating, words=words)
    if given is None:
        return None
    if not scale.low <= given <= scale.high:  # a template's word for a number off its scale
        raise FieldProblem(
            f"The rating {_cell(value)!r} stands for {given}, outside the scale of {scale.low} to {scale.high}."
        )
    return scale.stored(given)


_CHANNELS: dict[str, str] = {
    **{value.casefold(): value for value in Channel.values},
    **{str(label).casefold(): value for value, label in Channel.choices},
    "friends and family": Channel.FRIENDS_AND_FAMILY_TEST.value,
    "telephone": Channel.PHONE.value,
    "web form": Channel.WEB_FORM.value,
    "online form": Channel.WEB_FORM.value,
    "social media": Channel.SOCIAL_MEDIA.value,
}


def parse_channel(value: str, *, default: str = "") -> str:
    text = " ".join(_cell(value).split())
    if not text:
        if default:
            return default
        raise FieldProblem("The channel is empty.")
    found = _CHANNELS.get(text.casefold())
    if found is None:
        names = ", ".join(str(label) for label in Channel.labels)
        raise FieldProblem(f"The channel {text!r} is not one of: {names}.")
    return found


_OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
_FULL_POSTCODE = re.compile(rf"({_OUTWARD})([0-9][A-Z]{{2}})")
_OUTWARD_ONLY = re.compile(_OUTWARD)
_INWARD_OR_SECTOR = re.compile(r"[0-9](?:[A-Z]{2})?")


def parse_postcode_district(value: str) -> str:
    """The district (outward code) of a UK postcode, such as DY1; "" for a blank.
    The rest of the postcode is dropped here and never stored."""
    text = _cell(value).upper()
    if not text:
        return ""
    parts = text.split()
    if len(parts) == 2 and _OUTWARD_ONLY.fullmatch(parts[0]) and _INWARD_OR_SECTOR.fullmatch(parts[1]):
        return parts[0]
    if len(parts) == 1:
        if match := _FULL_POSTCODE.fullmatch(parts[0]):
            return match[1]
        if _OUTWARD_ONLY.fullmatch(parts[0]):
            return parts[0]
    if text.replace(" ", "") == "GIR0AA":
        return "GIR"
    # The value is not repeated: it may be part of someone's address.
    raise FieldProblem("This is not a UK postcode or postcode district.")


def _district_or_nothing(value: str) -> str:
    try:
        return parse_postcode_district(value)
    except FieldProblem:
        return ""


_YES = {"yes", "y", "true", "1", "1.0"}
_NO = {"no", "n", "false", "0", "0.0", ""}


def parse_consent(value: str, *, field: str) -> bool:
    text = _cell(value).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise FieldProblem(f"The {FIELDS[field].lower()} must be yes or no, not {_cell(value)[:40]!r}.")


@dataclass(frozen=True)
class CleanRow:
    line: int
    key: str
    # Only the fields that have a value; the rest take the model's defaults.
    values: dict[str, Any]
    # The row gave demographics without the person's agreement to hold them: dropped.
    demographics_dropped: bool = False


_SHORT_FIELDS = ("question", "respondent_reference", "age_band", "sex", "ethnic_group", "disability", "carer")
_LABEL_YES = {"1", "1.0", "yes", "y", "true"}
# Fields whose cells repeat from row to row (a few age bands, questions, dates), so
# each distinct cell is checked once per file. Not the comment or the respondent
# reference, which rarely repeat. Each memo stops growing at MEMO_LIMIT cells, so
# memory does not grow with the file.
MEMO_LIMIT = 4096
_MISSING = object()


def _date_or_blank(value: str) -> str:
    """The ISO date of a cell, or "" for a blank one."""
    return parse_date(value).isoformat() if _cell(value) else ""


@dataclass(frozen=True)
class _Step:
    field: str
    heading: str
    parse: Callable[[str], Any]
    memo: dict[str, Any] | None


class RowCleaner:
    """Checks rows of one file against its mapping. Build one per import."""

    def __init__(
        self,
        *,
        resolved: ResolvedMapping,
        defaults: Mapping[str, Any],
        fallback_date: dt.date,
        char_limit: int | None = None,
    ) -> None:
        self.columns = resolved.columns
        self.labels = resolved.labels
        self.default_channel = str(defaults.get("channel") or Channel.OTHER.value)
        self.default_question = str(defaults.get("question") or "")
        default_date = defaults.get("occurred_on")
        self.fallback_date = dt.date.fromisoformat(str(default_date)) if default_date else fallback_date
        self.fallback_iso = self.fallback_date.isoformat()
        self.rating_scale = RatingScale.from_defaults(defaults)
        self.scale = (self.rating_scale.low, self.rating_scale.high)
        self.no_rating = frozenset(
            " ".join(str(v).split()).casefold() for v in defaults.get("no_rating") or []
        )
        self.words = {
            " ".join(k.split()).casefold(): int(v) for k, v in (defaults.get("rating_words") or {}).items()
        }
        self.char_limit = char_limit if char_limit is not None else max_chars()
        # Demographics are kept only where the person agreed: row by row where the file
        # has a column saying so, else where the import says everyone in it agreed.
        self.demographics_by_row = "consent_to_demographics" in self.columns
        self.demographics_consented = bool(defaults.get("demographics_consented", False))
        self.steps = self._steps()

    def _steps(self) -> list[_Step]:
        """How each mapped column is read, in the order problems are reported."""
        parsers: list[tuple[str, Callable[[str], Any], bool]] = [
            ("text", functools.partial(parse_text, limit=self.char_limit), False),
            *(
                (field, functools.partial(parse_short, field=field), field != "respondent_reference")
                for field in _SHORT_FIELDS
            ),
            ("occurred_on", _date_or_blank, True),
            (
                "rating",
                functools.partial(
                    parse_rating_stored, scale=self.rating_scale, no_rating=self.no_rating, words=self.words
                ),
                True,
            ),
            ("channel", functools.partial(parse_channel, default=self.default_channel), True),
            ("postcode_district", parse_postcode_district, True),
            ("consent_to_quote", functools.partial(parse_consent, field="consent_to_quote"), True),
            ("consent_to_contact", functools.partial(parse_consent, field="consent_to_contact"), True),
            (
                "consent_to_demographics",
                functools.partial(parse_consent, field="consent_to_demographics"),
                True,
            ),
        ]
        column_of = {"postcode_district": "postcode"}
        return [
            _Step(field, self.columns[column], parse, {} if memo else None)
            for field, parse, memo in parsers
            if (column := column_of.get(field, field)) in self.columns
        ]

    def _demographics_kept_if_agreed(self, values: dict[str, Any]) -> bool:
        """Drop the row's demographics unless the person agreed to them being held;
        whether any were dropped."""
        if self.demographics_by_row:
            agreed = values.pop("consent_to_demographics", False)
        else:
            agreed = self.demographics_consented
        if agreed:
            return False
        return bool([name for name in DEMOGRAPHIC_FIELDS if values.pop(name, None) is not None])

    def rejected_cells(self, row: Mapping[str, str]) -> list[list[str]]:
        """A rejected row as the file had it, `[[heading, value], ...]`, for the rejected
        rows' download; the postcode column keeps only its district, as the bank does,
        and nothing where it is not a postcode (it may be part of someone's address)."""
        postcode = self.columns.get("postcode")
        return [
            [heading, _district_or_nothing(value) if heading == postcode else value]
            for heading, value in row.items()
        ]

    def clean(self, line: int, row: Mapping[str, str]) -> CleanRow:
        values: dict[str, Any] = {}
        problems: list[tuple[str, str]] = []
        get = row.get
        for step in self.steps:
            cell = get(step.heading, "")
            memo = step.memo
            value = _MISSING if memo is None else memo.get(cell, _MISSING)
            if value is _MISSING:
                try:
                    value = step.parse(cell)
                except FieldProblem as problem:
                    problems.append((step.heading, str(problem)))
                    continue
                if memo is not None and len(memo) < MEMO_LIMIT:
                    memo[cell] = value
            # Identity, not equality: a rating of 0 is a value (0 == False in Python).
            if value is not None and value is not False and value != "":
                values[step.field] = value
        if problems:
            column, reason = problems[0]
            raise ImportRowError(line, column, reason, problems=problems)
        dropped = self._demographics_kept_if_agreed(values)
        source_date = values.get("occurred_on", "")
        if not source_date:
            values["occurred_on"] = self.fallback_iso
        if "channel" not in values:
            values["channel"] = self.default_channel
        if "question" not in values and self.default_question:
            values["question"] = self.default_question
        if self.labels:
            values["labels"] = [h for h in self.labels if get(h, "").strip().casefold() in _LABEL_YES]
        if "postcode_district" in values:
            # The whole postcode, to find its LSOA and ward; dropped once they are found.
            values["full_postcode"] = full_postcode(get(self.columns["postcode"], ""))
        key = dedupe_key(
            text=values["text"],
            question=values.get("question", ""),
            occurred_on=source_date,
            channel=values["channel"],
            respondent_reference=values.get("respondent_reference", ""),
        )
        return CleanRow(line=line, key=key, values=values, demographics_dropped=dropped)
