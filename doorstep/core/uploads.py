"""Uploads: every request's files are counted as they arrive (``SizeLimitHandler``); and files
people attach as evidence (a photo of a payment slip, a voice note, a letter): what kinds are
accepted, read from the file's first bytes rather than from its name or the type the browser claims,
and how large. Anything that could run or render in a browser (programs, scripts, HTML, SVG, office
files with macros) is refused, whatever its name says."""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _

from .errors import ValidationError

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
_FORM_ALLOWANCE = 64 * 1024  # a multipart body's boundaries, headers and plain fields


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str


def _kind(data: bytes) -> Kind | None:
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return Kind("application/pdf", "pdf")
    if head.startswith(b"\xff\xd8\xff"):
        return Kind("image/jpeg", "jpg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind("image/png", "png")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Kind("image/gif", "gif")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Kind("image/webp", "webp")
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return Kind("audio/wav", "wav")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1"):
            return Kind("image/heic", "heic")
        if brand in (b"M4A ", b"M4B "):
            return Kind("audio/mp4", "m4a")
        if brand in (b"3gp4", b"3gp5", b"3gp6", b"3g2a"):
            return Kind("audio/3gpp", "3gp")  # basic phones record voice notes as 3GP
        return Kind("video/mp4", "mp4")
    if head.startswith(b"OggS"):
        return Kind("audio/ogg", "ogg")
    if head.startswith(b"#!AMR"):
        return Kind("audio/amr", "amr")
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return Kind("audio/mpeg", "mp3")
    if head.startswith(b"\x1aE\xdf\xa3"):
        return Kind("audio/webm", "webm")
    return _text(data)


def _text(data: bytes) -> Kind | None:
    """Plain text (a message copied from a phone), never markup a browser would render."""
    if b"\x00" in data[:4096]:
        return None
    try:
        text = data[:65536].decode("utf-8")
    except UnicodeDecodeError:
        return None
    start = text.lstrip()[:200].lower()
    if start.startswith(("<", "{\\rtf")) or "<script" in text.lower() or "<svg" in text.lower():
        return None
    return Kind("text/plain", "txt")


def _checked(name: str, data: bytes, *, field: str, max_bytes: int, kind, refused: str, stem: str):
    """(safe file name, content type) once ``data`` is not empty, not too large, and of a kind
    ``kind(data)`` recognizes; ``ValidationError`` with ``refused`` otherwise."""
    if not data:
        raise ValidationError.for_field(field, _("The file is empty."), code="empty")
    if len(data) > max_bytes:
        raise ValidationError.for_field(
            field,
            _("The file is larger than %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    found = kind(data)
    if found is None:
        raise ValidationError.for_field(field, refused, code="file_type")
    safe = "".join(c for c in PurePath(name or stem).stem if c.isalnum() or c in " -_")[:80].strip()
    return f"{safe or stem}.{found.extension}", found.content_type


def check_evidence(name: str, data: bytes, *, field: str = "file", max_bytes: int = MAX_EVIDENCE_BYTES):
    """(safe file name, content type) for an evidence file, or ``ValidationError`` saying why not."""
    return _checked(
        name,
        data,
        field=field,
        max_bytes=max_bytes,
        kind=_kind,
        refused=_(
            "This kind of file is not accepted. Send a photo (JPEG, PNG, WebP, HEIC), a PDF, a voice "
            "note (MP3, M4A, OGG, AMR, 3GP, WAV) or plain text."
        ),
        stem="evidence",
    )


# Documents for a library (guides, training materials, laws): what evidence accepts, plus office
# documents (OOXML and OpenDocument) without macros.

MAX_DOCUMENT_BYTES = 25 * 1024 * 1024
_OFFICE = {
    "word/": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
_OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}


def _office(data: bytes) -> Kind | None:
    """An office document read from inside its zip; None for anything else, or one with macros."""
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if any(
                n.lower().endswith(("vbaproject.bin", ".bas")) or n.lower().startswith("basic/")
                for n in names
            ):
                return None
            if "[Content_Types].xml" in names:
                for prefix, kind in _OFFICE.items():
                    if any(n.startswith(prefix) for n in names):
                        return kind
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in _OPENDOCUMENT:
                    return Kind(mimetype, _OPENDOCUMENT[mimetype])
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


def check_document(name: str, data: bytes, *, field: str = "file", max_bytes: int = MAX_DOCUMENT_BYTES):
    """(safe file name, content type) for a library document, or ``ValidationError`` saying why not."""
    return _checked(
        name,
        data,
        field=field,
        max_bytes=max_bytes,
        kind=lambda content: _office(content) or _kind(content),
        refused=_(
            "This kind of file is not accepted. Send a PDF, an office document without macros (Word, "
            "Excel, PowerPoint, OpenDocument), a picture, a sound recording or plain text."
        ),
        stem="document",
    )


# Every upload, whatever it is for --------------------------------------------------------------------


class UploadTooLarge(RequestDataTooBig):
    """The files of one request pass ``settings.UPLOAD_MAX_BYTES`` (a SuspiciousOperation: 400, or
    413 where request-body limits answer so)."""


class SizeLimitHandler(FileUploadHandler):
    """The first upload handler (``FILE_UPLOAD_HANDLERS``): counts the bytes of a request's files as
    they arrive and stops the request at ``settings.UPLOAD_MAX_BYTES`` (all files together), so a
    file is never read past the limit; a body announcing more is refused before it is read. Django's
    handlers after it keep a file in memory up to ``FILE_UPLOAD_MAX_MEMORY_SIZE`` and stream a larger
    one to a temporary file. Each purpose's own limit (an import, an XLSForm, evidence) is checked
    by its service."""

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.limit = settings.UPLOAD_MAX_BYTES
        self.received = 0

    def _refuse(self) -> UploadTooLarge:
        return UploadTooLarge(
            _("The upload is larger than %(mb)s MB.") % {"mb": f"{self.limit / 2**20:,.0f}"}
        )

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.limit + _FORM_ALLOWANCE:
            raise self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            raise self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file
