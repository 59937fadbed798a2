"""The TOML locator places a mistake on the line to put right, for every TOML file read."""

from __future__ import annotations

import tomllib

import pytest

from engage.core.tomlfile import TomlLocator, toml_mistake

FRAMEWORK = """name = "Ours"

[[categories]]
name = "Access"

  [[categories.subcategories]]
  name = "Getting an appointment"

[[categories]]
name = "Care"

  [[categories.subcategories]]
  name = "Kindness"

  [[categories.subcategories]]
  name = "Being listened to"
"""


def test_the_nested_tables_of_each_array_item_are_found_on_their_own_lines() -> None:
    where = TomlLocator(FRAMEWORK)
    assert where.array_item_lines("categories") == [3, 9]
    second = where.array_item("categories", 1)
    assert where.array_item_lines("categories.subcategories", within=second) == [12, 15]
    assert where.key(second, "name") == 10
    assert where.value(where.root(), "Ours") == 1


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('name = "Ours"\nversion = 1.2.3\n', 2, 14),
        ('name = "unfinished\n', 1, 19),
        ("[[categories]\n", 1, 13),
    ],
)
def test_a_syntax_mistake_is_placed_on_its_line_and_column(text: str, line: int, column: int) -> None:
    with pytest.raises(tomllib.TOMLDecodeError) as caught:
        tomllib.loads(text)
    mistake = toml_mistake(text, caught.value)
    assert (mistake.line, mistake.column) == (line, column)
    assert "at line" not in mistake.detail
