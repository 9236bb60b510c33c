"""Forms of the social-protection pages: a scheme of the organization's own, starting an application,
changing one, moving it on, the filters of the lists."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApplicationStatus, SchemeKind


class _DateInput(forms.DateInput):
    input_type = "date"


class SchemeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=SchemeKind.choices)
    country = forms.CharField(label=_("Country"), max_length=2, help_text=_("Two letters, e.g. IN, KE, TH."))
    region_names = forms.CharField(
        label=_("States or provinces"),
        required=False,
        help_text=_("Separated by commas; blank: the whole country."),
    )
    eligibility = forms.CharField(label=_("Who is eligible"), widget=forms.Textarea(attrs={"rows": 3}))
    rules = forms.CharField(
        label=_("Eligibility as rules"),
        required=False,
        max_length=500,
        help_text=_(
            "Optional, e.g. “age between 18-40; category in homeworker|both; sector in bidi”. "
            "Fields: age, category, sector, gender, country, state, district."
        ),
    )
    documents = forms.CharField(
        label=_("Documents needed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line."),
    )
    where_to_apply = forms.CharField(label=_("Where to apply"), required=False, max_length=300)
    benefits = forms.CharField(label=_("Benefits"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    renew_every_months = forms.IntegerField(
        label=_("Renew every (months)"), required=False, min_value=1, max_value=120
    )
    source = forms.CharField(label=_("Source (web address)"), required=False, max_length=500)
    as_of = forms.CharField(label=_("Source date"), required=False, max_length=20)


class StartForm(forms.Form):
    member_number = forms.IntegerField(label=_("Member number"), min_value=1, help_text=_("As on her card."))
    status = forms.ChoiceField(label=_("Status"), choices=ApplicationStatus.choices, initial="to_prepare")
    reference_number = forms.CharField(
        label=_("Reference number"),
        required=False,
        max_length=60,
        help_text=_("Encrypted; found again by exact search."),
    )
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)
    next_step_due = forms.DateField(label=_("Next step by"), required=False, widget=_DateInput)


class ChangeForm(forms.Form):
    documents_have = forms.MultipleChoiceField(
        label=_("Documents she has"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    reference_number = forms.CharField(label=_("Reference number"), required=False, max_length=60)
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)
    next_step_due = forms.DateField(label=_("Next step by"), required=False, widget=_DateInput)
    renew_by = forms.DateField(label=_("Renew by"), required=False, widget=_DateInput)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents_have"].choices = [(d, d) for d in documents]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ApplicationStatus.choices)
    on = forms.DateField(label=_("On"), required=False, widget=_DateInput)


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *ApplicationStatus.choices]
    )


class EligibleFilterForm(forms.Form):
    group = forms.ChoiceField(label=_("Group"), required=False, choices=[])
    locality = forms.CharField(label=_("Village, town or neighbourhood"), required=False, max_length=120)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("All groups"))] + [(str(g.pk), g.name) for g in groups]


class ReferenceSearchForm(forms.Form):
    reference_number = forms.CharField(label=_("Find by reference number"), max_length=60)
