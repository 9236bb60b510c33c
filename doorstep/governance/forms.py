"""Forms of the governance pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DuesPeriod, Mandate, MeetingKind, PositionKind, QuorumKind


class RulesForm(forms.Form):
    dues_amount = forms.DecimalField(label=_("Dues amount"), max_digits=12, decimal_places=2)
    dues_currency = forms.CharField(
        label=_("Currency"), max_length=3, help_text=_("Three letters, e.g. KES or INR.")
    )
    dues_period = forms.ChoiceField(label=_("Dues are paid per"), choices=DuesPeriod.choices)
    grace_days = forms.IntegerField(
        label=_("Grace period (days)"),
        min_value=0,
        max_value=366,
        help_text=_("Days she may pay late and stay in good standing, counting the day dues fall due."),
    )
    arrears_lose_vote = forms.BooleanField(label=_("Members in arrears lose the vote"), required=False)
    quorum_kind = forms.ChoiceField(label=_("Quorum of a general assembly"), choices=QuorumKind.choices)
    quorum_percent = forms.DecimalField(
        label=_("Quorum share (%)"), required=False, max_digits=5, decimal_places=2
    )
    quorum_number = forms.IntegerField(label=_("Quorum (members)"), required=False, min_value=1)
    term_years = forms.IntegerField(label=_("Term of office (years)"), min_value=1, max_value=10)

    def clean_dues_currency(self):
        return self.cleaned_data["dues_currency"].strip().upper()


class PositionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Position"), choices=PositionKind.choices)
    title = forms.CharField(
        label=_("Title"), max_length=120, required=False, help_text=_("Needed for another position.")
    )
    group = forms.TypedChoiceField(
        label=_("Group (for a group leader)"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "—")] + [(g.pk, g.name) for g in groups]


class TermForm(forms.Form):
    position = forms.TypedChoiceField(label=_("Position"), coerce=int)
    member_number = forms.IntegerField(label=_("Member number"), min_value=1)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    mandate = forms.ChoiceField(label=_("Elected or appointed"), choices=Mandate.choices)
    shown_publicly = forms.BooleanField(
        label=_("She agrees to be shown on the directory page"), required=False
    )

    def __init__(self, *args, positions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [(p.pk, p.title) for p in positions]


class EndTermForm(forms.Form):
    ends_on = forms.DateField(label=_("Last day in office"), widget=forms.DateInput(attrs={"type": "date"}))


class StandingFilterForm(forms.Form):
    on = forms.DateField(label=_("On"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    group = forms.TypedChoiceField(label=_("Group"), coerce=int, required=False, empty_value=None)
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("all", _("Everyone")), ("arrears", _("Only those in arrears"))],
    )
    year = forms.IntegerField(label=_("Totals of the year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("All groups"))] + [(g.pk, g.name) for g in groups]


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    groups = forms.TypedMultipleChoiceField(
        label=_("Groups invited"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every member is invited."),
    )

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = [(g.pk, g.name) for g in groups]


class CardForm(forms.Form):
    number = forms.IntegerField(label=_("Member number on her card"), min_value=1)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 10}), required=False)


class ResolutionForm(forms.Form):
    text = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}))
    votes_for = forms.IntegerField(label=_("For"), min_value=0)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0)
    abstaining = forms.IntegerField(label=_("Abstaining"), min_value=0)


class ActionItemForm(forms.Form):
    text = forms.CharField(label=_("What is to be done"), max_length=500)
    owner_number = forms.IntegerField(label=_("Owner's member number"), min_value=1)
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))


class ApproveForm(forms.Form):
    version = forms.TypedChoiceField(label=_("Minutes to approve"), coerce=int)

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [
            (v.pk, f"{v.meeting.title} ({v.meeting.held_on:%Y-%m-%d}), v{v.number}") for v in versions
        ]


class AnnualReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class AnnualReportTextForm(forms.Form):
    text = forms.CharField(
        label=_("The report's words"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        help_text=_(
            "What the organization did this year, in its own words; the figures come from the records."
        ),
    )
