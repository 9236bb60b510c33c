"""Pages of surveys: the forms (upload, versions, media, state, Enketo), the phones that collect (app
users and their QR codes), the submissions, imports from KoboToolbox or ODK Central, a form's
summary, and exports. Showing a submission's answers audits the read."""

import base64
import json
import zlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorstep.core import downloads, qr, tenancy
from doorstep.core.errors import DomainError
from doorstep.core.forms import add_domain_error
from doorstep.core.models import Import
from doorstep.core.pagination import next_page_query, page_of
from doorstep.core.roles import STAFF_ROLES
from doorstep.organizations.queries import get_organization_with_role

from . import boards, queries, services, summary, xforms
from . import imports as survey_imports
from .forms import (
    AppUserForm,
    ImportForm,
    MediaForm,
    MemberFieldForm,
    StateForm,
    SubmissionFilterForm,
    UploadForm,
)

PAGE_SIZE = 50
COLUMNS_SHOWN = 6


def _organization(request, org_slug: str):
    return get_organization_with_role(request.user, org_slug, STAFF_ROLES)


def collect_settings_qr(server_url: str, project: str) -> str:
    """ODK Collect's project settings as a QR code (JSON, zlib-compressed, base64), as an SVG."""
    payload = {
        "general": {
            "server_url": server_url,
            "form_update_mode": "match_exactly",
            "autosend": "wifi_and_cellular",
        },
        "admin": {},
        "project": {"name": project[:50]},
    }
    text = base64.b64encode(zlib.compress(json.dumps(payload).encode())).decode()
    return qr.svg(text, error="l", scale=3)


