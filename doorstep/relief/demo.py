"""The demo cooperative's relief after the floods: a fund with the demo brand's one-time supply-chain
contribution and the network's, a list of one group's members drawn by the organizer and approved by
the administrator, a mobile-money round paid to most of them, and the provider's statement imported
and reconciled (one line that matches nothing). Deterministic and idempotent."""

from collections import Counter
from datetime import date, timedelta

from django.db import transaction

from doorstep.core import imports
from doorstep.core.models import Import
from doorstep.members.models import Member
from doorstep.organizations.models import Organization, User

from . import services
from .models import Fund, Payment


def load() -> list[str]:
    coop = Organization.objects.filter(slug="demo-cooperative").first()
    brand = Organization.objects.filter(slug="demo-brand").first()
    if coop is None or brand is None:
        return ["relief: no demo cooperative"]
    if Fund.objects.filter(organization=coop).exists():
        return ["demo-cooperative: relief fund already there"]
    admin = User.objects.get(username="orgadmin-b")
    organizer = User.objects.get(username="organizer-b")
    members = Member.objects.filter(organization=coop, status="active", group__isnull=False)
    groups = Counter(members.values_list("group__name", flat=True))
    if not groups:
        return ["demo-cooperative: no members in groups, no relief"]
    group = groups.most_common(1)[0][0]
    today = date.today()
    with transaction.atomic():
        fund = services.create_fund(
            coop,
            services.FundIn(
                "Flood relief 2026",
                "Food, rent and replacing lost materials for members whose homes flooded in the long rains.",
                "KES",
            ),
            actor=admin,
        )
        from_brand = services.add_source(
            fund,
            services.SourceIn(kind="company", company_id=brand.pk, pledged="150000"),
            actor=admin,
        )
        from_network = services.add_source(
            fund, services.SourceIn(kind="network", name="Demo Regional Network solidarity fund"), actor=admin
        )
        for source, amount in ((from_brand, "150000"), (from_network, "50000")):
            services.record_entry(
                fund, services.EntryIn("received", amount, today - timedelta(days=30), source.pk), actor=admin
            )
        drawn = services.draw_list(
            fund,
            services.ListIn(
                f"{group}: flooded homes",
                [{"field": "group", "op": "in", "value": [group]}],
                "3000",
            ),
            actor=organizer,
        )
        approved = services.approve_list(drawn, actor=admin)
        services.record_entry(
            fund,
            services.EntryIn("allocated", str(3000 * approved.entries.count()), today - timedelta(days=20)),
            actor=admin,
        )
        made = services.create_round(
            approved,
            services.RoundIn("First round (M-Pesa)", "mobile_money", today - timedelta(days=18)),
            actor=admin,
        )
        entries = list(approved.entries.select_related("member").order_by("member__number"))
        lines = ["Receipt No,Phone,Paid out,Completion Time"]
        for index, entry in enumerate(entries[:-1]):  # the last one has not collected yet
            reference = f"SJK{entry.member.number:04d}DEMO{index:02d}"
            services.record_payment(
                made,
                services.PaymentIn(
                    entry.member_id, "transaction", today - timedelta(days=17), transaction_id=reference
                ),
                actor=organizer,
            )
            lines.append(f"{reference},,3000.00,{(today - timedelta(days=17)).isoformat()}")
        lines.append(f"SJK9999STRAY,,1500.00,{(today - timedelta(days=16)).isoformat()}")
    statement = _import_statement(coop, admin, "\n".join(lines).encode())
    paid = Payment.objects.filter(round=made).count()
    return [
        f"demo-cooperative: relief fund, {len(entries)} on an approved list, {paid} paid, "
        f"statement {statement}"
    ]


def _import_statement(coop, admin, data: bytes) -> str:
    """The provider's statement through the import machinery, run here rather than by a worker (the
    runs it queues find the job done and do nothing)."""
    job = imports.start(
        coop, target_name="relief_statement", filename="mpesa-statement.csv", data=data, actor=admin
    )
    imports.choose_mapping(job, job.mapping, actor=admin)
    imports.validate(job.pk)
    job.refresh_from_db()
    if job.status != Import.Status.VALIDATED or not job.valid_rows:
        return f"not reconciled ({job.status})"
    imports.commit(job, actor=admin)
    imports.run(job.pk, admin.pk)
    job.refresh_from_db()
    return job.status
