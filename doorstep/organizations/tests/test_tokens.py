from datetime import timedelta

from django.db import connection
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from doorstep.core.models import AuditEvent
from doorstep.organizations import services
from doorstep.organizations.models import ApiToken


def _bearer(raw):
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_it_issues_a_token_that_works(world):
    response = Client().post(
        "/api/v1/auth/token",
        {"username": "alice", "password": PASSWORD, "name": "laptop", "expires_in_days": 30},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "laptop"
    assert body["expires_at"] is not None
    me = _bearer(body["token"]).get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["username"] == "alice"
    assert me.json()["roles"] == [
        {"organization": {"id": world.org_a.pk, "slug": "union-a", "name": "Union A"}, "role": "org_admin"}
    ]


def test_it_stores_only_a_hash_of_the_token(world):
    body = (
        Client()
        .post(
            "/api/v1/auth/token", {"username": "alice", "password": PASSWORD}, content_type="application/json"
        )
        .json()
    )
    token = ApiToken.objects.get(pk=body["id"])
    assert token.key_hash != body["token"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM organizations_apitoken")
        dump = repr(cursor.fetchall())
    assert body["token"] not in dump
    assert body["token"][12:] not in dump


def test_a_revoked_token_is_refused_at_once(world, api):
    response = Client().post(
        "/api/v1/auth/token", {"username": "alice", "password": PASSWORD}, content_type="application/json"
    )
    client = _bearer(response.json()["token"])
    assert client.delete(f"/api/v1/tokens/{response.json()['id']}").status_code == 200
    answer = client.get("/api/v1/me")
    assert answer.status_code == 401
    assert answer.json() == {
        "detail": "This token has been revoked.",
        "code": "unauthenticated",
        "errors": [],
    }
    assert AuditEvent.objects.filter(action="token.revoked", actor_id=world.admin_a.pk).exists()


def test_an_expired_token_is_refused(world):
    body = (
        Client()
        .post(
            "/api/v1/auth/token",
            {"username": "alice", "password": PASSWORD, "expires_in_days": 1},
            content_type="application/json",
        )
        .json()
    )
    ApiToken.objects.filter(pk=body["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    answer = _bearer(body["token"]).get("/api/v1/me")
    assert answer.status_code == 401
    assert answer.json()["detail"] == "This token has expired."


def test_an_unknown_token_and_no_token_are_refused(world):
    assert _bearer("dst_made-up").get("/api/v1/me").json()["detail"] == "This token is not valid."
    answer = Client().get("/api/v1/me")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"].startswith("Bearer")


def test_a_token_of_a_deactivated_user_is_refused(world, api):
    client = api(world.organizer_a)
    world.organizer_a.is_active = False
    world.organizer_a.save()
    assert client.get("/api/v1/me").status_code == 401


def test_it_rejects_a_token_request_without_a_password(world):
    response = Client().post("/api/v1/auth/token", {"username": "alice"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "body.payload.password", "message": "Field required"}]
    assert not ApiToken.objects.exists()


def test_another_users_token_cannot_be_revoked(world, api):
    _, raw = services.issue_token(world.admin_b, name="bob's", actor=world.admin_b)
    bobs = ApiToken.objects.get(user=world.admin_b)
    response = api(world.admin_a).delete(f"/api/v1/tokens/{bobs.pk}")
    assert response.status_code == 404
    bobs.refresh_from_db()
    assert bobs.revoked_at is None
    assert _bearer(raw).get("/api/v1/me").status_code == 200


def test_tokens_page_creates_shows_once_and_revokes(world, login):
    client = login(world.admin_a)
    page = client.post("/account/tokens/", {"name": "phone script", "expires_in_days": ""})
    assert page.status_code == 200
    token = ApiToken.objects.get(user=world.admin_a, name="phone script")
    html = page.content.decode()
    assert token.prefix in html
    raw = html.split('<code class="token">')[1].split("</code>")[0]
    assert _bearer(raw).get("/api/v1/me").status_code == 200
    assert raw not in client.get("/account/tokens/").content.decode()  # shown once
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    assert _bearer(raw).get("/api/v1/me").status_code == 401


def test_tokens_page_requires_a_name(world, login):
    page = login(world.admin_a).post("/account/tokens/", {"name": ""})
    assert "This field is required." in page.content.decode()
    assert not ApiToken.objects.filter(user=world.admin_a).exists()


def test_a_token_without_an_expiry_gets_the_default_lifetime(world, settings):
    settings.API_TOKEN_DEFAULT_DAYS = 30
    response = Client().post(
        "/api/v1/auth/token",
        {"username": "alice", "password": PASSWORD, "name": "laptop"},
        content_type="application/json",
    )
    token = ApiToken.objects.get(pk=response.json()["id"])
    expected = timezone.now() + timedelta(days=30)
    assert abs((token.expires_at - expected).total_seconds()) < 60


def test_a_token_cannot_mint_tokens(world, api):
    client = api(world.admin_a)
    response = client.post("/api/v1/tokens", {"name": "another"}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert ApiToken.objects.filter(user=world.admin_a).count() == 1  # the one the client uses


def test_the_session_still_creates_tokens_in_the_api(world, login):
    client = login(world.admin_a)
    csrf = client.get("/account/tokens/").cookies.get("csrftoken")
    response = client.post(
        "/api/v1/tokens",
        {"name": "from the browser"},
        content_type="application/json",
        headers={"X-CSRFToken": csrf.value} if csrf else {},
    )
    assert response.status_code == 201


def test_a_password_change_revokes_her_tokens(world, login):
    _token, raw = services.issue_token(world.admin_a, name="script", actor=world.admin_a)
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
    assert _bearer(raw).get("/api/v1/me").status_code == 401
    assert ApiToken.objects.get(user=world.admin_a).revoked_at is not None


def test_deactivating_her_last_role_revokes_her_tokens(world, login):
    _token, raw = services.issue_token(world.organizer_a, name="script", actor=world.organizer_a)
    assignment = world.organizer_a.role_assignments.get()
    services.set_person_active(assignment, active=False, actor=world.admin_a)
    assert ApiToken.objects.get(user=world.organizer_a).revoked_at is not None
    assert _bearer(raw).get("/api/v1/me").status_code == 401


def test_wrong_old_passwords_are_throttled_and_recorded_like_failed_logins(world, login):
    client = login(world.admin_a)
    for _ in range(5):
        wrong = client.post(
            "/accounts/password/",
            {
                "old_password": "guess",
                "new_password1": "a much longer new secret",
                "new_password2": "a much longer new secret",
            },
        )
        assert wrong.status_code == 200
    assert AuditEvent.objects.filter(action="auth.login_failed", actor_id=world.admin_a.pk).count() == 5
    refused = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a much longer new secret",
            "new_password2": "a much longer new secret",
        },
    )
    assert refused.status_code == 429
    world.admin_a.refresh_from_db()
    assert world.admin_a.check_password(PASSWORD)
