"""Pages of the spreadsheet import (any target): upload, match columns, follow the check, choose,
follow the import. Progress pages refresh themselves (no JavaScript needed)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doorstep.organizations.queries import get_organization_with_role

from . import downloads, imports, tenancy
from .errors import DomainError
from .forms import add_domain_error
from .models import Import
from .roles import STAFF_ROLES


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet (CSV, XLSX or XLS)"), allow_empty_file=True)
    encoding = forms.ChoiceField(
        label=gettext_lazy("Text encoding (CSV only)"),
        required=False,
        choices=[
            ("", gettext_lazy("Detect it")),
            ("utf-8", "UTF-8"),
            ("utf-16", "UTF-16"),
            ("cp1252", "Windows-1252"),
            ("latin-1", "Latin-1 (ISO-8859-1)"),
        ],
    )


def _job(request, org_slug: str, import_id: int):
    organization = get_organization_with_role(request.user, org_slug, STAFF_ROLES)
    return organization, tenancy.get_scoped_or_404(Import, request.user, import_id, organization)


@login_required
def upload(request, org_slug: str, target_name: str):
    organization = get_organization_with_role(request.user, org_slug, STAFF_ROLES)
    try:
        target = imports.target(target_name)
    except KeyError:
        raise Http404 from None
    if imports.reads_itself(target):
        raise Http404  # such a target has its own upload page (surveys: the form's import page)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            job = imports.start(
                organization,
                target_name=target_name,
                filename=upload_file.name,
                data=upload_file.read(),
                actor=request.user,
                encoding=form.cleaned_data["encoding"] or None,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("import", org_slug=organization.slug, import_id=job.pk)
    past = (
        tenancy.scoped(Import, request.user, organization)
        .filter(target=target_name)
        .select_related("created_by")
    )
    return render(
        request,
        "core/import_upload.html",
        {
            "organization": organization,
            "target": target,
            "form": form,
            "past": past[:20],
            "columns": target.columns,
        },
        status=422 if form.errors else 200,
    )


@login_required
def detail(request, org_slug: str, import_id: int):
    organization, job = _job(request, org_slug, import_id)
    target = imports.target(job.target)
    back = getattr(target, "back_url", None)
    links = getattr(target, "done_links", None)
    context = {
        "organization": organization,
        "job": job,
        "target": target,
        "back_url": back(organization, job)
        if back
        else reverse("import_upload", args=[organization.slug, job.target]),
        "done_links": links(organization, job) if links and job.status == Import.Status.DONE else [],
        "sheets": any(error.get("sheet") for error in job.errors[:100]),
    }
    if job.status == Import.Status.UPLOADED or (
        request.method == "POST" and job.status == Import.Status.VALIDATED
    ):
        if request.method == "POST":
            mapping = {
                key.removeprefix("column-"): value
                for key, value in request.POST.items()
                if key.startswith("column-")
            }
            try:
                imports.choose_mapping(job, mapping, actor=request.user)
            except DomainError as error:
                context["mapping_errors"] = [e.message for e in error.errors] or [error.message]
            else:
                return redirect("import", org_slug=organization.slug, import_id=job.pk)
        chosen = job.mapping
        context["columns"] = [
            (index, header, chosen.get(str(index), "")) for index, header in enumerate(job.headers)
        ]
        context["preview"] = imports.preview(job, actor=request.user)
    if job.status in (Import.Status.VALIDATED, Import.Status.DONE, Import.Status.FAILED):
        context["errors"] = job.errors[:100]
    status = 422 if context.get("mapping_errors") else 200
    return render(request, "core/import_detail.html", context, status=status)


@login_required
@require_POST
def act(request, org_slug: str, import_id: int, action: str):
    organization, job = _job(request, org_slug, import_id)
    operations = {"commit": imports.commit, "cancel": imports.cancel, "resume": imports.resume}
    if action not in operations:
        raise Http404
    try:
        operations[action](job, actor=request.user)
    except DomainError as error:
        messages.error(request, " ".join(e.message for e in error.errors) or error.message)
    return redirect("import", org_slug=organization.slug, import_id=job.pk)


@login_required
def error_report(request, org_slug: str, import_id: int):
    _organization, job = _job(request, org_slug, import_id)
    return downloads.attachment(
        imports.error_report(job),
        content_type="text/csv; charset=utf-8",
        filename=f"import-{job.pk}-errors.csv",
    )
