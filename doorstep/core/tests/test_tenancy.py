"""The tenancy door, proved over the whole URL map.

Every URL pattern and API route that takes an object id is listed in CASES with requests aimed at
another organization's objects; a user of that other organization (its admin, the strongest role)
must get 404 and nothing may change. A new route with an id fails ``test_every_route_with_an_id_has_a_case``
until its case is written here.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLResolver, get_resolver

from doorstep.core.models import OwnedModel
from doorstep.organizations import services
from doorstep.organizations.models import ApiToken, RoleAssignment

DOORSTEP = Path(__file__).resolve().parents[2]

# Routes with a parameter that is not an organization's object id, and why.
EXEMPT = {
    "accounts/reset/<uidb64>/<token>/": "a signed one-time invitation link, valid for one user only",
    "orgs/<slug:org_slug>/login/": "the public page where members log in with phone and PIN",
    "intake/<str:code>/": "the public intake form, found by its unguessable code (test_intake.py)",
    "api/v1/grievances/intake/<code>": "public status by receipt code: status and dates (test_intake.py)",
    "directory/<slug:slug>/": "a listed organization's public entry; unlisted ones 404 (test_directory.py)",
    "api/v1/public/directory/<slug>": "the same public entry through the API (test_directory.py)",
    "bulletins/confirm/<str:token>/": "a signed link e-mailed to one subscriber (test_bulletins.py)",
    "bulletins/unsubscribe/<str:token>/": "a signed link e-mailed to one subscriber (test_bulletins.py)",
    "bulletins/<slug:slug>/": "an organization's public archive of published bulletins",
    "bulletins/<slug:slug>/feed.atom": "the public Atom feed of published bulletins",
    "bulletins/<slug:slug>/subscribe/": "the public subscription form (double opt-in)",
    "bulletins/<slug:slug>/<int:bulletin_id>/": "a published bulletin; drafts 404 (test_bulletins.py)",
    "api/v1/public/bulletins/<organization>/<bulletin_id>": "a published bulletin through the API",
    "laws/<str:code>/": "the legal tracker's public page of a country: reference data, no one's own",
    "open-data/<int:release_id>/": "a network's published open data, suppressed aggregates (test_open_data)",
    "open-data/<int:release_id>/<str:name>": "the files of a published release (test_open_data.py)",
    "laws/<str:code>/<slug:fact>/edit/": "public reference data; editing needs a network role (test_laws.py)",
    "api/v1/public/laws/<country>": "the legal tracker's public data of a country",
    "api/v1/laws/<country>/<fact>": "public reference data; changing it needs a network role (test_laws.py)",
}
EXEMPT_PREFIXES = (
    "admin/",  # the platform admin's site: superusers only, not organization-scoped
    # OpenRosa endpoints never use the session or an API token: each request brings an app user's
    # token (bound to one organization) or Basic credentials. surveys/tests/test_openrosa.py proves
    # another organization's admin (Basic) gets 404 and another organization's token 401.
    "openrosa/",
)


def _routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def _person_a(world):
    return RoleAssignment.objects.get(user=world.organizer_a, organization=world.org_a).pk


def _member_a(world):
    from doorstep.members.models import Member
    from doorstep.members.services import registry

    existing = Member.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    data = {"full_name": "Sunita Devi", "category": "homeworker", "phones": ["+919812345678"]}
    return registry.create_member(world.org_a, data=data, actor=world.admin_a).pk


def _member_pages(path, post=None):
    """GET of union A's member under union A's slug and under bob's own slug; POSTs under his slug."""

    def case(w):
        member = _member_a(w)
        requests = [
            ("get", f"/orgs/union-a/members/{member}/{path}", None),
            ("get", f"/orgs/coop-b/members/{member}/{path}", None),
        ]
        if post is not None:
            requests.append(("post", f"/orgs/coop-b/members/{member}/{path}", post))
        return requests

    return case


def _import_a(world):
    from doorstep.core import imports
    from doorstep.core.models import Import

    existing = Import.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    data = b"Full name,Phone,Category\nSunita Devi,9812345678,homeworker\n"
    return imports.start(
        world.org_a, target_name="members", filename="m.csv", data=data, actor=world.admin_a
    ).pk


def _duplicate_a(world):
    from doorstep.members.models import DuplicateCandidate
    from doorstep.members.services import registry

    if not DuplicateCandidate.objects.exists():
        for name in ("Sunita Devi", "Sunita Devee"):
            registry.create_member(
                world.org_a,
                data={"full_name": name, "category": "homeworker", "locality": "Jagatpur"},
                actor=world.admin_a,
            )
    return DuplicateCandidate.objects.get().pk


def _token_a(world):
    token, _raw = services.issue_token(world.admin_a, name="alice's", actor=world.admin_a)
    return token.pk


def _party_a(world):
    from doorstep.supplychains import services as party_services
    from doorstep.supplychains.models import Party

    existing = Party.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    data = {"name": "Rafiq Contractor", "kind": "intermediary", "is_person": True, "phones": ["98123"]}
    return party_services.create_party(world.org_a, data=data, actor=world.admin_a).pk


def _order_a(world):
    from doorstep.work.models import WorkOrder
    from doorstep.work.services import orders as work_services

    existing = WorkOrder.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    data = {
        "member": _member_a(world),
        "party": _party_a(world),
        "given_on": "2026-01-05",
        "product": "Zari border",
        "sector": "embroidery",
        "quantity_ordered": "10",
        "piece_rate": "5",
        "currency": "INR",
        "deliveries": [{"delivered_on": "2026-01-10", "quantity": "10"}],
        "payments": [{"paid_on": "2026-01-20", "amount": "20"}],
    }
    return work_services.create_order(world.org_a, data=data, actor=world.admin_a).pk


def _payment_a(world):
    from doorstep.work.models import Payment

    return Payment.objects.get(order_id=_order_a(world)).pk


def _benchmark_a(world):
    from doorstep.work.services import benchmarks as work_services

    data = {
        "kind": "living_wage",
        "country": "IN",
        "amount": "600",
        "currency": "INR",
        "period": "day",
        "hours_per_day": "8",
        "effective_from": "2026-01-01",
        "source": "union estimate",
    }
    return work_services.create_benchmark(world.org_a, data=data, actor=world.admin_a).pk


def _rate_a(world):
    from doorstep.work import rates
    from doorstep.work.services import rates as work_services

    result = rates.standard_minutes(sam="6", hourly_wage="80", currency="INR", efficiency="0.8")
    return work_services.save_rate(world.org_a, result=result, product="Zari border", actor=world.admin_a).pk


def _order_pages(path, post=None):
    def case(w):
        order = _order_a(w)
        requests = [("get", f"/orgs/coop-b/work/orders/{order}/{path}", None)]
        if post is not None:
            requests.append(("post", f"/orgs/coop-b/work/orders/{order}/{path}", post))
        return requests

    return case


def _survey_a(world):
    from doorstep.surveys import services as survey_services
    from doorstep.surveys.models import Form
    from doorstep.surveys.tests.conftest import MAPPING_MD, submission_xml

    form = Form.objects.filter(organization=world.org_a).first()
    if form is None:
        form = survey_services.upload_form(
            world.org_a, filename="mapping.md", data=MAPPING_MD.encode(), actor=world.admin_a
        ).form
        survey_services.set_state(form, "open", actor=world.admin_a)
        survey_services.receive(
            world.org_a,
            xml=submission_xml(),
            files={"label.jpg": (b"\xff\xd8", "image/jpeg")},
            user=world.admin_a,
        )
    return form.pk


