"""Loading the reference data reach is measured against. Each load checks the whole
file first, then replaces what was there for that edition in one transaction, so a bad
file leaves the data as it was and a good one is never half in."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from django.db import transaction

from engage.core.models import AuditAction
from engage.core.services import audit_record
from engage.reach.loaders.imd import ProgressCallback, read_imd_file
from engage.reach.models import DeprivationArea, ImdEdition, ReferenceKind, ReferenceLoad

BATCH = 2000


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def imd_load(
    *, actor: Any, path: Path, file_name: str, on_progress: ProgressCallback | None = None
) -> ReferenceLoad:
    """Load an Indices of Deprivation File 7 (either edition, told by its columns),
    replacing that edition's areas. Raises ImportFileError naming the file, line and
    column of the first problem; nothing changes then."""
    parsed = read_imd_file(path, file_name=file_name, on_progress=on_progress)
    edition = ImdEdition(parsed.edition)
    with transaction.atomic():
        DeprivationArea.objects.filter(edition=edition).delete()
        DeprivationArea.objects.bulk_create(
            (DeprivationArea(edition=edition, **dataclasses.asdict(row)) for row in parsed.rows),
            batch_size=BATCH,
        )
        authorities = len({row.local_authority_code for row in parsed.rows})
        load = ReferenceLoad.objects.create(
            kind=ReferenceKind.IMD,
            edition=edition,
            file_name=file_name[:255],
            rows=len(parsed.rows),
            note=f"{len(parsed.rows):,} LSOAs in {authorities:,} local authorities.",
            loaded_by=_user(actor),
        )
        audit_record(
            actor=actor,
            organisation=None,
            action=AuditAction.CREATED,
            subject_type="reference_load",
            subject_id=load.pk,
            summary=f"Loaded {edition.label} from {file_name}: {len(parsed.rows):,} LSOAs.",
        )
    if on_progress is not None:
        on_progress(len(parsed.rows), len(parsed.rows))
    return load
