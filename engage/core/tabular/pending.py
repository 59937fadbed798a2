"""Uploads kept while a person matches their columns: the steps before a mapped import
starts (conversations, people) share them.

The file is kept in a "pending" folder under a random name, and the pages pass that
name to each other only inside a signed value (with the organisation it belongs to and
the kind of import it is for), never as a path the browser could choose. An upload
nobody goes on to import is swept away after a day: it may hold full postcodes.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.core import signing

from engage.core.tabular.errors import ImportFileError
from engage.core.tabular.readers import CSV_SUFFIXES, EXCEL_SUFFIXES, max_bytes, open_reader
from engage.core.uploads import StoredUpload, upload_store, uploads_folder

PENDING_MAX_AGE = 24 * 60 * 60  # seconds a kept upload waits for its columns to be mapped
PREVIEW_ROWS = 5
PREVIEW_CELL_CHARS = 200
_NAME = re.compile(r"[0-9a-f]{32}\.(?:upload|csv|txt|tsv|xlsx|xlsm)")


def upload_keep(content: IO[bytes], *, file_name: str, folder: Path) -> StoredUpload:
    """Keep an upload for an import in `folder`, refusing it once it is more than one
    import can take (engage.core.uploads)."""
    suffix = Path(file_name).suffix.lower()
    return upload_store(
        content,
        folder=folder,
        # The name's ending is kept for the readers (openpyxl goes by it); the rest is random.
        suffix=suffix if suffix in CSV_SUFFIXES | EXCEL_SUFFIXES else ".upload",
        limit=max_bytes(),
        too_big=lambda limit: ImportFileError(
            f"The file is more than the {limit / 1_048_576:,.0f} MB one import can take. "
            "Split it into smaller files.",
            file_name=file_name,
        ),
    )


@dataclass(frozen=True)
class PendingUpload:
    path: Path
    file_name: str
    # What the first step chose beside the file (such as the activity), carried along.
    extra: dict[str, Any] = field(default_factory=dict)


def pending_dir() -> Path:
    return uploads_folder("pending")


def _sweep(folder: Path) -> None:
    """Remove kept uploads nobody went on to import (they may hold full postcodes)."""
    cutoff = time.time() - PENDING_MAX_AGE
    for old in folder.iterdir():
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
        except OSError:  # pragma: no cover - removed by another request meanwhile
            continue


def pending_keep(content: IO[bytes], *, file_name: str, extra: dict[str, Any] | None = None) -> PendingUpload:
    """Keep an upload in the pending folder while its columns are chosen. A file that
    cannot be read is refused here (ImportFileError), not after mapping, and not kept."""
    folder = pending_dir()
    _sweep(folder)
    pending = PendingUpload(
        path=upload_keep(content, file_name=file_name, folder=folder).path,
        file_name=file_name,
        extra=dict(extra or {}),
    )
    try:
        pending_preview(pending)
    except BaseException:
        pending.path.unlink(missing_ok=True)
        raise
    return pending


def _salt(kind: str) -> str:
    return f"engage.{kind}.pending"


def pending_token(upload: PendingUpload, *, kind: str, organisation_id: int) -> str:
    """The signed value that names the kept upload to the next step's page."""
    return signing.dumps(
        {"f": upload.path.name, "n": upload.file_name, "x": upload.extra, "o": organisation_id},
        salt=_salt(kind),
    )


def pending_from(token: str, *, kind: str, organisation_id: int) -> PendingUpload | None:
    """The kept upload a signed value names, if it is this organisation's, for this kind
    of import, and still there."""
    try:
        data = signing.loads(token, salt=_salt(kind), max_age=PENDING_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("o") != organisation_id:
        return None
    name = data.get("f")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        return None
    path = pending_dir() / name
    if not path.is_file():
        return None
    extra = data.get("x")
    return PendingUpload(
        path=path, file_name=str(data.get("n") or "upload"), extra=extra if isinstance(extra, dict) else {}
    )


@dataclass(frozen=True)
class Preview:
    headings: list[str]
    rows: list[tuple[int, list[str]]]


def pending_preview(upload: PendingUpload) -> Preview:
    """The file's headings and its first rows, cells shortened for the page."""

    def short(text: str) -> str:
        return text if len(text) <= PREVIEW_CELL_CHARS else text[: PREVIEW_CELL_CHARS - 1] + "…"

    with open_reader(upload.path, file_name=upload.file_name) as reader:
        headings = list(reader.headings)
        rows = [
            (line, [short(row.get(heading, "")) for heading in headings])
            for line, row in islice(reader.rows(), PREVIEW_ROWS)
        ]
    return Preview(headings=headings, rows=rows)