@login_required
def form_list(request, org_slug: str):
    organization = _organization(request, org_slug)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version = services.upload_form(
                organization, filename=upload.name, data=upload.read(), actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("“%(title)s” version “%(version)s” is ready. Open it to let phones fill it in.")
                % {"title": version.form.title, "version": version.version or "—"},
            )
            return redirect("survey_form", org_slug=organization.slug, form_id=version.form_id)
    return render(
        request,
        "surveys/list.html",
        {
            "organization": organization,
            "forms": queries.forms_of(request.user, organization),
            "upload": form,
            "app_users": queries.app_users_of(request.user, organization),
            "app_user_form": AppUserForm(),
            "basic_url": request.build_absolute_uri(
                reverse("openrosa_root", kwargs={"org_slug": organization.slug})
            ),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def app_user_new(request, org_slug: str):
    """Enrol a phone: a new token, shown once as the QR code ODK Collect scans."""
    organization = _organization(request, org_slug)
    form = AppUserForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Name the device or the enumerator."))
        return redirect("surveys", org_slug=organization.slug)
    try:
        app_user, raw = services.create_app_user(
            organization, name=form.cleaned_data["name"], actor=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("surveys", org_slug=organization.slug)
    server_url = request.build_absolute_uri(
        reverse("openrosa_key_root", kwargs={"org_slug": organization.slug, "token": raw})
    )
    response = render(
        request,
        "surveys/app_user.html",
        {
            "organization": organization,
            "app_user": app_user,
            "server_url": server_url,
            "qr_svg": collect_settings_qr(server_url, organization.name),
        },
    )
    response["Cache-Control"] = "no-store"  # the token is in this page
    return response


@login_required
@require_POST
def app_user_revoke(request, org_slug: str, app_user_id: int):
    organization = _organization(request, org_slug)
    app_user = queries.get_app_user(request.user, app_user_id, organization)
    services.revoke_app_user(app_user, actor=request.user)
    messages.success(request, _("%(name)s can no longer list forms or submit.") % {"name": app_user.name})
    return redirect("surveys", org_slug=organization.slug)


@login_required
def form_detail(request, org_slug: str, form_id: int):
    organization = _organization(request, org_slug)
    form = queries.get_form(request.user, form_id, organization)
    latest = form.latest
    paths = xforms.field_paths(latest.structure) if latest else []
    media_form, state_form = MediaForm(), StateForm(initial={"state": form.state, "fillers": form.fillers})
    member_form = MemberFieldForm(initial={"member_field": form.member_field}, paths=paths)
    failed = False
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "state":
                state_form = StateForm(request.POST)
                if state_form.is_valid():
                    fillers = state_form.cleaned_data["fillers"]
                    if fillers and fillers != form.fillers:
                        services.set_fillers(form, fillers, actor=request.user)
                    services.set_state(form, state_form.cleaned_data["state"], actor=request.user)
                    messages.success(
                        request, _("The form is now: %(state)s") % {"state": form.get_state_display()}
                    )
                    return redirect("survey_form", org_slug=organization.slug, form_id=form.pk)
            elif action == "media":
                media_form = MediaForm(request.POST, request.FILES)
                if media_form.is_valid():
                    upload = media_form.cleaned_data["file"]
                    services.attach_media(latest, name=upload.name, data=upload.read(), actor=request.user)
                    messages.success(request, _("%(name)s is attached.") % {"name": upload.name})
                    return redirect("survey_form", org_slug=organization.slug, form_id=form.pk)
            elif action == "member_field":
                member_form = MemberFieldForm(request.POST, paths=paths)
                if member_form.is_valid():
                    services.set_member_field(
                        form, member_form.cleaned_data["member_field"], actor=request.user
                    )
                    messages.success(request, _("Saved."))
                    return redirect("survey_form", org_slug=organization.slug, form_id=form.pk)
        except DomainError as error:
            add_domain_error({"state": state_form, "media": media_form}.get(action, member_form), error)
        failed = True
    return render(
        request,
        "surveys/form.html",
        {
            "organization": organization,
            "form": form,
            "versions": form.versions.all(),
            "latest": latest,
            "media": latest.media.all() if latest else [],
            "media_form": media_form,
            "state_form": state_form,
            "member_form": member_form,
            "submission_count": queries.submissions_of(request.user, form).count(),
            "enketo": bool(settings.ENKETO_URL),
        },
        status=422 if failed else 200,
    )


@login_required
def form_import(request, org_slug: str, form_id: int):
    """Bring in submissions exported from KoboToolbox or ODK Central; the check and the import run
    on the shared import pages (progress, problems by sheet, row and column, then her choice)."""
    organization = _organization(request, org_slug)
    form = queries.get_form(request.user, form_id, organization)
    versions = list(form.versions.all())
    upload = ImportForm(request.POST or None, request.FILES or None, versions=versions)
    if request.method == "POST" and upload.is_valid():
        data = upload.cleaned_data
        try:
            job = survey_imports.start(
                form,
                version=queries.get_version(request.user, data["version"], organization),
                files=[(part.name, part.read()) for part in data["file"]],
                actor=request.user,
                encoding=data["encoding"] or None,
            )
        except DomainError as error:
            add_domain_error(upload, error)
        else:
            return redirect("import", org_slug=organization.slug, import_id=job.pk)
    past = (
        tenancy.scoped(Import, request.user, organization)
        .filter(target=survey_imports.NAME, options__form=form.pk)
        .select_related("created_by")
    )
    return render(
        request,
        "surveys/import.html",
        {"organization": organization, "form": form, "upload": upload, "past": past[:20]},
        status=422 if upload.errors else 200,
    )


def _question_choices(structure: dict, language: str) -> list[tuple[str, str]]:
    return [
        (q["path"], f"{xforms.label_in(q['label'], language) or q['path']} ({q['path']})")
        for q in xforms.questions(structure)
        if q["type"] not in ("note",)
    ]


@login_required
@require_POST
def form_enketo(request, org_slug: str, form_id: int):
    """Fill the form in the browser: ask Enketo for the form's web address and go there."""
    organization = _organization(request, org_slug)
    form = queries.get_form(request.user, form_id, organization)
    server_url = request.build_absolute_uri(reverse("openrosa_root", kwargs={"org_slug": organization.slug}))
    try:
        return redirect(services.enketo_link(form, server_url=server_url, actor=request.user))
    except services.EnketoUnavailable as error:
        messages.error(request, str(error))
        return redirect("survey_form", org_slug=organization.slug, form_id=form.pk)


@login_required
def submission_list(request, org_slug: str, form_id: int):
    organization = _organization(request, org_slug)
    form = queries.get_form(request.user, form_id, organization)
    language = translation.get_language() or "en"
    filter_form = SubmissionFilterForm(
        request.GET or None,
        app_users=queries.app_users_of(request.user, organization),
        submitters=queries.submitters_of(request.user, form),
        questions=_question_choices(form.latest.structure, language) if form.latest else [],
    )
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    submissions = queries.filter_submissions(queries.submissions_of(request.user, form), filters)
    looked_at = None
    if filters.get("question"):
        rows, records, next_cursor, looked_at = services.search(
            form,
            submissions,
            path=filters["question"],
            op=filters.get("op") or "is",
            value=filters["value"],
            limit=PAGE_SIZE,
            cursor=request.GET.get("cursor"),
            actor=request.user,
        )
    else:
        rows, next_cursor = page_of(
            submissions, limit=PAGE_SIZE, cursor=request.GET.get("cursor"), newest_first=True
        )
        records = services.reveal(rows, actor=request.user, reason="submission list") if rows else {}
    columns = xforms.field_paths(form.latest.structure)[:COLUMNS_SHOWN] if form.latest else []
    if filters.get("question") and filters["question"] not in columns:
        columns = [*columns[: COLUMNS_SHOWN - 1], filters["question"]]
    return render(
        request,
        "surveys/submissions.html",
        {
            "organization": organization,
            "form": form,
            "columns": columns,
            "rows": [(s, [_shown(records[s.pk], c) for c in columns]) for s in rows],
            "total": submissions.count(),
            "looked_at": looked_at,
            "filter_form": filter_form,
            "next_query": next_page_query(request, next_cursor),
            "exports": queries.exports_of(request.user, form)[:5],
        },
        status=422 if filter_form.is_bound and filter_form.errors else 200,
    )


def _shown(record: dict, path: str) -> str:
    return ", ".join(str(v) for v in xforms.answers_at([record], path) if v not in ("", None))


@login_required
def form_summary(request, org_slug: str, form_id: int):
    """Each question at a glance: answer counts and shares, number ranges and histograms (from the
    analytics engine, as of its last refresh), and maps of places (from the submissions)."""
    organization = _organization(request, org_slug)
    form = queries.get_form(request.user, form_id, organization)
    structure = form.latest.structure if form.latest else {}
    places = [q for q in xforms.questions(structure) if q["type"] == "geopoint"]
    wants_points = request.GET.get("format") == "geojson"
    found = boards.survey_summary(request.user, form, translation.get_language() or "en")
    if places and (wants_points or found.items):
        submissions = list(queries.submissions_of(request.user, form))
        records = services.reveal(submissions, actor=request.user, reason="summary") if submissions else {}
        if wants_points:
            points = summary.geojson(structure, [(s.pk, records[s.pk]) for s in submissions])
            return downloads.attachment(
                json.dumps(points),
                content_type="application/geo+json",
                filename=f"{form.xml_form_id}-points.geojson",
            )
        drawn = summary.maps(structure, list(records.values()))
        for item in found.items:
            if item["path"] in drawn:
                item["map"] = drawn[item["path"]]
    elif wants_points:
        raise Http404
    return render(
        request,
        "surveys/summary.html",
        {
            "organization": organization,
            "form": form,
            "found": found,
            "items": found.items,
            "total": found.total,
            # Counted live, so that the page never says "0 submissions" while the engine catches up.
            "received": queries.submissions_of(request.user, form).count(),
        },
    )


@login_required
def form_export(request, org_slug: str, form_id: int):
    """Download the submissions: ``?format=csv|xlsx&labels=1&split=1``."""
    organization = _organization(request, org_slug)
    form = queries.get_form(request.user, form_id, organization)
    content, _streamed, filename, kind = services.export(
        form,
        fmt=request.GET.get("format", "csv"),
        use_labels=request.GET.get("labels") == "1",
        split=request.GET.get("split") == "1",
        language=translation.get_language() or "en",
        actor=request.user,
    )
    return downloads.attachment(content, content_type=kind, filename=filename)


@login_required
@require_POST
def export_new(request, org_slug: str, form_id: int):
    """Queue an export (CSV or XLSX, values or labels, choices split or not) as a background job."""
    organization = _organization(request, org_slug)
    form = queries.get_form(request.user, form_id, organization)
    try:
        job = services.request_export(
            form,
            fmt=request.POST.get("format", "csv"),
            use_labels=request.POST.get("labels") == "1",
            split=request.POST.get("split") == "1",
            language=translation.get_language() or "en",
            actor=request.user,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("survey_submissions", org_slug=organization.slug, form_id=form.pk)
    return redirect("survey_export_job", org_slug=organization.slug, export_id=job.pk)


@login_required
def export_job(request, org_slug: str, export_id: int):
    """An export's progress (the page refreshes itself), then its download link."""
    organization = _organization(request, org_slug)
    job = queries.get_export(request.user, export_id, organization)
    if request.method == "POST" and request.POST.get("action") == "delete":
        services.delete_export(job, actor=request.user)
        messages.success(request, _("The export is deleted."))
        return redirect("survey_submissions", org_slug=organization.slug, form_id=job.form_id)
    return render(
        request,
        "surveys/export.html",
        {
            "organization": organization,
            "job": job,
            "form": job.form,
            "earlier": queries.exports_of(request.user, job.form).exclude(pk=job.pk)[:10],
        },
    )


@login_required
def export_download(request, org_slug: str, export_id: int):
    organization = _organization(request, org_slug)
    job = queries.get_export(request.user, export_id, organization)
    return downloads.attachment(
        services.open_export(job, actor=request.user), content_type=job.content_type, filename=job.filename
    )


def _labelled(record: dict, structure: dict, language: str) -> list[tuple[str, str, object]]:
    """(path, label in the page's language where the form has it, value) in form order."""
    rows = []
    for question in xforms.questions(structure):
        label = xforms.label_in(question["label"], language)
        path = question["path"]
        if path in record:
            rows.append((path, label or path, record[path]))
    shown = {path for path, _label, _value in rows}
    rows += [(path, path, value) for path, value in record.items() if path not in shown]
    return rows


@login_required
def submission_detail(request, org_slug: str, submission_id: int):
    organization = _organization(request, org_slug)
    submission = queries.get_submission(request.user, submission_id, organization)
    record = services.reveal([submission], actor=request.user, reason="submission detail")[submission.pk]
    return render(
        request,
        "surveys/submission.html",
        {
            "organization": organization,
            "submission": submission,
            "rows": _labelled(record, submission.version.structure, translation.get_language() or "en"),
            "attachments": submission.attachments.all(),
        },
    )


@login_required
def attachment(request, org_slug: str, attachment_id: int):
    organization = _organization(request, org_slug)
    item = queries.get_attachment(request.user, attachment_id, organization)
    return downloads.attachment(
        services.open_attachment(item, actor=request.user), content_type=item.content_type, filename=item.name
    )
