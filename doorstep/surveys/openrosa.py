"""The OpenRosa 1.0 server, per organization, as ODK Collect, KoboCollect and Enketo use it.

Two base URLs for the same endpoints (``formList``, form download, manifest, media, ``submission``):

* ``/openrosa/<org>/key/<token>/`` — an app user's token in the path, as ODK Central does it: the
  device is enrolled by scanning a QR code that holds this URL; revoking the token answers 401 at once.
* ``/openrosa/<org>/`` — HTTP Basic with an organizer's or admin's own username and password
  (KoboCollect style); refused over plain HTTP in production; checked by the same throttled, audited
  ``log_in`` as the login page.

Every answer carries ``X-OpenRosa-Version: 1.0`` and a ``Date``. Errors answer an OpenRosa response
XML with the reason: 400 (not a well-formed submission, no instanceID, an XML bomb), 401, 403 (a form
that is not open), 404 (a form the organization does not have), 409 (the instanceID names a different
submission, or an edit whose original is not here), 413 (too large). A 201 means the submission is
committed; the same submission again is answered 201 and stores nothing new.
"""

import base64
import binascii
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from doorstep.core import tenancy, throttle
from doorstep.core.errors import Throttled, ValidationError
from doorstep.core.roles import STAFF_ROLES
from doorstep.organizations import services as accounts
from doorstep.organizations.models import Organization

from . import queries, services
from .models import Form

MAX_REQUEST_BYTES = 100 * 1024 * 1024
XML = "text/xml; charset=utf-8"


def _headers(response: HttpResponse) -> HttpResponse:
    response["X-OpenRosa-Version"] = "1.0"
    response["Date"] = http_date()
    return response


def _message(status: int, text: str, nature: str = "") -> HttpResponse:
    nature_attr = f' nature="{escape(nature)}"' if nature else ""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<OpenRosaResponse xmlns="http://openrosa.org/http/response">'
        f"<message{nature_attr}>{escape(text)}</message></OpenRosaResponse>"
    )
    return _headers(HttpResponse(body, status=status, content_type=XML))


def _unauthorized(text: str, *, basic: bool) -> HttpResponse:
    response = _message(401, text)
    if basic:
        response["WWW-Authenticate"] = 'Basic realm="Doorstep"'
    return response


def _organization(org_slug: str) -> Organization:
    try:
        return Organization.objects.get(slug=org_slug, is_active=True)
    except Organization.DoesNotExist:
        raise Http404 from None


def _caller(request, organization: Organization, token: str | None):
    """(app user, user, refusal): exactly one of the first two, or a response refusing the request."""
    if token is not None:
        app_user = services.app_user_for_token(organization, token)
        if app_user is None:
            return (
                None,
                None,
                _unauthorized(_("This device's token is not valid or was revoked."), basic=False),
            )
        return app_user, None, None
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header.lower().startswith("basic "):
        return None, None, _unauthorized(_("Log in with your Doorstep username and password."), basic=True)
    if not request.is_secure() and not settings.DEBUG:
        return None, None, _message(403, _("Passwords are accepted only over HTTPS."))
    try:
        username, _sep, password = base64.b64decode(header[6:].strip()).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return (
            None,
            None,
            _unauthorized(_("The Authorization header is not valid Basic credentials."), basic=True),
        )
    try:
        user = accounts.log_in(
            username=username, password=password, address=throttle.client_address(request), request=request
        )
    except Throttled as refused:
        response = _message(429, refused.message)
        response["Retry-After"] = str(refused.retry_after)
        return None, None, response
    except ValidationError:
        return None, None, _unauthorized(_("Wrong username or password."), basic=True)
    if tenancy.role_in(user, organization) not in STAFF_ROLES:
        # As everywhere: an organization where she has no role is one she cannot learn about.
        return None, None, _message(404, _("There is no such organization for you."))
    return None, user, None


def _open(request, org_slug: str, token: str | None):
    """(organization, app user, user, refusal) for a request to this organization's endpoints. A live
    token is read with its organization in one statement; anything else takes the long way, which
    tells a missing organization (404) from a refused caller (401)."""
    if token is not None:
        app_user = services.app_user_at(org_slug, token)
        if app_user is not None:
            return app_user.organization, app_user, None, None
    organization = _organization(org_slug)
    return organization, *_caller(request, organization, token)


def _base(request, organization: Organization, token: str | None) -> str:
    if token is not None:
        path = reverse("openrosa_key_root", kwargs={"org_slug": organization.slug, "token": token})
    else:
        path = reverse("openrosa_root", kwargs={"org_slug": organization.slug})
    return request.build_absolute_uri(path)


