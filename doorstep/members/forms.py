"""Forms of the member pages: a member, search and filters, consent, dues, giving her a login, her
log-in with phone and PIN, and the details she may correct herself."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorstep.core.sectors import Sector

from .models import Category, ConsentMethod, Gender, Literacy, PhoneType, Purpose, Status


def _blank(choices):
    return [("", "—"), *choices]


class MemberForm(forms.Form):
    """The fields of a member, as a phone-friendly form. Domain rules live in services.clean_member."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    other_names = forms.CharField(label=_("Other names she is known by"), max_length=200, required=False)
    phones = forms.CharField(
        label=_("Phone numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "inputmode": "tel"}),
        help_text=_("One per line."),
    )
    national_id = forms.CharField(label=_("National ID number"), max_length=60, required=False)
    welfare_id = forms.CharField(
        label=_("Welfare or social security number"),
        max_length=60,
        required=False,
        help_text=_("For example e-Shram or NHIF."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"), choices=Sector.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    skills = forms.CharField(label=_("Skills"), required=False, help_text=_("Separated by commas."))
    gender = forms.ChoiceField(label=_("Gender"), choices=_blank(Gender.choices), required=False)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False)
    languages = forms.CharField(
        label=_("Languages"), required=False, help_text=_("Codes separated by commas, e.g. hi, en.")
    )
    literacy = forms.ChoiceField(
        label=_("Reading and writing"), choices=_blank(Literacy.choices), required=False
    )
    phone_type = forms.ChoiceField(label=_("Phone"), choices=_blank(PhoneType.choices), required=False)
    household_size = forms.IntegerField(label=_("People in her household"), required=False)
    dependants = forms.IntegerField(label=_("Dependants"), required=False)
    admin1 = forms.CharField(label=_("State or province"), max_length=100, required=False)
    admin2 = forms.CharField(label=_("District"), max_length=100, required=False)
    locality = forms.CharField(label=_("Village, town or neighbourhood"), max_length=120, required=False)
    address = forms.CharField(
        label=_("How to find her home"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    latitude = forms.DecimalField(label=_("GPS latitude"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("GPS longitude"), required=False, max_digits=10, decimal_places=6)
    group = forms.CharField(label=_("Local group"), max_length=120, required=False)
    joined_on = forms.DateField(
        label=_("Date joined"),
        required=False,
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, initial=Status.ACTIVE)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    PII_SECTION = ("full_name", "other_names", "phones", "national_id", "welfare_id")

    def to_member_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["sectors"] = list(data.get("sectors") or [])
        data["id_numbers"] = []
        for name in ("latitude", "longitude"):
            data[name] = "" if data.get(name) is None else str(data[name])
        return data

    @staticmethod
    def initial_from(member, pii: dict) -> dict:
        ids = {i["kind"]: i["number"] for i in pii.get("id_numbers", [])}
        gps = pii.get("gps") or {}
        return {
            "full_name": pii.get("full_name", ""),
            "other_names": pii.get("other_names", ""),
            "phones": "\n".join(pii.get("phones", [])),
            "national_id": ids.get("national_id", ""),
            "welfare_id": ids.get("welfare_id", ""),
            "address": pii.get("address", ""),
            "notes": pii.get("notes", ""),
            "latitude": gps.get("lat"),
            "longitude": gps.get("lon"),
            "category": member.category,
            "sectors": member.sectors,
            "skills": ", ".join(member.skills),
            "gender": member.gender,
            "birth_year": member.birth_year,
            "languages": ", ".join(member.languages),
            "literacy": member.literacy,
            "phone_type": member.phone_type,
            "household_size": member.household_size,
            "dependants": member.dependants,
            "admin1": member.admin1,
            "admin2": member.admin2,
            "locality": member.locality,
            "group": member.group.name if member.group else "",
            "joined_on": member.joined_on,
            "status": member.status,
        }


class MemberSearchForm(forms.Form):
    """Name and phone search: posted, never in the address, because they are personal data."""

    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    phone = forms.CharField(
        label=_("Phone"), required=False, max_length=30, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )


class MemberFilterForm(forms.Form):
    """Filters on non-identifying attributes (kept in the address, so a filtered list can be shared)."""

    category = forms.ChoiceField(label=_("Category"), choices=_blank(Category.choices), required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=_blank(Sector.choices), required=False)
    admin1 = forms.ChoiceField(label=_("State or province"), required=False)
    admin2 = forms.ChoiceField(label=_("District"), required=False)
    group = forms.ChoiceField(label=_("Local group"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=_blank(Status.choices), required=False)

    def __init__(self, *args, areas, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["admin1"].choices = _blank([(a, a) for a in areas["admin1"]])
        self.fields["admin2"].choices = _blank([(a, a) for a in areas["admin2"]])
        self.fields["group"].choices = _blank([(str(g.pk), g.name) for g in groups])


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    company_id = forms.TypedChoiceField(
        label=_("Company (only for being named to a company)"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[],
    )
    given = forms.TypedChoiceField(
        label=_("Consent"), choices=[("1", _("Given")), ("0", _("Withdrawn"))], coerce=lambda v: v == "1"
    )
    effective_on = forms.DateField(
        label=_("From"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    method = forms.ChoiceField(label=_("How"), choices=ConsentMethod.choices)

    def __init__(self, *args, companies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company_id"].choices = [("", "—"), *((c.pk, c.name) for c in companies)]


class DuesForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=20, help_text=_("For example 2026 or 2026-03."))
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=0)
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)
    paid_on = forms.DateField(
        label=_("Paid on"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )


class MemberLoginStartForm(forms.Form):
    """Where a member who has no link finds her organization's login: by the code on her card."""

    organization = forms.SlugField(
        label=_("Your organization's code"),
        max_length=50,
        help_text=_("It is printed on your membership card, under the QR code."),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "organization"}),
    )


class WorkerLoginForm(forms.Form):
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=8,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "current-password"}),
    )


class GiveLoginForm(forms.Form):
    pin = forms.CharField(
        label=_("PIN she chose (6 to 8 digits)"),
        min_length=6,
        max_length=8,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password"}),
    )


class OwnProfileForm(forms.Form):
    """What she may correct herself, in words addressed to her."""

    full_name = forms.CharField(label=_("Your full name"), max_length=200)
    other_names = forms.CharField(label=_("Other names you are known by"), max_length=200, required=False)
    phones = forms.CharField(
        label=_("Your phone numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    address = forms.CharField(
        label=_("How to find your home"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    locality = forms.CharField(label=_("Your village, town or neighbourhood"), max_length=120, required=False)
    phone_type = forms.ChoiceField(label=_("Your phone"), choices=_blank(PhoneType.choices), required=False)
    household_size = forms.IntegerField(label=_("People in your household"), required=False)
    dependants = forms.IntegerField(label=_("People who depend on you"), required=False)
