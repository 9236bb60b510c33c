from django.test import Client

from doorstep.organizations import services


def test_openapi_schema_and_docs_are_served_without_a_cdn(db):
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {
        "/api/v1/auth/token",
        "/api/v1/me",
        "/api/v1/organizations",
        "/api/v1/organizations/{organization_id}",
    } <= set(paths)
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_cursor_pagination_walks_every_row_once(world, api):
    for n in range(7):
        services.create_organization(
            name=f"Extra {n}", slug=f"extra-{n}", kind="association", actor=world.admin
        )
    client = api(world.admin)  # a platform admin sees every organization
    seen, cursor, pages = [], None, 0
    while True:
        response = client.get("/api/v1/organizations", {"limit": 3, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200
        body = response.json()
        assert len(body["items"]) <= 3
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            break
    assert pages == 4  # 11 organizations, 3 a page
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 11


def test_pagination_rejects_a_bad_limit_or_cursor(world, api):
    client = api(world.admin)
    for limit in (0, 501, "many"):
        response = client.get("/api/v1/organizations", {"limit": limit})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "query.limit"
    response = client.get("/api/v1/organizations", {"cursor": "not-a-cursor!"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "query.cursor", "message": "This cursor is not one this API gave out."}
    ]
    assert client.get("/api/v1/organizations", {"limit": 500}).status_code == 200


def test_errors_share_one_shape(world, api, login):
    client = api(world.admin_a)
    session = login(world.admin_a)  # tokens are made from a session only
    shapes = [
        client.get("/api/v1/organizations/999999"),
        Client().get("/api/v1/me"),
        session.post("/api/v1/tokens", "{not json", content_type="application/json"),
        session.post("/api/v1/tokens", {"name": ""}, content_type="application/json"),
    ]
    assert [r.status_code for r in shapes] == [404, 401, 400, 422]
    for response in shapes:
        body = response.json()
        assert set(body) == {"detail", "code", "errors"}
        assert all(set(e) == {"field", "message"} for e in body["errors"])
    assert shapes[2].json()["code"] == "malformed_json"
    assert shapes[3].json()["errors"][0]["field"] == "body.payload.name"


def test_session_auth_needs_csrf_for_writes(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin_a)
    assert client.get("/api/v1/me").status_code == 200
    assert client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json").status_code == 403


def test_money_is_a_decimal_string_with_a_currency():
    from decimal import Decimal

    from doorstep.core.schemas import Money

    assert Money(amount=Decimal("1.50"), currency="INR").model_dump(mode="json") == {
        "amount": "1.50",
        "currency": "INR",
    }
    assert Money.model_validate({"amount": "0.10", "currency": "KES"}).amount == Decimal("0.10")