def _form(organization: Organization, form_pk: int, app_user) -> Form:
    form = queries.form_for_device(organization, form_pk, by_device=app_user is not None)
    if form is None or form.latest is None:
        raise Http404
    return form


@csrf_exempt
def form_list(request, org_slug: str, token: str | None = None):
    organization, app_user, _user, refusal = _open(request, org_slug, token)
    if refusal:
        return refusal
    base = _base(request, organization, token)
    items = []
    for form in queries.open_forms_for_device(organization, by_device=app_user is not None):
        version = form.latest
        if version is None:
            continue
        manifest = (
            f"<manifestUrl>{escape(base)}forms/{form.pk}/manifest</manifestUrl>"
            if version.media.exists()
            else ""
        )
        items.append(
            "<xform>"
            f"<formID>{escape(form.xml_form_id)}</formID>"
            f"<name>{escape(form.title)}</name>"
            f"<version>{escape(version.version)}</version>"
            f"<hash>md5:{version.md5}</hash>"
            f"<downloadUrl>{escape(base)}forms/{form.pk}/form.xml</downloadUrl>"
            f"{manifest}"
            "</xform>"
        )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<xforms xmlns="http://openrosa.org/xforms/xformsList">{"".join(items)}</xforms>'
    )
    return _headers(HttpResponse(body, content_type=XML))


@csrf_exempt
def form_download(request, org_slug: str, form_pk: int, token: str | None = None):
    organization, app_user, _user, refusal = _open(request, org_slug, token)
    if refusal:
        return refusal
    return _headers(HttpResponse(_form(organization, form_pk, app_user).latest.xml, content_type=XML))


@csrf_exempt
def manifest(request, org_slug: str, form_pk: int, token: str | None = None):
    organization, app_user, _user, refusal = _open(request, org_slug, token)
    if refusal:
        return refusal
    version = _form(organization, form_pk, app_user).latest
    base = _base(request, organization, token)
    files = "".join(
        "<mediaFile>"
        f"<filename>{escape(media.name)}</filename><hash>md5:{media.md5}</hash>"
        f"<downloadUrl>{escape(base)}forms/{form_pk}/media/{media.pk}</downloadUrl>"
        "</mediaFile>"
        for media in version.media.all()
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<manifest xmlns="http://openrosa.org/xforms/xformsManifest">{files}</manifest>'
    )
    return _headers(HttpResponse(body, content_type=XML))


@csrf_exempt
def media(request, org_slug: str, form_pk: int, media_pk: int, token: str | None = None):
    organization, app_user, _user, refusal = _open(request, org_slug, token)
    if refusal:
        return refusal
    version = _form(organization, form_pk, app_user).latest
    item = queries.media_for_device(version, media_pk)
    if item is None:
        raise Http404
    response = HttpResponse(bytes(item.data), content_type=item.content_type)
    response["Content-Disposition"] = f'attachment; filename="{item.name}"'
    return _headers(response)


@csrf_exempt
def submission(request, org_slug: str, token: str | None = None):
    organization, app_user, user, refusal = _open(request, org_slug, token)
    if refusal:
        return refusal
    if request.method == "HEAD":
        response = _headers(HttpResponse(status=204))
        response["X-OpenRosa-Accept-Content-Length"] = str(MAX_REQUEST_BYTES)
        return response
    if request.method != "POST":
        response = _message(405, _("Send submissions with POST."))
        response["Allow"] = "HEAD, POST"
        return response
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_REQUEST_BYTES:
        return _message(413, _("The submission is too large."))
    xml_file = request.FILES.get("xml_submission_file")
    if xml_file is None:
        return _message(400, _("The request has no xml_submission_file."))
    files = {}
    for name, upload in request.FILES.items():
        if name == "xml_submission_file":
            continue
        if upload.size > services.MAX_ATTACHMENT_BYTES:
            return _message(413, _("An attachment can be at most 20 MB."))
        files[upload.name] = (upload.read(), upload.content_type or "")
    try:
        received = services.receive(
            organization, xml=xml_file.read(), files=files, app_user=app_user, user=user
        )
    except ValidationError as error:
        text = " ".join(e.message for e in error.errors) or error.message
        return _message(413 if error.code == "too_large" else 400, text)
    except services.UnknownForm:
        return _message(404, _("This organization has no form with that form ID."))
    except services.ClosedForm:
        return _message(403, _("This form is not accepting submissions."))
    except services.NotAFiller as refusal_reason:
        return _message(403, str(refusal_reason))
    except services.SubmissionConflict as conflict:
        return _message(409, str(conflict))
    if received.created:
        return _message(201, _("Thank you: the submission is received."), "submit_success")
    return _message(201, _("This submission was already received; nothing was duplicated."), "submit_success")