def _submission_a(world):
    from doorstep.surveys.models import Submission

    _survey_a(world)
    return Submission.objects.get(organization=world.org_a).pk


def _attachment_a(world):
    from doorstep.surveys.models import Attachment

    _survey_a(world)
    return Attachment.objects.get(organization=world.org_a).pk


def _export_a(world):
    """An export of union A's form (queued: the door is the same whatever its state)."""
    from doorstep.surveys import services as survey_services
    from doorstep.surveys.models import Form

    _survey_a(world)
    form = Form.objects.get(organization=world.org_a)
    return survey_services.request_export(
        form, fmt="csv", use_labels=False, split=False, language="en", actor=world.admin_a
    ).pk


def _link_a(world):
    from doorstep.supplychains import services as party_services
    from doorstep.supplychains.models import Party

    seller = Party.objects.get(pk=_party_a(world))
    buyer = party_services.create_party(
        world.org_a, data={"name": "Brand A", "kind": "brand"}, actor=world.admin_a
    )
    return party_services.add_link(buyer, seller, {"evidence": "label"}, actor=world.admin_a).pk


def _agreement_a(world):
    from doorstep.organizations import services as organization_services

    data = {"recipient": world.network.pk, "purpose": "network_statistics", "data_kinds": ["members"]}
    return organization_services.create_agreement(world.org_a, data=data, actor=world.admin_a).pk


def _commitment_a(world):
    """Brand C's commitment to Union A (which shares with it for due diligence)."""
    from doorstep.organizations import services as organization_services
    from doorstep.supplychains import services as party_services
    from doorstep.supplychains.models import Commitment

    existing = Commitment.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    data = {"recipient": world.company.pk, "purpose": "company_due_diligence", "data_kinds": ["work"]}
    organization_services.create_agreement(world.org_a, data=data, actor=world.admin_a)
    return party_services.add_commitment(
        world.company,
        world.org_a,
        {"action": "Pay arrears", "owner": "Sourcing", "deadline": "2027-01-01"},
        actor=world.company_user,
    ).pk


def _supplier_row_a(world) -> tuple[int, int]:
    """(list id, row id) of a supplier list of Union A with a facility waiting for review."""
    from doorstep.supplychains.models import Party, SupplierList, SupplierListRow

    row = SupplierListRow.objects.filter(organization=world.org_a).first()
    if row is None:
        party = Party.objects.get(pk=_party_a(world))
        supplier_list = SupplierList.objects.create(organization=world.org_a, name="Brand list")
        row = SupplierListRow.objects.create(
            organization=world.org_a,
            supplier_list=supplier_list,
            row=2,
            name="Rafik Contractor",
            country="IN",
            candidate=party,
            score=80,
            outcome="review",
        )
    return row.supplier_list_id, row.pk


def _case_a(world) -> tuple[int, int, int]:
    """(case id, action id, attachment id) of a grievance of Union A."""
    from doorstep.grievances.models import Case
    from doorstep.grievances.services import cases, evidence, timeline

    case = Case.objects.filter(organization=world.org_a).first()
    if case is None:
        case = cases.create_case(
            world.org_a,
            data={"category": "late_payment", "members": [_member_a(world)], "summary": "Sunita paid late"},
            actor=world.admin_a,
        )
        timeline.add_action(
            case, {"kind": "call", "detail": "Called", "deadline": "2031-01-01"}, actor=world.admin_a
        )
        evidence.add_attachment(case, name="slip.txt", data=b"paid 300 of 800", actor=world.admin_a)
    return case.pk, case.actions.get().pk, case.attachments.get().pk


def _share_a(world) -> int:
    """Union A's case shared with Brand C (an agreement covering grievances, her consent)."""
    from datetime import timedelta

    from django.utils import timezone

    from doorstep.grievances.models import Case, CaseShare
    from doorstep.grievances.services import sharing
    from doorstep.members.models import Member
    from doorstep.members.services import consent
    from doorstep.organizations import services as organization_services

    existing = CaseShare.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    case = Case.objects.get(pk=_case_a(world)[0])
    data = {"recipient": world.company.pk, "purpose": "company_due_diligence", "data_kinds": ["grievances"]}
    organization_services.create_agreement(world.org_a, data=data, actor=world.admin_a)
    consent.record_consent(
        Member.objects.get(pk=_member_a(world)),
        purpose="company_case",
        given=True,
        effective_on=timezone.localdate() - timedelta(days=1),
        method="paper",
        actor=world.admin_a,
    )
    return sharing.share_case(case, world.company, {}, actor=world.admin_a).pk


def _app_user_a(world):
    from doorstep.surveys import services as survey_services

    return survey_services.create_app_user(world.org_a, name="phone", actor=world.admin_a)[0].pk


ORDER_FORM = {
    "member_number": "1",
    "party": "1",
    "given_on": "2026-01-05",
    "product": "Mole",
    "sector": "embroidery",
    "quantity_ordered": "1",
    "unit": "piece",
    "piece_rate": "1",
    "currency": "INR",
    "status": "given",
}


# route -> function(world) giving [(method, url, json body or form data)], all aimed at union A,
# sent by the admin of cooperative B.
MULTIPART = {"multipart": True}  # an API case sent as a multipart form (an upload), not JSON


def _evidence():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("slip.txt", b"paid 300 of 800")


def _export_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("export.csv", b"name;_uuid\nAsha;x\n")


