"""Where uploaded files wait, and the one way they get there.

An upload is copied to a folder under ENGAGE_IMPORT_DIR (which the web and the worker
share) in chunks, under a random name that keeps only the file's ending (the readers go
by it), and refused once it is larger than its limit, before the rest is read; a copy
that fails part way is removed, so nothing half-written is left behind. The conversation
import, its pages (an upload kept while its columns are chosen) and the reference data
of places all keep their uploads this way.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings

_CHUNK = 1 << 20


@dataclass(frozen=True)
class StoredUpload:
    path: Path
    size_bytes: int
    sha256: str


def uploads_folder(*parts: str) -> Path:
    """The folder `parts` below ENGAGE_IMPORT_DIR, made if it is not there yet."""
    folder = Path(settings.ENGAGE_IMPORT_DIR, *parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _chunks(content: IO[bytes] | Iterable[bytes]) -> Iterable[bytes]:
    read = getattr(content, "read", None)
    if read is None:
        yield from content
        return
    while chunk := read(_CHUNK):
        yield chunk


def upload_store(
    content: IO[bytes] | Iterable[bytes],
    *,
    folder: Path,
    suffix: str,
    limit: int | None = None,
    too_big: Callable[[int], Exception] | None = None,
) -> StoredUpload:
    """Copy `content` (a file, or chunks such as an UploadedFile's) into `folder` under a
    random name ending in `suffix`. More than `limit` bytes raises `too_big(limit)` and
    keeps nothing; so does any other failure while copying."""
    path = folder / f"{uuid.uuid4().hex}{suffix}"
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("wb") as out:
            for chunk in _chunks(content):
                size += len(chunk)
                if limit is not None and size > limit:
                    raise too_big(limit) if too_big else ValueError(f"The file is more than {limit:,} bytes.")
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return StoredUpload(path=path, size_bytes=size, sha256=digest.hexdigest())
