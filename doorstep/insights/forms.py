from django import forms
from django.utils.translation import gettext_lazy as _

from doorstep.organizations.models import SharingPurpose

from .models import Licence
from .queries import DATASETS, DIMENSIONS
from .services import RELEASE_TABLES


class FiguresForm(forms.Form):
    """What to show on the shared-figures page (the same parameters as the API)."""

    dataset = forms.ChoiceField(label=_("Figures on"), choices=list(DATASETS.items()), initial="work")
    purpose = forms.ChoiceField(label=_("Purpose"), choices=SharingPurpose.choices, required=False)
    group_by = forms.ChoiceField(label=_("By"), choices=[])
    then_by = forms.ChoiceField(label=_("And by"), choices=[], required=False)
    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=10,
        help_text=_("A calendar month, quarter or year: 2026-03, 2026-Q1 or 2026. Blank: all time."),
    )
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, purposes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [(p, label) for p, label in SharingPurpose.choices if p in purposes]
        self.fields["purpose"].initial = purposes[0]
        company = SharingPurpose.COMPANY_DUE_DILIGENCE in purposes
        choices = [(d.code, d.label) for d in DIMENSIONS.values() if company or not d.company_only]
        self.fields["group_by"].choices = choices
        self.fields["group_by"].initial = "sector"
        self.fields["then_by"].choices = [("", "—"), *choices]
        if len(purposes) == 1:
            self.fields["purpose"].widget = forms.HiddenInput()


class ReleaseForm(forms.Form):
    """A network's open-data release: which tables, what period, under which licence."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices, initial=Licence.CC_BY)
    tables = forms.MultipleChoiceField(label=_("Tables"), choices=[], widget=forms.CheckboxSelectMultiple)
    starts_on = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tables"].choices = [
            (
                code,
                " × ".join([str(DATASETS[dataset]), *(str(DIMENSIONS[d].label) for d in dimensions)]),
            )
            for code, (dataset, dimensions) in RELEASE_TABLES.items()
        ]
