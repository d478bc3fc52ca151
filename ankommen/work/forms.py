"""Forms only parse and present; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ankommen.core.widgets import PlainSelect, PlainSelectMultiple
from ankommen.people.choices import language_choices, nationality_choices
from ankommen.people.forms import DateInput, KernFormMixin
from ankommen.people.models import Person
from ankommen.regions.models import Centre, Occupation
from ankommen.schooling.models import CefrLevel
from ankommen.work.models import (
    CandidateProfile,
    ContractKind,
    OfferKind,
    RecognitionStatus,
    ShareableField,
    WorkPermitCategory,
)
from ankommen.work.selectors import occupation_by_label

OCCUPATION_HINT = _("Type a few letters and choose the occupation from the ESCO list (German labels and synonyms).")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class OccupationField(forms.CharField):
    """A text field with suggestions from the ESCO list; its value is the occupation of that label."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", OCCUPATION_HINT)
        super().__init__(max_length=255, **kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"list": "occupation-options", "autocomplete": "off", "data-occupation-search": "true"})
        return attrs

    def prepare_value(self, value: Any) -> Any:
        return value.label if isinstance(value, Occupation) else value

    def clean(self, value: Any) -> Occupation | None:
        text = super().clean(value)
        if not text:
            return None
        occupation = occupation_by_label(text)
        if occupation is None:
            raise forms.ValidationError(_("Unknown occupation. Choose one from the ESCO list."))
        return occupation


def _language_field(label: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, choices=language_choices, widget=PlainSelectMultiple(attrs={"size": 6})
    )


