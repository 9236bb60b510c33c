from decimal import Decimal

from doorstep.market.models import Product


def _body(**fields):
    return {
        "name": "Sisal basket",
        "sector": "handicrafts",
        "standard_minutes": "120",
        "hourly_wage": "100",
        "materials_cost": "50",
        "margin_percent": "20",
        "currency": "INR",
        **fields,
    }


def test_the_price_is_built_up_from_the_fair_piece_rate(world, api):
    response = api(world.admin_a).post(
        f"/api/v1/market/products?organization_id={world.org_a.pk}", _body(), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    build = response.json()["price_build"]
    # 120 minutes ÷ 60 × 100 = 200 for the producers; + 50 materials; + 20 % of 250 = 50 margin.
    assert Decimal(build["producers_share"]) == Decimal("200")
    assert Decimal(build["margin"]) == Decimal("50")
    assert Decimal(build["built_up"]) == Decimal("300")
    assert Decimal(response.json()["price"]) == Decimal("300")
    assert Decimal(build["producers_percent"]) == Decimal("66.7")


def test_a_price_below_the_producers_fair_share_is_refused_without_a_reason(world, api):
    response = api(world.admin_a).post(
        f"/api/v1/market/products?organization_id={world.org_a.pk}",
        _body(price="200"),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "below_fair_share"
    assert response.json()["errors"][0]["field"] == "below_fair_reason"
    assert not Product.objects.exists()


def test_a_price_below_the_fair_share_is_kept_with_its_reason(world, api):
    response = api(world.admin_a).post(
        f"/api/v1/market/products?organization_id={world.org_a.pk}",
        _body(price="200", below_fair_reason="Clearance of last year's stock"),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["price_build"]["below_fair_share"] is True
    assert Product.objects.get().below_fair_reason == "Clearance of last year's stock"


def test_the_product_page_shows_the_producers_share(world, login, product):
    made = product()
    response = login(world.admin_a).get(f"/orgs/union-a/market/products/{made.pk}/")
    assert response.status_code == 200
    assert "64.9% of the price reaches the producers." in response.content.decode()


def test_a_product_is_added_through_the_page(world, login):
    response = login(world.organizer_a).post(
        "/orgs/union-a/market/",
        {**_body(), "minimum_order": "5", "lead_time_days": "10"},
    )
    assert response.status_code == 302
    assert Product.objects.get().minimum_order == 5


def test_the_page_names_the_field_of_a_bad_price(world, login):
    response = login(world.organizer_a).post(
        "/orgs/union-a/market/", {**_body(price="10"), "minimum_order": "1", "lead_time_days": "1"}
    )
    assert response.status_code == 422
    assert "cannot get their fair share" in response.content.decode()
    assert not Product.objects.exists()


def test_another_organizations_group_cannot_make_a_product(world, api, register):
    member_b = register(full_name="Achieng Otieno", organization=world.org_b, group="Kisumu weavers")
    response = api(world.admin_a).post(
        f"/api/v1/market/products?organization_id={world.org_a.pk}",
        _body(producer_groups=[member_b.group_id]),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "producer_groups"


def test_another_organizations_product_is_404(world, api, product):
    made = product()
    response = api(world.admin_b).get(f"/api/v1/market/products/{made.pk}?organization_id={world.org_b.pk}")
    assert response.status_code == 404


def test_translations_are_kept_per_language(world, api):
    body = _body(translations={"sw": {"name": "Kikapu cha mkonge", "story": "Kimetengenezwa na kikundi."}})
    response = api(world.admin_a).post(
        f"/api/v1/market/products?organization_id={world.org_a.pk}", body, content_type="application/json"
    )
    assert Product.objects.get(pk=response.json()["id"]).text_in("sw")[0] == "Kikapu cha mkonge"
