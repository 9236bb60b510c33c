"""Forms of the organization pages: logging in, her profile, tokens, people and their roles,
affiliates, data-sharing agreements and the disclosure threshold."""

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from doorstep.core import throttle
from doorstep.core.errors import Throttled, ValidationError
from doorstep.core.roles import Role

from . import services
from .models import Organization, SharedData, SharingPurpose


class LoginForm(AuthenticationForm):
    """Django's login form, authenticating through ``services.log_in`` (throttled and audited)."""

    throttled = False

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        try:
            self.user_cache = services.log_in(
                username=username,
                password=password,
                address=throttle.client_address(self.request) if self.request else None,
                request=self.request,
            )
        except Throttled as refused:
            self.throttled = True
            raise forms.ValidationError(refused.message, code="throttled") from None
        except ValidationError as failed:
            raise forms.ValidationError(failed.message, code="invalid_login") from None
        return self.cleaned_data


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, with the old password checked by ``services.check_own_password`` (throttled,
    and a wrong one recorded like a failed login)."""

    throttled = False

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        try:
            services.check_own_password(
                self.user,
                password=old_password,
                address=throttle.client_address(self.request) if self.request else None,
            )
        except Throttled as refused:
            self.throttled = True
            raise forms.ValidationError(refused.message, code="throttled") from None
        except ValidationError:
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            ) from None
        return old_password


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Name shown to others"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("As the browser asks")), *settings.LANGUAGES],
        required=False,
    )


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example: the laptop script."))
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_("Leave empty for the default lifetime (%(days)d days).")
        % {"days": settings.API_TOKEN_DEFAULT_DAYS},
    )


class AddPersonForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    display_name = forms.CharField(label=_("Name shown to others"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class PersonForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AffiliateForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    since = forms.DateField(
        label=_("Affiliated since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = candidates


class _DateInput(forms.DateInput):
    input_type = "date"


class AgreementForm(forms.Form):
    recipient = forms.ChoiceField(label=_("Share with"))
    purpose = forms.ChoiceField(label=_("For what purpose"), choices=SharingPurpose.choices)
    data_kinds = forms.MultipleChoiceField(
        label=_("What may be shared (as suppressed aggregates only)"),
        choices=SharedData.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_on = forms.DateField(label=_("From"), required=False, widget=_DateInput())
    ends_on = forms.DateField(label=_("Until"), required=False, widget=_DateInput())

    def __init__(self, *args, recipients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = [(o.pk, f"{o.name} ({o.get_kind_display()})") for o in recipients]


class DisclosureForm(forms.Form):
    disclosure_k = forms.IntegerField(
        label=_("Smallest group shown outside (k)"),
        min_value=5,
        max_value=1000,
        help_text=_("A figure shared outside is hidden when fewer than this many workers make it."),
    )
