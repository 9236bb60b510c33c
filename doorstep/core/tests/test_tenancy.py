"""The tenancy door, proved over the whole URL map, from both sides.

Every URL pattern and API route that takes an object id is listed in CASES with requests aimed at
objects that Cooperative B does not own (Union A's, mostly). The same requests run twice, each case
in a fresh database:

- sent by Cooperative B's admin (the strongest role), every one answers 404 and nothing changes
  (``test_another_organization_gets_404_and_nothing_changes``);
- sent by their owner (Union A's admin, unless OWNERS names another: her own login, the company, the
  network's analyst), every one answers the status the case states, 2xx or a redirect, and every
  write leaves a trace (``test_the_owner_gets_what_the_case_expects``); so a route that answers 404
  to everyone fails too.

A new route with an id fails ``test_every_route_with_an_id_has_a_case`` until its case is written here,
and a request that does not say what its owner gets fails its owner's test.
"""

import re
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLResolver, get_resolver

from doorstep.core.models import OwnedModel
from doorstep.organizations import services
from doorstep.organizations.models import RoleAssignment
from doorstep.surveys.tests.test_enketo import enketo  # noqa: F401 - a stand-in Enketo (FIXTURES)

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
    "vote/<slug:org_slug>/": "the public ballot page: a one-time code is the credential (test_pages.py)",
    "api/v1/laws/<country>/<fact>": "public reference data; changing it needs a network role (test_laws.py)",
    "sms/<str:token>/receive": "a gateway's callback, by the channel's secret token (test_receiving)",
    "sms/<str:token>/status": "a gateway's delivery report, by the channel's token (test_receiving.py)",
    "market/<slug:org_slug>/": "a public catalogue: published products only (test_catalogue.py)",
    "market/<slug:org_slug>/products/<int:product_id>/": "a published product (test_catalogue.py)",
    "market/<slug:org_slug>/photos/<int:photo_id>/<str:size>.jpg": "a published product's photo",
    "market/<slug:org_slug>/catalogue.pdf": "the public catalogue, printable (test_catalogue.py)",
    "market/<slug:org_slug>/feed.<str:fmt>": "the public catalogue as CSV or JSON (test_catalogue.py)",
    "market/<slug:org_slug>/inquiry/": "the public inquiry form (test_catalogue.py)",
    "api/v1/public/market/<slug>/products": "the public catalogue through the API (test_catalogue.py)",
    "api/v1/public/market/<slug>/inquiries": "the public inquiry form through the API (test_catalogue.py)",
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
    from doorstep.members.services import registry as member_services

    existing = Member.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    data = {"full_name": "Sunita Devi", "category": "homeworker", "phones": ["+919812345678"]}
    return member_services.create_member(world.org_a, data=data, actor=world.admin_a).pk


def _member_pages(path, post=None):
    """GET of union A's member under union A's slug and the requester's own; POSTs under the latter."""

    def case(w, org):
        member = _member_a(w)
        requests = [
            ("get", f"/orgs/union-a/members/{member}/{path}", None, 200),
            ("get", f"/orgs/{org.slug}/members/{member}/{path}", None, 200),
        ]
        if post is not None:
            requests.append(("post", f"/orgs/{org.slug}/members/{member}/{path}", post, 302))
        return requests

    return case


def _import_a(world, step="uploaded"):
    """Union A's import of members at a step: uploaded (its columns to match), validated (ready to
    commit) or failed (committed, then its job stopped: ready to resume)."""
    from doorstep.core import imports
    from doorstep.core.models import Import

    existing = Import.objects.filter(organization=world.org_a, status=step).first()
    if existing:
        return existing.pk
    data = b"Full name,Phone,Category\nSunita Devi,9812345678,homeworker\n"
    job = imports.start(world.org_a, target_name="members", filename="m.csv", data=data, actor=world.admin_a)
    if step in ("validated", "failed"):
        imports.choose_mapping(job, job.mapping, actor=world.admin_a)
        job = imports.validate(job.pk)
    if step == "failed":
        job = imports.commit(job, actor=world.admin_a)
        # as a crash of its job leaves it
        Import.objects.filter(pk=job.pk).update(
            status=step, message="The job stopped.", lease_owner="", lease_expires_at=None
        )
        job.refresh_from_db()
    assert job.status == step
    return job.pk


def _duplicate_a(world):
    from doorstep.members.models import DuplicateCandidate
    from doorstep.members.services import registry as member_services

    if not DuplicateCandidate.objects.exists():
        for name in ("Sunita Devi", "Sunita Devee"):
            member_services.create_member(
                world.org_a,
                data={"full_name": name, "category": "homeworker", "locality": "Jagatpur"},
                actor=world.admin_a,
            )
    return DuplicateCandidate.objects.get().pk


def _profile_change_a(world):
    """A new phone number union A's member asked for on her own profile."""
    from doorstep.members.models import Member, ProfileChange
    from doorstep.members.services import logins, registry

    existing = ProfileChange.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    member = logins.give_login(Member.objects.get(pk=_member_a(world)), pin="480271", actor=world.admin_a)
    registry.update_own_profile(member, data={"phones": ["+919833333333"]}, actor=member.user)
    return ProfileChange.objects.get(organization=world.org_a).pk


def _kept_of_duplicate_a(world):
    """The record union A keeps when it merges its duplicate: the first of the two."""
    from doorstep.members.models import DuplicateCandidate

    return DuplicateCandidate.objects.get(pk=_duplicate_a(world)).first_id


def _token_a(world):
    token, _raw = services.issue_token(world.admin_a, name="alice's", actor=world.admin_a)
    return token.pk


def _invitation_a(world):
    """A role Cooperative B offers to Union A's admin; hers alone to answer."""
    added = services.add_person(world.org_b, username="alice", role="organizer", actor=world.admin_b)
    return added.invitation.pk


def _party_a(world):
    from doorstep.supplychains import services as party_services
    from doorstep.supplychains.models import Party

    existing = Party.objects.filter(organization=world.org_a, kind="intermediary").first()
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
    """GET of union A's order under the requester's slug; ``post(world)`` gives the form it POSTs."""

    def case(w, org):
        order = _order_a(w)
        requests = [("get", f"/orgs/{org.slug}/work/orders/{order}/{path}", None, 200)]
        if post is not None:
            requests.append(("post", f"/orgs/{org.slug}/work/orders/{order}/{path}", post(w), 302))
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


def _version_of_survey_a(world):
    from doorstep.surveys.models import FormVersion

    return FormVersion.objects.get(form_id=_survey_a(world)).pk


def _submission_a(world):
    from doorstep.surveys.models import Submission

    _survey_a(world)
    return Submission.objects.get(organization=world.org_a).pk


def _attachment_a(world):
    from doorstep.surveys.models import Attachment

    _survey_a(world)
    return Attachment.objects.get(organization=world.org_a).pk


def _export_a(world):
    """A finished export of union A's form, ready to download."""
    from doorstep.surveys import services as survey_services
    from doorstep.surveys.models import Form

    _survey_a(world)
    form = Form.objects.get(organization=world.org_a)
    queued = survey_services.request_export(
        form, fmt="csv", use_labels=False, split=False, language="en", actor=world.admin_a
    )
    return survey_services.run_export(queued.pk).pk


def _brand_a(world):
    """A brand in union A's records, buying from its intermediary (``_party_a``) once linked."""
    from doorstep.supplychains import services as party_services
    from doorstep.supplychains.models import Party

    existing = Party.objects.filter(organization=world.org_a, kind="brand").first()
    if existing:
        return existing.pk
    return party_services.create_party(
        world.org_a, data={"name": "Brand A", "kind": "brand"}, actor=world.admin_a
    ).pk


def _link_a(world):
    from doorstep.supplychains import services as party_services
    from doorstep.supplychains.models import Party

    seller = Party.objects.get(pk=_party_a(world))
    buyer = Party.objects.get(pk=_brand_a(world))
    return party_services.add_link(buyer, seller, {"evidence": "label"}, actor=world.admin_a).pk


def _agreement_a(world):
    from doorstep.organizations import services as organization_services

    data = {"recipient": world.network.pk, "purpose": "network_statistics", "data_kinds": ["members"]}
    return organization_services.create_agreement(world.org_a, data=data, actor=world.admin_a).pk


def _company_of_a(world):
    """Brand C, with which Union A shares its work figures and cases for due diligence (an agreement
    in force)."""
    from doorstep.organizations import services as organization_services
    from doorstep.organizations.models import SharingAgreement

    if not SharingAgreement.objects.filter(organization=world.org_a, recipient=world.company).exists():
        data = {
            "recipient": world.company.pk,
            "purpose": "company_due_diligence",
            "data_kinds": ["work", "grievances"],
        }
        organization_services.create_agreement(world.org_a, data=data, actor=world.admin_a)
    return world.company


def _network_of_a(world):
    """The network, with which Union A shares the work figures of its member (who agreed to it)."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from doorstep.members.models import Member
    from doorstep.members.services import consent as member_services
    from doorstep.organizations import services as organization_services
    from doorstep.organizations.models import SharingAgreement

    if not SharingAgreement.objects.filter(organization=world.org_a, recipient=world.network).exists():
        data = {"recipient": world.network.pk, "purpose": "network_statistics", "data_kinds": ["work"]}
        organization_services.create_agreement(world.org_a, data=data, actor=world.admin_a)
        member_services.record_consent(
            Member.objects.get(pk=_member_a(world)),
            purpose="network_sharing",
            given=True,
            effective_on=timezone.localdate() - timedelta(days=30),
            method="paper",
            actor=world.admin_a,
        )
        _order_a(world)
        call_command("refresh_analytics")  # the figures it publishes
    return world.network.slug


def _network_sharing_members_of_a(world):
    """The network, with which Union A shares the members' figures of twelve members: enough
    (k = 10) for a table that an open-data release may publish."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from doorstep.members.services import consent as member_services
    from doorstep.members.services import registry as registry_services
    from doorstep.organizations import services as organization_services

    data = {"recipient": world.network.pk, "purpose": "network_statistics", "data_kinds": ["members"]}
    organization_services.create_agreement(world.org_a, data=data, actor=world.admin_a)
    for i in range(12):
        data = {"full_name": f"Worker {i}", "category": "homeworker", "phones": [f"+9198123450{i:02d}"]}
        member = registry_services.create_member(world.org_a, data=data, actor=world.admin_a)
        member_services.record_consent(
            member,
            purpose="network_sharing",
            given=True,
            effective_on=timezone.localdate() - timedelta(days=30),
            method="paper",
            actor=world.admin_a,
        )
    call_command("refresh_analytics")
    return world.network.slug


def _commitment_a(world):
    """Brand C's commitment to Union A (which shares with it for due diligence)."""
    from doorstep.supplychains import services as party_services
    from doorstep.supplychains.models import Commitment

    existing = Commitment.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    _company_of_a(world)
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


def _shareable_case_a(world) -> int:
    """Union A's case, which it may share with Brand C (the agreement, her consent)."""
    from datetime import timedelta

    from django.utils import timezone

    from doorstep.members.models import ConsentEvent, Member
    from doorstep.members.services import consent as member_services

    _company_of_a(world)
    if not ConsentEvent.objects.filter(member_id=_member_a(world), purpose="company_case").exists():
        member_services.record_consent(
            Member.objects.get(pk=_member_a(world)),
            purpose="company_case",
            given=True,
            effective_on=timezone.localdate() - timedelta(days=1),
            method="paper",
            actor=world.admin_a,
        )
    return _case_a(world)[0]


def _share_a(world) -> int:
    """Union A's case shared with Brand C."""
    from doorstep.grievances.models import Case, CaseShare
    from doorstep.grievances.services import sharing as grievance_services

    existing = CaseShare.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    case = Case.objects.get(pk=_shareable_case_a(world))
    return grievance_services.share_case(case, world.company, {}, actor=world.admin_a).pk


def _member_number_a(world) -> int:
    from doorstep.members.models import Member

    return Member.objects.get(pk=_member_a(world)).number


def _scheme_a(world) -> int:
    """A scheme of Union A's own (rules on age), which no other organization sees."""
    from doorstep.protection import services as protection_services
    from doorstep.protection.models import Scheme

    existing = Scheme.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    data = protection_services.SchemeInput(
        name="Union A welfare fund",
        kind="welfare_board",
        country="IN",
        eligibility="Members aged 18 to 60",
        rules="age between 18-60",
        documents=["Aadhaar card", "Bank passbook"],
    )
    return protection_services.add_scheme(world.org_a, data, actor=world.admin_a).pk


def _application_a(world, *, rejected: bool = False) -> int:
    """Union A's member's application to its own scheme (rejected: a second member's, refused)."""
    from doorstep.members.models import Member
    from doorstep.members.services import registry as member_services
    from doorstep.protection import services as protection_services
    from doorstep.protection.models import Application

    status = "rejected" if rejected else "to_prepare"
    existing = Application.objects.filter(organization=world.org_a, status=status).first()
    if existing:
        return existing.pk
    if rejected:
        member = member_services.create_member(
            world.org_a, data={"full_name": "Meena Kumari", "category": "homeworker"}, actor=world.admin_a
        )
    else:
        member = Member.objects.get(pk=_member_a(world))
    data = protection_services.ApplicationInput(
        member_id=member.pk, scheme_id=_scheme_a(world), status=status, reference_number="REF-77"
    )
    return protection_services.start_application(world.org_a, data, actor=world.admin_a).pk


def _case_form(world):
    """The fields of a grievance about union A's member, as the page posts them."""
    from doorstep.members.models import Member

    number = Member.objects.get(pk=_member_a(world)).number
    return {
        "kind": "individual",
        "category": "other",
        "member_numbers": number,
        "summary": "Paid late",
        "priority": "normal",
    }


def _release_of_network(world):
    """An open-data release the network published (its tables need not hold anything here)."""
    from doorstep.insights.models import Release

    made = Release.objects.create(
        organization=world.network,
        title="Figures",
        licence="CC-BY-4.0",
        k=10,
        data_csv=b"",
        data_parquet=b"",
        dictionary_csv=b"",
        published_by=world.analyst,
    )
    return made.pk


