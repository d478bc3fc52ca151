"""Forms only parse and present; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ankommen.core.widgets import PlainSelect
from ankommen.courses.models import Audience, Course, Topic
from ankommen.people.forms import DateInput, KernFormMixin
from ankommen.regions.models import Centre, School

RATING_CHOICES = [
    (5, _("5 – very good")),
    (4, _("4 – good")),
    (3, _("3 – fair")),
    (2, _("2 – poor")),
    (1, _("1 – very poor")),
]


class ServiceErrorsMixin(KernFormMixin):
    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's validation errors on the fields they name, the rest above the form."""
        items = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
        for name, messages in items:
            self.add_error(name if name in self.fields else None, messages)  # type: ignore[attr-defined]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class CatalogueFilterForm(ServiceErrorsMixin, forms.Form):
    centre = forms.ModelChoiceField(
        label=_("Centre"), queryset=Centre.objects.order_by("name"), required=False, widget=PlainSelect
    )
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.all(), required=False, widget=PlainSelect)
    audience = forms.ModelChoiceField(
        label=_("For"), queryset=Audience.objects.all(), required=False, widget=PlainSelect
    )
    date_from = forms.DateField(label=pgettext_lazy("date", "From"), required=False, widget=DateInput())
    date_until = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("centre", "topic", "audience"):
            self.fields[name].empty_label = _("all")  # type: ignore[attr-defined]


class RegistrationForm(ServiceErrorsMixin, forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=120)
    family_name = forms.CharField(label=_("Family name"), max_length=120)
    email = forms.EmailField(label=_("E-mail address"), help_text=_("The confirmation and your personal link go here."))
    audience = forms.ModelChoiceField(label=_("You are"), queryset=Audience.objects.none(), widget=PlainSelect)
    school_number = forms.CharField(
        label=_("School number"),
        max_length=6,
        required=False,
        help_text=_("The six-digit number of your school in NRW (Schulnummer)."),
    )
    organisation = forms.CharField(
        label=_("Or: where you work"),
        max_length=200,
        required=False,
        help_text=_("If you do not work at a school: your organisation or office."),
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["audience"].queryset = course.audiences.all()  # type: ignore[attr-defined]
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["given_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["family_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    @property
    def is_honeypot_filled(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def clean_school_number(self) -> School | None:
        number = self.cleaned_data["school_number"].strip()
        if not number:
            return None
        school = School.objects.filter(number=number).first()
        if school is None:
            raise ValidationError(_("There is no school with this number in NRW."))
        return school


class CourseForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.all(), widget=PlainSelect)
    audiences = forms.ModelMultipleChoiceField(
        label=_("Audiences"), queryset=Audience.objects.filter(is_active=True), widget=forms.CheckboxSelectMultiple
    )
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=500)
    credit_hours = forms.DecimalField(label=_("Credit hours"), min_value=0, max_value=200, decimal_places=1)
    is_statewide = forms.BooleanField(label=_("Open to the whole state"), required=False)
    is_published = forms.BooleanField(label=_("Published in the catalogue"), required=False, initial=True)
    contact_email = forms.EmailField(label=_("Contact e-mail for questions"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(is_active=True)  # type: ignore[attr-defined]


class SessionForm(ServiceErrorsMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    starts_at = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    ends_at = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    is_online = forms.BooleanField(label=_("Online"), required=False)
    online_url = forms.URLField(label=_("Link to the online room"), required=False, assume_scheme="https")


class SessionRemoveForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason (goes into the mail to the participants)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FeedbackForm(ServiceErrorsMixin, forms.Form):
    overall = forms.TypedChoiceField(
        label=_("How do you rate the course overall?"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    usefulness = forms.TypedChoiceField(
        label=_("How useful is it for your work?"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    organisation_rating = forms.TypedChoiceField(
        label=_("How was the course organised?"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("What should we keep or change?"),
        required=False,
        max_length=2000,
        help_text=_("Please do not write names: the feedback is anonymous."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
