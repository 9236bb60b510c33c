"""Forms of the grievance pages: a case, its status, actions, remedies and attachments, the case
filters; the public intake form, the receipt check and the acceptance of a report; sharing a case
with a company, and the company's reply and commitment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ActionKind, CaseKind, CaseStatus, Category, Priority, RemedyKind


class _DateInput(forms.DateInput):
    input_type = "date"


class CaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("About"), choices=CaseKind.choices, initial=CaseKind.INDIVIDUAL)
    category = forms.ChoiceField(label=_("The problem"), choices=Category.choices)
    member_numbers = forms.CharField(
        label=_("Member numbers"),
        required=False,
        help_text=_("As on her card, e.g. 12 or, for a collective case, 12, 15, 31."),
    )
    group_description = forms.CharField(
        label=_("Or the group or place it stands for"),
        required=False,
        max_length=200,
        help_text=_("For a collective case, e.g. all embroiderers of the Seelampur group."),
    )
    parties = forms.MultipleChoiceField(
        label=_("Against"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    orders = forms.CharField(
        label=_("Work order numbers"),
        required=False,
        help_text=_("The orders the money is owed for, e.g. 1042, 1043 (from the orders list)."),
    )
    summary = forms.CharField(label=_("In one line"), max_length=300, required=False)
    narrative = forms.CharField(
        label=_("What happened"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Encrypted; every reading is recorded."),
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    taken_by = forms.ChoiceField(label=_("Taken up by"), required=False, choices=[])
    opened_on = forms.DateField(label=_("Opened on"), required=False, widget=_DateInput)

    def __init__(self, *args, parties, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].choices = [(p.pk, p.name) for p in parties]
        self.fields["taken_by"].choices = [("", "—")] + [
            (user.pk, user.display_name or user.username) for user in staff
        ]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CaseStatus.choices)


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("What was done"), choices=ActionKind.choices)
    happened_on = forms.DateField(label=_("On"), required=False, widget=_DateInput)
    detail = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.CharField(
        label=_("What came of it"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    deadline = forms.DateField(label=_("Next deadline"), required=False, widget=_DateInput)
    deadline_note = forms.CharField(label=_("What is due then"), required=False, max_length=300)


class RemedyForm(forms.Form):
    kind = forms.ChoiceField(label=_("What was won"), choices=RemedyKind.choices)
    amount = forms.CharField(label=_("Amount"), required=False)
    currency = forms.CharField(label=_("Currency"), required=False, max_length=3)
    orders = forms.MultipleChoiceField(
        label=_("Orders it settles"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    received_on = forms.DateField(label=_("Received on"), required=False, widget=_DateInput)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, orders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orders"].choices = [
            (o.pk, f"#{o.pk} {o.product} ({o.party.name}, {o.given_on:%Y-%m-%d})") for o in orders
        ]


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Evidence"),
        help_text=_("A photo, a PDF, a voice note or text; up to 10 MB. Encrypted."),
    )


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *CaseStatus.choices]
    )
    category = forms.ChoiceField(
        label=_("The problem"), required=False, choices=[("", _("Any")), *Category.choices]
    )
    open = forms.BooleanField(label=_("Still open"), required=False)


class IntakeForm(forms.Form):
    """The public form: what happened, in her words; everything else optional."""

    description = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Who gave the work, what was promised, what went wrong, since when."),
    )
    category = forms.ChoiceField(
        label=_("What is it about?"),
        required=False,
        choices=[("", _("I am not sure")), *Category.choices],
        widget=forms.RadioSelect,
    )
    work_giver = forms.CharField(
        label=_("Who gives the work? (if you want to say)"), required=False, max_length=200
    )
    name = forms.CharField(label=_("Your name (if you want to give it)"), required=False, max_length=200)
    phone = forms.CharField(
        label=_("A phone number to reach you (if you want)"), required=False, max_length=40
    )
    member_number = forms.CharField(
        label=_("Your member number, if you have one"), required=False, max_length=20
    )
    for_someone = forms.BooleanField(label=_("I am filling this in for someone else"), required=False)
    # Never shown to people (hidden by the stylesheet, not by script): robots fill it in, people do not.
    website = forms.CharField(label=_("Leave this empty"), required=False)


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("Your receipt code"), max_length=20, help_text=_("For example K7MQ-2PD9-XW4R.")
    )


class AcceptForm(forms.Form):
    kind = forms.ChoiceField(label=_("About"), choices=CaseKind.choices, initial=CaseKind.INDIVIDUAL)
    category = forms.ChoiceField(label=_("The problem"), choices=Category.choices)
    member_numbers = forms.CharField(label=_("Member numbers"), required=False)
    group_description = forms.CharField(
        label=_("Or the group or place it stands for"), required=False, max_length=200
    )
    summary = forms.CharField(label=_("In one line"), max_length=300, required=False)


class ShareForm(forms.Form):
    company = forms.TypedChoiceField(label=_("Company"), coerce=int, choices=[])
    message = forms.CharField(
        label=_("What the company should know"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The company sees this, the category, the work givers, the amounts and the steps taken. "
            "Do not name the worker here."
        ),
    )
    override_reason = forms.CharField(
        label=_("Share it even though it could point at her (administrators only): why"),
        required=False,
        max_length=1000,
        help_text=_(
            "Only when the check says too few of the work giver's workers match what the company "
            "would see. Her name is shown only if she agreed, for this company, on her profile's consent."
        ),
    )

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].choices = [(c.pk, c.name) for c in companies]


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 3}))


class CaseCommitmentForm(forms.Form):
    action = forms.CharField(label=_("What you will do"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label=_("Who answers for it"), max_length=200)
    deadline = forms.DateField(label=_("By when"), widget=_DateInput)