def _dashboard_a(world):
    """Union A's work dashboard, with one order and the analytics refreshed."""
    from django.core.management import call_command

    _order_a(world)
    call_command("refresh_analytics")
    return "union-a"


def _app_user_a(world):
    from doorstep.surveys import services as survey_services

    return survey_services.create_app_user(world.org_a, name="phone", actor=world.admin_a)[0].pk


def _order_form(world):
    """The fields of a work order for union A's member and work giver, as the page posts them."""
    from doorstep.members.models import Member

    return {
        "member_number": str(Member.objects.get(pk=_member_a(world)).number),
        "party": str(_party_a(world)),
        "given_on": "2026-01-05",
        "product": "Mole",
        "sector": "embroidery",
        "quantity_ordered": "1",
        "unit": "piece",
        "piece_rate": "1",
        "currency": "INR",
        "status": "given",
    }


# route -> function(world, org) giving [(method, url, json body or form data, owner's status)], aimed at
# objects Cooperative B does not own and sent by a user of ``org``: Cooperative B for its admin (who
# must get 404), the owner's organization for the owner (who must get the status). A URL
# under ``org.slug`` or with ``org.pk`` is the requester's own page or scope; one under "union-a" is
# Union A's, which Cooperative B's admin cannot enter. The owner sends each distinct request once, in
# order, so a case lists its writes in an order that works for the owner (an edit before a delete).
MULTIPART = {"multipart": True}  # an API case sent as a multipart form (an upload), not JSON


def _evidence():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("slip.txt", b"paid 300 of 800")


def _export_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("export.csv", b"name;_uuid\nAsha;x\n")


