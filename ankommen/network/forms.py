"""Forms only parse and present; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ankommen.core.widgets import PlainSelect, PlainSelectMultiple
from ankommen.courses.forms import ServiceErrorsMixin
from ankommen.network.models import (
    Contact,
    CooperationKind,
    CooperationTopic,
    Organisation,
    OrganisationKind,
    ReferralOutcome,
    Service,
    ServiceCategory,
    WelfareAssociation,
)
from ankommen.people.choices import language_choices
from ankommen.people.forms import DateInput
from ankommen.regions.models import Municipality


def _with_empty(choices: Any, label: Any) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class FinderForm(ServiceErrorsMixin, forms.Form):
    category = forms.ChoiceField(label=_("What are you looking for?"), required=False, widget=PlainSelect)
    language = forms.ChoiceField(label=_("In which language?"), required=False, widget=PlainSelect)
    postcode = forms.RegexField(
        label=_("Near which postcode?"),
        regex=r"^\d{5}$",
        required=False,
        max_length=5,
        error_messages={"invalid": _("A postcode has five digits.")},
        help_text=_("Five digits, for example 50667. The nearest offers come first."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _with_empty(ServiceCategory.choices, _("any help"))  # type: ignore[attr-defined]
        self.fields["language"].choices = _with_empty(language_choices(), _("any language"))  # type: ignore[attr-defined]
        self.fields["postcode"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "postal-code"})


class OrganisationForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices, widget=PlainSelect)
    welfare_association = forms.ChoiceField(
        label=_("Welfare association"),
        required=False,
        choices=_with_empty(WelfareAssociation.choices, "–"),
        widget=PlainSelect,
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    street = forms.CharField(label=_("Street and number"), max_length=160, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=5)
    place = forms.CharField(label=_("Place"), max_length=120)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    opening_hours = forms.CharField(
        label=_("Opening hours"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    languages = forms.MultipleChoiceField(label=_("Languages spoken"), required=False, widget=PlainSelectMultiple)
    area_served = forms.ModelMultipleChoiceField(
        label=_("Area served"), queryset=Municipality.objects.none(), required=False, widget=PlainSelectMultiple
    )
    is_listed = forms.BooleanField(label=_("Listed in the public service finder"), required=False, initial=True)

    def __init__(self, *args: Any, centre: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = language_choices()  # type: ignore[attr-defined]
        self.fields["area_served"].queryset = Municipality.objects.filter(centre=centre).order_by("name")  # type: ignore[attr-defined]


class ServiceForm(ServiceErrorsMixin, forms.Form):
    category = forms.ChoiceField(label=_("What"), choices=ServiceCategory.choices, widget=PlainSelect)
    name = forms.CharField(label=_("Name of the service"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        required=False,
        widget=PlainSelectMultiple,
        help_text=_("Leave empty if they are the organisation's languages."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = language_choices()  # type: ignore[attr-defined]


class ContactForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    function = forms.CharField(label=_("Function"), max_length=160, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)


class CooperationForm(ServiceErrorsMixin, forms.Form):
    # The empty querysets are placeholders: __init__ puts the centre's organisations in.
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), widget=PlainSelect
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=PlainSelect,
        help_text=_("Empty: the agreement is with the centre itself."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CooperationKind.choices, widget=PlainSelect)
    since = forms.DateField(label=_("Since"), widget=DateInput())
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=CooperationTopic.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["partner"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["partner"].empty_label = _("the centre")  # type: ignore[attr-defined]


class MeetingForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    participants = forms.ModelMultipleChoiceField(
        label=_("Participating organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = organisations  # type: ignore[attr-defined]


class DecisionForm(ServiceErrorsMixin, forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))
    task = forms.CharField(label=_("Follow-up task"), max_length=300, required=False)
    responsible = forms.ModelChoiceField(
        label=_("Responsible organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=PlainSelect,
        help_text=_("Empty: the centre itself."),
    )
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = organisations  # type: ignore[attr-defined]


class ReferralForm(ServiceErrorsMixin, forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none(), widget=PlainSelect)
    referred_on = forms.DateField(label=_("Referred on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["service"].label_from_instance = lambda s: f"{s.organisation.name}: {s.name}"  # type: ignore[attr-defined]


class OutcomeForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReferralOutcome.choices, widget=PlainSelect)
    outcome_on = forms.DateField(label=_("Recorded on"), widget=DateInput())


class PartnerInviteForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(label=_("Name"), max_length=150, required=False)


class PartnerEntryForm(ServiceErrorsMixin, forms.Form):
    """What a partner organisation may change of its own public entry."""

    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    street = forms.CharField(label=_("Street and number"), max_length=160, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    opening_hours = forms.CharField(
        label=_("Opening hours"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    languages = forms.MultipleChoiceField(label=_("Languages spoken"), required=False, widget=PlainSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = language_choices()  # type: ignore[attr-defined]


class MeetingPersonForm(ServiceErrorsMixin, forms.Form):
    """A named participant: a contact person of the directory, or a name with an organisation."""

    contact = forms.ModelChoiceField(
        label=_("Contact person from the directory"),
        queryset=Contact.objects.none(),
        required=False,
        widget=PlainSelect,
    )
    name = forms.CharField(
        label=_("Or: name"), max_length=160, required=False, help_text=_("For someone not in the directory.")
    )
    organisation = forms.ModelChoiceField(
        label=_("Their organisation from the directory"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=PlainSelect,
    )
    organisation_name = forms.CharField(
        label=_("Or: their organisation"),
        max_length=200,
        required=False,
        help_text=_("If the organisation is not in the directory."),
    )

    def __init__(self, *args: Any, contacts: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts  # type: ignore[attr-defined]
        self.fields["contact"].label_from_instance = lambda c: f"{c.name} ({c.organisation.name})"  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class MeetingMinutesForm(ServiceErrorsMixin, forms.Form):
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 10}))
