"""Serializer fields the API shares.

A JSON body is read as strictly as the OpenAPI document describes it: DRF's own fields
are generous (a CharField takes the number 0 as "0", a BooleanField takes "yes" and 1,
an IntegerField takes "5" and 5.0), so a client could send what the document says is
wrong and have it accepted. These take only the JSON type documented, and refuse
anything else with a 400 that names the field. A query string holds only text:
`QueryIdField` and `SearchField` read it.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from rest_framework import serializers

from engage.core.errors import InvalidInput
from engage.core.numbers import BIGGEST_ID, parse_id


class IdField(serializers.IntegerField):
    """A record id in a JSON body: a JSON integer from 1 to the largest id a database
    stores. DRF's IntegerField reads "٣" as 3 and passes ids too large for the database
    through to a query that fails; this refuses both with a 400 that names the field
    (the parsing is `engage.core.numbers`, as for pages and forms)."""

    default_error_messages = {"invalid": "Give a record number: a whole number of 1 or more."}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGGEST_ID)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return self._parsed(data)

    def _parsed(self, data: int | str) -> int:
        try:
            number = parse_id(data, field=self.field_name or "id")
        except InvalidInput:
            self.fail("invalid")
        if number is None:
            self.fail("invalid")
        return number


class QueryIdField(IdField):
    """A record id in a query string: one to nineteen ASCII digits, from 1 to the
    largest id a database stores."""

    def to_internal_value(self, data: Any) -> int:
        if not isinstance(data, str):
            self.fail("invalid")
        return self._parsed(data)


class TextField(serializers.CharField):
    """Text in a JSON body: a JSON string, never a number taken as text."""

    default_error_messages = {"invalid": "Write this as text."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


class TrueOrFalseField(serializers.BooleanField):
    """Yes or no in a JSON body: `true` or `false`, not "yes", 1 or "true"."""

    default_error_messages = {"invalid": "Answer true or false."}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class SearchField(serializers.CharField):
    """Words to search for, from a query string: any text but the NUL character, which no
    database column holds (refused with a 400, as the document's pattern says); left out
    or blank is no search."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault(
            "validators",
            [RegexValidator(r"^[^\x00]*$", message="Search for words without the NUL character.")],
        )
        super().__init__(**kwargs)
