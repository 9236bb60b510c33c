"""Forms of the work pages: an order and each kind of its entries, the orders' filters, quick
entry, a benchmark, the late-payment setting, the fair-rate calculator and a rate to save. They
parse what was typed; the rules live elsewhere: ``services.validation.clean_order()`` for an order
and its entries, the other services and ``work.rates`` for the rest."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from doorstep.core.sectors import Sector

from .models import (
    BenchmarkKind,
    CancelledBy,
    CostKind,
    Flag,
    OrderStatus,
    PaymentMethod,
    Period,
    Relationship,
    Unit,
)
from .services import validation


class FairRateForm(forms.Form):
    """Both methods on one phone-sized form; timed samples as lines of "pieces minutes"."""

    method = forms.ChoiceField(
        label=_("Method"),
        widget=forms.RadioSelect,
        choices=[
            ("rated_output", _("Rated output (timed samples)")),
            ("standard_minutes", _("Standard minutes")),
        ],
        initial="rated_output",
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)
    hourly_wage = forms.CharField(
        label=_("Hourly wage (the minimum or living wage)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    samples = forms.CharField(
        label=_("Timed samples"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Rated output: one line per worker timed, pieces then minutes, e.g. 40 60."),
    )
    uplift = forms.CharField(
        label=_("Uplift"),
        max_length=10,
        required=False,
        initial="1.2",
        help_text=_("Rated output: 1.2 in the UK rule."),
    )
    sam = forms.CharField(
        label=_("Standard minutes for one piece"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    efficiency = forms.CharField(
        label=_("Efficiency"),
        max_length=10,
        required=False,
        help_text=_("Standard minutes: a share of 1, e.g. 0.8."),
    )
    cost_per_piece = forms.CharField(
        label=_("Her costs per piece"),
        max_length=20,
        required=False,
        help_text=_("Standard minutes: thread, electricity… per piece."),
    )

    def sample_rows(self) -> list[dict]:
        rows = []
        for line in (self.cleaned_data.get("samples") or "").splitlines():
            parts = line.replace(",", " ").replace(";", " ").split()
            if parts:
                rows.append({"pieces": parts[0], "minutes": parts[1] if len(parts) > 1 else ""})
        return rows


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _decimal(label, **extra) -> forms.CharField:
    """Numbers are read by the service (``core.money``), so that pages, API and imports agree."""
    return forms.CharField(
        label=label, max_length=24, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **extra
    )


def _party_choices(parties, blank=None) -> list:
    return [("", blank or _("Choose…")), *[(p.pk, f"{p.name} ({p.get_kind_display()})") for p in parties]]


class OrderForm(forms.Form):
    member_number = forms.IntegerField(label=_("Member number"), min_value=1)
    party = forms.ChoiceField(label=_("Work giver"))
    given_on = forms.DateField(label=_("Date given"), widget=_DateInput())
    product = forms.CharField(
        label=_("Product or task"), max_length=200, help_text=_("e.g. embroidered cushion cover")
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    quantity_ordered = _decimal(_("Quantity ordered"))
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices, initial=Unit.PIECE)
    piece_rate = _decimal(_("Rate per unit"))
    currency = forms.CharField(label=_("Currency"), max_length=3)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=_DateInput())
    materials_supplied = forms.BooleanField(label=_("The work giver supplied the materials"), required=False)
    materials_value = _decimal(_("Value of the materials"), required=False)
    her_hours = _decimal(
        _("Her hours on this order"),
        required=False,
        help_text=_("All the hours she spent, including fetching and delivering."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (s, OrderStatus(s).label)
            for s in (OrderStatus.GIVEN, OrderStatus.IN_PROGRESS, OrderStatus.CANCELLED)
        ],
        help_text=_("Delivered and paid follow from the deliveries and payments you record."),
    )
    cancelled_on = forms.DateField(label=_("Cancelled on"), required=False, widget=_DateInput())
    cancelled_by = forms.ChoiceField(
        label=_("Cancelled by"), choices=[("", "—"), *CancelledBy.choices], required=False
    )
    materials_lost = forms.BooleanField(label=_("She lost materials she had bought"), required=False)
    work_lost = forms.BooleanField(label=_("Work already done was lost"), required=False)

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = _party_choices(parties)

    def to_order_data(self, member) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "member_number"}
        data["member"] = member
        return data

    @staticmethod
    def initial_from(order) -> dict:
        values = {name: getattr(order, name) for name in validation.ORDER_FIELDS}
        values = {k: (format(v, "f") if isinstance(v, Decimal) else v) for k, v in values.items()}
        return {**values, "member_number": order.member.number, "party": order.party_id}


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(label=_("Date delivered"), widget=_DateInput())
    quantity = _decimal(_("Quantity delivered"))
    rejected = _decimal(_("Quantity rejected"), required=False)
    rejection_reason = forms.CharField(
        label=_("Reason given for the rejection"), max_length=300, required=False
    )
    rejected_paid = forms.BooleanField(label=_("Rejected pieces were paid anyway"), required=False)


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Date paid"), widget=_DateInput())
    amount = _decimal(_("Amount received"))
    method = forms.ChoiceField(label=_("How"), choices=PaymentMethod.choices)
    paid_by = forms.ChoiceField(label=_("Paid by"), required=False)

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_by"].choices = _party_choices(parties, blank=_("The work giver of the order"))


class DeductionForm(forms.Form):
    deducted_on = forms.DateField(label=_("Date"), widget=_DateInput())
    amount = _decimal(_("Amount held back"))
    reason = forms.CharField(label=_("Reason given"), max_length=300, required=False)


class CostForm(forms.Form):
    kind = forms.ChoiceField(label=_("Cost"), choices=CostKind.choices)
    amount = _decimal(_("Amount she paid"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class HelperForm(forms.Form):
    relationship = forms.ChoiceField(label=_("Who helped"), choices=Relationship.choices)
    count = forms.IntegerField(label=_("How many"), min_value=1, max_value=20, initial=1)
    children = forms.BooleanField(label=_("Children (under 18)"), required=False)
    hours = _decimal(_("Their hours, all together"))


ENTRY_FORMS = {
    "deliveries": DeliveryForm,
    "payments": PaymentForm,
    "deductions": DeductionForm,
    "costs": CostForm,
    "helpers": HelperForm,
}


class OrderFilterForm(forms.Form):
    party = forms.ChoiceField(label=_("Work giver"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *OrderStatus.choices], required=False
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", _("Any")), *Sector.choices], required=False)
    flag = forms.ChoiceField(label=_("Flag"), choices=[("", _("Any")), *Flag.choices], required=False)
    given_from = forms.DateField(label=_("Given from"), required=False, widget=_DateInput())
    given_to = forms.DateField(label=_("Given until"), required=False, widget=_DateInput())
    member = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = _party_choices(parties, blank=_("Any"))


class QuickEntryForm(forms.Form):
    """The batch's common part; each member's quantity comes in a field ``q_<member id>``."""

    party = forms.ChoiceField(label=_("Work giver"))
    product = forms.CharField(label=_("Product or task"), max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    given_on = forms.DateField(label=_("Date given"), widget=_DateInput())
    piece_rate = _decimal(_("Rate per unit"))
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices, initial=Unit.PIECE)
    currency = forms.CharField(label=_("Currency"), max_length=3)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=_DateInput())
    materials_supplied = forms.BooleanField(label=_("The work giver supplied the materials"), required=False)

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = _party_choices(parties)


class BenchmarkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BenchmarkKind.choices)
    country = LazyTypedChoiceField(label=_("Country"), choices=countries)
    region = forms.CharField(
        label=_("State or province"), max_length=120, required=False, help_text=_("Blank: the whole country.")
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("Every sector")), *Sector.choices], required=False
    )
    skill = forms.CharField(
        label=_("Skill level"), max_length=80, required=False, help_text=_("Blank: any skill level.")
    )
    amount = _decimal(_("Amount"))
    currency = forms.CharField(label=_("Currency"), max_length=3)
    period = forms.ChoiceField(label=_("Per"), choices=Period.choices)
    hours_per_day = _decimal(
        _("Hours a day"),
        required=False,
        help_text=_("The convention of this wage, to turn it into an hourly wage."),
    )
    days_per_month = _decimal(_("Days a month"), required=False)
    convention_note = forms.CharField(
        label=_("Where the hours and days come from"), max_length=300, required=False
    )
    effective_from = forms.DateField(label=_("In force from"), widget=_DateInput())
    source = forms.CharField(
        label=_("Source"), max_length=500, help_text=_("A link or the name of the notification.")
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SaveRateForm(FairRateForm):
    product = forms.CharField(label=_("Product or task"), max_length=200)
    party = forms.ChoiceField(label=_("Work giver"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices, initial=Unit.PIECE)

    field_order = ["product", "party", "sector", "unit"]

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = _party_choices(parties, blank=_("Any work giver"))


class SettingsForm(forms.Form):
    late_payment_days = forms.IntegerField(
        label=_("A payment is late after (days)"),
        min_value=1,
        max_value=365,
        help_text=_("Orders not paid in full this many days after delivery are flagged as paid late."),
    )
