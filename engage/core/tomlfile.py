"""Placing a mistake in a TOML file on the line a person must put right, for every TOML
file the product reads: the screening rules (engage/activities/screening/rules.py) and
a framework of themes (engage/insight/framework/file.py).

Python's tomllib says where a syntax error is, but once a file parses it keeps no line
numbers, so a rule that names an unknown group, say, could only be reported as "in the
file". The locator reads the text the way a person would instead: headers
(`[questions.scale]`, `[[rules]]`) mark out the tables, and within a table the line where
a key is set or a quoted value appears is the one to point at.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = re.compile(r"\s*\(at end of document\)$")


@dataclass(frozen=True)
class TomlMistake:
    line: int
    column: int | None  # None: at the end of the file
    detail: str  # tomllib's words, without its own "(at line …)"


def toml_mistake(text: str, error: tomllib.TOMLDecodeError) -> TomlMistake:
    """Where tomllib's syntax error is, and what it says."""
    detail = str(error)
    match = _AT_LINE.search(detail)
    if match:
        return TomlMistake(int(match.group(1)), int(match.group(2)), detail[: match.start()])
    return TomlMistake(max(1, len(text.splitlines())), None, _AT_END.sub("", detail))


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$")


def _header_name(raw: str) -> str:
    return re.sub(r"\s+", "", raw).replace('"', "").replace("'", "")


class TomlLocator:
    """Finds the line of a table, a key or a value in the text of a TOML file.

    tomllib keeps no line numbers, so this reads the text the way a person would: the
    headers (`[questions.scale]`, `[[rules]]`) mark out the tables, and within a table
    the line where a key is set or a quoted value appears is the one to put right.
    """

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[tuple[int, str, bool]] = []  # (line, name, is array of tables)
        for number, line in enumerate(self.lines, start=1):
            match = _HEADER.match(line)
            if match:
                self.headers.append((number, _header_name(match.group(2)), match.group(1) == "[["))

    def _span_from(self, index: int) -> tuple[int, int]:
        start, name, _ = self.headers[index]
        end = len(self.lines)
        for line, other, is_array in self.headers[index + 1 :]:
            if other.startswith(name + ".") and not (other == name and is_array):
                continue
            end = line - 1
            break
        return start, end

    def root(self) -> tuple[int, int]:
        return 1, (self.headers[0][0] - 1 if self.headers else len(self.lines))

    def table(self, name: str) -> tuple[int, int] | None:
        for index, (_, other, is_array) in enumerate(self.headers):
            if other == name and not is_array:
                return self._span_from(index)
        return None

    def array_item_lines(self, name: str, within: tuple[int, int] | None = None) -> list[int]:
        """The header line of each `[[name]]` in order (only those inside `within`)."""
        return [
            line
            for line, other, is_array in self.headers
            if other == name and is_array and (within is None or within[0] <= line <= within[1])
        ]

    def array_item(self, name: str, position: int) -> tuple[int, int] | None:
        items = [i for i, (_, other, is_array) in enumerate(self.headers) if other == name and is_array]
        return self._span_from(items[position]) if position < len(items) else None

    def anywhere(self, name: str) -> int | None:
        """The first line that opens a table of this name, or sets it as a key at the top."""
        for line, other, _ in self.headers:
            if other == name or other.startswith(name + "."):
                return line
        return self.key(self.root(), name)

    def subtable(self, span: tuple[int, int] | None, name: str) -> int | None:
        if span is None:
            return None
        return next(
            (line for line, other, _ in self.headers if other == name and span[0] <= line <= span[1]), None
        )

    def key(self, span: tuple[int, int] | None, key: str, *, start: int | None = None) -> int | None:
        if span is None:
            return None
        pattern = re.compile(rf"""(^|[\s{{,.])["']?{re.escape(key)}["']?\s*=""")
        for number in range(max(span[0], start or 0), span[1] + 1):
            line = self.lines[number - 1]
            if not line.lstrip().startswith("#") and pattern.search(line):
                return number
        return None

    def value(self, span: tuple[int, int] | None, value: str, *, start: int | None = None) -> int | None:
        if span is None:
            return None
        quoted = (f'"{value}"', f"'{value}'")
        for number in range(max(span[0], start or 0), span[1] + 1):
            line = self.lines[number - 1]
            if not line.lstrip().startswith("#") and any(q in line for q in quoted):
                return number
        return None