CASES = {
    "orgs/<slug:org_slug>/": lambda w: [
        ("get", "/orgs/union-a/", None),
        ("post", "/orgs/union-a/", {"member": 1}),
    ],
    "orgs/<slug:org_slug>/people/": lambda w: [
        ("get", "/orgs/union-a/people/", None),
        ("post", "/orgs/union-a/people/", {"username": "mole", "role": "org_admin"}),
    ],
    "orgs/<slug:org_slug>/people/<int:person_id>/": lambda w: [
        ("get", f"/orgs/union-a/people/{_person_a(w)}/", None),
        ("get", f"/orgs/coop-b/people/{_person_a(w)}/", None),
        ("post", f"/orgs/coop-b/people/{_person_a(w)}/", {"action": "role", "role": "worker"}),
        ("post", f"/orgs/coop-b/people/{_person_a(w)}/", {"action": "deactivate"}),
    ],
    "account/tokens/<int:token_id>/revoke/": lambda w: [
        ("post", f"/account/tokens/{_token_a(w)}/revoke/", {})
    ],
    "api/v1/organizations/<organization_id>": lambda w: [
        ("get", f"/api/v1/organizations/{w.org_a.pk}", None)
    ],
    "api/v1/organizations/<organization_id>/affiliations": lambda w: [
        ("post", f"/api/v1/organizations/{w.org_a.pk}/affiliations", {"member_id": w.org_b.pk}),
    ],
    "api/v1/organizations/<organization_id>/people": lambda w: [
        ("get", f"/api/v1/organizations/{w.org_a.pk}/people", None),
        ("post", f"/api/v1/organizations/{w.org_a.pk}/people", {"username": "mole", "role": "org_admin"}),
    ],
    "api/v1/organizations/<organization_id>/people/<person_id>": lambda w: [
        ("patch", f"/api/v1/organizations/{w.org_a.pk}/people/{_person_a(w)}", {"role": "worker"}),
        ("patch", f"/api/v1/organizations/{w.org_b.pk}/people/{_person_a(w)}", {"is_active": False}),
    ],
    "api/v1/tokens/<token_id>": lambda w: [("delete", f"/api/v1/tokens/{_token_a(w)}", None)],
    "orgs/<slug:org_slug>/members/": lambda w: [
        ("get", "/orgs/union-a/members/", None),
        ("post", "/orgs/union-a/members/", {"q": "sunita"}),
    ],
    "orgs/<slug:org_slug>/members/new/": lambda w: [
        ("get", "/orgs/union-a/members/new/", None),
        (
            "post",
            "/orgs/union-a/members/new/",
            {"full_name": "Mole", "category": "homeworker", "status": "active"},
        ),
    ],
    "orgs/<slug:org_slug>/members/<int:member_id>/": _member_pages(""),
    "orgs/<slug:org_slug>/members/<int:member_id>/edit/": _member_pages(
        "edit/", {"full_name": "Changed", "category": "homeworker", "status": "left"}
    ),
    "orgs/<slug:org_slug>/members/<int:member_id>/consent/": lambda w: [
        (
            "post",
            f"/orgs/coop-b/members/{_member_a(w)}/consent/",
            {"purpose": "research", "given": "0", "effective_on": "2026-01-01", "method": "paper"},
        ),
    ],
    "orgs/<slug:org_slug>/members/<int:member_id>/dues/": lambda w: [
        (
            "post",
            f"/orgs/coop-b/members/{_member_a(w)}/dues/",
            {"period": "2026", "amount": "1", "currency": "INR", "paid_on": "2026-01-01"},
        ),
    ],
    "orgs/<slug:org_slug>/members/<int:member_id>/card/": _member_pages("card/"),
    "orgs/<slug:org_slug>/members/<int:member_id>/export/": _member_pages("export/"),
    "orgs/<slug:org_slug>/members/<int:member_id>/erase/": _member_pages("erase/", {"confirm": "1"}),
    "api/v1/members/<member_id>": lambda w: [
        ("get", f"/api/v1/members/{_member_a(w)}?include=pii", None),
        ("patch", f"/api/v1/members/{_member_a(w)}", {"status": "left"}),
        ("delete", f"/api/v1/members/{_member_a(w)}", None),
    ],
    "api/v1/members/<member_id>/export": lambda w: [("get", f"/api/v1/members/{_member_a(w)}/export", None)],
    "api/v1/members/<member_id>/consents": lambda w: [
        ("get", f"/api/v1/members/{_member_a(w)}/consents", None),
        (
            "post",
            f"/api/v1/members/{_member_a(w)}/consents",
            {"purpose": "research", "given": False, "effective_on": "2026-01-01", "method": "paper"},
        ),
    ],
    "orgs/<slug:org_slug>/members/<int:member_id>/login/": lambda w: [
        ("post", f"/orgs/coop-b/members/{_member_a(w)}/login/", {"pin": "1234"}),
    ],
    "orgs/<slug:org_slug>/me/": lambda w: [("get", "/orgs/union-a/me/", None)],
    "orgs/<slug:org_slug>/members/duplicates/": lambda w: [
        ("get", "/orgs/union-a/members/duplicates/", None)
    ],
    "orgs/<slug:org_slug>/members/duplicates/<int:candidate_id>/": lambda w: [
        ("get", f"/orgs/coop-b/members/duplicates/{_duplicate_a(w)}/", None),
        ("post", f"/orgs/coop-b/members/duplicates/{_duplicate_a(w)}/", {"action": "dismiss"}),
    ],
    "orgs/<slug:org_slug>/imports/new/<slug:target_name>/": lambda w: [
        ("get", "/orgs/union-a/imports/new/members/", None),
    ],
    "orgs/<slug:org_slug>/imports/<int:import_id>/": lambda w: [
        ("get", f"/orgs/union-a/imports/{_import_a(w)}/", None),
        ("get", f"/orgs/coop-b/imports/{_import_a(w)}/", None),
        ("post", f"/orgs/coop-b/imports/{_import_a(w)}/", {"column-0": "full_name", "column-2": "category"}),
    ],
    "orgs/<slug:org_slug>/imports/<int:import_id>/errors.csv": lambda w: [
        ("get", f"/orgs/coop-b/imports/{_import_a(w)}/errors.csv", None),
    ],
    "orgs/<slug:org_slug>/imports/<int:import_id>/<slug:action>/": lambda w: [
        ("post", f"/orgs/coop-b/imports/{_import_a(w)}/cancel/", {}),
        ("post", f"/orgs/coop-b/imports/{_import_a(w)}/commit/", {}),
    ],
    "api/v1/imports/<import_id>": lambda w: [("get", f"/api/v1/imports/{_import_a(w)}", None)],
    "api/v1/imports/<import_id>/mapping": lambda w: [
        ("post", f"/api/v1/imports/{_import_a(w)}/mapping", {"mapping": {"0": "full_name", "2": "category"}}),
    ],
    "api/v1/imports/<import_id>/errors": lambda w: [("get", f"/api/v1/imports/{_import_a(w)}/errors", None)],
    "api/v1/imports/<import_id>/commit": lambda w: [("post", f"/api/v1/imports/{_import_a(w)}/commit", {})],
    "api/v1/imports/<import_id>/cancel": lambda w: [("post", f"/api/v1/imports/{_import_a(w)}/cancel", {})],
    "api/v1/imports/<import_id>/resume": lambda w: [("post", f"/api/v1/imports/{_import_a(w)}/resume", {})],
    "api/v1/member-duplicates/<candidate_id>/merge": lambda w: [
        ("post", f"/api/v1/member-duplicates/{_duplicate_a(w)}/merge", {"keep": 1}),
    ],
    "api/v1/member-duplicates/<candidate_id>/dismiss": lambda w: [
        ("post", f"/api/v1/member-duplicates/{_duplicate_a(w)}/dismiss", {}),
    ],
    "api/v1/members/<member_id>/dues": lambda w: [
        (
            "post",
            f"/api/v1/members/{_member_a(w)}/dues",
            {"period": "2026", "amount": "1", "currency": "INR", "paid_on": "2026-01-01"},
        ),
    ],
    "orgs/<slug:org_slug>/parties/": lambda w: [
        ("get", "/orgs/union-a/parties/", None),
    ],
    "orgs/<slug:org_slug>/parties/new/": lambda w: [
        ("get", "/orgs/union-a/parties/new/", None),
        ("post", "/orgs/union-a/parties/new/", {"name": "Mole", "kind": "brand"}),
    ],
    "orgs/<slug:org_slug>/parties/<int:party_id>/": lambda w: [
        ("get", f"/orgs/union-a/parties/{_party_a(w)}/", None),
        ("get", f"/orgs/coop-b/parties/{_party_a(w)}/", None),
    ],
    "orgs/<slug:org_slug>/parties/<int:party_id>/chain/": lambda w: [
        ("get", f"/orgs/coop-b/parties/{_party_a(w)}/chain/", None),
    ],
    "orgs/<slug:org_slug>/party-links/<int:link_id>/remove/": lambda w: [
        ("post", f"/orgs/coop-b/party-links/{_link_a(w)}/remove/", {}),
    ],
    "orgs/<slug:org_slug>/parties/<int:party_id>/edit/": lambda w: [
        ("get", f"/orgs/coop-b/parties/{_party_a(w)}/edit/", None),
        ("post", f"/orgs/coop-b/parties/{_party_a(w)}/edit/", {"name": "Mole", "kind": "brand"}),
    ],
    "api/v1/sharing-agreements/<agreement_id>/revoke": lambda w: [
        ("post", f"/api/v1/sharing-agreements/{_agreement_a(w)}/revoke", {}),
    ],
    "api/v1/parties/<party_id>/links": lambda w: [
        ("get", f"/api/v1/parties/{_party_a(w)}/links", None),
        ("post", f"/api/v1/parties/{_party_a(w)}/links", {"seller_id": _party_a(w), "evidence": "label"}),
    ],
    "api/v1/parties/<party_id>/links/<link_id>": lambda w: [
        ("delete", f"/api/v1/parties/{_party_a(w)}/links/{_link_a(w)}", None),
    ],
    "api/v1/parties/<party_id>/chain": lambda w: [("get", f"/api/v1/parties/{_party_a(w)}/chain", None)],
    "api/v1/parties/<party_id>": lambda w: [
        ("get", f"/api/v1/parties/{_party_a(w)}?include=contact", None),
        ("patch", f"/api/v1/parties/{_party_a(w)}", {"name": "Mole"}),
    ],
    "orgs/<slug:org_slug>/work/": lambda w: [("get", "/orgs/union-a/work/", None)],
    "orgs/<slug:org_slug>/work/settings/": lambda w: [
        ("post", "/orgs/union-a/work/settings/", {"late_payment_days": "5"})
    ],
    "orgs/<slug:org_slug>/work/orders/": lambda w: [("get", "/orgs/union-a/work/orders/", None)],
    "orgs/<slug:org_slug>/brief/": lambda w: [("get", "/orgs/union-a/brief/", None)],
    "orgs/<slug:org_slug>/open-data/": lambda w: [
        ("get", "/orgs/union-a/open-data/", None),
        ("post", "/orgs/union-a/open-data/", {"title": "x", "licence": "CC0-1.0", "tables": "work-sector"}),
    ],
    "orgs/<slug:org_slug>/open-data/<int:release_id>/withdraw/": lambda w: [
        ("post", "/orgs/union-a/open-data/1/withdraw/", {})
    ],
    "orgs/<slug:org_slug>/brief.pdf": lambda w: [("get", "/orgs/union-a/brief.pdf", None)],
    "orgs/<slug:org_slug>/work/charts/<slug:name>.<slug:fmt>": lambda w: [
        ("get", "/orgs/union-a/work/charts/payment_delays.png", None),
        ("get", "/orgs/union-a/work/charts/orders_by_party.csv", None),
    ],
    "orgs/<slug:org_slug>/work/orders/new/": lambda w: [
        ("get", "/orgs/union-a/work/orders/new/", None),
        ("post", "/orgs/union-a/work/orders/new/", ORDER_FORM),
    ],
    "orgs/<slug:org_slug>/work/orders/<int:order_id>/": lambda w: [
        ("get", f"/orgs/union-a/work/orders/{_order_a(w)}/", None),
        ("get", f"/orgs/coop-b/work/orders/{_order_a(w)}/", None),
    ],
    "orgs/<slug:org_slug>/work/orders/<int:order_id>/edit/": _order_pages("edit/", ORDER_FORM),
    "orgs/<slug:org_slug>/work/orders/<int:order_id>/void/": lambda w: [
        ("post", f"/orgs/coop-b/work/orders/{_order_a(w)}/void/", {"reason": "recorded twice"}),
    ],
    "orgs/<slug:org_slug>/work/orders/<int:order_id>/<slug:kind>/add/": lambda w: [
        (
            "post",
            f"/orgs/coop-b/work/orders/{_order_a(w)}/payments/add/",
            {"payments-paid_on": "2026-01-21", "payments-amount": "5", "payments-method": "cash"},
        ),
    ],
    "orgs/<slug:org_slug>/work/orders/<int:order_id>/<slug:kind>/<int:entry_id>/reverse/": lambda w: [
        (
            "post",
            f"/orgs/coop-b/work/orders/{_order_a(w)}/payments/{_payment_a(w)}/reverse/",
            {"reason": "typed twice"},
        ),
    ],
    "orgs/<slug:org_slug>/work/quick/": lambda w: [
        ("get", "/orgs/union-a/work/quick/", None),
        ("post", "/orgs/union-a/work/quick/", {**ORDER_FORM, f"q_{_member_a(w)}": "5"}),
    ],
    "orgs/<slug:org_slug>/work/benchmarks/": lambda w: [
        ("get", "/orgs/union-a/work/benchmarks/", None),
        ("post", "/orgs/union-a/work/benchmarks/", {"kind": "living_wage", "country": "IN", "amount": "1"}),
    ],
    "orgs/<slug:org_slug>/work/benchmarks/<int:benchmark_id>/delete/": lambda w: [
        ("post", f"/orgs/coop-b/work/benchmarks/{_benchmark_a(w)}/delete/", {}),
    ],
    "orgs/<slug:org_slug>/work/rates/": lambda w: [
        ("get", "/orgs/union-a/work/rates/", None),
        ("post", "/orgs/union-a/work/rates/", {"product": "Mole", "method": "standard_minutes"}),
    ],
    "orgs/<slug:org_slug>/work/rates/<int:rate_id>/": lambda w: [
        ("get", f"/orgs/coop-b/work/rates/{_rate_a(w)}/", None),
    ],
    "orgs/<slug:org_slug>/work/rates/<int:rate_id>/delete/": lambda w: [
        ("post", f"/orgs/coop-b/work/rates/{_rate_a(w)}/delete/", {}),
    ],
    "orgs/<slug:org_slug>/members/<int:member_id>/passbook/": _member_pages("passbook/"),
    "orgs/<slug:org_slug>/me/passbook/": lambda w: [("get", "/orgs/union-a/me/passbook/", None)],
    "api/v1/work-orders/<order_id>": lambda w: [
        ("get", f"/api/v1/work-orders/{_order_a(w)}", None),
        ("patch", f"/api/v1/work-orders/{_order_a(w)}", {"piece_rate": "9"}),
    ],
    "api/v1/work-orders/<order_id>/void": lambda w: [
        ("post", f"/api/v1/work-orders/{_order_a(w)}/void", {"reason": "recorded twice"}),
    ],
    **{
        f"api/v1/work-orders/<order_id>/{kind}": (
            lambda w, kind=kind, body=body: [("post", f"/api/v1/work-orders/{_order_a(w)}/{kind}", body)]
        )
        for kind, body in {
            "deliveries": {"delivered_on": "2026-01-11", "quantity": "1"},
            "payments": {"paid_on": "2026-01-21", "amount": "1"},
            "deductions": {"deducted_on": "2026-01-21", "amount": "1"},
            "costs": {"kind": "transport", "amount": "1"},
            "helpers": {"relationship": "daughter", "hours": "1"},
        }.items()
    },
    "api/v1/work-orders/<order_id>/<kind>/<entry_id>/reverse": lambda w: [
        (
            "post",
            f"/api/v1/work-orders/{_order_a(w)}/payments/{_payment_a(w)}/reverse",
            {"reason": "typed twice"},
        ),
    ],
    "api/v1/members/<member_id>/passbook": lambda w: [
        ("get", f"/api/v1/members/{_member_a(w)}/passbook", None),
    ],
    "api/v1/benchmarks/<benchmark_id>": lambda w: [
        ("delete", f"/api/v1/benchmarks/{_benchmark_a(w)}?organization_id={w.org_b.pk}", None),
        ("delete", f"/api/v1/benchmarks/{_benchmark_a(w)}?organization_id={w.org_a.pk}", None),
    ],
    "orgs/<slug:org_slug>/sharing/": lambda w: [
        ("get", "/orgs/union-a/sharing/", None),
        ("post", "/orgs/union-a/sharing/", {"action": "revoke", "agreement": _agreement_a(w)}),
        ("post", "/orgs/coop-b/sharing/", {"action": "revoke", "agreement": _agreement_a(w)}),
    ],
    "orgs/<slug:org_slug>/surveys/": lambda w: [
        ("get", "/orgs/union-a/surveys/", None),
    ],
    "orgs/<slug:org_slug>/surveys/app-users/": lambda w: [
        ("post", "/orgs/union-a/surveys/app-users/", {"name": "mole"}),
    ],
    "orgs/<slug:org_slug>/surveys/app-users/<int:app_user_id>/revoke/": lambda w: [
        ("post", f"/orgs/coop-b/surveys/app-users/{_app_user_a(w)}/revoke/", {}),
    ],
    "orgs/<slug:org_slug>/surveys/forms/<int:form_id>/": lambda w: [
        ("get", f"/orgs/union-a/surveys/forms/{_survey_a(w)}/", None),
        ("get", f"/orgs/coop-b/surveys/forms/{_survey_a(w)}/", None),
        ("post", f"/orgs/coop-b/surveys/forms/{_survey_a(w)}/", {"action": "state", "state": "closed"}),
    ],
    "orgs/<slug:org_slug>/surveys/forms/<int:form_id>/submissions/": lambda w: [
        ("get", f"/orgs/coop-b/surveys/forms/{_survey_a(w)}/submissions/", None),
    ],
    "orgs/<slug:org_slug>/surveys/forms/<int:form_id>/summary/": lambda w: [
        ("get", f"/orgs/coop-b/surveys/forms/{_survey_a(w)}/summary/", None),
    ],
    "orgs/<slug:org_slug>/surveys/forms/<int:form_id>/export/": lambda w: [
        ("get", f"/orgs/coop-b/surveys/forms/{_survey_a(w)}/export/?format=xlsx", None),
    ],
    "orgs/<slug:org_slug>/surveys/forms/<int:form_id>/import/": lambda w: [
        ("get", f"/orgs/coop-b/surveys/forms/{_survey_a(w)}/import/", None),
        ("post", f"/orgs/coop-b/surveys/forms/{_survey_a(w)}/import/", {"version": "1"}),
    ],
    "orgs/<slug:org_slug>/surveys/forms/<int:form_id>/enketo/": lambda w: [
        ("post", f"/orgs/coop-b/surveys/forms/{_survey_a(w)}/enketo/", {}),
    ],
    "orgs/<slug:org_slug>/surveys/forms/<int:form_id>/exports/": lambda w: [
        ("post", f"/orgs/coop-b/surveys/forms/{_survey_a(w)}/exports/", {"format": "csv"}),
    ],
    "orgs/<slug:org_slug>/surveys/exports/<int:export_id>/": lambda w: [
        ("get", f"/orgs/coop-b/surveys/exports/{_export_a(w)}/", None),
        ("post", f"/orgs/coop-b/surveys/exports/{_export_a(w)}/", {"action": "delete"}),
    ],
    "orgs/<slug:org_slug>/surveys/exports/<int:export_id>/download/": lambda w: [
        ("get", f"/orgs/coop-b/surveys/exports/{_export_a(w)}/download/", None),
    ],
    "orgs/<slug:org_slug>/surveys/submissions/<int:submission_id>/": lambda w: [
        ("get", f"/orgs/coop-b/surveys/submissions/{_submission_a(w)}/", None),
    ],
    "orgs/<slug:org_slug>/surveys/attachments/<int:attachment_id>/": lambda w: [
        ("get", f"/orgs/coop-b/surveys/attachments/{_attachment_a(w)}/", None),
    ],
    "api/v1/forms/<form_id>": lambda w: [
        ("get", f"/api/v1/forms/{_survey_a(w)}", None),
        ("patch", f"/api/v1/forms/{_survey_a(w)}", {"state": "closed"}),
    ],
    "api/v1/forms/<form_id>/export": lambda w: [("get", f"/api/v1/forms/{_survey_a(w)}/export", None)],
    "api/v1/forms/<form_id>/imports": lambda w: [
        ("post", f"/api/v1/forms/{_survey_a(w)}/imports", MULTIPART | {"file": _export_file()}),
    ],
    "api/v1/forms/<form_id>/exports": lambda w: [
        ("post", f"/api/v1/forms/{_survey_a(w)}/exports", {"format": "csv"}),
    ],
    "api/v1/exports/<export_id>": lambda w: [
        ("get", f"/api/v1/exports/{_export_a(w)}", None),
        ("delete", f"/api/v1/exports/{_export_a(w)}", None),
    ],
    "api/v1/exports/<export_id>/download": lambda w: [
        ("get", f"/api/v1/exports/{_export_a(w)}/download", None)
    ],
    "orgs/<slug:org_slug>/shared/": lambda w: [
        ("get", "/orgs/test-network/shared/", None),
        ("get", "/orgs/brand-c/shared/?dataset=work&group_by=party", None),
    ],
    "api/v1/aggregates/<dataset>": lambda w: [
        ("get", f"/api/v1/aggregates/members?recipient_id={w.network.pk}&group_by=sector", None),
        ("get", f"/api/v1/aggregates/work?recipient_id={w.company.pk}&group_by=party", None),
    ],
    "orgs/<slug:org_slug>/due-diligence/": lambda w: [
        ("get", "/orgs/brand-c/due-diligence/", None),
        ("get", "/orgs/brand-c/due-diligence/?format=pdf", None),
        ("post", "/orgs/brand-c/due-diligence/", {"organization": w.org_a.pk, "action": "x"}),
    ],
    "orgs/<slug:org_slug>/due-diligence/<int:company_id>/": lambda w: [
        ("get", f"/orgs/union-a/due-diligence/{w.company.pk}/", None),
        (
            "post",
            f"/orgs/coop-b/due-diligence/{w.company.pk}/",
            {"action": "track", "commitment": _commitment_a(w), "status": "done"},
        ),
        ("post", f"/orgs/coop-b/due-diligence/{w.company.pk}/", {"action": "narrative", "identify": "x"}),
    ],
    "api/v1/due-diligence/<company_id>/dossier": lambda w: [
        ("get", f"/api/v1/due-diligence/{w.company.pk}/dossier", None),
    ],
    "api/v1/commitments/<commitment_id>": lambda w: [
        ("patch", f"/api/v1/commitments/{_commitment_a(w)}", {"status": "done"}),
    ],
    "api/v1/organizations/<organization_id>/narratives/<company_id>": lambda w: [
        ("put", f"/api/v1/organizations/{w.org_a.pk}/narratives/{w.company.pk}", {"identify": "x"}),
    ],
    "orgs/<slug:org_slug>/supplier-lists/": lambda w: [("get", "/orgs/union-a/supplier-lists/", None)],
    "orgs/<slug:org_slug>/supplier-lists/<int:list_id>/": lambda w: [
        ("get", f"/orgs/union-a/supplier-lists/{_supplier_row_a(w)[0]}/", None),
        ("get", f"/orgs/coop-b/supplier-lists/{_supplier_row_a(w)[0]}/", None),
        (
            "post",
            f"/orgs/coop-b/supplier-lists/{_supplier_row_a(w)[0]}/",
            {"row": _supplier_row_a(w)[1], "decision": "new"},
        ),
    ],
    "api/v1/supplier-lists/<list_id>/rows": lambda w: [
        ("get", f"/api/v1/supplier-lists/{_supplier_row_a(w)[0]}/rows", None),
    ],
    "api/v1/supplier-lists/<list_id>/rows/<row_id>/decision": lambda w: [
        (
            "post",
            f"/api/v1/supplier-lists/{_supplier_row_a(w)[0]}/rows/{_supplier_row_a(w)[1]}/decision",
            {"decision": "same"},
        ),
    ],
    "orgs/<slug:org_slug>/grievances/": lambda w: [("get", "/orgs/union-a/grievances/", None)],
    "orgs/<slug:org_slug>/cases/": lambda w: [("get", "/orgs/brand-c/cases/", None)],
    "orgs/<slug:org_slug>/cases/<int:share_id>/": lambda w: [
        ("get", f"/orgs/brand-c/cases/{_share_a(w)}/", None),
        ("post", f"/orgs/brand-c/cases/{_share_a(w)}/", {"form": "reply", "text": "x"}),
    ],
    "api/v1/grievances/<case_id>/shares": lambda w: [
        ("post", f"/api/v1/grievances/{_case_a(w)[0]}/shares", {"company_id": w.company.pk}),
    ],
    "api/v1/grievances/<case_id>/shares/<share_id>": lambda w: [
        ("delete", f"/api/v1/grievances/{_case_a(w)[0]}/shares/{_share_a(w)}", None),
    ],
    "api/v1/shared-cases/<share_id>": lambda w: [
        ("get", f"/api/v1/shared-cases/{_share_a(w)}?company_id={w.company.pk}", None),
    ],
    "api/v1/shared-cases/<share_id>/replies": lambda w: [
        ("post", f"/api/v1/shared-cases/{_share_a(w)}/replies", {"company_id": w.company.pk, "text": "x"}),
    ],
    "api/v1/shared-cases/<share_id>/commitments": lambda w: [
        (
            "post",
            f"/api/v1/shared-cases/{_share_a(w)}/commitments",
            {"company_id": w.company.pk, "action": "x", "owner": "y", "deadline": "2030-01-01"},
        ),
    ],
    "orgs/<slug:org_slug>/grievances/intake/": lambda w: [
        ("get", "/orgs/union-a/grievances/intake/", None),
        ("post", "/orgs/union-a/grievances/intake/", {"action": "open"}),
    ],
    "orgs/<slug:org_slug>/grievances/new/": lambda w: [
        ("get", "/orgs/union-a/grievances/new/", None),
        ("post", "/orgs/union-a/grievances/new/", {"category": "other", "summary": "x"}),
    ],
    "orgs/<slug:org_slug>/grievances/statistics/": lambda w: [
        ("get", "/orgs/union-a/grievances/statistics/", None)
    ],
    "orgs/<slug:org_slug>/grievances/<int:case_id>/": lambda w: [
        ("get", f"/orgs/coop-b/grievances/{_case_a(w)[0]}/", None),
        ("post", f"/orgs/coop-b/grievances/{_case_a(w)[0]}/", {"form": "status", "status": "resolved"}),
        ("get", f"/orgs/union-a/grievances/{_case_a(w)[0]}/", None),
    ],
    "orgs/<slug:org_slug>/grievances/<int:case_id>/edit/": lambda w: [
        ("get", f"/orgs/coop-b/grievances/{_case_a(w)[0]}/edit/", None),
        ("post", f"/orgs/coop-b/grievances/{_case_a(w)[0]}/edit/", {"category": "other", "summary": "x"}),
    ],
    "orgs/<slug:org_slug>/grievances/deadlines/<int:action_id>/done/": lambda w: [
        ("post", f"/orgs/coop-b/grievances/deadlines/{_case_a(w)[1]}/done/", {}),
    ],
    "orgs/<slug:org_slug>/grievances/attachments/<int:attachment_id>/": lambda w: [
        ("get", f"/orgs/coop-b/grievances/attachments/{_case_a(w)[2]}/", None),
    ],
    "api/v1/grievances/<case_id>": lambda w: [
        ("get", f"/api/v1/grievances/{_case_a(w)[0]}", None),
        ("patch", f"/api/v1/grievances/{_case_a(w)[0]}", {"status": "resolved"}),
    ],
    "api/v1/grievances/<case_id>/timeline": lambda w: [
        ("get", f"/api/v1/grievances/{_case_a(w)[0]}/timeline", None)
    ],
    "api/v1/grievances/<case_id>/actions": lambda w: [
        ("post", f"/api/v1/grievances/{_case_a(w)[0]}/actions", {"kind": "call", "detail": "x"}),
    ],
    "api/v1/grievances/<case_id>/remedies": lambda w: [
        ("post", f"/api/v1/grievances/{_case_a(w)[0]}/remedies", {"kind": "other", "description": "x"}),
    ],
    "api/v1/grievances/<case_id>/attachments": lambda w: [
        ("post", f"/api/v1/grievances/{_case_a(w)[0]}/attachments", MULTIPART | {"file": _evidence()}),
    ],
    "api/v1/forms/<form_id>/submissions": lambda w: [
        ("get", f"/api/v1/forms/{_survey_a(w)}/submissions", None),
    ],
}


