"""Login throttling, shared by the login page and the API's token endpoint.

After ``LOGIN_FAILURE_LIMIT`` failures for one username from one address within
``LOGIN_FAILURE_WINDOW_SECONDS``, further tries are refused until that window has passed since the
last of them. Refused tries are not counted, so the lock does not extend itself. The record lives
in the database, so every worker process sees the same count.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .models import LoginFailure


def _key(username: str) -> str:
    return username.strip().lower()[:150]


def locked_until(username: str, address: str | None) -> datetime | None:
    """When the lock on this username and address ends, or None if it is not locked."""
    limit = settings.LOGIN_FAILURE_LIMIT
    window = timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = list(
        LoginFailure.objects.filter(username=_key(username), address=address)
        .order_by("-failed_at")
        .values_list("failed_at", flat=True)[:limit]
    )
    if len(recent) < limit or recent[0] - recent[-1] > window:
        return None
    until = recent[0] + window
    return until if until > timezone.now() else None


def record_failure(username: str, address: str | None) -> None:
    now = timezone.now()
    stale = now - 2 * timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    LoginFailure.objects.filter(username=_key(username), address=address, failed_at__lt=stale).delete()
    LoginFailure.objects.create(username=_key(username), address=address, failed_at=now)


def clear_failures(username: str, address: str | None) -> None:
    LoginFailure.objects.filter(username=_key(username), address=address).delete()


def clear_account(username: str) -> None:
    """Forget every failure for this account (her PIN was reset by her organization)."""
    LoginFailure.objects.filter(username=_key(username)).delete()


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def allow(key: str, address: str | None, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt at ``key`` (a public form, a status lookup) from ``address``: False once more
    than ``limit`` were made in the last ``window_seconds`` (the refused ones count too, so a flood
    stays refused). Kept in the same table as login failures, under keys that cannot be usernames."""
    now = timezone.now()
    window = timedelta(seconds=window_seconds)
    name = f"~{key}"[:150]
    LoginFailure.objects.filter(username=name, failed_at__lt=now - 2 * window).delete()
    LoginFailure.objects.create(username=name, address=address, failed_at=now)
    return (
        LoginFailure.objects.filter(username=name, address=address, failed_at__gte=now - window).count()
        <= limit
    )