CASES = {
    "orgs/<slug:org_slug>/": lambda w, org: [
        ("get", "/orgs/union-a/", None, 200),
        ("post", "/orgs/union-a/", {"member": 1}, 200),  # a union has no affiliates: the page again
    ],
    "orgs/<slug:org_slug>/people/": lambda w, org: [
        ("get", "/orgs/union-a/people/", None, 200),
        ("post", "/orgs/union-a/people/", {"username": "mole", "role": "org_admin"}, 200),  # her invitation
    ],
    "orgs/<slug:org_slug>/people/<int:person_id>/": lambda w, org: [
        ("get", f"/orgs/union-a/people/{_person_a(w)}/", None, 200),
        ("get", f"/orgs/{org.slug}/people/{_person_a(w)}/", None, 200),
        ("post", f"/orgs/{org.slug}/people/{_person_a(w)}/", {"action": "role", "role": "worker"}, 302),
        ("post", f"/orgs/{org.slug}/people/{_person_a(w)}/", {"action": "deactivate"}, 302),
    ],
    "account/invitations/<int:invitation_id>/": lambda w, org: [
        ("post", f"/account/invitations/{_invitation_a(w)}/", {"action": "decline"}, 302)
    ],
    "account/tokens/<int:token_id>/revoke/": lambda w, org: [
        ("post", f"/account/tokens/{_token_a(w)}/revoke/", {}, 302)
    ],
    "api/v1/organizations/<organization_id>": lambda w, org: [
        ("get", f"/api/v1/organizations/{w.org_a.pk}", None, 200)
    ],
    "api/v1/organizations/<organization_id>/affiliations": lambda w, org: [
        (
            "post",
            f"/api/v1/organizations/{_other_network(w).pk}/affiliations",
            {"member_id": w.org_a.pk},
            201,
        ),
    ],
    "api/v1/organizations/<organization_id>/people": lambda w, org: [
        ("get", f"/api/v1/organizations/{w.org_a.pk}/people", None, 200),
        (
            "post",
            f"/api/v1/organizations/{w.org_a.pk}/people",
            {"username": "mole", "role": "org_admin"},
            201,
        ),
    ],
    "api/v1/organizations/<organization_id>/people/<person_id>": lambda w, org: [
        ("patch", f"/api/v1/organizations/{w.org_a.pk}/people/{_person_a(w)}", {"role": "worker"}, 200),
        ("patch", f"/api/v1/organizations/{org.pk}/people/{_person_a(w)}", {"is_active": False}, 200),
    ],
    "api/v1/tokens/<token_id>": lambda w, org: [("delete", f"/api/v1/tokens/{_token_a(w)}", None, 200)],
    "orgs/<slug:org_slug>/members/": lambda w, org: [
        ("get", "/orgs/union-a/members/", None, 200),
        ("post", "/orgs/union-a/members/", {"q": "sunita"}, 200),  # a search: POST keeps names out of URLs
    ],
    "orgs/<slug:org_slug>/members/new/": lambda w, org: [
        ("get", "/orgs/union-a/members/new/", None, 200),
        (
            "post",
            "/orgs/union-a/members/new/",
            {"full_name": "Mole", "category": "homeworker", "status": "active"},
            302,
        ),
    ],
    "orgs/<slug:org_slug>/members/<int:member_id>/": _member_pages(""),
    "orgs/<slug:org_slug>/members/<int:member_id>/edit/": _member_pages(
        "edit/", {"full_name": "Changed", "category": "homeworker", "status": "left"}
    ),
    "orgs/<slug:org_slug>/members/<int:member_id>/consent/": lambda w, org: [
        (
            "post",
            f"/orgs/{org.slug}/members/{_member_a(w)}/consent/",
            {"purpose": "research", "given": "0", "effective_on": "2026-01-01", "method": "paper"},
            302,
        ),
    ],
    "orgs/<slug:org_slug>/members/<int:member_id>/dues/": lambda w, org: [
        (
            "post",
            f"/orgs/{org.slug}/members/{_member_a(w)}/dues/",
            {"period": "2026", "amount": "1", "currency": "INR", "paid_on": "2026-01-01"},
            302,
        ),
    ],
    "orgs/<slug:org_slug>/members/<int:member_id>/card/": _member_pages("card/"),
    "orgs/<slug:org_slug>/members/<int:member_id>/export/": _member_pages("export/"),
    "orgs/<slug:org_slug>/members/<int:member_id>/erase/": _member_pages("erase/", {"confirm": "1"}),
    "api/v1/members/<member_id>": lambda w, org: [
        ("get", f"/api/v1/members/{_member_a(w)}?include=pii", None, 200),
        ("patch", f"/api/v1/members/{_member_a(w)}", {"status": "left"}, 200),
        ("delete", f"/api/v1/members/{_member_a(w)}", None, 204),
    ],
    "api/v1/members/<member_id>/export": lambda w, org: [
        ("get", f"/api/v1/members/{_member_a(w)}/export", None, 200)
    ],
    "api/v1/members/<member_id>/consents": lambda w, org: [
        ("get", f"/api/v1/members/{_member_a(w)}/consents", None, 200),
        (
            "post",
            f"/api/v1/members/{_member_a(w)}/consents",
            {"purpose": "research", "given": False, "effective_on": "2026-01-01", "method": "paper"},
            201,
        ),
    ],
    "orgs/<slug:org_slug>/members/<int:member_id>/login/": lambda w, org: [
        ("post", f"/orgs/{org.slug}/members/{_member_a(w)}/login/", {"pin": "480271"}, 302),
    ],
    "orgs/<slug:org_slug>/members/<int:member_id>/changes/<int:change_id>/": lambda w, org: [
        (
            "post",
            f"/orgs/{org.slug}/members/{_member_a(w)}/changes/{_profile_change_a(w)}/",
            {"action": "dismiss"},
            302,
        ),
    ],
    "orgs/<slug:org_slug>/me/": lambda w, org: [("get", "/orgs/union-a/me/", None, 200)],
    "orgs/<slug:org_slug>/members/duplicates/": lambda w, org: [
        ("get", "/orgs/union-a/members/duplicates/", None, 200)
    ],
    "orgs/<slug:org_slug>/members/duplicates/<int:candidate_id>/": lambda w, org: [
        ("get", f"/orgs/{org.slug}/members/duplicates/{_duplicate_a(w)}/", None, 200),
        ("post", f"/orgs/{org.slug}/members/duplicates/{_duplicate_a(w)}/", {"action": "dismiss"}, 302),
    ],
    "orgs/<slug:org_slug>/imports/new/<slug:target_name>/": lambda w, org: [
        ("get", "/orgs/union-a/imports/new/members/", None, 200),
    ],
    "orgs/<slug:org_slug>/imports/<int:import_id>/": lambda w, org: [
        ("get", f"/orgs/union-a/imports/{_import_a(w)}/", None, 200),
        ("get", f"/orgs/{org.slug}/imports/{_import_a(w)}/", None, 200),
        (
            "post",
            f"/orgs/{org.slug}/imports/{_import_a(w)}/",
            {"column-0": "full_name", "column-2": "category"},
            302,
        ),
    ],
    "orgs/<slug:org_slug>/imports/<int:import_id>/errors.csv": lambda w, org: [
        ("get", f"/orgs/{org.slug}/imports/{_import_a(w)}/errors.csv", None, 200),
    ],
    "orgs/<slug:org_slug>/imports/<int:import_id>/<slug:action>/": lambda w, org: [
        ("post", f"/orgs/{org.slug}/imports/{_import_a(w)}/cancel/", {}, 302),
        ("post", f"/orgs/{org.slug}/imports/{_import_a(w, 'validated')}/commit/", {}, 302),
    ],
    "api/v1/imports/<import_id>": lambda w, org: [("get", f"/api/v1/imports/{_import_a(w)}", None, 200)],
    "api/v1/imports/<import_id>/mapping": lambda w, org: [
        (
            "post",
            f"/api/v1/imports/{_import_a(w)}/mapping",
            {"mapping": {"0": "full_name", "2": "category"}},
            202,
        ),
    ],
    "api/v1/imports/<import_id>/errors": lambda w, org: [
        ("get", f"/api/v1/imports/{_import_a(w)}/errors", None, 200)
    ],
    "api/v1/imports/<import_id>/commit": lambda w, org: [
        ("post", f"/api/v1/imports/{_import_a(w, 'validated')}/commit", {}, 202)
    ],
    "api/v1/imports/<import_id>/cancel": lambda w, org: [
        ("post", f"/api/v1/imports/{_import_a(w)}/cancel", {}, 200)
    ],
    "api/v1/imports/<import_id>/resume": lambda w, org: [
        ("post", f"/api/v1/imports/{_import_a(w, 'failed')}/resume", {}, 202)
    ],
    "api/v1/member-duplicates/<candidate_id>/merge": lambda w, org: [
        (
            "post",
            f"/api/v1/member-duplicates/{_duplicate_a(w)}/merge",
            {"keep": _kept_of_duplicate_a(w)},
            200,
        ),
    ],
    "api/v1/member-duplicates/<candidate_id>/dismiss": lambda w, org: [
        ("post", f"/api/v1/member-duplicates/{_duplicate_a(w)}/dismiss", {}, 200),
    ],
    "api/v1/members/<member_id>/dues": lambda w, org: [
        (
            "post",
            f"/api/v1/members/{_member_a(w)}/dues",
            {"period": "2026", "amount": "1", "currency": "INR", "paid_on": "2026-01-01"},
            201,
        ),
    ],
    "orgs/<slug:org_slug>/parties/": lambda w, org: [
        ("get", "/orgs/union-a/parties/", None, 200),
    ],
    "orgs/<slug:org_slug>/parties/new/": lambda w, org: [
        ("get", "/orgs/union-a/parties/new/", None, 200),
        ("post", "/orgs/union-a/parties/new/", {"name": "Mole", "kind": "brand"}, 302),
    ],
    "orgs/<slug:org_slug>/parties/<int:party_id>/": lambda w, org: [
        ("get", f"/orgs/union-a/parties/{_party_a(w)}/", None, 200),
        ("get", f"/orgs/{org.slug}/parties/{_party_a(w)}/", None, 200),
    ],
    "orgs/<slug:org_slug>/parties/<int:party_id>/chain/": lambda w, org: [
        ("get", f"/orgs/{org.slug}/parties/{_party_a(w)}/chain/", None, 200),
    ],
    "orgs/<slug:org_slug>/party-links/<int:link_id>/remove/": lambda w, org: [
        ("post", f"/orgs/{org.slug}/party-links/{_link_a(w)}/remove/", {}, 302),
    ],
    "orgs/<slug:org_slug>/parties/<int:party_id>/edit/": lambda w, org: [
        ("get", f"/orgs/{org.slug}/parties/{_party_a(w)}/edit/", None, 200),
        ("post", f"/orgs/{org.slug}/parties/{_party_a(w)}/edit/", {"name": "Mole", "kind": "brand"}, 302),
    ],
    "api/v1/sharing-agreements/<agreement_id>/revoke": lambda w, org: [
        ("post", f"/api/v1/sharing-agreements/{_agreement_a(w)}/revoke", {}, 200),
    ],
    "api/v1/parties/<party_id>/links": lambda w, org: [
        ("get", f"/api/v1/parties/{_party_a(w)}/links", None, 200),
        (
            "post",
            f"/api/v1/parties/{_brand_a(w)}/links",
            {"seller_id": _party_a(w), "evidence": "label"},
            201,
        ),
    ],
    "api/v1/parties/<party_id>/links/<link_id>": lambda w, org: [
        ("delete", f"/api/v1/parties/{_party_a(w)}/links/{_link_a(w)}", None, 204),
    ],
    "api/v1/parties/<party_id>/chain": lambda w, org: [
        ("get", f"/api/v1/parties/{_party_a(w)}/chain", None, 200)
    ],
    "api/v1/parties/<party_id>": lambda w, org: [
        ("get", f"/api/v1/parties/{_party_a(w)}?include=contact", None, 200),
        ("patch", f"/api/v1/parties/{_party_a(w)}", {"name": "Mole"}, 200),
    ],
    "orgs/<slug:org_slug>/work/": lambda w, org: [("get", "/orgs/union-a/work/", None, 200)],
    "orgs/<slug:org_slug>/work/settings/": lambda w, org: [
        ("post", "/orgs/union-a/work/settings/", {"late_payment_days": "5"}, 302)
    ],
    "orgs/<slug:org_slug>/work/orders/": lambda w, org: [("get", "/orgs/union-a/work/orders/", None, 200)],
    "orgs/<slug:org_slug>/brief/": lambda w, org: [("get", "/orgs/union-a/brief/", None, 200)],
    "orgs/<slug:org_slug>/open-data/": lambda w, org: [
        ("get", "/orgs/test-network/open-data/", None, 200),
        (
            "post",
            f"/orgs/{_network_sharing_members_of_a(w)}/open-data/",
            {"title": "x", "licence": "CC0-1.0", "tables": "members-category"},
            302,
        ),
    ],
    "orgs/<slug:org_slug>/open-data/<int:release_id>/withdraw/": lambda w, org: [
        ("post", f"/orgs/test-network/open-data/{_release_of_network(w)}/withdraw/", {}, 302)
    ],
    "orgs/<slug:org_slug>/brief.pdf": lambda w, org: [("get", "/orgs/union-a/brief.pdf", None, 200)],
    "orgs/<slug:org_slug>/work/charts/<slug:name>.<slug:fmt>": lambda w, org: [
        ("get", f"/orgs/{_dashboard_a(w)}/work/charts/payment_delays.png", None, 200),
        ("get", "/orgs/union-a/work/charts/orders_by_party.csv", None, 200),
    ],
    "orgs/<slug:org_slug>/work/orders/new/": lambda w, org: [
        ("get", "/orgs/union-a/work/orders/new/", None, 200),
        ("post", "/orgs/union-a/work/orders/new/", _order_form(w), 302),
    ],
    "orgs/<slug:org_slug>/work/orders/<int:order_id>/": lambda w, org: [
        ("get", f"/orgs/union-a/work/orders/{_order_a(w)}/", None, 200),
        ("get", f"/orgs/{org.slug}/work/orders/{_order_a(w)}/", None, 200),
    ],
    "orgs/<slug:org_slug>/work/orders/<int:order_id>/edit/": _order_pages("edit/", _order_form),
    "orgs/<slug:org_slug>/work/orders/<int:order_id>/void/": lambda w, org: [
        ("post", f"/orgs/{org.slug}/work/orders/{_order_a(w)}/void/", {"reason": "recorded twice"}, 302),
    ],
    "orgs/<slug:org_slug>/work/orders/<int:order_id>/<slug:kind>/add/": lambda w, org: [
        (
            "post",
            f"/orgs/{org.slug}/work/orders/{_order_a(w)}/payments/add/",
            {"payments-paid_on": "2026-01-21", "payments-amount": "5", "payments-method": "cash"},
            302,
        ),
    ],
    "orgs/<slug:org_slug>/work/orders/<int:order_id>/<slug:kind>/<int:entry_id>/reverse/": lambda w, org: [
        (
            "post",
            f"/orgs/{org.slug}/work/orders/{_order_a(w)}/payments/{_payment_a(w)}/reverse/",
            {"reason": "typed twice"},
            302,
        ),
    ],
    "orgs/<slug:org_slug>/work/quick/": lambda w, org: [
        ("get", "/orgs/union-a/work/quick/", None, 200),
        ("post", "/orgs/union-a/work/quick/", {**_order_form(w), f"q_{_member_a(w)}": "5"}, 302),
    ],
    "orgs/<slug:org_slug>/work/benchmarks/": lambda w, org: [
        ("get", "/orgs/union-a/work/benchmarks/", None, 200),
        (
            "post",
            "/orgs/union-a/work/benchmarks/",
            {
                "kind": "living_wage",
                "country": "IN",
                "amount": "80",
                "currency": "INR",
                "period": "hour",
                "effective_from": "2026-01-01",
                "source": "union estimate",
            },
            302,
        ),
    ],
    "orgs/<slug:org_slug>/work/benchmarks/<int:benchmark_id>/delete/": lambda w, org: [
        ("post", f"/orgs/{org.slug}/work/benchmarks/{_benchmark_a(w)}/delete/", {}, 302),
    ],
    "orgs/<slug:org_slug>/work/rates/": lambda w, org: [
        ("get", "/orgs/union-a/work/rates/", None, 200),
        (
            "post",
            "/orgs/union-a/work/rates/",
            {
                "product": "Mole",
                "unit": "piece",
                "method": "standard_minutes",
                "currency": "INR",
                "hourly_wage": "80",
                "sam": "6",
                "efficiency": "0.8",
            },
            302,
        ),
    ],
    "orgs/<slug:org_slug>/work/rates/<int:rate_id>/": lambda w, org: [
        ("get", f"/orgs/{org.slug}/work/rates/{_rate_a(w)}/", None, 200),
    ],
    "orgs/<slug:org_slug>/work/rates/<int:rate_id>/delete/": lambda w, org: [
        ("post", f"/orgs/{org.slug}/work/rates/{_rate_a(w)}/delete/", {}, 302),
    ],
    "orgs/<slug:org_slug>/members/<int:member_id>/passbook/": _member_pages("passbook/"),
    "orgs/<slug:org_slug>/me/passbook/": lambda w, org: [("get", "/orgs/union-a/me/passbook/", None, 200)],
    "api/v1/work-orders/<order_id>": lambda w, org: [
        ("get", f"/api/v1/work-orders/{_order_a(w)}", None, 200),
        ("patch", f"/api/v1/work-orders/{_order_a(w)}", {"piece_rate": "9"}, 200),
    ],
    "api/v1/work-orders/<order_id>/void": lambda w, org: [
        ("post", f"/api/v1/work-orders/{_order_a(w)}/void", {"reason": "recorded twice"}, 200),
    ],
    **{
        f"api/v1/work-orders/<order_id>/{kind}": (
            lambda w, org, kind=kind, body=body: [
                ("post", f"/api/v1/work-orders/{_order_a(w)}/{kind}", body, 201)
            ]
        )
        for kind, body in {
            "deliveries": {"delivered_on": "2026-01-11", "quantity": "1"},
            "payments": {"paid_on": "2026-01-21", "amount": "1"},
            "deductions": {"deducted_on": "2026-01-21", "amount": "1"},
            "costs": {"kind": "transport", "amount": "1"},
            "helpers": {"relationship": "daughter", "hours": "1"},
        }.items()
    },
    "api/v1/work-orders/<order_id>/<kind>/<entry_id>/reverse": lambda w, org: [
        (
            "post",
            f"/api/v1/work-orders/{_order_a(w)}/payments/{_payment_a(w)}/reverse",
            {"reason": "typed twice"},
            201,
        ),
    ],
    "api/v1/members/<member_id>/passbook": lambda w, org: [
        ("get", f"/api/v1/members/{_member_a(w)}/passbook", None, 200),
    ],
    "api/v1/benchmarks/<benchmark_id>": lambda w, org: [
        ("delete", f"/api/v1/benchmarks/{_benchmark_a(w)}?organization_id={org.pk}", None, 204),
        ("delete", f"/api/v1/benchmarks/{_benchmark_a(w)}?organization_id={w.org_a.pk}", None, 204),
    ],
    "orgs/<slug:org_slug>/sharing/": lambda w, org: [
        ("get", "/orgs/union-a/sharing/", None, 200),
        ("post", "/orgs/union-a/sharing/", {"action": "revoke", "agreement": _agreement_a(w)}, 302),
        ("post", f"/orgs/{org.slug}/sharing/", {"action": "revoke", "agreement": _agreement_a(w)}, 302),
    ],
    "orgs/<slug:org_slug>/surveys/": lambda w, org: [
        ("get", "/orgs/union-a/surveys/", None, 200),
    ],
    "orgs/<slug:org_slug>/surveys/app-users/": lambda w, org: [
        ("post", "/orgs/union-a/surveys/app-users/", {"name": "mole"}, 200),  # its token, shown once
    ],
    "orgs/<slug:org_slug>/surveys/app-users/<int:app_user_id>/revoke/": lambda w, org: [
        ("post", f"/orgs/{org.slug}/surveys/app-users/{_app_user_a(w)}/revoke/", {}, 302),
    ],
    "orgs/<slug:org_slug>/surveys/forms/<int:form_id>/": lambda w, org: [
        ("get", f"/orgs/union-a/surveys/forms/{_survey_a(w)}/", None, 200),
        ("get", f"/orgs/{org.slug}/surveys/forms/{_survey_a(w)}/", None, 200),
        (
            "post",
            f"/orgs/{org.slug}/surveys/forms/{_survey_a(w)}/",
            {"action": "state", "state": "closed"},
            302,
        ),
    ],
    "orgs/<slug:org_slug>/surveys/forms/<int:form_id>/submissions/": lambda w, org: [
        ("get", f"/orgs/{org.slug}/surveys/forms/{_survey_a(w)}/submissions/", None, 200),
    ],
    "orgs/<slug:org_slug>/surveys/forms/<int:form_id>/summary/": lambda w, org: [
        ("get", f"/orgs/{org.slug}/surveys/forms/{_survey_a(w)}/summary/", None, 200),
    ],
    "orgs/<slug:org_slug>/surveys/forms/<int:form_id>/export/": lambda w, org: [
        ("get", f"/orgs/{org.slug}/surveys/forms/{_survey_a(w)}/export/?format=xlsx", None, 200),
    ],
    "orgs/<slug:org_slug>/surveys/forms/<int:form_id>/import/": lambda w, org: [
        ("get", f"/orgs/{org.slug}/surveys/forms/{_survey_a(w)}/import/", None, 200),
        (
            "post",
            f"/orgs/{org.slug}/surveys/forms/{_survey_a(w)}/import/",
            {"version": _version_of_survey_a(w), "file": _export_file()},
            302,
        ),
    ],
    "orgs/<slug:org_slug>/surveys/forms/<int:form_id>/enketo/": lambda w, org: [
        ("post", f"/orgs/{org.slug}/surveys/forms/{_survey_a(w)}/enketo/", {}, 302),
    ],
    "orgs/<slug:org_slug>/surveys/forms/<int:form_id>/exports/": lambda w, org: [
        ("post", f"/orgs/{org.slug}/surveys/forms/{_survey_a(w)}/exports/", {"format": "csv"}, 302),
    ],
    "orgs/<slug:org_slug>/surveys/exports/<int:export_id>/": lambda w, org: [
        ("get", f"/orgs/{org.slug}/surveys/exports/{_export_a(w)}/", None, 200),
        ("post", f"/orgs/{org.slug}/surveys/exports/{_export_a(w)}/", {"action": "delete"}, 302),
    ],
    "orgs/<slug:org_slug>/surveys/exports/<int:export_id>/download/": lambda w, org: [
        ("get", f"/orgs/{org.slug}/surveys/exports/{_export_a(w)}/download/", None, 200),
    ],
    "orgs/<slug:org_slug>/surveys/submissions/<int:submission_id>/": lambda w, org: [
        ("get", f"/orgs/{org.slug}/surveys/submissions/{_submission_a(w)}/", None, 200),
    ],
    "orgs/<slug:org_slug>/surveys/attachments/<int:attachment_id>/": lambda w, org: [
        ("get", f"/orgs/{org.slug}/surveys/attachments/{_attachment_a(w)}/", None, 200),
    ],
    "api/v1/forms/<form_id>": lambda w, org: [
        ("get", f"/api/v1/forms/{_survey_a(w)}", None, 200),
        ("patch", f"/api/v1/forms/{_survey_a(w)}", {"state": "closed"}, 200),
    ],
    "api/v1/forms/<form_id>/export": lambda w, org: [
        ("get", f"/api/v1/forms/{_survey_a(w)}/export", None, 200)
    ],
    "api/v1/forms/<form_id>/imports": lambda w, org: [
        ("post", f"/api/v1/forms/{_survey_a(w)}/imports", MULTIPART | {"file": _export_file()}, 201),
    ],
    "api/v1/forms/<form_id>/exports": lambda w, org: [
        ("post", f"/api/v1/forms/{_survey_a(w)}/exports", {"format": "csv"}, 202),
    ],
    "api/v1/exports/<export_id>": lambda w, org: [
        ("get", f"/api/v1/exports/{_export_a(w)}", None, 200),
        ("delete", f"/api/v1/exports/{_export_a(w)}", None, 204),
    ],
    "api/v1/exports/<export_id>/download": lambda w, org: [
        ("get", f"/api/v1/exports/{_export_a(w)}/download", None, 200)
    ],
    "orgs/<slug:org_slug>/shared/": lambda w, org: [
        ("get", "/orgs/test-network/shared/", None, 200),
        ("get", "/orgs/test-network/shared/?dataset=work&group_by=sector", None, 200),
    ],
    "api/v1/aggregates/<dataset>": lambda w, org: [
        ("get", f"/api/v1/aggregates/members?recipient_id={w.network.pk}&group_by=sector", None, 200),
        ("get", f"/api/v1/aggregates/work?recipient_id={w.network.pk}&group_by=sector", None, 200),
    ],
    "orgs/<slug:org_slug>/due-diligence/": lambda w, org: [
        ("get", "/orgs/brand-c/due-diligence/", None, 200),
        ("get", "/orgs/brand-c/due-diligence/?format=pdf", None, 200),
        (
            "post",
            f"/orgs/{_company_of_a(w).slug}/due-diligence/",
            {
                "organization": w.org_a.pk,
                "step": "prevent",
                "action": "x",
                "owner": "Sourcing",
                "deadline": "2030-01-01",
            },
            302,
        ),
    ],
    "orgs/<slug:org_slug>/due-diligence/<int:company_id>/": lambda w, org: [
        ("get", f"/orgs/union-a/due-diligence/{w.company.pk}/", None, 200),
        (
            "post",
            f"/orgs/{org.slug}/due-diligence/{w.company.pk}/",
            {"action": "track", "commitment": _commitment_a(w), "status": "done"},
            302,
        ),
        (
            "post",
            f"/orgs/{org.slug}/due-diligence/{w.company.pk}/",
            {"action": "narrative", "identify": "x"},
            302,
        ),
    ],
    "api/v1/due-diligence/<company_id>/dossier": lambda w, org: [
        ("get", f"/api/v1/due-diligence/{w.company.pk}/dossier", None, 200),
    ],
    "api/v1/commitments/<commitment_id>": lambda w, org: [
        ("patch", f"/api/v1/commitments/{_commitment_a(w)}", {"status": "done"}, 200),
    ],
    "api/v1/organizations/<organization_id>/narratives/<company_id>": lambda w, org: [
        (
            "put",
            f"/api/v1/organizations/{w.org_a.pk}/narratives/{_company_of_a(w).pk}",
            {"identify": "x"},
            200,
        ),
    ],
    "orgs/<slug:org_slug>/supplier-lists/": lambda w, org: [
        ("get", "/orgs/union-a/supplier-lists/", None, 200)
    ],
    "orgs/<slug:org_slug>/supplier-lists/<int:list_id>/": lambda w, org: [
        ("get", f"/orgs/union-a/supplier-lists/{_supplier_row_a(w)[0]}/", None, 200),
        ("get", f"/orgs/{org.slug}/supplier-lists/{_supplier_row_a(w)[0]}/", None, 200),
        (
            "post",
            f"/orgs/{org.slug}/supplier-lists/{_supplier_row_a(w)[0]}/",
            {"row": _supplier_row_a(w)[1], "decision": "new"},
            302,
        ),
    ],
    "api/v1/supplier-lists/<list_id>/rows": lambda w, org: [
        ("get", f"/api/v1/supplier-lists/{_supplier_row_a(w)[0]}/rows", None, 200),
    ],
    "api/v1/supplier-lists/<list_id>/rows/<row_id>/decision": lambda w, org: [
        (
            "post",
            f"/api/v1/supplier-lists/{_supplier_row_a(w)[0]}/rows/{_supplier_row_a(w)[1]}/decision",
            {"decision": "same"},
            200,
        ),
    ],
    "orgs/<slug:org_slug>/protection/": lambda w, org: [("get", "/orgs/union-a/protection/", None, 200)],
    "orgs/<slug:org_slug>/protection/renewals/": lambda w, org: [
        ("get", "/orgs/union-a/protection/renewals/", None, 200),
        ("get", "/orgs/union-a/protection/renewals/?format=csv", None, 200),
    ],
    "orgs/<slug:org_slug>/protection/schemes/new/": lambda w, org: [
        ("get", "/orgs/union-a/protection/schemes/new/", None, 200),
        (
            "post",
            "/orgs/union-a/protection/schemes/new/",
            {"name": "Fund", "kind": "other", "country": "IN", "eligibility": "All", "rules": "age >= 18"},
            302,
        ),
    ],
    "orgs/<slug:org_slug>/protection/schemes/<int:scheme_id>/": lambda w, org: [
        ("get", f"/orgs/union-a/protection/schemes/{_scheme_a(w)}/", None, 200),
        ("get", f"/orgs/{org.slug}/protection/schemes/{_scheme_a(w)}/", None, 200),
        (
            "post",
            f"/orgs/{org.slug}/protection/schemes/{_scheme_a(w)}/",
            {"form": "start", "member_number": _member_number_a(w), "status": "to_prepare"},
            302,
        ),
    ],
    "orgs/<slug:org_slug>/protection/schemes/<int:scheme_id>/eligible/": lambda w, org: [
        ("get", f"/orgs/{org.slug}/protection/schemes/{_scheme_a(w)}/eligible/", None, 200),
        ("get", f"/orgs/{org.slug}/protection/schemes/{_scheme_a(w)}/eligible/?format=csv", None, 200),
    ],
    "orgs/<slug:org_slug>/protection/applications/<int:application_id>/": lambda w, org: [
        ("get", f"/orgs/union-a/protection/applications/{_application_a(w)}/", None, 200),
        ("get", f"/orgs/{org.slug}/protection/applications/{_application_a(w)}/", None, 200),
        (
            "post",
            f"/orgs/{org.slug}/protection/applications/{_application_a(w)}/",
            {"form": "change", "documents_have": ["Aadhaar card"], "reference_number": "REF-78"},
            302,
        ),
        (
            "post",
            f"/orgs/{org.slug}/protection/applications/{_application_a(w)}/",
            {"form": "status", "status": "submitted"},
            302,
        ),
        (
            "post",
            f"/orgs/{org.slug}/protection/applications/{_application_a(w, rejected=True)}/",
            {"form": "case"},
            302,
        ),
    ],
    "api/v1/schemes/<scheme_id>": lambda w, org: [
        ("get", f"/api/v1/schemes/{_scheme_a(w)}?organization_id={org.pk}", None, 200),
    ],
    "api/v1/schemes/<scheme_id>/eligible": lambda w, org: [
        ("get", f"/api/v1/schemes/{_scheme_a(w)}/eligible?organization_id={org.pk}", None, 200),
    ],
    "api/v1/applications/<application_id>": lambda w, org: [
        ("get", f"/api/v1/applications/{_application_a(w)}", None, 200),
        ("patch", f"/api/v1/applications/{_application_a(w)}", {"status": "submitted"}, 200),
    ],
    "api/v1/applications/<application_id>/case": lambda w, org: [
        ("post", f"/api/v1/applications/{_application_a(w, rejected=True)}/case", None, 201),
    ],
    "orgs/<slug:org_slug>/grievances/": lambda w, org: [("get", "/orgs/union-a/grievances/", None, 200)],
    "orgs/<slug:org_slug>/cases/": lambda w, org: [("get", "/orgs/brand-c/cases/", None, 200)],
    "orgs/<slug:org_slug>/cases/<int:share_id>/": lambda w, org: [
        ("get", f"/orgs/brand-c/cases/{_share_a(w)}/", None, 200),
        ("post", f"/orgs/brand-c/cases/{_share_a(w)}/", {"form": "reply", "text": "x"}, 302),
    ],
    "api/v1/grievances/<case_id>/shares": lambda w, org: [
        ("post", f"/api/v1/grievances/{_shareable_case_a(w)}/shares", {"company_id": w.company.pk}, 201),
    ],
    "api/v1/grievances/<case_id>/shares/<share_id>": lambda w, org: [
        ("delete", f"/api/v1/grievances/{_case_a(w)[0]}/shares/{_share_a(w)}", None, 204),
    ],
    "api/v1/shared-cases/<share_id>": lambda w, org: [
        ("get", f"/api/v1/shared-cases/{_share_a(w)}?company_id={w.company.pk}", None, 200),
    ],
    "api/v1/shared-cases/<share_id>/replies": lambda w, org: [
        (
            "post",
            f"/api/v1/shared-cases/{_share_a(w)}/replies",
            {"company_id": w.company.pk, "text": "x"},
            201,
        ),
    ],
    "api/v1/shared-cases/<share_id>/commitments": lambda w, org: [
        (
            "post",
            f"/api/v1/shared-cases/{_share_a(w)}/commitments",
            {"company_id": w.company.pk, "action": "x", "owner": "y", "deadline": "2030-01-01"},
            201,
        ),
    ],
    "orgs/<slug:org_slug>/grievances/intake/": lambda w, org: [
        ("get", "/orgs/union-a/grievances/intake/", None, 200),
        ("post", "/orgs/union-a/grievances/intake/", {"action": "open"}, 302),
    ],
    "orgs/<slug:org_slug>/grievances/new/": lambda w, org: [
        ("get", "/orgs/union-a/grievances/new/", None, 200),
        ("post", "/orgs/union-a/grievances/new/", _case_form(w), 302),
    ],
    "orgs/<slug:org_slug>/grievances/statistics/": lambda w, org: [
        ("get", "/orgs/union-a/grievances/statistics/", None, 200)
    ],
    "orgs/<slug:org_slug>/grievances/<int:case_id>/": lambda w, org: [
        ("get", f"/orgs/{org.slug}/grievances/{_case_a(w)[0]}/", None, 200),
        (
            "post",
            f"/orgs/{org.slug}/grievances/{_case_a(w)[0]}/",
            {"form": "status", "status": "resolved"},
            302,
        ),
        ("get", f"/orgs/union-a/grievances/{_case_a(w)[0]}/", None, 200),
    ],
    "orgs/<slug:org_slug>/grievances/<int:case_id>/edit/": lambda w, org: [
        ("get", f"/orgs/{org.slug}/grievances/{_case_a(w)[0]}/edit/", None, 200),
        (
            "post",
            f"/orgs/{org.slug}/grievances/{_case_a(w)[0]}/edit/",
            _case_form(w),
            302,
        ),
    ],
    "orgs/<slug:org_slug>/grievances/deadlines/<int:action_id>/done/": lambda w, org: [
        ("post", f"/orgs/{org.slug}/grievances/deadlines/{_case_a(w)[1]}/done/", {}, 302),
    ],
    "orgs/<slug:org_slug>/grievances/attachments/<int:attachment_id>/": lambda w, org: [
        ("get", f"/orgs/{org.slug}/grievances/attachments/{_case_a(w)[2]}/", None, 200),
    ],
    "api/v1/grievances/<case_id>": lambda w, org: [
        ("get", f"/api/v1/grievances/{_case_a(w)[0]}", None, 200),
        ("patch", f"/api/v1/grievances/{_case_a(w)[0]}", {"status": "resolved"}, 200),
    ],
    "api/v1/grievances/<case_id>/timeline": lambda w, org: [
        ("get", f"/api/v1/grievances/{_case_a(w)[0]}/timeline", None, 200)
    ],
    "api/v1/grievances/<case_id>/actions": lambda w, org: [
        ("post", f"/api/v1/grievances/{_case_a(w)[0]}/actions", {"kind": "call", "detail": "x"}, 201),
    ],
    "api/v1/grievances/<case_id>/remedies": lambda w, org: [
        ("post", f"/api/v1/grievances/{_case_a(w)[0]}/remedies", {"kind": "other", "description": "x"}, 201),
    ],
    "api/v1/grievances/<case_id>/attachments": lambda w, org: [
        ("post", f"/api/v1/grievances/{_case_a(w)[0]}/attachments", MULTIPART | {"file": _evidence()}, 201),
    ],
    "api/v1/forms/<form_id>/submissions": lambda w, org: [
        ("get", f"/api/v1/forms/{_survey_a(w)}/submissions", None, 200),
    ],
}