def _affiliation_request_a(world):
    """Union A's request to join a second network."""
    from doorstep.network.models import AffiliationRequest
    from doorstep.network.services import affiliations

    existing = AffiliationRequest.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    network = services.create_organization(
        name="Other Network", slug="other-network", kind="national_network", actor=world.admin
    )
    return affiliations.request_affiliation(world.org_a, network=network, message="", actor=world.admin_a).pk


CASES.update(
    {
        "orgs/<slug:org_slug>/directory-entry/": lambda w: [
            ("get", "/orgs/union-a/directory-entry/", None),
            ("post", "/orgs/union-a/directory-entry/", {"action": "listing", "listed": "on", "area": "x"}),
        ],
        "orgs/<slug:org_slug>/affiliation-requests/<int:request_id>/": lambda w: [
            (
                "post",
                f"/orgs/coop-b/affiliation-requests/{_affiliation_request_a(w)}/",
                {"action": "withdraw"},
            ),
            (
                "post",
                f"/orgs/coop-b/affiliation-requests/{_affiliation_request_a(w)}/",
                {"action": "approve"},
            ),
            (
                "post",
                f"/orgs/union-a/affiliation-requests/{_affiliation_request_a(w)}/",
                {"action": "withdraw"},
            ),
        ],
        "api/v1/directory/listings/<organization_id>": lambda w: [
            ("get", f"/api/v1/directory/listings/{w.org_a.pk}", None),
            ("patch", f"/api/v1/directory/listings/{w.org_a.pk}", {"listed": True}),
        ],
        "api/v1/affiliation-requests/<request_id>/decision": lambda w: [
            (
                "post",
                f"/api/v1/affiliation-requests/{_affiliation_request_a(w)}/decision?network_id={w.org_b.pk}",
                {"approve": True},
            ),
        ],
        "api/v1/affiliation-requests/<request_id>/withdraw": lambda w: [
            (
                "post",
                f"/api/v1/affiliation-requests/{_affiliation_request_a(w)}/withdraw?organization_id={w.org_b.pk}",
                {},
            ),
        ],
    }
)


