"""Reminders of deadlines due, by e-mail, naming the case by its number only."""

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core import audit
from doorstep.core.roles import ADMIN_ROLES
from doorstep.organizations.models import RoleAssignment

from ..models import FINISHED, CaseAction


def send_reminders(*, today: date | None = None) -> int:
    """E-mail the organizer who took up a case (or, if nobody did, the organization's admins) about
    deadlines due by tomorrow or already past, once a day at most. The message names the case by its
    number and organization only: no worker's details leave by e-mail. Returns the e-mails sent."""
    today = today or timezone.localdate()
    now = timezone.now()
    due = (
        CaseAction.objects.filter(
            deadline__isnull=False, deadline_done_at__isnull=True, deadline__lte=today + timedelta(days=1)
        )
        .exclude(case__status__in=FINISHED)
        .exclude(reminded_at__gte=now - timedelta(hours=20))
        .select_related("case__taken_by", "case__organization")
    )
    sent = 0
    for action in due:
        case = action.case
        people = (
            [case.taken_by]
            if case.taken_by and case.taken_by.email
            else [
                a.user
                for a in RoleAssignment.objects.filter(
                    organization=case.organization, role__in=ADMIN_ROLES, is_active=True
                ).select_related("user")
                if a.user.email
            ]
        )
        link = reverse("grievance", args=[case.organization.slug, case.pk])
        for person in people:
            send_mail(
                _("Deadline for case %(number)s on %(day)s")
                % {"number": case.number, "day": action.deadline.isoformat()},
                _(
                    "A deadline of case %(number)s (%(organization)s) falls on %(day)s. "
                    "Open the case: %(link)s"
                )
                % {
                    "number": case.number,
                    "organization": case.organization.name,
                    "day": action.deadline.isoformat(),
                    "link": f"{settings.BASE_URL}{link}",
                },
                settings.DEFAULT_FROM_EMAIL,
                [person.email],
            )
            sent += 1
        CaseAction.objects.filter(pk=action.pk).update(reminded_at=now)
        audit.record(
            "grievance.reminded",
            organization=case.organization_id,
            obj=action,
            metadata={"case_id": case.pk, "recipients": len(people)},
        )
    return sent
