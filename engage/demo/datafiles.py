"""Reading the demo's data files (engage/demo/data/*.toml), each once per process.

The demo's words and specs are data, kept apart from the code that writes the demo
(ARCHITECTURE.md), so that changing a phrase or an activity is an edit to a TOML file,
not to Python. TOML because the project already reads it (tomllib, no dependency) and
it takes comments, which say why a list is the way it is.

tomllib hands back untyped dicts and lists, and a slip in a file (a number where a list
was meant, a key spelt wrong) would otherwise surface deep inside the generator as a
KeyError. So the files are read through `Table`, which checks each value as it is taken
and names the file and key that are wrong.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from django.db.models import TextChoices

C = TypeVar("C", bound=TextChoices)

DATA_DIR = Path(__file__).resolve().parent / "data"


class DemoDataError(ValueError):
    """A demo data file does not hold what the code expects: a mistake in the file."""


@functools.cache
def data_file(name: str) -> Table:
    """data/<name>.toml, read once per process (it ships with the code and never changes)."""
    path = DATA_DIR / f"{name}.toml"
    with path.open("rb") as file:
        return Table(tomllib.load(file), f"{path.name}:")


class Table:
    """One TOML table, its values checked as they are taken; `where` names it in errors."""

    def __init__(self, data: dict[str, Any], where: str) -> None:
        self.data = data
        self.where = where

    def path(self, key: str) -> str:
        return f"{self.where} {key}" if self.where.endswith(":") else f"{self.where}.{key}"

    def _value(self, key: str) -> object:
        if key not in self.data:
            raise DemoDataError(f"{self.path(key)} is missing.")
        return self.data[key]

    def names(self) -> tuple[str, ...]:
        """The table's keys, in the file's order."""
        return tuple(self.data)

    def has(self, key: str) -> bool:
        return key in self.data

    def refuse_others(self, known: Iterable[str], what: str) -> None:
        """Refuse keys the code would not read: a key spelt wrong would otherwise be
        ignored, and its value silently replaced by the default."""
        allowed = set(known)
        unknown = [key for key in self.data if key not in allowed]
        if unknown:
            raise DemoDataError(f"{self.where} has keys no {what} has: {', '.join(unknown)}.")

    def text(self, key: str) -> str:
        value = self._value(key)
        if not isinstance(value, str):
            raise DemoDataError(f"{self.path(key)} must be text.")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of text, as a tuple in the file's order (the seeded draws depend on it)."""
        value = self._value(key)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise DemoDataError(f"{self.path(key)} must be a list of text.")
        return tuple(value)

    def choice(self, key: str, choices: type[C]) -> C:
        """One of a model's choices, written in the file as its stored value ("consult")."""
        return self._choice(key, choices, self.text(key))

    def choices(self, key: str, choices: type[C]) -> tuple[C, ...]:
        return tuple(self._choice(key, choices, value) for value in self.texts(key))

    def _choice(self, key: str, choices: type[C], value: str) -> C:
        if value not in choices.values:
            known = ", ".join(choices.values)
            raise DemoDataError(f"{self.path(key)} must be one of {known}, not {value!r}.")
        return choices(value)

    def integer(self, key: str) -> int:
        value = self._value(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise DemoDataError(f"{self.path(key)} must be a whole number.")
        return value

    def integers(self, key: str) -> tuple[int, ...]:
        value = self._value(key)
        if not isinstance(value, list) or not all(
            isinstance(item, int) and not isinstance(item, bool) for item in value
        ):
            raise DemoDataError(f"{self.path(key)} must be a list of whole numbers.")
        return tuple(value)

    def boolean(self, key: str) -> bool:
        value = self._value(key)
        if not isinstance(value, bool):
            raise DemoDataError(f"{self.path(key)} must be true or false.")
        return value

    def table(self, key: str) -> Table:
        value = self._value(key)
        if not isinstance(value, dict):
            raise DemoDataError(f"{self.path(key)} must be a table.")
        return Table(value, self.path(key))

    def tables(self, key: str) -> tuple[Table, ...]:
        """An array of tables ([[key]] in the file), in the file's order."""
        value = self._value(key)
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise DemoDataError(f"{self.path(key)} must be an array of tables ([[{key}]]).")
        return tuple(Table(item, f"{self.path(key)}[{index}]") for index, item in enumerate(value))

    def text_lists(self, key: str) -> dict[str, tuple[str, ...]]:
        """A table whose every value is a list of text: {"hospital": (...), "gp": (...)}."""
        table = self.table(key)
        return {name: table.texts(name) for name in table.names()}

    def text_pairs(self, key: str) -> tuple[tuple[str, str], ...]:
        """A list of [text, text] pairs."""
        value = self._value(key)
        if not isinstance(value, list) or not all(
            isinstance(item, list) and len(item) == 2 and all(isinstance(part, str) for part in item)
            for item in value
        ):
            raise DemoDataError(f"{self.path(key)} must be a list of [text, text] pairs.")
        return tuple((first, second) for first, second in value)

    def weighted(self, key: str) -> tuple[tuple[str, float], ...]:
        """A list of [text, weight] pairs."""
        value = self._value(key)
        if not isinstance(value, list) or not all(
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], int | float)
            and not isinstance(item[1], bool)
            for item in value
        ):
            raise DemoDataError(f"{self.path(key)} must be a list of [text, weight] pairs.")
        return tuple((text, weight) for text, weight in value)
