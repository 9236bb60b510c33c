import json
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from doorstep.core.models import AuditEvent
from doorstep.market import services
from doorstep.market.models import Inquiry

from .conftest import CANARY, jpeg_with_metadata


def _with_canary_group(register, product):
    """A product made by the group of a member whose name is the canary."""
    member = register(full_name=CANARY, group="Kibera beaders")
    return product(producer_groups=[member.group_id])


def test_the_catalogue_needs_no_login_and_shows_published_products(world, client, product):
    product(name="Shown bracelet")
    product(name="Draft necklace", published=False)
    response = client.get("/market/union-a/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Shown bracelet" in page and "Draft necklace" not in page


def test_the_catalogue_is_light_and_needs_no_script(world, client, product):
    for number in range(12):
        product(name=f"Product {number}", story="A long story of how it is made. " * 20)
    response = client.get("/market/union-a/")
    assert len(response.content) < 100 * 1024
    # Only the shell's optional enhancement script (deferred); nothing of the catalogue's own.
    assert re.findall(rb"<script[^>]*>", response.content) == [
        b'<script src="/static/doorstep/doorstep.js" defer>'
    ]


def test_an_organization_without_published_products_has_no_catalogue(world, client, product):
    product(published=False)
    assert client.get("/market/union-a/").status_code == 404
    assert client.get("/market/no-such-org/").status_code == 404


def test_an_unpublished_product_page_is_404(world, client, product):
    product(name="Shown")
    hidden = product(name="Hidden", published=False)
    assert client.get(f"/market/union-a/products/{hidden.pk}/").status_code == 404


def test_the_product_page_names_the_group_and_the_producers_share(world, client, register, product):
    made = _with_canary_group(register, product)
    page = client.get(f"/market/union-a/products/{made.pk}/").content.decode()
    assert "Kibera beaders" in page
    assert "of the price reaches the producers" in page


def test_no_public_page_or_feed_names_a_member(world, client, api, register, product):
    made = _with_canary_group(register, product)
    api(world.admin_a).post(
        f"/api/v1/market/products/{made.pk}/photos?organization_id={world.org_a.pk}",
        {"file": SimpleUploadedFile("p.jpg", jpeg_with_metadata())},
    )
    for url in (
        "/market/union-a/",
        f"/market/union-a/products/{made.pk}/",
        "/market/union-a/feed.csv",
        "/market/union-a/feed.json",
        "/market/union-a/inquiry/",
        "/api/v1/public/market/union-a/products",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert CANARY.encode() not in response.content, url
        assert b"Zawadi" not in response.content, url


def test_the_json_feed_lists_products_with_photo_links(world, client, product):
    product()
    data = json.loads(client.get("/market/union-a/feed.json").content)
    assert [p["name"] for p in data["products"]] == ["Beaded bracelet"]
    assert data["products"][0]["price"] == "77.00"


def test_the_csv_feed_defuses_formulas(world, client, product):
    product(name="=HYPERLINK(1)")
    text = client.get("/market/union-a/feed.csv").content.decode()
    assert text.splitlines()[0].startswith("id,name,story")
    assert ",'=HYPERLINK(1)," in text


def test_the_printable_catalogue_is_a_pdf(world, client, product):
    product()
    response = client.get("/market/union-a/catalogue.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_an_inquiry_reaches_the_organizations_queue(world, client, login, product):
    made = product()
    response = client.post(
        "/market/union-a/inquiry/",
        {
            "name": "Fair Shop GmbH",
            "email": "buy@fairshop.example",
            "product": made.pk,
            "quantity": "200",
            "country": "DE",
            "message": "Can you make 200 by May?",
        },
    )
    assert response.status_code == 200
    inquiry = Inquiry.objects.get()
    assert b"fairshop" not in bytes(inquiry.contact)  # sealed
    queue = login(world.organizer_a).get("/orgs/union-a/market/inquiries/").content.decode()
    assert "Can you make 200 by May?" in queue and "buy@fairshop.example" in queue


def test_reading_the_queue_is_audited(world, login, product):
    product()
    services.submit_inquiry(
        world.org_a,
        data=services.InquiryInput(name="A", email="a@example.org", message="Hello there"),
        address="198.51.100.1",
    )
    login(world.organizer_a).get("/orgs/union-a/market/inquiries/")
    assert AuditEvent.objects.filter(action="inquiry.read").exists()


def test_the_robots_trap_refuses_an_inquiry(world, client, product):
    product()
    response = client.post(
        "/market/union-a/inquiry/",
        {"name": "Bot", "email": "bot@example.org", "message": "Buy cheap pills", "website": "http://spam"},
    )
    assert response.status_code == 422
    assert not Inquiry.objects.exists()


def test_an_inquiry_flood_answers_429(world, client, product):
    product()
    body = {"name": "Flood", "email": "f@example.org", "message": "Again and again"}
    statuses = [client.post("/market/union-a/inquiry/", body).status_code for _ in range(7)]
    assert statuses[:5] == [200] * 5
    assert statuses[5:] == [429, 429]
    assert Inquiry.objects.count() == 5


def test_the_api_inquiry_is_throttled_too(world, client, product):
    product()
    body = {"name": "Flood", "email": "f@example.org", "message": "Again and again"}
    statuses = [
        client.post(
            "/api/v1/public/market/union-a/inquiries", body, content_type="application/json"
        ).status_code
        for _ in range(6)
    ]
    assert statuses == [201] * 5 + [429]


def test_an_inquiry_names_the_bad_field(world, client, product):
    product()
    response = client.post(
        "/api/v1/public/market/union-a/inquiries",
        {"name": "X", "email": "not-an-address", "message": "Hello there"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["email"]