def _other_network(world):
    """A second network, which Union A has not joined, with its own admin (nina)."""
    from doorstep.core.roles import Role
    from doorstep.organizations.models import Organization, User

    existing = Organization.objects.filter(slug="other-network").first()
    if existing:
        return existing
    network = services.create_organization(
        name="Other Network", slug="other-network", kind="national_network", actor=world.admin
    )
    User.objects.create_user(username="nina")
    services.add_person(network, username="nina", role=Role.ORG_ADMIN, actor=world.admin)
    return network


def _other_network_admin(world):
    from doorstep.organizations.models import User

    _other_network(world)
    return User.objects.get(username="nina")


def _affiliation_request_a(world):
    """Union A's request to join the other network."""
    from doorstep.network.models import AffiliationRequest
    from doorstep.network.services import affiliations as network_services

    existing = AffiliationRequest.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    return network_services.request_affiliation(
        world.org_a, network=_other_network(world), message="", actor=world.admin_a
    ).pk


CASES.update(
    {
        "orgs/<slug:org_slug>/directory-entry/": lambda w, org: [
            ("get", "/orgs/union-a/directory-entry/", None, 200),
            (
                "post",
                "/orgs/union-a/directory-entry/",
                {"action": "listing", "listed": "on", "area": "x"},
                302,
            ),
        ],
        "orgs/<slug:org_slug>/affiliation-requests/<int:request_id>/": lambda w, org: [
            (
                "post",
                f"/orgs/{org.slug}/affiliation-requests/{_affiliation_request_a(w)}/",
                {"action": "withdraw"},
                302,
            ),
            (
                "post",
                f"/orgs/union-a/affiliation-requests/{_affiliation_request_a(w)}/",
                {"action": "withdraw"},
                302,
            ),
        ],
        "api/v1/directory/listings/<organization_id>": lambda w, org: [
            ("get", f"/api/v1/directory/listings/{w.org_a.pk}", None, 200),
            ("patch", f"/api/v1/directory/listings/{w.org_a.pk}", {"listed": True}, 200),
        ],
        "api/v1/affiliation-requests/<request_id>/decision": lambda w, org: [
            (
                "post",
                f"/api/v1/affiliation-requests/{_affiliation_request_a(w)}/decision?network_id={org.pk}",
                {"approve": True},
                200,
            ),
        ],
        "api/v1/affiliation-requests/<request_id>/withdraw": lambda w, org: [
            (
                "post",
                f"/api/v1/affiliation-requests/{_affiliation_request_a(w)}/withdraw?organization_id={org.pk}",
                {},
                200,
            ),
        ],
    }
)


def _bulletin_a(world, published=False):
    """Union A's bulletin: a draft, or published (to be sent)."""
    from doorstep.network.models import Bulletin
    from doorstep.network.services import bulletins as network_services

    made = Bulletin.objects.filter(organization=world.org_a).first()
    if made is None:
        made = network_services.create_bulletin(
            world.org_a, data={"title": "Union news", "language": "en"}, actor=world.admin_a
        )
        network_services.add_section(made, data={"heading": "One", "body": "Text"}, actor=world.admin_a)
    if published:
        network_services.publish_bulletin(made, actor=world.admin_a)
    return made.pk


