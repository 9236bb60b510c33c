"""The work-order import reuses the member import's machinery: column matching, row errors by row
and column, the choice between the valid rows and nothing."""

import csv
import io
from decimal import Decimal as D

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from doorstep.core.models import Import
from doorstep.supplychains.models import Party
from doorstep.work.models import WorkOrder

HEADER = [
    "Member no",
    "Work giver",
    "Date",
    "Product",
    "Sector",
    "Qty",
    "Rate",
    "Delivery date",
    "Qty delivered",
    "Rejected qty",
    "Payment date",
    "Amount paid",
    "Hours",
    "Cost: electricity",
]


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode()


def _import(client, run_jobs, data: bytes, name="orders.csv"):
    response = client.post("/orgs/union-a/imports/new/work_orders/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = Import.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))
    with run_jobs():
        client.post(
            f"/orgs/union-a/imports/{job.pk}/", {f"column-{i}": key for i, key in job.mapping.items()}
        )
    job.refresh_from_db()
    return job


def test_orders_import_with_row_errors_then_valid_rows(world, login, run_jobs, delhi_member, party):
    party("Rafiq Contractor")
    client = login(world.organizer_a)
    n = delhi_member.number
    rows = [
        [
            n,
            "rafiq contractor",
            "2025-06-02",
            "Zari border",
            "embroidery",
            "100",
            "4",
            "2025-06-10",
            "100",
            "",
            "2025-06-15",
            "400",
            "20",
            "30",
        ],
        [
            n,
            "New Agent",
            "2025-06-03",
            "Sequins",
            "embroidery",
            "50",
            "2",
            "2025-06-11",
            "40",
            "45",
            "",
            "",
            "",
            "",
        ],
        [
            999,
            "New Agent",
            "2025-06-03",
            "Sequins",
            "knitting",
            "50",
            "-2",
            "",
            "",
            "",
            "2025-05-01",
            "10",
            "",
            "",
        ],
        [n, "New Agent", "2025-06-04", "Sequins", "embroidery", "50", "2", "", "", "", "", "", "10", ""],
    ]
    job = _import(client, run_jobs, _csv(rows))
    assert job.mapping == {
        str(i): key
        for i, key in enumerate(
            [
                "member_number",
                "party",
                "given_on",
                "product",
                "sector",
                "quantity_ordered",
                "piece_rate",
                "delivered_on",
                "quantity_delivered",
                "rejected",
                "paid_on",
                "amount_paid",
                "her_hours",
                "cost_electricity",
            ]
        )
    }
    assert (job.status, job.valid_rows, job.error_count) == ("validated", 2, 5)
    by_row = {(e["row"], e["column"]) for e in job.errors}
    assert by_row == {(3, "Rejected qty"), (4, "Member no"), (4, "Sector"), (4, "Rate"), (4, "Payment date")}
    report = client.get(f"/orgs/union-a/imports/{job.pk}/errors.csv").content.decode()
    assert (
        "More pieces rejected than delivered." in report and "There is no member with this number." in report
    )
    assert not WorkOrder.objects.exists()
    with run_jobs():
        client.post(f"/orgs/union-a/imports/{job.pk}/commit/")
    job.refresh_from_db()
    assert (job.status, job.imported_rows) == ("done", 2)
    first = WorkOrder.objects.get(product="Zari border")
    # 100 × 4 = 400 paid 5 days after delivery; net 400 − 30 = 370 over 20 h = 18.5 an hour
    assert (first.party.name, first.status, first.payment_delay_days, first.net_hourly) == (
        "Rafiq Contractor",
        "paid",
        5,
        D("18.5"),
    )
    assert Party.objects.filter(name="New Agent", kind="intermediary").count() == 1
    assert WorkOrder.objects.get(product="Sequins").party.name == "New Agent"


def test_an_xlsx_of_orders(world, login, run_jobs, delhi_member, party):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "Member number",
            "Work giver",
            "Date given",
            "Product or task",
            "Sector",
            "Quantity ordered",
            "Rate per unit",
            "Currency",
        ]
    )
    sheet.append(
        [delhi_member.number, "Rafiq Contractor", "2025-06-02", "Beaded bag", "beadwork", 12, 35.5, "INR"]
    )
    out = io.BytesIO()
    workbook.save(out)
    client = login(world.organizer_a)
    job = _import(client, run_jobs, out.getvalue(), name="orders.xlsx")
    assert (job.valid_rows, job.error_count) == (1, 0)
    with run_jobs():
        client.post(f"/orgs/union-a/imports/{job.pk}/commit/")
    order = WorkOrder.objects.get()
    assert (order.quantity_ordered, order.piece_rate, order.status) == (D("12"), D("35.5"), "given")