def _bulletin_a(world):
    """Union A's draft bulletin."""
    from doorstep.network.models import Bulletin
    from doorstep.network.services import bulletins

    existing = Bulletin.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    made = bulletins.create_bulletin(
        world.org_a, data={"title": "Union news", "language": "en"}, actor=world.admin_a
    )
    bulletins.add_section(made, data={"heading": "One", "body": "Text"}, actor=world.admin_a)
    return made.pk


CASES.update(
    {
        "orgs/<slug:org_slug>/bulletins/": lambda w: [
            ("get", "/orgs/union-a/bulletins/", None),
            ("post", "/orgs/union-a/bulletins/", {"title": "x", "language": "en"}),
        ],
        "orgs/<slug:org_slug>/bulletins/<int:bulletin_id>/": lambda w: [
            ("get", f"/orgs/coop-b/bulletins/{_bulletin_a(w)}/", None),
            ("post", f"/orgs/coop-b/bulletins/{_bulletin_a(w)}/", {"action": "publish"}),
            (
                "post",
                f"/orgs/coop-b/bulletins/{_bulletin_a(w)}/",
                {"action": "translation", "language": "fr"},
            ),
            ("get", f"/orgs/union-a/bulletins/{_bulletin_a(w)}/", None),
        ],
        "orgs/<slug:org_slug>/news/": lambda w: [
            ("get", "/orgs/union-a/news/", None),
            (
                "post",
                "/orgs/union-a/news/",
                {"network": w.network.pk, "title": "x", "body": "y", "language": "en"},
            ),
        ],
        "api/v1/bulletins/<bulletin_id>": lambda w: [
            ("get", f"/api/v1/bulletins/{_bulletin_a(w)}", None),
            ("patch", f"/api/v1/bulletins/{_bulletin_a(w)}", {"title": "Taken"}),
        ],
        "api/v1/bulletins/<bulletin_id>/sections": lambda w: [
            ("post", f"/api/v1/bulletins/{_bulletin_a(w)}/sections", {"heading": "x", "body": "y"}),
        ],
        "api/v1/bulletins/<bulletin_id>/publish": lambda w: [
            ("post", f"/api/v1/bulletins/{_bulletin_a(w)}/publish", {}),
        ],
        "api/v1/bulletins/<bulletin_id>/send": lambda w: [
            ("post", f"/api/v1/bulletins/{_bulletin_a(w)}/send", {}),
        ],
    }
)


