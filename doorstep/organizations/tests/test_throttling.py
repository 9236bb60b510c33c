"""Login throttling against someone who shares the proxy, sprays one password over many accounts or
many addresses over one account: per account and address (a lock the attacker puts on himself), per
account across addresses (a short backoff, never a long lock), per address across accounts, and per
organization's member login. The client's address comes from a trusted proxy's header only."""

import base64
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, make_user
from doorstep.core.models import AuditEvent, LoginFailure

PROXY = "10.0.0.1"


@pytest.fixture
def behind_proxy(settings):
    settings.CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]


def _login(username, password, *, remote=PROXY, forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    client = Client(REMOTE_ADDR=remote, headers=headers)
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_an_attacker_behind_the_proxy_does_not_lock_out_the_real_user(world, behind_proxy):
    for _ in range(5):
        _login("alice", "wrong", forwarded="203.0.113.5")
    assert _login("alice", PASSWORD, forwarded="203.0.113.5").status_code == 429
    assert _login("alice", PASSWORD, forwarded="198.51.100.7").status_code == 302


def test_the_address_is_the_last_one_not_a_trusted_proxy(world, behind_proxy):
    # A client can write anything at the left of the header; only what the proxy added counts.
    for n in range(5):
        _login("alice", "wrong", forwarded=f"192.0.2.{n}, 203.0.113.5, 10.0.0.2")
    assert _login("alice", PASSWORD, forwarded="192.0.2.99, 203.0.113.5").status_code == 429
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {"203.0.113.5"}


def test_by_default_no_proxy_is_trusted(world):
    for n in range(5):
        _login("alice", "wrong", remote="192.0.2.1", forwarded=f"203.0.113.{n}")
    assert _login("alice", PASSWORD, remote="192.0.2.1", forwarded="198.51.100.7").status_code == 429


def test_an_untrusted_sender_cannot_choose_its_address(world, behind_proxy):
    for n in range(5):
        _login("alice", "wrong", remote="192.0.2.1", forwarded=f"203.0.113.{n}")
    assert _login("alice", PASSWORD, remote="192.0.2.1", forwarded="198.51.100.7").status_code == 429


def test_one_address_spraying_one_password_over_many_accounts_is_throttled(world, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    for n in range(30):
        make_user(f"user{n}")
    statuses = [_login(f"user{n}", "123456", remote="192.0.2.1").status_code for n in range(30)]
    assert statuses[:20] == [200] * 20 and set(statuses[20:]) == {429}
    # Another address is not affected.
    assert _login("alice", PASSWORD, remote="192.0.2.2").status_code == 302


def test_many_addresses_against_one_account_meet_a_backoff_not_a_lock(world, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 10
    for n in range(11):
        assert _login("alice", "wrong", remote=f"192.0.2.{n}").status_code == 200
    refused = _login("alice", PASSWORD, remote="198.51.100.7")
    assert refused.status_code == 429
    event = AuditEvent.objects.filter(action="auth.login_refused").last()
    assert event.metadata == {"reason": "throttled", "scope": "account"}
    # The wait doubles with each failure (2 s after 1 beyond the limit) and is capped: no long lock.
    LoginFailure.objects.update(failed_at=timezone.now() - timedelta(seconds=5))
    assert _login("alice", PASSWORD, remote="198.51.100.7").status_code == 302


def test_the_account_backoff_is_capped(world, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 2
    settings.LOGIN_BACKOFF_MAX_SECONDS = 60
    for n in range(30):
        _login("alice", "wrong", remote=f"192.0.2.{n}")
    LoginFailure.objects.update(failed_at=timezone.now() - timedelta(seconds=61))
    assert _login("alice", PASSWORD, remote="198.51.100.7").status_code == 302


def test_the_pin_spray_at_a_member_login_is_throttled_per_address(world, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    client = Client(REMOTE_ADDR="192.0.2.1")
    statuses = [
        client.post("/orgs/union-a/login/", {"phone": f"+9198000{n:05d}", "pin": "123456"}).status_code
        for n in range(25)
    ]
    assert statuses[:20] == [200] * 20 and set(statuses[20:]) == {429}


def test_a_member_login_under_attack_from_everywhere_slows_down(world, settings):
    settings.MEMBER_LOGIN_FAILURE_LIMIT = 10
    for n in range(12):
        Client(REMOTE_ADDR=f"192.0.2.{n}").post(
            "/orgs/union-a/login/", {"phone": f"+9198000{n:05d}", "pin": "480271"}
        )
    response = Client(REMOTE_ADDR="198.51.100.7").post(
        "/orgs/union-a/login/", {"phone": "+919800099999", "pin": "480271"}
    )
    assert response.status_code == 429
    # Another organization's member login is not affected, and the wait is short.
    other = Client(REMOTE_ADDR="198.51.100.7").post(
        "/orgs/coop-b/login/", {"phone": "+254700000001", "pin": "480271"}
    )
    assert other.status_code == 200
    LoginFailure.objects.update(failed_at=timezone.now() - timedelta(seconds=5))
    again = Client(REMOTE_ADDR="198.51.100.7").post(
        "/orgs/union-a/login/", {"phone": "+919800099999", "pin": "480271"}
    )
    assert again.status_code == 200


def test_openrosa_basic_logins_behind_the_proxy_lock_only_the_attacker(world, behind_proxy):
    def basic(password, forwarded):
        raw = base64.b64encode(f"olga:{password}".encode()).decode()
        client = Client(
            REMOTE_ADDR=PROXY, headers={"Authorization": f"Basic {raw}", "X-Forwarded-For": forwarded}
        )
        return client.get("/openrosa/union-a/formList", secure=True)

    for _ in range(5):
        assert basic("wrong", "203.0.113.5").status_code == 401
    assert basic(PASSWORD, "203.0.113.5").status_code == 429
    assert basic(PASSWORD, "198.51.100.7").status_code == 200
    assert AuditEvent.objects.filter(action="auth.login_failed", actor_id=world.organizer_a.pk).count() == 5
