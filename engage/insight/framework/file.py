"""Reading a framework of themes from a TOML file: the built-in one, or a partnership's own.

The shape is described in `insight/framework/files/README.md`: a `name`, an optional `version` and
`description`, then `[[categories]]`, each with a `name`, a `description` and
`[[categories.subcategories]]` of its own (`name`, `description`, `examples`). Names are
unique across the file, because conversations are labelled by sub-category name.

A file that is not right raises `FrameworkFileError` naming the file, the line (and
column, for a TOML mistake) and what to change; nothing is read half. The reader knows
nothing of the database: `framework_services.framework_load` stores what it returns.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from typing import Any

from engage.core.tomlfile import TomlLocator, toml_mistake

MAX_BYTES = 1_048_576
NAME_MAX = 200


class FrameworkFileError(ValueError):
    """What is wrong with a framework file, and where, as a sentence a person can act on."""


@dataclass(frozen=True)
class SubcategorySpec:
    name: str
    description: str
    examples: list[str]


@dataclass(frozen=True)
class CategorySpec:
    name: str
    description: str
    subcategories: list[SubcategorySpec] = field(default_factory=list)


@dataclass(frozen=True)
class FrameworkSpec:
    name: str
    version: str
    description: str
    categories: list[CategorySpec]
    data: dict[str, Any]  # the whole file, for extras such as the built-in's v6_mapping


def _header_lines(text: str) -> tuple[list[int], list[list[int]]]:
    """The line of each `[[categories]]` header, and of each category's sub-category
    headers, in order, so a mistake in the n-th one can be placed."""
    where = TomlLocator(text)
    categories = where.array_item_lines("categories")
    subcategories = [
        where.array_item_lines("categories.subcategories", within=where.array_item("categories", index))
        for index in range(len(categories))
    ]
    return categories, subcategories


def _text(value: Any) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) else None


def parse_framework(text: str, *, file_name: str) -> FrameworkSpec:
    """The framework in `text`, checked whole; see the module's notes."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        mistake = toml_mistake(text, error)
        plain = mistake.detail.strip().rstrip(".")
        place = f"line {mistake.line}" + (f", column {mistake.column}" if mistake.column is not None else "")
        raise FrameworkFileError(
            f"{file_name}, {place}: this is not valid TOML ({plain}). Check the quotes and brackets there."
        ) from None
    category_lines, subcategory_lines = _header_lines(text)

    def fail(message: str, line: int | None = None) -> FrameworkFileError:
        return FrameworkFileError(f"{file_name}{f', line {line}' if line else ''}: {message}")

    name = _text(data.get("name"))
    if not name:
        raise fail(
            'the framework has no name. Add a line such as name = "Our partnership\'s themes" at the top.'
        )
    if len(name) > NAME_MAX:
        raise fail(f"the framework's name is longer than {NAME_MAX} characters.")
    raw_categories = data.get("categories")
    if not isinstance(raw_categories, list) or not raw_categories:
        raise fail(
            "there are no categories. Add at least one [[categories]] with its [[categories.subcategories]]."
        )
    seen: dict[str, str] = {}
    categories: list[CategorySpec] = []
    for index, raw in enumerate(raw_categories):
        line = category_lines[index] if index < len(category_lines) else None
        if not isinstance(raw, dict):
            raise fail(f"category {index + 1} is not a table of name, description and sub-categories.", line)
        category_name = _text(raw.get("name"))
        if not category_name:
            raise fail(f"category {index + 1} has no name.", line)
        _check_name(
            category_name, seen, where=f"category {index + 1}", fail=lambda m, line=line: fail(m, line)
        )
        raw_subs = raw.get("subcategories")
        if not isinstance(raw_subs, list) or not raw_subs:
            raise fail(
                f"the category {category_name!r} has no sub-categories. Conversations are labelled with "
                "sub-categories, so add at least one [[categories.subcategories]] under it.",
                line,
            )
        subs: list[SubcategorySpec] = []
        sub_lines = subcategory_lines[index] if index < len(subcategory_lines) else []
        for sub_index, sub in enumerate(raw_subs):
            sub_line = sub_lines[sub_index] if sub_index < len(sub_lines) else line
            label = f"sub-category {sub_index + 1} of {category_name!r}"
            if not isinstance(sub, dict) or not _text(sub.get("name")):
                raise fail(f"{label} has no name.", sub_line)
            sub_name = _text(sub["name"]) or ""
            _check_name(sub_name, seen, where=label, fail=lambda m, sub_line=sub_line: fail(m, sub_line))
            examples = sub.get("examples", [])
            if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
                raise fail(
                    f'the examples of {sub_name!r} must be a list of text, such as ["damp", "mould"].',
                    sub_line,
                )
            subs.append(
                SubcategorySpec(
                    name=sub_name, description=_text(sub.get("description")) or "", examples=examples
                )
            )
        categories.append(
            CategorySpec(
                name=category_name, description=_text(raw.get("description")) or "", subcategories=subs
            )
        )
    return FrameworkSpec(
        name=name,
        version=str(data.get("version", ""))[:40],
        description=_text(data.get("description")) or "",
        categories=categories,
        data=data,
    )


def _check_name(name: str, seen: dict[str, str], *, where: str, fail: Any) -> None:
    if len(name) > NAME_MAX:
        raise fail(f"the name of {where} is longer than {NAME_MAX} characters.")
    key = name.casefold()
    if key in seen:
        raise fail(
            f"{where} is called {name!r}, as {seen[key]} is. Every name in a framework must be different."
        )
    seen[key] = where
