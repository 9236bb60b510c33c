"""Supplier lists: the Open Supply Hub shape in CSV, XLS and XLSX, the row-level report of broken rows,
matching to known parties (linked, reviewed, created) and the review decisions on the page and API."""

from pathlib import Path

import pytest
from django.db import transaction

from doorstep.core import imports
from doorstep.core.models import Import
from doorstep.supplychains import services
from doorstep.supplychains.models import Party, SupplierList, SupplierListRow

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


@pytest.fixture
def upload(world, run_jobs):
    """``upload(data, filename)``: a supplier list uploaded, its columns as suggested, checked, imported."""

    def make(data: bytes, filename: str, actor=None):
        actor = actor or world.admin_a
        job = imports.start(
            world.org_a, target_name="supplier_list", filename=filename, data=data, actor=actor
        )
        with run_jobs():
            imports.choose_mapping(job, job.mapping, actor=actor)
        job.refresh_from_db()
        if job.valid_rows:
            with run_jobs():
                imports.commit(job, actor=actor)
        job.refresh_from_db()
        return job

    return make


def _rows(job):
    return list(SupplierListRow.objects.filter(supplier_list__import_job=job).order_by("row"))


def test_the_same_list_in_csv_xls_and_xlsx_gives_identical_records(world, upload):
    jobs = [
        upload((DATA / f"facility_list_12.{ext}").read_bytes(), f"list.{ext}")
        for ext in ("csv", "xls", "xlsx")
    ]
    assert [job.status for job in jobs] == ["done"] * 3
    first = [(r.row, r.name, r.address, r.country.code, r.sector) for r in _rows(jobs[0])]
    assert len(first) == 15
    for job in jobs[1:]:
        assert [(r.row, r.name, r.address, r.country.code, r.sector) for r in _rows(job)] == first
    assert ("Peru", "PE") in [(r.country.name, r.country.code) for r in _rows(jobs[0])]
    assert {r.country.code for r in _rows(jobs[0])} >= {
        "US",
        "CN",
        "PT",
        "MX",
        "VN",
        "LK",
    }  # "US" and "United States"
    # The first list created 15 suppliers; the same list again finds every one of them.
    assert {r.outcome for r in _rows(jobs[0])} == {"created"}
    assert {r.outcome for r in _rows(jobs[1])} == {"linked"}
    assert [r.party_id for r in _rows(jobs[1])] == [r.party_id for r in _rows(jobs[0])]
    assert Party.objects.filter(organization=world.org_a, kind="supplier").count() == 15


def test_country_names_a_bom_and_an_extra_column(world, upload):
    summer = upload((DATA / "Summer 2019 Affiliate List.csv").read_bytes(), "summer.csv")
    bom = upload((DATA / "facilities_with_bom.csv").read_bytes(), "bom.csv")
    assert summer.status == "done" and summer.imported_rows == 77 and summer.error_count == 0
    assert bom.headers[0] == "country" and bom.status == "done" and bom.imported_rows == 2
    assert "extra_1" not in bom.mapping.values()


def test_known_parties_are_linked_doubtful_ones_wait_and_the_rest_are_new(world, upload):
    def supplier(name, country, **extra):
        return services.create_party(
            world.org_a,
            data={"name": name, "kind": "supplier", "country": country, **extra},
            actor=world.admin_a,
        )

    chen = supplier("Chen Feng Jiangsu Apparel Company Limited", "CN")
    dongguan = supplier(
        "Dongguan Quality Knitwear", "CN", site_address="Shujiu Village, Changping Town, Dongguan"
    )
    kat = supplier("Smart Shirts Limited KAT 2", "LK")
    elsewhere = supplier("Crispim Abreu", "BR")  # the same name in another country is not a candidate
    job = upload((DATA / "facility_list_12.csv").read_bytes(), "list.csv")
    rows = {r.name: r for r in _rows(job)}
    assert rows["Chen Feng (Jiangsu) Apparel CO., LTD."].outcome == "linked"
    assert rows["Chen Feng (Jiangsu) Apparel CO., LTD."].party == chen
    assert rows["Dongguan Quality Knitwear Limited"].party == dongguan
    assert rows["Smart Shirts Limited KAT 1"].outcome == "review"
    assert (
        rows["Smart Shirts Limited KAT 1"].candidate == kat
        and rows["Smart Shirts Limited KAT 1"].party is None
    )
    assert rows["Crispim Abreu"].outcome == "created" and rows["Crispim Abreu"].party != elsewhere
    created = rows["Crispim Abreu"].party
    assert (created.site_address, created.sector, created.country.code) == (
        "Rua de Sao Bartolomeu, Serzedelo, Riba Dave 4765 918",
        "Apparel",
        "PT",
    )


