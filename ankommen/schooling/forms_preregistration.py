"""The public pre-registration form of families, and the staff's accept and reject forms.

Every message a family can see is a translated string of this app: the family page speaks German, English,
Arabic, Ukrainian, Russian, Turkish and Farsi.
"""

from __future__ import annotations

import datetime
import re
import time
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ankommen.core.widgets import PlainSelect
from ankommen.people.choices import language_choices, nationality_choices
from ankommen.regions.models import Centre
from ankommen.schooling.preregistration import centre_for_postcode

MAX_GUARDIANS = 2
MAX_CHILDREN = 5
# A person needs longer than this to fill the form; a faster answer is a script.
MIN_FILL_SECONDS = 5
# After this the page has to be loaded again (a signed start time older than a day is refused).
MAX_FILL_SECONDS = 24 * 60 * 60
STARTED_SALT = "ankommen.schooling.preregistration.started"
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()/\-]{6,30}$")
OLDEST_BIRTH_YEAR = 1990

RELATION_CHOICES = [
    ("", _("Please choose")),
    ("mother", _("mother")),
    ("father", _("father")),
    ("legal_guardian", _("legal guardian")),
    ("other", _("other relative or carer")),
]
GENDER_CHOICES = [
    ("", _("Please choose")),
    ("female", _("girl")),
    ("male", _("boy")),
    ("diverse", _("diverse")),
    ("unspecified", _("I do not want to say")),
]
LITERACY_CHOICES = [
    ("", _("I do not know")),
    ("yes", _("yes")),
    ("no", _("no")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def started_token(now: float | None = None) -> str:
    """A signed start time for the form, to recognise answers sent faster than a person can type."""
    return signing.dumps(now if now is not None else time.time(), salt=STARTED_SALT)


class FamilyFormMixin:
    """KERN classes on every widget, and each field's error linked to it (also inside formsets, with prefixes)."""

    # Names, in any script, follow the writing direction of their own letters.
    auto_direction_fields: tuple[str, ...] = ()
    # Phone numbers, e-mail addresses and postcodes read left to right also on a right-to-left page.
    left_to_right_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "kern-form-check__checkbox")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "kern-form-input__select")
            else:
                widget.attrs.setdefault("class", "kern-form-input__input")
            if name in self.auto_direction_fields:
                widget.attrs["dir"] = "auto"
            if name in self.left_to_right_fields:
                widget.attrs["dir"] = "ltr"

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name not in self.fields:  # type: ignore[attr-defined]
                continue
            bound = self[name]  # type: ignore[index]
            attrs = self.fields[name].widget.attrs  # type: ignore[attr-defined]
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{bound.auto_id}-error"
            css = attrs.get("class", "")
            for base in ("kern-form-input__input", "kern-form-input__select"):
                if css.split()[:1] == [base] and f"{base}--error" not in css:
                    attrs["class"] = f"{css} {base}--error"


class GuardianForm(FamilyFormMixin, forms.Form):
    auto_direction_fields = ("given_names", "family_name")
    left_to_right_fields = ("given_names_latin", "family_name_latin", "phone", "email")

    given_names = forms.CharField(label=_("First names"), max_length=200)
    family_name = forms.CharField(label=_("Family name"), max_length=200)
    given_names_latin = forms.CharField(
        label=_("First names in Latin letters"),
        max_length=200,
        required=False,
        help_text=_("Only if your names are written in other letters. As in the passport."),
    )
    family_name_latin = forms.CharField(label=_("Family name in Latin letters"), max_length=200, required=False)
    relation = forms.ChoiceField(label=_("Relation to the children"), choices=RELATION_CHOICES)
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"].strip()
        if phone and not PHONE_PATTERN.fullmatch(phone):
            raise ValidationError(_("Please enter a phone number with digits only, for example +49 241 1234567."))
        return phone


