"""Social protection end to end: the catalogue with its sources, rules on member fields (never eval),
applications with their sealed reference numbers, history and the step from a rejection to a case,
the lists for the field, the home page's next steps, and her rights. Adversarial cases first."""

import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from doorstep.core.errors import ValidationError
from doorstep.grievances.models import Case
from doorstep.members.models import Member
from doorstep.members.services import rights as member_rights
from doorstep.protection import rules, services
from doorstep.protection.models import Application, ApplicationEvent, Scheme

pytestmark = pytest.mark.django_db
REFERENCE = "UAN-CANARY-4417 0093"


def _scheme(key="in-pm-sym") -> Scheme:
    return Scheme.objects.get(reference_key=key)


def _apply(world, member, scheme=None, **fields) -> Application:
    scheme = scheme or _scheme()
    return services.start_application(
        world.org_a,
        services.ApplicationInput(member_id=member.pk, scheme_id=scheme.pk, **fields),
        actor=world.admin_a,
    )


# Adversarial ---------------------------------------------------------------------------------------


def test_a_rule_on_an_unknown_field_is_refused_by_name_and_nothing_is_stored(world):
    before = Scheme.objects.count()
    with pytest.raises(ValidationError) as error:
        services.add_scheme(
            world.org_a,
            services.SchemeInput(
                name="Welfare",
                kind="welfare_board",
                country="IN",
                eligibility="All",
                rules="age >= 18; income <= 5",
            ),
            actor=world.admin_a,
        )
    assert [e.field for e in error.value.errors] == ["rules.2"]
    assert "income" in error.value.errors[0].message
    assert Scheme.objects.count() == before


