"""Capping an upload before it reaches the application's memory or disk.

Django's own upload handlers write every byte of a request's files to memory or to a
temporary file before a view runs, so a view that refuses a file once it is over a
limit has already let the whole of it onto the disk. `UploadLimitHandler`, first in
FILE_UPLOAD_HANDLERS, stops the upload instead:

- a request whose Content-Length is over the cap is stopped as its first file begins,
  so none of the file is stored; the form fields before it (the CSRF token first) are
  still read, so the page can say what went wrong;
- otherwise it counts the bytes of the files as they arrive and stops the upload as
  soon as they pass the cap, before the handlers after it store the chunk that did.

The cap is ENGAGE_UPLOAD_MAX_BYTES (by default ENGAGE_IMPORT_MAX_BYTES, the largest
file an import takes), or a view's own cap set with `allow_uploads_up_to` where it
takes larger files. The request gets FORM_ALLOWANCE on top for its form fields.

A stopped upload arrives at the view without its file. `explain_stopped_upload` puts
the reason on the form, where the person sees it beside the file box.

The cap holds only where Django reads the request body as it arrives, as under WSGI
(gunicorn, runserver). Under ASGI, Django spools the whole body to a temporary file
before any handler runs, and a reverse proxy's own body limit (nginx
`client_max_body_size`) is the first line either way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any, TypeVar

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, QueryDict
from django.utils.datastructures import MultiValueDict

# Room in the request for the form fields and multipart headers beside the file.
# The fields themselves are held to DATA_UPLOAD_MAX_MEMORY_SIZE by Django.
FORM_ALLOWANCE = 1024 * 1024

VIEW_CAP = "upload_max_bytes"  # the attribute allow_uploads_up_to sets on a view
_REFUSED = "_engage_upload_refused"

View = TypeVar("View", bound=Callable[..., Any])


def allow_uploads_up_to(max_bytes: int) -> Callable[[View], View]:
    """Let one view take files up to `max_bytes` rather than ENGAGE_UPLOAD_MAX_BYTES.
    Put it outermost, above the view's other decorators: the handler finds the cap on
    the function the URL resolved to."""

    def decorate(view: View) -> View:
        setattr(view, VIEW_CAP, max_bytes)
        return view

    return decorate


def upload_max_bytes(request: HttpRequest | None = None) -> int:
    """The largest file, in bytes, that `request` may upload."""
    match = getattr(request, "resolver_match", None)
    view_cap = getattr(getattr(match, "func", None), VIEW_CAP, None)
    if isinstance(view_cap, int):
        return view_cap
    return int(settings.ENGAGE_UPLOAD_MAX_BYTES)


def size_text(size: int) -> str:
    """A size as a person reads it: '200 MB', '64 KB', '900 bytes'."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):,.0f} MB"
    if size >= 1024:
        return f"{size / 1024:,.0f} KB"
    return f"{size:,} bytes"


def too_large_message(max_bytes: int) -> str:
    return (
        f"The file is larger than the {size_text(max_bytes)} that can be uploaded here. "
        "Choose a smaller file, or split this one into smaller files."
    )


def upload_refusal(request: HttpRequest) -> str | None:
    """Why the request's upload was stopped, as a sentence for the page; None if it was not."""
    reason = getattr(request, _REFUSED, None)
    return reason if isinstance(reason, str) else None


def explain_stopped_upload(form: forms.BaseForm, request: HttpRequest, *, field: str = "file") -> None:
    """If the request's upload was stopped, make the form say so beside `field`.

    The stopped file never reaches request.FILES, so the field would report only that
    no file was chosen: its "required" message becomes the reason instead. Any other
    file the request carried is dropped too, so a stopped request is never half used.
    """
    reason = upload_refusal(request)
    if reason is None:
        return
    form.files = MultiValueDict()
    form.fields[field].error_messages["required"] = reason


class UploadLimitHandler(FileUploadHandler):
    """Stops a request's upload once it is over the cap; stores nothing itself."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.max_bytes = upload_max_bytes(request)
        self.received = 0
        self.over_cap = False
        # Past this, the rest of an over-large body is not even read to be thrown
        # away: the connection is reset, and the browser shows its own error rather
        # than the page. Below it, the rest is read and dropped, a chunk at a time, so
        # the person sees the page that says why.
        self.drain_ceiling = 2 * (self.max_bytes + FORM_ALLOWANCE)
        self.request_length = 0

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, str],  # noqa: N803 - Django's name for it
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> tuple[QueryDict, MultiValueDict[str, UploadedFile]] | None:
        self.request_length = content_length
        if content_length > self.max_bytes + FORM_ALLOWANCE:
            self._refuse()
        return None  # the multipart parser goes on, and reads the fields before the file

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.over_cap:
            raise self._stop()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self._refuse()
            raise self._stop()
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        return None  # the handlers after this one make the file

    def _refuse(self) -> None:
        self.over_cap = True
        if self.request is not None:
            setattr(self.request, _REFUSED, too_large_message(self.max_bytes))

    def _stop(self) -> StopUpload:
        return StopUpload(connection_reset=self.request_length > self.drain_ceiling)
