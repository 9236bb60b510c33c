"""Escalating a case to a company: only with the members' consent and a live agreement covering
grievances; the company answers and commits; the worker's identity never reaches the company unless
she agreed to that in so many words."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from doorstep.grievances.models import CaseShare
from doorstep.grievances.services import cases, sharing, timeline
from doorstep.members.services import consent
from doorstep.organizations import services as org_services
from doorstep.organizations.models import SharingAgreement
from doorstep.supplychains import services as party_services
from doorstep.work.services import orders as work_services

pytestmark = pytest.mark.django_db
NAME, PHONE = "Sunita Devi", "+919812345678"


@pytest.fixture
def escalation(world, register):
    """Union A shares grievances with Brand C; Sunita agreed to her case going to a company."""
    org_services.create_agreement(
        world.org_a,
        data={
            "recipient": world.company.pk,
            "purpose": "company_due_diligence",
            "data_kinds": ["work", "grievances"],
        },
        actor=world.admin_a,
    )
    sunita = register(NAME, phones=[PHONE])
    consent.record_consent(
        sunita,
        purpose="company_case",
        given=True,
        effective_on=timezone.localdate() - timedelta(days=1),
        method="paper",
        actor=world.admin_a,
    )
    supplier = party_services.create_party(
        world.org_a, data={"name": "Star Exports", "kind": "supplier"}, actor=world.admin_a
    )
    # Star Exports rejected the work of nine others this month too: the case matches ten of its
    # workers in the union's records, enough to pass the k-check.
    today = timezone.localdate().isoformat()
    for i in range(9):
        work_services.create_order(
            world.org_a,
            data={
                "member": register(f"Embroiderer {i}").pk,
                "party": supplier.pk,
                "given_on": today,
                "product": "Border",
                "sector": "embroidery",
                "quantity_ordered": "10",
                "piece_rate": "10",
                "currency": "INR",
                "deliveries": [{"delivered_on": today, "quantity": "10", "rejected": "2"}],
            },
            actor=world.admin_a,
        )
    case = cases.create_case(
        world.org_a,
        data={
            "category": "rejected_goods",
            "members": [sunita.pk],
            "parties": [supplier.pk],
            "summary": f"{NAME}'s borders rejected",
            "narrative": f"{NAME} lives behind the mosque; call her on {PHONE}.",
        },
        actor=world.organizer_a,
    )
    timeline.add_action(
        case,
        {"kind": "meeting", "detail": f"Met {NAME} at home.", "outcome": "Angry."},
        actor=world.organizer_a,
    )
    return {"sunita": sunita, "case": case}


def _secrets(sunita) -> list[bytes]:
    return [NAME.encode(), b"Sunita", PHONE.encode(), b"9812345678", f"#{sunita.number}".encode(), b"mosque"]


def test_the_company_sees_the_case_but_never_who_she_is(world, escalation, login, api):
    case = escalation["case"]
    organizer = login(world.organizer_a)
    response = organizer.post(
        f"/orgs/union-a/grievances/{case.pk}/",
        {
            "form": "share",
            "company": world.company.pk,
            "message": "Twelve borders rejected without a reason; 480 INR.",
        },
    )
    assert response.status_code == 302
    share = CaseShare.objects.get()
    company = login(world.company_user)
    listing = company.get("/orgs/brand-c/cases/")
    assert b"Goods rejected without a reason" in listing.content
    page = company.get(f"/orgs/brand-c/cases/{share.pk}/")
    assert page.status_code == 200
    assert b"Star Exports" in page.content and b"480 INR" in page.content and b"Meeting" in page.content
    for secret in _secrets(escalation["sunita"]):
        assert secret not in page.content and secret not in listing.content, secret
    client = api(world.company_user)
    body = client.get(f"/api/v1/shared-cases/{share.pk}?company_id={world.company.pk}")
    assert body.status_code == 200 and body.json()["names"] == []
    for secret in _secrets(escalation["sunita"]):
        assert secret not in body.content, secret
    # The company answers and commits; both join the organization's timeline.
    company.post(f"/orgs/brand-c/cases/{share.pk}/", {"form": "reply", "text": "We are asking Star Exports."})
    made = client.post(
        f"/api/v1/shared-cases/{share.pk}/commitments",
        {
            "company_id": world.company.pk,
            "action": "Pay the rejected borders",
            "owner": "Sourcing",
            "deadline": "2027-02-01",
        },
        content_type="application/json",
    )
    assert made.status_code == 201
    assert {s["kind"] for s in made.json()["steps"]} >= {"reply", "commitment", "action"}
    own = organizer.get(f"/orgs/union-a/grievances/{case.pk}/")
    assert b"We are asking Star Exports" in own.content and b"Pay the rejected borders" in own.content
    dossier = login(world.company_user).get("/orgs/brand-c/due-diligence/")
    assert b"Pay the rejected borders" in dossier.content  # tracked with its due diligence too


def test_the_timeline_api_shows_the_companys_reply_and_commitment(world, escalation, login, api):
    case = escalation["case"]
    login(world.organizer_a).post(
        f"/orgs/union-a/grievances/{case.pk}/",
        {"form": "share", "company": world.company.pk, "message": "Twelve borders rejected."},
    )
    share = CaseShare.objects.get()
    login(world.company_user).post(
        f"/orgs/brand-c/cases/{share.pk}/", {"form": "reply", "text": "We are asking Star Exports."}
    )
    api(world.company_user).post(
        f"/api/v1/shared-cases/{share.pk}/commitments",
        {
            "company_id": world.company.pk,
            "action": "Pay the borders",
            "owner": "Sourcing",
            "deadline": "2027-02-01",
        },
        content_type="application/json",
    )
    timeline = api(world.organizer_a).get(f"/api/v1/grievances/{case.pk}/timeline")
    assert timeline.status_code == 200
    steps = {step["kind"]: step for step in timeline.json()}
    assert steps["reply"]["detail"] == "We are asking Star Exports." and steps["reply"]["name"] == "Brand C"
    assert steps["commitment"]["detail"] == "Pay the borders"
    assert steps["commitment"]["deadline"] == "2027-02-01"


def test_her_name_only_where_she_agreed_to_be_known(world, escalation, api):
    share = sharing.share_case(escalation["case"], world.company, {"message": ""}, actor=world.organizer_a)
    consent.record_consent(
        escalation["sunita"],
        purpose="company_identity",
        company_id=world.company.pk,
        given=True,
        effective_on=timezone.localdate(),
        method="paper",
        actor=world.admin_a,
    )
    body = (
        api(world.company_user).get(f"/api/v1/shared-cases/{share.pk}?company_id={world.company.pk}").json()
    )
    assert body["names"] == [NAME]
    text = json.dumps(body)
    assert PHONE not in text and "mosque" not in text  # her name, and nothing else of hers


def test_no_share_without_consent_or_agreement(world, escalation, register, api):
    case = escalation["case"]
    meena = register("Meena Kumari")  # no consent to a company case
    cases.update_case(
        case, data={"kind": "collective", "members": [escalation["sunita"].pk, meena.pk]}, actor=world.admin_a
    )
    response = api(world.organizer_a).post(
        f"/api/v1/grievances/{case.pk}/shares",
        {"company_id": world.company.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert f"#{meena.number}" in response.json()["errors"][0]["message"]
    cases.update_case(
        case, data={"kind": "individual", "members": [escalation["sunita"].pk]}, actor=world.admin_a
    )
    SharingAgreement.objects.filter(recipient=world.company).update(data_kinds=["work"])  # no grievances
    response = api(world.organizer_a).post(
        f"/api/v1/grievances/{case.pk}/shares",
        {"company_id": world.company.pk},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "company"
    assert not CaseShare.objects.exists()


def test_revoked_agreement_or_withdrawn_share_hides_the_case_at_once(world, escalation, api, login):
    share = sharing.share_case(escalation["case"], world.company, {}, actor=world.organizer_a)
    client = api(world.company_user)
    url = f"/api/v1/shared-cases/{share.pk}?company_id={world.company.pk}"
    assert client.get(url).status_code == 200
    org_services.revoke_agreement(SharingAgreement.objects.get(recipient=world.company), actor=world.admin_a)
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/shared-cases?company_id={world.company.pk}").json() == []
    assert login(world.company_user).get(f"/orgs/brand-c/cases/{share.pk}/").status_code == 404


def test_others_cannot_read_a_shared_case(world, escalation, api):
    share = sharing.share_case(escalation["case"], world.company, {}, actor=world.organizer_a)
    for user in (world.analyst, world.admin_b, world.worker_a):
        response = api(user).get(f"/api/v1/shared-cases/{share.pk}?company_id={world.company.pk}")
        assert response.status_code == 404
    # A company user cannot read the organization's own case, nor change its sharing.
    client = api(world.company_user)
    assert client.get(f"/api/v1/grievances/{escalation['case'].pk}").status_code in (403, 404)
    assert client.delete(f"/api/v1/grievances/{escalation['case'].pk}/shares/{share.pk}").status_code in (
        403,
        404,
    )
