"""A shared case cannot single her out: the company sees bands, not amounts, months, not days, and
not whether the case is one woman's unless she agreed to be known; a case that would match fewer
than k of the work giver's workers is not shared unless an administrator says why; consent is asked
again on every read of the company; and only her own consent, for that company, names her."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from doorstep.core.models import AuditEvent
from doorstep.grievances.models import CaseShare
from doorstep.grievances.services import cases, sharing
from doorstep.members.services import consent
from doorstep.organizations import services as org_services
from doorstep.organizations.models import Organization
from doorstep.supplychains import services as party_services
from doorstep.work.services import orders as work_services

pytestmark = pytest.mark.django_db
NAME = "Sunita Devi"
GIVEN_ON = date(2026, 3, 2)
OPENED_ON = date(2026, 3, 14)


def _consent(member, purpose, actor, *, given=True, company=None):
    extra = {"company_id": company.pk} if company is not None else {}
    return consent.record_consent(
        member,
        purpose=purpose,
        given=given,
        effective_on=timezone.localdate() - timedelta(days=0 if not given else 1),
        method="paper",
        actor=actor,
        **extra,
    )


def _order(world, member, party, paid: str):
    """An order of 100 pieces at 10 rupees, all accepted: she is owed 1,000 less what was paid."""
    return work_services.create_order(
        world.org_a,
        data={
            "member": member.pk,
            "party": party.pk,
            "given_on": GIVEN_ON.isoformat(),
            "product": "Cushion cover",
            "sector": "embroidery",
            "quantity_ordered": "100",
            "piece_rate": "10",
            "currency": "INR",
            "her_hours": "40",
            "deliveries": [{"delivered_on": "2026-03-10", "quantity": "100", "rejected": "0"}],
            "payments": [{"paid_on": "2026-03-12", "amount": paid}],
        },
        actor=world.admin_a,
    )


@pytest.fixture
def ledger(world, register):
    """Union A shares grievances with Brand C. Rafiq, an intermediary, gave work to Sunita and eleven
    others in March; ``owing(paid)`` sets what the others were paid (the default leaves each of them
    owed an amount in the same band as Sunita's 802.50)."""
    org_services.create_agreement(
        world.org_a,
        data={
            "recipient": world.company.pk,
            "purpose": "company_due_diligence",
            "data_kinds": ["grievances"],
        },
        actor=world.admin_a,
    )
    rafiq = party_services.create_party(
        world.org_a, data={"name": "Rafiq", "kind": "intermediary", "is_person": True}, actor=world.admin_a
    )
    sunita = register(NAME)
    _consent(sunita, "company_case", world.admin_a)
    her_order = _order(world, sunita, rafiq, "197.50")

    def make(others_paid: str = "300"):
        for i in range(11):
            _order(world, register(f"Worker {i}"), rafiq, others_paid)
        case = cases.create_case(
            world.org_a,
            data={
                "category": "deductions",
                "members": [sunita.pk],
                "parties": [rafiq.pk],
                "orders": [her_order.pk],
                "opened_on": OPENED_ON.isoformat(),
                "summary": "Rafiq kept back part of her pay",
            },
            actor=world.organizer_a,
        )
        return case

    make.sunita, make.rafiq = sunita, rafiq
    return make


def _read(api, world, share):
    return api(world.company_user).get(f"/api/v1/shared-cases/{share.pk}?company_id={world.company.pk}")


def test_the_company_sees_a_band_not_the_amount_owed(world, ledger, api, login):
    share = sharing.share_case(ledger(), world.company, {}, actor=world.organizer_a)
    body = _read(api, world, share)
    assert body.status_code == 200
    assert body.json()["owed"] == [{"currency": "INR", "at_least": "500", "under": "1000"}]
    page = login(world.company_user).get(f"/orgs/brand-c/cases/{share.pk}/")
    for content in (body.content, page.content):
        assert b"802.5" not in content and b"802,5" not in content
    assert "500–1,000 INR".encode() in page.content


def test_the_company_sees_months_not_days(world, ledger, api, login):
    share = sharing.share_case(ledger(), world.company, {}, actor=world.organizer_a)
    body = _read(api, world, share).json()
    assert {step["month"] for step in body["steps"]} == {"2026-03"}
    listing = api(world.company_user).get(f"/api/v1/shared-cases?company_id={world.company.pk}").json()
    assert listing == [{"id": share.pk, "shared_in": timezone.localdate().strftime("%Y-%m")}]
    page = login(world.company_user).get(f"/orgs/brand-c/cases/{share.pk}/")
    listing_page = login(world.company_user).get("/orgs/brand-c/cases/")
    for content in (json.dumps(body).encode(), page.content, listing_page.content):
        assert OPENED_ON.isoformat().encode() not in content
        assert timezone.localdate().isoformat().encode() not in content


def test_the_company_does_not_learn_it_is_one_womans_case(world, ledger, api, login):
    share = sharing.share_case(ledger(), world.company, {}, actor=world.organizer_a)
    assert _read(api, world, share).json()["kind"] is None
    page = login(world.company_user).get(f"/orgs/brand-c/cases/{share.pk}/")
    assert b"One member" not in page.content


def test_rejects_a_share_that_would_single_her_out_among_the_work_givers_workers(world, ledger, api):
    case = ledger(others_paid="1000")  # the others were paid in full: 802.50 owed is hers alone
    response = api(world.organizer_a).post(
        f"/api/v1/grievances/{case.pk}/shares",
        {"company_id": world.company.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "singles_out"
    message = body["errors"][0]["message"]
    assert "Rafiq" in message and "Only 1 of the 12 workers" in message and "fewer than 10" in message
    assert not CaseShare.objects.exists()


def test_an_organizer_cannot_override_the_check(world, ledger, api):
    case = ledger(others_paid="1000")
    response = api(world.organizer_a).post(
        f"/api/v1/grievances/{case.pk}/shares",
        {"company_id": world.company.pk, "override_reason": "She asked us to"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "override_reason" in {e["field"] for e in response.json()["errors"]}
    assert not CaseShare.objects.exists()


def test_an_admin_overrides_the_check_with_a_reason_and_it_is_audited(world, ledger, api):
    case = ledger(others_paid="1000")
    response = api(world.admin_a).post(
        f"/api/v1/grievances/{case.pk}/shares",
        {"company_id": world.company.pk, "override_reason": "She wants Rafiq to know it is her."},
        content_type="application/json",
    )
    assert response.status_code == 201
    share = CaseShare.objects.get()
    event = AuditEvent.objects.get(action="grievance.share_check_overridden")
    assert event.object_id == str(share.pk) or event.object_id == share.pk
    assert event.metadata["party_ids"] == [ledger.rafiq.pk] and event.metadata["matching"] == [1]
    assert event.metadata["k"] == 10
    assert "Rafiq" not in json.dumps(event.metadata)  # the reason is sealed with the case, not audited


def test_an_admin_override_needs_a_reason(world, ledger, api):
    case = ledger(others_paid="1000")
    response = api(world.admin_a).post(
        f"/api/v1/grievances/{case.pk}/shares",
        {"company_id": world.company.pk, "override_reason": "   "},
        content_type="application/json",
    )
    assert response.status_code == 422 and not CaseShare.objects.exists()


def test_withdrawing_her_consent_hides_a_shared_case_at_once(world, ledger, api, login):
    share = sharing.share_case(ledger(), world.company, {}, actor=world.organizer_a)
    assert _read(api, world, share).status_code == 200
    _consent(ledger.sunita, "company_case", world.admin_a, given=False)
    assert _read(api, world, share).status_code == 404
    assert api(world.company_user).get(f"/api/v1/shared-cases?company_id={world.company.pk}").json() == []
    assert login(world.company_user).get(f"/orgs/brand-c/cases/{share.pk}/").status_code == 404


def test_adding_a_member_who_did_not_consent_to_a_shared_case_is_refused(world, ledger, register, api):
    case = ledger()
    sharing.share_case(case, world.company, {}, actor=world.organizer_a)
    meena = register("Meena Kumari")  # no consent to a company case
    response = api(world.organizer_a).patch(
        f"/api/v1/grievances/{case.pk}",
        {"kind": "collective", "members": [ledger.sunita.pk, meena.pk]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert f"#{meena.number}" in response.json()["errors"][0]["message"]
    assert list(case.members.values_list("pk", flat=True)) == [ledger.sunita.pk]


def test_a_member_on_a_shared_case_without_consent_hides_it(world, ledger, register, api):
    case = ledger()
    share = sharing.share_case(case, world.company, {}, actor=world.organizer_a)
    meena = register("Meena Kumari")
    case.members.add(meena)  # as a merge of two records of one woman would
    assert _read(api, world, share).status_code == 404


def test_a_ticked_box_does_not_name_her(world, ledger, api):
    share = sharing.share_case(ledger(), world.company, {"show_identity": True}, actor=world.organizer_a)
    body = _read(api, world, share).json()
    assert body["names"] == [] and NAME not in json.dumps(body)


def test_her_own_consent_names_her_to_that_company_only(world, ledger, api):
    case = ledger()
    share = sharing.share_case(case, world.company, {}, actor=world.organizer_a)
    other = Organization.objects.create(
        name="Brand D", slug="brand-d", kind=Organization.Kind.COMPANY, country="DE"
    )
    _consent(ledger.sunita, "company_identity", world.admin_a, company=other)
    assert _read(api, world, share).json()["names"] == []
    _consent(ledger.sunita, "company_identity", world.admin_a, company=world.company)
    body = _read(api, world, share).json()
    assert body["names"] == [NAME] and body["kind"] == "individual"
    _consent(ledger.sunita, "company_identity", world.admin_a, given=False, company=world.company)
    body = _read(api, world, share).json()
    assert body["names"] == [] and body["kind"] is None


def test_consent_to_be_named_needs_a_company(world, ledger, api):
    response = api(world.admin_a).post(
        f"/api/v1/members/{ledger.sunita.pk}/consents",
        {"purpose": "company_identity", "given": True, "effective_on": "2026-03-01", "method": "paper"},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "company_id"
    response = api(world.admin_a).post(
        f"/api/v1/members/{ledger.sunita.pk}/consents",
        {
            "purpose": "company_identity",
            "company_id": world.company.pk,
            "given": True,
            "effective_on": "2026-03-01",
            "method": "paper",
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["company_id"] == world.company.pk


def test_the_page_says_plainly_why_a_case_is_not_shared(world, ledger, login):
    case = ledger(others_paid="1000")
    page = login(world.organizer_a).post(
        f"/orgs/union-a/grievances/{case.pk}/", {"form": "share", "company": world.company.pk}
    )
    assert page.status_code == 422
    assert b"could point at her" in page.content and b"Rafiq" in page.content
    assert not CaseShare.objects.exists()
