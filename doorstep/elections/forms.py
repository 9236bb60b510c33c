"""Forms of the election pages. Members are named by their member number (no list of names to load
on a phone, no names read without need)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Method

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ElectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    opens_at = forms.DateTimeField(label=_("Voting opens"), widget=WHEN)
    closes_at = forms.DateTimeField(label=_("Voting closes"), widget=WHEN)
    roll_date = forms.DateField(
        label=_("Voter roll frozen at"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Members active on this date may vote and stand."),
    )


class ContestForm(forms.Form):
    position_title = forms.CharField(label=_("Position"), max_length=120)
    method = forms.ChoiceField(label=_("Counting"), choices=Method.choices)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=50, initial=1)


class NominationForm(forms.Form):
    contest = forms.TypedChoiceField(label=_("Position"), coerce=int)
    nominee = forms.IntegerField(label=_("Member number of the nominee"), min_value=1)
    nominated_by = forms.IntegerField(label=_("Member number of whoever nominates her"), min_value=1)

    def __init__(self, *args, contests=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contest"].choices = [(c.pk, c.position_title) for c in contests]


class StationForm(forms.Form):
    name = forms.CharField(label=_("Polling station"), max_length=120)
    numbers = forms.CharField(
        label=_("Member numbers voting here"),
        required=False,
        help_text=_("Separated by commas; leave empty for everyone not yet at a station."),
    )

    def clean_numbers(self):
        text = self.cleaned_data["numbers"]
        parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError(_("Only member numbers, separated by commas."))
        return [int(p) for p in parts]


class TallyForm(forms.Form):
    ballots_cast = forms.IntegerField(label=_("Ballot papers in the box"), min_value=0)
    spoiled = forms.IntegerField(label=_("Spoiled papers"), min_value=0, initial=0)
    photo = forms.FileField(label=_("Photo of the signed tally sheet"))

    def __init__(self, *args, contests=(), candidates=None, names=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.vote_fields = []
        for contest in contests:
            for nomination_id in (candidates or {}).get(contest.pk, []):
                name = f"votes_{contest.pk}_{nomination_id}"
                label = f"{contest.position_title}: {(names or {}).get(nomination_id, ('', ''))[0]}"
                self.fields[name] = forms.IntegerField(label=label, min_value=0, initial=0, required=False)
                self.vote_fields.append((name, contest.pk, nomination_id))

    def votes(self) -> dict[int, dict[int, int]]:
        found: dict[int, dict[int, int]] = {}
        for name, contest_id, nomination_id in self.vote_fields:
            found.setdefault(contest_id, {})[nomination_id] = self.cleaned_data[name] or 0
        return found


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
