"""The relief pages, end to end without JavaScript: a list drawn from the page's criteria, refused
to its drawer's approval, and a handover recorded by her card."""

from doorstep.relief.models import Fund, Payment, ReliefList


def test_it_opens_a_fund_from_the_page(world, login):
    response = login(world.organizer_a).post(
        "/orgs/union-a/relief/", {"action": "fund", "name": "Floods", "purpose": "Rent", "currency": "INR"}
    )
    fund = Fund.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/orgs/union-a/relief/funds/{fund.pk}/"


def test_a_wrong_currency_is_named_on_the_page(world, login):
    response = login(world.organizer_a).post(
        "/orgs/union-a/relief/", {"action": "fund", "name": "Floods", "purpose": "Rent", "currency": "XYZ"}
    )
    assert response.status_code == 422 and "Unknown currency" in response.content.decode()
    assert not Fund.objects.exists()


def test_it_draws_a_list_from_the_pages_criteria(world, login, register, fund):
    register("Sunita Devi", group="Ward 5")
    register("Rekha Bai", group="Ward 6")
    found = fund()
    response = login(world.organizer_a).post(
        f"/orgs/union-a/relief/funds/{found.pk}/",
        {"action": "list", "name": "Ward 5", "amount": "1000", "groups": ["Ward 5"]},
    )
    drawn = ReliefList.objects.get()
    assert response.status_code == 302
    assert drawn.rules == [{"field": "group", "op": "in", "value": ["Ward 5"]}] and drawn.entries.count() == 1


def test_the_drawer_is_not_offered_the_approval_and_cannot_force_it(world, login, register, fund):
    register("Sunita Devi", group="Ward 5")
    client = login(world.organizer_a)
    client.post(
        f"/orgs/union-a/relief/funds/{fund().pk}/",
        {"action": "list", "name": "Ward 5", "amount": "1000", "groups": ["Ward 5"]},
    )
    drawn = ReliefList.objects.get()
    page = client.get(f"/orgs/union-a/relief/lists/{drawn.pk}/").content.decode()
    assert "approve it" not in page and "Another person must review" in page
    client.post(f"/orgs/union-a/relief/lists/{drawn.pk}/", {"action": "approve"})
    drawn.refresh_from_db()
    assert drawn.status == "draft"


def test_it_records_a_handover_by_card_on_the_page(world, login, cash_round):
    made, (sunita,) = cash_round()
    response = login(world.organizer_a).post(
        f"/orgs/union-a/relief/rounds/{made.pk}/",
        {
            "action": "payment",
            "member_number": sunita.number,
            "evidence": "card",
            "card_text": "http://testserver/orgs/union-a/login/",
            "paid_on": "2026-03-11",
        },
    )
    assert response.status_code == 302
    assert Payment.objects.get().member == sunita


def test_a_second_handover_is_refused_on_the_page_with_the_reason(world, login, cash_round):
    made, (sunita,) = cash_round()
    data = {
        "action": "payment",
        "member_number": sunita.number,
        "evidence": "card",
        "card_text": "http://testserver/orgs/union-a/login/",
        "paid_on": "2026-03-11",
    }
    client = login(world.organizer_a)
    client.post(f"/orgs/union-a/relief/rounds/{made.pk}/", data)
    response = client.post(f"/orgs/union-a/relief/rounds/{made.pk}/", data)
    assert response.status_code == 422 and "already paid" in response.content.decode()
    assert Payment.objects.count() == 1


def test_the_reviewer_sees_who_is_on_the_list_and_the_reading_is_audited(world, login, approved_list):
    from doorstep.core.models import AuditEvent

    relief_list, (sunita,) = approved_list()
    page = login(world.admin_a).get(f"/orgs/union-a/relief/lists/{relief_list.pk}/").content.decode()
    assert "Sunita Devi" in page and "her group is one of: Ward 5" in page
    read = AuditEvent.objects.filter(action="member.pii_read", actor_id=world.admin_a.pk).last()
    assert read.metadata["member_ids"] == [sunita.pk] and read.metadata["reason"] == "relief_list"
