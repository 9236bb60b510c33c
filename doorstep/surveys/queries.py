"""Reads of surveys. Staff reads go through the acting user (``core.tenancy``); the OpenRosa
endpoints, which authenticate each request by token or password instead of a session, read
through ``for_device`` functions given the organization the caller was admitted to."""

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet

from doorstep.core import tenancy
from doorstep.core.roles import STAFF_ROLES

from .models import (
    AppUser,
    Attachment,
    Export,
    Fillers,
    Form,
    FormState,
    FormVersion,
    MediaFile,
    Submission,
)


def forms_of(user, organization) -> QuerySet[Form]:
    return (
        tenancy.scoped(Form, user, organization, roles=STAFF_ROLES)
        .annotate(submission_count=Count("submissions"))
        .order_by("title", "pk")
    )


def get_form(user, form_id, organization=None) -> Form:
    return tenancy.get_scoped_or_404(Form, user, form_id, organization, roles=STAFF_ROLES)


def get_version(user, version_id, organization=None) -> FormVersion:
    return tenancy.get_scoped_or_404(FormVersion, user, version_id, organization, roles=STAFF_ROLES)


def app_users_of(user, organization) -> QuerySet[AppUser]:
    return tenancy.scoped(AppUser, user, organization, roles=STAFF_ROLES).order_by("revoked_at", "name", "pk")


def get_app_user(user, app_user_id, organization=None) -> AppUser:
    return tenancy.get_scoped_or_404(AppUser, user, app_user_id, organization, roles=STAFF_ROLES)


def submissions_of(user, form: Form) -> QuerySet[Submission]:
    return (
        tenancy.scoped(Submission, user, form.organization_id, roles=STAFF_ROLES)
        .filter(form=form, current=True)
        .select_related("subject_key", "version", "app_user", "submitted_by", "member")
    )


def filter_submissions(queryset: QuerySet[Submission], filters: dict) -> QuerySet[Submission]:
    """Filters that need no decryption: when it was received, by which phone or person, for which member."""
    if filters.get("received_from"):
        queryset = queryset.filter(received_at__date__gte=filters["received_from"])
    if filters.get("received_to"):
        queryset = queryset.filter(received_at__date__lte=filters["received_to"])
    if filters.get("app_user"):
        queryset = queryset.filter(app_user_id=filters["app_user"])
    if filters.get("submitted_by"):
        queryset = queryset.filter(submitted_by_id=filters["submitted_by"])
    if filters.get("member"):
        queryset = queryset.filter(member_id=filters["member"])
    return queryset


def get_submission(user, submission_id, organization=None) -> Submission:
    return tenancy.get_scoped_or_404(
        Submission,
        user,
        submission_id,
        organization,
        roles=STAFF_ROLES,
        select_related=("subject_key", "form", "version", "app_user", "submitted_by"),
    )


def get_attachment(user, attachment_id, organization=None) -> Attachment:
    return tenancy.get_scoped_or_404(
        Attachment,
        user,
        attachment_id,
        organization,
        roles=STAFF_ROLES,
        select_related=("submission__subject_key",),
    )


# For devices (the caller's organization is already established) ------------------------------------


def _fillable(by_device: bool) -> list[str]:
    return [Fillers.ANYONE, Fillers.DEVICES if by_device else Fillers.STAFF]


def open_forms_for_device(organization, *, by_device: bool) -> QuerySet[Form]:
    """The open forms this caller may fill: an enrolled phone (``by_device``) or a staff login."""
    return Form.objects.filter(
        organization=organization, state=FormState.OPEN, fillers__in=_fillable(by_device)
    ).order_by("title", "pk")


def form_for_device(organization, form_pk, *, by_device: bool) -> Form | None:
    return Form.objects.filter(
        organization=organization, pk=form_pk, fillers__in=_fillable(by_device)
    ).first()


def media_for_device(version: FormVersion, media_pk) -> MediaFile | None:
    return MediaFile.objects.filter(version=version, pk=media_pk).first()


def exports_of(user, form: Form) -> QuerySet[Export]:
    return (
        tenancy.scoped(Export, user, form.organization_id, roles=STAFF_ROLES)
        .filter(form=form)
        .select_related("requested_by")
    )


def get_export(user, export_id, organization=None) -> Export:
    return tenancy.get_scoped_or_404(
        Export, user, export_id, organization, roles=STAFF_ROLES, select_related=("form", "file_key")
    )


def submitters_of(user, form: Form):
    """The people who sent submissions to the form with their own login (for the filter)."""
    ids = submissions_of(user, form).exclude(submitted_by=None).values("submitted_by").distinct()
    return get_user_model().objects.filter(pk__in=ids).order_by("username")