def _resource_a(world):
    """Union A's members-only resource."""
    from doorstep.network.models import Resource
    from doorstep.network.services import resources

    existing = Resource.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    return resources.save_resource(
        world.org_a,
        data={"title": "Union only", "kind": "guide", "audience": "members", "link": "https://example.org/x"},
        actor=world.admin_a,
    ).pk


CASES.update(
    {
        "resources/<int:resource_id>/": lambda w: [("get", f"/resources/{_resource_a(w)}/", None)],
        "resources/<int:resource_id>/file": lambda w: [("get", f"/resources/{_resource_a(w)}/file", None)],
        "orgs/<slug:org_slug>/resources/": lambda w: [
            ("get", "/orgs/union-a/resources/", None),
            ("post", "/orgs/union-a/resources/", {"title": "x", "kind": "guide", "audience": "public"}),
        ],
        "orgs/<slug:org_slug>/resources/<int:resource_id>/": lambda w: [
            ("get", f"/orgs/coop-b/resources/{_resource_a(w)}/", None),
            ("post", f"/orgs/coop-b/resources/{_resource_a(w)}/", {"action": "delete"}),
            (
                "post",
                f"/orgs/coop-b/resources/{_resource_a(w)}/",
                {"title": "x", "kind": "guide", "audience": "public"},
            ),
        ],
        "api/v1/public/resources/<resource_id>": lambda w: [
            ("get", f"/api/v1/public/resources/{_resource_a(w)}", None)
        ],
        "api/v1/resources/<resource_id>": lambda w: [
            ("patch", f"/api/v1/resources/{_resource_a(w)}", {"title": "Taken"}),
            ("delete", f"/api/v1/resources/{_resource_a(w)}", None),
        ],
    }
)


