from django import forms
from django.utils.translation import gettext_lazy as _

from doorstep.core.sectors import Sector
from doorstep.organizations.models import Organization

from .models import Listing


def _blank(choices):
    return [("", _("Any")), *choices]


class ListingForm(forms.ModelForm):
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"), choices=Sector.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Listing
        fields = [
            "listed",
            "description",
            "area",
            "sectors",
            "declared_members",
            "email",
            "phone",
            "website",
            "postal_address",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "listed": _("Anyone can see a listed organization's entry, without logging in."),
            "email": _("The organization's address, never a member's."),
        }


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or area"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=_blank(Sector.choices))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_blank(Organization.Kind.choices))
    network = forms.ChoiceField(label=_("Network"), required=False)

    def __init__(self, *args, networks=(), country_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _blank(list(country_choices))
        self.fields["network"].choices = _blank([(n.slug, n.name) for n in networks])


class AffiliationRequestForm(forms.Form):
    network = forms.ModelChoiceField(label=_("Network"), queryset=Organization.objects.none())
    message = forms.CharField(
        label=_("Message to the network"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, networks=None, **kwargs):
        super().__init__(*args, **kwargs)
        if networks is not None:
            self.fields["network"].queryset = networks


class DecisionForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
