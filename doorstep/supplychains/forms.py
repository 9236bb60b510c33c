"""Forms of the supply-chain pages: a party and the party filters, a link, a commitment, a narrative
step, and the tracking of a commitment."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from doorstep.organizations.models import Organization

from .models import CommitmentStatus, Confidence, DiligenceStep, EvidenceKind, PartyKind


class PartyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartyKind.choices)
    is_person = forms.BooleanField(
        label=_("This is a person, not a firm"),
        required=False,
        help_text=_(
            "A person's contact details are personal data: they are encrypted and every read is recorded."
        ),
    )
    country = LazyTypedChoiceField(label=_("Country"), choices=[("", "—"), *countries], required=False)
    locality = forms.CharField(label=_("Town or area"), max_length=120, required=False)
    site_address = forms.CharField(
        label=_("Site address (firms only)"),
        max_length=500,
        required=False,
        help_text=_("As public supplier lists give it; used to match them. Not for a person."),
    )
    sector = forms.CharField(label=_("Sector (as the firm's lists say)"), max_length=100, required=False)
    identifiers = forms.CharField(
        label=_("Known identifiers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line, e.g. os_id: IN2019123ABC or tax_id: 07AAACB1234F1Z5."),
    )
    company = forms.ModelChoiceField(
        label=_("This is the company on Doorstep"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_(
            "If this brand or buyer has its own account here, choose it: with a sharing agreement, it "
            "sees suppressed figures about its own chain, never a worker's name or her own figures."
        ),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    phones = forms.CharField(
        label=_("Phone numbers"), required=False, help_text=_("Separate them with commas.")
    )
    email = forms.CharField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label=_("Still in use"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = Organization.objects.filter(
            kind=Organization.Kind.COMPANY, is_active=True
        ).order_by("name")

    @staticmethod
    def initial_from(party, contact: dict) -> dict:
        return {
            "name": party.name,
            "kind": party.kind,
            "is_person": party.is_person,
            "country": party.country.code or "",
            "locality": party.locality,
            "site_address": party.site_address,
            "sector": party.sector,
            "company": party.company_id,
            "identifiers": "\n".join(f"{i['scheme']}: {i['value']}" for i in party.identifiers),
            **{k: v for k, v in contact.items() if k != "phones"},
            "phones": ", ".join(contact.get("phones", [])),
            "is_active": party.is_active,
        }


class PartyFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any")), *PartyKind.choices], required=False)


class _DateInput(forms.DateInput):
    input_type = "date"


class LinkForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("This work giver…"),
        choices=[("buys_from", _("buys from, or gives work to")), ("sells_to", _("sells to, or works for"))],
        widget=forms.RadioSelect,
        initial="buys_from",
    )
    other = forms.ChoiceField(label=_("Whom"))
    confidence = forms.ChoiceField(label=_("How sure are you?"), choices=Confidence.choices, initial="likely")
    evidence = forms.ChoiceField(label=_("On what evidence?"), choices=EvidenceKind.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    started_on = forms.DateField(label=_("Since"), required=False, widget=_DateInput())
    ended_on = forms.DateField(label=_("Until"), required=False, widget=_DateInput())

    def __init__(self, *args, others=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].choices = [(p.pk, f"{p.name} ({p.get_kind_display()})") for p in others]


class CommitmentForm(forms.Form):
    """A company's commitment to one of the organizations sharing with it."""

    organization = forms.TypedChoiceField(label=_("Made to"), coerce=int, choices=[])
    step = forms.ChoiceField(label=_("Step"), choices=DiligenceStep.choices, initial=DiligenceStep.PREVENT)
    action = forms.CharField(label=_("What you will do"), widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(label=_("Who answers for it"), max_length=200)
    deadline = forms.DateField(label=_("By when"), widget=_DateInput)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [(o.pk, o.name) for o in organizations]


class NarrativeForm(forms.Form):
    """The organization's words to a company, one box per step of the OECD guidance."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in DiligenceStep.choices:
            self.fields[code] = forms.CharField(
                label=label, required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
            )


class TrackForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
