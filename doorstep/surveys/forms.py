"""Forms of the survey pages: uploading a form and its media, its state and member-number question, an
app user, the submission filters, and an import of submissions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Fillers, FormState


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("XLSForm"),
        allow_empty_file=True,
        help_text=_("A .xlsx, .xls, .csv or .md file. A form with the same form ID becomes a new version."),
    )


class MediaForm(forms.Form):
    file = forms.FileField(
        label=_("Media file"), help_text=_("An image, sound, video, CSV or GeoJSON file the form uses.")
    )


class StateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=FormState.choices)
    fillers = forms.ChoiceField(label=_("Who may fill it"), choices=Fillers.choices, required=False)


class MemberFieldForm(forms.Form):
    member_field = forms.ChoiceField(
        label=_("Question holding the member number"),
        required=False,
        help_text=_("Each submission is then linked to the member with that number."),
    )

    def __init__(self, *args, paths=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_field"].choices = [("", "—"), *[(p, p) for p in paths]]


class AppUserForm(forms.Form):
    name = forms.CharField(label=_("Name of the phone or enumerator"), max_length=120)


class _DateInput(forms.DateInput):
    input_type = "date"


class SubmissionFilterForm(forms.Form):
    received_from = forms.DateField(label=_("Received from"), required=False, widget=_DateInput())
    received_to = forms.DateField(label=_("Received until"), required=False, widget=_DateInput())
    app_user = forms.ChoiceField(label=_("Phone"), required=False)
    submitted_by = forms.ChoiceField(label=_("Sent or imported by"), required=False)
    question = forms.ChoiceField(label=_("Question"), required=False)
    op = forms.ChoiceField(
        label=_("Answer"), required=False, choices=[("is", _("is")), ("contains", _("contains"))]
    )
    value = forms.CharField(label=_("Value"), required=False, max_length=200)

    def __init__(self, *args, app_users=(), submitters=(), questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["app_user"].choices = [("", _("Any")), *[(a.pk, a.name) for a in app_users]]
        self.fields["submitted_by"].choices = [
            ("", _("Anyone")),
            *[(u.pk, u.get_full_name() or u.username) for u in submitters],
        ]
        self.fields["question"].choices = [("", _("Any")), *questions]

    def clean(self):
        data = super().clean()
        if data.get("question") and not data.get("value", "").strip():
            self.add_error("value", _("Write the answer to look for."))
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or several files, cleaned as a list (Django's documented way to take several)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        parts = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(part, initial) for part in parts]


class ImportForm(forms.Form):
    file = MultipleFileField(
        label=_("Export from KoboToolbox or ODK Central"),
        allow_empty_file=True,
        help_text=_(
            "KoboToolbox: XLSX or CSV, values or labels, or the CSV files of a multi-table export "
            "(choose them all, or their zip). ODK Central: the CSV zip, or its main CSV."
        ),
    )
    version = forms.ChoiceField(label=_("Version of the form it answers"))
    encoding = forms.ChoiceField(
        label=_("Text encoding (CSV only)"),
        required=False,
        choices=[("", _("Detect it")), ("utf-8", "UTF-8"), ("utf-16", "UTF-16"), ("cp1252", "Windows-1252")],
    )

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [(v.pk, v.version or "—") for v in versions]
