"""A report's PDF or Word file as a response, for staff and for the public alike.

A PDF takes a second or more of CPU, so each file is kept in the cache under a key made
from everything it shows: the report (its words change its `updated_at`, its figures
their `figures_built_at`), its Easy Read points, and the quotes as they stand now, read
every time, so a quote whose consent is withdrawn is never served from the cache.
"""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.http import HttpResponse

from engage.core.errors import NotFound
from engage.reports.document import Document, report_document
from engage.reports.models import Report
from engage.reports.rendering import docx_bytes, file_name, pdf_bytes

KEEP_SECONDS = 24 * 3600
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
VERSIONS = ("report", "easy-read")


def _key(document: Document, version: str, extension: str) -> str:
    quotes = [b.get("texts", []) for s in document.sections for b in s.blocks if b["type"] == "quotes"]
    points = [(p.text, p.picture.src[-40:] if p.picture else "") for _, ps in document.easy_read for p in ps]
    digest = hashlib.sha256(
        json.dumps(
            [document.report.updated_at, document.report.figures_built_at, quotes, points], default=str
        ).encode()
    ).hexdigest()[:32]
    return f"reports:file:{document.report.pk}:{version}:{extension}:{digest}"


def report_file(report: Report, *, version: str, extension: str) -> tuple[bytes, str]:
    """(the file's bytes, its name)."""
    if version not in VERSIONS or extension not in CONTENT_TYPES:
        raise NotFound("There is no such file of this report.")
    easy_read = version == "easy-read"
    if easy_read and not report.is_public_kind:
        raise NotFound("Only reports for the public have an Easy Read version.")
    document = report_document(report, with_easy_read=easy_read)
    key = _key(document, version, extension)
    content = cache.get(key)
    if content is None:
        make = pdf_bytes if extension == "pdf" else docx_bytes
        content = make(document, easy_read=easy_read)
        cache.set(key, content, KEEP_SECONDS)
    return content, file_name(document, extension, easy_read=easy_read)


def report_file_response(report: Report, *, version: str, extension: str) -> HttpResponse:
    content, name = report_file(report, version=version, extension=extension)
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
