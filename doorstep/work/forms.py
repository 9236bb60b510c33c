from django import forms
from django.utils.translation import gettext_lazy as _


class FairRateForm(forms.Form):
    """Both methods on one phone-sized form; timed samples as lines of "pieces minutes"."""

    method = forms.ChoiceField(
        label=_("Method"),
        widget=forms.RadioSelect,
        choices=[
            ("rated_output", _("Rated output (timed samples)")),
            ("standard_minutes", _("Standard minutes")),
        ],
        initial="rated_output",
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)
    hourly_wage = forms.CharField(
        label=_("Hourly wage (the minimum or living wage)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    samples = forms.CharField(
        label=_("Timed samples"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Rated output: one line per worker timed, pieces then minutes, e.g. 40 60."),
    )
    uplift = forms.CharField(
        label=_("Uplift"),
        max_length=10,
        required=False,
        initial="1.2",
        help_text=_("Rated output: 1.2 in the UK rule."),
    )
    sam = forms.CharField(
        label=_("Standard minutes for one piece"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    efficiency = forms.CharField(
        label=_("Efficiency"),
        max_length=10,
        required=False,
        help_text=_("Standard minutes: a share of 1, e.g. 0.8."),
    )
    cost_per_piece = forms.CharField(
        label=_("Her costs per piece"),
        max_length=20,
        required=False,
        help_text=_("Standard minutes: thread, electricity… per piece."),
    )

    def sample_rows(self) -> list[dict]:
        rows = []
        for line in (self.cleaned_data.get("samples") or "").splitlines():
            parts = line.replace(",", " ").replace(";", " ").split()
            if parts:
                rows.append({"pieces": parts[0], "minutes": parts[1] if len(parts) > 1 else ""})
        return rows
