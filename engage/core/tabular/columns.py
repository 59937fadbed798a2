"""Which column of a file holds which field: the part of a mapped import that every
kind of import shares (conversations, people).

A mapping is a dict from a field to the heading of the column that holds it. The heading
may be a list of headings: the first the file has is used, and if the file has none of
them the field is left out (this is how ready-made templates cope with the many ways
exports name their columns). A single heading is expected: a file without it is refused,
naming the heading and listing those the file has. Headings match whatever their case
and spacing, and a spreadsheet's byte-order mark before the first is ignored.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from engage.core.tabular.errors import ImportFileError


def normalise_heading(heading: str) -> str:
    return " ".join(heading.replace("\ufeff", "").split()).casefold()


def _candidates(wanted: Any) -> list[str]:
    return [wanted] if isinstance(wanted, str) else [c for c in wanted or [] if isinstance(c, str)]


def columns_find(
    mapping: Mapping[str, Any],
    headings: Sequence[str],
    *,
    fields: Collection[str],
    required: Collection[str] = (),
    file_name: str,
) -> dict[str, str]:
    """Each field of `fields` that the mapping names, to the file's own heading for it.
    Raises ImportFileError when the file lacks a required field's column, or a column
    named on its own (not in a list), naming what is missing and what the file has."""
    by_normal: dict[str, str] = {}
    for heading in headings:
        by_normal.setdefault(normalise_heading(heading), heading)
    columns: dict[str, str] = {}
    missing: list[str] = []
    for name, wanted in mapping.items():
        if name not in fields or not wanted:
            continue
        candidates = _candidates(wanted)
        match = next((by_normal[n] for c in candidates if (n := normalise_heading(c)) in by_normal), None)
        if match is not None:
            columns[name] = match
        elif isinstance(wanted, str) or name in required:
            missing.append(" or ".join(repr(c) for c in candidates))
    if missing:
        found = ", ".join(repr(h) for h in headings if h) or "none"
        plural = "columns" if len(missing) > 1 else "column"
        raise ImportFileError(
            f"The file has no {plural} {', '.join(missing)}. The columns it has are: {found}.",
            file_name=file_name,
        )
    return columns


def columns_guess(
    headings: Sequence[str], *, fields: Mapping[str, str], known: Iterable[Mapping[str, Any]] = ()
) -> dict[str, str]:
    """A first guess at which column holds which field, from each field's label and
    name and the headings the ready-made mappings in `known` use; each column used once."""
    by_normal: dict[str, str] = {}
    for heading in headings:
        by_normal.setdefault(normalise_heading(heading), heading)
    known = list(known)
    guess: dict[str, str] = {}
    used: set[str] = set()
    for field, label in fields.items():
        candidates = [label, field.replace("_", " ")]
        for mapping in known:
            candidates.extend(_candidates(mapping.get(field)))
        for candidate in candidates:
            found = by_normal.get(normalise_heading(candidate))
            if found is not None and found not in used:
                guess[field] = found
                used.add(found)
                break
    return guess
