from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from doorstep.core.sectors import Sector
from doorstep.members.models import Status

from .models import ChannelKind, KeywordAction


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of gateway"), choices=ChannelKind.choices)
    name = forms.CharField(label=_("Name"), max_length=120)
    send_url = forms.CharField(
        label=_("Sending address"),
        max_length=500,
        help_text=_(
            "Kannel: its sendsms address, e.g. http://127.0.0.1:13013/cgi-bin/sendsms. "
            "Twilio-compatible: the provider's API address."
        ),
    )
    sender = forms.CharField(label=_("Sender number or name"), max_length=30, required=False)
    login = forms.CharField(label=_("User name or account id"), max_length=200, required=False)
    secret = forms.CharField(
        label=_("Password or token"), max_length=500, required=False, widget=forms.PasswordInput
    )
    rate_per_minute = forms.IntegerField(label=_("Messages a minute at most"), initial=30)
    daily_cap = forms.IntegerField(label=_("Messages a day at most"), initial=500)


class TestForm(forms.Form):
    to = forms.CharField(label=_("Send a test message to"), max_length=40)


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title (only you see it)"), max_length=120)
    asks_question = forms.BooleanField(
        label=_("It asks a YES or NO question (e.g. will you come to the meeting?)"), required=False
    )
    groups = forms.ModelMultipleChoiceField(label=_("Groups"), queryset=None, required=False)
    locality = forms.CharField(label=_("Village, town or neighbourhood"), max_length=120, required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Active")), *Status.choices], required=False
    )

    def __init__(self, *args, groups, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = groups
        names = dict(settings.LANGUAGES)
        for code in languages:
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Message in %(language)s") % {"language": names.get(code, code)},
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                help_text=_(
                    "Keep it discreet: a phone is often shared. No union name, case, work giver or amount."
                ),
            )


class KeywordsForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for action, label in KeywordAction.choices:
            self.fields[f"word_{action}"] = forms.CharField(label=label, max_length=30, required=False)
