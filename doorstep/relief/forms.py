from django import forms
from django.utils.translation import gettext_lazy as _

from doorstep.members.models import Category

from .models import Evidence, Method, SourceKind

DATE = forms.DateInput(attrs={"type": "date"})


class FundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    currency = forms.CharField(
        label=_("Currency"), max_length=3, help_text=_("Its three-letter code, e.g. KES.")
    )


class SourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SourceKind.choices)
    name = forms.CharField(
        label=_("Name"), max_length=200, required=False, help_text=_("A company's name is filled in for you.")
    )
    commitment = forms.TypedChoiceField(
        label=_("A company's commitment"), coerce=int, required=False, empty_value=None
    )
    pledged = forms.DecimalField(label=_("Pledged"), required=False, min_value=0, decimal_places=2)

    def __init__(self, *args, commitments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].choices = [("", "—")] + [
            (c.pk, f"{c.company.name}: {c.action[:60]}") for c in commitments
        ]


class EntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What"),
        choices=[("received", _("Received")), ("allocated", _("Allocated")), ("returned", _("Returned"))],
    )
    amount = forms.CharField(label=_("Amount"), max_length=30)
    on = forms.DateField(label=_("Date"), widget=DATE)
    source = forms.TypedChoiceField(label=_("From"), coerce=int, required=False, empty_value=None)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", "—")] + [(s.pk, s.name) for s in sources]


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Why is it corrected?"), max_length=300)


class ListForm(forms.Form):
    name = forms.CharField(label=_("Name of the list"), max_length=200)
    amount = forms.CharField(label=_("Amount for each person"), max_length=30)
    groups = forms.MultipleChoiceField(label=_("Members of these groups"), required=False)
    categories = forms.MultipleChoiceField(
        label=_("Of these categories"), choices=Category.choices, required=False
    )
    cancelled_since = forms.DateField(
        label=_("Whose orders were cancelled since"), required=False, widget=DATE
    )
    share = forms.DecimalField(
        label=_("Whose earnings were below this share of the minimum wage"),
        required=False,
        help_text=_("For example 0.5 for half."),
    )
    since = forms.DateField(label=_("Earnings counted from"), required=False, widget=DATE)
    network = forms.TypedChoiceField(
        label=_("Check for the same numbers in the network"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Only for members who agreed to share with the network; it shows a flag, never who."),
    )

    def __init__(self, *args, groups=(), networks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = [(name, name) for name in groups]
        self.fields["network"].choices = [("", "—")] + [(n.pk, n.name) for n in networks]

    def rules(self) -> list[dict]:
        data = self.cleaned_data
        rules = []
        if data.get("groups"):
            rules.append({"field": "group", "op": "in", "value": data["groups"]})
        if data.get("categories"):
            rules.append({"field": "category", "op": "in", "value": data["categories"]})
        if data.get("cancelled_since"):
            rules.append(
                {
                    "field": "orders_cancelled_since",
                    "op": "on_or_after",
                    "value": data["cancelled_since"].isoformat(),
                }
            )
        if data.get("share") is not None:
            rule = {"field": "earnings_share_of_minimum_wage", "op": "below", "value": str(data["share"])}
            if data.get("since"):
                rule["since"] = data["since"].isoformat()
            rules.append(rule)
        return rules


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name of the round"), max_length=200)
    method = forms.ChoiceField(label=_("How"), choices=Method.choices)
    amount = forms.CharField(
        label=_("Amount for each person"),
        max_length=30,
        required=False,
        help_text=_("The list's amount if left empty."),
    )
    in_kind = forms.CharField(label=_("What is given (in kind)"), max_length=200, required=False)
    opens_on = forms.DateField(label=_("From"), widget=DATE)


class PaymentForm(forms.Form):
    member_number = forms.IntegerField(label=_("Member number"), min_value=1)
    evidence = forms.ChoiceField(label=_("Proof of handover"), choices=Evidence.choices)
    card_text = forms.CharField(label=_("Her card's QR code, as scanned"), max_length=500, required=False)
    code = forms.CharField(label=_("One-time code"), max_length=20, required=False)
    transaction_id = forms.CharField(label=_("Transaction id"), max_length=100, required=False)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)


class CodeForm(forms.Form):
    member_number = forms.IntegerField(label=_("Member number"), min_value=1)
