"""Bad input to the aggregates door: 422 naming the parameter, never a partial table."""

import pytest

pytestmark = pytest.mark.django_db


def _get(client, dataset="members", **params):
    return client.get(f"/api/v1/aggregates/{dataset}", params)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"group_by": "sector", "period": "2026-Q7"}, "period"),
        ({"group_by": "country,admin1"}, "group_by"),  # two levels of one hierarchy
        ({"group_by": "admin2,sector"}, "group_by"),  # a district beside another dimension
        ({"group_by": "sector", "k": "4"}, "k"),
        ({"group_by": "sector", "from": "2026-01-01", "to": "2026-02-15"}, "from"),
    ],
)
def test_it_refuses_naming_the_parameter(world, shared, api, params, field):
    response = _get(api(world.analyst), recipient_id=world.network.pk, **params)
    assert response.status_code == 422
    body = response.json()
    assert field in [e["field"] for e in body["errors"]] and "rows" not in body


def test_an_unknown_dimension_is_refused_naming_group_by(world, shared, api):
    response = _get(api(world.analyst), recipient_id=world.network.pk, group_by="salary")
    assert response.status_code == 422 and "rows" not in response.json()
    assert "group_by" in response.json()["errors"][0]["field"]


def test_a_higher_k_is_taken(world, shared, api):
    body = _get(api(world.analyst), recipient_id=world.network.pk, group_by="category", k="16").json()
    assert body["k"] == 16 and body["rows"] == [] and body["reason"]  # 15 workers: under 16
