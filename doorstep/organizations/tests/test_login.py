from datetime import timedelta

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from doorstep.core.models import AuditEvent, LoginFailure


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _token(client, username, password):
    return client.post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )


def test_it_logs_in_and_audits(world):
    client = Client()
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.admin_a.pk)
    event = AuditEvent.objects.filter(action="auth.login").last()
    assert event.actor_id == world.admin_a.pk


def test_it_rejects_a_wrong_password_with_a_message_and_audits(world):
    client = Client()
    response = _login(client, "alice", "wrong")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "The username or password is not right." in response.content.decode()
    event = AuditEvent.objects.filter(action="auth.login_failed").last()
    assert event.actor_id == world.admin_a.pk
    assert event.metadata == {"known_user": True}


def test_it_rejects_an_unknown_user_without_naming_it_in_the_log(world):
    response = _login(Client(), "nobody-here", "whatever")
    assert "The username or password is not right." in response.content.decode()
    event = AuditEvent.objects.filter(action="auth.login_failed").last()
    assert event.actor_id is None
    assert "nobody-here" not in str(event.metadata)


def test_it_refuses_a_deactivated_account(world):
    world.organizer_a.is_active = False
    world.organizer_a.save()
    assert _login(Client(), "olga", PASSWORD).status_code == 200
    assert _token(Client(), "olga", PASSWORD).status_code == 422


def test_it_locks_the_page_after_five_failures(world):
    client = Client()
    for _ in range(5):
        assert _login(client, "alice", "wrong").status_code == 200
    response = _login(client, "alice", PASSWORD)  # even the right password is refused now
    assert response.status_code == 429
    assert "Too many failed logins. Try again in 15 minutes." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.login_refused").count() == 1


def test_the_lock_is_per_address(world):
    for _ in range(5):
        _login(Client(REMOTE_ADDR="10.0.0.1"), "alice", "wrong")
    assert _login(Client(REMOTE_ADDR="10.0.0.1"), "alice", PASSWORD).status_code == 429
    assert _login(Client(REMOTE_ADDR="10.0.0.2"), "alice", PASSWORD).status_code == 302


def test_the_lock_ends_after_fifteen_minutes(world):
    for _ in range(5):
        _login(Client(), "alice", "wrong")
    LoginFailure.objects.update(failed_at=timezone.now() - timedelta(minutes=15, seconds=1))
    assert _login(Client(), "alice", PASSWORD).status_code == 302
    assert LoginFailure.objects.count() == 0  # a success clears the count


def test_failures_spread_over_more_than_the_window_do_not_lock(world):
    for minutes_ago in (40, 30, 20, 10):
        _login(Client(), "alice", "wrong")
        LoginFailure.objects.filter(failed_at__gt=timezone.now() - timedelta(seconds=5)).update(
            failed_at=timezone.now() - timedelta(minutes=minutes_ago)
        )
    _login(Client(), "alice", "wrong")
    assert _login(Client(), "alice", PASSWORD).status_code == 302


def test_the_api_token_endpoint_is_throttled_too(world):
    for _ in range(5):
        response = _token(Client(), "alice", "wrong")
        assert response.status_code == 422
        assert response.json()["code"] == "invalid_login"
    response = _token(Client(), "alice", PASSWORD)
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 14 * 60
    assert "Too many failed logins" in response.json()["detail"]


def test_page_and_api_share_one_count(world):
    for _ in range(3):
        _login(Client(), "alice", "wrong")
    for _ in range(2):
        _token(Client(), "alice", "wrong")
    assert _login(Client(), "alice", PASSWORD).status_code == 429


@pytest.mark.real_hashers
def test_passwords_are_hashed_with_argon2(db):
    from conftest import make_user

    user = make_user("hashme")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_logout_is_audited(world, login):
    client = login(world.admin_a)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.logout", actor_id=world.admin_a.pk).exists()
    assert client.get("/account/").status_code == 302


def test_password_change_is_audited(world, login):
    client = login(world.admin_a)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a much longer new secret",
            "new_password2": "a much longer new secret",
        },
    )
    assert response.status_code == 302
    world.admin_a.refresh_from_db()
    assert world.admin_a.check_password("a much longer new secret")
    assert AuditEvent.objects.filter(action="auth.password_changed", actor_id=world.admin_a.pk).exists()


def test_the_admin_site_logs_in_through_the_throttled_form(world):
    client = Client()
    for _ in range(5):
        client.post("/admin/login/", {"username": "root", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 429