class ChildForm(FamilyFormMixin, forms.Form):
    auto_direction_fields = ("given_names", "family_name")
    left_to_right_fields = ("given_names_latin", "family_name_latin")

    given_names = forms.CharField(label=_("First names"), max_length=200)
    family_name = forms.CharField(label=_("Family name"), max_length=200)
    given_names_latin = forms.CharField(
        label=_("First names in Latin letters"),
        max_length=200,
        required=False,
        help_text=_("Only if the names are written in other letters. As in the passport."),
    )
    family_name_latin = forms.CharField(label=_("Family name in Latin letters"), max_length=200, required=False)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput())
    gender = forms.ChoiceField(label=_("Gender"), choices=GENDER_CHOICES)
    first_language = forms.ChoiceField(label=_("First language"), widget=PlainSelect)
    other_language = forms.ChoiceField(label=_("Other language"), required=False, widget=PlainSelect)
    years_of_schooling = forms.IntegerField(
        label=_("Years at school so far"), required=False, min_value=0, max_value=15
    )
    last_grade = forms.IntegerField(label=_("Last class or grade"), required=False, min_value=1, max_value=13)
    schooling_country = forms.ChoiceField(label=_("Country of the last school"), required=False, widget=PlainSelect)
    literate_in_latin_script = forms.ChoiceField(
        label=_("Can the child read and write Latin letters (a, b, c …)?"),
        choices=LITERACY_CHOICES,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        languages = language_choices()
        countries = nationality_choices()
        self.fields["first_language"].choices = [("", _("Please choose")), *languages]  # type: ignore[attr-defined]
        self.fields["other_language"].choices = [("", _("none")), *languages]  # type: ignore[attr-defined]
        self.fields["schooling_country"].choices = [("", _("Please choose")), *countries]  # type: ignore[attr-defined]

    def clean_birth_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["birth_date"]
        if value > timezone.localdate():
            raise ValidationError(_("The date of birth cannot be in the future."))
        if value.year < OLDEST_BIRTH_YEAR:
            raise ValidationError(_("Please check the date of birth."))
        return value


def filled_forms(formset: forms.BaseFormSet) -> list[forms.Form]:
    """The blocks the family filled in; the empty extra blocks are left out."""
    return [form for form in formset.forms if form.has_changed() and form.cleaned_data]


class BaseFamilyFormSet(forms.BaseFormSet):
    def filled_forms(self) -> list[forms.Form]:
        return filled_forms(self)


class BaseGuardianFormSet(BaseFamilyFormSet):
    def clean(self) -> None:
        super().clean()
        if any(form.errors for form in self.forms):
            return
        # The centre must be able to reach the family: one phone number or e-mail address is enough.
        if not any(form.cleaned_data.get("phone") or form.cleaned_data.get("email") for form in self.filled_forms()):
            raise ValidationError(_("Please give a phone number or an e-mail address, so that we can reach you."))


# The first block is required field by field (its errors say what is missing), so the formset's own
# "submit at least one form" message is not needed.
GuardianFormSet = forms.formset_factory(
    GuardianForm,
    formset=BaseGuardianFormSet,
    extra=MAX_GUARDIANS - 1,
    min_num=1,
    max_num=MAX_GUARDIANS,
    absolute_max=MAX_GUARDIANS,
    validate_max=True,
)
ChildFormSet = forms.formset_factory(
    ChildForm,
    formset=BaseFamilyFormSet,
    extra=MAX_CHILDREN - 1,
    min_num=1,
    max_num=MAX_CHILDREN,
    absolute_max=MAX_CHILDREN,
    validate_max=True,
)


class PreRegistrationForm(FamilyFormMixin, forms.Form):
    left_to_right_fields = ("postcode",)

    street = forms.CharField(label=_("Street and house number"), max_length=160)
    postcode = forms.CharField(label=_("Postcode"), max_length=5, min_length=5)
    place = forms.CharField(label=_("Town or city"), max_length=120)
    arrived_on = forms.DateField(
        label=_("When did you arrive in Germany?"),
        widget=DateInput(),
        help_text=_("If you do not know the exact day, choose the first day of the month."),
    )
    consent = forms.BooleanField(
        label=_("I agree that the integration centre uses these details for school counselling and school placement.")
    )
    # Left empty by people: the field is hidden from them. Scripts fill every field they find.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.centre: Centre | None = None
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["postcode"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "postal-code"})
        if not self.is_bound:
            self.initial["started"] = started_token()

    @property
    def is_honeypot_filled(self) -> bool:
        return bool(self.data.get(self.add_prefix("website"), "").strip())

    def clean_postcode(self) -> str:
        code: str = self.cleaned_data["postcode"].strip()
        if not code.isdigit():
            raise ValidationError(_("A postcode has five digits."))
        centre = centre_for_postcode(code)
        if centre is None:
            raise ValidationError(_("We do not know this postcode in North Rhine-Westphalia. Please check it."))
        self.centre = centre
        return code

    def clean_arrived_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["arrived_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date of arrival cannot be in the future."))
        if value.year < OLDEST_BIRTH_YEAR:
            raise ValidationError(_("Please check the date of arrival."))
        return value

    def clean_started(self) -> str:
        token: str = self.cleaned_data["started"]
        try:
            started = float(signing.loads(token, salt=STARTED_SALT, max_age=MAX_FILL_SECONDS))
        except (signing.BadSignature, TypeError, ValueError):
            message = _("The page was open for too long. Please check your details and send them again.")
            raise ValidationError(message) from None
        if time.time() - started < MIN_FILL_SECONDS:
            raise ValidationError(_("That was very fast. Please check your details and send them again."))
        return token


