"""API for surveys: forms (list, upload, versions) and their submissions (records decrypted for
staff, every read audited)."""

from datetime import datetime

from django.conf import settings
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from doorstep.core.import_api import ImportOut
from doorstep.core.pagination import page_of
from doorstep.core.schemas import ErrorOut
from doorstep.organizations.queries import organization_for_staff

from . import queries, services

router = Router(tags=["surveys"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class VersionOut(Schema):
    id: int
    version: str
    md5: str
    source_name: str
    warnings: list[str]
    created_at: datetime


class FormOut(Schema):
    id: int
    organization_id: int
    xml_form_id: str
    title: str
    state: str
    member_field: str
    versions: list[VersionOut]


class SubmissionOut(Schema):
    id: int
    instance_id: str
    root_instance_id: str
    deprecated_id: str
    version: str
    received_at: datetime
    member_id: int | None
    data: dict
    attachments: list[str]


class SubmissionPage(Schema):
    items: list[SubmissionOut]
    next: str | None


class PageIn(Schema):
    limit: int = Field(settings.API_PAGE_DEFAULT, ge=1, le=settings.API_PAGE_MAX)
    cursor: str | None = None


def form_out(form) -> dict:
    return {
        "id": form.pk,
        "organization_id": form.organization_id,
        "xml_form_id": form.xml_form_id,
        "title": form.title,
        "state": form.state,
        "member_field": form.member_field,
        "versions": list(form.versions.all()),
    }


@router.get("/forms", response={200: list[FormOut], **ERRORS})
def list_forms(request, organization_id: int):
    organization = organization_for_staff(request.auth, organization_id)
    return [form_out(f) for f in queries.forms_of(request.auth, organization).prefetch_related("versions")]


@router.post("/forms", response={201: FormOut, **ERRORS})
def upload_form(request, organization_id: Form[int], file: File[UploadedFile]):
    """Upload an XLSForm (a new form, or a new version of the form with the same form ID); pyxform's
    errors come back in ``errors``, one per line it gave."""
    organization = organization_for_staff(request.auth, organization_id)
    version = services.upload_form(organization, filename=file.name, data=file.read(), actor=request.auth)
    return Status(201, form_out(version.form))


@router.get("/forms/{form_id}", response={200: FormOut, **ERRORS})
def get_form(request, form_id: int):
    return form_out(queries.get_form(request.auth, form_id))


@router.post("/forms/{form_id}/imports", response={201: ImportOut, **ERRORS})
def import_submissions(
    request,
    form_id: int,
    file: File[UploadedFile],
    version_id: Form[int | None] = None,
    encoding: Form[str] = "",
):
    """Upload a KoboToolbox (XLSX/CSV) or ODK Central (CSV zip) export of this form, matched to
    ``version_id`` (default: the newest version). Every row is then checked in the background;
    follow it at ``/imports/{id}`` and finish with ``/imports/{id}/commit`` or ``/cancel``.
    Submissions already in Doorstep are counted in ``skipped_rows`` and never imported twice."""
    from . import imports as survey_imports

    form = queries.get_form(request.auth, form_id)
    version = queries.get_version(request.auth, version_id, form.organization_id) if version_id else None
    job = survey_imports.start(
        form,
        version=version,
        filename=file.name or "export",
        data=file.read(),
        actor=request.auth,
        encoding=encoding or None,
    )
    return Status(201, job)


@router.get("/forms/{form_id}/submissions", response={200: SubmissionPage, **ERRORS})
def list_submissions(request, form_id: int, page: Query[PageIn]):
    """The form's current submissions (an edited one replaces the one it edits), oldest first,
    cursor-paginated; groups flattened as ``group/question``, repeats as lists."""
    form = queries.get_form(request.auth, form_id)
    rows, next_cursor = page_of(
        queries.submissions_of(request.auth, form), limit=page.limit, cursor=page.cursor
    )
    records = services.reveal(rows, actor=request.auth, reason="api submissions") if rows else {}
    return {
        "items": [
            {
                "id": s.pk,
                "instance_id": s.instance_id,
                "root_instance_id": s.root_instance_id,
                "deprecated_id": s.deprecated_id,
                "version": s.version.version,
                "received_at": s.received_at,
                "member_id": s.member_id,
                "data": records[s.pk],
                "attachments": list(s.attachments.values_list("name", flat=True)),
            }
            for s in rows
        ],
        "next": next_cursor,
    }


@router.get("/forms/{form_id}/export", response={200: None, **ERRORS})
def export_submissions(request, form_id: int, format: str = "csv", labels: bool = False, split: bool = False):
    """The submissions as CSV (a zip with one CSV per repeat when the form has repeats) or XLSX,
    streamed; ``labels`` for labels instead of values, ``split`` for one column per choice."""
    from django.http import FileResponse, StreamingHttpResponse
    from django.utils import translation

    form = queries.get_form(request.auth, form_id)
    content, streamed, filename, kind = services.export(
        form,
        fmt=format,
        use_labels=labels,
        split=split,
        language=translation.get_language() or "en",
        actor=request.auth,
    )
    response = (
        StreamingHttpResponse(content, content_type=kind)
        if streamed
        else FileResponse(content, content_type=kind)
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
