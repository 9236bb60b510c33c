"""Every error under /api/v1/ answers the API's JSON error shape, whatever raised it: an unknown
address (404), a body over the documented limit (413, before it is read), a request Django refuses
(400) and a bug (500). Pages keep their HTML pages."""

import json

import pytest
from django.test import Client


def _shape(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code and body["detail"] and isinstance(body["errors"], list)
    return body


def test_an_unknown_api_address_is_a_json_404():
    _shape(Client().get("/api/v1/no-such-thing"), 404, "not_found")


def test_a_page_that_does_not_exist_is_still_a_page():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_json_body_over_the_limit_is_a_json_413():
    big = json.dumps({"username": "x" * (5 * 1024 * 1024), "password": "y"})
    body = _shape(Client().post("/api/v1/auth/token", big, content_type="application/json"), 413, "too_large")
    assert "2.5 MB" in body["detail"]


def test_too_many_query_fields_is_a_json_400():
    query = "&".join(f"f{i}=1" for i in range(1500))
    _shape(Client().get(f"/api/v1/public/directory?{query}"), 400, "bad_request")


def test_a_bug_is_a_json_500(settings):
    settings.ROOT_URLCONF = "doorstep.core.tests.broken_urls"
    response = Client(raise_request_exception=False).get("/api/v1/broken/fails")
    body = _shape(response, 500, "server_error")
    assert "a bug" not in json.dumps(body)