CASES.update(
    {
        "orgs/<slug:org_slug>/bulletins/": lambda w, org: [
            ("get", "/orgs/union-a/bulletins/", None, 200),
            ("post", "/orgs/union-a/bulletins/", {"title": "x", "language": "en"}, 302),
        ],
        "orgs/<slug:org_slug>/bulletins/<int:bulletin_id>/": lambda w, org: [
            ("get", f"/orgs/{org.slug}/bulletins/{_bulletin_a(w)}/", None, 200),
            ("post", f"/orgs/{org.slug}/bulletins/{_bulletin_a(w)}/", {"action": "publish"}, 302),
            (
                "post",
                f"/orgs/{org.slug}/bulletins/{_bulletin_a(w)}/",
                {"action": "translation", "language": "fr"},
                302,
            ),
            ("get", f"/orgs/union-a/bulletins/{_bulletin_a(w)}/", None, 200),
        ],
        "orgs/<slug:org_slug>/news/": lambda w, org: [
            ("get", "/orgs/union-a/news/", None, 200),
            (
                "post",
                "/orgs/union-a/news/",
                {"network": w.network.pk, "title": "x", "body": "y", "language": "en"},
                302,
            ),
        ],
        "api/v1/bulletins/<bulletin_id>": lambda w, org: [
            ("get", f"/api/v1/bulletins/{_bulletin_a(w)}", None, 200),
            ("patch", f"/api/v1/bulletins/{_bulletin_a(w)}", {"title": "Taken"}, 200),
        ],
        "api/v1/bulletins/<bulletin_id>/sections": lambda w, org: [
            ("post", f"/api/v1/bulletins/{_bulletin_a(w)}/sections", {"heading": "x", "body": "y"}, 201),
        ],
        "api/v1/bulletins/<bulletin_id>/publish": lambda w, org: [
            ("post", f"/api/v1/bulletins/{_bulletin_a(w)}/publish", {}, 200),
        ],
        "api/v1/bulletins/<bulletin_id>/send": lambda w, org: [
            ("post", f"/api/v1/bulletins/{_bulletin_a(w, published=True)}/send", {}, 202),
        ],
    }
)


def _resource_a(world):
    """Union A's members-only resource."""
    from doorstep.network.models import Resource
    from doorstep.network.services import resources as network_services

    existing = Resource.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    from django.core.files.uploadedfile import SimpleUploadedFile

    return network_services.save_resource(
        world.org_a,
        data={"title": "Union only", "kind": "guide", "audience": "members"},
        upload=SimpleUploadedFile("guide.txt", b"How to keep a work diary"),
        actor=world.admin_a,
    ).pk


CASES.update(
    {
        "resources/<int:resource_id>/": lambda w, org: [("get", f"/resources/{_resource_a(w)}/", None, 200)],
        "resources/<int:resource_id>/file": lambda w, org: [
            ("get", f"/resources/{_resource_a(w)}/file", None, 200)
        ],
        "orgs/<slug:org_slug>/resources/": lambda w, org: [
            ("get", "/orgs/union-a/resources/", None, 200),
            (
                "post",
                "/orgs/union-a/resources/",
                {"title": "x", "kind": "guide", "audience": "public", "link": "https://example.org/y"},
                302,
            ),
        ],
        "orgs/<slug:org_slug>/resources/<int:resource_id>/": lambda w, org: [
            ("get", f"/orgs/{org.slug}/resources/{_resource_a(w)}/", None, 200),
            (
                "post",
                f"/orgs/{org.slug}/resources/{_resource_a(w)}/",
                {"title": "x", "kind": "guide", "audience": "public", "link": "https://example.org/y"},
                302,
            ),
            ("post", f"/orgs/{org.slug}/resources/{_resource_a(w)}/", {"action": "delete"}, 302),
        ],
        "api/v1/public/resources/<resource_id>": lambda w, org: [
            ("get", f"/api/v1/public/resources/{_resource_a(w)}", None, 200)
        ],
        "api/v1/resources/<resource_id>": lambda w, org: [
            ("patch", f"/api/v1/resources/{_resource_a(w)}", {"title": "Taken"}, 200),
            ("delete", f"/api/v1/resources/{_resource_a(w)}", None, 204),
        ],
    }
)


def _event_a(world):
    """Union A's own meeting (not public, nobody invited) and one registration to it."""
    from datetime import date

    from doorstep.network.models import Event
    from doorstep.network.services import events as network_services

    existing = Event.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk, existing.registrations.first().pk
    event = network_services.save_event(
        world.org_a,
        data={"kind": "meeting", "title": "Union meeting", "starts_on": date.today()},
        actor=world.admin_a,
    )
    registration = network_services.register_person(
        event, world.org_a, data={"name": "Olga"}, actor=world.admin_a
    )
    return event.pk, registration.pk