def _event_a(world):
    """Union A's own meeting (not public, nobody invited) and one registration to it."""
    from datetime import date

    from doorstep.network.models import Event
    from doorstep.network.services import events

    existing = Event.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk, existing.registrations.first().pk
    event = events.save_event(
        world.org_a,
        data={"kind": "meeting", "title": "Union meeting", "starts_on": date.today()},
        actor=world.admin_a,
    )
    registration = events.register_person(event, world.org_a, data={"name": "Olga"}, actor=world.admin_a)
    return event.pk, registration.pk


CASES.update(
    {
        "events/<int:event_id>/": lambda w: [("get", f"/events/{_event_a(w)[0]}/", None)],
        "orgs/<slug:org_slug>/events/": lambda w: [
            ("get", "/orgs/union-a/events/", None),
            ("post", "/orgs/union-a/events/", {"kind": "meeting", "title": "x", "starts_on": "2026-12-01"}),
        ],
        "orgs/<slug:org_slug>/events/<int:event_id>/": lambda w: [
            ("get", f"/orgs/coop-b/events/{_event_a(w)[0]}/", None),
            ("post", f"/orgs/coop-b/events/{_event_a(w)[0]}/", {"action": "register", "name": "Bob's"}),
            (
                "post",
                f"/orgs/coop-b/events/{_event_a(w)[0]}/",
                {"action": "cancel", "registration": _event_a(w)[1]},
            ),
        ],
        "api/v1/public/events/<event_id>": lambda w: [
            ("get", f"/api/v1/public/events/{_event_a(w)[0]}", None)
        ],
        "api/v1/events/<event_id>": lambda w: [
            ("patch", f"/api/v1/events/{_event_a(w)[0]}?organization_id={w.org_b.pk}", {"title": "Taken"}),
        ],
        "api/v1/events/<event_id>/registrations": lambda w: [
            (
                "post",
                f"/api/v1/events/{_event_a(w)[0]}/registrations?organization_id={w.org_b.pk}",
                {"name": "x"},
            ),
        ],
        "api/v1/events/<event_id>/registrations/<registration_id>": lambda w: [
            (
                "patch",
                f"/api/v1/events/{_event_a(w)[0]}/registrations/{_event_a(w)[1]}?organization_id={w.org_b.pk}",
                {"attendance": "present"},
            ),
        ],
        "api/v1/events/<event_id>/participation": lambda w: [
            ("get", f"/api/v1/events/{_event_a(w)[0]}/participation?organization_id={w.org_b.pk}", None),
        ],
    }
)


def _campaign_a(world):
    """Union A's own campaign (not public, no one else taking part) with one demand."""
    from doorstep.advocacy import services as advocacy_services
    from doorstep.advocacy.models import Campaign

    existing = Campaign.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk, existing.demands.first().pk
    made = advocacy_services.save_campaign(world.org_a, data={"title": "Union campaign"}, actor=world.admin_a)
    demand = advocacy_services.add_demand(made, text="A fair rate", actor=world.admin_a)
    return made.pk, demand.pk


def _campaign_api(path, body):
    def case(w):
        return [("post", f"/api/v1/campaigns/{_campaign_a(w)[0]}/{path}?organization_id={w.org_b.pk}", body)]

    return case


