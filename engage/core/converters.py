"""The URL converter for record ids: `<id:person_id>`.

Django's `<int:...>` matches any run of digits, so `/staff/people/99999999999999999999/`
reached the views with a number no database column holds, and a query joining on it
failed with a 500 (SQLite's OverflowError). This one matches at most nineteen ASCII
digits and refuses, as a 404, anything above the largest id.
"""

from __future__ import annotations

from engage.core.numbers import BIGGEST_ID


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= BIGGEST_ID:
            raise ValueError(f"{value} is not a record id.")
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))
