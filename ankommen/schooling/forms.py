"""Forms only parse and present; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ankommen.core.widgets import PlainSelect, PlainSelectMultiple
from ankommen.people.choices import language_choices, nationality_choices
from ankommen.people.forms import DateInput, KernFormMixin
from ankommen.people.models import Gender, GuardianKind, LegalBasis
from ankommen.regions.models import Municipality
from ankommen.schooling.models import DocumentKind, IntakeStatus, SeatKind
from ankommen.schooling.selectors import GRADES, IntakeFilters, centre_municipalities, term_choices

GRADE_CHOICES = [(grade, str(grade)) for grade in GRADES]
# The form's "create a new person" answer in the duplicate step; any other answer is a person's id.
NEW_PERSON = "new"


class SeatOfferForm(KernFormMixin, forms.Form):
    term = forms.ChoiceField(
        label=_("Term"), error_messages={"invalid_choice": _("Choose the current term or one of the next ones.")}
    )
    grade = forms.TypedChoiceField(
        label=_("Grade"),
        choices=GRADE_CHOICES,
        coerce=int,
        error_messages={"invalid_choice": _("Grades run from 1 to 13.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of seats"),
        choices=SeatKind.choices,
        error_messages={"invalid_choice": _("Unknown kind of seats.")},
    )
    seats = forms.IntegerField(
        label=_("Seats for newcomers"),
        min_value=0,
        max_value=500,
        error_messages={"min_value": _("The number of seats cannot be negative.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = term_choices()  # type: ignore[attr-defined]


class SeatCountForm(KernFormMixin, forms.Form):
    seats = forms.IntegerField(
        label=_("Seats for newcomers"),
        min_value=0,
        max_value=500,
        error_messages={"min_value": _("The number of seats cannot be negative.")},
    )


class TermForm(forms.Form):
    term = forms.ChoiceField(label=_("Term"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = term_choices()  # type: ignore[attr-defined]
        self.fields["term"].widget.attrs["class"] = "kern-form-input__select"

    def chosen_term(self) -> str:
        choices = [value for value, _label in term_choices()]
        return (self.cleaned_data.get("term") if self.is_valid() else "") or choices[0]


class IntakeFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    grade = forms.TypedChoiceField(label=_("Grade"), required=False, coerce=int, empty_value=None)
    area = forms.ModelChoiceField(
        label=_("Area"), required=False, queryset=Municipality.objects.none(), empty_label=_("all")
    )
    over_limit = forms.BooleanField(label=_("Only children waiting too long"), required=False)

    def __init__(self, *args: Any, centre: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("all")), *IntakeStatus.choices]  # type: ignore[attr-defined]
        self.fields["grade"].choices = [("", _("all")), *GRADE_CHOICES]  # type: ignore[attr-defined]
        self.fields["area"].queryset = centre_municipalities(centre=centre)  # type: ignore[attr-defined]
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "kern-form-check__checkbox"
            else:
                field.widget.attrs["class"] = "kern-form-input__select"

    def filters(self) -> IntakeFilters:
        data = self.cleaned_data if self.is_valid() else {}
        area = data.get("area")
        return IntakeFilters(
            status=data.get("status") or "",
            grade=data.get("grade"),
            municipality_id=area.pk if area else None,
            over_limit_only=bool(data.get("over_limit")),
        )


YES_NO_UNKNOWN = [("", _("unknown")), ("yes", _("yes")), ("no", _("no"))]
PERSON_KEYS = ("given_names", "family_name", "given_names_latin", "family_name_latin")


class IntakeForm(KernFormMixin, forms.Form):
    """A child, up to two guardians, the address and the prior schooling: one registration for school."""

    child_given_names = forms.CharField(label=_("Given names"), max_length=200)
    child_family_name = forms.CharField(label=_("Family name"), max_length=200)
    child_given_names_latin = forms.CharField(label=_("Given names in Latin letters"), max_length=200, required=False)
    child_family_name_latin = forms.CharField(label=_("Family name in Latin letters"), max_length=200, required=False)
    child_birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput())
    child_gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNSPECIFIED)
    child_nationalities = forms.MultipleChoiceField(
        label=_("Nationalities"), required=False, widget=PlainSelectMultiple
    )
    child_languages = forms.MultipleChoiceField(label=_("Languages"), required=False, widget=PlainSelectMultiple)
    child_arrived_in_germany = forms.DateField(label=_("Arrival in Germany"), required=False, widget=DateInput())

    street = forms.CharField(label=_("Street and number"), max_length=160, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=5)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)

    guardian1_given_names = forms.CharField(label=_("Given names"), max_length=200)
    guardian1_family_name = forms.CharField(label=_("Family name"), max_length=200)
    guardian1_kind = forms.ChoiceField(label=_("Relation"), choices=GuardianKind.choices)
    guardian1_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    guardian1_email = forms.EmailField(label=_("E-mail address"), required=False)
    guardian2_given_names = forms.CharField(label=_("Given names"), max_length=200, required=False)
    guardian2_family_name = forms.CharField(label=_("Family name"), max_length=200, required=False)
    guardian2_kind = forms.ChoiceField(label=_("Relation"), choices=GuardianKind.choices, required=False)
    guardian2_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    guardian2_email = forms.EmailField(label=_("E-mail address"), required=False)

    years_of_schooling = forms.IntegerField(label=_("Years of schooling"), min_value=0, max_value=15, required=False)
    last_grade = forms.TypedChoiceField(
        label=_("Last grade attended"),
        choices=[("", "–"), *GRADE_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    schooling_country = forms.ChoiceField(label=_("Country of prior schooling"), required=False, widget=PlainSelect)
    literate_in_latin_script = forms.ChoiceField(
        label=_("Reads and writes Latin script"), choices=YES_NO_UNKNOWN, required=False
    )
    documents_seen = forms.MultipleChoiceField(
        label=_("Documents seen"), choices=DocumentKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    registered_on = forms.DateField(label=_("Registered on"), widget=DateInput(), initial=timezone.localdate)
    legal_basis = forms.ChoiceField(
        label=_("Legal basis for school placement"), choices=LegalBasis.choices, initial=LegalBasis.PUBLIC_TASK
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child_nationalities"].choices = nationality_choices()  # type: ignore[attr-defined]
        self.fields["child_languages"].choices = language_choices()  # type: ignore[attr-defined]
        self.fields["schooling_country"].choices = [("", "–"), *nationality_choices()]  # type: ignore[attr-defined]
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = "kern-form-check__checkbox"

    def clean_registered_on(self) -> Any:
        value = self.cleaned_data["registered_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("This date lies in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        second = [data.get("guardian2_given_names"), data.get("guardian2_family_name")]
        if any(second) and not all(second):
            self.add_error("guardian2_family_name", _("Enter both names of the second guardian, or neither."))
        if any(second) and not data.get("guardian2_kind"):
            self.add_error("guardian2_kind", _("Choose the relation of the second guardian."))
        return data

    def person_fields(self, prefix: str) -> dict[str, Any]:
        """The cleaned fields of `child` or a guardian under the names the people services take."""
        data = self.cleaned_data
        return {
            name.removeprefix(f"{prefix}_"): value
            for name, value in data.items()
            if name.startswith(f"{prefix}_") and name != f"{prefix}_kind"
        }

    def has_second_guardian(self) -> bool:
        return bool(self.cleaned_data.get("guardian2_given_names"))

    def address(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in ("street", "postcode", "place")}

    def intake_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        literate = {"yes": True, "no": False}.get(data.get("literate_in_latin_script") or "")
        return {
            "years_of_schooling": data.get("years_of_schooling"),
            "last_grade": data.get("last_grade"),
            "schooling_country": data.get("schooling_country") or "",
            "literate_in_latin_script": literate,
            "documents_seen": list(data.get("documents_seen") or []),
        }
