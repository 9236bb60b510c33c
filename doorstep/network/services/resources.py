"""The resource library: documents and links with their languages, countries, topics and audience;
an uploaded file is checked by its first bytes. Every change is audited."""

from django.conf import global_settings
from django.db import transaction
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.html import clean_html
from doorstep.core.inputs import country_code, web_link
from doorstep.core.roles import Role
from doorstep.core.uploads import MAX_DOCUMENT_BYTES, check_document
from doorstep.organizations.models import Organization

from ..models import Resource, ResourceFile, Topic

RESOURCE_ROLES = frozenset({Role.ORGANIZER, Role.ORG_ADMIN})


def _codes(values, field: str, check) -> list[str]:
    """Codes from a list or a comma-separated text, each checked by ``check`` (code or "" when
    unknown); one error naming every unknown value."""
    if isinstance(values, str):
        values = values.split(",")
    codes, unknown = [], []
    for raw in values or []:
        text = str(raw).strip()
        if not text:
            continue
        code = check(text)
        if code:
            if code not in codes:
                codes.append(code)
        else:
            unknown.append(text)
    if unknown:
        message = (
            _("Unknown country: %(values)s.") if field == "countries" else _("Unknown language: %(values)s.")
        ) % {"values": ", ".join(unknown)}
        raise ValidationError.for_field(field, message)
    return codes


def _language_code(text: str) -> str:
    code = text.lower().replace("_", "-")
    known = {c for c, _name in global_settings.LANGUAGES}
    return code if code in known else ""


def _resource_fields(data: dict) -> dict:
    fields, errors = {}, []
    if "title" in data:
        fields["title"] = (data["title"] or "").strip()[:200]
        if not fields["title"]:
            errors.append(FieldError("title", _("A resource needs a title.")))
    if "summary" in data:
        fields["summary"] = clean_html(data["summary"] or "")
    if "kind" in data:
        if data["kind"] not in Resource.Kind.values:
            errors.append(FieldError("kind", _("Unknown kind of resource.")))
        fields["kind"] = data["kind"]
    if "audience" in data:
        if data["audience"] not in Resource.Audience.values:
            errors.append(FieldError("audience", _("Unknown audience.")))
        fields["audience"] = data["audience"]
    if "link" in data:
        fields["link"] = web_link(data["link"], "link", errors)
    if "topics" in data:
        unknown = [t for t in data["topics"] or [] if t not in Topic.values]
        if unknown:
            errors.append(
                FieldError("topics", _("Unknown topic: %(values)s.") % {"values": ", ".join(unknown)})
            )
        fields["topics"] = [t for t in Topic.values if t in (data["topics"] or [])]
    for name, check in (("languages", _language_code), ("countries", country_code)):
        if name in data:
            try:
                fields[name] = _codes(data[name], name, check)
            except ValidationError as error:
                errors.extend(error.errors)
    if errors:
        raise ValidationError(message=_("The resource could not be saved."), errors=errors)
    return fields


def _stored_file(upload) -> tuple[str, str, bytes] | None:
    """(name, content type, bytes) of an uploaded file checked by its first bytes, or None."""
    if upload is None:
        return None

    data = upload.read(MAX_DOCUMENT_BYTES + 1)
    name, content_type = check_document(getattr(upload, "name", ""), data)
    return name, content_type, data


def save_resource(organization: Organization, *, data: dict, upload=None, resource=None, actor):
    """Add a resource to the organization's library, or change one (only the fields given; a new
    file replaces the old). A resource needs a file or a link."""
    tenancy.require_role(actor, organization, RESOURCE_ROLES)
    if resource is None:
        data = {
            "summary": "",
            "link": "",
            "languages": [],
            "topics": [],
            "countries": [],
            "audience": "public",
            **data,
        }
        for required in ("title", "kind"):
            data.setdefault(required, "")
    fields = _resource_fields(data)
    stored = _stored_file(upload)
    has_file = stored is not None or (resource is not None and resource.file_size > 0)
    link = fields.get("link", resource.link if resource is not None else "")
    if not has_file and not link:
        raise ValidationError.for_field("link", _("Give a file or a link."))
    with transaction.atomic():
        if resource is None:
            resource = Resource(organization=organization, created_by=actor)
        for name, value in fields.items():
            setattr(resource, name, value)
        if stored is not None:
            resource.file_name, resource.file_type = stored[0], stored[1]
            resource.file_size = len(stored[2])
        resource.save()
        if stored is not None:
            ResourceFile.objects.update_or_create(
                resource=resource, defaults={"organization": organization, "content": stored[2]}
            )
        audit.record(
            "resource.saved",
            actor=actor,
            organization=organization,
            obj=resource,
            metadata={"fields": sorted(fields), "file": stored is not None, "audience": resource.audience},
        )
    return resource


def delete_resource(resource, *, actor) -> None:
    tenancy.require_role(actor, resource.organization_id, RESOURCE_ROLES)
    with transaction.atomic():
        audit.record("resource.deleted", actor=actor, organization=resource.organization_id, obj=resource)
        resource.delete()
