"""Events and trainings: the event, who is sent to it (the name given is sealed; reading it is
audited) and attendance; and a member's rights over her registrations (registered with core.rights)."""

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from doorstep.core import audit, tenancy, vault
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.html import clean_html
from doorstep.core.inputs import web_link
from doorstep.core.roles import Role
from doorstep.members.models import Gender, Member
from doorstep.organizations.models import Organization

from ..models import Event, Registration, Resource

EVENT_ROLES = frozenset({Role.ORGANIZER, Role.ORG_ADMIN})
REGISTRATION_PURPOSE = "event.registration"


def _event_fields(data: dict, organization) -> dict:
    fields, errors = {}, []
    for name in ("title", "description", "place", "online_link", "kind"):
        if name in data:
            fields[name] = (data[name] or "").strip()
    if "title" in fields and not fields["title"]:
        errors.append(FieldError("title", _("An event needs a title.")))
    if "kind" in fields and fields["kind"] not in Event.Kind.values:
        errors.append(FieldError("kind", _("Unknown kind of event.")))
    if "description" in fields:
        fields["description"] = clean_html(fields["description"])
    if "online_link" in fields:
        fields["online_link"] = web_link(fields["online_link"], "online_link", errors)
    for name in ("starts_on", "ends_on", "is_public", "registration_open", "capacity"):
        if name in data:
            fields[name] = data[name]
    if "starts_on" in data and not data["starts_on"]:
        errors.append(FieldError("starts_on", _("An event needs a date.")))
    if fields.get("capacity") is not None and fields["capacity"] < 1:
        errors.append(FieldError("capacity", _("Give at least one place, or leave it blank for no limit.")))
    related = {}
    for name in ("co_organizers", "invited"):
        if name in data:
            ids = [getattr(o, "pk", o) for o in data[name] or []]
            found = list(
                Organization.objects.filter(pk__in=ids, is_active=True)
                .exclude(pk=organization.pk)
                .exclude(kind=Organization.Kind.COMPANY)
            )
            if len(found) != len(set(ids) - {organization.pk}):
                errors.append(FieldError(name, _("Choose active organizations (not a company).")))
            related[name] = found
    if "materials" in data:
        ids = [getattr(r, "pk", r) for r in data["materials"] or []]
        found = list(
            Resource.objects.filter(pk__in=ids).filter(Q(organization=organization) | Q(audience="public"))
        )
        if len(found) != len(set(ids)):
            errors.append(FieldError("materials", _("Choose resources of your library or public ones.")))
        related["materials"] = found
    if errors:
        raise ValidationError(message=_("The event could not be saved."), errors=errors)
    return fields, related


def save_event(organization: Organization, *, data: dict, event=None, actor):
    """Create or change an event (only the fields given)."""
    tenancy.require_role(actor, organization, EVENT_ROLES)
    fields, related = _event_fields(data, organization)
    with transaction.atomic():
        if event is None:
            event = Event(organization=organization, created_by=actor, kind=Event.Kind.MEETING)
        for name, value in fields.items():
            setattr(event, name, value)
        if event.ends_on and event.starts_on and event.ends_on < event.starts_on:
            raise ValidationError.for_field("ends_on", _("The event cannot end before it starts."))
        event.save()
        for name, values in related.items():
            getattr(event, name).set(values)
        audit.record(
            "event.saved",
            actor=actor,
            organization=organization,
            obj=event,
            metadata={"fields": sorted(fields)},
        )
    return event


def _organizes(event, organization_id: int) -> bool:
    return event.organization_id == organization_id or event.co_organizers.filter(pk=organization_id).exists()


