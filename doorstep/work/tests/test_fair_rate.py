from decimal import Decimal

import pytest

from doorstep.core.errors import ValidationError
from doorstep.work import rates


def test_rated_output_matches_the_worked_example():
    result = rates.rated_output(
        hourly_wage="62.50",
        currency="INR",
        uplift="1.2",
        samples=[{"pieces": 40, "minutes": 60}, {"pieces": 50, "minutes": 60}],
    )
    assert result.fair_rate == Decimal("1.6667")
    assert result.explanation == (
        "Mean output: 90 pieces in 120 minutes = 45 pieces an hour. "
        "Fair rate = hourly wage × uplift ÷ pieces an hour = 62.50 × 1.2 ÷ 45 = 1.6667 INR a piece."
    )


def test_rated_output_pools_samples_of_different_lengths():
    # 30 pieces in 30 minutes and 30 pieces in 90 minutes: 60 pieces in 2 hours = 30 an hour
    result = rates.rated_output(
        hourly_wage="30",
        currency="KES",
        samples=[{"pieces": 30, "minutes": 30}, {"pieces": 30, "minutes": 90}],
    )
    assert result.fair_rate == Decimal("1.2000")  # 30 × 1.2 ÷ 30, the default uplift
    assert result.inputs["mean_pieces_per_hour"] == "30"


def test_standard_minutes():
    result = rates.standard_minutes(
        sam="12", hourly_wage="60", efficiency="0.8", cost_per_piece="0.50", currency="INR"
    )
    assert result.fair_rate == Decimal("15.5000")  # 12 ÷ 60 × 60 ÷ 0.8 + 0.50
    assert "12 ÷ 60 × 60 ÷ 0.8 + 0.50 = 15.5000 INR a piece" in result.explanation


@pytest.mark.parametrize(
    ("kwargs", "fields"),
    [
        ({"hourly_wage": "", "currency": "INR", "samples": []}, {"hourly_wage", "samples"}),
        (
            {"hourly_wage": "-5", "currency": "rupees", "samples": [{"pieces": 0, "minutes": 60}]},
            {"hourly_wage", "currency", "samples.0.pieces"},
        ),
    ],
)
def test_rated_output_names_every_bad_field(kwargs, fields):
    with pytest.raises(ValidationError) as refused:
        rates.rated_output(**kwargs)
    assert {e.field for e in refused.value.errors} == fields


def test_the_api_answers_with_the_rate_and_its_explanation(world, api):
    response = api(world.organizer_a).post(
        "/api/v1/fair-rate",
        {
            "method": "rated_output",
            "hourly_wage": "62.50",
            "currency": "INR",
            "uplift": "1.2",
            "samples": [{"pieces": 40, "minutes": 60}, {"pieces": 50, "minutes": 60}],
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["fair_rate"], body["currency"], body["method"]) == ("1.6667", "INR", "rated_output")
    assert "62.50 × 1.2 ÷ 45" in body["explanation"]


def test_the_api_refuses_missing_and_non_positive_inputs(world, api):
    response = api(world.organizer_a).post(
        "/api/v1/fair-rate",
        {"method": "standard_minutes", "currency": "INR", "hourly_wage": "0", "efficiency": "1.5"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"sam", "hourly_wage", "efficiency"}
    unknown = api(world.organizer_a).post(
        "/api/v1/fair-rate", {"method": "guess", "currency": "INR"}, content_type="application/json"
    )
    assert unknown.status_code == 422


def test_the_page_works_it_out_without_javascript(world, login):
    page = login(world.worker_a).post(
        "/tools/fair-rate/",
        {
            "method": "rated_output",
            "currency": "INR",
            "hourly_wage": "62.50",
            "uplift": "1.2",
            "samples": "40 60\n50, 60",
        },
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Fair rate: 1.6667 INR a piece" in html
    bad = login(world.worker_a).post(
        "/tools/fair-rate/", {"method": "standard_minutes", "currency": "INR", "hourly_wage": "60"}
    )
    assert bad.status_code == 422
    assert "sam: This field is required." in bad.content.decode()
