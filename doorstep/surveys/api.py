"""API for surveys: forms (list, upload, versions, state) and their submissions (records decrypted for
staff, every read audited), imports of submissions, and exports."""

from datetime import datetime

from django.conf import settings
from django.utils import translation
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from doorstep.core import downloads
from doorstep.core.import_api import ImportOut
from doorstep.core.pagination import page_of
from doorstep.core.schemas import ErrorOut, codes
from doorstep.organizations.queries import organization_for_staff

from . import imports as survey_imports
from . import queries, services
from .models import Export, Fillers, FormState

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
    state: codes(FormState)
    fillers: codes(Fillers)
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
    question: str | None = Field(None, description="Only submissions whose answer to this path …")
    op: codes(services.ANSWER_OPS) = Field(
        "is", description="… is (a choice among several, or the whole answer) or contains…"
    )
    value: str | None = Field(None, description="… this value (case ignored).")


def form_out(form) -> dict:
    return {
        "id": form.pk,
        "organization_id": form.organization_id,
        "xml_form_id": form.xml_form_id,
        "title": form.title,
        "state": form.state,
        "fillers": form.fillers,
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


class FormPatch(Schema):
    state: codes(FormState) | None = None
    fillers: codes(Fillers) | None = Field(
        None, description="anyone, devices (enrolled phones) or staff (own login)"
    )
    member_field: str | None = Field(None, description="The question holding a member number; '' for none.")


@router.patch("/forms/{form_id}", response={200: FormOut, **ERRORS})
def change_form(request, form_id: int, payload: FormPatch):
    """Open or close a form, choose who may fill it, or the question that links to members."""
    form = queries.get_form(request.auth, form_id)
    if payload.fillers is not None:
        services.set_fillers(form, payload.fillers, actor=request.auth)
    if payload.member_field is not None:
        services.set_member_field(form, payload.member_field, actor=request.auth)
    if payload.state is not None:
        services.set_state(form, payload.state, actor=request.auth)
    return form_out(form)


@router.post("/forms/{form_id}/imports", response={201: ImportOut, **ERRORS})
def import_submissions(
    request,
    form_id: int,
    file: File[list[UploadedFile]],
    version_id: Form[int | None] = None,
    encoding: Form[str] = "",
):
    """Upload a KoboToolbox (XLSX/CSV, or the CSV files of its multi-table export, several ``file``
    parts or one zip) or ODK Central (CSV zip) export of this form, matched to
    ``version_id`` (default: the newest version). Every row is then checked in the background;
    follow it at ``/imports/{id}`` and finish with ``/imports/{id}/commit`` or ``/cancel``.
    Submissions already in Doorstep are counted in ``skipped_rows`` and never imported twice."""
    form = queries.get_form(request.auth, form_id)
    version = queries.get_version(request.auth, version_id, form.organization_id) if version_id else None
    job = survey_imports.start(
        form,
        version=version,
        files=[(part.name or "export", part.read()) for part in file],
        actor=request.auth,
        encoding=encoding or None,
    )
    return Status(201, job)


@router.get("/forms/{form_id}/submissions", response={200: SubmissionPage, **ERRORS})
def list_submissions(request, form_id: int, page: Query[PageIn]):
    """The form's current submissions (an edited one replaces the one it edits), oldest first,
    cursor-paginated; groups flattened as ``group/question``, repeats as lists. With ``question``
    and ``value``, only those whose answer matches, newest first (answers are sealed: each
    submission is opened in turn, at most 50,000 per request; ``next`` goes on from there)."""
    form = queries.get_form(request.auth, form_id)
    if page.question:
        rows, records, next_cursor, _looked_at = services.search(
            form,
            queries.submissions_of(request.auth, form),
            path=page.question,
            op=page.op,
            value=page.value or "",
            limit=page.limit,
            cursor=page.cursor,
            actor=request.auth,
        )
        return _submission_page(rows, records, next_cursor)
    rows, next_cursor = page_of(
        queries.submissions_of(request.auth, form), limit=page.limit, cursor=page.cursor
    )
    records = services.reveal(rows, actor=request.auth, reason="api submissions") if rows else {}
    return _submission_page(rows, records, next_cursor)


def _submission_page(rows, records, next_cursor) -> dict:
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
def export_submissions(
    request,
    form_id: int,
    format: codes(services.EXPORT_FORMATS) = "csv",
    labels: bool = False,
    split: bool = False,
):
    """The submissions as CSV (a zip with one CSV per repeat when the form has repeats) or XLSX,
    streamed; ``labels`` for labels instead of values, ``split`` for one column per choice."""
    form = queries.get_form(request.auth, form_id)
    content, _streamed, filename, kind = services.export(
        form,
        fmt=format,
        use_labels=labels,
        split=split,
        language=translation.get_language() or "en",
        actor=request.auth,
    )
    return downloads.attachment(content, content_type=kind, filename=filename)


class ExportIn(Schema):
    format: codes(services.EXPORT_FORMATS) = "csv"
    labels: bool = Field(False, description="Labels instead of values.")
    split: bool = Field(False, description="One column per choice of select_multiple questions.")


class ExportOut(Schema):
    id: int
    form_id: int
    format: codes(services.EXPORT_FORMATS)
    use_labels: bool
    split: bool
    status: codes(Export.Status)
    total: int
    processed: int
    filename: str
    size: int
    message: str
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime | None


@router.post("/forms/{form_id}/exports", response={202: ExportOut, **ERRORS})
def request_export(request, form_id: int, payload: ExportIn):
    """Export in the background (for large forms): follow ``processed`` of ``total`` at
    ``/exports/{id}``, then fetch ``/exports/{id}/download`` once ``status`` is ``done``. The file is
    kept encrypted and deleted after ``expires_at``."""
    form = queries.get_form(request.auth, form_id)
    job = services.request_export(
        form,
        fmt=payload.format,
        use_labels=payload.labels,
        split=payload.split,
        language=translation.get_language() or "en",
        actor=request.auth,
    )
    return Status(202, job)


@router.get("/exports/{export_id}", response={200: ExportOut, **ERRORS})
def get_export(request, export_id: int):
    return queries.get_export(request.auth, export_id)


@router.get("/exports/{export_id}/download", response={200: None, **ERRORS})
def download_export(request, export_id: int):
    """The file, streamed (audited)."""
    job = queries.get_export(request.auth, export_id)
    return downloads.attachment(
        services.open_export(job, actor=request.auth), content_type=job.content_type, filename=job.filename
    )


@router.delete("/exports/{export_id}", response={204: None, **ERRORS})
def delete_export(request, export_id: int):
    """Delete the file now (its key is destroyed)."""
    services.delete_export(queries.get_export(request.auth, export_id), actor=request.auth)
    return Status(204, None)
