"""Input a fuzzer or a hostile client sends the API: each is answered with a 4xx naming the field,
never a 500, and nothing is stored. NUL and lone surrogates are refused by one check for every text
the API receives (path, query, form and JSON body); invisible direction controls are removed."""

import json

import pytest
from django.test import Client

from doorstep.advocacy.models import Campaign

BIG = "99999999999999999999"  # above 2**63 - 1


@pytest.fixture
def campaign(world, api):
    response = api(world.admin_a).post(
        f"/api/v1/campaigns?organization_id={world.org_a.pk}",
        {"title": "Pay us on time", "is_public": False},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return Campaign.objects.get(pk=response.json()["id"])


def _fields(response) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


def test_rejects_is_public_null_on_a_campaign(world, api, campaign):
    response = api(world.admin_a).patch(
        f"/api/v1/campaigns/{campaign.pk}?organization_id={world.org_a.pk}",
        {"is_public": None},
        content_type="application/json",
    )
    assert response.status_code == 422 and _fields(response) == ["is_public"]
    campaign.refresh_from_db()
    assert campaign.is_public is False


@pytest.mark.parametrize(
    ("sample", "field"),
    [
        ({"pieces": 40, "minutes": "1e-30"}, "samples.0.minutes"),
        ({"pieces": "1e-30", "minutes": 60}, "samples.0.pieces"),
        ({"pieces": 40, "minutes": "1e30"}, "samples.0.minutes"),
    ],
)
def test_rejects_a_fair_rate_from_absurd_numbers(world, api, sample, field):
    body = {"method": "rated_output", "hourly_wage": "62.50", "currency": "INR", "samples": [sample]}
    response = api(world.organizer_a).post("/api/v1/fair-rate", body, content_type="application/json")
    assert response.status_code == 422 and _fields(response) == [field]


def test_rejects_a_nul_in_a_public_query_filter():
    response = Client().get("/api/v1/public/directory?q=a%00b")
    assert response.status_code == 422 and _fields(response) == ["query.q"]
    assert "NUL" in response.json()["errors"][0]["message"]


def test_rejects_a_nul_in_a_path_parameter():
    response = Client().get("/api/v1/public/directory/a%00b")
    assert response.status_code == 422 and _fields(response) == ["path.slug"]


def test_rejects_a_nul_in_a_json_text_field(world, api, campaign):
    response = api(world.admin_a).patch(
        f"/api/v1/campaigns/{campaign.pk}?organization_id={world.org_a.pk}",
        {"title": "Pay\x00 us"},
        content_type="application/json",
    )
    assert response.status_code == 422 and _fields(response) == ["body.payload.title"]
    campaign.refresh_from_db()
    assert campaign.title == "Pay us on time"


def test_rejects_a_lone_surrogate_in_a_json_text_field(world, api, campaign):
    response = api(world.admin_a).patch(
        f"/api/v1/campaigns/{campaign.pk}?organization_id={world.org_a.pk}",
        '{"title": "Pay \\ud800 us"}',
        content_type="application/json",
    )
    assert response.status_code == 422 and _fields(response) == ["body.payload.title"]
    assert "surrogate" in response.json()["errors"][0]["message"]


def test_removes_direction_overrides_and_zero_width_spaces_from_text(world, api, campaign):
    response = api(world.admin_a).patch(
        f"/api/v1/campaigns/{campaign.pk}?organization_id={world.org_a.pk}",
        {"title": "Pay\u202e su\u202c on\u200b time\u2066!\u2069"},
        content_type="application/json",
    )
    assert response.status_code == 200
    campaign.refresh_from_db()
    assert campaign.title == "Pay su on time!"


def test_keeps_the_joiners_indic_and_persian_writing_needs(world, api, campaign):
    title = "क्\u200dष \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    response = api(world.admin_a).patch(
        f"/api/v1/campaigns/{campaign.pk}?organization_id={world.org_a.pk}",
        {"title": title},
        content_type="application/json",
    )
    assert response.status_code == 200
    campaign.refresh_from_db()
    assert campaign.title == title


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/grievances/{BIG}/timeline",
        f"/api/v1/campaigns?organization_id={BIG}",
        f"/api/v1/public/campaigns/{BIG}",
    ],
)
def test_rejects_ids_above_the_64_bit_range(world, api, url):
    response = api(world.admin_a).get(url)
    assert response.status_code == 422, response.content
    assert "at most" in response.json()["errors"][0]["message"]


def test_rejects_an_id_above_the_64_bit_range_in_a_json_body(world, api, campaign):
    response = api(world.admin_a).patch(
        f"/api/v1/campaigns/{campaign.pk}?organization_id={world.org_a.pk}",
        json.dumps({"participants": [int(BIG)]}),
        content_type="application/json",
    )
    assert response.status_code == 422 and _fields(response) == ["body.payload.participants.0"]


@pytest.mark.parametrize("body", ["[]", '["is_public"]', "42", '"title"'])
def test_rejects_a_body_that_is_not_a_json_object(world, api, campaign, body):
    response = api(world.admin_a).patch(
        f"/api/v1/campaigns/{campaign.pk}?organization_id={world.org_a.pk}",
        body,
        content_type="application/json",
    )
    assert response.status_code == 422 and _fields(response) == ["body"]


@pytest.mark.parametrize("depth", [100_000, 900])
def test_rejects_a_json_body_nested_too_deep(world, api, campaign, depth):
    body = '{"title": ' + "[" * depth + "]" * depth + "}"
    response = api(world.admin_a).patch(
        f"/api/v1/campaigns/{campaign.pk}?organization_id={world.org_a.pk}",
        body,
        content_type="application/json",
    )
    assert response.status_code in (400, 422) and response.json()["errors"]
    campaign.refresh_from_db()
    assert campaign.title == "Pay us on time"
