"""Forms of the network's pages: the directory entry and its filters, affiliation requests and their
answers, bulletins, sections and news, subscribing, resources and their filters, events and
registrations."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from doorstep.core.sectors import Sector
from doorstep.members.models import Gender
from doorstep.organizations.models import Organization

from .models import Event, Listing, Resource, Topic


def _blank(choices):
    return [("", _("Any")), *choices]


class ListingForm(forms.ModelForm):
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"), choices=Sector.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Listing
        fields = [
            "listed",
            "description",
            "area",
            "sectors",
            "declared_members",
            "email",
            "phone",
            "website",
            "postal_address",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "listed": _("Anyone can see a listed organization's entry, without logging in."),
            "email": _("The organization's address, never a member's."),
        }


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or area"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=_blank(Sector.choices))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_blank(Organization.Kind.choices))
    network = forms.ChoiceField(label=_("Network"), required=False)

    def __init__(self, *args, networks=(), country_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _blank(list(country_choices))
        self.fields["network"].choices = _blank([(n.slug, n.name) for n in networks])


class AffiliationRequestForm(forms.Form):
    network = forms.ModelChoiceField(label=_("Network"), queryset=Organization.objects.none())
    message = forms.CharField(
        label=_("Message to the network"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, networks=None, **kwargs):
        super().__init__(*args, **kwargs)
        if networks is not None:
            self.fields["network"].queryset = networks


class DecisionForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BulletinForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class BulletinEditForm(BulletinForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["language"]  # a version's language is fixed; add a translation instead


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the new version"), choices=settings.LANGUAGES)


class SectionForm(forms.Form):
    heading = forms.CharField(label=_("Heading"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Plain text (leave a blank line between paragraphs) or simple HTML; anything unsafe is removed."
        ),
    )


class NewsForm(forms.Form):
    network = forms.ModelChoiceField(label=_("Network"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5}))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, networks=None, **kwargs):
        super().__init__(*args, **kwargs)
        if networks is not None:
            self.fields["network"].queryset = networks


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    # Hidden from people by the stylesheet; robots fill it in.
    website = forms.CharField(required=False, label=_("Leave this empty"))


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Resource.Kind.choices)
    audience = forms.ChoiceField(label=_("Who may see it"), choices=Resource.Audience.choices)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Plain text (leave a blank line between paragraphs) or simple HTML; anything unsafe is removed."
        ),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, office document without macros, picture, sound or text; 25 MB at most."),
    )
    link = forms.URLField(label=_("Or a link"), required=False, max_length=500, assume_scheme="https")
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=200,
        help_text=_("Language codes, separated by commas, e.g. en, hi, ne."),
    )
    countries = forms.CharField(
        label=_("Countries"),
        required=False,
        max_length=500,
        help_text=_("Country names or codes, separated by commas. Leave blank if it is for everywhere."),
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class ResourceFilterForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_blank(Resource.Kind.choices))
    topic = forms.ChoiceField(label=_("Topic"), required=False, choices=_blank(Topic.choices))
    language = forms.ChoiceField(label=_("Language"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, language_choices=(), country_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _blank(list(language_choices))
        self.fields["country"].choices = _blank(list(country_choices))


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = forms.URLField(
        label=_("Online link"), max_length=500, required=False, assume_scheme="https"
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    capacity = forms.IntegerField(
        label=_("Places"), required=False, min_value=1, help_text=_("Blank: no limit.")
    )
    is_public = forms.BooleanField(label=_("Show on the public events page"), required=False)
    registration_open = forms.BooleanField(label=_("Registration open"), required=False, initial=True)
    co_organizers = forms.ModelMultipleChoiceField(
        label=_("Co-organizers"), queryset=Organization.objects.none(), required=False
    )
    invited = forms.ModelMultipleChoiceField(
        label=_("Invited organizations"), queryset=Organization.objects.none(), required=False
    )
    materials = forms.ModelMultipleChoiceField(
        label=_("Materials from the library"), queryset=None, required=False
    )

    def __init__(self, *args, organizations=None, resources=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["co_organizers"].queryset = organizations
            self.fields["invited"].queryset = organizations
        if resources is not None:
            self.fields["materials"].queryset = resources


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("The organizers will see this name, to take attendance.")
    )
    member_number = forms.IntegerField(
        label=_("Member number"),
        required=False,
        min_value=1,
        help_text=_("If she is a member: links to her record."),
    )
    gender = forms.ChoiceField(label=_("Gender"), required=False)
    role = forms.CharField(
        label=_("Role"), max_length=100, required=False, help_text=_("e.g. leader, organizer, member")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gender"].choices = [("", "—"), *Gender.choices]
