"""The two errors an import can raise: the whole file is refused, or one row is.

Every other failure while reading a file (a damaged workbook, a stray byte) is turned
into one of these, so a person always gets a sentence saying what is wrong and where.
"""

from __future__ import annotations

from engage.core.errors import DomainError


class ImportFileError(DomainError):
    """The file as a whole cannot be imported: nothing from it is added."""

    def __init__(self, message: str, *, file_name: str, line: int | None = None, column: str = "") -> None:
        where = ""
        if line is not None:
            where = f" (line {line}{f', column {column!r}' if column else ''})"
        elif column:
            where = f" (column {column!r})"
        super().__init__(f"{file_name}{where}: {message}")
        self.file_name = file_name
        self.line = line
        self.column = column
        self.reason = message


class ImportRowError(DomainError):
    """One row cannot be imported. `problems` lists every (column, reason) found in it;
    `column` and `reason` are the first, which the import report shows."""

    def __init__(
        self, line: int, column: str, reason: str, *, problems: list[tuple[str, str]] | None = None
    ) -> None:
        super().__init__(f"Line {line}, column {column!r}: {reason}" if column else f"Line {line}: {reason}")
        self.line = line
        self.column = column
        self.reason = reason
        self.problems = problems or [(column, reason)]