def test_the_api_answers_422_naming_the_condition_with_an_unknown_field(world, api):
    response = api(world.admin_a).post(
        "/api/v1/schemes",
        {
            "organization_id": world.org_a.pk,
            "name": "W",
            "kind": "other",
            "country": "IN",
            "eligibility": "x",
            "rules": "__import__('os') in x",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "rules.1"


def test_a_stored_rule_naming_an_unknown_field_is_an_error_not_a_pass(world, register):
    member = register("Sunita Devi", birth_year=1990)
    with pytest.raises(ValidationError) as error:
        rules.evaluate([{"field": "salary", "op": "in", "value": ["x"]}], member, date(2026, 1, 1))
    assert error.value.errors[0].field == "rules.1"


def test_the_reference_number_is_never_stored_in_plain_text(world, register):
    member = register("Sunita Devi", birth_year=1990)
    application = _apply(world, member, reference_number=REFERENCE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM protection_application WHERE id = %s", [application.pk])
        row = cursor.fetchone()
    stored = b"".join(bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode() for v in row)
    assert b"CANARY" not in stored.upper() and b"4417" not in stored
    assert application.reference_digest and len(application.reference_digest) == 64


def test_the_same_reference_number_has_different_digests_in_two_organizations(world, register):
    a = services._reference_digest(world.org_a.pk, REFERENCE)
    b = services._reference_digest(world.org_b.pk, REFERENCE)
    assert a != b and a == services._reference_digest(world.org_a.pk, "uan canary-4417-0093")


def test_another_organization_gets_404_for_an_application_and_nothing_changes(world, register, api, login):
    application = _apply(world, register("Sunita Devi"), reference_number=REFERENCE)
    assert api(world.admin_b).get(f"/api/v1/applications/{application.pk}").status_code == 404
    response = api(world.admin_b).patch(
        f"/api/v1/applications/{application.pk}", {"status": "rejected"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert (
        login(world.admin_b).get(f"/orgs/coop-b/protection/applications/{application.pk}/").status_code == 404
    )
    application.refresh_from_db()
    assert application.status == "to_prepare"


def test_another_organizations_own_scheme_is_404(world, api):
    own = services.add_scheme(
        world.org_a,
        services.SchemeInput(name="Union A fund", kind="other", country="IN", eligibility="Members"),
        actor=world.admin_a,
    )
    response = api(world.admin_b).get(f"/api/v1/schemes/{own.pk}?organization_id={world.org_b.pk}")
    assert response.status_code == 404


def test_her_erasure_removes_her_applications_and_their_history(world, register):
    member = register("Sunita Devi", birth_year=1990)
    application = _apply(world, member, reference_number=REFERENCE)
    services.set_status(application, "submitted", actor=world.admin_a)
    member_rights.erase_member(Member.objects.get(pk=member.pk), actor=world.admin_a)
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not ApplicationEvent.objects.filter(application_id=application.pk).exists()


# The catalogue --------------------------------------------------------------------------------------


def test_the_catalogue_is_loaded_with_a_source_and_date_for_every_scheme():
    shipped = Scheme.objects.filter(organization__isnull=True, is_active=True)
    assert {s.country.code for s in shipped} >= {"IN", "KE", "TH", "PK", "BD", "NP", "BG", "GB"}
    assert all(s.source.startswith("https://") and s.as_of for s in shipped)


def test_schemes_not_checked_against_their_source_say_so_on_the_page(world, login):
    response = login(world.admin_a).get(f"/orgs/union-a/protection/schemes/{_scheme('in-eshram').pk}/")
    assert response.status_code == 200
    assert b"Not verified against the source" in response.content and b"eshram.gov.in" in response.content


def test_a_network_scheme_is_offered_to_its_affiliates(world, api):
    scheme = services.add_scheme(
        world.network,
        services.SchemeInput(
            name="Network relief fund", kind="other", country="IN", eligibility="Affiliates"
        ),
        actor=world.network_admin,
    )
    names = [
        s["name"] for s in api(world.admin_a).get(f"/api/v1/schemes?organization_id={world.org_a.pk}").json()
    ]
    assert "Network relief fund" in names
    assert scheme.organization_id == world.network.pk


# Rules --------------------------------------------------------------------------------------------------


def test_rules_read_age_ranges_lists_and_sectors(world, register):
    conditions = rules.parse("age between 18-40; category in homeworker|both; sector in bidi")
    young = register("A", birth_year=2000, sectors=["bidi"])
    old = register("B", birth_year=1970, sectors=["bidi"])
    other_sector = register("C", birth_year=2000, sectors=["embroidery"])
    on = date(2026, 6, 1)
    assert rules.evaluate(conditions, young, on).eligible is True
    assert rules.evaluate(conditions, old, on).failed == ("age",)
    assert rules.evaluate(conditions, other_sector, on).eligible is False


def test_a_blank_field_leaves_the_answer_open_and_names_it(world, register):
    verdict = rules.evaluate(rules.parse("age between 18-40"), register("A"), date(2026, 6, 1))
    assert verdict.eligible is None and verdict.unknown == ("age",)


def test_a_rule_with_a_bad_range_names_its_place():
    with pytest.raises(ValidationError) as error:
        rules.parse("category in homeworker; age between 40-18")
    assert error.value.errors[0].field == "rules.2"


# Applications -------------------------------------------------------------------------------------------


def test_an_application_starts_with_the_schemes_documents_as_its_checklist(world, register):
    application = _apply(world, register("Sunita Devi"), documents_have=["Aadhaar card"])
    assert [c["have"] for c in application.checklist] == [True, False, False]
    assert application.checklist[0]["document"] == "Aadhaar card"


def test_a_document_not_on_the_schemes_list_is_refused(world, register):
    with pytest.raises(ValidationError) as error:
        _apply(world, register("Sunita Devi"), documents_have=["Passport"])
    assert error.value.errors[0].field == "documents_have"
    assert not Application.objects.exists()


def test_a_second_live_application_to_the_same_scheme_is_refused(world, register):
    member = register("Sunita Devi")
    _apply(world, member)
    with pytest.raises(ValidationError) as error:
        _apply(world, member)
    assert error.value.code == "already_applied"


def test_each_status_joins_the_history_and_acceptance_sets_the_renewal(world, register):
    application = _apply(world, register("Sunita Devi"), scheme=_scheme("in-pmsby"))
    today = timezone.localdate()
    services.set_status(application, "submitted", actor=world.admin_a)
    application = services.set_status(application, "accepted", actor=world.admin_a)
    assert [e.status for e in application.events.all()] == ["to_prepare", "submitted", "accepted"]
    assert application.decided_on == today
    assert application.renew_by.year == today.year + 1


def test_a_rejection_becomes_a_grievance_case_in_one_step(world, register, api):
    member = register("Sunita Devi")
    application = _apply(world, member, status="submitted")
    services.set_status(application, "rejected", actor=world.admin_a)
    response = api(world.admin_a).post(f"/api/v1/applications/{application.pk}/case")
    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["case_id"])
    assert case.category == "no_social_protection"
    assert list(case.members.all()) == [member]
    again = api(world.admin_a).post(f"/api/v1/applications/{application.pk}/case")
    assert again.json()["case_id"] == case.pk and Case.objects.count() == 1


def test_only_a_rejected_application_becomes_a_case(world, register, api):
    application = _apply(world, register("Sunita Devi"))
    response = api(world.admin_a).post(f"/api/v1/applications/{application.pk}/case")
    assert response.status_code == 422 and response.json()["code"] == "not_rejected"
    assert not Case.objects.exists()


def test_an_application_is_found_by_its_reference_number(world, register, api):
    application = _apply(world, register("Sunita Devi"), reference_number=REFERENCE)
    response = api(world.admin_a).post(
        "/api/v1/applications/search",
        {"organization_id": world.org_a.pk, "reference_number": "uan canary 4417-0093"},
        content_type="application/json",
    )
    assert [a["id"] for a in response.json()] == [application.pk]


def test_the_api_starts_and_moves_an_application(world, register, api):
    member = register("Sunita Devi")
    client = api(world.admin_a)
    created = client.post(
        "/api/v1/applications",
        {
            "organization_id": world.org_a.pk,
            "member_id": member.pk,
            "scheme_id": _scheme().pk,
            "reference_number": REFERENCE,
            "next_step": "Bring the bank passbook",
            "next_step_due": "2031-01-01",
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["reference_number"] == REFERENCE
    moved = client.patch(
        f"/api/v1/applications/{created.json()['id']}",
        {"status": "documents_missing", "documents_have": ["Aadhaar card"]},
        content_type="application/json",
    )
    assert moved.status_code == 200
    assert moved.json()["status"] == "documents_missing"
    assert [h["status"] for h in moved.json()["history"]] == ["to_prepare", "documents_missing"]


def test_the_next_step_due_shows_on_the_home_page(world, register, login):
    application = _apply(
        world,
        register("Sunita Devi"),
        next_step="Bring photo",
        next_step_due=timezone.localdate() + timedelta(days=2),
    )
    response = login(world.admin_a).get("/")
    assert b"Social protection: next steps" in response.content
    assert f"/protection/applications/{application.pk}/".encode() in response.content


def test_the_application_page_ticks_documents_and_moves_it_on(world, register, login):
    application = _apply(world, register("Sunita Devi"))
    client = login(world.admin_a)
    url = f"/orgs/union-a/protection/applications/{application.pk}/"
    response = client.post(url, {"form": "change", "documents_have": ["Aadhaar card", "Mobile number"]})
    assert response.status_code == 302
    response = client.post(url, {"form": "status", "status": "submitted"})
    application.refresh_from_db()
    assert application.status == "submitted"
    assert sum(c["have"] for c in application.checklist) == 2


# Lists for the field ------------------------------------------------------------------------------------


def test_the_eligible_list_keeps_those_who_may_qualify_and_are_not_enrolled(world, register, api):
    year = timezone.localdate().year
    fits = register("Fits", birth_year=year - 30)
    too_old = register("Too old", birth_year=year - 55)
    blank = register("Blank")
    enrolled = register("Enrolled", birth_year=year - 25)
    services.set_status(_apply(world, enrolled), "accepted", actor=world.admin_a)
    response = api(world.admin_a).get(
        f"/api/v1/schemes/{_scheme().pk}/eligible?organization_id={world.org_a.pk}"
    )
    found = {row["member_id"]: row["to_check"] for row in response.json()["items"]}
    assert found == {fits.pk: [], blank.pk: ["age"]}
    assert too_old.pk not in found


def test_the_eligible_list_as_csv_neutralizes_formulas(world, register, login):
    register('=HYPERLINK("http://x")', birth_year=timezone.localdate().year - 30)
    response = login(world.admin_a).get(
        f"/orgs/union-a/protection/schemes/{_scheme().pk}/eligible/?format=csv"
    )
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert response.status_code == 200
    assert '"\'=HYPERLINK(""http://x"")"' in text


def test_the_renewals_list_names_those_due(world, register, login):
    began = timezone.localdate() - timedelta(days=340)
    application = _apply(world, register("Sunita Devi"), scheme=_scheme("in-pmsby"), started_on=began)
    services.set_status(application, "accepted", on=began + timedelta(days=10), actor=world.admin_a)
    response = login(world.admin_a).get("/orgs/union-a/protection/renewals/")
    assert response.status_code == 200 and b"Sunita Devi" in response.content


# Her rights ---------------------------------------------------------------------------------------------


def test_her_export_holds_her_applications_with_the_reference_number(world, register):
    member = register("Sunita Devi")
    _apply(world, member, reference_number=REFERENCE)
    archive = zipfile.ZipFile(io.BytesIO(member_rights.export_member(member, actor=world.admin_a)))
    sections = json.loads(archive.read("member.json"))
    assert sections["protection.applications"][0]["reference_number"] == REFERENCE