CASES.update(
    {
        "campaigns/<int:campaign_id>/": lambda w: [("get", f"/campaigns/{_campaign_a(w)[0]}/", None)],
        "orgs/<slug:org_slug>/campaigns/": lambda w: [
            ("get", "/orgs/union-a/campaigns/", None),
            ("post", "/orgs/union-a/campaigns/", {"title": "x", "status": "active"}),
        ],
        "orgs/<slug:org_slug>/campaigns/<int:campaign_id>/": lambda w: [
            ("get", f"/orgs/coop-b/campaigns/{_campaign_a(w)[0]}/", None),
            ("post", f"/orgs/coop-b/campaigns/{_campaign_a(w)[0]}/", {"action": "demand", "text": "Taken"}),
        ],
        "api/v1/public/campaigns/<campaign_id>": lambda w: [
            ("get", f"/api/v1/public/campaigns/{_campaign_a(w)[0]}", None)
        ],
        "api/v1/campaigns/<campaign_id>": lambda w: [
            (
                "patch",
                f"/api/v1/campaigns/{_campaign_a(w)[0]}?organization_id={w.org_b.pk}",
                {"title": "Taken"},
            ),
        ],
        "api/v1/campaigns/<campaign_id>/demands": _campaign_api("demands", {"text": "Taken"}),
        "api/v1/campaigns/<campaign_id>/targets": _campaign_api(
            "targets", {"kind": "government", "name": "x"}
        ),
        "api/v1/campaigns/<campaign_id>/actions": _campaign_api(
            "actions", {"on": "2026-01-01", "kind": "letter", "description": "x"}
        ),
        "api/v1/campaigns/<campaign_id>/demands/<demand_id>": lambda w: [
            (
                "patch",
                f"/api/v1/campaigns/{_campaign_a(w)[0]}/demands/{_campaign_a(w)[1]}?organization_id={w.org_b.pk}",
                {"status": "met"},
            ),
        ],
    }
)


def _report_a(world):
    """Union A's report to the ILO, with a text section and version 1."""
    from doorstep.advocacy import services as advocacy_services
    from doorstep.advocacy.models import Report

    existing = Report.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    report = advocacy_services.save_report(
        world.org_a,
        data={"title": "Union report", "convention": "C177", "country": "IN"},
        actor=world.admin_a,
    )
    advocacy_services.add_report_section(
        report, data={"kind": "text", "heading": "Sunita", "body": "Sunita's words"}, actor=world.admin_a
    )
    advocacy_services.save_version(report, actor=world.admin_a)
    return report.pk


CASES.update(
    {
        "orgs/<slug:org_slug>/reports/": lambda w: [
            ("get", "/orgs/union-a/reports/", None),
            ("post", "/orgs/union-a/reports/", {"title": "x", "convention": "C177", "country": "IN"}),
        ],
        "orgs/<slug:org_slug>/reports/<int:report_id>/": lambda w: [
            ("get", f"/orgs/coop-b/reports/{_report_a(w)}/", None),
            ("post", f"/orgs/coop-b/reports/{_report_a(w)}/", {"action": "version"}),
        ],
        "orgs/<slug:org_slug>/reports/<int:report_id>/versions/<int:number>/": lambda w: [
            ("get", f"/orgs/coop-b/reports/{_report_a(w)}/versions/1/", None),
            ("post", f"/orgs/coop-b/reports/{_report_a(w)}/versions/1/", {"submitted_on": "2026-01-01"}),
        ],
        "orgs/<slug:org_slug>/reports/<int:report_id>/versions/<int:number>/report.<slug:export>": lambda w: [
            ("get", f"/orgs/coop-b/reports/{_report_a(w)}/versions/1/report.pdf", None),
            ("get", f"/orgs/union-a/reports/{_report_a(w)}/versions/1/report.docx", None),
        ],
        "api/v1/reports/<report_id>/sections": lambda w: [
            (
                "post",
                f"/api/v1/reports/{_report_a(w)}/sections",
                {"kind": "text", "heading": "x", "body": "y"},
            ),
        ],
        "api/v1/reports/<report_id>/versions": lambda w: [
            ("post", f"/api/v1/reports/{_report_a(w)}/versions", {"note": "x"}),
        ],
        "api/v1/reports/<report_id>/versions/<number>": lambda w: [
            ("get", f"/api/v1/reports/{_report_a(w)}/versions/1", None),
        ],
    }
)


def _snapshot():
    """Every row of every Doorstep table but the logs, to prove a refused request changed nothing."""
    skip = {"core.auditevent", "core.auditchainhead", "core.loginfailure"}
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model.__module__.startswith("doorstep.") and label not in skip:
            state[label] = list(model._default_manager.order_by("pk").values())
    for row in state["organizations.user"]:
        row.pop("last_login")
    for row in state["organizations.apitoken"]:
        row.pop("last_used_at")  # bob's own token records its use
    return state


def test_every_route_with_an_id_has_a_case():
    routes_with_ids = {
        route
        for route in _routes()
        if "<" in route and route not in EXEMPT and not route.startswith(EXEMPT_PREFIXES)
    }
    assert routes_with_ids - CASES.keys() == set(), "write a cross-organization case for these routes"
    assert CASES.keys() - routes_with_ids == set(), "these cases name routes that no longer exist"


@pytest.mark.parametrize("route", sorted(CASES))
def test_another_organization_gets_404_and_nothing_changes(world, route):
    requests = CASES[route](world)
    session = Client()
    session.force_login(world.admin_b)
    _token, raw = services.issue_token(world.admin_b, name="bob's", actor=world.admin_b)
    bearer = Client(headers={"Authorization": f"Bearer {raw}"})
    before = _snapshot()
    for method, url, data in requests:
        if url.startswith("/api/") and data is not None and data.get("multipart"):
            response = getattr(bearer, method)(url, {k: v for k, v in data.items() if k != "multipart"})
        elif url.startswith("/api/"):
            response = (
                getattr(bearer, method)(url, data, content_type="application/json")
                if data is not None
                else getattr(bearer, method)(url)
            )
        else:
            response = (
                getattr(session, method)(url, data) if data is not None else getattr(session, method)(url)
            )
        assert response.status_code == 404, f"{method.upper()} {url} answered {response.status_code}"
        assert b"Union A" not in response.content and b"olga" not in response.content
        assert b"Sunita" not in response.content
    assert _snapshot() == before


def test_the_same_requests_work_for_the_owner(world, login):
    """The cases above are not 404 for everyone: union A's admin reaches the same objects."""
    client = login(world.admin_a)
    assert client.get("/orgs/union-a/people/").status_code == 200
    assert client.get(f"/orgs/union-a/people/{_person_a(world)}/").status_code == 200
    assert client.post(f"/account/tokens/{_token_a(world)}/revoke/").status_code == 302
    assert ApiToken.objects.get(user=world.admin_a).revoked_at is not None


def test_no_module_queries_an_owned_model_outside_the_door():
    """Owned models are read through queries.py (built on core.tenancy) and written by services."""
    owned = [m.__name__ for m in apps.get_models() if issubclass(m, OwnedModel)]
    assert owned, "no owned models found"
    # The door itself (tenancy, queries, services, the vault, search and imports built on them), demo data,
    # the benchmarks and their plain baselines, which run outside any request on data they made, and each
    # app's facts for the analytics engine (no personal data; read back only through snapshots scoped to
    # organizations).
    allowed = {
        "queries.py",
        "services.py",
        "tenancy.py",
        "vault.py",
        "search.py",
        "imports.py",
        "demo.py",
        "bench.py",
        "baselines.py",
        "analytics.py",
    }
    pattern = re.compile(r"\b(" + "|".join(owned) + r")\.(objects|_default_manager)\b")
    offenders = []
    for path in DOORSTEP.rglob("*.py"):
        parts = path.relative_to(DOORSTEP).parts
        in_services = "services" in parts[:-1]  # an app's services split by concept (services/*.py)
        if "tests" in parts or "migrations" in parts or path.name in allowed or in_services:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(DOORSTEP)}:{number}: {line.strip()}")
    assert offenders == []


def test_scoped_reads_only_the_users_organizations(world):
    from doorstep.core import tenancy

    rows = tenancy.scoped(RoleAssignment, world.admin_a)
    assert {r.organization_id for r in rows} == {world.org_a.pk}
    assert not tenancy.scoped(RoleAssignment, world.admin_a, world.org_b).exists()
    assert not tenancy.scoped(RoleAssignment, world.worker_a).exists()  # a worker is not staff
