"""Login throttling, shared by the login page, the member login, the API's token endpoint, OpenRosa's
Basic logins and the password change; and ``allow``, a counter for public forms.

Failed logins are counted four ways, each against a different attacker:

- one account from one address: after ``LOGIN_FAILURE_LIMIT`` failures within
  ``LOGIN_FAILURE_WINDOW_SECONDS`` that address is locked out of that account for the window (the
  attacker locks himself, not the real user at another address);
- one account from anywhere: beyond ``LOGIN_ACCOUNT_FAILURE_LIMIT`` failures in the window, each try
  waits 2^(failures beyond the limit) seconds after the last failure, at most
  ``LOGIN_BACKOFF_MAX_SECONDS``: guessing from many addresses is slowed, the owner waits minutes at most;
- one address across accounts: after ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures in the window the
  address is refused everywhere (one PIN sprayed over many accounts);
- one organization's member login: beyond ``MEMBER_LOGIN_FAILURE_LIMIT`` failures in the window, the
  same backoff as an account (a spray from many addresses).

Refused tries are not counted, so a lock does not extend itself. The address is the client's, from
a trusted proxy's header (``client_address``). The record lives in the database, so every worker
process sees the same count.
"""

import ipaddress
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .models import LoginFailure


def _key(username: str) -> str:
    return username.strip().lower()[:150]


def _scope_key(scope: str) -> str:
    # A leading "~" marks keys that cannot be usernames (kept out of the per-address count).
    return f"~{scope}"[:150]


def _window() -> timedelta:
    return timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def _locked_after(failures, limit: int) -> datetime | None:
    """Until when ``limit`` failures (newest first) within the window lock, or None."""
    recent = list(failures.order_by("-failed_at").values_list("failed_at", flat=True)[:limit])
    if len(recent) < limit or recent[0] - recent[-1] > _window():
        return None
    return recent[0] + _window()


def _backoff_after(failures, limit: int) -> datetime | None:
    """Until when the backoff beyond ``limit`` failures in the window holds, or None."""
    now = timezone.now()
    in_window = failures.filter(failed_at__gte=now - _window())
    count = in_window.count()
    if count <= limit:
        return None
    last = in_window.order_by("-failed_at").values_list("failed_at", flat=True).first()
    wait = min(2 ** min(count - limit, 30), settings.LOGIN_BACKOFF_MAX_SECONDS)
    return last + timedelta(seconds=wait)


def locked_until(
    username: str, address: str | None, *, scope: str | None = None
) -> tuple[datetime, str] | None:
    """When the latest lock on a try at this username from this address (through the login
    ``scope``, such as an organization's member login) ends, and which count set it; None if free."""
    now = timezone.now()
    account = LoginFailure.objects.filter(username=_key(username))
    checks = [
        ("account_address", _locked_after(account.filter(address=address), settings.LOGIN_FAILURE_LIMIT)),
        ("account", _backoff_after(account, settings.LOGIN_ACCOUNT_FAILURE_LIMIT)),
    ]
    if address is not None:
        by_address = LoginFailure.objects.filter(address=address).exclude(username__startswith="~")
        checks.append(("address", _locked_after(by_address, settings.LOGIN_ADDRESS_FAILURE_LIMIT)))
    if scope is not None:
        at_scope = LoginFailure.objects.filter(username=_scope_key(scope))
        checks.append(("member_login", _backoff_after(at_scope, settings.MEMBER_LOGIN_FAILURE_LIMIT)))
    locks = [(until, name) for name, until in checks if until is not None and until > now]
    return max(locks) if locks else None


def record_failure(username: str, address: str | None, *, scope: str | None = None) -> None:
    now = timezone.now()
    stale = now - 2 * _window()
    LoginFailure.objects.filter(username=_key(username), failed_at__lt=stale).delete()
    LoginFailure.objects.create(username=_key(username), address=address, failed_at=now)
    if scope is not None:
        LoginFailure.objects.filter(username=_scope_key(scope), failed_at__lt=stale).delete()
        LoginFailure.objects.create(username=_scope_key(scope), address=None, failed_at=now)


def clear_failures(username: str, address: str | None) -> None:
    LoginFailure.objects.filter(username=_key(username), address=address).delete()


def clear_account(username: str) -> None:
    """Forget every failure for this account (her PIN was reset by her organization)."""
    LoginFailure.objects.filter(username=_key(username)).delete()


@cache
def _trusted_networks(proxies: tuple[str, ...]) -> tuple:
    try:
        return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies)
    except ValueError as error:
        raise ImproperlyConfigured(f"DOORSTEP_TRUSTED_PROXIES: {error}") from None


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request) -> str | None:
    """The client's address: ``REMOTE_ADDR``, unless that is a trusted proxy
    (``TRUSTED_PROXIES``), in which case the last address in ``CLIENT_ADDRESS_HEADER`` (such as
    ``X-Forwarded-For``) that is not itself a trusted proxy. What a client writes at the left of the
    header is never believed, and by default no proxy is trusted."""
    address = request.META.get("REMOTE_ADDR") or None
    header = settings.CLIENT_ADDRESS_HEADER
    if not header or address is None or not _is_trusted(address):
        return address
    forwarded = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        try:
            hop = str(ipaddress.ip_address(hop))
        except ValueError:
            break  # a malformed hop: believe nothing further left
        if not _is_trusted(hop):
            return hop
        address = hop
    return address


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
