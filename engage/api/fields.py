"""Serializer fields the API shares."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from engage.core.errors import InvalidInput
from engage.core.numbers import BIGGEST_ID, parse_id


class IdField(serializers.IntegerField):
    """A record id: a JSON integer, or a string of ASCII digits, from 1 to the largest id
    a database stores. DRF's IntegerField reads "٣" as 3 and passes ids too large for
    the database through to a query that fails; this refuses both with a 400 that names
    the field (the parsing is `engage.core.numbers`, as for pages and forms)."""

    default_error_messages = {"invalid": "Give a record number: a whole number of 1 or more."}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGGEST_ID)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool | float) or not isinstance(data, int | str):
            self.fail("invalid")
        try:
            number = parse_id(data, field=self.field_name or "id")
        except InvalidInput:
            self.fail("invalid")
        if number is None:
            self.fail("invalid")
        return number