class EmployerProfileForm(KernFormMixin, forms.Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    sector = forms.CharField(label=_("Sector"), max_length=120, required=False)
    description = forms.CharField(
        label=_("About the organisation"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    street = forms.CharField(label=_("Street and number"), max_length=160, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=5)
    place = forms.CharField(label=_("Place"), max_length=120)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail address of the organisation"))


class EmployerSignupForm(EmployerProfileForm):
    centre = forms.ModelChoiceField(
        label=_("Integration centre of your district"),
        queryset=Centre.objects.order_by("name"),
        widget=PlainSelect,
        error_messages={"invalid_choice": _("Choose a centre from the list.")},
    )
    applicant_name = forms.CharField(label=_("Your name"), max_length=150)
    applicant_email = forms.EmailField(label=_("Your e-mail address"))
    accepts_terms = forms.BooleanField(
        label=_("I act for this organisation and agree that the centre checks and stores these details."),
        error_messages={"required": _("Please confirm that you act for the organisation.")},
    )

    field_order = ["centre", *EmployerProfileForm.base_fields, "applicant_name", "applicant_email", "accepts_terms"]


class ContactForm(KernFormMixin, forms.Form):
    name = forms.CharField(label=_("Name of the contact"), max_length=150)
    email = forms.EmailField(label=_("E-mail address of the contact"))


class ReasonForm(KernFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class PauseForm(KernFormMixin, forms.Form):
    """Pausing a profile: the reason is required (the service says so when it is missing)."""

    reason = forms.CharField(
        label=_("Reason for the pause"),
        max_length=255,
        required=False,
        help_text=_("For example: language course until March, illness, moving house."),
    )


class CloseProfileForm(KernFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for closing the profile"),
        max_length=255,
        required=False,
        help_text=_("For example: found work without the centre, moved away, no longer wishes support."),
    )


class ResumeForm(KernFormMixin, forms.Form):
    note = forms.CharField(label=_("Note (optional)"), max_length=255, required=False)


class OfferForm(KernFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of offer"), choices=OfferKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    occupation = OccupationField(label=_("Occupation"))
    description = forms.CharField(
        label=_("Description"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    postcode = forms.CharField(label=_("Postcode of the workplace"), max_length=5)
    place = forms.CharField(label=_("Place"), max_length=120)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    application_deadline = forms.DateField(label=_("Apply by"), required=False, widget=DateInput())
    seats = forms.IntegerField(label=_("Places"))
    hours_per_week = forms.IntegerField(label=_("Hours per week"))
    german_level = forms.ChoiceField(label=_("German level needed (CEFR)"), choices=CefrLevel.choices)
    minimum_age = forms.IntegerField(label=_("Minimum age"), min_value=15, max_value=67, initial=16)
    requirements = forms.CharField(
        label=_("Requirements"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    useful_languages = _language_field(_("Useful languages"))
    driving_licence_needed = forms.BooleanField(label=_("Driving licence needed"), required=False)


class CandidateProfileForm(KernFormMixin, forms.Form):
    wish_1 = OccupationField(label=_("Occupation wish"))
    wish_2 = OccupationField(label=_("Second occupation wish"), required=False)
    wish_3 = OccupationField(label=_("Third occupation wish"), required=False)
    german_level = forms.ChoiceField(label=_("German level (CEFR)"), choices=CefrLevel.choices)
    languages = _language_field(_("Other languages"))
    experience = forms.CharField(
        label=_("Work experience"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    years_of_experience = forms.IntegerField(label=_("Years of work experience"), min_value=0, max_value=60, initial=0)
    driving_licence = forms.BooleanField(label=_("Has a driving licence (class B)"), required=False)
    permit = forms.ModelChoiceField(
        label=_("Work permit"),
        queryset=WorkPermitCategory.objects.all(),
        widget=PlainSelect,
        error_messages={"invalid_choice": _("Choose a category from the list.")},
    )
    postcode = forms.CharField(label=_("Postcode of the home"), max_length=5)
    mobility_radius_km = forms.IntegerField(label=_("Travels up to (km)"), min_value=1, max_value=300, initial=25)
    available_from = forms.DateField(label=_("Available from"), widget=DateInput())

    def occupations(self) -> list[Occupation]:
        return [self.cleaned_data[name] for name in ("wish_1", "wish_2", "wish_3") if self.cleaned_data.get(name)]

    def service_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if not k.startswith("wish_") and k != "person"}

    @staticmethod
    def initial_for(profile: CandidateProfile) -> dict[str, Any]:
        wishes = list(profile.occupation_wishes.all())
        initial = {f"wish_{i + 1}": wish.label for i, wish in enumerate(wishes[:3])}
        for name in (
            "german_level",
            "languages",
            "experience",
            "years_of_experience",
            "driving_licence",
            "postcode",
            "mobility_radius_km",
            "available_from",
        ):
            initial[name] = getattr(profile, name)
        initial["permit"] = str(profile.permit_id)
        return initial


class CandidateCreateForm(CandidateProfileForm):
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        widget=PlainSelect,
        error_messages={
            "invalid_choice": _(
                "Only persons of the centre who have consented to training and work and have no profile yet "
                "can get one."
            )
        },
    )
    field_order = ["person", *CandidateProfileForm.base_fields]

    def __init__(self, *args: Any, persons: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons  # type: ignore[attr-defined]


class QualificationForm(KernFormMixin, forms.Form):
    title = forms.CharField(label=_("Qualification"), max_length=200)
    country = forms.ChoiceField(label=_("Country where acquired"), required=False, widget=PlainSelect)
    recognition = forms.ChoiceField(label=_("Recognition in Germany"), choices=RecognitionStatus.choices)
    year = forms.IntegerField(label=_("Year"), min_value=1950, max_value=2100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "–"), *nationality_choices()]  # type: ignore[attr-defined]


class ProposeForm(forms.Form):
    # Bounded by the bigint primary key: a larger number would reach PostgreSQL as an error, not as "not found".
    profile = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)


class AgreeForm(KernFormMixin, forms.Form):
    shared_fields = forms.MultipleChoiceField(
        label=_("Parts of the profile the candidate agreed to share"),
        choices=ShareableField.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one part of the profile to share.")},
    )


class InterviewForm(KernFormMixin, forms.Form):
    interview_at = forms.DateTimeField(label=_("Interview on"), widget=DateTimeInput())
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class NoteForm(KernFormMixin, forms.Form):
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class ContractForm(KernFormMixin, forms.Form):
    contract_kind = forms.ChoiceField(label=_("Kind of contract"), choices=ContractKind.choices)
    contract_start = forms.DateField(label=_("Contract starts"), widget=DateInput())
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())


class FollowUpForm(KernFormMixin, forms.Form):
    still_employed = forms.TypedChoiceField(
        label=_("Is the person still there six months after the start?"),
        choices=[("yes", _("yes")), ("no", _("no"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("If not: why?"), max_length=255, required=False)


class BoardFilterForm(forms.Form):
    words = forms.CharField(label=_("Occupation, title or place"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Kind of offer"), required=False, choices=[("", _("all")), *OfferKind.choices])
    centre = forms.ModelChoiceField(
        label=_("District"), required=False, queryset=Centre.objects.order_by("name"), widget=PlainSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].empty_label = _("all of NRW")  # type: ignore[attr-defined]
        for field in self.fields.values():
            css = "kern-form-input__select" if isinstance(field.widget, forms.Select) else "kern-form-input__input"
            field.widget.attrs.setdefault("class", css)