def guardian_payload(form: forms.Form) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "given_names": data["given_names"].strip(),
        "family_name": data["family_name"].strip(),
        "given_names_latin": data["given_names_latin"].strip(),
        "family_name_latin": data["family_name_latin"].strip(),
        "relation": data["relation"],
        "phone": data["phone"],
        "email": data["email"].strip(),
    }


def child_payload(form: forms.Form) -> dict[str, Any]:
    data = form.cleaned_data
    literacy = data["literate_in_latin_script"]
    return {
        "given_names": data["given_names"].strip(),
        "family_name": data["family_name"].strip(),
        "given_names_latin": data["given_names_latin"].strip(),
        "family_name_latin": data["family_name_latin"].strip(),
        "birth_date": data["birth_date"].isoformat(),
        "gender": data["gender"],
        "languages": [code for code in (data["first_language"], data["other_language"]) if code],
        "years_of_schooling": data["years_of_schooling"],
        "last_grade": data["last_grade"],
        "schooling_country": data["schooling_country"],
        "literate_in_latin_script": {"yes": True, "no": False}.get(literacy),
    }


def submission_payload(
    form: PreRegistrationForm, guardians: forms.BaseFormSet, children: forms.BaseFormSet
) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "guardians": [guardian_payload(guardian) for guardian in filled_forms(guardians)],
        "children": [child_payload(child) for child in filled_forms(children)],
        "address": {"street": data["street"].strip(), "postcode": data["postcode"], "place": data["place"].strip()},
        "arrived_on": data["arrived_on"].isoformat(),
        "consent": {"purpose": "school_placement", "given_at": timezone.now().isoformat()},
    }


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "class": "kern-form-input__input"}),
        help_text=_("For the centre's records; the family is not shown this text."),
    )


NEW_PERSON = "new"


class DecisionForm(forms.Form):
    """For each submitted person: one of the likely duplicates ("same person") or a new record."""

    def __init__(self, *args: Any, persons: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.persons = persons
        for person in persons:
            choices = [(NEW_PERSON, _("New person"))] + [
                (
                    str(candidate.pk),
                    _("Same person as %(name)s") % {"name": f"{candidate.given_names} {candidate.family_name}"},
                )
                for candidate in person.candidates
            ]
            self.fields[person.key] = forms.ChoiceField(
                label=person.key,
                choices=choices,
                widget=forms.RadioSelect(attrs={"class": "kern-form-check__radio"}),
                # With possible duplicates staff must decide; without, a new record is the only choice.
                initial=None if person.candidates else NEW_PERSON,
            )

    def same_person(self) -> dict[str, Any]:
        chosen: dict[str, Any] = {}
        for person in self.persons:
            value = self.cleaned_data[person.key]
            chosen[person.key] = next((c for c in person.candidates if str(c.pk) == value), None)
        return chosen

    def rows(self) -> list[tuple[Any, forms.BoundField]]:
        return [(person, self[person.key]) for person in self.persons]
