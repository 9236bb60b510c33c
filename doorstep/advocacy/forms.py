"""Forms of the advocacy pages: a legal fact with its source and the world table's filters; a campaign,
its demands, targets and actions; a report to the ILO, its sections, and its submission."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from doorstep.insights.queries import DATASETS, DIMENSIONS

from .models import Campaign, CampaignAction, Convention, Coverage, Fact, ReportSection, Target

SOURCE_FIELDS = ("source", "as_of", "note_why")


def _source_fields(form):
    form.fields["source"] = forms.CharField(
        label=_("Source"),
        max_length=1000,
        help_text=_(
            "Where this comes from: the law's gazette, an ILO page, a report (a link or a reference)."
        ),
        error_messages={"required": _("Every fact needs its source: a law, an ILO page, a report.")},
    )
    form.fields["as_of"] = forms.CharField(
        label=_("Date of the source"),
        max_length=10,
        required=False,
        help_text=_("2024, 2024-05 or 2024-05-31."),
    )
    form.fields["note_why"] = forms.CharField(label=_("Why the change"), max_length=500, required=False)


class FactForm(forms.Form):
    """The fields of one fact (which ones depends on the fact), then its source."""

    def __init__(self, *args, fact: str, **kwargs):
        super().__init__(*args, **kwargs)
        if fact == Fact.C177_RATIFIED:
            self.fields["ratified"] = forms.BooleanField(label=_("Ratified"), required=False, initial=True)
            self.fields["on"] = forms.CharField(
                label=_("Ratified in"),
                max_length=10,
                required=False,
                help_text=_("A year (2002) or a date (2002-07-24)."),
            )
        elif fact == Fact.C177_IN_FORCE:
            self.fields["on"] = forms.CharField(
                label=_("In force from"), max_length=10, help_text=_("A date (2023-05-25).")
            )
        elif fact == Fact.HOMEWORK_LAW:
            self.fields["name"] = forms.CharField(label=_("Name of the law or policy"), max_length=300)
            self.fields["year"] = forms.IntegerField(label=_("Year"), required=False)
            self.fields["covers"] = forms.CharField(
                label=_("Who it covers"),
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields["link"] = forms.URLField(
                label=_("Link"), max_length=500, required=False, assume_scheme="https"
            )
        elif fact == Fact.ILO_COMMENTS:
            self.fields["text"] = forms.CharField(
                label=_("What the ILO said"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
            )
            self.fields["link"] = forms.URLField(
                label=_("Link"), max_length=500, required=False, assume_scheme="https"
            )
        else:
            self.fields["coverage"] = forms.ChoiceField(label=_("Coverage"), choices=Coverage.choices)
            self.fields["note"] = forms.CharField(
                label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        _source_fields(self)


class WorldFilterForm(forms.Form):
    q = forms.CharField(label=_("Country"), required=False, max_length=60)
    ratified = forms.ChoiceField(
        label=_("Convention 177"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Ratified")), ("no", _("Not ratified"))],
    )


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    status = forms.ChoiceField(label=_("Status"), choices=Campaign.Status.choices)
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    starts_on = forms.DateField(
        label=_("Starts on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    is_public = forms.BooleanField(label=_("Show on the public campaigns page"), required=False)
    participants = forms.ModelMultipleChoiceField(
        label=_("Organizations taking part"), queryset=None, required=False
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = organizations


class DemandForm(forms.Form):
    text = forms.CharField(label=_("Demand"), max_length=500)


class TargetForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Target.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *countries]


class CampaignActionForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=CampaignAction.Kind.choices)
    description = forms.CharField(
        label=_("What was done"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.CharField(
        label=_("Outcome"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    target = forms.ModelChoiceField(label=_("Target"), queryset=None, required=False)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    convention = forms.ChoiceField(label=_("Convention"), choices=Convention.choices)
    country = forms.ChoiceField(label=_("Country"))
    addressed_to = forms.CharField(
        label=_("Addressed to"),
        max_length=300,
        required=False,
        help_text=_(
            "Blank: the ILO Committee of Experts on the Application of Conventions and Recommendations."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *countries]


def _dimension_choices():
    datasets = [("", "—"), *((code, label) for code, label in DATASETS.items())]
    dimensions = [("", "—"), *((d.code, d.label) for d in DIMENSIONS.values() if not d.company_only)]
    return datasets, dimensions


class ReportSectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportSection.Kind.choices)
    heading = forms.CharField(label=_("Heading"), max_length=200)
    body = forms.CharField(
        label=_("Text or quote"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For text and demands: plain text or simple HTML. For a testimony: her words, with nothing "
            "that could identify her."
        ),
    )
    speaker = forms.CharField(
        label=_("Who said it (testimony)"),
        max_length=200,
        required=False,
        help_text=_("In general words only, e.g. “a beadworker in Nairobi”."),
    )
    dataset = forms.ChoiceField(label=_("Figures of (evidence)"), required=False)
    first = forms.ChoiceField(label=_("Grouped by (evidence)"), required=False)
    second = forms.ChoiceField(label=_("and by (optional)"), required=False)
    start = forms.DateField(
        label=_("From (evidence)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To (evidence)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        datasets, dimensions = _dimension_choices()
        self.fields["dataset"].choices = datasets
        self.fields["first"].choices = dimensions
        self.fields["second"].choices = dimensions

    def section_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["group_by"] = ",".join(code for code in (data.pop("first"), data.pop("second")) if code)
        data["from"], data["to"] = data.pop("start"), data.pop("end")
        return data


class SubmittedForm(forms.Form):
    submitted_on = forms.DateField(
        label=_("Sent to the ILO on"), widget=forms.DateInput(attrs={"type": "date"})
    )
