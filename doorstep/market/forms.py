from django import forms
from django.utils.translation import gettext_lazy as _

from doorstep.core.sectors import Sector

from .models import InquiryStatus, PartnerKind, TradeTopic

_Date = forms.DateInput(attrs={"type": "date"})


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    story = forms.CharField(
        label=_("Story"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How it is made and by whom — groups, never a person's name."),
    )
    translation_language = forms.CharField(
        label=_("Another language (code, e.g. sw)"), required=False, max_length=8
    )
    translation_name = forms.CharField(label=_("Name in that language"), required=False, max_length=200)
    translation_story = forms.CharField(
        label=_("Story in that language"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    materials = forms.CharField(label=_("Materials"), required=False, max_length=500)
    sizes = forms.CharField(label=_("Sizes"), required=False, max_length=300)
    standard_minutes = forms.DecimalField(label=_("Standard minutes a piece"), min_value=0)
    hourly_wage = forms.DecimalField(
        label=_("Hourly wage for the producers"),
        required=False,
        min_value=0,
        help_text=_("Blank: the minimum wage that applies."),
    )
    materials_cost = forms.DecimalField(label=_("Materials a piece"), required=False, min_value=0, initial=0)
    margin_percent = forms.DecimalField(label=_("Margin (%)"), required=False, min_value=0, initial=0)
    currency = forms.CharField(label=_("Currency"), max_length=3)
    price = forms.DecimalField(
        label=_("Price a piece"), required=False, min_value=0, help_text=_("Blank: the price built up below.")
    )
    below_fair_reason = forms.CharField(
        label=_("Why the price is below the producers' fair share"), required=False, max_length=500
    )
    minimum_order = forms.IntegerField(label=_("Minimum order"), min_value=1, initial=1)
    lead_time_days = forms.IntegerField(label=_("Lead time (days)"), min_value=0, initial=14)
    producer_groups = forms.MultipleChoiceField(
        label=_("Producer groups"), required=False, widget=forms.CheckboxSelectMultiple
    )
    published = forms.BooleanField(label=_("Show in the public catalogue"), required=False)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer_groups"].choices = [(str(g.pk), g.name) for g in groups]


class PhotoForm(forms.Form):
    file = forms.FileField(label=_("Photo"))
    caption = forms.CharField(label=_("Caption"), required=False, max_length=200)


class InquiryForm(forms.Form):
    name = forms.CharField(label=_("Your name or your firm's"), max_length=200)
    email = forms.CharField(label=_("E-mail"), max_length=254)
    phone = forms.CharField(label=_("Phone (if you want)"), required=False, max_length=40)
    product = forms.TypedChoiceField(label=_("Product"), required=False, coerce=int, empty_value=None)
    quantity = forms.IntegerField(label=_("How many pieces"), required=False, min_value=1)
    country = forms.CharField(label=_("Your country"), required=False, max_length=60)
    message = forms.CharField(label=_("Your question or order"), widget=forms.Textarea(attrs={"rows": 4}))
    # Never shown to people (hidden by the stylesheet, not by script): robots fill it in, people do not.
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [("", "—"), *[(p.pk, p.name) for p in products]]


class InquiryStatusForm(forms.Form):
    status = forms.ChoiceField(choices=InquiryStatus.choices)


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices)
    country = forms.CharField(label=_("Country"), required=False, max_length=60)
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=200)
    email = forms.CharField(label=_("E-mail"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OrderForm(forms.Form):
    partner = forms.TypedChoiceField(label=_("Buyer"), coerce=int)
    ordered_on = forms.DateField(label=_("Ordered on"), widget=_Date)
    due_on = forms.DateField(label=_("To deliver by"), required=False, widget=_Date)
    reference = forms.CharField(label=_("Buyer's reference"), required=False, max_length=100)
    product = forms.TypedChoiceField(label=_("Product"), coerce=int)
    quantity = forms.IntegerField(label=_("Pieces"), min_value=1)
    unit_price = forms.DecimalField(
        label=_("Price a piece"), required=False, min_value=0, help_text=_("Blank: the product's price.")
    )
    piece_rate = forms.DecimalField(
        label=_("Piece rate agreed with the producers"),
        required=False,
        min_value=0,
        help_text=_("Blank: the product's fair piece rate."),
    )

    def __init__(self, *args, partners=(), products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [(p.pk, p.name) for p in partners]
        self.fields["product"].choices = [(p.pk, p.name) for p in products]


class SplitForm(forms.Form):
    line = forms.IntegerField(widget=forms.HiddenInput)
    shares = forms.CharField(
        label=_("Producers and pieces"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One producer a line: her member number, then the pieces, e.g. 12: 30"),
    )


class PaymentForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=_Date)
    amount = forms.DecimalField(label=_("Amount"), min_value=0)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class PayoutForm(forms.Form):
    share = forms.IntegerField(widget=forms.HiddenInput)
    paid_on = forms.DateField(label=_("Paid on"), widget=_Date)
    amount = forms.DecimalField(label=_("Amount"), min_value=0)


class TradeFactForm(forms.Form):
    country = forms.CharField(label=_("Destination country"), max_length=60)
    topic = forms.ChoiceField(label=_("Topic"), choices=TradeTopic.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("What to know"), widget=forms.Textarea(attrs={"rows": 4}))
    source = forms.CharField(label=_("Source"), max_length=1000)
    as_of = forms.CharField(label=_("Date of the source"), required=False, max_length=10)
    verified = forms.BooleanField(label=_("Checked against the source"), required=False)
    note_why = forms.CharField(label=_("Why it changed"), required=False, max_length=500)