def test_broken_rows_get_a_row_level_report_and_valid_rows_still_import(world, run_jobs):
    data = (
        b"country,name,address,sector,os_id\n"
        b"India,Star Exports,12 Ring Road,Apparel,\n"
        b"Atlantis,Moon Garments,,Apparel,\n"
        b"India,,No name here,Apparel,\n"
        b"India,Lotus Knit,,Apparel,NOT-AN-ID\n"
        b",Nowhere Ltd,,,\n"
    )
    with run_jobs():
        job = imports.start(
            world.org_a, target_name="supplier_list", filename="broken.csv", data=data, actor=world.admin_a
        )
        with transaction.atomic():
            imports.choose_mapping(job, job.mapping, actor=world.admin_a)
    job.refresh_from_db()
    problems = {(e["row"], e["field"]) for e in job.errors}
    assert problems == {(3, "country"), (4, "name"), (5, "os_id"), (6, "country")}
    assert any("Atlantis" in e["message"] for e in job.errors)
    report = imports.error_report(job)
    assert "Row" in report.splitlines()[0] or "row" in report.splitlines()[0].lower()
    with run_jobs():
        with transaction.atomic():
            imports.commit(job, actor=world.admin_a)
    job.refresh_from_db()
    assert job.imported_rows == 1 and [r.name for r in _rows(job)] == ["Star Exports"]


def test_a_person_decides_on_the_page(world, upload, login):
    kat = services.create_party(
        world.org_a,
        data={"name": "Smart Shirts Limited KAT 2", "kind": "supplier", "country": "LK"},
        actor=world.admin_a,
    )
    job = upload((DATA / "facility_list_12.csv").read_bytes(), "list.csv")
    supplier_list = SupplierList.objects.get(import_job=job)
    client = login(world.organizer_a)
    assert (
        f"/orgs/union-a/supplier-lists/{supplier_list.pk}/".encode()
        in client.get(f"/orgs/union-a/imports/{job.pk}/").content
    )
    page = client.get(f"/orgs/union-a/supplier-lists/{supplier_list.pk}/")
    assert page.status_code == 200 and b"Smart Shirts Limited KAT 1" in page.content
    waiting = SupplierListRow.objects.filter(supplier_list=supplier_list, outcome="review")
    kat1, kat3 = (
        waiting.get(name="Smart Shirts Limited KAT 1"),
        waiting.get(name="Smart Shirts Limited KAT 3"),
    )
    response = client.post(page.request["PATH_INFO"], {"row": kat1.pk, "decision": "new"})
    assert response.status_code == 302
    kat1.refresh_from_db()
    assert kat1.outcome == "created" and kat1.party.name == "Smart Shirts Limited KAT 1" and kat1.party != kat
    response = client.post(page.request["PATH_INFO"], {"row": kat3.pk, "decision": "other", "party": kat.pk})
    kat3.refresh_from_db()
    assert kat3.outcome == "confirmed" and kat3.party == kat and kat3.decided_by == world.organizer_a
    again = client.post(page.request["PATH_INFO"], {"row": kat3.pk, "decision": "new"})
    assert again.status_code == 422 and b"already been decided" in again.content
    listing = client.get("/orgs/union-a/supplier-lists/")
    assert b"list.csv" in listing.content


def test_the_supplier_list_api(world, run_jobs, api):
    client = api(world.admin_a)
    with (DATA / "facility_list_12.xlsx").open("rb") as upload_file:
        response = client.post(
            "/api/v1/supplier-lists", {"organization_id": world.org_a.pk, "file": upload_file}
        )
    assert response.status_code == 201
    job_id = response.json()["id"]
    mapping = response.json()["mapping"]
    assert set(mapping.values()) == {"country", "name", "address", "sector"}
    with run_jobs():
        client.post(
            f"/api/v1/imports/{job_id}/mapping", {"mapping": mapping}, content_type="application/json"
        )
    with run_jobs():
        committed = client.post(f"/api/v1/imports/{job_id}/commit", content_type="application/json")
    assert committed.status_code in (200, 202), committed.content
    lists = client.get(f"/api/v1/supplier-lists?organization_id={world.org_a.pk}").json()
    assert lists[0]["total"] == 15 and lists[0]["created"] == 15
    rows = client.get(f"/api/v1/supplier-lists/{lists[0]['id']}/rows?limit=5").json()
    assert len(rows["items"]) == 5 and rows["next"]
    assert rows["items"][0]["outcome"] == "created" and rows["items"][0]["row"] == 2
    decided = client.post(
        f"/api/v1/supplier-lists/{lists[0]['id']}/rows/{rows['items'][0]['id']}/decision",
        {"decision": "same"},
        content_type="application/json",
    )
    assert decided.status_code == 422  # already decided: created


def test_a_persons_address_stays_sealed(world, api):
    response = api(world.admin_a).post(
        "/api/v1/parties",
        {
            "organization_id": world.org_a.pk,
            "name": "Rafiq",
            "kind": "intermediary",
            "is_person": True,
            "site_address": "House 4, Lane 2, Seelampur",
        },
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "site_address"
    assert not Party.objects.filter(name="Rafiq").exists()
    assert Import.objects.count() == 0
