"""API for spreadsheet imports: upload, match columns, follow progress, read the row errors, choose."""

from datetime import datetime

from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from doorstep.organizations.models import Organization

from . import imports, tenancy
from .models import Import
from .roles import STAFF_ROLES
from .schemas import ErrorOut, codes

router = Router(tags=["imports"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ImportOut(Schema):
    id: int
    organization_id: int
    target: str
    filename: str
    status: codes(Import.Status)
    encoding: str
    headers: list[str]
    mapping: dict[str, str] = Field(description="{column index: field key}; suggested until you confirm it.")
    options: dict = Field(
        description="What the import reads the file as (survey exports: form, version, layout)."
    )
    total_rows: int
    processed_rows: int
    valid_rows: int
    skipped_rows: int = Field(description="Rows already in Doorstep (e.g. a submission imported before).")
    error_count: int
    imported_rows: int
    message: str
    created_at: datetime
    finished_at: datetime | None


class RowErrorOut(Schema):
    sheet: str = ""
    row: int
    column: str
    field: str
    message: str


class MappingIn(Schema):
    mapping: dict[str, str] = Field(
        description='{"0": "full_name", "1": "phones", ...}; leave a column out to skip it.'
    )


def _job(user, import_id: int) -> Import:
    return tenancy.get_scoped_or_404(Import, user, import_id)


@router.post("/imports", response={201: ImportOut, **ERRORS})
def upload(
    request, organization_id: Form[int], target: Form[str], file: File[UploadedFile], encoding: Form[str] = ""
):
    """Upload a CSV, XLSX or XLS file; the answer suggests which column holds which field."""
    tenancy.require_role(request.auth, organization_id, STAFF_ROLES)
    if _known(target) and imports.reads_itself(imports.target(target)):
        return Status(
            422,
            {
                "detail": "Upload survey exports to /api/v1/forms/{form_id}/imports.",
                "code": "wrong_target",
                "errors": [
                    {
                        "field": "target",
                        "message": "Upload survey exports to /api/v1/forms/{form_id}/imports.",
                    }
                ],
            },
        )
    if not _known(target):
        return Status(
            422,
            {
                "detail": "Unknown import target.",
                "code": "unknown_target",
                "errors": [{"field": "target", "message": "Unknown import target."}],
            },
        )
    organization = Organization.objects.get(pk=organization_id)
    job = imports.start(
        organization,
        target_name=target,
        filename=file.name or "upload",
        data=file.read(),
        actor=request.auth,
        encoding=encoding or None,
    )
    return Status(201, job)


def _known(target: str) -> bool:
    try:
        imports.target(target)
    except KeyError:
        return False
    return True


@router.get("/imports/{import_id}", response={200: ImportOut, **ERRORS})
def get_import(request, import_id: int):
    return _job(request.auth, import_id)


@router.post("/imports/{import_id}/mapping", response={202: ImportOut, **ERRORS})
def choose_mapping(request, import_id: int, payload: MappingIn):
    """Confirm the columns; every row is then checked in the background (follow `processed_rows`)."""
    return Status(
        202, imports.choose_mapping(_job(request.auth, import_id), payload.mapping, actor=request.auth)
    )


@router.get("/imports/{import_id}/errors", response={200: list[RowErrorOut], **ERRORS})
def row_errors(request, import_id: int):
    """Every problem found, by row (as numbered in a spreadsheet program) and column. No values."""
    return _job(request.auth, import_id).errors


@router.post("/imports/{import_id}/commit", response={202: ImportOut, **ERRORS})
def commit(request, import_id: int):
    """Import the valid rows (in the background)."""
    return Status(202, imports.commit(_job(request.auth, import_id), actor=request.auth))


@router.post("/imports/{import_id}/cancel", response={200: ImportOut, **ERRORS})
def cancel(request, import_id: int):
    """Import nothing; the uploaded file is destroyed."""
    return imports.cancel(_job(request.auth, import_id), actor=request.auth)


@router.post("/imports/{import_id}/resume", response={202: ImportOut, 409: ErrorOut, **ERRORS})
def resume(request, import_id: int):
    """Go on with an import that stopped, from its last committed batch. 409 (`already_running`)
    while a run is at work on it or queued: an import never has two runs."""
    return Status(202, imports.resume(_job(request.auth, import_id), actor=request.auth))
