"""A bank or mobile-money statement (CSV, XLSX…) through ``core.imports``: its columns matched, each
line checked, then written and reconciled with the payments: by the transaction id (blind index),
else by the phone number (blind index of her registered numbers). A line whose number belongs to two
members is a row error with the reason; a line that matches nothing is kept and listed as unmatched."""

from datetime import date, datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorstep.core import money, vault
from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.imports import Column, Skip
from doorstep.members.services.validation import normalize_phone

from . import services

COLUMNS = [
    Column(
        "transaction_id",
        gettext_lazy("Transaction id"),
        (
            "transaction",
            "transaction id",
            "receipt",
            "receipt no",
            "reference",
            "ref",
            "txn id",
            "mpesa ref",
            "utr",
        ),
    ),
    Column("phone", gettext_lazy("Phone"), ("phone number", "msisdn", "mobile", "recipient", "account")),
    Column(
        "amount",
        gettext_lazy("Amount"),
        ("paid out", "withdrawn", "debit", "value", "montant", "kiasi"),
        required=True,
    ),
    Column("date", gettext_lazy("Date"), ("completion time", "transaction date", "value date", "tarehe")),
]
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y")


def _date(raw: str, errors: list[FieldError]) -> date | None:
    text = " ".join(str(raw or "").split())
    if not text:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    errors.append(FieldError("date", _("Write the date as YYYY-MM-DD or DD/MM/YYYY.")))
    return None


class StatementImport:
    name = "relief_statement"
    label = gettext_lazy("a payment statement (relief)")
    columns = COLUMNS
    batch_size = 1000

    def new_state(self, organization, options: dict):
        return services.StatementState()

    def check_row(self, organization, values: dict[str, str], row: int, state) -> dict:
        errors: list[FieldError] = []
        raw_amount = str(values.get("amount") or "").replace(",", "").strip().lstrip("-")
        amount = money.decimal(raw_amount, "amount", errors, required=True, positive=True, places=2)
        on = _date(values.get("date", ""), errors)
        transaction_id = services.normalize_transaction(values.get("transaction_id"))
        raw_phone = str(values.get("phone") or "").strip()
        phone = normalize_phone(raw_phone, organization.country.code) if raw_phone else None
        if raw_phone and not phone:
            errors.append(FieldError("phone", _("Not a phone number we can read.")))
        if not transaction_id and not raw_phone:
            errors.append(
                FieldError("transaction_id", _("Each line needs a transaction id or a phone number."))
            )
        if errors:
            raise ValidationError(message=_("This line is not valid."), errors=errors)
        phone_digest = vault.blind_index(organization.pk, "phone", phone) if phone else ""
        try:
            payment_id, differs = services.match_line(
                organization,
                transaction_id=transaction_id,
                phone_digest=phone_digest,
                amount=amount,
                row=row,
                state=state,
            )
        except services.AlreadyReconciled:
            raise Skip from None
        reference = (
            services.transaction_digest(organization.pk, transaction_id) if transaction_id else phone_digest
        )
        if payment_id is None and services.unmatched_before(
            organization, reference=reference, amount=amount, on=on
        ):
            raise Skip
        return {
            "amount": amount,
            "on": on,
            "payment_id": payment_id,
            "amount_differs": differs,
            "reference": reference,
        }

    def write_batch(self, organization, rows, *, actor, job) -> list[int]:
        return services.write_statement_lines(organization, rows, actor=actor, job=job)

    def after_import(self, organization, job, *, actor) -> None:
        return None

    def done_links(self, organization, job) -> list[tuple[str, str]]:
        return [(reverse("relief_statement", args=[organization.slug, job.pk]), _("See the reconciliation"))]

    def back_url(self, organization, job) -> str:
        return reverse("relief_funds", args=[organization.slug])


statement_import = StatementImport()
