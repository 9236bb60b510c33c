"""The work-order spreadsheet import: one row per order, with at most one delivery, one payment,
her costs by kind and her helpers' hours (further deliveries and payments are added on the order's
page). The member is named by her member number; the work giver by name (a name not yet known
becomes a new work giver, of the kind in the "kind of work giver" column or an intermediary).
The machinery (reading, column matching, checking, jobs, error report) is ``core.imports``.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorstep.core.errors import FieldError, ValidationError
from doorstep.core.imports import Column
from doorstep.members.models import Member
from doorstep.supplychains import services as party_services
from doorstep.supplychains.models import Party, PartyKind

from .models import CostKind
from .services import batches, validation

C = Column
COST_COLUMNS = {f"cost_{kind}": kind for kind in CostKind.values}
COLUMNS = [
    C(
        "member_number",
        gettext_lazy("Member number"),
        (
            "member",
            "member no",
            "member id",
            "membership number",
            "no",
            "numéro de membre",
            "número de socia",
            "सदस्य संख्या",
            "namba ya mwanachama",
        ),
        required=True,
    ),
    C(
        "party",
        gettext_lazy("Work giver"),
        (
            "work giver",
            "given by",
            "intermediary",
            "agent",
            "contractor",
            "employer",
            "supplier",
            "donneur d'ordre",
            "intermédiaire",
            "intermediario",
            "contratista",
            "ठेकेदार",
            "बिचौलिया",
            "mkandarasi",
            "wakala",
        ),
        required=True,
    ),
    C("party_kind", gettext_lazy("Kind of work giver"), ("party kind", "giver kind", "type of work giver")),
    C(
        "given_on",
        gettext_lazy("Date given"),
        (
            "date",
            "order date",
            "date given",
            "given",
            "date de la commande",
            "fecha",
            "fecha del pedido",
            "तारीख",
            "tarehe",
        ),
        required=True,
    ),
    C(
        "product",
        gettext_lazy("Product or task"),
        ("task", "item", "work", "produit", "tâche", "producto", "tarea", "उत्पाद", "काम", "bidhaa", "kazi"),
        required=True,
    ),
    C("sector", gettext_lazy("Sector"), ("trade", "secteur", "sector", "क्षेत्र", "sekta"), required=True),
    C(
        "quantity_ordered",
        gettext_lazy("Quantity ordered"),
        ("quantity", "qty", "pieces", "order quantity", "quantité", "cantidad", "मात्रा", "idadi"),
        required=True,
    ),
    C("unit", gettext_lazy("Unit"), ("unité", "unidad", "इकाई", "kipimo")),
    C(
        "piece_rate",
        gettext_lazy("Rate per unit"),
        (
            "rate",
            "piece rate",
            "rate per piece",
            "price",
            "tarif",
            "tarifa",
            "precio por pieza",
            "दर",
            "bei",
            "kiwango",
        ),
        required=True,
    ),
    C("currency", gettext_lazy("Currency"), ("devise", "moneda", "मुद्रा", "sarafu")),
    C("deadline", gettext_lazy("Deadline"), ("due", "due date", "date limite", "fecha límite", "अंतिम तिथि")),
    C(
        "materials_value",
        gettext_lazy("Value of materials supplied"),
        ("materials", "materials value", "valeur des matériaux"),
    ),
    C(
        "delivered_on",
        gettext_lazy("Date delivered"),
        ("delivery date", "delivered", "date de livraison", "fecha de entrega", "डिलीवरी तिथि"),
    ),
    C(
        "quantity_delivered",
        gettext_lazy("Quantity delivered"),
        ("delivered qty", "qty delivered", "quantité livrée", "cantidad entregada"),
    ),
    C(
        "rejected",
        gettext_lazy("Quantity rejected"),
        ("rejected qty", "rejects", "quantité rejetée", "rechazadas", "अस्वीकृत"),
    ),
    C(
        "rejection_reason",
        gettext_lazy("Reason for rejection"),
        ("reason", "reject reason", "motif du rejet", "motivo del rechazo"),
    ),
    C("rejected_paid", gettext_lazy("Rejected pieces paid"), ("rejects paid",)),
    C(
        "paid_on",
        gettext_lazy("Date paid"),
        ("payment date", "paid", "date de paiement", "fecha de pago", "भुगतान तिथि"),
    ),
    C(
        "amount_paid",
        gettext_lazy("Amount paid"),
        ("paid amount", "payment", "amount", "montant payé", "monto pagado", "भुगतान", "malipo"),
    ),
    C(
        "payment_method",
        gettext_lazy("Payment method"),
        ("method", "paid by", "mode de paiement", "forma de pago"),
    ),
    C("her_hours", gettext_lazy("Her hours"), ("hours", "hours worked", "heures", "horas", "घंटे", "saa")),
    C(
        "helper_hours",
        gettext_lazy("Unpaid helpers' hours"),
        ("helper hours", "family hours", "heures des aides"),
    ),
    C("helper_relationship", gettext_lazy("Helpers' relationship"), ("helpers", "helper relationship")),
    C("helper_children", gettext_lazy("Helpers are children"), ("child helpers", "children helped")),
    *[
        C(key, label, ())
        for key, label in (
            ("cost_electricity", gettext_lazy("Cost: electricity")),
            ("cost_materials", gettext_lazy("Cost: thread and materials")),
            ("cost_tools", gettext_lazy("Cost: tools and machine")),
            ("cost_transport", gettext_lazy("Cost: transport")),
            ("cost_space", gettext_lazy("Cost: space")),
            ("cost_other", gettext_lazy("Cost: other")),
        )
    ],
]

# A field name from validation.clean_order -> the import column it came from.
_FIELD_TO_COLUMN = {
    "member": "member_number",
    "deliveries.0.delivered_on": "delivered_on",
    "deliveries.0.quantity": "quantity_delivered",
    "deliveries.0.rejected": "rejected",
    "payments.0.paid_on": "paid_on",
    "payments.0.amount": "amount_paid",
    "payments.0.method": "payment_method",
    "helpers.0.hours": "helper_hours",
    "helpers.0.relationship": "helper_relationship",
}


class WorkOrderImport:
    name = "work_orders"
    label = gettext_lazy("Work orders")
    columns = COLUMNS
    batch_size = 2000

    def new_state(self, organization, options: dict) -> dict:
        members = {
            number: Member(pk=pk, organization_id=organization.pk, number=number)
            for pk, number in Member.objects.filter(
                organization=organization, merged_into__isnull=True
            ).values_list("pk", "number")
        }
        parties = {}
        for party in Party.objects.filter(organization=organization).order_by("pk"):
            parties.setdefault(party.name.casefold(), party)
        return {"members": members, "parties": parties}

    def _party(self, organization, values: dict, state: dict, errors: list[FieldError]) -> Party | None:
        name = " ".join(str(values.get("party") or "").split())
        if not name:
            return None
        party = state["parties"].get(name.casefold())
        if party is None:
            kind = str(values.get("party_kind") or PartyKind.INTERMEDIARY).strip().lower()
            if kind not in PartyKind.values:
                errors.append(
                    FieldError(
                        "party_kind",
                        _("Choose one of: %(choices)s.") % {"choices": ", ".join(PartyKind.values)},
                    )
                )
                return None
            # Not written yet: write_batch creates it with the first order that names it.
            party = Party(organization_id=organization.pk, name=name[:200], kind=kind)
            state["parties"][name.casefold()] = party
        return party

    def check_row(self, organization, values: dict[str, str], row: int, state: dict):
        errors: list[FieldError] = []
        member = None
        number = str(values.get("member_number") or "").strip()
        if number:
            try:
                member = state["members"].get(int(float(number)))
            except ValueError:
                member = None
            if member is None:
                errors.append(FieldError("member_number", _("There is no member with this number.")))
        party = self._party(organization, values, state, errors)
        raw = {
            **{
                k: values.get(k)
                for k in (
                    "given_on",
                    "product",
                    "sector",
                    "quantity_ordered",
                    "unit",
                    "piece_rate",
                    "currency",
                    "deadline",
                    "materials_value",
                    "her_hours",
                )
            },
            "member": member or "",
            "party": party or "",
            "deliveries": [],
            "payments": [],
            "costs": [],
            "helpers": [],
        }
        if any(str(values.get(k) or "").strip() for k in ("delivered_on", "quantity_delivered", "rejected")):
            raw["deliveries"].append(
                {
                    "delivered_on": values.get("delivered_on"),
                    "quantity": values.get("quantity_delivered"),
                    "rejected": values.get("rejected"),
                    "rejection_reason": values.get("rejection_reason"),
                    "rejected_paid": values.get("rejected_paid"),
                }
            )
        if any(str(values.get(k) or "").strip() for k in ("paid_on", "amount_paid")):
            raw["payments"].append(
                {
                    "paid_on": values.get("paid_on"),
                    "amount": values.get("amount_paid"),
                    "method": values.get("payment_method"),
                }
            )
        cost_columns = []
        for column, kind in COST_COLUMNS.items():
            if str(values.get(column) or "").strip():
                raw["costs"].append({"kind": kind, "amount": values.get(column)})
                cost_columns.append(column)
        if str(values.get("helper_hours") or "").strip():
            raw["helpers"].append(
                {
                    "relationship": values.get("helper_relationship") or "other_relative",
                    "hours": values.get("helper_hours"),
                    "children": values.get("helper_children"),
                }
            )
        try:
            clean = validation.clean_order(organization, raw)
        except ValidationError as problem:
            for error in problem.errors:
                column = _FIELD_TO_COLUMN.get(error.field, error.field)
                if error.field.startswith("costs."):
                    column = cost_columns[int(error.field.split(".")[1])]
                if column in ("member_number", "party") and any(e.field == column for e in errors):
                    continue
                errors.append(FieldError(column, error.message))
        if errors:
            raise ValidationError(message=_("This order is not valid."), errors=errors)
        return clean

    def write_batch(self, organization, rows, *, actor, job) -> list[int]:
        cleans = [clean for _row, clean in rows]
        created: dict[str, Party] = {}
        for clean in cleans:
            if clean.party.pk is None:
                key = clean.party.name.casefold()
                if key not in created:
                    existing = Party.objects.filter(
                        organization=organization, name__iexact=clean.party.name
                    ).first()
                    created[key] = existing or party_services.create_party(
                        organization, data={"name": clean.party.name, "kind": clean.party.kind}, actor=actor
                    )
                clean.party = created[key]
        return batches.create_orders_bulk(organization, cleans, actor=actor, source=f"import {job.pk}")

    def after_import(self, organization, job, *, actor) -> None:
        return None


work_order_import = WorkOrderImport()