CASES.update(
    {
        "events/<int:event_id>/": lambda w, org: [("get", f"/events/{_event_a(w)[0]}/", None, 200)],
        "orgs/<slug:org_slug>/events/": lambda w, org: [
            ("get", "/orgs/union-a/events/", None, 200),
            (
                "post",
                "/orgs/union-a/events/",
                {"kind": "meeting", "title": "x", "starts_on": "2026-12-01"},
                302,
            ),
        ],
        "orgs/<slug:org_slug>/events/<int:event_id>/": lambda w, org: [
            ("get", f"/orgs/{org.slug}/events/{_event_a(w)[0]}/", None, 200),
            (
                "post",
                f"/orgs/{org.slug}/events/{_event_a(w)[0]}/",
                {"action": "register", "name": "Bob's"},
                302,
            ),
            (
                "post",
                f"/orgs/{org.slug}/events/{_event_a(w)[0]}/",
                {"action": "cancel", "registration": _event_a(w)[1]},
                302,
            ),
        ],
        "api/v1/public/events/<event_id>": lambda w, org: [
            ("get", f"/api/v1/public/events/{_event_a(w)[0]}", None, 200)
        ],
        "api/v1/events/<event_id>": lambda w, org: [
            ("patch", f"/api/v1/events/{_event_a(w)[0]}?organization_id={org.pk}", {"title": "Taken"}, 200),
        ],
        "api/v1/events/<event_id>/registrations": lambda w, org: [
            (
                "post",
                f"/api/v1/events/{_event_a(w)[0]}/registrations?organization_id={org.pk}",
                {"name": "x"},
                201,
            ),
        ],
        "api/v1/events/<event_id>/registrations/<registration_id>": lambda w, org: [
            (
                "patch",
                f"/api/v1/events/{_event_a(w)[0]}/registrations/{_event_a(w)[1]}?organization_id={org.pk}",
                {"attendance": "present"},
                200,
            ),
        ],
        "api/v1/events/<event_id>/participation": lambda w, org: [
            ("get", f"/api/v1/events/{_event_a(w)[0]}/participation?organization_id={org.pk}", None, 200),
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
    def case(w, org):
        return [("post", f"/api/v1/campaigns/{_campaign_a(w)[0]}/{path}?organization_id={org.pk}", body, 201)]

    return case


CASES.update(
    {
        "campaigns/<int:campaign_id>/": lambda w, org: [
            ("get", f"/campaigns/{_campaign_a(w)[0]}/", None, 200)
        ],
        "orgs/<slug:org_slug>/campaigns/": lambda w, org: [
            ("get", "/orgs/union-a/campaigns/", None, 200),
            ("post", "/orgs/union-a/campaigns/", {"title": "x", "status": "active"}, 302),
        ],
        "orgs/<slug:org_slug>/campaigns/<int:campaign_id>/": lambda w, org: [
            ("get", f"/orgs/{org.slug}/campaigns/{_campaign_a(w)[0]}/", None, 200),
            (
                "post",
                f"/orgs/{org.slug}/campaigns/{_campaign_a(w)[0]}/",
                {"action": "demand", "text": "Taken"},
                302,
            ),
        ],
        "api/v1/public/campaigns/<campaign_id>": lambda w, org: [
            ("get", f"/api/v1/public/campaigns/{_campaign_a(w)[0]}", None, 200)
        ],
        "api/v1/campaigns/<campaign_id>": lambda w, org: [
            (
                "patch",
                f"/api/v1/campaigns/{_campaign_a(w)[0]}?organization_id={org.pk}",
                {"title": "Taken"},
                200,
            ),
        ],
        "api/v1/campaigns/<campaign_id>/demands": _campaign_api("demands", {"text": "Taken"}),
        "api/v1/campaigns/<campaign_id>/targets": _campaign_api(
            "targets", {"kind": "government", "name": "x"}
        ),
        "api/v1/campaigns/<campaign_id>/actions": _campaign_api(
            "actions", {"on": "2026-01-01", "kind": "letter", "description": "x"}
        ),
        "api/v1/campaigns/<campaign_id>/demands/<demand_id>": lambda w, org: [
            (
                "patch",
                f"/api/v1/campaigns/{_campaign_a(w)[0]}/demands/{_campaign_a(w)[1]}?organization_id={org.pk}",
                {"status": "met"},
                200,
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
        "orgs/<slug:org_slug>/reports/": lambda w, org: [
            ("get", "/orgs/union-a/reports/", None, 200),
            ("post", "/orgs/union-a/reports/", {"title": "x", "convention": "C177", "country": "IN"}, 302),
        ],
        "orgs/<slug:org_slug>/reports/<int:report_id>/": lambda w, org: [
            ("get", f"/orgs/{org.slug}/reports/{_report_a(w)}/", None, 200),
            ("post", f"/orgs/{org.slug}/reports/{_report_a(w)}/", {"action": "version"}, 302),
        ],
        "orgs/<slug:org_slug>/reports/<int:report_id>/versions/<int:number>/": lambda w, org: [
            ("get", f"/orgs/{org.slug}/reports/{_report_a(w)}/versions/1/", None, 200),
            (
                "post",
                f"/orgs/{org.slug}/reports/{_report_a(w)}/versions/1/",
                {"submitted_on": "2026-01-01"},
                302,
            ),
        ],
        "orgs/<slug:org_slug>/reports/<int:report_id>/versions/<int:number>/report.<slug:export>": (
            lambda w, org: [
                ("get", f"/orgs/{org.slug}/reports/{_report_a(w)}/versions/1/report.pdf", None, 200),
                ("get", f"/orgs/union-a/reports/{_report_a(w)}/versions/1/report.docx", None, 200),
            ]
        ),
        "api/v1/reports/<report_id>/sections": lambda w, org: [
            (
                "post",
                f"/api/v1/reports/{_report_a(w)}/sections",
                {"kind": "text", "heading": "x", "body": "y"},
                201,
            ),
        ],
        "api/v1/reports/<report_id>/versions": lambda w, org: [
            ("post", f"/api/v1/reports/{_report_a(w)}/versions", {"note": "x"}, 201),
        ],
        "api/v1/reports/<report_id>/versions/<number>": lambda w, org: [
            ("get", f"/api/v1/reports/{_report_a(w)}/versions/1", None, 200),
        ],
    }
)


def _rules_a(world):
    """Union A's constitution rules (monthly dues, half the members in good standing for quorum)."""
    from doorstep.governance.models import Constitution
    from doorstep.governance.services import rules as rules_services

    if not Constitution.objects.filter(organization=world.org_a).exists():
        rules_services.save_rules(
            world.org_a,
            rules_services.RulesInput(
                dues_amount="100",
                dues_currency="KES",
                dues_period="month",
                grace_days=30,
                arrears_lose_vote=True,
                quorum_kind="share",
                quorum_percent="50",
            ),
            actor=world.admin_a,
        )
    return world.org_a.pk


def _position_a(world, title="Treasurer"):
    from doorstep.governance.models import Position
    from doorstep.governance.services import rules as rules_services

    existing = Position.objects.filter(organization=world.org_a, title=title).first()
    if existing:
        return existing.pk
    return rules_services.add_position(
        world.org_a, rules_services.PositionInput(kind="custom", title=title), actor=world.admin_a
    ).pk


def _term_a(world):
    """Sunita's running term as Union A's secretary."""
    from datetime import date

    from doorstep.governance.models import OfficeTerm, Position
    from doorstep.governance.services import offices

    existing = OfficeTerm.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    position = Position.objects.get(pk=_position_a(world, "Secretary"))
    term = offices.TermInput(member_id=_member_a(world), starts_on=date(2025, 1, 1), mandate="elected")
    return offices.start_term(position, term, actor=world.admin_a).pk


def _dues_payment_a(world):
    from datetime import date

    from doorstep.members.models import DuesPayment, Member
    from doorstep.members.services import dues as dues_services

    existing = DuesPayment.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    member = Member.objects.get(pk=_member_a(world))
    return dues_services.record_dues(
        member, period="2026-01", amount="100", currency="KES", paid_on=date(2026, 1, 5), actor=world.admin_a
    ).pk


def _meeting_a(world, title="Executive", frozen=True):
    """Union A's executive meeting with minutes (frozen as version 1 if asked)."""
    from datetime import date

    from doorstep.governance.models import Meeting
    from doorstep.governance.services import meetings

    existing = Meeting.objects.filter(organization=world.org_a, title=title).first()
    if existing:
        return existing.pk
    meeting = meetings.call_meeting(
        world.org_a,
        meetings.MeetingInput(kind="executive", title=title, held_on=date(2026, 1, 10), agenda="Dues"),
        actor=world.admin_a,
    )
    meetings.save_minutes(meeting, text="Sunita opened the meeting.", actor=world.admin_a)
    if frozen:
        meetings.freeze_minutes(meeting, actor=world.admin_a)
    return meeting.pk


def _later_meeting_a(world):
    from datetime import date

    from doorstep.governance.models import Meeting
    from doorstep.governance.services import meetings

    existing = Meeting.objects.filter(organization=world.org_a, title="Later").first()
    if existing:
        return existing.pk
    return meetings.call_meeting(
        world.org_a,
        meetings.MeetingInput(kind="executive", title="Later", held_on=date(2026, 2, 10)),
        actor=world.admin_a,
    ).pk


def _action_item_a(world):
    from datetime import date

    from doorstep.governance.models import ActionItem, Meeting
    from doorstep.governance.services import meetings

    existing = ActionItem.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    meeting = Meeting.objects.get(pk=_meeting_a(world, frozen=False, title="Open"))
    item = meetings.ActionItemInput(
        text="Visit the buyer", owner_id=_member_a(world), deadline=date(2026, 3, 1)
    )
    return meetings.add_action_item(meeting, item, actor=world.admin_a).pk


def _sms_channel_a(world):
    """Union A's SMS channel (a gateway address nothing answers at: a test message fails, recorded)."""
    from doorstep.messaging.models import Channel
    from doorstep.messaging.services import channels

    existing = Channel.objects.filter(organization=world.org_a, is_active=True).first()
    if existing:
        return existing.pk
    data = channels.ChannelInput(kind="external", name="gateway", send_url="http://127.0.0.1:9/send")
    return channels.connect_channel(world.org_a, data, actor=world.admin_a).pk


def _sms_notice_a(world):
    from doorstep.messaging.models import Notice
    from doorstep.messaging.services import notices

    _sms_channel_a(world)
    existing = Notice.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    data = notices.NoticeInput(title="Meeting", texts={"en": "Meeting tomorrow at ten."})
    return notices.create_notice(world.org_a, data, actor=world.admin_a).pk


CASES.update(
    {
        "orgs/<slug:org_slug>/governance/": lambda w, org: [("get", "/orgs/union-a/governance/", None, 200)],
        "orgs/<slug:org_slug>/governance/rules/": lambda w, org: [
            ("get", "/orgs/union-a/governance/rules/", None, 200),
            (
                "post",
                "/orgs/union-a/governance/rules/",
                {
                    "dues_amount": "50",
                    "dues_currency": "KES",
                    "dues_period": "year",
                    "grace_days": "30",
                    "quorum_kind": "number",
                    "quorum_number": "20",
                    "term_years": "3",
                },
                302,
            ),
        ],
        "orgs/<slug:org_slug>/governance/positions/": lambda w, org: [
            ("post", "/orgs/union-a/governance/positions/", {"kind": "custom", "title": "Auditor"}, 302),
        ],
        "orgs/<slug:org_slug>/governance/terms/": lambda w, org: [
            (
                "post",
                "/orgs/union-a/governance/terms/",
                {
                    "position": _position_a(w),
                    "member_number": "1",
                    "starts_on": "2026-01-01",
                    "mandate": "appointed",
                    "member": _member_a(w),
                },
                302,
            ),
        ],
        "orgs/<slug:org_slug>/governance/terms/<int:term_id>/end/": lambda w, org: [
            ("post", f"/orgs/{org.slug}/governance/terms/{_term_a(w)}/end/", {"ends_on": "2026-01-31"}, 302),
        ],
        "orgs/<slug:org_slug>/dues/": lambda w, org: [("get", "/orgs/union-a/dues/", None, 200)],
        "orgs/<slug:org_slug>/dues/payments/<int:payment_id>/receipt/": lambda w, org: [
            ("get", f"/orgs/{org.slug}/dues/payments/{_dues_payment_a(w)}/receipt/", None, 200),
            ("post", f"/orgs/{org.slug}/dues/payments/{_dues_payment_a(w)}/receipt/", {}, 302),
        ],
        "orgs/<slug:org_slug>/meetings/": lambda w, org: [
            ("get", "/orgs/union-a/meetings/", None, 200),
            (
                "post",
                "/orgs/union-a/meetings/",
                {"kind": "general_assembly", "title": "AGM", "held_on": "2026-06-01"},
                302,
            ),
        ],
        "orgs/<slug:org_slug>/meetings/<int:meeting_id>/": lambda w, org: [
            ("get", f"/orgs/{org.slug}/meetings/{_meeting_a(w)}/", None, 200),
            (
                "post",
                f"/orgs/{org.slug}/meetings/{_meeting_a(w)}/",
                {"action": "minutes", "minutes": "New"},
                302,
            ),
        ],
        "orgs/<slug:org_slug>/meetings/<int:meeting_id>/attendance/": lambda w, org: [
            ("get", f"/orgs/{org.slug}/meetings/{_meeting_a(w)}/attendance/", None, 200),
            (
                "post",
                f"/orgs/{org.slug}/meetings/{_meeting_a(w)}/attendance/",
                {"action": "list", "present": [_member_a(w)]},
                302,
            ),
        ],
        "orgs/<slug:org_slug>/meetings/<int:meeting_id>/minutes/<int:number>.pdf": lambda w, org: [
            ("get", f"/orgs/{org.slug}/meetings/{_meeting_a(w)}/minutes/1.pdf", None, 200),
        ],
        "orgs/<slug:org_slug>/action-items/<int:item_id>/done/": lambda w, org: [
            ("post", f"/orgs/{org.slug}/action-items/{_action_item_a(w)}/done/", {}, 302),
        ],
        "api/v1/organizations/<organization_id>/constitution": lambda w, org: [
            ("get", f"/api/v1/organizations/{_rules_a(w)}/constitution", None, 200),
            (
                "put",
                f"/api/v1/organizations/{_rules_a(w)}/constitution",
                {
                    "dues_amount": "20",
                    "dues_currency": "KES",
                    "dues_period": "quarter",
                    "grace_days": 10,
                    "quorum_kind": "share",
                    "quorum_percent": "30",
                },
                200,
            ),
        ],
        "api/v1/organizations/<organization_id>/positions": lambda w, org: [
            ("get", f"/api/v1/organizations/{w.org_a.pk}/positions", None, 200),
            ("post", f"/api/v1/organizations/{w.org_a.pk}/positions", {"kind": "president"}, 201),
        ],
        "api/v1/organizations/<organization_id>/office-terms": lambda w, org: [
            ("get", f"/api/v1/organizations/{w.org_a.pk}/office-terms", None, 200),
            (
                "post",
                f"/api/v1/organizations/{w.org_a.pk}/office-terms",
                {
                    "position_id": _position_a(w),
                    "member_id": _member_a(w),
                    "starts_on": "2026-01-01",
                    "mandate": "elected",
                },
                201,
            ),
        ],
        "api/v1/office-terms/<term_id>/end": lambda w, org: [
            ("post", f"/api/v1/office-terms/{_term_a(w)}/end", {"ends_on": "2026-01-31"}, 200),
        ],
        "api/v1/members/<member_id>/standing": lambda w, org: [
            ("get", f"/api/v1/members/{_member_a(w)}/standing", None, 200),
        ],
        "api/v1/organizations/<organization_id>/arrears": lambda w, org: [
            ("get", f"/api/v1/organizations/{_rules_a(w)}/arrears", None, 200),
        ],
        "api/v1/organizations/<organization_id>/dues-totals": lambda w, org: [
            ("get", f"/api/v1/organizations/{w.org_a.pk}/dues-totals?year=2026", None, 200),
        ],
        "api/v1/dues-payments/<payment_id>/receipt": lambda w, org: [
            ("post", f"/api/v1/dues-payments/{_dues_payment_a(w)}/receipt", None, 201),
        ],
        "api/v1/meetings/<meeting_id>": lambda w, org: [
            ("get", f"/api/v1/meetings/{_meeting_a(w)}", None, 200),
        ],
        "api/v1/meetings/<meeting_id>/attendance": lambda w, org: [
            ("post", f"/api/v1/meetings/{_meeting_a(w)}/attendance", {"member_ids": [_member_a(w)]}, 200),
        ],
        "api/v1/meetings/<meeting_id>/resolutions": lambda w, org: [
            (
                "post",
                f"/api/v1/meetings/{_meeting_a(w)}/resolutions",
                {"text": "Raise dues", "votes_for": 0, "votes_against": 0, "abstaining": 0},
                201,
            ),
        ],
        "api/v1/meetings/<meeting_id>/action-items": lambda w, org: [
            (
                "post",
                f"/api/v1/meetings/{_meeting_a(w)}/action-items",
                {"text": "Call the buyer", "owner_id": _member_a(w), "deadline": "2026-02-01"},
                201,
            ),
        ],
        "api/v1/action-items/<item_id>/done": lambda w, org: [
            ("post", f"/api/v1/action-items/{_action_item_a(w)}/done", None, 200),
        ],
        "api/v1/meetings/<meeting_id>/minutes": lambda w, org: [
            ("put", f"/api/v1/meetings/{_meeting_a(w)}/minutes", {"minutes": "Changed"}, 200),
        ],
        "api/v1/meetings/<meeting_id>/minutes/versions": lambda w, org: [
            (
                "post",
                f"/api/v1/meetings/{_meeting_a(w, frozen=False, title='Open')}/minutes/versions",
                None,
                201,
            ),
        ],
        "api/v1/meetings/<meeting_id>/minutes/versions/<number>": lambda w, org: [
            ("get", f"/api/v1/meetings/{_meeting_a(w)}/minutes/versions/1", None, 200),
        ],
        "api/v1/meetings/<meeting_id>/minutes/versions/<number>/approve": lambda w, org: [
            (
                "post",
                f"/api/v1/meetings/{_meeting_a(w)}/minutes/versions/1/approve",
                {"meeting_id": _later_meeting_a(w)},
                200,
            ),
        ],
    }
)


def _annual_report_a(world):
    """Union A's annual report of 2026 with version 1 frozen."""
    from doorstep.governance.models import AnnualReport
    from doorstep.governance.services import reports

    existing = AnnualReport.objects.filter(organization=world.org_a).first()
    if existing:
        return existing.pk
    report = reports.start_report(world.org_a, year=2026, actor=world.admin_a)
    reports.save_text(report, text="Sunita's year", actor=world.admin_a)
    reports.freeze(report, actor=world.admin_a)
    return report.pk


CASES.update(
    {
        "orgs/<slug:org_slug>/governance/reports/": lambda w, org: [
            ("get", "/orgs/union-a/governance/reports/", None, 200),
            ("post", "/orgs/union-a/governance/reports/", {"year": "2025"}, 302),
        ],
        "orgs/<slug:org_slug>/governance/reports/<int:report_id>/": lambda w, org: [
            ("get", f"/orgs/{org.slug}/governance/reports/{_annual_report_a(w)}/", None, 200),
            (
                "post",
                f"/orgs/{org.slug}/governance/reports/{_annual_report_a(w)}/",
                {"action": "text", "text": "Our year"},
                302,
            ),
        ],
        "orgs/<slug:org_slug>/governance/reports/<int:report_id>/versions/<int:number>/": lambda w, org: [
            ("get", f"/orgs/{org.slug}/governance/reports/{_annual_report_a(w)}/versions/1/", None, 200),
        ],
        "api/v1/annual-reports/<report_id>": lambda w, org: [
            ("get", f"/api/v1/annual-reports/{_annual_report_a(w)}", None, 200),
            ("put", f"/api/v1/annual-reports/{_annual_report_a(w)}", {"text": "Changed"}, 200),
        ],
        "api/v1/annual-reports/<report_id>/versions": lambda w, org: [
            ("put", f"/api/v1/annual-reports/{_annual_report_a(w)}", {"text": "Changed again"}, 200),
            ("post", f"/api/v1/annual-reports/{_annual_report_a(w)}/versions", None, 201),
        ],
        "api/v1/annual-reports/<report_id>/versions/<number>": lambda w, org: [
            ("get", f"/api/v1/annual-reports/{_annual_report_a(w)}/versions/1", None, 200),
        ],
    }
)


CASES.update(
    {
        "orgs/<slug:org_slug>/sms/": lambda w, org: [
            ("get", "/orgs/union-a/sms/", None, 200),
            ("post", "/orgs/union-a/sms/", {"action": "notice", "title": "x", "text_en": "Hello"}, 302),
        ],
        "orgs/<slug:org_slug>/sms/channels/<int:channel_id>/": lambda w, org: [
            ("get", f"/orgs/union-a/sms/channels/{_sms_channel_a(w)}/", None, 200),
            (
                "post",
                f"/orgs/union-a/sms/channels/{_sms_channel_a(w)}/",
                {"action": "test", "to": "+919812345678"},
                200,
            ),
        ],
        "orgs/<slug:org_slug>/sms/notices/<int:notice_id>/": lambda w, org: [
            ("get", f"/orgs/union-a/sms/notices/{_sms_notice_a(w)}/", None, 200),
            ("post", f"/orgs/union-a/sms/notices/{_sms_notice_a(w)}/", {"action": "send"}, 302),
        ],
        "orgs/<slug:org_slug>/sms/keywords/": lambda w, org: [
            ("get", "/orgs/union-a/sms/keywords/", None, 200),
            ("post", "/orgs/union-a/sms/keywords/", {"language": "en", "word_balance": "PESA"}, 302),
        ],
        "api/v1/sms/channels/<channel_id>/test": lambda w, org: [
            ("post", f"/api/v1/sms/channels/{_sms_channel_a(w)}/test", {"to": "+919812345678"}, 200),
        ],
        "api/v1/sms/channels/<channel_id>/switch-off": lambda w, org: [
            ("post", f"/api/v1/sms/channels/{_sms_channel_a(w)}/switch-off", {}, 200),
        ],
        "api/v1/sms/notices/<notice_id>": lambda w, org: [
            ("get", f"/api/v1/sms/notices/{_sms_notice_a(w)}", None, 200),
        ],
        "api/v1/sms/notices/<notice_id>/send": lambda w, org: [
            ("post", f"/api/v1/sms/notices/{_sms_notice_a(w)}/send", {}, 202),
        ],
    }
)


def _her_login(world):
    """Union A's member, logged in as herself (a worker)."""
    from doorstep.members.models import Member
    from doorstep.members.services import logins as member_services

    member = Member.objects.get(pk=_member_a(world))
    return member_services.give_login(member, pin="480271", actor=world.admin_a).user


def _election_a(world, stage="draft"):
    """Union A's election at a stage: draft (a position, roll open), frozen (two members on the roll,
    one nomination waiting for her answer), open (accepted, a polling station, voting open), tallied
    (its station's tally in), closed (voting over), counted. Returns the election's ids."""
    from datetime import timedelta

    from django.utils import timezone

    from doorstep.elections import services as election_services
    from doorstep.elections.models import Election, Nomination, PollingStation

    def ids(election):
        nomination = Nomination.objects.filter(contest__election=election).first()
        station = PollingStation.objects.filter(election=election).first()
        return {
            "id": election.pk,
            "nomination": getattr(nomination, "pk", 0),
            "station": getattr(station, "pk", 0),
        }

    existing = Election.objects.filter(organization=world.org_a).first()
    if existing:
        return ids(existing)
    now, admin = timezone.now(), world.admin_a
    election = election_services.create_election(
        world.org_a,
        election_services.ElectionInput(
            "Executive", now + timedelta(days=1), now + timedelta(days=2), timezone.localdate()
        ),
        actor=admin,
    )
    contest = election_services.add_contest(
        election, election_services.ContestInput("President", "plurality"), actor=admin
    )
    if stage == "draft":
        return ids(election)
    nominee = _member_a(world)
    from doorstep.members.services import registry as member_services

    proposer = member_services.create_member(
        world.org_a, data={"full_name": "Sunita Kumari", "category": "homeworker"}, actor=admin
    )
    election_services.freeze_roll(election, actor=admin)
    nomination = election_services.nominate(
        contest, election_services.NominationInput(nominee, proposer.pk), actor=admin
    )
    if stage == "frozen":
        return ids(election)
    election_services.answer_nomination(nomination, accept=True, actor=admin)
    station = election_services.add_station(election, election_services.StationInput("Hall"), actor=admin)
    Election.objects.filter(pk=election.pk).update(
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(hours=1)
    )
    if stage == "open":
        return ids(election)
    votes = {contest.pk: {nomination.pk: 1}}
    election_services.enter_tally(
        station, election_services.TallyInput(1, 0, votes, "t.png", _png()), actor=admin
    )
    if stage == "tallied":
        return ids(election)
    Election.objects.filter(pk=election.pk).update(
        opens_at=now - timedelta(hours=3), closes_at=now - timedelta(hours=1)
    )
    if stage == "closed":
        return ids(election)
    election_services.count_election(Election.objects.get(pk=election.pk), actor=admin)
    return ids(election)


def _png():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, format="PNG")
    return out.getvalue()


def _tally_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("sheet.png", _png(), "image/png")


def _election_page(stage, path, post=None, status=302):
    def case(w, org):
        e = _election_a(w, stage)
        url = f"/orgs/{org.slug}/elections/{e['id']}/{path}".format(**e)
        requests = [
            ("get", f"/orgs/union-a/elections/{e['id']}/{path}".format(**e), None, 200),
            ("get", url, None, 200),
        ]
        if post is not None:
            requests.append(("post", url, post() if callable(post) else post, status))
        return requests

    return case


def _election_api(stage, path, body=None, status=201, method="post"):
    def case(w, org):
        e = _election_a(w, stage)
        data = body(w, e) if callable(body) else body
        return [(method, f"/api/v1/elections/{e['id']}{path}".format(**e), data, status)]

    return case


_STATION = "orgs/<slug:org_slug>/elections/<int:election_id>/stations/<int:station_id>/tally/"
CASES.update(
    {
        "orgs/<slug:org_slug>/elections/": lambda w, org: [("get", "/orgs/union-a/elections/", None, 200)],
        "orgs/<slug:org_slug>/election-turnout/": lambda w, org: [
            ("get", "/orgs/test-network/election-turnout/", None, 200)
        ],
        "orgs/<slug:org_slug>/elections/<int:election_id>/": _election_page(
            "frozen", "", {"action": "station", "name": "School", "numbers": ""}
        ),
        "orgs/<slug:org_slug>/elections/<int:election_id>/results/": _election_page("counted", "results/"),
        _STATION: _election_page(
            "open",
            "stations/{station}/tally/",
            lambda: {"ballots_cast": 1, "spoiled": 0, "photo": _tally_upload()},
        ),
        f"{_STATION}photo.jpg": _election_page("tallied", "stations/{station}/tally/photo.jpg"),
        "api/v1/elections/<election_id>": _election_api("draft", "", method="get", status=200),
        "api/v1/elections/<election_id>/contests": _election_api(
            "draft", "/contests", {"position_title": "Secretary", "method": "instant_runoff"}
        ),
        "api/v1/elections/<election_id>/roll": _election_api("draft", "/roll"),
        "api/v1/elections/<election_id>/nominations": _election_api(
            "frozen",
            "/nominations",
            lambda w, e: {
                "contest_id": _contest_of(e),
                "nominee_id": _roll_member(e, 1),
                "nominated_by_id": _roll_member(e, 0),
            },
        ),
        "api/v1/elections/<election_id>/nominations/<nomination_id>/answer": _election_api(
            "frozen", "/nominations/{nomination}/answer", {"accept": True}, status=200
        ),
        "api/v1/elections/<election_id>/stations": _election_api("frozen", "/stations", {"name": "School"}),
        "api/v1/elections/<election_id>/stations/<station_id>/tally": _election_api(
            "open",
            "/stations/{station}/tally",
            lambda w, e: {**MULTIPART, "ballots_cast": 1, "votes": "{}", "photo": _tally_upload()},
        ),
        "api/v1/elections/<election_id>/codes": _election_api("frozen", "/codes", status=200),
        "api/v1/elections/<election_id>/count": _election_api("closed", "/count", status=200),
        "api/v1/elections/<election_id>/publish": _election_api("counted", "/publish", status=200),
        "api/v1/elections/<election_id>/results": _election_api(
            "counted", "/results", method="get", status=200
        ),
    }
)


def _contest_of(e):
    from doorstep.elections.models import Contest

    return Contest.objects.filter(election_id=e["id"]).first().pk


def _roll_member(e, index):
    from doorstep.elections.models import RollEntry

    return list(
        RollEntry.objects.filter(election_id=e["id"])
        .order_by("member_id")
        .values_list("member_id", flat=True)
    )[index]


def _once_public(publish):
    """The owner of a case on a public route, which shows only what an organization made public, to
    anyone: Union A's admin, once Union A has made the object public."""

    def owner(world):
        publish(world)
        return world.admin_a

    return owner


def _publish_campaign(world):
    from doorstep.advocacy import services as advocacy_services
    from doorstep.advocacy.models import Campaign

    campaign = Campaign.objects.get(pk=_campaign_a(world)[0])
    advocacy_services.save_campaign(
        world.org_a, data={"is_public": True}, campaign=campaign, actor=world.admin_a
    )


def _publish_event(world):
    from doorstep.network.models import Event
    from doorstep.network.services import events as network_services

    event = Event.objects.get(pk=_event_a(world)[0])
    network_services.save_event(world.org_a, data={"is_public": True}, event=event, actor=world.admin_a)


def _publish_resource(world):
    from doorstep.network.models import Resource
    from doorstep.network.services import resources as network_services

    resource = Resource.objects.get(pk=_resource_a(world))
    network_services.save_resource(
        world.org_a, data={"audience": "public"}, resource=resource, actor=world.admin_a
    )


def _company(world):
    return world.company_user


def _market_a(world):
    """Union A's market: a published product with a photo, an inquiry, a buyer, a quote for ten pieces
    shared with Sunita, and a trade fact of a network that only Union A is in."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from doorstep.core.roles import Role
    from doorstep.market import services as market
    from doorstep.market.models import Inquiry, Product, SalesOrder, TradeFact
    from doorstep.market.tests.conftest import jpeg_with_metadata

    product = Product.objects.filter(organization=world.org_a).first()
    if product is None:
        product = market.save_product(
            world.org_a,
            data=market.ProductInput(
                name="Bracelet",
                sector="beadwork",
                standard_minutes="30",
                hourly_wage="100",
                price=None,
                currency="INR",
                published=True,
            ),
            actor=world.admin_a,
        )
        market.add_photo(product, data=jpeg_with_metadata(), actor=world.admin_a)
        market.submit_inquiry(
            world.org_a,
            data=market.InquiryInput(name="A buyer", email="buyer@example.org", message="Ten, please"),
            address="203.0.113.9",
        )
        buyer = market.save_partner(
            world.org_a, data=market.PartnerInput(name="Fair Shop", kind="shop"), actor=world.admin_a
        )
        order = market.create_sales_order(
            world.org_a,
            data=market.OrderInput(
                partner_id=buyer.pk,
                ordered_on=date(2026, 1, 5),
                lines=[market.LineInput(product_id=product.pk, quantity=10)],
            ),
            actor=world.admin_a,
        )
        market.split_line(
            order.lines.get(),
            shares=[market.ShareInput(member_id=_member_a(world), quantity=10)],
            actor=world.admin_a,
        )
        network = services.create_organization(
            name="Trade Network", slug="trade-network", kind="national_network", actor=world.admin
        )
        services.add_affiliation(member=world.org_a, network=network, actor=world.admin)
        services.add_person(network, username="nadia", role=Role.ORG_ADMIN, actor=world.admin)
        market.save_trade_fact(
            network,
            data=market.TradeFactInput(
                country="DE", topic="documents", title="Certificate of origin", text="Needed.", source="A law"
            ),
            actor=world.network_admin,
        )
    order = SalesOrder.objects.get(organization=world.org_a)
    line = order.lines.get()
    return {
        "product": product.pk,
        "photo": product.photos.get().pk,
        "inquiry": Inquiry.objects.get(organization=world.org_a).pk,
        "partner": order.partner_id,
        "order": order.pk,
        "line": line.pk,
        "share": line.shares.get().pk,
        "fact": TradeFact.objects.get().pk,
        "member": _member_a(world),
        "file": lambda: SimpleUploadedFile("p.jpg", jpeg_with_metadata(), content_type="image/jpeg"),
    }


def _accepted_market_a(world):
    from doorstep.market import services as market
    from doorstep.market.models import SalesOrder

    ids = _market_a(world)
    order = SalesOrder.objects.get(pk=ids["order"])
    if order.status == "quote":
        market.accept_order(order, actor=world.admin_a, on=date(2026, 1, 6))
    return ids


_PRODUCT_FORM = {
    "name": "Basket",
    "sector": "handicrafts",
    "standard_minutes": "60",
    "hourly_wage": "100",
    "currency": "INR",
    "minimum_order": "1",
    "lead_time_days": "7",
}


def _market_page(path, post=None, status=302):
    def case(w, org):
        ids = _market_a(w)
        # A list has no id to aim at: only Union A's own address (another organization sees its own).
        slug = org.slug if "{" in path else "union-a"
        url = f"/orgs/{slug}/market/{path.format(**ids)}"
        requests = [("get", f"/orgs/union-a/market/{path.format(**ids)}", None, 200), ("get", url, None, 200)]
        if post is not None:
            requests.append(("post", url, post(ids) if callable(post) else post, status))
        return requests

    return case


def _market_api(method, path, body=None, status=200, accepted=False):
    def case(w, org):
        ids = (_accepted_market_a if accepted else _market_a)(w)
        data = body(ids) if callable(body) else body
        return [(method, f"/api/v1/market/{path.format(**ids)}?organization_id={org.pk}", data, status)]

    return case


CASES.update(
    {
        "orgs/<slug:org_slug>/market/": _market_page("", _PRODUCT_FORM),
        "orgs/<slug:org_slug>/market/products/<int:product_id>/": _market_page(
            "products/{product}/", {**_PRODUCT_FORM, "action": "save", "name": "Renamed"}
        ),
        "orgs/<slug:org_slug>/market/photos/<int:photo_id>/<str:size>.jpg": _market_page(
            "photos/{photo}/thumb.jpg"
        ),
        "orgs/<slug:org_slug>/market/inquiries/": _market_page(
            "inquiries/", lambda ids: {"inquiry": ids["inquiry"], "status": "answered"}
        ),
        "orgs/<slug:org_slug>/market/partners/": _market_page(
            "partners/", {"name": "New shop", "kind": "shop"}
        ),
        "orgs/<slug:org_slug>/market/partners/<int:partner_id>/": _market_page(
            "partners/{partner}/", {"name": "Fair Shop Ltd", "kind": "shop"}
        ),
        "orgs/<slug:org_slug>/market/orders/": _market_page("orders/"),
        "orgs/<slug:org_slug>/market/orders/<int:order_id>/": _market_page(
            "orders/{order}/", {"action": "payment", "received_on": "2026-01-10", "amount": "100"}
        ),
        "orgs/<slug:org_slug>/market/figures/": _market_page("figures/"),
        "orgs/<slug:org_slug>/market/trade/": _market_page("trade/"),
        "orgs/<slug:org_slug>/market/trade/<int:fact_id>/": _market_page("trade/{fact}/"),
        "api/v1/market/products/<product_id>": lambda w, org: [
            *_market_api("get", "products/{product}")(w, org),
            *_market_api(
                "put",
                "products/{product}",
                {
                    "name": "Renamed",
                    "sector": "beadwork",
                    "standard_minutes": "30",
                    "hourly_wage": "100",
                    "currency": "INR",
                },
            )(w, org),
        ],
        "api/v1/market/products/<product_id>/photos": _market_api(
            "post", "products/{product}/photos", lambda ids: MULTIPART | {"file": ids["file"]()}, 201
        ),
        "api/v1/market/inquiries/<inquiry_id>": _market_api(
            "patch", "inquiries/{inquiry}", {"status": "closed"}
        ),
        "api/v1/market/partners/<partner_id>": _market_api("get", "partners/{partner}"),
        "api/v1/market/orders/<order_id>": _market_api("get", "orders/{order}"),
        "api/v1/market/orders/<order_id>/lines/<line_id>/shares": _market_api(
            "put",
            "orders/{order}/lines/{line}/shares",
            lambda ids: {"shares": [{"member_id": ids["member"], "quantity": 10}]},
        ),
        "api/v1/market/orders/<order_id>/accept": _market_api("post", "orders/{order}/accept", {}),
        "api/v1/market/orders/<order_id>/deliver": _market_api(
            "post", "orders/{order}/deliver", {"delivered_on": "2026-01-20"}, accepted=True
        ),
        "api/v1/market/orders/<order_id>/payments": _market_api(
            "post", "orders/{order}/payments", {"received_on": "2026-01-10", "amount": "50"}, 201
        ),
        "api/v1/market/orders/<order_id>/shares/<share_id>/payouts": _market_api(
            "post",
            "orders/{order}/shares/{share}/payouts",
            {"paid_on": "2026-01-12", "amount": "50"},
            201,
            accepted=True,
        ),
        "api/v1/market/trade-facts/<fact_id>": _market_api("get", "trade-facts/{fact}"),
    }
)


def _analyst(world):
    return world.analyst


def _relief_a(world) -> dict:
    """Union A's relief fund holding 10,000 with a list drawn by Olga (to approve), an approved list
    with a round, and Union A's member on both."""
    from datetime import date

    from doorstep.relief import services as relief_services
    from doorstep.relief.models import Fund, LedgerEntry, ReliefList, Round

    member = _member_a(world)
    fund = Fund.objects.filter(organization=world.org_a).first()
    if fund is None:
        fund = relief_services.create_fund(
            world.org_a,
            relief_services.FundIn("Flood relief", "After the floods", "INR"),
            actor=world.admin_a,
        )
        source = relief_services.add_source(
            fund, relief_services.SourceIn(kind="donor", name="A foundation"), actor=world.admin_a
        )
        relief_services.record_entry(
            fund,
            relief_services.EntryIn("received", "10000", date(2026, 3, 1), source.pk),
            actor=world.admin_a,
        )
        rules = [{"field": "status", "op": "in", "value": ["active"]}]
        relief_services.draw_list(
            fund, relief_services.ListIn("To approve", rules, "100"), actor=world.organizer_a
        )
        approved = relief_services.draw_list(
            fund, relief_services.ListIn("Approved", rules, "100"), actor=world.organizer_a
        )
        relief_services.approve_list(approved, actor=world.admin_a)
        relief_services.create_round(
            approved, relief_services.RoundIn("First round", "cash", date(2026, 3, 10)), actor=world.admin_a
        )
    from doorstep.members.models import Member

    return {
        "fund": fund.pk,
        "entry": LedgerEntry.objects.filter(fund=fund, kind="received").first().pk,
        "draft": ReliefList.objects.get(fund=fund, status="draft").pk,
        "approved": ReliefList.objects.get(fund=fund, status="approved").pk,
        "round": Round.objects.get(relief_list__fund=fund).pk,
        "member": member,
        "number": Member.objects.get(pk=member).number,
    }


def _relief_statement_a(world) -> int:
    """Union A's statement import (uploaded, its columns to confirm)."""
    from doorstep.core import imports
    from doorstep.core.models import Import

    existing = Import.objects.filter(organization=world.org_a, target="relief_statement").first()
    if existing:
        return existing.pk
    data = b"Receipt No,Phone,Amount\nQKJ481XZ,,100\n"
    return imports.start(
        world.org_a, target_name="relief_statement", filename="s.csv", data=data, actor=world.admin_a
    ).pk


def _relief_api(path, body=None, method="post", status=201):
    def case(w, org):
        return [(method, "/api/v1/relief/" + path.format(**_relief_a(w)), body, status)]

    return case


_CARD = "http://testserver/orgs/union-a/login/"

CASES.update(
    {
        "orgs/<slug:org_slug>/relief/": lambda w, org: [
            ("get", "/orgs/union-a/relief/", None, 200),
            (
                "post",
                "/orgs/union-a/relief/",
                {"action": "fund", "name": "x", "purpose": "y", "currency": "INR"},
                302,
            ),
        ],
        "orgs/<slug:org_slug>/relief/funds/<int:fund_id>/": lambda w, org: [
            ("get", f"/orgs/{org.slug}/relief/funds/{_relief_a(w)['fund']}/", None, 200),
            (
                "post",
                f"/orgs/{org.slug}/relief/funds/{_relief_a(w)['fund']}/",
                {"action": "entry", "kind": "allocated", "amount": "10", "on": "2026-03-02"},
                302,
            ),
        ],
        "orgs/<slug:org_slug>/relief/funds/<int:fund_id>/entries/<int:entry_id>/reverse/": lambda w, org: [
            (
                "get",
                f"/orgs/{org.slug}/relief/funds/{_relief_a(w)['fund']}/entries/{_relief_a(w)['entry']}/reverse/",
                None,
                200,
            ),
            (
                "post",
                f"/orgs/{org.slug}/relief/funds/{_relief_a(w)['fund']}/entries/{_relief_a(w)['entry']}/reverse/",
                {"reason": "counted twice"},
                302,
            ),
        ],
        "orgs/<slug:org_slug>/relief/funds/<int:fund_id>/report/": lambda w, org: [
            ("get", f"/orgs/{org.slug}/relief/funds/{_relief_a(w)['fund']}/report/", None, 200),
        ],
        "orgs/<slug:org_slug>/relief/lists/<int:list_id>/": lambda w, org: [
            ("get", f"/orgs/{org.slug}/relief/lists/{_relief_a(w)['draft']}/", None, 200),
            ("post", f"/orgs/{org.slug}/relief/lists/{_relief_a(w)['draft']}/", {"action": "approve"}, 302),
        ],
        "orgs/<slug:org_slug>/relief/rounds/<int:round_id>/": lambda w, org: [
            ("get", f"/orgs/{org.slug}/relief/rounds/{_relief_a(w)['round']}/", None, 200),
            (
                "post",
                f"/orgs/{org.slug}/relief/rounds/{_relief_a(w)['round']}/",
                {
                    "action": "payment",
                    "member_number": _relief_a(w)["number"],
                    "evidence": "card",
                    "card_text": _CARD,
                    "paid_on": "2026-03-11",
                },
                302,
            ),
        ],
        "orgs/<slug:org_slug>/relief/statements/<int:import_id>/": lambda w, org: [
            ("get", f"/orgs/{org.slug}/relief/statements/{_relief_statement_a(w)}/", None, 200),
        ],
        "orgs/<slug:org_slug>/me/relief/": lambda w, org: [("get", "/orgs/union-a/me/relief/", None, 200)],
        "api/v1/relief/funds/<fund_id>": _relief_api("funds/{fund}", method="get", status=200),
        "api/v1/relief/funds/<fund_id>/sources": _relief_api(
            "funds/{fund}/sources", {"kind": "donor", "name": "x"}
        ),
        "api/v1/relief/funds/<fund_id>/entries": lambda w, org: [
            *_relief_api("funds/{fund}/entries", method="get", status=200)(w, org),
            *_relief_api("funds/{fund}/entries", {"kind": "allocated", "amount": "5", "on": "2026-03-02"})(
                w, org
            ),
        ],
        "api/v1/relief/funds/<fund_id>/entries/<entry_id>/reverse": _relief_api(
            "funds/{fund}/entries/{entry}/reverse", {"reason": "counted twice"}
        ),
        "api/v1/relief/funds/<fund_id>/lists": _relief_api(
            "funds/{fund}/lists",
            {"name": "x", "rules": [{"field": "status", "op": "in", "value": ["active"]}], "amount": "5"},
        ),
        "api/v1/relief/funds/<fund_id>/report": _relief_api("funds/{fund}/report", method="get", status=200),
        "api/v1/relief/lists/<list_id>": _relief_api("lists/{approved}", method="get", status=200),
        "api/v1/relief/lists/<list_id>/entries": _relief_api(
            "lists/{approved}/entries", method="get", status=200
        ),
        "api/v1/relief/lists/<list_id>/approve": _relief_api("lists/{draft}/approve", status=200),
        "api/v1/relief/lists/<list_id>/rounds": _relief_api(
            "lists/{approved}/rounds", {"name": "x", "method": "cash", "opens_on": "2026-04-01"}
        ),
        "api/v1/relief/rounds/<round_id>": _relief_api("rounds/{round}", method="get", status=200),
        "api/v1/relief/rounds/<round_id>/codes": lambda w, org: _relief_api(
            "rounds/{round}/codes", {"member_id": _relief_a(w)["member"]}
        )(w, org),
        "api/v1/relief/rounds/<round_id>/payments": lambda w, org: [
            *_relief_api("rounds/{round}/payments", method="get", status=200)(w, org),
            *_relief_api(
                "rounds/{round}/payments",
                {
                    "member_id": _relief_a(w)["member"],
                    "evidence": "card",
                    "paid_on": "2026-03-11",
                    "card_text": _CARD,
                    "member_number": _relief_a(w)["number"],
                },
            )(w, org),
        ],
        "api/v1/relief/statements/<import_id>/lines": lambda w, org: [
            ("get", f"/api/v1/relief/statements/{_relief_statement_a(w)}/lines", None, 200)
        ],
    }
)


# route -> the owner of the objects its case aims at, who sends the case's requests on the owner's side,
# where that is not Union A's admin.
OWNERS = {
    "orgs/<slug:org_slug>/me/": _her_login,
    "orgs/<slug:org_slug>/me/passbook/": _her_login,
    "orgs/<slug:org_slug>/me/relief/": _her_login,
    "orgs/<slug:org_slug>/cases/": _company,
    "orgs/<slug:org_slug>/cases/<int:share_id>/": _company,
    "orgs/<slug:org_slug>/due-diligence/": _company,
    "api/v1/due-diligence/<company_id>/dossier": _company,
    "api/v1/shared-cases/<share_id>": _company,
    "api/v1/shared-cases/<share_id>/replies": _company,
    "api/v1/shared-cases/<share_id>/commitments": _company,
    "orgs/<slug:org_slug>/shared/": _analyst,
    "api/v1/aggregates/<dataset>": _analyst,
    "orgs/<slug:org_slug>/election-turnout/": _analyst,
    "orgs/<slug:org_slug>/open-data/": _analyst,
    "orgs/<slug:org_slug>/open-data/<int:release_id>/withdraw/": _analyst,
    # A network's admin affiliates only on the organization's own request (the network app's
    # requests); directly, only a platform admin does, and another organization's admin gets 404.
    "api/v1/organizations/<organization_id>/affiliations": lambda w: w.admin,
    "api/v1/affiliation-requests/<request_id>/decision": _other_network_admin,
    "campaigns/<int:campaign_id>/": _once_public(_publish_campaign),
    "api/v1/public/campaigns/<campaign_id>": _once_public(_publish_campaign),
    "events/<int:event_id>/": _once_public(_publish_event),
    "api/v1/public/events/<event_id>": _once_public(_publish_event),
    "api/v1/public/resources/<resource_id>": _once_public(_publish_resource),
}

# Pages whose POST changes nothing, even for their owner: the search of members (POSTed, so that her
# name stays out of URLs and logs) and a union's own page (only a network's page adds affiliates).
READS_BY_POST = {"/orgs/union-a/members/", "/orgs/union-a/"}

# route -> a fixture its owner's request needs: another program, stood in for on 127.0.0.1.
FIXTURES = {"orgs/<slug:org_slug>/surveys/forms/<int:form_id>/enketo/": "enketo"}


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


class _Requester:
    """A user sending a case's requests: pages through a logged-in session, the API with a bearer token."""

    def __init__(self, user):
        self.session = Client()
        self.session.force_login(user)
        _token, raw = services.issue_token(user, name="walker", actor=user)
        self.bearer = Client(headers={"Authorization": f"Bearer {raw}"})

    def send(self, method, url, data):
        if url.startswith("/api/") and data is not None and data.get("multipart"):
            return getattr(self.bearer, method)(url, {k: v for k, v in data.items() if k != "multipart"})
        if url.startswith("/api/"):
            if data is None:
                return getattr(self.bearer, method)(url)
            return getattr(self.bearer, method)(url, data, content_type="application/json")
        return (
            getattr(self.session, method)(url, data)
            if data is not None
            else getattr(self.session, method)(url)
        )


def _organization_of(user):
    """The owner's organization (none for a platform admin, who holds no role)."""
    assignment = RoleAssignment.objects.filter(user=user).first()
    return assignment.organization if assignment else None


def _owner_requests(requests):
    """The distinct requests the owner sends, each with the status it must get (2xx or a redirect)."""
    distinct = []
    for request in requests:
        method, url = request[0], request[1]
        assert len(request) == 4, f"{method.upper()} {url}: say what its owner gets (2xx or a redirect)"
        status = request[3]
        assert 200 <= status < 400, f"{method.upper()} {url}: its owner must succeed, not get {status}"
        if request not in distinct:
            distinct.append(request)
    return distinct


def _error_messages(response):
    from django.contrib.messages import constants, get_messages

    if not hasattr(response.wsgi_request, "_messages"):
        return []
    return [str(m) for m in get_messages(response.wsgi_request) if m.level >= constants.WARNING]


def test_every_owner_and_fixture_names_a_case():
    assert OWNERS.keys() - CASES.keys() == set(), "these owners name routes that have no case"
    assert FIXTURES.keys() - CASES.keys() == set(), "these fixtures name routes that have no case"


@pytest.mark.parametrize("route", sorted(CASES))
def test_another_organization_gets_404_and_nothing_changes(world, route):
    requests = CASES[route](world, world.org_b)
    requester = _Requester(world.admin_b)
    before = _snapshot()
    for method, url, data, *_owner in requests:
        response = requester.send(method, url, data)
        assert response.status_code == 404, f"{method.upper()} {url} answered {response.status_code}"
        assert b"Union A" not in response.content and b"olga" not in response.content
        assert b"Sunita" not in response.content
    assert _snapshot() == before


def _trace():
    """Every row, and how many audit events: what a write the owner made must change."""
    from doorstep.core.models import AuditEvent

    return _snapshot(), AuditEvent.objects.count()


@pytest.mark.parametrize("route", sorted(CASES))
def test_the_owner_gets_what_the_case_expects(world, route, request):
    if route in FIXTURES:
        request.getfixturevalue(FIXTURES[route])
    owner = OWNERS.get(route, lambda w: w.admin_a)(world)
    requests = _owner_requests(CASES[route](world, _organization_of(owner)))
    requester = _Requester(owner)
    for method, url, data, status in requests:
        before = _trace() if method != "get" else None
        response = requester.send(method, url, data)
        assert response.status_code == status, f"{method.upper()} {url} answered {response.status_code}"
        if 300 <= status < 400:
            assert "/login/" not in response["Location"], f"{method.upper()} {url} sent the owner to log in"
        assert _error_messages(response) == [], f"{method.upper()} {url}"
        if before is not None and url not in READS_BY_POST:
            assert _trace() != before, f"the owner's {method.upper()} {url} changed nothing"


def test_rejects_a_case_that_does_not_say_what_its_owner_gets():
    with pytest.raises(AssertionError, match="say what its owner gets"):
        _owner_requests([("get", "/orgs/union-a/members/1/", None)])


def test_rejects_a_case_that_expects_its_owner_to_fail():
    with pytest.raises(AssertionError, match="its owner must succeed"):
        _owner_requests([("get", "/orgs/union-a/members/1/", None, 404)])


def test_no_module_queries_an_owned_model_outside_the_door():
    """Owned models are read through queries.py (built on core.tenancy) and written by services.py."""
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
