"""Forms only parse and present; the services validate and write."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ankommen.core.widgets import PlainSelect, PlainSelectMultiple
from ankommen.people.choices import language_choices, nationality_choices
from ankommen.people.models import Consent, Family, Gender, GuardianKind, LegalBasis, Person, Purpose, ResidenceStatus
from ankommen.people.selectors import AgeGroup, PersonFilters

PERSON_FORM_FIELDS = [
    "given_names",
    "family_name",
    "given_names_latin",
    "family_name_latin",
    "birth_date",
    "gender",
    "nationalities",
    "languages",
    "arrived_in_germany",
    "arrived_in_district",
    "residence_status",
    "street",
    "postcode",
    "place",
    "phone",
    "email",
    "family",
]
FAMILY_FORM_FIELDS = ["street", "postcode", "place", "phone", "email"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class KernFormMixin:
    """Adds KERN classes and links each error message to its field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "kern-form-check__checkbox")
            elif isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
                widget.attrs.setdefault("class", "kern-form-input__select")
            elif not isinstance(widget, forms.RadioSelect):
                widget.attrs.setdefault("class", "kern-form-input__input")

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        names = error.error_dict.keys() if hasattr(error, "error_dict") else [field]
        for name in names:
            if name in self.fields:  # type: ignore[attr-defined]
                widget = self.fields[name].widget  # type: ignore[attr-defined]
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"id_{name}-error"
                css = widget.attrs.get("class", "")
                for base in ("kern-form-input__input", "kern-form-input__select"):
                    if css.split()[:1] == [base] and f"{base}--error" not in css:
                        widget.attrs["class"] = f"{css} {base}--error"

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's validation errors on the fields they name, the rest above the form."""
        for name, messages in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]:
            self.add_error(name if name in self.fields else None, messages)  # type: ignore[attr-defined]


class PersonForm(KernFormMixin, forms.Form):
    given_names = forms.CharField(label=_("Given names"), max_length=200)
    family_name = forms.CharField(label=_("Family name"), max_length=200)
    given_names_latin = forms.CharField(
        label=_("Given names in Latin letters"),
        max_length=200,
        required=False,
        help_text=_("As in the passport, if the names are written in another script."),
    )
    family_name_latin = forms.CharField(label=_("Family name in Latin letters"), max_length=200, required=False)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNSPECIFIED)
    nationalities = forms.MultipleChoiceField(label=_("Nationalities"), required=False, widget=PlainSelectMultiple)
    languages = forms.MultipleChoiceField(label=_("Languages"), required=False, widget=PlainSelectMultiple)
    arrived_in_germany = forms.DateField(label=_("Arrival in Germany"), required=False, widget=DateInput())
    arrived_in_district = forms.DateField(label=_("Arrival in the district"), required=False, widget=DateInput())
    residence_status = forms.ChoiceField(
        label=_("Residence status"), choices=ResidenceStatus.choices, initial=ResidenceStatus.UNKNOWN
    )
    street = forms.CharField(label=_("Street and number"), max_length=160, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=5, required=False)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    family = forms.ModelChoiceField(label=_("Family"), queryset=Family.objects.none(), required=False)

    def __init__(self, *args: Any, centre: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nationalities"].choices = nationality_choices()  # type: ignore[attr-defined]
        self.fields["languages"].choices = language_choices()  # type: ignore[attr-defined]
        self.fields["family"].queryset = Family.objects.for_centre(centre).order_by("-reference")  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(person: Person) -> dict[str, Any]:
        return {name: getattr(person, name) for name in PERSON_FORM_FIELDS}


class FamilyForm(KernFormMixin, forms.Form):
    street = forms.CharField(label=_("Street and number"), max_length=160, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=5, required=False)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)


class ConsentForm(KernFormMixin, forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)
    given_on = forms.DateField(label=_("Given or established on"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class ConsentWithdrawForm(KernFormMixin, forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: Any, consent: Consent, **kwargs: Any) -> None:
        self.consent = consent
        super().__init__(*args, **kwargs)

    def clean_withdrawn_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["withdrawn_on"]
        if value > timezone.localdate():
            raise ValidationError(_("This date lies in the future."))
        return value


class GuardianForm(KernFormMixin, forms.Form):
    guardian = forms.ChoiceField(label=_("Guardian"), widget=forms.RadioSelect)
    kind = forms.ChoiceField(label=_("Relation"), choices=GuardianKind.choices)
    has_custody = forms.BooleanField(label=_("Has custody"), required=False, initial=True)

    def __init__(self, *args: Any, candidates: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {str(person.pk): person for person in candidates}
        self.fields["guardian"].choices = [  # type: ignore[attr-defined]
            (str(person.pk), f"{person.family_name}, {person.given_names}") for person in candidates
        ]
        self.fields["guardian"].widget.attrs["class"] = "kern-form-check__radio"

    def clean_guardian(self) -> Person:
        return self.candidates[self.cleaned_data["guardian"]]


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False, widget=PlainSelect)
    language = forms.ChoiceField(label=_("Language"), required=False, widget=PlainSelect)
    residence_status = forms.ChoiceField(
        label=_("Residence status"), required=False, choices=[("", _("all")), *ResidenceStatus.choices]
    )
    gender = forms.ChoiceField(label=_("Gender"), required=False, choices=[("", _("all")), *Gender.choices])
    age_group = forms.ChoiceField(
        label=_("Age group"),
        required=False,
        choices=[("", _("all")), (AgeGroup.CHILD, _("children (under 18)")), (AgeGroup.ADULT, _("adults"))],
    )
    arrival_year = forms.IntegerField(label=_("Year of arrival"), required=False, min_value=1950, max_value=2100)
    family = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = [("", _("all")), *nationality_choices()]  # type: ignore[attr-defined]
        self.fields["language"].choices = [("", _("all")), *language_choices()]  # type: ignore[attr-defined]
        for field in self.fields.values():
            css = "kern-form-input__select" if isinstance(field.widget, forms.Select) else "kern-form-input__input"
            field.widget.attrs.setdefault("class", css)

    def query_and_filters(self) -> tuple[str, PersonFilters]:
        data = self.cleaned_data if self.is_valid() else {}
        filters = PersonFilters(
            nationality=data.get("nationality") or "",
            language=data.get("language") or "",
            residence_status=data.get("residence_status") or "",
            gender=data.get("gender") or "",
            age_group=data.get("age_group") or "",
            arrival_year=data.get("arrival_year"),
            family_id=data.get("family"),
        )
        return data.get("q") or "", filters