def register_person(event, organization: Organization, *, data: dict, actor):
    """The organization sends someone to the event: a member (by her record) or anyone else. The
    name given is sealed; the organizers read it to take attendance."""
    tenancy.require_role(actor, organization, EVENT_ROLES)
    if not (_organizes(event, organization.pk) or event.invited.filter(pk=organization.pk).exists()):
        raise ValidationError(
            message=_("This organization is not invited to this event."), code="not_invited"
        )
    if not event.registration_open:
        raise ValidationError(message=_("Registration for this event is closed."), code="closed")
    name = (data.get("name") or "").strip()
    errors = []
    member = data.get("member")
    if member is not None and member.organization_id != organization.pk:
        errors.append(FieldError("member", _("No such member.")))
    if not name:
        errors.append(FieldError("name", _("Give the name the organizers will know her by.")))
    gender = data.get("gender") or ""
    if gender and gender not in Gender.values:
        errors.append(FieldError("gender", _("Unknown gender.")))
    if errors:
        raise ValidationError(message=_("The registration could not be saved."), errors=errors)
    if isinstance(member, Member) and not gender:
        gender = member.gender or ""
    with transaction.atomic():
        locked = type(event).objects.select_for_update().get(pk=event.pk)
        if locked.capacity is not None and locked.registrations.count() >= locked.capacity:
            raise ValidationError(message=_("The event is full."), code="full")
        if member is not None and locked.registrations.filter(member=member).exists():
            raise ValidationError.for_field("member", _("She is already registered."))
        key = vault.new_subject_key(organization)
        registration = Registration.objects.create(
            organization=organization,
            event=locked,
            member=member,
            key=key,
            sealed=vault.seal(key, {"name": name[:200]}, purpose=REGISTRATION_PURPOSE),
            gender=gender,
            role=(data.get("role") or "").strip()[:100],
            registered_by=actor,
        )
        audit.record(
            "event.registered",
            actor=actor,
            organization=organization,
            obj=registration,
            metadata={"event_id": event.pk},
        )
    return registration


def _may_change_registration(registration, actor) -> None:
    roles = tenancy.roles_by_organization(actor)
    allowed = {registration.organization_id, registration.event.organization_id}
    allowed |= set(registration.event.co_organizers.values_list("pk", flat=True))
    if not any(roles.get(pk) in EVENT_ROLES for pk in allowed):
        raise Http404


def set_attendance(registration, *, attendance: str, actor):
    _may_change_registration(registration, actor)
    if attendance not in Registration.Attendance.values:
        raise ValidationError.for_field("attendance", _("Unknown attendance."))
    with transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(attendance=attendance)
        audit.record(
            "event.attendance",
            actor=actor,
            organization=registration.event.organization_id,
            obj=registration,
            metadata={"attendance": attendance},
        )
    registration.attendance = attendance
    return registration


def cancel_registration(registration, *, actor) -> None:
    _may_change_registration(registration, actor)
    with transaction.atomic():
        key = registration.key
        audit.record(
            "event.registration_cancelled",
            actor=actor,
            organization=registration.organization_id,
            obj=registration,
        )
        registration.delete()
        vault.shred(key)


def registration_names(registrations, *, actor, reason: str) -> dict[int, str]:
    """The names on registrations the actor may read (the caller checked), one audit event."""
    registrations = list(registrations)
    if not registrations:
        return {}
    names = {
        r.pk: vault.open_sealed(r.key, bytes(r.sealed), purpose=REGISTRATION_PURPOSE)["name"]
        for r in registrations
    }
    audit.record_reads(
        "event.names_read",
        actor=actor,
        rows=registrations,
        object_type="network.registration",
        ids_key="registration_ids",
        reason=reason,
    )
    return names


# A member's rights over her registrations (registered with core.rights).


def export_registrations(member) -> dict[str, list[dict]]:
    rows = []
    for registration in Registration.objects.filter(member=member).select_related("event", "key"):
        rows.append(
            {
                "event": registration.event.title,
                "kind": registration.event.kind,
                "starts_on": registration.event.starts_on.isoformat(),
                "name_given": vault.open_sealed(
                    registration.key, bytes(registration.sealed), purpose=REGISTRATION_PURPOSE
                )["name"],
                "role": registration.role,
                "attendance": registration.attendance,
            }
        )
    return {"events": rows}


def erase_registrations(member) -> None:
    for registration in Registration.objects.filter(member=member).select_related("key"):
        key = registration.key
        registration.delete()
        vault.shred(key)


def move_registrations(source, target) -> None:
    for registration in Registration.objects.filter(member=source):
        if Registration.objects.filter(event_id=registration.event_id, member=target).exists():
            key = registration.key
            registration.delete()
            vault.shred(key)
        else:
            Registration.objects.filter(pk=registration.pk).update(member=target)
