from doorstep.work.models import OrderStatus


def test_rejects_an_unknown_status_filter_naming_it_and_the_statuses(world, api):
    response = api(world.organizer_a).get("/api/v1/work-orders", {"status": "lost"})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "query.status"
    assert all(f"'{code}'" in error["message"] for code in OrderStatus.values)
